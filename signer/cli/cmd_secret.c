/* SPDX-License-Identifier: MIT */
/*
 * fwseal secret: a device's secret key (X25519 scalar or PSK) for the
 * factory programmer, as a C header, hex or raw bytes.
 */
#include "atomic_file.h"
#include "cli.h"
#include "keyfile.h"
#include "pubkey_export.h"
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

enum { OPT_FORMAT = 256, OPT_NAME, OPT_FORCE, OPT_SIGNING, OPT_PP_FILE, OPT_PP_ENV };

typedef struct {
    const char *file, *fmt_s, *out, *name;
    int force, signing;
    fws_passphrase_src pp;
} secret_args;

static int parse(secret_args *a, int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, OPT_FORMAT},
                                         {"output", required_argument, 0, 'o'},
                                         {"name", required_argument, 0, OPT_NAME},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"export-signing-key", no_argument, 0, OPT_SIGNING},
                                         CLI_PASSPHRASE_OPTIONS(OPT_PP_FILE, OPT_PP_ENV),
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int opt;
    memset(a, 0, sizeof *a);
    a->out = "-";
    optind = 0;
    while ((opt = cli_getopt("secret", argc, argv, "o:h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(secret_usage, stdout); return -1;
        case OPT_FORMAT: a->fmt_s = optarg; break;
        case 'o': a->out = optarg; break;
        case OPT_NAME: a->name = optarg; break;
        case OPT_FORCE: a->force = 1; break;
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
    if (!a->fmt_s)
        return cli_usage("secret", "missing --format c|hex|raw (say how the secret is wanted)");
    if (!*a->out)
        return cli_usage("secret", "-o: empty file name");
    if (a->name && !fws_pubkey_ident_valid(a->name))
        return cli_usage("secret", "--name: '%s' is not a C identifier (letters, digits, _; "
                                   "at most %d characters; not a keyword)",
                         a->name, FWS_PUBKEY_IDENT_MAX);
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
    if (a->name && fmt != FWS_SECFMT_C)
        return cli_usage("secret", "--name applies to --format c only");
    if (fmt == FWS_SECFMT_RAW && !strcmp(a->out, "-") && isatty(STDOUT_FILENO))
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
    atomic_file af;
    fws_key key;
    int rc = parse(&a, argc, argv);

    if (rc)
        return rc < 0 ? FWS_EXIT_OK : rc;
    if (fws_secret_format_parse(a.fmt_s, &fmt))
        return cli_usage("secret", "--format: '%s' is not c, hex or raw", a.fmt_s);
    if ((rc = fws_key_load(a.file, &a.pp, &key)))
        return rc;
    if ((rc = check(&a, &key, fmt)))
        goto out;
    if (fws_secret_format_text(&key, fmt, a.name, text, sizeof text, &len)) {
        diag_error("%s: cannot format the secret", a.file);
        rc = FWS_EXIT_IO;
        goto out;
    }
    fws_key_id_hex(key.id, idhex);
    diag_warn("writing the SECRET %s key %s of %s in the clear to %s: whoever reads it %s; "
              "program it, then delete it",
              fws_key_type_name(key.type), idhex, a.file,
              strcmp(a.out, "-") ? a.out : "standard output",
              key.type == FWS_KEY_ED25519 ? "can sign releases for every device that trusts it"
                                          : "can decrypt every update made for this device");
    if ((rc = atomic_open(&af, a.out, 0600, ATOMIC_EXACT_MODE |
                                                (a.force ? ATOMIC_OVERWRITE : 0))))
        goto out;
    if ((rc = atomic_write(&af, text, len)) || (rc = atomic_commit(&af)))
        atomic_abort(&af);
out:
    sodium_memzero(text, sizeof text);
    fws_key_wipe(&key);
    return rc;
}
