/* SPDX-License-Identifier: MIT */
/* fwseal log: the signing log's hash chain, and who signed what. */
#include "cli.h"
#include "parse.h"
#include "signing_log.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
    "usage: fwseal log verify [LOG]\n"
    "       fwseal log find [LOG] --tbs SHA256 | --counter N\n"
    "\n"
    "The signing log that pack, sign and attach append to (--log FILE or the\n"
    "environment variable FWSEAL_LOG; LOG defaults to FWSEAL_LOG): JSON lines\n"
    "chained by the SHA-256 of the previous line.\n"
    "  verify   checks the chain; names the first broken or torn record\n"
    "  find     prints the records of a signed region (`fwseal tbs` prints its\n"
    "           SHA-256) or of a security counter: who signed this?\n"
    "\n"
    "Exit status: 0 intact / found, 1 broken / none found, 2 usage, 3 I/O.\n";

enum { OPT_TBS = 256, OPT_COUNTER };

int cmd_log(int argc, char **argv)
{
    static const struct option opts[] = {{"tbs", required_argument, 0, OPT_TBS},
                                         {"counter", required_argument, 0, OPT_COUNTER},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *tbs = NULL, *path, *sub;
    unsigned long long counter = 0;
    uint8_t h[32];
    int opt, has_counter = 0;
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage_text, argc < 2 ? stderr : stdout);
        return argc < 2 ? FWS_EXIT_USAGE : FWS_EXIT_OK;
    }
    if (argc == 2 && !strcmp(argv[1], CLI_LIST_OPTIONS)) {
        cli_list_options(opts);
        return FWS_EXIT_OK;
    }
    sub = argv[1];
    if (strcmp(sub, "verify") && strcmp(sub, "find"))
        return cli_usage("log", "unknown action '%s' (verify, find)", sub);
    optind = 0;
    while ((opt = cli_getopt("log", argc - 1, argv + 1, "h", opts)) != -1) {
        if (opt == CLI_OPT_ERROR)
            return FWS_EXIT_USAGE;
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return FWS_EXIT_OK;
        }
        if (opt == OPT_TBS) {
            if (parse_hex(optarg, strlen(optarg), h, sizeof h))
                return cli_usage("log", "--tbs '%s': expected 64 hex digits", optarg);
            tbs = optarg;
        } else {
            if (parse_u64(optarg, 0xFFFFFFFFull, &counter))
                return cli_usage("log", "--counter '%s': expected 0..4294967295", optarg);
            has_counter = 1;
        }
    }
    if (argc - 1 - optind > 1)
        return cli_usage("log", "one LOG file, please");
    path = signing_log_path(argc - 1 - optind == 1 ? argv[1 + optind] : NULL);
    if (!path)
        return cli_usage("log", "which log? give LOG or set FWSEAL_LOG");
    if (!strcmp(sub, "verify")) {
        if (tbs || has_counter)
            return cli_usage("log", "verify takes no --tbs or --counter");
        return signing_log_verify(path);
    }
    if (!tbs && !has_counter)
        return cli_usage("log", "find needs --tbs SHA256 or --counter N");
    {
        char lower[65];
        for (int i = 0; tbs && i < 65; i++)
            lower[i] = (char)(tbs[i] >= 'A' && tbs[i] <= 'F' ? tbs[i] + 32 : tbs[i]);
        return signing_log_find(path, tbs ? lower : NULL, has_counter, (uint32_t)counter);
    }
}
