/* SPDX-License-Identifier: MIT */
/* The Motorola S-record reader (signer/pack/input_srec.c).  Oracles: the
 * original bytes, S-records made by GNU objcopy (S1, S2 and S3 forms), and
 * records written by a small writer in this file. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "input_fixture.h"
#include "testutil.h"

TestSuite(inputs_srec, .init = input_setup, .fini = input_teardown);

/* One record "S<type><count><address><data><checksum>\n" appended to out;
 * alen address bytes; bad_sum adds 1 to the checksum. */
static void srec(char **out, unsigned type, unsigned alen, unsigned long addr, const uint8_t *d,
                 unsigned n, int bad_sum)
{
    char line[600];
    unsigned count = alen + n + 1, sum = count, k;
    k = (unsigned)sprintf(line, "S%u%02X", type, count);
    for (unsigned i = alen; i-- > 0;) {
        unsigned b = (unsigned)(addr >> (8 * i)) & 0xFF;
        k += (unsigned)sprintf(line + k, "%02X", b);
        sum += b;
    }
    for (unsigned i = 0; i < n; i++) {
        k += (unsigned)sprintf(line + k, "%02X", d[i]);
        sum += d[i];
    }
    sprintf(line + k, "%02X\n", (~sum + (unsigned)bad_sum) & 0xFF);
    size_t old = *out ? strlen(*out) : 0;
    *out = realloc(*out, old + strlen(line) + 1);
    strcpy(*out + old, line);
}

/* objcopy's S-records of random bytes, in each address size, read back
 * to the same bytes at the same address. */
Test(inputs_srec, objcopy_round_trip)
{
    static const struct {
        const char *flag;
        unsigned long addr;
    } forms[] = {{"--srec-forceS3", 0x08010000}, {"", 0x1200}, {"", 0x123400}};
    uint8_t data[3000];
    fill_random(data, sizeof data, 7);
    free(put("in.bin", data, sizeof data));
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        run_result r = run("cd '%s' && objcopy -I binary -O srec %s --change-addresses 0x%lx "
                           "in.bin fw.s19", input_dir, forms[i].flag, forms[i].addr);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        collector col = {0};
        char *f = path_fmt("%s/fw.s19", input_dir), *err;
        cr_assert_eq(visit(f, NULL, &col, &err), FWS_EXIT_OK, "%s: %s", forms[i].flag, err);
        cr_assert_eq(col.n, 1);
        cr_assert_str_eq(col.c[0].name, "fw");
        cr_assert_eq(col.c[0].address, forms[i].addr);
        cr_assert_eq(col.c[0].len, sizeof data);
        cr_assert(!memcmp(col.c[0].data, data, sizeof data));
        collector_free(&col);
        free(err);
        free(f);
    }
}

/* Header, count records, gaps filled, records out of order. */
Test(inputs_srec, records_and_gaps)
{
    uint8_t a[4] = {1, 2, 3, 4}, b[2] = {9, 8}, hdr[3] = {'h', 'd', 'r'};
    char *t = NULL;
    srec(&t, 0, 2, 0, hdr, 3, 0);
    srec(&t, 1, 2, 0x1010, b, 2, 0);
    srec(&t, 1, 2, 0x1000, a, 4, 0);
    srec(&t, 5, 2, 2, NULL, 0, 0);
    srec(&t, 9, 2, 0x1000, NULL, 0, 0);
    char *f = put_text("g.srec", t), *err;
    collector col = {0};
    cr_assert_eq(visit(f, NULL, &col, &err), FWS_EXIT_OK, "%s", err);
    cr_assert_eq(col.c[0].address, 0x1000);
    cr_assert_eq(col.c[0].len, 0x12);
    cr_assert_eq(col.c[0].data[3], 4);
    cr_assert_eq(col.c[0].data[4], 0xFF);
    cr_assert_eq(col.c[0].data[0x11], 8);
    collector_free(&col);
    free(err);
    free(f);
    free(t);
}

/* Every rule the reader checks, each with its message and the line. */
Test(inputs_srec, refusals_name_the_line)
{
    uint8_t d[4] = {1, 2, 3, 4};
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "empty input"},
        {"S107000001020304EE\n", "line 1: missing end record (S7, S8 or S9) at the end of the file"},
        {"X1070000010203048E\nS9030000FC\n", "line 1: missing 'S' at the start of the record"},
        {"S4030000FC\nS9030000FC\n", "line 1: unknown record type 'S4'"},
        {"SX030000FC\n", "line 1: unknown record type 'SX'"},
        {"S107000001020304\nS9030000FC\n", "line 1: bad record length: the count field says 7"},
        {"S1070000010203048G\n", "line 1: non-hex character 'G' at column 18"},
        {"S10700000102030\n", "odd number of hex digits"},
        {"S10200FD\nS9030000FC\n", "an S1 record has at least 3 bytes after the count"},
        {"S9030000FC\nS1070000010203048E\n", "line 2: data after the end record"},
        {"S9030000FC\nS0030000FC\n", "line 2: data after the end record"},
        {"S8040000000FB\n", "odd number of hex digits"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *f = put_text("bad.srec", cases[i].text);
        expect_error(f, NULL, FWS_EXIT_IO, cases[i].want, "bad.srec");
        free(f);
    }
    /* built with the writer: checksum, mixing, counts, ends, address space */
    char *t = NULL, *f;
    srec(&t, 1, 2, 0, d, 4, 1);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("sum.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "line 1: bad checksum: expected 0x", "sum.srec");
    free(f), free(t), t = NULL;
    srec(&t, 1, 2, 0, d, 4, 0);
    srec(&t, 3, 4, 0x100, d, 4, 0);
    srec(&t, 7, 4, 0, NULL, 0, 0);
    f = put_text("mix.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "line 2: an S3 data record in a file of S1 records", NULL);
    free(f), free(t), t = NULL;
    srec(&t, 2, 3, 0, d, 4, 0);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("end.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "line 2: an S9 end record ends S2 data records (expected S8)",
                 NULL);
    free(f), free(t), t = NULL;
    srec(&t, 1, 2, 0, d, 4, 0);
    srec(&t, 5, 2, 2, NULL, 0, 0);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("count.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "line 2: the S5 record counts 2 data records, the file has 1",
                 NULL);
    free(f), free(t), t = NULL;
    srec(&t, 1, 2, 0, d, 4, 0);
    srec(&t, 0, 2, 0, d, 1, 0);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("hdr.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "line 2: an S0 header record may only be the first record",
                 NULL);
    free(f), free(t), t = NULL;
    srec(&t, 1, 2, 0xFFFE, d, 4, 0);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("wrap.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "the record at 0xFFFE runs past the end of the 16-bit "
                                       "address space of S1 records", NULL);
    free(f), free(t), t = NULL;
    srec(&t, 1, 2, 0, d, 4, 0);
    srec(&t, 9, 2, 0, d, 1, 0);
    f = put_text("enddata.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "an S9 end record has no data", NULL);
    free(f), free(t), t = NULL;
    /* the image rules are Intel HEX's: overlap, gap */
    srec(&t, 1, 2, 0, d, 4, 0);
    srec(&t, 1, 2, 2, d, 4, 0);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("ov.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "line 2: record at 0x2 overlaps bytes already defined at 0x2",
                 NULL);
    free(f), free(t), t = NULL;
    srec(&t, 1, 2, 0, d, 4, 0);
    srec(&t, 1, 2, 0x2000, d, 4, 0);
    srec(&t, 9, 2, 0, NULL, 0, 0);
    f = put_text("gap.srec", t);
    expect_error(f, NULL, FWS_EXIT_IO, "gap of 8188 bytes at 0x4 exceeds the maximum gap of 4096",
                 NULL);
    free(f), free(t);
}
