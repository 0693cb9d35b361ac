/* SPDX-License-Identifier: MIT */
/* The Intel HEX reader (signer/pack/input_ihex.c).  Oracles: the original
 * bytes, Intel HEX made by GNU objcopy, by a record writer in this file,
 * and a record set typed in from the format's usual worked example. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "input_fixture.h"
#include "testutil.h"

/* ---- Intel HEX ------------------------------------------------------- */

TestSuite(inputs_ihex, .init = input_setup, .fini = input_teardown);

/* One record ":LLAAAATT<data>CC\n" appended to out (independent writer). */
static void rec(char **out, unsigned type, unsigned addr, const uint8_t *data, unsigned len)
{
    char line[600];
    unsigned sum = len + (addr >> 8) + (addr & 0xFF) + type, i, n;
    n = (unsigned)sprintf(line, ":%02X%04X%02X", len, addr & 0xFFFF, type);
    for (i = 0; i < len; i++) {
        n += (unsigned)sprintf(line + n, "%02X", data[i]);
        sum += data[i];
    }
    sprintf(line + n, "%02X\n", (0x100 - (sum & 0xFF)) & 0xFF);
    size_t old = *out ? strlen(*out) : 0;
    *out = realloc(*out, old + strlen(line) + 1);
    strcpy(*out + old, line);
}

static void rec_ela(char **out, unsigned upper)
{
    uint8_t b[2] = {(uint8_t)(upper >> 8), (uint8_t)upper};
    rec(out, 4, 0, b, 2);
}

static void rec_esa(char **out, unsigned seg)
{
    uint8_t b[2] = {(uint8_t)(seg >> 8), (uint8_t)seg};
    rec(out, 2, 0, b, 2);
}

static void rec_data(char **out, uint32_t addr, const uint8_t *d, unsigned len)
{
    rec_ela(out, addr >> 16);
    rec(out, 0, addr & 0xFFFF, d, len);
}

static int hex_visit(const char *text, const fws_input_opts *opts, collector *col, char **err)
{
    char *f = put_text("img.hex", text), *spec = path_fmt("img=%s", f);
    int rc = visit(spec, opts, col, err);
    free(spec);
    free(f);
    return rc;
}

static void hex_error(const char *text, const fws_input_opts *opts, const char *want,
                      const char *line)
{
    char *f = put_text("bad.hex", text), *spec = path_fmt("img=%s", f);
    expect_error(spec, opts, FWS_EXIT_IO, want, f);
    if (line) {
        collector col = {0};
        char *err;
        visit(spec, opts, &col, &err);
        cr_expect(strstr(err, line), "no '%s' in: %s", line, err);
        free(err);
    }
    free(spec);
    free(f);
}

Test(inputs_ihex, worked_example)
{
    /* The classic four-record example (bytes typed in from the records). */
    static const char text[] = ":10010000214601360121470136007EFE09D2190140\n"
                               ":100110002146017E17C20001FF5F16002148011928\n"
                               ":10012000194E79234623965778239EDA3F01B2CAA7\n"
                               ":100130003F0156702B5E712B722B732146013421C7\n"
                               ":00000001FF\n";
    static const uint8_t want[64] = {
        0x21, 0x46, 0x01, 0x36, 0x01, 0x21, 0x47, 0x01, 0x36, 0x00, 0x7E, 0xFE, 0x09,
        0xD2, 0x19, 0x01, 0x21, 0x46, 0x01, 0x7E, 0x17, 0xC2, 0x00, 0x01, 0xFF, 0x5F,
        0x16, 0x00, 0x21, 0x48, 0x01, 0x19, 0x19, 0x4E, 0x79, 0x23, 0x46, 0x23, 0x96,
        0x57, 0x78, 0x23, 0x9E, 0xDA, 0x3F, 0x01, 0xB2, 0xCA, 0x3F, 0x01, 0x56, 0x70,
        0x2B, 0x5E, 0x71, 0x2B, 0x72, 0x2B, 0x73, 0x21, 0x46, 0x01, 0x34, 0x21};
    collector col = {0};
    cr_assert_eq(hex_visit(text, NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 1);
    cr_expect_str_eq(col.c[0].name, "img");
    cr_expect(strstr(col.c[0].origin, "img.hex"));
    cr_expect_eq(col.c[0].has_address, 1);
    cr_expect_eq(col.c[0].address, 0x100);
    cr_assert_eq(col.c[0].len, 64);
    cr_expect_arr_eq(col.c[0].data, want, 64);
    collector_free(&col);
}

static void objcopy_roundtrip(size_t size, uint64_t seed, const char *extra)
{
    uint8_t *data = malloc(size);
    char *bin, *hex, *spec;
    collector col = {0};
    run_result r;
    fill_random(data, size, seed);
    bin = put("orig.bin", data, size);
    hex = path_fmt("%s/orig.hex", input_dir);
    r = run("objcopy -I binary -O ihex --change-addresses 0x8000000 %s '%s' '%s'", extra, bin,
            hex);
    cr_assert_eq(r.status, 0, "objcopy: %s", r.err);
    run_free(&r);
    spec = path_fmt("app=%s", hex);
    col.chunk = 0;
    col.seed = seed;
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x8000000u);
    cr_assert_eq(col.c[0].len, size, "size %zu", size);
    cr_assert_arr_eq(col.c[0].data, data, size);
    collector_free(&col);
    free(spec);
    free(hex);
    free(bin);
    free(data);
}

Test(inputs_ihex, objcopy_roundtrip)
{
    objcopy_roundtrip(1, 1, "");
    objcopy_roundtrip(16, 2, "");
    objcopy_roundtrip(1000, 3, "");
    objcopy_roundtrip(65536, 4, "");
    objcopy_roundtrip(65537, 5, "");      /* crosses a 64 KiB boundary: a second 04 record */
    objcopy_roundtrip(300000, 6, "");
}

Test(inputs_ihex, objcopy_crlf)
{
    /* Windows line endings and trailing blank lines after the EOF record. */
    uint8_t data[5000];
    char *bin, *hex, *spec, *text, *crlf;
    size_t len, i, o = 0;
    collector col = {0};
    run_result r;
    fill_random(data, sizeof data, 9);
    bin = put("o.bin", data, sizeof data);
    hex = path_fmt("%s/o.hex", input_dir);
    r = run("objcopy -I binary -O ihex --change-addresses 0x20000000 '%s' '%s'", bin, hex);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    text = (char *)file_read(hex, &len);
    crlf = malloc(len * 2 + 16);
    for (i = 0; i < len; i++) {
        if (text[i] == '\n')
            crlf[o++] = '\r';
        crlf[o++] = text[i];
    }
    memcpy(crlf + o, "\r\n  \n\t\r\n", 8);
    o += 8;
    file_write(hex, crlf, o);
    spec = path_fmt("x=%s", hex);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x20000000u);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    collector_free(&col);
    free(spec);
    free(text);
    free(crlf);
    free(hex);
    free(bin);
}

/* Random images: records of random sizes, random gaps within the limit,
 * written in random order; compared with the image built here. */
Test(inputs_ihex, random_out_of_order)
{
    for (unsigned iter = 0; iter < 40; iter++) {
        uint64_t s = iter * 0x9E3779B97F4A7C15ull + 12345;
#define NEXT() (s = s * 6364136223846793005ull + 1442695040888963407ull, (unsigned)(s >> 33))
        uint32_t base = (NEXT() % 4 == 0) ? 0 : (uint32_t)(NEXT() & 0xFFFFF) << 11;
        size_t span = 1 + NEXT() % 200000, nrec = 0, i;
        uint8_t *img = malloc(span), *def = calloc(span, 1), fill = (uint8_t)NEXT();
        fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
        char **units = NULL, *text = NULL;
        collector col = {0};
        opts.hex_fill = fill;
        opts.hex_max_gap = 1 + NEXT() % 2000;
        fill_random(img, span, iter + 77);
        /* Lay records from 0 to span-1; skip gaps of at most max_gap. */
        for (size_t a = 0; a < span;) {
            unsigned len = 1 + NEXT() % 255;
            if (a + len > span)
                len = (unsigned)(span - a);
            units = realloc(units, (nrec + 1) * sizeof *units);
            units[nrec] = NULL;
            rec_data(&units[nrec], base + (uint32_t)a, img + a, len);
            nrec++;
            memset(def + a, 1, len);
            a += len;
            if (a < span && NEXT() % 3 == 0) {
                size_t gap = 1 + NEXT() % opts.hex_max_gap;
                if (a + gap >= span)
                    gap = span - a - 1;
                a += gap;
            }
        }
        for (i = 0; i < span; i++)
            if (!def[i])
                img[i] = fill;
        for (i = nrec; i > 1; i--) { /* shuffle */
            size_t j = NEXT() % i;
            char *t = units[i - 1];
            units[i - 1] = units[j];
            units[j] = t;
        }
        for (i = 0; i < nrec; i++) {
            size_t old = text ? strlen(text) : 0;
            text = realloc(text, old + strlen(units[i]) + 1);
            strcpy(text + old, units[i]);
            free(units[i]);
        }
        rec(&text, 1, 0, NULL, 0);
        col.chunk = 0;
        col.seed = iter;
        cr_assert_eq(hex_visit(text, &opts, &col, NULL), FWS_EXIT_OK, "iter %u", iter);
        cr_assert_eq(col.c[0].address, base, "iter %u", iter);
        cr_assert_eq(col.c[0].len, span, "iter %u", iter);
        cr_assert_arr_eq(col.c[0].data, img, span, "iter %u", iter);
        collector_free(&col);
        free(units);
        free(text);
        free(img);
        free(def);
#undef NEXT
    }
}

Test(inputs_ihex, gap_filled_within_limit)
{
    uint8_t a[16], b[16], want[16 + 4096 + 16];
    char *text = NULL;
    collector col = {0};
    fill_random(a, 16, 1);
    fill_random(b, 16, 2);
    /* second record first: order does not matter */
    rec_data(&text, 0x1010 + 4096, b, 16);
    rec_data(&text, 0x1000, a, 16);
    rec(&text, 1, 0, NULL, 0);
    memcpy(want, a, 16);
    memset(want + 16, 0xFF, 4096);
    memcpy(want + 16 + 4096, b, 16);
    cr_assert_eq(hex_visit(text, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x1000);
    cr_assert_eq(col.c[0].len, sizeof want);
    cr_expect_arr_eq(col.c[0].data, want, sizeof want);
    collector_free(&col);

    /* a custom fill byte */
    {
        fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
        opts.hex_fill = 0x00;
        memset(want + 16, 0x00, 4096);
        cr_assert_eq(hex_visit(text, &opts, &col, NULL), FWS_EXIT_OK);
        cr_expect_arr_eq(col.c[0].data, want, sizeof want);
        collector_free(&col);
    }
    free(text);

    /* one more byte of gap is too many */
    text = NULL;
    rec_data(&text, 0x1000, a, 16);
    rec_data(&text, 0x1010 + 4097, b, 16);
    rec(&text, 1, 0, NULL, 0);
    hex_error(text, NULL, "gap of 4097 bytes at 0x1010 exceeds the maximum gap of 4096 bytes",
              NULL);
    {
        fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
        opts.hex_max_gap = 0;
        free(text);
        text = NULL;
        rec_data(&text, 0x1000, a, 16);
        rec_data(&text, 0x1011, b, 16);
        rec(&text, 1, 0, NULL, 0);
        hex_error(text, &opts, "gap of 1 bytes at 0x1010 exceeds the maximum gap of 0 bytes",
                  NULL);
    }
    free(text);
}

Test(inputs_ihex, span_limit)
{
    uint8_t a[4] = {1, 2, 3, 4};
    char *text = NULL;
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    rec_data(&text, 0x08000000, a, 4);
    rec_data(&text, 0x1FFF7800, a, 4);
    rec(&text, 1, 0, NULL, 0);
    /* too large a gap is reported as a gap, before any allocation */
    hex_error(text, NULL, "gap of 402618364 bytes at 0x8000004 exceeds the maximum gap", NULL);
    opts.hex_max_gap = UINT64_MAX;
    hex_error(text, &opts, "spans 402618372 bytes, more than the 67108864 bytes", NULL);
    free(text);
}

Test(inputs_ihex, segment_addressing)
{
    uint8_t d[8] = {10, 11, 12, 13, 14, 15, 16, 17}, want[0x10000];
    char *text = NULL;
    collector col = {0};
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    /* hand-checked: segment 0x1200 -> base 0x12000 */
    static const char typed[] = ":020000021200EA\n"
                                ":0400100001020304E2\n"
                                ":00000001FF\n";
    static const uint8_t typed_want[4] = {1, 2, 3, 4};
    cr_assert_eq(hex_visit(typed, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x12010);
    cr_assert_eq(col.c[0].len, 4);
    cr_expect_arr_eq(col.c[0].data, typed_want, 4);
    collector_free(&col);

    /* a record at offset 0xFFFC of 8 bytes wraps inside its segment */
    rec_esa(&text, 0x1000);
    rec(&text, 0, 0xFFFC, d, 8);
    rec(&text, 1, 0, NULL, 0);
    opts.hex_max_gap = 0x10000;
    memset(want, 0xFF, sizeof want);
    memcpy(want, d + 4, 4);
    memcpy(want + 0xFFFC, d, 4);
    cr_assert_eq(hex_visit(text, &opts, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x10000);
    cr_assert_eq(col.c[0].len, 0x10000);
    cr_expect_arr_eq(col.c[0].data, want, sizeof want);
    collector_free(&col);
    free(text);

    /* switching between segment and linear bases */
    text = NULL;
    rec_esa(&text, 0xF000); /* 0xF0000 */
    rec(&text, 0, 0x0000, d, 4);
    rec_ela(&text, 0x000F); /* 0xF0000 again, linear */
    rec(&text, 0, 0x0004, d + 4, 4);
    rec(&text, 5, 0, d, 4); /* start linear address: ignored */
    rec(&text, 3, 0, d, 4); /* start segment address: ignored */
    rec(&text, 1, 0, NULL, 0);
    cr_assert_eq(hex_visit(text, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0xF0000);
    cr_assert_eq(col.c[0].len, 8);
    cr_expect_arr_eq(col.c[0].data, d, 8);
    collector_free(&col);
    free(text);
}

Test(inputs_ihex, linear_addressing)
{
    static const char typed[] = ":020000040800F2\n"
                                ":0400000001020304F2\n"
                                ":00000001FF\n";
    static const uint8_t want[4] = {1, 2, 3, 4};
    collector col = {0};
    cr_assert_eq(hex_visit(typed, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x08000000);
    cr_assert_eq(col.c[0].len, 4);
    cr_expect_arr_eq(col.c[0].data, want, 4);
    collector_free(&col);
    /* no 04 record at all: 16-bit addresses from 0 */
    cr_assert_eq(hex_visit(":0400000001020304F2\n:00000001FF\n", NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0);
    cr_expect_arr_eq(col.c[0].data, want, 4);
    collector_free(&col);
}

Test(inputs_ihex, record_errors)
{
    static const char eof[] = ":00000001FF\n";
    static const struct {
        const char *text, *want, *line;
    } cases[] = {
        {":0100000041BF\n:00000001FF\n", "bad checksum: expected 0xBE, got 0xBF", "line 1:"},
        {":0100000041BE\n:0100010041BC\n", "bad checksum: expected 0xBD, got 0xBC", "line 2:"},
        {":0200000041BD\n:00000001FF\n", "bad record length", "line 1:"},
        {":0100000041BE\n:00000001FF\n:0100000041\n", "data after the end-of-file record",
         "line 3:"},
        {":0100000041\n:00000001FF\n", "bad record length", "line 1:"},
        {":01000000411BE\n:00000001FF\n", "bad record length: odd number of hex digits",
         "line 1:"},
        {":01000000G1BE\n:00000001FF\n", "non-hex character 'G' at column 10", "line 1:"},
        {":0100 00041BE\n:00000001FF\n", "non-hex character ' ' at column 6", "line 1:"},
        {"\n\n0100000041BE\n:00000001FF\n", "missing ':'", "line 3:"},
        {" :0100000041BE\n:00000001FF\n", "missing ':'", "line 1:"},
        {":0100000041BE\n:00000006FA\n:00000001FF\n", "unknown record type 0x06", "line 2:"},
        {":0100000041BE\n", "missing end-of-file record", "line 1"},
        {":0100000041BE\n\n\n", "missing end-of-file record", NULL},
        {":0100000041BE\n:00000001FF\n:00000001FF\n", "data after the end-of-file record",
         "line 3:"},
        {":00000001FF\n", "no data records", NULL},
        {":0000000000\n:00000001FF\n", "no data records", NULL},
        {":0100000141BD\n:00000001FF\n", "bad record length: a type 01 record has 0", "line 1:"},
        {":0100000241BC\n:00000001FF\n", "bad record length: a type 02 record has 2", "line 1:"},
        {":020000041000EA\n:0200000412", "bad record length", "line 2:"},
        {":0100000041BE\n:0100000042BD\n:00000001FF\n",
         "record at 0x0 overlaps bytes already defined at 0x0", "line 2:"},
        {"", "empty input", NULL},
        {"\x01\x02", "missing ':'", "line 1:"},
    };
    (void)eof;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        hex_error(cases[i].text, NULL, cases[i].want, cases[i].line);
}

Test(inputs_ihex, overlap_and_long_lines)
{
    uint8_t a[32], b[8];
    char *text = NULL, line[1200];
    fill_random(a, 32, 3);
    fill_random(b, 8, 4);
    rec_data(&text, 0x8001000, a, 32);
    rec_data(&text, 0x8002000, a, 32);
    rec_data(&text, 0x8001018, b, 8); /* last 8 bytes of the first record */
    rec(&text, 1, 0, NULL, 0);
    hex_error(text, NULL, "record at 0x8001018 overlaps bytes already defined at 0x8001018",
              "line 6:");
    free(text);
    text = NULL;
    rec_data(&text, 0x100, a, 32);
    rec_data(&text, 0xF8, b, 8);                /* 0xF8..0xFF: adjacent, fine */
    rec_data(&text, 0xFC, b, 8);              /* 0xFC..0x103: overlaps from 0x100 */
    rec(&text, 1, 0, NULL, 0);
    hex_error(text, NULL, "record at 0xFC overlaps bytes already defined at 0xFC", "line 6:");
    free(text);

    memset(line, 'A', sizeof line);
    line[0] = ':';
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = 0;
    hex_error(line, NULL, "bad record length: line longer than", "line 1:");
}

Test(inputs_ihex, messages_name_the_file_and_line)
{
    char *f = put_text("named.hex", ":0100000041BE\n:0100000041BF\n:00000001FF\n");
    char *spec = path_fmt("img=%s", f), *want = path_fmt("%s: line 2: bad checksum", f);
    expect_error(spec, NULL, FWS_EXIT_IO, want, NULL);
    free(want);
    free(spec);
    free(f);
}
