/* SPDX-License-Identifier: MIT */
/* Information disclosure from the public manifest (format/SPEC.md 3.6,
 * 3.7; docs/THREAT_MODEL.md): an encrypted container's digests confirm no
 * guess of the plaintext and link no releases; padding hides sizes. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fixture fx;
static void setup(void) { fx_init(&fx); }
static void teardown(void) { fx_free(&fx); }
TestSuite(disclosure, .init = setup, .fini = teardown, .timeout = 120);

/* The n-th value of key in fwseal inspect --json output (hex or number),
 * copied to out. */
static void json_nth(const char *json, const char *key, int n, char *out, size_t cap)
{
    char pat[64];
    const char *p = json;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    for (int i = 0; i <= n; i++) {
        p = strstr(p, pat);
        cr_assert(p, "no %d-th \"%s\" in %s", n, key, json);
        p += strlen(pat);
    }
    if (*p == '"')
        p++;
    size_t len = strcspn(p, "\",}\n");
    cr_assert(len < cap);
    memcpy(out, p, len);
    out[len] = 0;
}

static char *inspect(const char *file)
{
    run_result r = run("cd '%s' && %s inspect %s --json", fx.dir, FWSEAL_BIN, file);
    cr_assert_eq(r.status, 0, "%s", r.err);
    free(r.err);
    return r.out;
}

static void config_with_pin(char *buf, size_t cap, unsigned pin)
{
    snprintf(buf, cap, "# thermostat service settings\nbaud=115200\npin=%04u\n", pin);
}

/* Guesses every 4-digit PIN against the component's public digest, as the
 * review did; returns the PIN found, or -1. */
static int guess_pin(const char *container)
{
    char *json = inspect(container), hex[80], cfg[128];
    uint8_t digest[32], d[32];
    json_nth(json, "digest", 0, hex, sizeof hex);
    cr_assert_eq(sodium_hex2bin(digest, 32, hex, strlen(hex), NULL, NULL, NULL), 0, "%s", hex);
    free(json);
    for (unsigned pin = 0; pin < 10000; pin++) {
        config_with_pin(cfg, sizeof cfg, pin);
        crypto_hash_sha256(d, (const uint8_t *)cfg, strlen(cfg));
        if (!memcmp(d, digest, 32))
            return (int)pin;
    }
    return -1;
}

Test(disclosure, pin_experiment_fails_on_an_encrypted_container)
{
    char cfg[128];
    config_with_pin(cfg, sizeof cfg, 4711);
    free(fx_write(&fx, "cfg.txt", cfg, strlen(cfg)));
    run_result r = fx_pack(&fx, "clear.fws", "--level 0 config=cfg.txt");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_pack(&fx, "enc.fws", "--level 0 --encrypt-to dev.pub config=cfg.txt");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* The control: unencrypted, the digest is SHA-256 and gives the PIN away
     * (so the experiment itself works). */
    cr_assert_eq(guess_pin("clear.fws"), 4711);
    /* Encrypted: 10,000 guesses, no match. */
    cr_assert_eq(guess_pin("enc.fws"), -1, "the encrypted container's manifest confirms the PIN");
    char *json = inspect("enc.fws"), v[80];
    json_nth(json, "digest_type", 0, v, sizeof v);
    cr_assert_str_eq(v, "hmac-sha256");
    cr_assert(strstr(json, "\"sha256\":null"), "%s", json);
    free(json);
}

Test(disclosure, keyed_digests_link_nothing)
{
    uint8_t a[3000];
    char d[4][80];
    fill_text(a, sizeof a, 5);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    run_result r = fx_pack(&fx, "e1.fws", "--encrypt-to dev.pub one=a.bin two=a.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_pack(&fx, "e2.fws", "--encrypt-to dev.pub one=a.bin two=a.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *j1 = inspect("e1.fws"), *j2 = inspect("e2.fws");
    json_nth(j1, "digest", 0, d[0], sizeof d[0]);
    json_nth(j1, "digest", 1, d[1], sizeof d[1]);
    json_nth(j2, "digest", 0, d[2], sizeof d[2]);
    json_nth(j2, "digest", 1, d[3], sizeof d[3]);
    /* Equal components in one release, and the same component in two
     * releases: four unrelated values. */
    for (int i = 0; i < 4; i++)
        for (int k = i + 1; k < 4; k++)
            cr_assert(strcmp(d[i], d[k]), "digests %d and %d are equal: %s", i, k, d[i]);
    free(j1);
    free(j2);
    r = fx_verify(&fx, "e1.fws", "--key dev.key");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

/* --pad-to: the manifest shows only padded sizes; the padding is installed
 * as 0xFF and verified like the rest of the image. */
Test(disclosure, padding_hides_sizes)
{
    uint8_t small[20], big[50], *buf;
    char s1[40], s2[40], t1[40], t2[40];
    fill_random(small, sizeof small, 1);
    fill_random(big, sizeof big, 2);
    free(fx_write(&fx, "small.bin", small, sizeof small));
    free(fx_write(&fx, "big.bin", big, sizeof big));
    for (int level = 0; level <= 9; level += 9) {
        char args[160];
        snprintf(args, sizeof args, "--level %d --pad-to 64 --encrypt-to dev.pub cfg=small.bin",
                 level);
        run_result r = fx_pack(&fx, "p1.fws", args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        snprintf(args, sizeof args, "--level %d --pad-to 64 --encrypt-to dev.pub cfg=big.bin",
                 level);
        r = fx_pack(&fx, "p2.fws", args);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        char *j1 = inspect("p1.fws"), *j2 = inspect("p2.fws");
        json_nth(j1, "size", 0, s1, sizeof s1);
        json_nth(j2, "size", 0, s2, sizeof s2);
        json_nth(j1, "stored_size", 0, t1, sizeof t1);
        json_nth(j2, "stored_size", 0, t2, sizeof t2);
        cr_assert_str_eq(s1, "64");
        cr_assert_str_eq(s2, "64");
        cr_assert_str_eq(t1, t2, "level %d: stored sizes %s and %s", level, t1, t2);
        cr_assert_eq(atoi(t1) % 64, 0, "level %d: stored size %s", level, t1);
        free(j1);
        free(j2);
        /* Both tools install the padded image: input, then 0xFF. */
        r = run("cd '%s' && rm -rf u v && %s unpack p2.fws --trust sign1.pub --class test/class "
                "--key dev.key -o u && %s install p2.fws --trust sign1.pub --class test/class "
                "--key dev.key -o v && cmp u/cfg v/cfg",
                fx.dir, FWSEAL_BIN, FWSV_BIN);
        cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
        run_free(&r);
        size_t n;
        char *p = fx_path(&fx, "u/cfg");
        buf = file_read(p, &n);
        free(p);
        cr_assert_eq(n, 64);
        cr_assert(!memcmp(buf, big, sizeof big));
        for (size_t i = sizeof big; i < n; i++)
            cr_assert_eq(buf[i], 0xFF, "byte %zu", i);
        free(buf);
    }
    /* pow2: 5000 bytes install as 8192. */
    uint8_t *mid = malloc(5000);
    fill_random(mid, 5000, 3);
    free(fx_write(&fx, "mid.bin", mid, 5000));
    free(mid);
    run_result r = fx_pack(&fx, "p3.fws", "--pad-to pow2 app=mid.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *j = inspect("p3.fws");
    json_nth(j, "size", 0, s1, sizeof s1);
    json_nth(j, "stored_size", 0, t1, sizeof t1);
    cr_assert_str_eq(s1, "8192");
    cr_assert_eq(atoi(t1) & (atoi(t1) - 1), 0, "stored size %s is not a power of two", t1);
    free(j);
    r = fx_verify(&fx, "p3.fws", "");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* Bad values are usage errors that write nothing. */
    const char *bad[] = {"--pad-to 0", "--pad-to x", "--pad-to -1", "--pad-to 2000000000000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char args[80];
        snprintf(args, sizeof args, "%s app=mid.bin", bad[i]);
        r = fx_pack(&fx, "bad.fws", args);
        cr_assert_eq(r.status, 2, "%s: %d %s", bad[i], r.status, r.err);
        cr_assert(strstr(r.err, "--pad-to"), "%s", r.err);
        run_free(&r);
        char *p = fx_path(&fx, "bad.fws");
        cr_assert(!file_exists(p));
        free(p);
    }
}

/* A CI gate reads the exit status: with --require-full an encrypted
 * container verified without the device key is not a success. */
Test(disclosure, require_full_refuses_unchecked_components)
{
    uint8_t a[2000];
    fill_text(a, sizeof a, 9);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    run_result r = fx_pack(&fx, "e.fws", "--encrypt-to dev.pub app=a.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "e.fws", "");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "component digests not checked"), "%s", r.out);
    run_free(&r);
    r = fx_verify(&fx, "e.fws", "--require-full --json");
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.out, "\"reason\":\"incomplete\""), "%s", r.out);
    cr_assert(strstr(r.out, "\"accepted\":false"), "%s", r.out);
    run_free(&r);
    r = fx_verify(&fx, "e.fws", "--require-full --key dev.key");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "e.fws", "--require-full --key dev.key --any-class --json");
    cr_assert_eq(r.status, 2, "--class and --any-class together: %s", r.err);
    run_free(&r);
}
