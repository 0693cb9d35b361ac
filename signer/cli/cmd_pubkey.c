/* SPDX-License-Identifier: MIT */
/*
 * fwseal pubkey: export a public key as a C header, hex or PEM.
 */
#include "atomic_file.h"
#include "cli.h"
#include "keyfile.h"
#include "pubkey_export.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char pubkey_usage[] =
    "usage: fwseal pubkey FILE [--format c|hex|pem] [-o OUT] [--name IDENT] [--force]\n"
    "\n"
    "Prints the public key of FILE, a NAME.pub or a NAME.key (a .key file carries\n"
    "its public key in the clear: no passphrase is needed).\n"
    "\n"
    "options:\n"
    "  --format F         c    a C header with 'static const uint8_t IDENT[32]'\n"
    "                          and 'IDENT_id[8]' (the key id), for a bootloader\n"
    "                     hex  64 hex digits (default)\n"
    "                     pem  RFC 8410 SubjectPublicKeyInfo, for openssl\n"
    "  -o, --output OUT   write to OUT instead of standard output ('-')\n"
    "  --name IDENT       C identifier for --format c (default fwseal_<type>_pub)\n"
    "  --force            replace an existing OUT\n"
    "  -h, --help         show this help\n"
    "\n"
    "A psk has no public key: pubkey refuses it.\n"
    "\n"
    "exit status: 0 written, 2 usage, 3 I/O or bad key file\n";

enum { OPT_FORMAT = 256, OPT_NAME, OPT_FORCE };

int cmd_pubkey(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, OPT_FORMAT},
                                         {"output", required_argument, 0, 'o'},
                                         {"name", required_argument, 0, OPT_NAME},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *file, *fmt_s = NULL, *out = "-", *name = NULL;
    fws_pubkey_format fmt = FWS_PUBFMT_HEX;
    char text[FWS_PUBKEY_TEXT_MAX];
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
        default: return FWS_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage("pubkey", "missing the key file (NAME.pub or NAME.key)");
    if (argc - optind > 1)
        return cli_usage("pubkey", "one key file only ('%s' and '%s')", argv[optind],
                         argv[optind + 1]);
    file = argv[optind];
    if (fmt_s && fws_pubkey_format_parse(fmt_s, &fmt))
        return cli_usage("pubkey", "--format: '%s' is not c, hex or pem", fmt_s);
    if (name && fmt != FWS_PUBFMT_C)
        return cli_usage("pubkey", "--name applies to --format c only");
    if (name && !fws_pubkey_ident_valid(name))
        return cli_usage("pubkey", "--name: '%s' is not a C identifier (letters, digits, _; "
                                   "at most %d characters; not a keyword)",
                         name, FWS_PUBKEY_IDENT_MAX);
    if (!*out)
        return cli_usage("pubkey", "-o: empty file name");

    rc = fws_key_load_public(file, &key);
    if (rc != FWS_EXIT_OK)
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
    if ((rc = atomic_open(&af, out, 0644, force ? ATOMIC_OVERWRITE : 0)) != FWS_EXIT_OK)
        return rc;
    if ((rc = atomic_write(&af, text, len)) != FWS_EXIT_OK ||
        (rc = atomic_commit(&af)) != FWS_EXIT_OK) {
        atomic_abort(&af);
        return rc;
    }
    return FWS_EXIT_OK;
}
