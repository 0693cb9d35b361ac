/* SPDX-License-Identifier: MIT */
/* fwseal unpack writes nothing unless every check passes, to a directory
 * or a tar file, and never replaces files without --force. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "tamper.h"

static fixture fx;
static uint8_t *good;
static size_t good_len;

static void setup(void)
{
    fx_init(&fx);
    good = fx_pack_good_two(&fx, &good_len);
}
static void teardown(void)
{
    free(good);
    fx_free(&fx);
}
TestSuite(unpack, .init = setup, .fini = teardown, .timeout = 60);

static void expect_unpack_refused(const char *file, const char *out, int status, const char *msg)
{
    run_result r = run("cd '%s' && %s unpack %s --trust sign1.pub --class test/class -o %s", fx.dir, FWSEAL_BIN, file,
                       out);
    cr_assert_eq(r.status, status, "%s: %d %s", file, r.status, r.err);
    cr_assert(strstr(r.err, msg), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && ls -a | grep -v -e '^\\.$' -e '^\\.\\.$' -e '\\.key$' -e '\\.pub$' "
            "-e '\\.fws$' -e '^in.bin$'", fx.dir);
    cr_assert_str_eq(r.out, "", "left behind: %s", r.out);
    run_free(&r);
}

Test(unpack, rejected_containers_write_nothing)
{
    layout l;
    layout_of(good, good_len, &l);
    /* A flip in the last chunk: every earlier chunk is authentic and
     * already went to the staging area; nothing may remain. */
    good[good_len - 5] ^= 1;
    free(fx_write(&fx, "late.fws", good, good_len));
    good[good_len - 5] ^= 1;
    expect_unpack_refused("late.fws", "outdir", 1, "hash mismatch");
    expect_unpack_refused("late.fws", "out.tar", 1, "nothing written");
    free(fx_write(&fx, "short.fws", good, good_len - 100));
    expect_unpack_refused("short.fws", "outdir", 1, "rejected");
    expect_unpack_refused("short.fws", "out.tar", 1, "rejected");
}

Test(unpack, existing_files_need_force)
{
    run_result r = run("cd '%s' && mkdir out && echo old > out/app && "
                       "%s unpack good.fws --trust sign1.pub --class test/class -o out", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "out/app: already exists (use --force"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && cat out/app && ls out", fx.dir);
    cr_assert_str_eq(r.out, "old\napp\n", "nothing else written: %s", r.out);
    run_free(&r);
    r = run("cd '%s' && %s unpack good.fws --trust sign1.pub --class test/class -o out --force && cmp out/app in.bin "
            "&& cmp out/cfg in.bin", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && echo x > o.tar && %s unpack good.fws --trust sign1.pub --class test/class -o o.tar", fx.dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "o.tar: already exists"), "%s", r.err);
    run_free(&r);
}
