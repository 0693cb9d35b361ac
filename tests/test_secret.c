/* SPDX-License-Identifier: MIT */
/*
 * `fwseal secret`: a device's secret for the factory programmer, checked
 * against the key loaded in-process; what it refuses (signing keys, raw
 * bytes to a terminal, public key files) and how it writes (0600, never
 * over an existing file without --force).
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "keyfile.h"

static fixture fx;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    fx_init(&fx);
}
static void teardown(void)
{
    fx_free(&fx);
}
TestSuite(secret, .init = setup, .fini = teardown, .timeout = 60);

static void load_key(const char *name, fws_key *k)
{
    char *p = fx_path(&fx, name);
    cr_assert_eq(fws_key_load(p, NULL, k), 0, "cannot load %s", name);
    free(p);
}

static run_result secret(const char *args)
{
    return fx_fwseal(&fx, "secret %s", args);
}

Test(secret, hex_raw_and_c_are_the_key_files_secret)
{
    fws_key dev, psk;
    char hex[65];
    load_key("dev.key", &dev);
    load_key("psk.key", &psk);

    run_result r = secret("dev.key --format hex");
    cr_assert_eq(r.status, 0, "%s", r.err);
    sodium_bin2hex(hex, sizeof hex, dev.secret, 32);
    cr_assert_eq(strlen(r.out), 65);
    cr_assert(!strncmp(r.out, hex, 64) && r.out[64] == '\n', "%s", r.out);
    cr_assert(strstr(r.err, "warning: writing the SECRET x25519 key") &&
                  strstr(r.err, "can decrypt every update made for this device"), "%s", r.err);
    run_free(&r);

    r = secret("psk.key --format raw -o psk.raw");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *p = fx_path(&fx, "psk.raw");
    size_t len;
    uint8_t *raw = file_read(p, &len);
    cr_assert(raw && len == 32 && !memcmp(raw, psk.secret, 32));
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
    free(raw);
    free(p);

    r = secret("dev.key --format c --name my_key");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char line[16];
    snprintf(line, sizeof line, "0x%02x, 0x%02x,", dev.secret[0], dev.secret[1]);
    cr_assert(strstr(r.out, "SECRET.") && strstr(r.out, "static const uint8_t my_key[32] = {") &&
                  strstr(r.out, line) && strstr(r.out, "#ifndef MY_KEY_H"), "%s", r.out);
    run_free(&r);
    r = secret("psk.key --format c");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "static const uint8_t fws_device_psk[32]"), "%s", r.out);
    run_free(&r);
    fws_key_wipe(&dev);
    fws_key_wipe(&psk);
}

/* The C header compiles, and its bytes are the secret. */
Test(secret, c_header_compiles)
{
    fws_key dev;
    load_key("dev.key", &dev);
    run_result r = run("cd '%s' && %s secret dev.key --format c -o s.h 2>/dev/null && "
                       "printf '#include <stdio.h>\\n#include \"s.h\"\\nint main(void) { for "
                       "(int i = 0; i < 32; i++) printf(\"%%%%02x\", fws_device_x25519_secret[i]); "
                       "return 0; }\\n' > s.c && cc -std=c99 -Wall -Werror -o s s.c && ./s",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, dev.secret, 32);
    cr_assert_str_eq(r.out, hex);
    run_free(&r);
    fws_key_wipe(&dev);
}

Test(secret, signing_keys_need_explicit_consent)
{
    fws_key sign;
    char hex[65];
    run_result r = secret("sign1.key --format hex");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "sign1.key is an Ed25519 signing key, not a device key") &&
                  strstr(r.err, "--export-signing-key"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    load_key("sign1.key", &sign);
    r = secret("sign1.key --format hex --export-signing-key");
    cr_assert_eq(r.status, 0, "%s", r.err);
    sodium_bin2hex(hex, sizeof hex, sign.secret, 32);   /* the RFC 8032 seed */
    cr_assert(!strncmp(r.out, hex, 64), "%s", r.out);
    cr_assert(strstr(r.err, "can sign releases for every device that trusts it"), "%s", r.err);
    run_free(&r);
    fws_key_wipe(&sign);
}

Test(secret, raw_never_to_a_terminal)
{
    run_result r = run("command -v script >/dev/null");
    if (r.status != 0) {
        run_free(&r);
        cr_skip_test("script(1) not installed: no pseudo-terminal to test with");
    }
    run_free(&r);
    r = run("cd '%s' && script -qec '%s secret dev.key --format raw' /dev/null", fx.dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "refusing to write a raw secret key to a terminal"), "%s", r.out);
    run_free(&r);
    /* hex on a terminal: written, with the warning */
    r = run("cd '%s' && script -qec '%s secret dev.key --format hex' /dev/null", fx.dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "warning: writing the SECRET"), "%s", r.out);
    run_free(&r);
}

Test(secret, passphrase_protected_key)
{
    fws_key k;
    fws_passphrase_src pp = {NULL, "FWS_TEST_PW"};
    char hex[65], *p = fx_path(&fx, "locked.key");
    run_result r = run("cd '%s' && FWS_TEST_PW=pw %s keygen --type x25519 -o locked "
                       "--passphrase-env FWS_TEST_PW --kdf-strength interactive >/dev/null && "
                       "FWS_TEST_PW=pw %s secret locked.key --format hex "
                       "--passphrase-env FWS_TEST_PW",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    setenv("FWS_TEST_PW", "pw", 1);
    cr_assert_eq(fws_key_load(p, &pp, &k), 0);
    sodium_bin2hex(hex, sizeof hex, k.secret, 32);
    cr_assert(!strncmp(r.out, hex, 64));
    run_free(&r);
    r = run("cd '%s' && FWS_TEST_PW=wrong %s secret locked.key --format hex "
            "--passphrase-env FWS_TEST_PW", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "wrong passphrase"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    fws_key_wipe(&k);
    free(p);
}

Test(secret, refusals)
{
    static const fx_refusal cases[] = {
        {3, "dev.pub: a public key file has no secret", "dev.pub --format hex"},
        {2, "missing --format c|hex|raw", "dev.key"},
        {2, "--format: 'pem' is not c, hex or raw", "dev.key --format pem"},
        {2, "--name applies to --format c only", "dev.key --format hex --name x"},
        {2, "--name: '2x' is not a C identifier", "dev.key --format c --name 2x"},
        {2, "--name: 'int' is not a C identifier", "dev.key --format c --name int"},
        {2, "missing the key file", "--format hex"},
        {2, "one key file only", "dev.key psk.key --format hex"},
        {2, "-o: empty file name", "dev.key --format hex -o ''"},
        {3, "missing.key", "missing.key --format hex"},
        {2, "give --passphrase-file or --passphrase-env, not both",
         "dev.key --format hex --passphrase-env A --passphrase-file B"},
        {2, "unknown option '--frmat' (did you mean --format?)", "dev.key --format hex --frmat c"},
    };
    fx_fwseal_refusals(&fx, "secret", cases, sizeof cases / sizeof cases[0]);
}


Test(secret, never_overwrites_without_force)
{
    char *p = fx_write(&fx, "out.hex", "keep", 4);
    run_result r = secret("dev.key --format hex -o out.hex");
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "out.hex") && strstr(r.err, "exists"), "%s", r.err);
    run_free(&r);
    size_t len;
    uint8_t *b = file_read(p, &len);
    cr_assert(len == 4 && !memcmp(b, "keep", 4));
    free(b);
    r = secret("dev.key --format hex -o out.hex --force");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    b = file_read(p, &len);
    cr_assert_eq(len, 65);
    free(b);
    struct stat st;
    cr_assert_eq(stat(p, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    free(p);
}
