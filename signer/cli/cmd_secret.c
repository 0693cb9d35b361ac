/* SPDX-License-Identifier: MIT */
/*
 * fwseal secret: a device's secret key (X25519 scalar or PSK) for the
 * factory programmer, as a C header, hex or raw bytes.
 */
#include "cli.h"
#include "keyfile.h"
#include "secret_export.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char secret_usage[] =
    "usage: fwseal secret FILE.key --format c|hex|raw [-o OUT] [options]\n"
    "\n"
    "Writes the secret of a device key file (an X25519 secret key or a PSK) for\n"
    "programming into the device: the 32 bytes a bootloader gives fws_policy\n"
    "(x25519_secret or psk).  Whoever reads them can decrypt every update made\n"
    "for that device, so the output is created with mode 0600, a warning is\n"
    "printed every time, and raw bytes are never written to a terminal.\n"
    "\n"
    "options:\n"
    "  --format F           c    a C header: 'static const uint8_t IDENT[32]'\n"
    "                       hex  64 hex digits and a newline\n"
    "                       raw  the 32 bytes (not to a terminal)\n"
    "  -o, --output OUT     write to OUT (mode 0600) instead of standard output\n"
    "  --name IDENT         C identifier for --format c (default\n"
    "                       fws_device_x25519_secret, fws_device_psk)\n"
    "  --force              replace an existing OUT\n"
    "  --export-signing-key also export an Ed25519 signing key's seed (refused\n"
    "                       without it: a signing key belongs in the release\n"
    "                       engineer's custody, never in a device)\n"
    "  --passphrase-file F  passphrase for FILE from F (first line)\n"
    "  --passphrase-env VAR passphrase for FILE from environment variable VAR\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 written, 2 usage (also: raw to a terminal, a signing key\n"
    "without --export-signing-key), 3 I/O or key file problem (a .pub file has\n"
    "no secret)\n";

enum { OPT_SIGNING = 256, OPT_PP_FILE, OPT_PP_ENV };

typedef struct {
    const char *file;
    cli_export ex;                 /* --format, -o, --name, --force */
    int signing;
    fws_passphrase_src pp;
} secret_args;

static int parse(secret_args *a, int argc, char **argv)
{
    static const struct option opts[] = {CLI_EXPORT_OPTIONS,
                                         {"export-signing-key", no_argument, 0, OPT_SIGNING},
                                         CLI_PASSPHRASE_OPTIONS(OPT_PP_FILE, OPT_PP_ENV),
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int opt;
    memset(a, 0, sizeof *a);
    cli_export_init(&a->ex);
    optind = 0;
    while ((opt = cli_getopt("secret", argc, argv, "o:h", opts)) != -1) {
        if (cli_export_option(&a->ex, opt, optarg))
            continue;
        switch (opt) {
        case 'h': fputs(secret_usage, stdout); return -1;
        case OPT_SIGNING: a->signing = 1; break;
        case OPT_PP_FILE: a->pp.file = optarg; break;
        case OPT_PP_ENV: a->pp.env = optarg; break;
        default: return FWS_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage("secret", "missing the key file (NAME.key)");
    if (argc - optind > 1)
        return cli_usage("secret", "one key file only ('%s' and '%s')", argv[optind],
                         argv[optind + 1]);
    a->file = argv[optind];
    if (!a->ex.format)
        return cli_usage("secret", "missing --format c|hex|raw (say how the secret is wanted)");
    return cli_check_passphrase_src("secret", &a->pp);
}

/* The checks on the key and the destination, before anything is written. */
static int check(const secret_args *a, const fws_key *key, fws_secret_format fmt)
{
    if (!key->has_secret) {
        diag_error("%s: a public key file has no secret (give the .key file)", a->file);
        return FWS_EXIT_IO;
    }
    if (key->type == FWS_KEY_ED25519 && !a->signing)
        return cli_usage("secret", "%s is an Ed25519 signing key, not a device key: a device "
                                   "never holds one; if you really mean to export it, add "
                                   "--export-signing-key", a->file);
    if (fmt == FWS_SECFMT_RAW && !strcmp(a->ex.out, "-") && isatty(STDOUT_FILENO))
        return cli_usage("secret", "refusing to write a raw secret key to a terminal "
                                   "(redirect standard output, or use -o FILE)");
    return FWS_EXIT_OK;
}

int cmd_secret(int argc, char **argv)
{
    char text[FWS_SECRET_TEXT_MAX], idhex[2 * FWS_KEYID_LEN + 1];
    fws_secret_format fmt;
    secret_args a;
    size_t len = 0;
    fws_key key;
    int rc = parse(&a, argc, argv);

    if (rc)
        return rc < 0 ? FWS_EXIT_OK : rc;
    if (fws_secret_format_parse(a.ex.format, &fmt))
        return cli_usage("secret", "--format: '%s' is not c, hex or raw", a.ex.format);
    if ((rc = cli_export_check("secret", &a.ex, fmt == FWS_SECFMT_C)))
        return rc;
    if ((rc = fws_key_load(a.file, &a.pp, &key)))
        return rc;
    if ((rc = check(&a, &key, fmt)))
        goto out;
    if (fws_secret_format_text(&key, fmt, a.ex.name, text, sizeof text, &len)) {
        diag_error("%s: cannot format the secret", a.file);
        rc = FWS_EXIT_IO;
        goto out;
    }
    fws_key_id_hex(key.id, idhex);
    diag_warn("writing the SECRET %s key %s of %s in the clear to %s: whoever reads it %s; "
              "program it, then delete it",
              fws_key_type_name(key.type), idhex, a.file,
              strcmp(a.ex.out, "-") ? a.ex.out : "standard output",
              key.type == FWS_KEY_ED25519 ? "can sign releases for every device that trusts it"
                                          : "can decrypt every update made for this device");
    rc = cli_export_write(&a.ex, text, len, 0600, 1);
out:
    sodium_memzero(text, sizeof text);
    fws_key_wipe(&key);
    return rc;
}
