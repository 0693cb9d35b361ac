/* SPDX-License-Identifier: MIT */
/*
 * `fwseal keygen --import` of OpenSSL PKCS#8 keys (RFC 8410), and the
 * matching PEM export.  Oracles: openssl itself (genpkey, pkey -pubout,
 * pkeyutl -verify), and the RFC 8410 / RFC 7748 examples typed in by hand.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"
#include "pem_import.h"
#include "pubkey_export.h"
#include "testutil.h"

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
}

TestSuite(keys_import, .init = setup, .timeout = 120);

static int quiet_saved = -1;

static void quiet_begin(void)
{
    int nul;
    fflush(stderr);
    quiet_saved = dup(2);
    nul = open("/dev/null", O_WRONLY);
    dup2(nul, 2);
    close(nul);
}

static void quiet_end(void)
{
    fflush(stderr);
    dup2(quiet_saved, 2);
    close(quiet_saved);
}

static void unhex(const char *h, uint8_t *out, size_t n)
{
    size_t got = 0;
    cr_assert(sodium_hex2bin(out, n, h, strlen(h), NULL, &got, NULL) == 0 && got == n);
}

/* Hex of the last 32 bytes of a DER file produced by an openssl command. */
static void openssl_tail_hex(const char *cmd, char hex[65])
{
    run_result r = run("%s | od -An -v -tx1 | tr -d ' \\n'", cmd);
    size_t n = strlen(r.out);
    cr_assert_eq(r.status, 0, "%s: %s", cmd, r.err);
    cr_assert(n >= 64, "%s: %s", cmd, r.out);
    memcpy(hex, r.out + n - 64, 65);
    run_free(&r);
}

Test(keys_import, openssl_generated_keys)
{
    static const char *algs[2] = {"ed25519", "x25519"};
    char *dir = tmpdir_new();
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 2; i++) {
            char cmd[512], pubhex[65], privhex[65], mine[65];
            char *kp = path_fmt("%s/%s%d.key", dir, algs[i], round);
            fws_key k;
            run_result r = run("cd '%s' && openssl genpkey -algorithm %s -out %s%d.pem", dir,
                               algs[i], algs[i], round);
            cr_assert_eq(r.status, 0, "%s", r.err);
            run_free(&r);
            /* round 0: --type given; 1: omitted; 2: given, and encrypted */
            r = run("cd '%s' && P=pw %s keygen --import %s%d.pem -o %s%d %s %s", dir,
                    FWSEAL_BIN, algs[i], round, algs[i], round,
                    round == 1 ? "" : (i == 0 ? "--type ed25519" : "--type x25519"),
                    round == 2 ? "--passphrase-env P" : "--no-passphrase");
            cr_assert_eq(r.status, 0, "%s", r.err);
            run_free(&r);

            snprintf(cmd, sizeof cmd, "openssl pkey -in '%s/%s%d.pem' -pubout -outform DER",
                     dir, algs[i], round);
            openssl_tail_hex(cmd, pubhex);
            snprintf(cmd, sizeof cmd, "openssl pkey -in '%s/%s%d.pem' -outform DER", dir,
                     algs[i], round);
            openssl_tail_hex(cmd, privhex);

            setenv("P", "pw", 1);
            {
                fws_passphrase_src pp = {NULL, "P"};
                quiet_begin();
                cr_assert_eq(fws_key_load(kp, &pp, &k), FWS_EXIT_OK);
                quiet_end();
            }
            cr_assert_eq(k.type, i == 0 ? FWS_KEY_ED25519 : FWS_KEY_X25519);
            sodium_bin2hex(mine, sizeof mine, k.pub, 32);
            cr_assert_str_eq(mine, pubhex, "public key differs from openssl's");
            sodium_bin2hex(mine, sizeof mine, k.secret, 32);
            cr_assert_str_eq(mine, privhex, "private key differs from the PEM's");

            /* `fwseal pubkey --format pem` = `openssl pkey -pubout`, byte for byte */
            r = run("cd '%s' && %s pubkey %s%d.pub --format pem > ours.pem && "
                    "openssl pkey -in %s%d.pem -pubout > theirs.pem && cmp ours.pem theirs.pem",
                    dir, FWSEAL_BIN, algs[i], round, algs[i], round);
            cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
            run_free(&r);

            if (i == 0) {
                /* a signature made with the imported key verifies in openssl */
                uint8_t msg[100], sig[64];
                char *mp = path_fmt("%s/msg", dir), *sp = path_fmt("%s/sig", dir);
                fill_random(msg, sizeof msg, (uint64_t)round);
                crypto_sign_detached(sig, NULL, msg, sizeof msg, k.secret);
                file_write(mp, msg, sizeof msg);
                file_write(sp, sig, sizeof sig);
                r = run("cd '%s' && openssl pkeyutl -verify -pubin -inkey theirs.pem -rawin "
                        "-in msg -sigfile sig",
                        dir);
                cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
                run_free(&r);
                free(mp);
                free(sp);
            }
            fws_key_wipe(&k);
            free(kp);
        }
    }
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_import, rfc8410_example_key)
{
    /* RFC 8410 section 10.3 (private key) and 10.1 (its public key). */
    const char *pem = "-----BEGIN PRIVATE KEY-----\n"
                      "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
                      "-----END PRIVATE KEY-----\n";
    const char *pub_pem = "-----BEGIN PUBLIC KEY-----\n"
                          "MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
                          "-----END PUBLIC KEY-----\n";
    uint8_t seed[32], want_seed[32], want_pub[32];
    fws_key_type t;
    fws_key k;
    char text[FWS_PUBKEY_TEXT_MAX];
    size_t len;

    unhex("d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842", want_seed, 32);
    unhex("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1", want_pub, 32);
    cr_assert_eq(fws_pem_import_parse("rfc.pem", pem, strlen(pem), &t, seed), FWS_EXIT_OK);
    cr_assert_eq(t, FWS_KEY_ED25519);
    cr_assert(!memcmp(seed, want_seed, 32));
    cr_assert(fws_key_from_seed(t, seed, &k) == 0);
    cr_assert(!memcmp(k.pub, want_pub, 32));
    cr_assert(fws_pubkey_format_text(&k, FWS_PUBFMT_PEM, NULL, text, sizeof text, &len) == 0);
    cr_assert_str_eq(text, pub_pem);
    cr_assert(fws_pubkey_format_text(&k, FWS_PUBFMT_HEX, NULL, text, sizeof text, &len) == 0);
    cr_assert_str_eq(text, "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1\n");
    cr_assert_eq(len, 65);
    /* CRLF line ends and text before the block are fine */
    {
        const char *crlf = "Key for tests\r\n-----BEGIN PRIVATE KEY-----\r\n"
                           "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\r\n"
                           "-----END PRIVATE KEY-----\r\n";
        cr_assert_eq(fws_pem_import_parse("rfc.pem", crlf, strlen(crlf), &t, seed),
                     FWS_EXIT_OK);
        cr_assert(!memcmp(seed, want_seed, 32));
    }
}

Test(keys_import, rfc7748_x25519_built_from_template)
{
    /* RFC 7748 6.1 Alice, wrapped in the RFC 8410 PKCS#8 template. */
    static const uint8_t prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                       0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20};
    uint8_t der[48], seed[32], want_pub[32], spki[FWS_SPKI_DER_LEN];
    char b64[80], *pem;
    fws_key_type t;
    fws_key k;
    memcpy(der, prefix, 16);
    unhex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", der + 16, 32);
    unhex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", want_pub, 32);
    sodium_bin2base64(b64, sizeof b64, der, 48, sodium_base64_VARIANT_ORIGINAL);
    pem = path_fmt("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n", b64);
    cr_assert_eq(fws_pem_import_parse("alice.pem", pem, strlen(pem), &t, seed), FWS_EXIT_OK);
    cr_assert_eq(t, FWS_KEY_X25519);
    cr_assert(fws_key_from_seed(t, seed, &k) == 0);
    cr_assert(!memcmp(k.pub, want_pub, 32));
    cr_assert(fws_pubkey_spki_der(t, k.pub, spki) == 0);
    cr_assert(!memcmp(spki, "\x30\x2a\x30\x05\x06\x03\x2b\x65\x6e\x03\x21\x00", 12));
    cr_assert(!memcmp(spki + 12, want_pub, 32));
    cr_assert(fws_pubkey_spki_der(FWS_KEY_PSK, k.pub, spki) == -1);
    free(pem);
}

Test(keys_import, every_der_header_byte_is_checked)
{
    /* Flipping any of the 16 structure bytes must be refused; flipping key
     * bytes gives another key. */
    static const uint8_t prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                       0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    uint8_t der[48], seed[32];
    char b64[80], *pem;
    fws_key_type t;
    memcpy(der, prefix, 16);
    fill_random(der + 16, 32, 3);
    for (int i = 0; i < 48; i++) {
        for (int m = 0; m < 8; m++) {
            int rc;
            der[i] ^= (uint8_t)(1u << m);
            sodium_bin2base64(b64, sizeof b64, der, 48, sodium_base64_VARIANT_ORIGINAL);
            pem = path_fmt("-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n", b64);
            quiet_begin();
            rc = fws_pem_import_parse("x.pem", pem, strlen(pem), &t, seed);
            quiet_end();
            if (i < 16)
                cr_assert_eq(rc, FWS_EXIT_IO, "byte %d bit %d accepted", i, m);
            else
                cr_assert(rc == FWS_EXIT_OK && t == FWS_KEY_ED25519 &&
                              !memcmp(seed, der + 16, 32),
                          "byte %d", i);
            der[i] ^= (uint8_t)(1u << m);
            free(pem);
        }
    }
}

static void expect_cli_reject(const char *dir, const char *make_pem, const char *want)
{
    run_result r = run("cd '%s' && rm -f bad.pem out.* && %s && %s keygen --import bad.pem "
                       "-o out --no-passphrase",
                       dir, make_pem, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s: status %d: %s", make_pem, r.status, r.err);
    cr_assert(strstr(r.err, "bad.pem: ") && strstr(r.err, want), "%s: wanted \"%s\", got %s",
              make_pem, want, r.err);
    run_free(&r);
    r = run("cd '%s' && ls out.* 2>/dev/null", dir);
    cr_assert_str_eq(r.out, "", "files written: %s", r.out);
    run_free(&r);
}

Test(keys_import, other_keys_are_refused_clearly)
{
    char *dir = tmpdir_new();
    expect_cli_reject(dir,
                      "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 "
                      "-out bad.pem 2>/dev/null",
                      "an RSA key (OID 1.2.840.113549.1.1.1)");
    expect_cli_reject(dir,
                      "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
                      "-out bad.pem",
                      "elliptic-curve");
    expect_cli_reject(dir, "openssl genpkey -algorithm ed448 -out bad.pem",
                      "an Ed448 key (OID 1.3.101.113)");
    expect_cli_reject(dir, "openssl genpkey -algorithm x448 -out bad.pem", "an X448 key");
    expect_cli_reject(dir,
                      "openssl genpkey -algorithm ed25519 -aes-128-cbc -pass pass:x "
                      "-out bad.pem",
                      "encrypted PKCS#8");
    expect_cli_reject(dir,
                      "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 "
                      "2>/dev/null | openssl pkey -traditional -out bad.pem",
                      "an RSA key (PKCS#1)");
    expect_cli_reject(dir, "openssl genpkey -algorithm ed25519 | openssl pkey -pubout -out bad.pem",
                      "a public key");
    expect_cli_reject(dir, "echo 'just some text' > bad.pem", "not a PEM file");
    expect_cli_reject(dir, ": > bad.pem", "not a PEM file");
    expect_cli_reject(dir,
                      "printf -- '-----BEGIN PRIVATE KEY-----\\nMC4CAQAw$$$\\n"
                      "-----END PRIVATE KEY-----\\n' > bad.pem",
                      "invalid character in the PEM body");
    expect_cli_reject(dir,
                      "printf -- '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1h\\n"
                      "-----END PRIVATE KEY-----\\n' > bad.pem",
                      "invalid base64");
    expect_cli_reject(dir,
                      "printf -- '-----BEGIN PRIVATE KEY-----\\n"
                      "MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\\n' "
                      "> bad.pem",
                      "truncated PEM");
    expect_cli_reject(dir,
                      "printf -- '-----BEGIN PRIVATE KEY-----\\n-----END PRIVATE KEY-----\\n' "
                      "> bad.pem",
                      "empty PEM body");
    expect_cli_reject(dir, "head -c 70000 /dev/zero > bad.pem", "larger than");
    /* An Ed25519 v2 key (with the public key, RFC 8410 10.3's second
     * example) is not the plain form. */
    expect_cli_reject(dir,
                      "printf -- '-----BEGIN PRIVATE KEY-----\\n"
                      "MHICAQEwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\\n"
                      "oB8wHQYKKoZIhvcNAQkJFDEPDA1DdXJkbGUgQ2hhaXJzgSEAGb9ECWmEzf6FQbrB\\n"
                      "Z9w7lshQhqowtrbLDFw4rXAxZuE=\\n-----END PRIVATE KEY-----\\n' > bad.pem",
                      "not in the plain RFC 8410 form");
    {
        run_result r = run("cd '%s' && %s keygen --import missing.pem -o out --no-passphrase",
                           dir, FWSEAL_BIN);
        cr_assert_eq(r.status, 3);
        cr_assert(strstr(r.err, "missing.pem: cannot open"), "%s", r.err);
        run_free(&r);
    }
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_import, type_must_agree)
{
    char *dir = tmpdir_new();
    run_result r = run("cd '%s' && openssl genpkey -algorithm x25519 -out x.pem && "
                       "%s keygen --import x.pem --type ed25519 -o out --no-passphrase",
                       dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "--type ed25519, but x.pem holds an x25519 key"), "%s", r.err);
    run_free(&r);
    r = run("ls -A '%s'", dir);
    cr_assert_str_eq(r.out, "x.pem\n");
    run_free(&r);
    /* importing refuses to overwrite like generating does */
    r = run("cd '%s' && %s keygen --import x.pem -o out --no-passphrase && "
            "%s keygen --import x.pem -o out --no-passphrase",
            dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "already exists"), "%s", r.err);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}

/* --import - reads standard input: an OpenSSL key piped in never touches
 * the disk in the clear.  The key is the one the file would give. */
Test(keys_import, from_standard_input)
{
    char *dir = tmpdir_new();
    run_result r = run("cd '%s' && openssl genpkey -algorithm ed25519 -out k.pem 2>/dev/null && "
                       "%s keygen --import k.pem -o file --no-passphrase >/dev/null && "
                       "cat k.pem | %s keygen --import - -o pipe --no-passphrase && "
                       "cmp file.pub pipe.pub && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \\n' "
                       "> psk.hex && %s keygen --type psk --import - -o p --no-passphrase < psk.hex",
                       dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && echo junk | %s keygen --import - -o bad --no-passphrase", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "standard input: "), "%s", r.err);
    run_free(&r);
    tmpdir_remove(dir);
}
