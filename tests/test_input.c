/* SPDX-License-Identifier: MIT */
/* The input spec ([NAME=]FILE[@ADDRESS], signer/pack/input.c): names,
 * addresses, the reader chosen by extension, usage and file errors. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"
#include "input_fixture.h"
#include "testutil.h"

/* ---- spec syntax ----------------------------------------------------- */

TestSuite(inputs_spec, .init = input_setup, .fini = input_teardown);

Test(inputs_spec, raw_with_name_and_address)
{
    uint8_t data[1000];
    collector col = {0};
    char *f, *spec;
    fill_random(data, sizeof data, 1);
    f = put("fw.bin", data, sizeof data);
    spec = path_fmt("app=%s@0x8000000", f);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 1);
    cr_expect_str_eq(col.c[0].name, "app");
    cr_expect_str_eq(col.c[0].origin, f);
    cr_expect_eq(col.c[0].has_address, 1);
    cr_expect_eq(col.c[0].address, 0x8000000u);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    collector_free(&col);
    free(spec);

    spec = path_fmt("boot/stage-1.v2_x+y=%s", f);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_str_eq(col.c[0].name, "boot/stage-1.v2_x+y");
    cr_expect_eq(col.c[0].has_address, 0);
    collector_free(&col);
    free(spec);
    free(f);
}

Test(inputs_spec, addresses)
{
    static const struct {
        const char *text;
        uint64_t value;
    } good[] = {
        {"0", 0},
        {"4096", 4096},
        {"0x0", 0},
        {"0X1f", 0x1f},
        {"0xffffffffffffffff", UINT64_MAX},
        {"18446744073709551615", UINT64_MAX},
    };
    static const char *const bad[] = {
        "", "zz", "0x", "-1", "+1", " 1", "1 ", "0x1g", "18446744073709551616",
        "0x10000000000000000", "010", "1e3", "0b101",
    };
    uint8_t byte = 7;
    char *f = put("a.bin", &byte, 1);
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        collector col = {0};
        char *spec = path_fmt("a=%s@%s", f, good[i].text);
        cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK, "%s", spec);
        cr_expect_eq(col.c[0].has_address, 1);
        cr_expect_eq(col.c[0].address, good[i].value, "%s", spec);
        collector_free(&col);
        free(spec);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *spec = path_fmt("a=%s@%s", f, bad[i]);
        expect_error(spec, NULL, FWS_EXIT_USAGE, "bad address", NULL);
        free(spec);
    }
    free(f);
}

Test(inputs_spec, file_with_at_sign_needs_explicit_address)
{
    uint8_t data[3] = {1, 2, 3};
    collector col = {0};
    char *f = put("fw@2x.bin", data, 3), *spec;
    spec = path_fmt("a=%s@0x10", f);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x10);
    cr_expect_eq(col.c[0].len, 3);
    collector_free(&col);
    free(spec);
    spec = path_fmt("a=%s", f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "bad address '2x.bin'", NULL);
    free(spec);
    free(f);
}

Test(inputs_spec, usage_errors)
{
    uint8_t byte = 1;
    char *f = put("a.bin", &byte, 1), *spec;
    char long_name[80];

    expect_error("", NULL, FWS_EXIT_USAGE, "[NAME=]FILE[@ADDRESS]", NULL);
    expect_error("app=", NULL, FWS_EXIT_USAGE, "FILE is missing", NULL);
    expect_error("app=@0x10", NULL, FWS_EXIT_USAGE, "FILE is missing", NULL);
    expect_error("-", NULL, FWS_EXIT_USAGE, "standard input needs a component name", NULL);
    expect_error("-@0x10", NULL, FWS_EXIT_USAGE, "standard input needs a component name", NULL);

    static const char *const bad_names[] = {"", "a b", "a//b", "/a", "a/", "../x", "x/..",
                                            ".", "a/./b", "a\\b", "a:b", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        spec = path_fmt("%s=%s", bad_names[i], f);
        expect_error(spec, NULL, FWS_EXIT_USAGE,
                     ": invalid component name (allowed: 1-64 bytes of A-Z a-z 0-9 . _ + - and "
                     "/ between segments)", NULL);
        free(spec);
    }
    /* 64 bytes is fine, 65 is not, 70 gets the length message. */
    memset(long_name, 'n', sizeof long_name);
    long_name[64] = 0;
    {
        collector col = {0};
        spec = path_fmt("%s=%s", long_name, f);
        cr_expect_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
        collector_free(&col);
        free(spec);
    }
    long_name[64] = 'n';
    long_name[70] = 0;
    spec = path_fmt("%s=%s", long_name, f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "' is 70 bytes, the maximum is 64", long_name);
    free(spec);
    long_name[65] = 0;
    spec = path_fmt("%s=%s", long_name, f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "is 65 bytes, the maximum is 64", NULL);
    free(spec);

    /* An @ADDRESS where the kind brings its own, or none. */
    expect_error("app=fw.hex@0x100", NULL, FWS_EXIT_USAGE, "carries its own addresses", NULL);
    expect_error("app=FW.IHX@1", NULL, FWS_EXIT_USAGE, "carries its own addresses", NULL);
    expect_error("fw.tar@0x100", NULL, FWS_EXIT_USAGE, "take no @ADDRESS", NULL);
    expect_error("x=fw.zip@0", NULL, FWS_EXIT_USAGE, "take no @ADDRESS", NULL);
    expect_error("fw.elf@0x100", NULL, FWS_EXIT_USAGE, "an ELF file carries its own", NULL);
    expect_error("fw.s19@0x100", NULL, FWS_EXIT_USAGE, "an S-record file carries its own", NULL);
    free(f);
}

/* Without NAME=, the base name: as it is for a raw file, less the
 * extension for an image format; a base name that is no valid component
 * name is refused with a hint. */
Test(inputs_spec, default_names)
{
    static const uint8_t hex[] = ":0100000055AA\n:00000001FF\n";
    static const uint8_t srec[] = "S104000055A6\nS9030000FC\n";
    uint8_t byte = 1;
    static const struct {
        const char *file;
        const uint8_t *data;
        size_t len;
        const char *name;
    } cases[] = {
        {"radio.bin", NULL, 0, "radio.bin"}, {"config", NULL, 0, "config"},
        {"boot.HEX", hex, sizeof hex - 1, "boot"}, {"app.s19", srec, sizeof srec - 1, "app"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        collector col = {0};
        char *f = put(cases[i].file, cases[i].data ? cases[i].data : &byte,
                      cases[i].data ? cases[i].len : 1);
        char *spec = path_fmt("%s%s", f, cases[i].data ? "" : "@0x100");
        cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK, "%s", spec);
        cr_assert_eq(col.n, 1);
        cr_assert_str_eq(col.c[0].name, cases[i].name, "%s", spec);
        collector_free(&col);
        free(spec);
        free(f);
    }
    char *f = put("my fw.bin", &byte, 1);
    expect_error(f, NULL, FWS_EXIT_USAGE, "is not a valid component name", "NAME=");
    free(f);
}

Test(inputs_spec, kind_by_extension)
{
    static const struct {
        const char *file;
        enum fws_input_kind kind;
    } cases[] = {
        {"a.hex", FWS_INPUT_IHEX},       {"A.HEX", FWS_INPUT_IHEX},
        {"b.ihex", FWS_INPUT_IHEX},      {"c.Ihx", FWS_INPUT_IHEX},
        {"d.tar", FWS_INPUT_ARCHIVE},    {"d.tar.gz", FWS_INPUT_ARCHIVE},
        {"D.TGZ", FWS_INPUT_ARCHIVE},    {"d.tar.bz2", FWS_INPUT_ARCHIVE},
        {"d.tar.xz", FWS_INPUT_ARCHIVE}, {"d.Zip", FWS_INPUT_ARCHIVE},
        {"d.cpio", FWS_INPUT_ARCHIVE},   {"d.gz", FWS_INPUT_RAW},
        {"d.bin", FWS_INPUT_RAW},        {"hex", FWS_INPUT_RAW},
        {"d.hex.bin", FWS_INPUT_RAW},    {"d.tar.zst", FWS_INPUT_RAW},
        {".tar", FWS_INPUT_ARCHIVE},     {"x.elf", FWS_INPUT_ELF},
        {"x.AXF", FWS_INPUT_ELF},        {"x.elf.bin", FWS_INPUT_RAW},
        {"s.srec", FWS_INPUT_SREC},      {"s.S19", FWS_INPUT_SREC},
        {"s.s28", FWS_INPUT_SREC},       {"s.s37", FWS_INPUT_SREC},
        {"s.mot", FWS_INPUT_SREC},       {"s.mhx", FWS_INPUT_RAW},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(fws_input_kind_of(cases[i].file), cases[i].kind, "%s", cases[i].file);
}

Test(inputs_spec, file_errors)
{
    char *spec = path_fmt("a=%s/missing.bin", input_dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "cannot open: No such file or directory",
                 "missing.bin");
    free(spec);
    spec = path_fmt("a=%s", input_dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "is a directory", input_dir);
    free(spec);
    spec = path_fmt("a=%s/missing.hex", input_dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "cannot open", "missing.hex");
    free(spec);
    spec = path_fmt("%s/missing.tar.gz", input_dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "cannot open", "missing.tar.gz");
    free(spec);
    {   /* as nobody even under root, which reads any file */
        uint8_t b = 0;
        char *f = put("locked.bin", &b, 1);
        chmod(input_dir, 0755);
        chmod(f, 0);
        spec = path_fmt("a=%s", f);
        fs_unprivileged_begin();
        expect_error(spec, NULL, FWS_EXIT_IO, "Permission denied", f);
        fs_unprivileged_end();
        free(spec);
        free(f);
    }
}

Test(inputs_spec, fn_status_is_returned)
{
    uint8_t b = 1;
    char *f = put("a.bin", &b, 1), *spec = path_fmt("a=%s", f);
    collector col = {0};
    col.fail_at = 1;
    cr_expect_eq(visit(spec, NULL, &col, NULL), 1);
    cr_expect_eq(col.n, 1);
    collector_free(&col);
    free(spec);
    free(f);
}
