/* SPDX-License-Identifier: MIT */
/*
 * `fwseal keygen` and `fwseal pubkey` through the CLI binary (FWSEAL_BIN),
 * with keys checked in-process against libsodium and openssl as oracles.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"
#include "testutil.h"

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
}

TestSuite(keys_cli, .init = setup, .timeout = 120);

static void oracle_id(fws_key_type t, const uint8_t k[32], uint8_t id[8])
{
    uint8_t buf[48], h[64];
    size_t n = 0;
    if (t == FWS_KEY_PSK) {
        memcpy(buf, "fwseal-v1 psk-id", 16);
        n = 16;
    }
    memcpy(buf + n, k, 32);
    crypto_hash_sha512(h, buf, n + 32);
    memcpy(id, h, 8);
}

/* Loads a key in-process with stderr silenced. */
static int load(const char *path, const fws_passphrase_src *pp, fws_key *k)
{
    int saved, nul, rc;
    fflush(stderr);
    saved = dup(2);
    nul = open("/dev/null", O_WRONLY);
    dup2(nul, 2);
    close(nul);
    rc = fws_key_load(path, pp, k);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    return rc;
}

static void check_key(const fws_key *k, fws_key_type t, const char *keygen_out)
{
    uint8_t pk[32], id[8];
    char idhex[17];
    cr_assert_eq(k->type, t);
    cr_assert(k->has_secret);
    if (t == FWS_KEY_ED25519) {
        crypto_sign_ed25519_sk_to_pk(pk, k->secret);
        cr_assert(!memcmp(pk, k->pub, 32), "ed25519: sk_to_pk differs from pub");
        oracle_id(t, k->pub, id);
    } else if (t == FWS_KEY_X25519) {
        cr_assert(crypto_scalarmult_base(pk, k->secret) == 0);
        cr_assert(!memcmp(pk, k->pub, 32), "x25519: scalarmult_base differs from pub");
        oracle_id(t, k->pub, id);
    } else {
        oracle_id(t, k->secret, id);
    }
    cr_assert(!memcmp(id, k->id, 8), "id is not the SHA-512 prefix");
    sodium_bin2hex(idhex, sizeof idhex, id, 8);
    if (keygen_out)
        cr_assert(strstr(keygen_out, idhex), "keygen did not print the id %s: %s", idhex,
                  keygen_out);
}

static mode_t file_mode(const char *p)
{
    struct stat st;
    cr_assert(stat(p, &st) == 0, "%s missing", p);
    return st.st_mode & 07777;
}

static int same_file(const char *a, const char *b)
{
    size_t la, lb;
    uint8_t *x = file_read(a, &la), *y = file_read(b, &lb);
    int same = x && y && la == lb && !memcmp(x, y, la);
    free(x);
    free(y);
    return same;
}

/* ---- keygen: every type x every passphrase source ------------------- */

Test(keys_cli, keygen_each_type_and_passphrase_source)
{
    static const char *types[3] = {"ed25519", "x25519", "psk"};
    static const fws_key_type tt[3] = {FWS_KEY_ED25519, FWS_KEY_X25519, FWS_KEY_PSK};
    char *dir = tmpdir_new();
    char *pf = path_fmt("%s/pass", dir);
    file_write(pf, "file pass phrase\n", 17);
    chmod(pf, 0600);
    for (int i = 0; i < 3; i++) {
        for (int src = 0; src < 3; src++) {
            char *base = path_fmt("%s/%s-%d", dir, types[i], src);
            char *kp = path_fmt("%s.key", base), *pp = path_fmt("%s.pub", base);
            fws_passphrase_src ps = {NULL, NULL};
            fws_key k, pub;
            run_result r;
            if (src == 0)
                r = run("%s keygen --type %s -o '%s' --no-passphrase", FWSEAL_BIN, types[i],
                        base);
            else if (src == 1)
                r = run("FWS_PW='env pass phrase' %s keygen --type %s -o '%s' "
                        "--passphrase-env FWS_PW",
                        FWSEAL_BIN, types[i], base);
            else
                r = run("%s keygen --type %s -o '%s' --passphrase-file '%s'", FWSEAL_BIN,
                        types[i], base, pf);
            cr_assert_eq(r.status, 0, "%s src %d: %s", types[i], src, r.err);
            cr_assert(strstr(r.out, kp), "%s", r.out);
            if (src == 1) {
                setenv("FWS_PW", "env pass phrase", 1);
                ps.env = "FWS_PW";
            } else if (src == 2) {
                ps.file = pf;
            }
            cr_assert_eq(load(kp, &ps, &k), FWS_EXIT_OK, "%s src %d", types[i], src);
            check_key(&k, tt[i], r.out);
            if (tt[i] == FWS_KEY_PSK) {
                cr_assert(!file_exists(pp), "psk must not get a .pub");
                cr_assert(strstr(r.out, "no public part"), "%s", r.out);
            } else {
                cr_assert_eq(load(pp, NULL, &pub), FWS_EXIT_OK);
                cr_assert(!pub.has_secret);
                cr_assert(!memcmp(pub.pub, k.pub, 32) && !memcmp(pub.id, k.id, 8));
            }
            if (src > 0) {
                /* encrypted: a wrong passphrase fails */
                fws_key bad;
                setenv("FWS_PW_BAD", "wrong", 1);
                ps.file = NULL;
                ps.env = "FWS_PW_BAD";
                cr_assert_eq(load(kp, &ps, &bad), FWS_EXIT_IO);
            }
            run_free(&r);
            free(base);
            free(kp);
            free(pp);
        }
    }
    free(pf);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, key_is_0600_even_under_umask_000)
{
    char *dir = tmpdir_new();
    run_result r = run("umask 000 && cd '%s' && %s keygen --type ed25519 -o k --no-passphrase "
                       "&& %s keygen --type psk -o p --no-passphrase",
                       dir, FWSEAL_BIN, FWSEAL_BIN);
    char *k = path_fmt("%s/k.key", dir), *p = path_fmt("%s/k.pub", dir),
         *psk = path_fmt("%s/p.key", dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(file_mode(k), 0600, "k.key mode %o", file_mode(k));
    cr_assert_eq(file_mode(psk), 0600);
    cr_assert_eq(file_mode(p), 0644, "k.pub mode %o", file_mode(p));
    run_free(&r);
    /* umask 077 narrows the .pub, never widens the .key */
    r = run("umask 077 && cd '%s' && %s keygen --type x25519 -o x --no-passphrase", dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    free(k);
    free(p);
    k = path_fmt("%s/x.key", dir);
    p = path_fmt("%s/x.pub", dir);
    cr_assert_eq(file_mode(k), 0600);
    cr_assert_eq(file_mode(p), 0600);
    run_free(&r);
    free(k);
    free(p);
    /* a umask that strips owner bits: the key is still exactly 0600 */
    r = run("umask 0377 && cd '%s' && %s keygen --type ed25519 -o s --no-passphrase", dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    k = path_fmt("%s/s.key", dir);
    p = path_fmt("%s/s.pub", dir);
    cr_assert_eq(file_mode(k), 0600, "s.key mode %o", file_mode(k));
    cr_assert_eq(file_mode(p), 0400);
    run_free(&r);
    free(k);
    free(p);
    free(psk);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, refuses_to_overwrite_without_force)
{
    char *dir = tmpdir_new();
    char *k = path_fmt("%s/k.key", dir), *p = path_fmt("%s/k.pub", dir);
    char *k0 = path_fmt("%s/k0", dir), *p0 = path_fmt("%s/p0", dir);
    run_result r = run("cd '%s' && %s keygen --type ed25519 -o k --no-passphrase && "
                       "cp k.key k0 && cp k.pub p0",
                       dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);

    r = run("cd '%s' && %s keygen --type ed25519 -o k --no-passphrase", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "k.key: already exists") && strstr(r.err, "--force"), "%s",
              r.err);
    cr_assert(same_file(k, k0) && same_file(p, p0), "files changed");
    run_free(&r);

    /* only k.pub in the way: k.key must not appear */
    unlink(k);
    r = run("cd '%s' && %s keygen --type ed25519 -o k --no-passphrase", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "k.pub: already exists"), "%s", r.err);
    cr_assert(!file_exists(k));
    cr_assert(same_file(p, p0));
    run_free(&r);

    /* -o k.key means the same base name */
    r = run("cd '%s' && cp k0 k.key && %s keygen --type ed25519 -o k.key --no-passphrase", dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.out);
    cr_assert(same_file(k, k0));
    run_free(&r);

    r = run("cd '%s' && %s keygen --type ed25519 -o k --no-passphrase --force", dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(!same_file(k, k0) && !same_file(p, p0), "--force did not replace");
    {
        fws_key a, b;
        cr_assert_eq(load(k, NULL, &a), 0);
        cr_assert_eq(load(p, NULL, &b), 0);
        cr_assert(!memcmp(a.pub, b.pub, 32), "new pair does not match");
        check_key(&a, FWS_KEY_ED25519, r.out);
    }
    run_free(&r);
    r = run("ls -A '%s' | sort | tr '\\n' ' '", dir);
    cr_assert_str_eq(r.out, "k.key k.pub k0 p0 ", "leftovers: %s", r.out);
    run_free(&r);
    free(k);
    free(p);
    free(k0);
    free(p0);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, passphrase_rules)
{
    char *dir = tmpdir_new();
    run_result r;

    /* no such option: usage error 2, and a hint */
    r = run("cd '%s' && %s keygen --type ed25519 -o k --passphrase secret", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "never taken from the command line"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s keygen --type ed25519 -o k --passphrase=secret", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    run_free(&r);

    /* empty env passphrase: refused, pointing at --no-passphrase */
    r = run("cd '%s' && E= %s keygen --type ed25519 -o k --passphrase-env E", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "empty passphrase") && strstr(r.err, "--no-passphrase"), "%s",
              r.err);
    run_free(&r);
    /* unset variable */
    r = run("cd '%s' && unset FWS_NOPE; %s keygen --type ed25519 -o k --passphrase-env FWS_NOPE",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "FWS_NOPE") && strstr(r.err, "not set"), "%s", r.err);
    run_free(&r);
    /* empty passphrase file / just a newline / missing file */
    r = run("cd '%s' && : > e && %s keygen --type ed25519 -o k --passphrase-file e", dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "empty passphrase"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && printf '\\r\\n' > e && %s keygen --type ed25519 -o k "
            "--passphrase-file e",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "empty passphrase"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s keygen --type ed25519 -o k --passphrase-file nope", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "nope: cannot open passphrase file"), "%s", r.err);
    run_free(&r);
    /* over-long passphrase */
    r = run("cd '%s' && head -c 1025 /dev/zero | tr '\\0' a > long && %s keygen --type ed25519 "
            "-o k --passphrase-file long",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "longer than 1024"), "%s", r.err);
    run_free(&r);
    /* nothing was written by any of these */
    r = run("ls -A '%s' | sort | tr '\\n' ' '", dir);
    cr_assert_str_eq(r.out, "e long ", "written: %s", r.out);
    run_free(&r);

    /* passphrase file from stdin with CRLF; world-readable file warns */
    r = run("cd '%s' && printf 'pipe pw\\r\\nrest\\n' | %s keygen --type x25519 -o k "
            "--passphrase-file /dev/stdin",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    {
        char *kp = path_fmt("%s/k.key", dir);
        fws_key k;
        fws_passphrase_src ps = {NULL, "FWS_PW"};
        setenv("FWS_PW", "pipe pw", 1);
        cr_assert_eq(load(kp, &ps, &k), 0, "\\r\\n was not stripped");
        check_key(&k, FWS_KEY_X25519, NULL);
        free(kp);
    }
    r = run("cd '%s' && printf 'pw' > open && chmod 644 open && %s keygen --type psk -o q "
            "--passphrase-file open",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "warning") && strstr(r.err, "readable by others"), "%s", r.err);
    run_free(&r);

    /* contradictory options */
    r = run("cd '%s' && E=x %s keygen --type ed25519 -o z --no-passphrase --passphrase-env E",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    r = run("cd '%s' && %s keygen --type ed25519 -o z --passphrase-env E --passphrase-file f",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, no_terminal_is_an_error_not_a_hang)
{
    char *dir = tmpdir_new();
    /* setsid: no controlling terminal, so /dev/tty cannot be opened */
    run_result r = run("cd '%s' && setsid -w %s keygen --type ed25519 -o k", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "no terminal") && strstr(r.err, "--passphrase-file"), "%s", r.err);
    run_free(&r);
    r = run("ls -A '%s'", dir);
    cr_assert_str_eq(r.out, "", "files left: %s", r.out);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, terminal_prompt_asks_twice)
{
    char *dir = tmpdir_new();
    run_result r = run("command -v script >/dev/null");
    if (r.status != 0) {
        run_free(&r);
        cr_skip_test("script(1) not installed: no pseudo-terminal to test the prompt");
    }
    run_free(&r);
    /* `script` gives the command a pseudo-terminal fed from our pipe */
    r = run("cd '%s' && printf 'tty pw\\ntty pw\\n' | script -qec '%s keygen --type ed25519 "
            "-o t' /dev/null",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "New passphrase for t.key:") && strstr(r.out, "Repeat passphrase"),
              "%s", r.out);
    run_free(&r);
    {
        char *kp = path_fmt("%s/t.key", dir);
        fws_key k;
        fws_passphrase_src ps = {NULL, "FWS_PW"};
        setenv("FWS_PW", "tty pw", 1);
        cr_assert_eq(load(kp, &ps, &k), 0);
        check_key(&k, FWS_KEY_ED25519, NULL);
        free(kp);
    }
    r = run("cd '%s' && printf 'one\\ntwo\\n' | script -qec '%s keygen --type ed25519 -o u' "
            "/dev/null",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.out);
    cr_assert(strstr(r.out, "do not match"), "%s", r.out);
    {
        char *u = path_fmt("%s/u.key", dir);
        cr_assert(!file_exists(u));
        free(u);
    }
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, usage_errors_and_help)
{
    static const char *bad[] = {
        "keygen",
        "keygen --type ed25519",
        "keygen -o k --no-passphrase",
        "keygen --type rsa -o k --no-passphrase",
        "keygen --type ed25519 -o k --no-passphrase --bogus",
        "keygen --type ed25519 -o k --no-passphrase extra",
        "keygen --type ed25519 -o k --no-passphrase --kdf-strength extreme",
        "keygen --type ed25519 -o k --no-passphrase --kdf-strength moderate",
        "keygen --type ed25519 -o",
        "pubkey",
        "pubkey a b",
        "pubkey k.pub --format base64",
        "pubkey k.pub --format hex --name foo",
        "pubkey k.pub --format c --name 9lives",
        "pubkey k.pub --format c --name int",
        "pubkey k.pub --bogus",
    };
    char *dir = tmpdir_new();
    run_result r;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = run("cd '%s' && %s %s", dir, FWSEAL_BIN, bad[i]);
        cr_assert_eq(r.status, 2, "'%s' gave %d: %s", bad[i], r.status, r.err);
        cr_assert(strstr(r.err, "fwseal: error:") && strstr(r.err, "--help"), "%s", r.err);
        run_free(&r);
    }
    r = run("ls -A '%s'", dir);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run("%s keygen --help", FWSEAL_BIN);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: fwseal keygen") && strstr(r.out, "--no-passphrase") &&
              strstr(r.out, "psk has no"),
              "%s", r.out);
    cr_assert_str_eq(r.err, "");
    run_free(&r);
    r = run("%s pubkey --help", FWSEAL_BIN);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "usage: fwseal pubkey") && strstr(r.out, "pem"), "%s", r.out);
    run_free(&r);
    r = run("%s keygen -h", FWSEAL_BIN);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, kdf_strength_and_comment_are_recorded)
{
    char *dir = tmpdir_new(), *kp, *text;
    size_t n;
    run_result r = run("cd '%s' && P=pw %s keygen --type psk -o m --passphrase-env P "
                       "--kdf-strength moderate --comment 'lab bench psk'",
                       dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    kp = path_fmt("%s/m.key", dir);
    text = (char *)file_read(kp, &n);
    text[n] = 0;
    cr_assert(!strncmp(text, "fwseal key comment: lab bench psk\n", 34), "%s", text);
    {
        uint8_t rec[256];
        size_t rlen;
        const char *b = strchr(text, '\n') + 1;
        uint64_t ops = 0, mem = 0;
        cr_assert(sodium_base642bin(rec, sizeof rec, b, strcspn(b, "\n"), NULL, &rlen, NULL,
                                    sodium_base64_VARIANT_ORIGINAL) == 0);
        cr_assert_eq(rlen, 184);
        for (int j = 7; j >= 0; j--) {
            ops = (ops << 8) | rec[48 + j];
            mem = (mem << 8) | rec[56 + j];
        }
        cr_assert_eq(ops, crypto_pwhash_argon2id_OPSLIMIT_MODERATE);
        cr_assert_eq(mem, crypto_pwhash_argon2id_MEMLIMIT_MODERATE);
    }
    free(text);
    free(kp);
    r = run("cd '%s' && %s keygen --type ed25519 -o c --no-passphrase --comment \"$(printf "
            "'a\\tb')\"",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s", r.err);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}

/* ---- pubkey ------------------------------------------------------------ */

Test(keys_cli, pubkey_hex_pem_c)
{
    char *dir = tmpdir_new();
    const char *types[2] = {"ed25519", "x25519"};
    for (int i = 0; i < 2; i++) {
        run_result r = run("cd '%s' && P=pw %s keygen --type %s -o %s --passphrase-env P", dir,
                           FWSEAL_BIN, types[i], types[i]);
        char *kp = path_fmt("%s/%s.key", dir, types[i]);
        char *pp = path_fmt("%s/%s.pub", dir, types[i]);
        char hex[65], idhex[17];
        fws_key k;
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        cr_assert_eq(load(pp, NULL, &k), 0);
        sodium_bin2hex(hex, sizeof hex, k.pub, 32);
        sodium_bin2hex(idhex, sizeof idhex, k.id, 8);

        /* hex, from .pub and from the encrypted .key without a passphrase
         * (setsid: no terminal to ask on) */
        r = run("%s pubkey '%s' --format hex", FWSEAL_BIN, pp);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(!strncmp(r.out, hex, 64) && r.out[64] == '\n' && !r.out[65], "%s", r.out);
        run_free(&r);
        r = run("setsid -w %s pubkey '%s'", FWSEAL_BIN, kp);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(!strncmp(r.out, hex, 64), "%s", r.out);
        cr_assert_str_eq(r.err, "");
        run_free(&r);

        /* pem: openssl parses it and finds our key bytes */
        r = run("cd '%s' && %s pubkey %s.pub --format pem -o %s.pem && "
                "openssl pkey -pubin -in %s.pem -noout -text",
                dir, FWSEAL_BIN, types[i], types[i], types[i]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(strstr(r.out, i == 0 ? "ED25519 Public-Key" : "X25519 Public-Key"), "%s",
                  r.out);
        {
            /* openssl prints "aa:bb:..." over several lines; compare the
             * colon-free concatenation */
            char flat[256];
            size_t n = 0;
            const char *s = strstr(r.out, "pub:");
            cr_assert(s);
            for (s += 4; *s && n < sizeof flat - 1; s++)
                if ((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'))
                    flat[n++] = *s;
            flat[n] = 0;
            cr_assert_str_eq(flat, hex);
        }
        run_free(&r);
        r = run("cd '%s' && openssl pkey -pubin -in %s.pem -outform DER | od -An -v -tx1 | "
                "tr -d ' \\n'",
                dir, types[i]);
        cr_assert_eq(r.status, 0);
        cr_assert_eq(strlen(r.out), 88, "%s", r.out);
        cr_assert_str_eq(r.out + 24, hex);
        run_free(&r);
        /* -o refuses to clobber, --force replaces */
        r = run("cd '%s' && %s pubkey %s.pub --format pem -o %s.pem", dir, FWSEAL_BIN, types[i],
                types[i]);
        cr_assert_eq(r.status, 3);
        cr_assert(strstr(r.err, "already exists"), "%s", r.err);
        run_free(&r);
        r = run("cd '%s' && %s pubkey %s.pub --format pem -o %s.pem --force", dir, FWSEAL_BIN,
                types[i], types[i]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);

        /* c: compiles, and the arrays hold the key and the id */
        {
            char *use = path_fmt("%s/use_%s.c", dir, types[i]);
            char *src = path_fmt("#include \"%s.h\"\n#include <stdio.h>\n"
                                 "int main(void)\n{\n    size_t i;\n"
                                 "    for (i = 0; i < sizeof trusted_%s; i++)\n"
                                 "        printf(\"%%02x\", trusted_%s[i]);\n"
                                 "    printf(\" \");\n"
                                 "    for (i = 0; i < sizeof trusted_%s_id; i++)\n"
                                 "        printf(\"%%02x\", trusted_%s_id[i]);\n"
                                 "    return 0;\n}\n",
                                 types[i], types[i], types[i], types[i], types[i]);
            file_write(use, src, strlen(src));
            r = run("cd '%s' && %s pubkey %s.key --format c -o %s.h --name trusted_%s && "
                    "cc -std=c99 -Wall -Wextra -pedantic -Werror use_%s.c -o use_%s && "
                    "./use_%s",
                    dir, FWSEAL_BIN, types[i], types[i], types[i], types[i], types[i],
                    types[i]);
            free(use);
            free(src);
        }
        cr_assert_eq(r.status, 0, "%s", r.err);
        {
            char want[100];
            snprintf(want, sizeof want, "%s %s", hex, idhex);
            cr_assert_str_eq(r.out, want);
        }
        run_free(&r);
        r = run("cd '%s' && cat %s.h", dir, types[i]);
        cr_assert(strstr(r.out, idhex) && strstr(r.out, types[i]) &&
                      strstr(r.out, "static const uint8_t trusted_"),
                  "%s", r.out);
        run_free(&r);
        /* default identifier */
        r = run("cd '%s' && %s pubkey %s.pub --format c", dir, FWSEAL_BIN, types[i]);
        cr_assert_eq(r.status, 0);
        {
            char want[64];
            snprintf(want, sizeof want, "static const uint8_t fwseal_%s_pub[32]", types[i]);
            cr_assert(strstr(r.out, want), "%s", r.out);
            snprintf(want, sizeof want, "static const uint8_t fwseal_%s_pub_id[8]", types[i]);
            cr_assert(strstr(r.out, want), "%s", r.out);
        }
        run_free(&r);
        free(kp);
        free(pp);
    }
    /* both headers in one translation unit, most arrays unused: no
     * warning, no clash */
    {
        char *both = path_fmt("%s/both.c", dir);
        const char *src = "#include \"ed25519.h\"\n#include \"x25519.h\"\n"
                          "const unsigned char *p(void);\n"
                          "const unsigned char *p(void) { return trusted_x25519; }\n";
        run_result r;
        file_write(both, src, strlen(src));
        r = run("cd '%s' && cc -std=c99 -Wall -Wextra -pedantic -Werror -c both.c -o both.o",
                dir);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        free(both);
    }
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_cli, pubkey_errors)
{
    char *dir = tmpdir_new();
    run_result r = run("cd '%s' && %s keygen --type psk -o s --no-passphrase", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s pubkey s.key --format hex", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "s.key: a psk has no public key"), "%s", r.err);
    cr_assert_str_eq(r.out, "");
    run_free(&r);
    r = run("cd '%s' && %s pubkey nope.pub", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "nope.pub: key file not found"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && echo garbage > g.pub && %s pubkey g.pub", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "g.pub: not a fwseal key file"), "%s", r.err);
    run_free(&r);
    /* a world-readable secret key: warning, still exported */
    r = run("cd '%s' && %s keygen --type ed25519 -o w --no-passphrase && chmod 644 w.key && "
            "%s pubkey w.key",
            dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "warning: ") && strstr(r.err, "w.key: permissions 0644 are too open"),
              "%s", r.err);
    run_free(&r);
    /* a damaged key file */
    r = run("cd '%s' && head -c 100 w.key > t.key && %s pubkey t.key", dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "t.key: truncated"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && sed 's/fwseal ed25519/fwseal ED25519/' w.pub > c.pub && %s pubkey c.pub",
            dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "c.pub: checksum mismatch"), "%s", r.err);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
}
