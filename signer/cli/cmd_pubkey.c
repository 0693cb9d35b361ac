/* SPDX-License-Identifier: MIT */
/*
 * fwseal pubkey: export a public key as a C header, hex or PEM.
 */
#include "atomic_file.h"
#include "cli.h"
#include "keyfile.h"
#include "parse.h"
#include "pkcs11_token.h"
#include "pubkey_export.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char pubkey_usage[] =
    "usage: fwseal pubkey FILE|pkcs11:URI [--format c|hex|pem] [-o OUT] [--name IDENT]\n"
    "       fwseal pubkey ROOT.pub... --format c --root-threshold K [--name IDENT] [-o OUT]\n"
    "\n"
    "Prints the public key of FILE, a NAME.pub or a NAME.key (a .key file carries\n"
    "its public key in the clear: no passphrase is needed), or of the Ed25519 key a\n"
    "PKCS#11 URI names (read from the token's public key object; no PIN unless the\n"
    "URI gives a pin-source).  With --root-threshold: the root keys and threshold a\n"
    "bootloader needs for key rotation, as one C header (IDENT, IDENT_COUNT,\n"
    "IDENT_THRESHOLD; default IDENT fwseal_roots).\n"
    "\n"
    "options:\n"
    "  --format F         c    a C header with 'static const uint8_t IDENT[32]'\n"
    "                          and 'IDENT_id[8]' (the key id), for a bootloader\n"
    "                     hex  64 hex digits (default)\n"
    "                     pem  RFC 8410 SubjectPublicKeyInfo, for openssl\n"
    "                     pub  a fwseal public key file (NAME.pub: --trust takes it)\n"
    "  --root-threshold K distinct roots a delegation needs (1..number of keys)\n"
    "  -o, --output OUT   write to OUT instead of standard output ('-')\n"
    "  --name IDENT       C identifier for --format c (default fwseal_<type>_pub)\n"
    "  --force            replace an existing OUT\n"
    "  -h, --help         show this help\n"
    "\n"
    "A psk has no public key: pubkey refuses it.\n"
    "\n"
    "exit status: 0 written, 2 usage, 3 I/O, bad key file or token\n";

enum { OPT_FORMAT = 256, OPT_NAME, OPT_FORCE, OPT_ROOT_THRESHOLD };

/* FILE or pkcs11:URI -> the public key. */
static int load_public(const char *file, fws_key *key)
{
    pkcs11_token *t = NULL;
    int rc;
    if (strncmp(file, "pkcs11:", 7))
        return fws_key_load_public(file, key);
    memset(key, 0, sizeof *key);
    key->type = FWS_KEY_ED25519;
    rc = pkcs11_token_open(file, strstr(file, "pin-source=") != NULL, &t);
    if (!rc)
        rc = pkcs11_token_find_key(t, 0, key->pub);
    pkcs11_token_close(t);
    if (!rc)
        fws_key_compute_id(FWS_KEY_ED25519, key->pub, key->id);
    return rc;
}

/* --root-threshold: the root keys as one header. */
static int format_roots(char **files, int n, unsigned long long threshold, const char *name,
                        char *text, size_t cap, size_t *len)
{
    fws_key *keys = xcalloc((size_t)n, sizeof *keys);
    int rc = FWS_EXIT_OK;
    for (int i = 0; !rc && i < n; i++) {
        if ((rc = load_public(files[i], &keys[i])))
            break;
        if (keys[i].type != FWS_KEY_ED25519)
            rc = cli_usage("pubkey", "%s: root keys are Ed25519, this is a %s key", files[i],
                           fws_key_type_name(keys[i].type));
    }
    if (!rc && fws_pubkey_set_c(keys, n, (unsigned)threshold, name ? name : "fwseal_roots", text,
                                cap, len)) {
        diag_error("cannot format %d root keys", n);
        rc = FWS_EXIT_IO;
    }
    free(keys);
    return rc;
}

int cmd_pubkey(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, OPT_FORMAT},
                                         {"output", required_argument, 0, 'o'},
                                         {"name", required_argument, 0, OPT_NAME},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"root-threshold", required_argument, 0,
                                          OPT_ROOT_THRESHOLD},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *file, *fmt_s = NULL, *out = "-", *name = NULL;
    fws_pubkey_format fmt = FWS_PUBFMT_HEX;
    char text[FWS_PUBKEY_TEXT_MAX * 8];
    unsigned long long threshold = 0;
    size_t len = 0;
    int force = 0, opt, rc;
    atomic_file af;
    fws_key key;

    optind = 0;
    while ((opt = cli_getopt("pubkey", argc, argv, "o:h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(pubkey_usage, stdout); return FWS_EXIT_OK;
        case OPT_FORMAT: fmt_s = optarg; break;
        case 'o': out = optarg; break;
        case OPT_NAME: name = optarg; break;
        case OPT_FORCE: force = 1; break;
        case OPT_ROOT_THRESHOLD:
            if (parse_u64(optarg, FWS_MAX_ROOT_SIGS, &threshold) || threshold == 0)
                return cli_usage("pubkey", "--root-threshold '%s': expected 1..%d", optarg,
                                 FWS_MAX_ROOT_SIGS);
            break;
        default: return FWS_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage("pubkey", "missing the key file (NAME.pub or NAME.key)");
    if (!threshold && argc - optind > 1)
        return cli_usage("pubkey", "one key file only ('%s' and '%s'), or a root set with "
                                   "--root-threshold", argv[optind], argv[optind + 1]);
    file = argv[optind];
    if (fmt_s && fws_pubkey_format_parse(fmt_s, &fmt))
        return cli_usage("pubkey", "--format: '%s' is not c, hex, pem or pub", fmt_s);
    if (threshold && fmt != FWS_PUBFMT_C)
        return cli_usage("pubkey", "--root-threshold writes a C header: add --format c");
    if (threshold > (unsigned long long)(argc - optind))
        return cli_usage("pubkey", "--root-threshold %llu is more than the %d root keys given",
                         threshold, argc - optind);
    if (argc - optind > FWS_MAX_ROOT_SIGS * 8)
        return cli_usage("pubkey", "at most %d root keys", FWS_MAX_ROOT_SIGS * 8);
    if (name && fmt != FWS_PUBFMT_C)
        return cli_usage("pubkey", "--name applies to --format c only");
    if (name && !fws_pubkey_ident_valid(name))
        return cli_usage("pubkey", "--name: '%s' is not a C identifier (letters, digits, _; "
                                   "at most %d characters; not a keyword)",
                         name, FWS_PUBKEY_IDENT_MAX);
    if (!*out)
        return cli_usage("pubkey", "-o: empty file name");

    if (threshold) {
        if ((rc = format_roots(argv + optind, argc - optind, threshold, name, text, sizeof text,
                               &len)))
            return rc;
    } else {
        if ((rc = load_public(file, &key)) != FWS_EXIT_OK)
            return rc;
        if (key.type == FWS_KEY_PSK) {
            diag_error("%s: a psk has no public key to export (give the psk .key file itself "
                       "to --encrypt-to)",
                       file);
            return FWS_EXIT_IO;
        }
        if (fws_pubkey_format_text(&key, fmt, name, text, sizeof text, &len) != 0) {
            diag_error("%s: cannot format the public key", file);
            return FWS_EXIT_IO;
        }
    }
    if ((rc = atomic_open(&af, out, 0644, force ? ATOMIC_OVERWRITE : 0)) != FWS_EXIT_OK)
        return rc;
    if ((rc = atomic_write(&af, text, len)) != FWS_EXIT_OK ||
        (rc = atomic_commit(&af)) != FWS_EXIT_OK) {
        atomic_abort(&af);
        return rc;
    }
    return FWS_EXIT_OK;
}
