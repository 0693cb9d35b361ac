/* SPDX-License-Identifier: MIT */
/* `fwseal pack --jobs`: containers byte-identical for any number of jobs,
 * and every level, window and encryption round trip through verify and
 * unpack. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "pdeflate.h"

#define B PDEFLATE_BLOCK

static fixture fx;
static void setup(void)
{
    fx_init(&fx);
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
}
static void teardown(void) { fx_free(&fx); }

TestSuite(pack_jobs, .init = setup, .fini = teardown, .timeout = 120);

static void pack_ok(const char *out, const char *args)
{
    run_result r = fx_pack(&fx, out, args);
    cr_assert_eq(r.status, 0, "pack %s: %s", args, r.err);
    run_free(&r);
}

/* verify, then unpack and compare with the input. */
static void verify_unpack(const char *container, const char *keyargs, const uint8_t *data,
                          size_t len)
{
    static int n;
    run_result r = fx_verify(&fx, container, keyargs);
    cr_assert_eq(r.status, 0, "verify %s: %s", container, r.err);
    run_free(&r);
    r = run("cd '%s' && %s unpack %s --trust sign1.pub --class test/class %s -o u%d", fx.dir,
            FWSEAL_BIN, container,
            keyargs, n);
    cr_assert_eq(r.status, 0, "unpack %s: %s", container, r.err);
    run_free(&r);
    char *p = path_fmt("%s/u%d/app", fx.dir, n++);
    size_t got_len;
    uint8_t *got = file_read(p, &got_len);
    cr_assert(got, "missing %s", p);
    cr_assert(got_len == len && (len == 0 || !memcmp(got, data, len)), "%s: unpacked bytes differ",
              container);
    free(got);
    free(p);
}

Test(pack_jobs, containers_identical_for_jobs_1_2_5_and_round_trip)
{
    const size_t sizes[] = {0, 1, B - 1, B, B + 1, 5 * B + 7};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *in = mixed_input(sizes[i], 100 + i), *ref, *got;
        size_t ref_len, got_len;
        char args[160], name[32];
        free(fx_write(&fx, "in.bin", in, sizes[i]));
        for (int jobs = 1; jobs <= 5; jobs += jobs == 1 ? 1 : 3) {
            snprintf(args, sizeof args, "--allow-empty --jobs %d app=in.bin", jobs);
            snprintf(name, sizeof name, "j%d.fws", jobs);
            pack_ok(name, args);
        }
        char *p1 = fx_path(&fx, "j1.fws");
        ref = file_read(p1, &ref_len);
        for (int jobs = 2; jobs <= 5; jobs += 3) {
            char *pj = path_fmt("%s/j%d.fws", fx.dir, jobs);
            got = file_read(pj, &got_len);
            cr_assert(got_len == ref_len && !memcmp(got, ref, ref_len),
                      "size %zu: --jobs %d container differs from --jobs 1", sizes[i], jobs);
            free(got);
            free(pj);
        }
        verify_unpack("j2.fws", "", in, sizes[i]);
        free(p1);
        free(ref);
        free(in);
    }
}

Test(pack_jobs, every_level_and_window_round_trips)
{
    size_t len = 2 * B + 3000;
    uint8_t *in = mixed_input(len, 7);
    char args[160];
    free(fx_write(&fx, "in.bin", in, len));
    for (int level = 1; level <= 9; level++)
        for (int wbits = 9; wbits <= 15; wbits++) {
            snprintf(args, sizeof args, "--jobs 2 --level %d --window-bits %d --chunk-size 1024 app=in.bin",
                     level, wbits);
            pack_ok("m.fws", args);
            verify_unpack("m.fws", "", in, len);
        }
    free(in);
}

Test(pack_jobs, encrypted_multi_component_round_trip)
{
    size_t len = 4 * B + 5;
    uint8_t *in = mixed_input(len, 8);
    free(fx_write(&fx, "in.bin", in, len));
    free(fx_write(&fx, "small.bin", in, 100));
    pack_ok("e.fws", "--jobs 2 --encrypt-to dev.pub --chunk-size 256 small=small.bin app=in.bin");
    verify_unpack("e.fws", "--key dev.key", in, len);
    free(in);
}

Test(pack_jobs, bad_jobs_values_are_usage_errors)
{
    const char *bad[] = {"0", "33", "-1", "two", ""};
    uint8_t x = 1;
    free(fx_write(&fx, "in.bin", &x, 1));
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char args[64];
        snprintf(args, sizeof args, "--jobs '%s' app=in.bin", bad[i]);
        run_result r = fx_pack(&fx, "bad.fws", args);
        cr_assert_eq(r.status, 2, "--jobs '%s': status %d", bad[i], r.status);
        cr_assert(strstr(r.err, "--jobs"), "--jobs '%s': %s", bad[i], r.err);
        run_free(&r);
    }
}

Test(pack_jobs, payloads_spanning_several_emit_batches)
{
    /* Incompressible, so the payload is about as large as the input: the
     * spool is emitted in 1 MiB batches, and the last chunk is partial. */
    size_t len = 2 * 1024 * 1024 + 600 * 1024 + 13;
    uint8_t *in = malloc(len);
    fill_random(in, len, 21);
    free(fx_write(&fx, "big.bin", in, len));
    free(fx_write(&fx, "in.bin", in, len));
    pack_ok("b1.fws", "--jobs 2 --level 1 --chunk-size 1048576 app=big.bin");
    verify_unpack("b1.fws", "", in, len);
    pack_ok("b2.fws", "--jobs 2 --level 0 --chunk-size 256 --encrypt-to psk.key app=big.bin");
    verify_unpack("b2.fws", "--key psk.key", in, len);
    pack_ok("b3.fws", "--jobs 3 --level 6 --encrypt-to dev.pub app=in.bin");
    verify_unpack("b3.fws", "--key dev.key", in, len);
    free(in);
}
