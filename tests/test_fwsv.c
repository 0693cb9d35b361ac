/* SPDX-License-Identifier: MIT */
/* build/fwsv (the device verifier behind a file-I/O main) against the host
 * tool: the same exit status as `fwseal verify` on good and bad
 * containers, the same files as `fwseal unpack`, boot checks of what it
 * installed, and single Ed25519 verdicts against RFC 8032 and libsodium. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fixture fx;
static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    cr_assert(file_exists(FWSV_BIN), "%s missing: 'make test' builds it (or make %s)", FWSV_BIN,
              FWSV_BIN);
    fx_init(&fx);
}
static void teardown(void) { fx_free(&fx); }
TestSuite(fwsv, .init = setup, .fini = teardown, .timeout = 120);

static run_result fwsv(const char *args)
{
    return run("cd '%s' && %s %s", fx.dir, FWSV_BIN, args);
}

static void write_bytes(const char *name, const uint8_t *c, size_t len)
{
    free(fx_write(&fx, name, c, len));
}

static uint8_t *read_bytes(const char *name, size_t *len)
{
    char *p = fx_path(&fx, name);
    uint8_t *c = file_read(p, len);
    cr_assert(c, "missing %s", p);
    free(p);
    return c;
}

static void pack(const char *out, const char *args)
{
    run_result r = fx_pack(&fx, out, args);
    cr_assert_eq(r.status, 0, "pack %s: %s", args, r.err);
    run_free(&r);
}

/* `fwseal verify FILE POLICY` and `fwsv check FILE POLICY`: same exit
 * status (fwsv also with one byte per push).  Returns it. */
static int both(const char *file, const char *policy, const char *want_reason)
{
    run_result h = run("cd '%s' && %s verify %s %s", fx.dir, FWSEAL_BIN, file, policy);
    run_result d = run("cd '%s' && %s check %s %s", fx.dir, FWSV_BIN, file, policy);
    run_result d1 = run("cd '%s' && %s check %s %s --chunk-feed 1", fx.dir, FWSV_BIN, file, policy);
    cr_assert_eq(d.status, h.status, "%s %s: fwsv %d (%s), fwseal %d (%s)", file, policy, d.status,
                 d.err, h.status, h.err);
    cr_assert_eq(d1.status, d.status);
    cr_assert_str_eq(d1.out, d.out);
    cr_assert_str_eq(d1.err, d.err);
    if (d.status == 1) {
        /* "fwsv: FILE: rejected: SENTENCE (NAME)" on the first line. */
        char head[256], tail[96];
        const char *nl = strchr(d.err, '\n');
        snprintf(head, sizeof head, "fwsv: %s: rejected: ", file);
        snprintf(tail, sizeof tail, " (%s)", want_reason ? want_reason : "");
        cr_assert(nl && !strncmp(d.err, head, strlen(head)), "%s %s: %s", file, policy, d.err);
        if (want_reason)
            cr_assert(nl - d.err >= (long)strlen(tail) &&
                          !strncmp(nl - strlen(tail), tail, strlen(tail)),
                      "%s %s: want '%s' at the end of: %s", file, policy, tail, d.err);
    }
    if (d.status == 0)
        cr_assert(strstr(d.out, ": accepted: version 1.0.0+0, counter 1, "), "%s", d.out);
    int st = d.status;
    run_free(&h);
    run_free(&d);
    run_free(&d1);
    return st;
}

Test(fwsv, check_agrees_with_fwseal_verify)
{
    uint8_t a[20000], b[3000];
    size_t len, cases = 0;
    fill_text(a, sizeof a, 1);
    fill_random(b, sizeof b, 2);
    write_bytes("a.bin", a, sizeof a);
    write_bytes("b.bin", b, sizeof b);
    pack("good.fws", "--chunk-size 1024 app=a.bin cfg=b.bin");
    pack("enc.fws", "--chunk-size 512 --encrypt-to dev.pub --encrypt-to psk.key app=a.bin");
    const char *P = "--trust sign1.pub --class test/class";

    cr_assert_eq(both("good.fws", P, NULL), 0);
    cr_assert_eq(both("good.fws", "--trust sign1.pub --any-class", NULL), 0);
    cr_assert_eq(both("good.fws", "--trust sign2.pub --class test/class", "untrusted"), 1);
    cr_assert_eq(both("good.fws", "--trust sign1.pub --class test/class --min-counter 1", NULL), 0);
    cr_assert_eq(both("good.fws", "--trust sign1.pub --class test/class --min-counter 2", "rollback"), 1);
    cr_assert_eq(both("good.fws", "--trust sign1.pub --class other/class", "wrong_class"), 1);
    cr_assert_eq(both("good.fws", "--trust sign1.pub --class test/class --trust sign2.pub --threshold 2", "threshold"), 1);
    cr_assert_eq(both("good.fws", "--trust sign2.pub --class test/class --trust sign1.pub", NULL), 0);
    cases += 8;

    uint8_t *c = read_bytes("good.fws", &len);
    /* Tampered: a manifest byte, a signature byte, a payload byte, the last byte. */
    size_t at[] = {40, 16 + (size_t)c[8] + (size_t)c[9] * 256 + 20, len / 2, len - 1};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        c[at[i]] ^= 0x08;
        write_bytes("bad.fws", c, len);
        c[at[i]] ^= 0x08;
        cr_assert_eq(both("bad.fws", P, NULL), 1, "flip at %zu", at[i]);
        cases++;
    }
    write_bytes("cut.fws", c, len - 1);
    cr_assert_eq(both("cut.fws", P, "truncated"), 1);
    write_bytes("cut.fws", c, 100);
    cr_assert_eq(both("cut.fws", P, "truncated"), 1);
    write_bytes("cut.fws", c, 0);
    cr_assert_eq(both("cut.fws", P, "truncated"), 1);
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, c, len);
    longer[len] = 0;
    write_bytes("long.fws", longer, len + 1);
    cr_assert_eq(both("long.fws", P, "trailing_bytes"), 1);
    cases += 4;

    /* Encrypted: right keys, wrong keys. */
    cr_assert_eq(both("enc.fws", "--trust sign1.pub --class test/class --key dev.key", NULL), 0);
    cr_assert_eq(both("enc.fws", "--trust sign1.pub --class test/class --key psk.key", NULL), 0);
    cr_assert_eq(both("enc.fws", "--trust sign1.pub --class test/class --key dev2.key", "no_capsule"), 1);
    cr_assert_eq(both("enc.fws", "--trust sign1.pub --class test/class --key psk2.key", "no_capsule"), 1);
    cr_assert_eq(both("enc.fws", "--trust sign2.pub --class test/class --key dev.key", "untrusted"), 1);
    cases += 5;
    /* Without a key fwseal verify authenticates the chain and accepts;
     * fwsv cannot decide (documented difference). */
    run_result r = fwsv("check enc.fws --trust sign1.pub --class test/class");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "no decision"), "%s", r.err);
    run_free(&r);
    r = fwsv("check enc.fws --trust sign2.pub --class test/class");   /* ...but a bad signature is a rejection */
    cr_assert_eq(r.status, 1, "%s", r.err);
    run_free(&r);

    /* I/O and usage. */
    r = run("cd '%s' && %s verify nope.fws --trust sign1.pub --class test/class", fx.dir, FWSEAL_BIN);
    run_result v = fwsv("check nope.fws --trust sign1.pub --class test/class");
    cr_assert_eq(v.status, 3);
    cr_assert_eq(r.status, v.status);
    run_free(&r);
    run_free(&v);
    static const char *usage_cases[] = {
        "check good.fws",                                   /* no --trust */
        "check good.fws --trust sign1.pub",                 /* no --class, no --any-class */
        "check good.fws --trust sign1.pub --class a --any-class",
        "check --trust sign1.pub --class test/class",                          /* no FILE */
        "check good.fws --trust sign1.pub --class test/class --threshold 2",   /* more than the keys */
        "check good.fws --trust sign1.pub --class test/class --max-window-bits 8",
        "check good.fws --trust sign1.pub --class test/class --max-chunk 2000000",
        "check good.fws --trust sign1.pub --class test/class --chunk-feed 0",
        "check good.fws --trust sign1.pub --class test/class -o out",
        "install good.fws --trust sign1.pub --class test/class",
        "check good.fws --trust dev.pub --class test/class",
        "frobnicate good.fws",
        "",
    };
    for (size_t i = 0; i < sizeof usage_cases / sizeof usage_cases[0]; i++) {
        r = fwsv(usage_cases[i]);
        cr_assert_eq(r.status, 2, "'%s': %d %s", usage_cases[i], r.status, r.err);
        run_free(&r);
    }
    r = fwsv("--help");
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "--any-class"), "%s", r.out);
    run_free(&r);

    /* Device limits. */
    r = fwsv("check good.fws --trust sign1.pub --class test/class --max-window-bits 14");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "(window_above_device_limit)"), "%s", r.err);
    run_free(&r);
    r = fwsv("check good.fws --trust sign1.pub --class test/class --max-chunk 512");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "(chunk_above_device_limit)"), "%s", r.err);
    run_free(&r);
    r = fwsv("check good.fws --trust sign1.pub --class test/class --max-chunk 1024 --max-window-bits 15 --chunk-feed 7");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    fprintf(stderr, "fwsv: %zu containers/policies: fwsv check and fwseal verify agree\n", cases);
    free(longer);
    free(c);
}

static void expect_same_tree(const char *a, const char *b)
{
    run_result r = run("cd '%s' && diff -r --exclude=boot-record.bin %s %s", fx.dir, a, b);
    cr_assert_eq(r.status, 0, "%s vs %s: %s%s", a, b, r.out, r.err);
    run_free(&r);
}

Test(fwsv, install_matches_unpack_and_boots)
{
    uint8_t a[30000], b[5000];
    fill_text(a, sizeof a, 3);
    fill_random(b, sizeof b, 4);
    write_bytes("a.bin", a, sizeof a);
    write_bytes("b.bin", b, sizeof b);
    write_bytes("e.bin", b, 0);
    pack("p.fws", "--allow-empty --chunk-size 256 --window-bits 11 app=a.bin radio/fw.bin=b.bin "
                  "empty=e.bin");
    pack("x.fws", "--encrypt-to dev.pub --chunk-size 4096 app=a.bin radio/fw.bin=b.bin");

    run_result r = run("cd '%s' && %s unpack p.fws --trust sign1.pub --class test/class -o u1", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fwsv("install p.fws --trust sign1.pub --class test/class -o v1 --chunk-feed 333");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "wrote 3 components"), "%s", r.out);
    run_free(&r);
    expect_same_tree("u1", "v1");

    r = run("cd '%s' && %s unpack x.fws --trust sign1.pub --class test/class --key dev.key -o u2", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fwsv("install x.fws --trust sign1.pub --class test/class --key dev.key -o v2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    expect_same_tree("u2", "v2");
    /* Into an existing directory: refuses to replace, unless --force. */
    r = fwsv("install x.fws --trust sign1.pub --class test/class --key dev.key -o v2");
    cr_assert_eq(r.status, 3, "%s", r.err);
    run_free(&r);
    r = fwsv("install x.fws --trust sign1.pub --class test/class --key dev.key -o v2 --force");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    expect_same_tree("u2", "v2");

    /* Boot: the record and the installed images. */
    r = fwsv("boot v1/boot-record.bin v1/app v1/radio/fw.bin v1/empty --trust sign1.pub "
             "--class test/class");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "accepted: version 1.0.0+0, counter 1"), "%s", r.out);
    run_free(&r);
    r = fwsv("boot p.fws v1/app v1/radio/fw.bin v1/empty --trust sign1.pub --class test/class");   /* whole container */
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fwsv("boot v2/boot-record.bin v2/app v2/radio/fw.bin --trust sign1.pub --class test/class --min-counter 2");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "rollback"), "%s", r.err);
    run_free(&r);
    r = fwsv("boot v1/boot-record.bin v1/app v1/radio/fw.bin v1/empty --trust sign2.pub --class test/class");
    cr_assert_eq(r.status, 1);
    run_free(&r);
    r = fwsv("boot v1/boot-record.bin v1/app v1/radio/fw.bin --trust sign1.pub --class test/class");
    cr_assert_eq(r.status, 2, "one image missing: %s", r.err);
    run_free(&r);
    /* A modified image. */
    a[12345] ^= 0x20;
    write_bytes("v1/app", a, sizeof a);
    r = fwsv("boot v1/boot-record.bin v1/app v1/radio/fw.bin v1/empty --trust sign1.pub --class test/class");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "rejected: component 'app': the SHA-256 digest differs from the "
                            "manifest (digest_mismatch)"), "%s", r.err);
    run_free(&r);
    write_bytes("v1/app", a, sizeof a - 1);
    r = fwsv("boot v1/boot-record.bin v1/app v1/radio/fw.bin v1/empty --trust sign1.pub --class test/class");
    cr_assert_eq(r.status, 1, "%s", r.err);
    run_free(&r);

    /* A rejected install writes nothing. */
    size_t len;
    uint8_t *c = read_bytes("p.fws", &len);
    c[len - 10] ^= 1;
    write_bytes("bad.fws", c, len);
    r = fwsv("install bad.fws --trust sign1.pub --class test/class -o w");
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "fwsv: bad.fws: rejected: chunk ") &&
                  strstr(r.err, ": hash mismatch (chunk_hash_mismatch)\n"), "%s", r.err);
    cr_assert(strstr(r.err, "fwsv: bad.fws: nothing written\n"), "%s", r.err);
    run_free(&r);
    char *w = fx_path(&fx, "w");
    cr_assert(!file_exists(w));
    free(w);
    r = run("cd '%s' && ls -A | grep -c fwsv-install", fx.dir);
    cr_assert_str_eq(r.out, "0\n", "staging left behind: %s", r.out);
    run_free(&r);
    free(c);
}

Test(fwsv, ed25519_rfc8032_test1)
{
    /* RFC 8032, 7.1, TEST 1 (empty message). */
    const char *pub = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    char sig[] = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";
    uint8_t pk[32], sg[64];
    sodium_hex2bin(pk, 32, pub, 64, NULL, NULL, NULL);
    sodium_hex2bin(sg, 64, sig, 128, NULL, NULL, NULL);
    cr_assert_eq(crypto_sign_verify_detached(sg, NULL, 0, pk), 0, "libsodium: vector typo");
    run_result r = run("%s ed25519 %s %s ''", FWSV_BIN, pub, sig);
    cr_assert_eq(r.status, 0, "%s %s", r.out, r.err);
    cr_assert_str_eq(r.out, "valid\n");
    run_free(&r);
    sig[0] = sig[0] == 'e' ? 'f' : 'e';   /* one bit of R */
    r = run("%s ed25519 %s %s ''", FWSV_BIN, pub, sig);
    cr_assert_eq(r.status, 1);
    cr_assert_str_eq(r.out, "invalid\n");
    run_free(&r);
    sig[0] = 'e';
    sig[127] = 'a';   /* S's top byte */
    r = run("%s ed25519 %s %s ''", FWSV_BIN, pub, sig);
    cr_assert_eq(r.status, 1);
    run_free(&r);
    r = run("%s ed25519 %s %s 00", FWSV_BIN, pub, sig);   /* another message */
    cr_assert_eq(r.status, 1);
    run_free(&r);
    r = run("%s ed25519 %s zz ''", FWSV_BIN, pub);
    cr_assert_eq(r.status, 2);
    run_free(&r);
}

/* Messages from the key loader, the option parser and the verdict all
 * carry fwsv's own name, never the host tool's. */
Test(fwsv, messages_name_fwsv)
{
    static const struct {
        const char *args;
        int status;
        const char *want;
    } cases[] = {
        {"check /dev/null --trust /nonexistent.pub --any-class", 3,
         "fwsv: error: /nonexistent.pub: key file not found\n"},
        {"check good.fws", 2, "fwsv: error: missing --trust"},
        {"frobnicate good.fws", 2, "fwsv: error: unknown command 'frobnicate'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = fwsv(cases[i].args);
        cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].args, r.status, r.err);
        cr_assert(!strncmp(r.err, cases[i].want, strlen(cases[i].want)), "%s: %s",
                  cases[i].args, r.err);
        cr_assert(!strstr(r.err, "fwseal"), "%s: %s", cases[i].args, r.err);
        run_free(&r);
    }
}

/* Refusals are sentences that say what and where, in fwseal's words, with
 * the status name after them for scripts; for the install and the boot
 * check alike. */
Test(fwsv, refusals_say_what_and_where)
{
    size_t len;
    run_result r = run("cd '%s' && head -c 1000 /dev/zero | tr '\\0' x > a.bin && printf cfg > b.bin",
                       fx.dir);
    run_free(&r);
    r = fx_pack(&fx, "good.fws", "--level 0 --chunk-size 256 app=a.bin cfg=b.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    uint8_t *c = read_bytes("good.fws", &len);
    c[len - 40] ^= 1;                                 /* in the last chunk */
    write_bytes("chunk.fws", c, len);
    c[len - 40] ^= 1;
    c[0] ^= 1;
    write_bytes("magic.fws", c, len);
    free(c);
    r = run("cd '%s' && %s install good.fws --trust sign1.pub --class test/class -o slot && "
            "printf 'X' | dd of=slot/app bs=1 seek=10 conv=notrunc 2>/dev/null",
            fx.dir, FWSV_BIN);
    run_free(&r);
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"check good.fws --trust sign2.pub --class test/class",
         ": rejected: no valid signature by a trusted key (1 signature entry) (untrusted)"},
        {"check good.fws --trust sign1.pub --trust sign2.pub --threshold 2 --class test/class",
         ": rejected: only 1 distinct trusted key signed, the threshold is 2 (threshold)"},
        {"check good.fws --trust sign1.pub --class test/class --min-counter 9",
         ": rejected: security counter 1 is below the floor 9 (rollback)"},
        {"check good.fws --trust sign1.pub --class other/class",
         ": rejected: the container is for another device class (wrong_class)"},
        {"check chunk.fws --trust sign1.pub --class test/class",
         ": rejected: chunk 3 at payload offset 768: hash mismatch (chunk_hash_mismatch)"},
        {"check magic.fws --trust sign1.pub --class test/class",
         ": rejected: header: not a fwseal container (bad magic) (bad_magic)"},
        {"boot slot/boot-record.bin slot/app slot/cfg --trust sign1.pub --class test/class",
         ": rejected: component 'app': the SHA-256 digest differs from the manifest "
         "(digest_mismatch)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = fwsv(cases[i].args);
        cr_expect_eq(r.status, 1, "%s: %d %s", cases[i].args, r.status, r.err);
        cr_expect(!strncmp(r.err, "fwsv: ", 6) && strstr(r.err, cases[i].want), "%s: %s",
                  cases[i].args, r.err);
        run_free(&r);
    }
}

/* A component may be named boot-record.bin (the format knows nothing of
 * it): install refuses to mix it up with the record, writes nothing, and
 * says how to put the record elsewhere; with --boot-record it installs,
 * and that record boots the images. */
Test(fwsv, boot_record_name_collision_and_boot_record_option)
{
    run_result r = run("cd '%s' && printf 'image' > a.bin && printf 'not a record' > b.bin", fx.dir);
    run_free(&r);
    r = fx_pack(&fx, "c.fws", "app=a.bin boot-record.bin=b.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fwsv("install c.fws --trust sign1.pub --class test/class -o slot");
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "a component is named boot-record.bin") &&
                  strstr(r.err, "--boot-record FILE"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && test ! -e slot", fx.dir);
    cr_assert_eq(r.status, 0, "nothing written");
    run_free(&r);
    r = fwsv("install c.fws --trust sign1.pub --class test/class -o slot --boot-record rec.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "the boot record to rec.bin"), "%s", r.out);
    run_free(&r);
    r = run("cd '%s' && cmp slot/boot-record.bin b.bin && %s boot rec.bin slot/app "
            "slot/boot-record.bin --trust sign1.pub --class test/class",
            fx.dir, FWSV_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
    /* without --force an existing record file is not replaced */
    r = fwsv("install c.fws --trust sign1.pub --class test/class -o slot2 --boot-record rec.bin");
    cr_assert_eq(r.status, 3, "%s", r.err);
    run_free(&r);
}
