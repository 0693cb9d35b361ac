/* SPDX-License-Identifier: MIT */
/* The signing log (signer/cli/signing_log.c): one hash-chained JSON line per
 * signature from pack, sign and attach; `log verify` finds the first broken
 * or torn record; `log find` answers who signed a TBS or a counter; two
 * processes appending at once never interleave. */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fixture fx;
static void setup(void)
{
    fx_init(&fx);
    uint8_t a[1000];
    fill_text(a, sizeof a, 8);
    free(fx_write(&fx, "a.bin", a, sizeof a));
}
static void teardown(void) { fx_free(&fx); }
TestSuite(signing_log, .init = setup, .fini = teardown, .timeout = 120);

static run_result sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static run_result sh(const char *fmt, ...)
{
    char *s;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    run_result r = run("cd '%s' && %s", fx.dir, s);
    free(s);
    return r;
}

#define PACK "%s pack --version 1.0.0 --class test/class app=a.bin"

Test(signing_log, pack_sign_attach_are_recorded_and_chained)
{
    run_result r = sh(PACK " -o one.fws --counter 5 --key sign1.key --key sign2.key --log l.jsonl "
                           "&& FWSEAL_LOG=l.jsonl " PACK " -o two.fws --counter 6 --unsigned && "
                           "FWSEAL_LOG=l.jsonl %s sign two.fws --key sign3.key && "
                           "%s tbs two.fws -o two.tbs > /dev/null && "
                           "openssl genpkey -algorithm ed25519 -out o.pem 2>/dev/null && "
                           "%s keygen --import o.pem -o o --no-passphrase > /dev/null && "
                           "openssl pkeyutl -sign -rawin -inkey o.pem -in two.tbs -out o.sig && "
                           "%s attach two.fws --sig o.sig --pub o.pub --log l.jsonl",
                      FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = sh("%s log verify l.jsonl", FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "4 records, hash chain intact"), "%s", r.out);
    run_free(&r);
    /* Who signed counter 6?  sign3 by file and o by attach. */
    r = sh("%s log find l.jsonl --counter 6", FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"command\":\"sign\"") && strstr(r.out, "\"backend\":\"file\"") &&
                  strstr(r.out, "\"command\":\"attach\"") && !strstr(r.out, "\"counter\":5"),
              "%s", r.out);
    run_free(&r);
    /* By TBS hash, as `fwseal tbs` prints it. */
    r = sh("h=$(%s tbs one.fws -o one.tbs | sed -n 's/^tbs sha256: \\([0-9a-f]*\\).*/\\1/p') && "
           "%s log find --tbs $h l.jsonl | wc -l", FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_eq(atoi(r.out), 2, "two signers of one.fws: %s", r.out);
    run_free(&r);
    r = sh("%s log find l.jsonl --counter 99", FWSEAL_BIN);
    cr_assert_eq(r.status, 1, "%s", r.err);
    run_free(&r);

    /* An edited record breaks the chain at the next one; a removed record
     * where it was; a torn last line is named and never extended. */
    r = sh("sed '2s/\"counter\":5/\"counter\":4/' l.jsonl > e.jsonl && %s log verify e.jsonl",
           FWSEAL_BIN);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "e.jsonl: line 3: broken chain"), "%s", r.err);
    run_free(&r);
    r = sh("sed '2d' l.jsonl > d.jsonl && %s log verify d.jsonl", FWSEAL_BIN);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "d.jsonl: line 2: broken chain"), "%s", r.err);
    run_free(&r);
    r = sh("cp l.jsonl t.jsonl && printf '{\"seq\":5,\"ti' >> t.jsonl && %s log verify t.jsonl",
           FWSEAL_BIN);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "line 5: torn record"), "%s", r.err);
    run_free(&r);
    r = sh("rm -f x.fws && " PACK " -o x.fws --counter 9 --key sign1.key --log t.jsonl",
           FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "the last record is torn"), "%s", r.err);
    run_free(&r);
    r = sh("test ! -e x.fws");
    cr_assert_eq(r.status, 0, "a signature that could not be logged was written");
    run_free(&r);
    r = sh("%s log verify nothere.jsonl", FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    run_free(&r);
    r = sh("%s log find l.jsonl", FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s", r.err);
    run_free(&r);
}

/* Two processes signing at once: every record whole, the chain intact. */
Test(signing_log, concurrent_appends_do_not_interleave)
{
    run_result r = sh("for p in 1 2; do (for i in $(seq 1 15); do " PACK " -o c$p-$i.fws "
                      "--counter $i --key sign$p.key --log c.jsonl > /dev/null || exit 1; "
                      "done) & done; wait && %s log verify c.jsonl",
                      FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "30 records, hash chain intact"), "%s", r.out);
    run_free(&r);
}
