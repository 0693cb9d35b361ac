/* SPDX-License-Identifier: MIT */
/* fwseal lot: production lots and their quotas in the device registry. */
#include "cli.h"
#include "json.h"
#include "parse.h"
#include "registry_args.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char lot_usage[] =
    "usage: fwseal lot create LOT --quota N --registry FILE\n"
    "       fwseal lot list --registry FILE [--json]\n"
    "\n"
    "A production lot is the devices a contract manufacturer is ordered to\n"
    "build.  Its quota is the most devices the registry ever takes into it:\n"
    "'fwseal device new' and 'fwseal device import' refuse to go beyond it\n"
    "(retired and compromised devices still count: they were built).  'lot\n"
    "create' makes the registry file when it does not exist yet.\n"
    "\n"
    "  create   a new lot (LOT: 1..64 of A-Z a-z 0-9 . _ -)\n"
    "  list     every lot: name, quota, devices, creation time (UTC)\n"
    "\n"
    "options:\n"
    "  --quota N            the lot's quota, 0..2^62\n" REGISTRY_HELP
    "  --json               (list) one JSON array of {lot, quota, devices, created}\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 done, 1 refused (the lot exists), 2 usage, 3 registry missing,\n"
    "locked, corrupt or of another schema version, or I/O\n";

enum { OPT_QUOTA = 256, OPT_JSON };

typedef struct {
    json_writer j;
    int json;
} lot_printer;

static int print_lot(void *user, const char *lot, uint64_t quota, uint64_t used, int64_t created)
{
    lot_printer *p = user;
    char when[32];
    cli_utc_time(created, when);
    if (!p->json) {
        printf("%s\t%llu\t%llu\t%s\n", lot, (unsigned long long)quota, (unsigned long long)used,
               when);
        return 0;
    }
    json_begin(&p->j, NULL, '{');
    json_str(&p->j, "lot", lot);
    json_u64(&p->j, "quota", quota);
    json_u64(&p->j, "devices", used);
    json_str(&p->j, "created", when);
    json_end(&p->j, '}');
    return 0;
}

static const struct option lot_options[] = {{"quota", required_argument, 0, OPT_QUOTA},
                                               REGISTRY_LONG_OPTIONS,
                                               {"json", no_argument, 0, OPT_JSON},
                                               {"help", no_argument, 0, 'h'},
                                               {0, 0, 0, 0}};

int cmd_lot(int argc, char **argv)
{
    unsigned long long quota = 0;
    int have_quota = 0, opt, rc, create;
    lot_printer p = {.json = 0};
    registry_args ra;
    registry *r;
    const char *sub;

    if (argc == 2 && !strcmp(argv[1], CLI_LIST_OPTIONS)) {
        cli_list_options(lot_options);
        return FWS_EXIT_OK;
    }
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(lot_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? FWS_EXIT_USAGE : FWS_EXIT_OK;
    }
    sub = argv[1];
    if (strcmp(sub, "create") && strcmp(sub, "list"))
        return cli_usage("lot", "unknown subcommand '%s' (create, list)", sub);
    registry_args_init(&ra, "lot");
    optind = 0;
    while ((opt = cli_getopt("lot", argc - 1, argv + 1, "h", lot_options)) != -1) {
        if (opt == 'h') {
            fputs(lot_usage, stdout);
            return FWS_EXIT_OK;
        } else if (opt == OPT_QUOTA) {
            if (parse_u64(optarg, 1ull << 62, &quota))
                return cli_usage("lot", "--quota '%s': expected 0..%llu", optarg, 1ull << 62);
            have_quota = 1;
        } else if (opt == OPT_JSON) {
            p.json = 1;
        } else if (opt == CLI_OPT_ERROR || (rc = registry_args_option(&ra, opt, optarg))) {
            return FWS_EXIT_USAGE;
        }
    }
    create = !strcmp(sub, "create");
    if (create) {
        if (optind + 1 >= argc)
            return cli_usage("lot", "lot create: missing the LOT name");
        if (optind + 2 < argc)
            return cli_usage("lot", "lot create: one LOT only ('%s' and '%s')", argv[optind + 1],
                             argv[optind + 2]);
        if ((rc = registry_args_lot_name(&ra, "LOT", argv[optind + 1])))
            return rc;
        if (!have_quota)
            return cli_usage("lot", "lot create: missing --quota N (the most devices it takes)");
        if (p.json)
            return cli_usage("lot", "--json is for lot list");
    } else {
        if (optind + 1 < argc)
            return cli_usage("lot", "lot list: unexpected argument '%s'", argv[optind + 1]);
        if (have_quota)
            return cli_usage("lot", "--quota is for lot create");
    }
    if ((rc = registry_args_open(&ra, create, &r)))
        return rc;
    if (create) {
        if (!(rc = registry_lot_create(r, argv[optind + 1], quota)))
            diag_note("%s: lot '%s' created, quota %llu", ra.path, argv[optind + 1], quota);
    } else {
        if (p.json) {
            json_init(&p.j, stdout);
            json_begin(&p.j, NULL, '[');
        }
        rc = registry_lot_each(r, print_lot, &p);
        if (p.json)
            json_end(&p.j, ']');
    }
    registry_close(r);
    return rc;
}
