/* SPDX-License-Identifier: MIT */
/* FWS_CFG_CT_MUL64 (verifier/fws_config.h): the field arithmetic without
 * long multiplies, for Cortex-M3.  Checked two ways:
 *  - by construction: compiled for Cortex-M3 at -Os, -O2 and -O3, no object
 *    of the verifier contains UMULL/UMLAL/SMULL/SMLAL/UMAAL (the default
 *    build's fe25519.o does: the control);
 *  - by result: the amalgamation built with the switch computes X25519 as
 *    libsodium does, on random inputs and on points with maximal limbs. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *dir;
static void setup(void) { dir = tmpdir_new(); }
static void teardown(void)
{
    tmpdir_remove(dir);
    free(dir);
}
TestSuite(ct_mul64, .init = setup, .fini = teardown, .timeout = 120);

/* Long multiplies in the objects of verifier/ built for Cortex-M3. */
static int long_multiplies(const char *defs, const char *opt, const char *file)
{
    run_result r = run("cd '%s' && for f in %s; do arm-none-eabi-gcc %s -mcpu=cortex-m3 -mthumb "
                       "-ffreestanding %s -I%s/format -I%s/verifier -c \"$f\" -o x.o && "
                       "arm-none-eabi-objdump -d x.o; done | "
                       "grep -ciE '[[:space:]](umull|umlal|smull|smlal|umaal)[[:space:]]'",
                       FWSEAL_SRC, file, opt, defs, FWSEAL_SRC, FWSEAL_SRC);
    int n = atoi(r.out);
    run_free(&r);
    return n;
}

Test(ct_mul64, no_long_multiply_on_cortex_m3)
{
    run_result r = run("command -v arm-none-eabi-gcc");
    int have = r.status == 0;
    run_free(&r);
    if (!have) {
        test_skip("arm-none-eabi-gcc not installed (make test installs gcc-arm-none-eabi)");
        return;
    }
    cr_assert_gt(long_multiplies("", "-Os", "verifier/fe25519.c"), 0,
                 "control: the default build uses long multiplies");
    const char *opts[] = {"-Os", "-O2", "-O3"};
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(long_multiplies("-DFWS_CFG_CT_MUL64=1", opts[i], "verifier/*.c"), 0,
                     "%s: a long multiply in the constant-time build", opts[i]);
}

Test(ct_mul64, x25519_matches_libsodium)
{
    run_result r = run("cp '%s/fwseal_verify.c' '%s/fwseal_verify.h' "
                       "'%s/tests/amalgamation/x25519_driver.c' '%s' && cd '%s' && "
                       "cc -std=c99 -O2 -DFWS_CFG_CT_MUL64=1 -I. "
                       "x25519_driver.c fwseal_verify.c -o drv && ./drv 300",
                       FWSEAL_DIST, FWSEAL_DIST, FWSEAL_SRC, dir, dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    int lines = 0;
    for (char *line = strtok(r.out, "\n"); line; line = strtok(NULL, "\n"), lines++) {
        uint8_t s[32], p[32], out[32], want[32];
        char hs[65], hp[65], ho[65];
        int rc;
        cr_assert_eq(sscanf(line, "%64s %64s %64s %d", hs, hp, ho, &rc), 4, "%s", line);
        sodium_hex2bin(s, 32, hs, 64, NULL, NULL, NULL);
        sodium_hex2bin(p, 32, hp, 64, NULL, NULL, NULL);
        sodium_hex2bin(out, 32, ho, 64, NULL, NULL, NULL);
        int want_rc = crypto_scalarmult(want, s, p);
        cr_assert_eq(rc == 0, want_rc == 0, "line %d: rc %d, libsodium %d", lines, rc, want_rc);
        if (want_rc == 0)
            cr_assert(!memcmp(out, want, 32), "line %d: X25519 differs from libsodium", lines);
    }
    cr_assert_eq(lines, 300);
    run_free(&r);
}
