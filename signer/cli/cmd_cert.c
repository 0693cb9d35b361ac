/* SPDX-License-Identifier: MIT */
/* fwseal cert: delegation certificates, root keys certifying signing keys. */
#include "atomic_file.h"
#include "cert.h"
#include "cli.h"
#include "diag.h"
#include "host_class_id.h"
#include "keyfile.h"
#include "parse.h"
#include "signer_args.h"
#include "xalloc.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: fwseal cert issue --root KEY... --subject SIGNING.pub --generation N\n"
    "                         [--class CLASS] -o SIGNING.cert\n"
    "       fwseal cert show FILE [--trust-root PUB...]\n"
    "\n"
    "Key rotation (format/SPEC.md 4.1): devices trust root keys; roots certify\n"
    "signing keys with a generation, and a release signed by a certified key\n"
    "counts as the devices' roots say.  `pack --key SIGNING.key --cert\n"
    "SIGNING.cert` signs with it; `pack --min-key-generation N` later revokes\n"
    "every certified key below generation N, once devices confirm that release.\n"
    "\n"
    "issue options:\n"
    "  --root KEY           a root key signing the certificate: FILE.key[:env=VAR|\n"
    "                       :file=F] or a pkcs11: URI (1..4 roots, distinct); also\n"
    "                       --sign-cmd CMD --sign-cmd-pub PUB [--sign-cmd-shell]\n"
    "  --subject PUB        the signing key to certify (.pub or .key, or pkcs11: URI)\n"
    "  --generation N       its key generation, 0..4294967295\n"
    "  --class CLASS        certify it for one device class only (default: any\n"
    "                       class of these roots)\n"
    "  -o, --output FILE    the certificate; --force replaces an existing one\n"
    "  --passphrase-file F, --passphrase-env VAR  for root key files\n"
    "show options:\n"
    "  --trust-root PUB     check each root signature against these root keys\n"
    "\n"
    "Exit status: 0 done, 1 (show) a root signature does not verify, 2 usage,\n"
    "3 I/O, key or token problem.\n";

enum { OPT_SUBJECT = 256, OPT_GENERATION, OPT_CLASS, OPT_FORCE, OPT_TRUST_ROOT, OPT_PP_FILE,
       OPT_PP_ENV };

/* The subject's public key: a key file (public part) or a token's key. */
static int load_subject(const char *spec, uint8_t pub[32])
{
    fws_key k;
    int rc;
    if (!strncmp(spec, "pkcs11:", 7)) {
        fws_signer s;
        if ((rc = fws_signer_open(spec, NULL, &s)))
            return rc;
        memcpy(pub, s.pub, 32);
        fws_signer_close(&s);
        return FWS_EXIT_OK;
    }
    if ((rc = fws_key_load_public(spec, &k)))
        return rc;
    if (k.type != FWS_KEY_ED25519)
        return cli_usage("cert", "%s: --subject needs an Ed25519 key, this is a %s key", spec,
                         fws_key_type_name(k.type));
    memcpy(pub, k.pub, 32);
    return FWS_EXIT_OK;
}

/* The actions' options (also listed together for completions). */
static const struct option issue_options[] = {
    SIGNER_LONG_OPTIONS("root"),
    {"subject", required_argument, 0, OPT_SUBJECT},
    {"generation", required_argument, 0, OPT_GENERATION},
    {"class", required_argument, 0, OPT_CLASS},
    {"output", required_argument, 0, 'o'},
    {"force", no_argument, 0, OPT_FORCE},
    CLI_PASSPHRASE_OPTIONS(OPT_PP_FILE, OPT_PP_ENV),
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};

static const struct option show_options[] = {
    {"trust-root", required_argument, 0, OPT_TRUST_ROOT},
    {"help", no_argument, 0, 'h'},
    {0, 0, 0, 0}};

static int cert_issue(int argc, char **argv)
{
    signer_args *sa = xmalloc(sizeof *sa);
    fws_cert_record *rec = xcalloc(1, sizeof *rec);
    const char *subject = NULL, *class_arg = NULL, *out = NULL;
    fws_passphrase_src pp = {NULL, NULL};
    unsigned long long gen = 0;
    uint8_t pub[32], scope[FWS_CLASS_LEN];
    int opt, rc = FWS_EXIT_OK, have_gen = 0, force = 0;
    char *text = NULL;
    atomic_file af;

    signer_args_init(sa, "cert issue", "--root");
    optind = 0;
    while (!rc && (opt = cli_getopt("cert issue", argc, argv, "o:h", issue_options)) != -1) {
        switch (opt) {
        case CLI_OPT_ERROR: rc = FWS_EXIT_USAGE; break;
        case 'h': fputs(usage_text, stdout); goto done;
        case OPT_SUBJECT: subject = optarg; break;
        case OPT_GENERATION:
            if (parse_u64(optarg, 0xFFFFFFFFull, &gen))
                rc = cli_usage("cert", "--generation '%s': expected 0..4294967295", optarg);
            have_gen = 1;
            break;
        case OPT_CLASS: class_arg = optarg; break;
        case 'o': out = optarg; break;
        case OPT_FORCE: force = 1; break;
        case OPT_PP_FILE: pp.file = optarg; break;
        case OPT_PP_ENV: pp.env = optarg; break;
        default: rc = signer_args_option(sa, opt, optarg); break;
        }
    }
    if (rc)
        goto done;
    if (!signer_args_count(sa) || !subject || !have_gen || !out || optind != argc) {
        rc = cli_usage("cert", optind != argc           ? "unexpected argument '%s'"
                               : !signer_args_count(sa) ? "missing --root KEY%.0s"
                               : !subject               ? "missing --subject PUB%.0s"
                               : !have_gen              ? "missing --generation N%.0s"
                                                        : "missing -o FILE.cert%.0s",
                       optind < argc ? argv[optind] : "");
        goto done;
    }
    if (signer_args_count(sa) > FWS_MAX_ROOT_SIGS) {
        rc = cli_usage("cert", "at most %d roots sign a certificate", FWS_MAX_ROOT_SIGS);
        goto done;
    }
    if (class_arg && !*class_arg) {
        rc = cli_usage("cert", "--class must not be empty");
        goto done;
    }
    if (class_arg)
        host_class_id(class_arg, scope);
    if ((rc = cli_check_passphrase_src("cert", &pp)) || (rc = load_subject(subject, pub)) ||
        (rc = signer_args_open(sa, &pp)))
        goto done;
    for (int i = 0; i < sa->n_signers; i++)
        if (!memcmp(sa->signers[i].pub, pub, 32)) {
            rc = cli_usage("cert", "%s: a root cannot certify itself", sa->signers[i].spec);
            goto done;
        }
    if ((rc = fws_cert_issue(sa->signers, sa->n_signers, pub, (uint32_t)gen,
                             class_arg ? scope : NULL, rec)))
        goto done;
    text = fws_cert_text(rec);
    if ((rc = atomic_open(&af, out, 0644, force ? ATOMIC_OVERWRITE : 0)))
        goto done;
    if ((rc = atomic_write(&af, text, strlen(text))) || (rc = atomic_commit(&af))) {
        atomic_abort(&af);
        goto done;
    }
    printf("%s: %.*s", out, (int)strcspn(text, "\n") + 1, text);
done:
    signer_args_close(sa);
    free(sa);
    free(rec);
    free(text);
    return rc;
}

static int cert_show(int argc, char **argv)
{
    const char *roots[FWS_MAX_ROOT_SIGS * 8];
    fws_cert_record *rec = xcalloc(1, sizeof *rec);
    int n_roots = 0, opt, rc, bad = 0;
    char *text, hex[17];
    optind = 0;
    while ((opt = cli_getopt("cert show", argc, argv, "h", show_options)) != -1) {
        if (opt == CLI_OPT_ERROR || (opt == OPT_TRUST_ROOT && n_roots == 32)) {
            free(rec);
            return opt == CLI_OPT_ERROR ? FWS_EXIT_USAGE : cli_usage("cert", "too many roots");
        }
        if (opt == 'h') {
            fputs(usage_text, stdout);
            free(rec);
            return FWS_EXIT_OK;
        }
        roots[n_roots++] = optarg;
    }
    if (optind != argc - 1) {
        free(rec);
        return cli_usage("cert", "show: exactly one FILE, please");
    }
    if ((rc = fws_cert_load(argv[optind], rec))) {
        free(rec);
        return rc;
    }
    text = fws_cert_text(rec);
    {
        const char *line = text + strlen("fwseal delegation: ");
        printf("%s: %.*s", argv[optind], (int)strcspn(line, "\n") + 1, line);
    }
    free(text);
    for (uint8_t i = 0; i < rec->c.n_roots; i++) {
        const uint8_t *id = rec->c.root_sigs + (size_t)i * FWS_CERT_ROOT_SIG_LEN;
        const char *verdict = n_roots ? "signed by no root given" : "not checked";
        fws_key_id_hex(id, hex);
        for (int k = 0; k < n_roots; k++) {
            fws_key root;
            if ((rc = fws_key_load_public(roots[k], &root))) {
                free(rec);
                return rc;
            }
            if (!memcmp(root.id, id, FWS_KEYID_LEN))
                verdict = fws_cert_root_verifies(rec, i, root.pub) ? "BAD signature" : "verified";
        }
        bad |= n_roots && strcmp(verdict, "verified");
        printf("  root %s: %s\n", hex, verdict);
    }
    free(rec);
    return bad ? FWS_EXIT_REJECT : FWS_EXIT_OK;
}

int cmd_cert(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], CLI_LIST_OPTIONS)) {
        cli_list_options(issue_options);
        cli_list_options(show_options);
        return FWS_EXIT_OK;
    }
    if (argc >= 2 && !strcmp(argv[1], "issue"))
        return cert_issue(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "show"))
        return cert_show(argc - 1, argv + 1);
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage_text, stdout);
        return FWS_EXIT_OK;
    }
    return cli_usage("cert", argc < 2 ? "missing action (issue, show)%s"
                                      : "unknown action '%s' (issue, show)",
                     argc < 2 ? "" : argv[1]);
}
