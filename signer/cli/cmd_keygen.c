/* SPDX-License-Identifier: MIT */
/*
 * fwseal keygen: generate (or import) a key and write NAME.key / NAME.pub.
 */
#include "cli.h"
#include "json.h"
#include "keyfile.h"
#include "passphrase.h"
#include "pem_import.h"
#include "pkcs11_token.h"
#include "psk_import.h"
#include "xalloc.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char keygen_usage[] =
    "usage: fwseal keygen --type ed25519|x25519|psk -o NAME [options]\n"
    "       fwseal keygen --import KEY.pem -o NAME [options]\n"
    "       fwseal keygen --type ed25519 --pkcs11 URI -o NAME\n"
    "\n"
    "Generates a key, or imports an OpenSSL one, and writes\n"
    "  NAME.key  the secret key: mode 0600, encrypted with a passphrase\n"
    "            (Argon2id + XChaCha20-Poly1305) unless --no-passphrase\n"
    "  NAME.pub  the public key, for ed25519 and x25519 only.  A psk has no\n"
    "            public part: only NAME.key is written, and NAME.key itself is\n"
    "            what --encrypt-to takes and what the device is provisioned with.\n"
    "An existing NAME.key or NAME.pub is never replaced without --force; if\n"
    "either exists, neither is written.\n"
    "\n"
    "options:\n"
    "  --type T              ed25519 (signing key), x25519 or psk (recipients of\n"
    "                        encrypted containers)\n"
    "  -o, --output NAME     base name of the files; a trailing .key/.pub is dropped\n"
    "  --pkcs11 URI          generate the Ed25519 key pair inside a PKCS#11 token\n"
    "                        (pkcs11:token=T;object=LABEL?module-path=M&pin-source=file:F):\n"
    "                        the private key never leaves it; only NAME.pub is written\n"
    "  --import FILE         import an OpenSSL PKCS#8 PEM Ed25519 or X25519 private\n"
    "                        key ('openssl genpkey -algorithm ed25519'); --type may\n"
    "                        be omitted and must agree if given.  With --type psk:\n"
    "                        an existing PSK, 32 raw bytes or 64 hex digits.  FILE\n"
    "                        '-' reads standard input, so that a plaintext key from\n"
    "                        'openssl pkey ... |' never touches the disk\n"
    "  --passphrase-file F   the passphrase is the first line of F\n"
    "  --passphrase-env VAR  the passphrase is the value of environment variable VAR\n"
    "  --no-passphrase       store the secret unencrypted (still checksummed)\n"
    "  --kdf-strength S      Argon2id cost: interactive (default; 64 MiB),\n"
    "                        moderate (256 MiB) or sensitive (1 GiB)\n"
    "  --comment TEXT        comment on the first line of the files (printable,\n"
    "                        at most 256 bytes)\n"
    "  --force               replace existing files\n"
    "  --json                print what was written as JSON on stdout\n"
    "  -h, --help            show this help\n"
    "\n"
    "Without --passphrase-file, --passphrase-env or --no-passphrase the passphrase\n"
    "is asked twice on the terminal.  Passphrases are never read from the command\n"
    "line; an empty passphrase is refused.  File format: docs/KEYS.md.\n"
    "\n"
    "exit status: 0 written, 2 usage, 3 I/O, bad input file or no passphrase\n";

enum { OPT_TYPE = 256, OPT_IMPORT, OPT_COMMENT, OPT_KDF, OPT_PP_FILE, OPT_PP_ENV, OPT_NO_PASS,
       OPT_FORCE, OPT_CMDLINE_PASS, OPT_PKCS11, OPT_JSON };

typedef struct {
    const char *type_s, *out, *import, *comment, *strength_s, *pkcs11;
    fws_passphrase_src pp;
    int no_pass, force, have_type, json;
    fws_key_type type;
    fws_kdf_strength strength;
} keygen_args;

/* "NAME" -> "NAME.key" / "NAME.pub", dropping a trailing ".key"/".pub". */
static char *with_ext(const char *base, const char *ext)
{
    size_t n = strlen(base);
    if (n > 4 && (!strcmp(base + n - 4, ".key") || !strcmp(base + n - 4, ".pub")))
        n -= 4;
    return xasprintf("%.*s%s", (int)n, base, ext);
}

/* The options, one by one. */
static int read_options(keygen_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"type", required_argument, 0, OPT_TYPE},
        {"output", required_argument, 0, 'o'},
        {"import", required_argument, 0, OPT_IMPORT},
        {"pkcs11", required_argument, 0, OPT_PKCS11},
        {"comment", required_argument, 0, OPT_COMMENT},
        {"kdf-strength", required_argument, 0, OPT_KDF},
        CLI_PASSPHRASE_OPTIONS(OPT_PP_FILE, OPT_PP_ENV),
        {"no-passphrase", no_argument, 0, OPT_NO_PASS},
        {"force", no_argument, 0, OPT_FORCE},
        {"json", no_argument, 0, OPT_JSON},
        /* Named so that a passphrase on the command line gets its own refusal. */
        {"passphrase", CLI_REFUSED_OPTION, 0, OPT_CMDLINE_PASS},
        {"password", CLI_REFUSED_OPTION, 0, OPT_CMDLINE_PASS},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int opt;
    optind = 0;
    while ((opt = cli_getopt("keygen", argc, argv, "o:h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(keygen_usage, stdout); return -1;
        case OPT_TYPE: a->type_s = optarg; break;
        case 'o': a->out = optarg; break;
        case OPT_IMPORT: a->import = optarg; break;
        case OPT_PKCS11: a->pkcs11 = optarg; break;
        case OPT_COMMENT: a->comment = optarg; break;
        case OPT_KDF: a->strength_s = optarg; break;
        case OPT_PP_FILE: a->pp.file = optarg; break;
        case OPT_PP_ENV: a->pp.env = optarg; break;
        case OPT_NO_PASS: a->no_pass = 1; break;
        case OPT_FORCE: a->force = 1; break;
        case OPT_JSON: a->json = 1; break;
        case OPT_CMDLINE_PASS:
            return cli_usage("keygen", "passphrases are never taken from the command line; "
                                       "use --passphrase-file F or --passphrase-env VAR");
        default: return FWS_EXIT_USAGE;
        }
    }
    if (optind < argc)
        return cli_usage("keygen", "unexpected argument '%s' (the output is -o NAME)",
                         argv[optind]);
    return FWS_EXIT_OK;
}

/* The options, then the checks on their values and combination.  -1
 * after --help. */
static int parse_args(keygen_args *a, int argc, char **argv)
{
    int rc = read_options(a, argc, argv);
    if (rc)
        return rc;
    if (!a->out || !*a->out)
        return cli_usage("keygen", "missing -o NAME (the files are NAME.key and NAME.pub)");
    if (a->type_s) {
        if (fws_key_type_parse(a->type_s, &a->type))
            return cli_usage("keygen", "--type: unknown key type '%s' (ed25519, x25519, psk)",
                             a->type_s);
        a->have_type = 1;
    } else if (!a->import) {
        return cli_usage("keygen", "missing --type ed25519|x25519|psk");
    }
    if (a->strength_s && fws_kdf_strength_parse(a->strength_s, &a->strength))
        return cli_usage("keygen", "--kdf-strength: '%s' is not interactive, moderate or sensitive",
                         a->strength_s);
    if (a->comment && fws_key_comment_valid(a->comment))
        return cli_usage("keygen", "--comment: at most %d bytes, no control characters or newlines",
                         FWS_KEY_COMMENT_MAX);
    if ((rc = cli_check_passphrase_src("keygen", &a->pp)))
        return rc;
    if (a->no_pass && (a->pp.file || a->pp.env))
        return cli_usage("keygen", "--no-passphrase contradicts --passphrase-%s",
                         a->pp.file ? "file" : "env");
    if (a->no_pass && a->strength_s)
        return cli_usage("keygen", "--kdf-strength needs a passphrase, not --no-passphrase");
    if (a->pkcs11 && (a->type != FWS_KEY_ED25519 || a->import || a->no_pass || a->strength_s ||
                      a->pp.file || a->pp.env))
        return cli_usage("keygen", "--pkcs11 makes an ed25519 key in the token: no --import, "
                                   "other --type or passphrase options (the token has a PIN)");
    return FWS_EXIT_OK;
}

/* --import: the PEM (or, for --type psk, the PSK file) decides the type,
 * which decides whether a .pub is written. */
static int import_key(keygen_args *a, fws_key *key)
{
    uint8_t seed[32];
    fws_key_type t = FWS_KEY_PSK;
    int rc = a->have_type && a->type == FWS_KEY_PSK ? fws_psk_import_file(a->import, seed)
                                                    : fws_pem_import_file(a->import, &t, seed);
    if (rc == FWS_EXIT_OK && a->have_type && t != a->type)
        rc = cli_usage("keygen", "--type %s, but %s holds an %s key", a->type_s, a->import,
                       fws_key_type_name(t));
    if (rc == FWS_EXIT_OK && fws_key_from_seed(t, seed, key) != 0) {
        diag_error("%s: libsodium rejected the imported key", a->import);
        rc = FWS_EXIT_IO;
    }
    sodium_memzero(seed, sizeof seed);
    a->type = t;
    return rc;
}

/* key_path NULL: the secret key is in the token `token`. */
static void print_written(const keygen_args *a, const char *key_path, const char *pub_path,
                          const fws_key *key, const char *token)
{
    char idhex[2 * FWS_KEYID_LEN + 1];
    fws_key_id_hex(key->id, idhex);
    if (a->json) {
        json_writer j;
        json_init(&j, stdout);
        json_begin(&j, NULL, '{');
        json_str(&j, "type", fws_key_type_name(a->type));
        if (key_path)
            json_str(&j, "secret_key", key_path);
        else
            json_null(&j, "secret_key");
        if (token)
            json_str(&j, "token", token);
        if (pub_path)
            json_str(&j, "public_key", pub_path);
        else
            json_null(&j, "public_key");
        json_str(&j, "key_id", idhex);
        if (!token)
            json_bool(&j, "encrypted", !a->no_pass);
        json_end(&j, '}');
        return;
    }
    if (token)
        printf("secret key: in the token (pkcs11 %s), never exported\n", token);
    else
        printf("secret key: %s (%s, %s)\n", key_path, fws_key_type_name(a->type),
               a->no_pass ? "NOT encrypted" : "encrypted with the passphrase");
    if (pub_path)
        printf("public key: %s\n", pub_path);
    else
        printf("public key: none (a psk has no public part; give %s to --encrypt-to)\n",
               key_path);
    printf("key id:     %s\n", idhex);
}

/* --pkcs11: the pair is made in the token; NAME.pub is all that is written. */
static int keygen_in_token(const keygen_args *a)
{
    char *pub_path = with_ext(a->out, ".pub");
    fws_keyfile_write_opts wo = {a->comment, NULL, 0, FWS_KDF_INTERACTIVE, a->force};
    pkcs11_token *t = NULL;
    fws_key key;
    int rc;
    memset(&key, 0, sizeof key);
    key.type = FWS_KEY_ED25519;
    if ((a->force || !(rc = fws_keyfile_refuse_existing(NULL, pub_path))) &&
        !(rc = pkcs11_token_open(a->pkcs11, 1, &t)) && !(rc = pkcs11_token_generate(t, key.pub))) {
        fws_key_compute_id(FWS_KEY_ED25519, key.pub, key.id);
        if ((rc = fws_keyfile_write(NULL, pub_path, &key, &wo)) == FWS_EXIT_OK)
            print_written(a, NULL, pub_path, &key, pkcs11_token_describe(t));
    }
    pkcs11_token_close(t);
    free(pub_path);
    return rc;
}

int cmd_keygen(int argc, char **argv)
{
    keygen_args a = {.type = FWS_KEY_ED25519, .strength = FWS_KDF_INTERACTIVE};
    fws_keyfile_write_opts wo;
    char *key_path = NULL, *pub_path = NULL, pass[FWS_PASSPHRASE_BUF];
    size_t plen = 0;
    fws_key key;
    int rc = parse_args(&a, argc, argv);

    if (rc)
        return rc < 0 ? FWS_EXIT_OK : rc;
    if (a.pkcs11)
        return keygen_in_token(&a);
    memset(&key, 0, sizeof key);
    key_path = with_ext(a.out, ".key");
    if (a.import && (rc = import_key(&a, &key)))
        goto out;
    if (a.type != FWS_KEY_PSK)
        pub_path = with_ext(a.out, ".pub");
    /* Refuse before asking for anything if a file is in the way. */
    if (!a.force && (rc = fws_keyfile_refuse_existing(key_path, pub_path)))
        goto out;
    if (!a.import && fws_key_generate(a.type, &key) != 0) {
        diag_error("key generation failed");
        rc = FWS_EXIT_IO;
        goto out;
    }
    if (!a.no_pass && (rc = fws_passphrase_get(&a.pp, key_path, 1, pass, &plen)) != FWS_EXIT_OK)
        goto out;
    wo = (fws_keyfile_write_opts){a.comment, a.no_pass ? NULL : pass, plen, a.strength, a.force};
    if ((rc = fws_keyfile_write(key_path, pub_path, &key, &wo)) == FWS_EXIT_OK)
        print_written(&a, key_path, pub_path, &key, NULL);
out:
    sodium_memzero(pass, sizeof pass);
    fws_key_wipe(&key);
    free(key_path);
    free(pub_path);
    return rc;
}
