/* SPDX-License-Identifier: MIT */
/* Detached, multi-party signing: pack --unsigned, tbs, sign, attach,
 * signatures; k-of-n by k people on k machines, one of them with a token;
 * what each step refuses. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hsm_fixture.h"

static fixture fx;
static void setup(void)
{
    fx_init(&fx);
    uint8_t a[5000];
    fill_text(a, sizeof a, 7);
    free(fx_write(&fx, "a.bin", a, sizeof a));
}
static void teardown(void) { fx_free(&fx); }
TestSuite(detached, .init = setup, .fini = teardown, .timeout = 120);

#define PACK_ARGS "--version 1.2.3+4 --counter 7 --class test/class --level 9 app=a.bin"

static run_result sh(const char *cmd)
{
    return run("cd '%s' && %s", fx.dir, cmd);
}

static void ok(const char *cmd)
{
    run_result r = sh(cmd);
    cr_assert_eq(r.status, 0, "%s: %s%s", cmd, r.out, r.err);
    run_free(&r);
}

static void refused(const char *cmd, int status, const char *msg)
{
    run_result r = sh(cmd);
    cr_assert_eq(r.status, status, "%s: %d %s", cmd, r.status, r.err);
    cr_assert(strstr(r.err, msg), "%s: %s", cmd, r.err);
    run_free(&r);
}

static char *cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *cmd(const char *fmt, ...)
{
    char *s;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    return s;
}

static int same_files(const char *a, const char *b)
{
    run_result r = sh(cmd("cmp %s %s", a, b));
    int same = r.status == 0;
    run_free(&r);
    return same;
}

/* Unsigned, then signed one key at a time, equals packing with the keys
 * (same SOURCE_DATE_EPOCH): reproducibility survives the round trip. */
Test(detached, unsigned_then_sign_equals_pack)
{
    ok(cmd("SOURCE_DATE_EPOCH=1700000000 %s pack -o u.fws --unsigned " PACK_ARGS, FWSEAL_BIN));
    refused(cmd("%s verify u.fws --trust sign1.pub --class test/class", FWSEAL_BIN), 1,
            "no valid signature");
    refused(cmd("%s check u.fws --trust sign1.pub --class test/class", FWSV_BIN), 1, "untrusted");
    ok(cmd("%s sign u.fws --key sign1.key && %s sign u.fws --key sign2.key", FWSEAL_BIN,
           FWSEAL_BIN));
    ok(cmd("SOURCE_DATE_EPOCH=1700000000 %s pack -o p.fws --key sign1.key --key sign2.key "
           PACK_ARGS, FWSEAL_BIN));
    cr_assert(same_files("u.fws", "p.fws"), "unsigned + sign differs from pack --key");
    ok(cmd("%s verify u.fws --trust sign1.pub --trust sign2.pub --threshold 2 --class test/class",
           FWSEAL_BIN));
    /* A key that signed already is refused; nothing changes. */
    ok("cp u.fws before.fws");
    refused(cmd("%s sign u.fws --key sign1.key", FWSEAL_BIN), 2, "has already signed it");
    cr_assert(same_files("u.fws", "before.fws"));
    /* Removing one signature, then the threshold is not met. */
    ok(cmd("%s signatures u.fws --remove $(%s pubkey sign2.pub --format pub | "
           "sed -n '1s/.* //p')", FWSEAL_BIN, FWSEAL_BIN));
    refused(cmd("%s verify u.fws --trust sign1.pub --trust sign2.pub --threshold 2 "
                "--class test/class", FWSEAL_BIN),
            1, "only 1 distinct trusted key signed");
    refused(cmd("%s signatures u.fws --remove 0011223344556677", FWSEAL_BIN), 2,
            "has no signature by key 0011223344556677");
    refused(cmd("%s signatures u.fws --remove xyz", FWSEAL_BIN), 2, "16 hex digits");
}

/* The offline signer's path: tbs out, openssl signs it, attach checks it. */
Test(detached, tbs_and_attach)
{
    ok(cmd("%s pack -o u.fws --unsigned " PACK_ARGS, FWSEAL_BIN));
    run_result r = sh(cmd("%s tbs u.fws -o u.tbs", FWSEAL_BIN));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "tbs sha256: ") && strstr(r.out, "version 1.2.3+4, counter 7") &&
                  strstr(r.out, "app: 5000 bytes"),
              "%s", r.out);
    run_free(&r);
    /* The TBS is exactly header || manifest: the container starts with it. */
    ok("cmp -n $(wc -c < u.tbs) u.tbs u.fws");
    ok("openssl genpkey -algorithm ed25519 -out off.pem 2>/dev/null && "
       "openssl genpkey -algorithm ed25519 -out off2.pem 2>/dev/null");
    ok(cmd("%s keygen --import off.pem -o off --no-passphrase >/dev/null && "
           "%s keygen --import off2.pem -o off2 --no-passphrase >/dev/null",
           FWSEAL_BIN, FWSEAL_BIN));
    ok("openssl pkeyutl -sign -rawin -inkey off.pem -in u.tbs -out off.sig");
    /* Attach refuses a signature by another key, over another TBS, or
     * malformed; then takes the right one, raw, and a second one as hex. */
    refused(cmd("%s attach u.fws --sig off.sig --pub off2.pub", FWSEAL_BIN), 1,
            "does not verify");
    ok(cmd("SOURCE_DATE_EPOCH=1 %s pack -o other.fws --unsigned --version 1.2.3+4 --counter 8 "
           "--class test/class app=a.bin && %s tbs other.fws -o other.tbs >/dev/null && "
           "openssl pkeyutl -sign -rawin -inkey off.pem -in other.tbs -out other.sig",
           FWSEAL_BIN, FWSEAL_BIN));
    refused(cmd("%s attach u.fws --sig other.sig --pub off.pub", FWSEAL_BIN), 1,
            "signed another TBS");
    ok("head -c 63 off.sig > short.sig");
    refused(cmd("%s attach u.fws --sig short.sig --pub off.pub", FWSEAL_BIN), 3,
            "neither 64 raw bytes nor 128 hex digits");
    refused(cmd("%s attach u.fws --sig off.sig --pub dev.pub", FWSEAL_BIN), 2,
            "needs an Ed25519 public key");
    ok(cmd("%s attach u.fws --sig off.sig --pub off.pub", FWSEAL_BIN));
    refused(cmd("%s attach u.fws --sig off.sig --pub off.pub", FWSEAL_BIN), 2,
            "has already signed it");
    ok("openssl pkeyutl -sign -rawin -inkey off2.pem -in u.tbs | od -An -v -tx1 > off2.hex");
    ok(cmd("%s attach u.fws --sig off2.hex --pub off2.pub", FWSEAL_BIN));
    ok(cmd("%s verify u.fws --trust off.pub --trust off2.pub --threshold 2 --class test/class",
           FWSEAL_BIN));
    ok(cmd("%s check u.fws --trust off.pub --trust off2.pub --threshold 2 --class test/class",
           FWSV_BIN));
    r = sh(cmd("%s signatures u.fws --json", FWSEAL_BIN));
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"type\":\"ed25519\""), "%s", r.out);
    run_free(&r);
    /* tbs never writes binary to a terminal (script(1) gives it one). */
    r = sh(cmd("script -qec '%s tbs u.fws' /dev/null", FWSEAL_BIN));
    cr_assert_eq(r.status, 2, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "refusing to write binary to a terminal"), "%s", r.out);
    run_free(&r);
}

Test(detached, a_full_block_and_bad_files)
{
    ok(cmd("%s pack -o u.fws --unsigned " PACK_ARGS, FWSEAL_BIN));
    for (int i = 0; i < 8; i++)
        ok(cmd("%s keygen --type ed25519 -o k%d --no-passphrase >/dev/null && %s sign u.fws "
               "--key k%d.key", FWSEAL_BIN, i, FWSEAL_BIN, i));
    refused(cmd("%s sign u.fws --key sign1.key", FWSEAL_BIN), 2, "the signature block is full");
    ok("head -c 100 u.fws > cut.fws");
    refused(cmd("%s sign cut.fws --key sign1.key", FWSEAL_BIN), 3, "truncated");
    refused(cmd("%s sign - --key sign1.key < u.fws", FWSEAL_BIN), 2, "not standard input");
    refused(cmd("%s sign u.fws", FWSEAL_BIN), 2, "missing --key");
    refused(cmd("%s pack -o x.fws --unsigned --key sign1.key " PACK_ARGS, FWSEAL_BIN), 2,
            "--unsigned and signing keys together");
}

/* The README's workflow: A packs unsigned on CI; B signs on a laptop with a
 * key file; C signs with a key in a token; the artifact meets k = 2. */
Test(detached, two_people_one_with_a_token)
{
    if (!hsm_init(&fx))
        return;
    char *uri = hsm_uri(&fx, "release-c");
    ok(cmd("%s keygen --type ed25519 --pkcs11 '%s' -o c >/dev/null", FWSEAL_BIN, uri));
    ok(cmd("%s pack -o app.fws --unsigned " PACK_ARGS " && %s tbs app.fws -o app.tbs >/dev/null "
           "&& %s sign app.fws --key sign2.key && %s sign app.fws --key '%s'",
           FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, uri));
    ok(cmd("%s verify app.fws --trust sign2.pub --trust c.pub --threshold 2 --class test/class",
           FWSEAL_BIN));
    free(uri);
}
