/* SPDX-License-Identifier: MIT */
/* fwseal sign: add signatures to a container, in place. */
#include "cli.h"
#include "container_writer.h"
#include "detached.h"
#include "keyfile.h"
#include "signer_args.h"
#include "signing_log.h"
#include "sig_entry.h"
#include "xalloc.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: fwseal sign FILE --key KEY [--cert CERT] [options]\n"
    "\n"
    "Adds a signature by each key given to FILE (an unsigned container from\n"
    "`fwseal pack --unsigned`, or one with signatures already), in place and\n"
    "atomically: only the signature block changes.  A key that has already\n"
    "signed FILE is refused; the threshold is the devices' policy, not FILE's.\n"
    "\n"
    "options:\n" SIGNER_HELP("-k, --key")
    "      --cert FILE          the delegation certificate of one of the keys\n"
    "      --log FILE           append a record to this signing log (also FWSEAL_LOG)\n"
    "      --passphrase-file F  passphrase for key files without their own source\n"
    "      --passphrase-env VAR the same from an environment variable\n"
    "  -h, --help               this text\n"
    "\n"
    "Exit status: 0 signed, 2 usage (a key that signed already, a full block),\n"
    "3 I/O, key, token or signer problem (nothing written).\n";

enum { OPT_LOG = 256, OPT_PP_FILE, OPT_PP_ENV };

int cmd_sign(int argc, char **argv)
{
    static const struct option opts[] = {SIGNER_LONG_OPTIONS("key"),
                                         {"cert", required_argument, 0, SOPT_CERT},
                                         {"log", required_argument, 0, OPT_LOG},
                                         CLI_PASSPHRASE_OPTIONS(OPT_PP_FILE, OPT_PP_ENV),
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    signer_args *sa = xmalloc(sizeof *sa);
    container *c = xmalloc(sizeof *c);
    uint8_t *block = xmalloc(SIG_BLOCK_MAX), sig[FWS_SIG_LEN];
    fws_passphrase_src pp = {NULL, NULL};
    const char *log = NULL;
    size_t len;
    int opt, rc = FWS_EXIT_OK, opened = 0;

    signer_args_init(sa, "sign", "--key");
    optind = 0;
    while ((opt = cli_getopt("sign", argc, argv, "k:h", opts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = FWS_EXIT_USAGE;
        } else if (opt == 'h') {
            fputs(usage_text, stdout);
            goto done;
        } else if (opt == 'k') {
            rc = signer_args_option(sa, SOPT_KEY, optarg);
        } else if (opt == OPT_LOG) {
            log = optarg;
        } else if (opt == OPT_PP_FILE || opt == OPT_PP_ENV) {
            *(opt == OPT_PP_FILE ? &pp.file : &pp.env) = optarg;
        } else {
            rc = signer_args_option(sa, opt, optarg);
        }
        if (rc)
            goto done;
    }
    if (optind != argc - 1) {
        rc = cli_usage("sign", optind >= argc ? "missing FILE" : "exactly one FILE, please");
        goto done;
    }
    if (!signer_args_count(sa)) {
        rc = cli_usage("sign", "missing --key (or --sign-cmd): who signs?");
        goto done;
    }
    if ((rc = cli_check_passphrase_src("sign", &pp)) ||
        (rc = detached_open("sign", argv[optind], c)))
        goto done;
    opened = 1;
    if ((rc = signer_args_open(sa, &pp)))
        goto done;
    len = sig_block_build(c, NULL, 0, block);
    for (int i = 0; i < sa->n_signers; i++) {
        const fws_cert_record *cert = sa->cert_of[i];
        if ((rc = detached_may_add(c, sa->signers[i].id, sa->signers[i].spec)) ||
            (block[0] + 1 > FWS_MAX_SIGNATURES &&
             (rc = cli_usage("sign", "%s: at most %d signatures", c->path, FWS_MAX_SIGNATURES))) ||
            (rc = fws_signer_sign(&sa->signers[i], c->signed_region, c->signed_len, sig)))
            goto done;
        len += fws_sig_entry_encode(block + len, sa->signers[i].id, cert ? cert->rec : NULL,
                                    cert ? cert->len : 0, sig);
        block[0]++;
    }
    {
        uint8_t tbs[32];
        signing_event e = {"sign", c->path, tbs, &c->m};
        crypto_hash_sha256(tbs, c->signed_region, c->signed_len);
        if ((rc = signing_log_append(signing_log_path(log), &e, sa->signers, sa->n_signers, NULL)))
            goto done;
    }
    if ((rc = container_replace_signatures(c->path, c, block, len)))
        goto done;
    printf("%s: %d signature%s added, %u in all\n", c->path, sa->n_signers,
           sa->n_signers == 1 ? "" : "s", block[0]);
done:
    if (opened)
        container_close(c);
    signer_args_close(sa);
    free(sa);
    free(c);
    free(block);
    return rc;
}
