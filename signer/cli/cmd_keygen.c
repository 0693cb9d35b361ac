/*
 * fwseal keygen: generate (or import) a key and write NAME.key / NAME.pub.
 */
#include "cli.h"
#include "keyfile.h"
#include "passphrase.h"
#include "pem_import.h"
#include "psk_import.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char keygen_usage[] =
    "usage: fwseal keygen --type ed25519|x25519|psk -o NAME [options]\n"
    "       fwseal keygen --import KEY.pem -o NAME [options]\n"
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
    "  --import FILE         import an OpenSSL PKCS#8 PEM Ed25519 or X25519 private\n"
    "                        key ('openssl genpkey -algorithm ed25519'); --type may\n"
    "                        be omitted and must agree if given.  With --type psk:\n"
    "                        an existing PSK, 32 raw bytes or 64 hex digits\n"
    "  --passphrase-file F   the passphrase is the first line of F\n"
    "  --passphrase-env VAR  the passphrase is the value of environment variable VAR\n"
    "  --no-passphrase       store the secret unencrypted (still checksummed)\n"
    "  --kdf-strength S      Argon2id cost: interactive (default; 64 MiB),\n"
    "                        moderate (256 MiB) or sensitive (1 GiB)\n"
    "  --comment TEXT        comment on the first line of the files (printable,\n"
    "                        at most 256 bytes)\n"
    "  --force               replace existing files\n"
    "  -h, --help            show this help\n"
    "\n"
    "Without --passphrase-file, --passphrase-env or --no-passphrase the passphrase\n"
    "is asked twice on the terminal.  Passphrases are never read from the command\n"
    "line; an empty passphrase is refused.  File format: docs/KEYS.md.\n"
    "\n"
    "exit status: 0 written, 2 usage, 3 I/O, bad input file or no passphrase\n";

/* "NAME" -> "NAME.key" / "NAME.pub", dropping a trailing ".key"/".pub". */
static char *with_ext(const char *base, const char *ext)
{
    size_t n = strlen(base);
    char *p;
    if (n > 4 && (!strcmp(base + n - 4, ".key") || !strcmp(base + n - 4, ".pub")))
        n -= 4;
    p = xmalloc(n + 5);
    memcpy(p, base, n);
    memcpy(p + n, ext, 5);
    return p;
}

int cmd_keygen(int argc, char **argv)
{
    const char *type_s = NULL, *out = NULL, *import = NULL, *comment = NULL, *strength_s = NULL;
    fws_passphrase_src pp = {NULL, NULL};
    fws_keyfile_write_opts wo;
    fws_kdf_strength strength = FWS_KDF_INTERACTIVE;
    fws_key_type type = FWS_KEY_ED25519;
    int no_pass = 0, force = 0, have_type = 0, i, m, rc = FWS_EXIT_IO;
    char *key_path = NULL, *pub_path = NULL;
    char pass[FWS_PASSPHRASE_BUF];
    size_t plen = 0;
    fws_key key;
    char idhex[2 * FWS_KEYID_LEN + 1];
    struct stat st;

    memset(&key, 0, sizeof key);
    memset(&wo, 0, sizeof wo);
    for (i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(keygen_usage, stdout);
            return FWS_EXIT_OK;
        }
        if (!strcmp(a, "--no-passphrase")) {
            no_pass = 1;
            continue;
        }
        if (!strcmp(a, "--force")) {
            force = 1;
            continue;
        }
        if (!strcmp(a, "--passphrase") || !strncmp(a, "--passphrase=", 13) ||
            !strcmp(a, "--password") || !strncmp(a, "--password=", 11))
            return cli_usage("keygen", "passphrases are never taken from the command line; "
                                       "use --passphrase-file F or --passphrase-env VAR");
        if ((m = cli_opt_value("keygen", argc, argv, &i, "--type", NULL, &type_s)) ||
            (m = cli_opt_value("keygen", argc, argv, &i, "--output", "-o", &out)) ||
            (m = cli_opt_value("keygen", argc, argv, &i, "--import", NULL, &import)) ||
            (m = cli_opt_value("keygen", argc, argv, &i, "--comment", NULL, &comment)) ||
            (m = cli_opt_value("keygen", argc, argv, &i, "--kdf-strength", NULL, &strength_s)) ||
            (m = cli_opt_value("keygen", argc, argv, &i, "--passphrase-file", NULL, &pp.file)) ||
            (m = cli_opt_value("keygen", argc, argv, &i, "--passphrase-env", NULL, &pp.env))) {
            if (m < 0)
                return FWS_EXIT_USAGE;
            continue;
        }
        if (a[0] == '-' && a[1])
            return cli_usage("keygen", "unknown option '%s'", a);
        return cli_usage("keygen", "unexpected argument '%s' (the output is -o NAME)", a);
    }

    if (!out || !*out)
        return cli_usage("keygen", "missing -o NAME (the files are NAME.key and NAME.pub)");
    if (type_s) {
        if (fws_key_type_parse(type_s, &type))
            return cli_usage("keygen", "--type: unknown key type '%s' (ed25519, x25519, psk)",
                             type_s);
        have_type = 1;
    } else if (!import) {
        return cli_usage("keygen", "missing --type ed25519|x25519|psk");
    }
    if (strength_s && fws_kdf_strength_parse(strength_s, &strength))
        return cli_usage("keygen", "--kdf-strength: '%s' is not interactive, moderate or "
                                   "sensitive",
                         strength_s);
    if (comment && fws_key_comment_valid(comment))
        return cli_usage("keygen", "--comment: at most %d bytes, no control characters or "
                                   "newlines",
                         FWS_KEY_COMMENT_MAX);
    if ((rc = cli_check_passphrase_src("keygen", &pp)))
        return rc;
    if (no_pass && (pp.file || pp.env))
        return cli_usage("keygen", "--no-passphrase contradicts --passphrase-%s",
                         pp.file ? "file" : "env");
    if (no_pass && strength_s)
        return cli_usage("keygen", "--kdf-strength needs a passphrase, not --no-passphrase");

    key_path = with_ext(out, ".key");
    pub_path = with_ext(out, ".pub");

    /* Import first: the PEM decides the type, which decides whether a
     * .pub is written. */
    if (import) {
        uint8_t seed[32];
        fws_key_type t = FWS_KEY_PSK;
        rc = have_type && type == FWS_KEY_PSK ? fws_psk_import_file(import, seed)
                                             : fws_pem_import_file(import, &t, seed);
        if (rc == FWS_EXIT_OK && have_type && t != type) {
            rc = cli_usage("keygen", "--type %s, but %s holds an %s key", type_s, import,
                           fws_key_type_name(t));
        }
        if (rc == FWS_EXIT_OK && fws_key_from_seed(t, seed, &key) != 0) {
            diag_error("%s: libsodium rejected the imported key", import);
            rc = FWS_EXIT_IO;
        }
        sodium_memzero(seed, sizeof seed);
        if (rc != FWS_EXIT_OK)
            goto out;
        type = t;
    }
    if (type == FWS_KEY_PSK) {
        free(pub_path);
        pub_path = NULL;
    }

    /* Refuse before asking for anything if a file is in the way. */
    if (!force) {
        int exists = 0;
        if (lstat(key_path, &st) == 0) {
            diag_error("%s: already exists (use --force to overwrite); nothing written",
                      key_path);
            exists = 1;
        }
        if (pub_path && lstat(pub_path, &st) == 0) {
            diag_error("%s: already exists (use --force to overwrite); nothing written",
                      pub_path);
            exists = 1;
        }
        if (exists) {
            rc = FWS_EXIT_IO;
            goto out;
        }
    }

    if (!import && fws_key_generate(type, &key) != 0) {
        diag_error("key generation failed");
        rc = FWS_EXIT_IO;
        goto out;
    }
    if (!no_pass && (rc = fws_passphrase_get(&pp, key_path, 1, pass, &plen)) != FWS_EXIT_OK)
        goto out;

    wo.comment = comment;
    wo.passphrase = no_pass ? NULL : pass;
    wo.passphrase_len = plen;
    wo.strength = strength;
    wo.force = force;
    rc = fws_keyfile_write(key_path, pub_path, &key, &wo);
    if (rc != FWS_EXIT_OK)
        goto out;

    fws_key_id_hex(key.id, idhex);
    printf("secret key: %s (%s, %s)\n", key_path, fws_key_type_name(type),
           no_pass ? "NOT encrypted" : "encrypted with the passphrase");
    if (pub_path)
        printf("public key: %s\n", pub_path);
    else
        printf("public key: none (a psk has no public part; give %s to --encrypt-to)\n",
               key_path);
    printf("key id:     %s\n", idhex);
out:
    sodium_memzero(pass, sizeof pass);
    fws_key_wipe(&key);
    free(key_path);
    free(pub_path);
    return rc;
}
