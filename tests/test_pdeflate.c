/* SPDX-License-Identifier: MIT */
/* Parallel deflate (signer/pack/pdeflate.c), in process: the same bytes
 * for any number of jobs, readable by zlib's inflate with the stream's
 * window bits and by the device's strict inflate (fws_inflate, which
 * refuses any distance beyond 2^wbits), within half a percent of one
 * zlib stream, and clean stops on read and write errors. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "diag.h"
#include "fixture.h"
#include "inflate.h"
#include "pdeflate.h"

#define B PDEFLATE_BLOCK

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

typedef struct {
    const uint8_t *data;
    size_t len, pos, fail_at;   /* fail_at: read error once pos reaches it (0: never) */
    uint32_t seed;
} mem_src;

static long mem_read(void *ctx, uint8_t *buf, size_t cap)
{
    mem_src *s = ctx;
    size_t n = s->len - s->pos;
    if (s->fail_at && s->pos >= s->fail_at)
        return -1;
    /* Short reads of varying size: block boundaries must not depend on them. */
    s->seed = s->seed * 1103515245u + 12345u;
    if (s->seed >> 31)
        cap = cap < 1 + (s->seed >> 8) % 70000 ? cap : 1 + (s->seed >> 8) % 70000;
    if (n > cap)
        n = cap;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return (long)n;
}

typedef struct {
    uint8_t *buf;
    size_t len, cap;
    int fail_after;   /* fail the nth write (1-based; 0: never) */
    int writes;
} mem_sink;

static int mem_write(void *ctx, const uint8_t *data, size_t len)
{
    mem_sink *k = ctx;
    if (k->fail_after && ++k->writes >= k->fail_after)
        return 1;
    if (k->len + len > k->cap) {
        k->cap = (k->len + len) * 2 + 64;
        k->buf = realloc(k->buf, k->cap);
    }
    memcpy(k->buf + k->len, data, len);
    k->len += len;
    return 0;
}

static uint8_t *pdeflate_run(const uint8_t *in, size_t len, int level, int wbits, int jobs,
                         size_t *out_len)
{
    pdeflate_params p = {level, wbits, jobs, "test input"};
    mem_src src = {in, len, 0, 0, (uint32_t)(len * 31 + (size_t)jobs)};
    mem_sink k = {NULL, 0, 0, 0, 0};
    uint64_t got_in = 0, got_out = 0;
    cr_assert_eq(pdeflate(&p, mem_read, &src, mem_write, &k, &got_in, &got_out), FWS_EXIT_OK);
    cr_assert_eq(got_in, len);
    cr_assert_eq(got_out, k.len);
    *out_len = k.len;
    return k.buf;
}

/* zlib's inflate, with the stream's window bits, must give back `in`. */
static void check_zlib_inflates(const uint8_t *z, size_t zlen, const uint8_t *in, size_t len,
                                int wbits)
{
    z_stream s;
    uint8_t *out = malloc(len + 1);
    memset(&s, 0, sizeof s);
    cr_assert_eq(inflateInit2(&s, wbits), Z_OK);
    s.next_in = (Bytef *)(uintptr_t)z;
    s.avail_in = (uInt)zlen;
    s.next_out = out;
    s.avail_out = (uInt)len + 1;
    cr_assert_eq(inflate(&s, Z_FINISH), Z_STREAM_END, "zlib inflate (wbits %d): %s", wbits,
                 s.msg ? s.msg : "incomplete");
    cr_assert_eq(s.avail_in, 0, "bytes after the zlib stream");
    cr_assert_eq(s.total_out, len);
    cr_assert(len == 0 || !memcmp(out, in, len));
    inflateEnd(&s);
    if (wbits == 15) {
        uLongf ulen = (uLongf)len + 1;
        cr_assert_eq(uncompress(out, &ulen, z, (uLong)zlen), Z_OK);
        cr_assert_eq(ulen, len);
    }
    free(out);
}

typedef struct {
    const uint8_t *want;
    size_t len, pos;
    int bad;
} cmp_sink;

static int cmp_out(void *user, const uint8_t *data, size_t len)
{
    cmp_sink *c = user;
    if (c->pos + len > c->len || memcmp(c->want + c->pos, data, len))
        c->bad = 1;
    c->pos += len;
    return c->bad;
}

/* The device's inflate: a window of exactly 2^wbits, every distance
 * checked against it, input pushed in uneven pieces. */
static void check_device_inflates(const uint8_t *z, size_t zlen, const uint8_t *in, size_t len,
                                  int wbits)
{
    fws_inflate_ctx ctx;
    uint8_t *window = malloc(FWS_INFLATE_WINDOW_SIZE(wbits));
    cmp_sink c = {in, len, 0, 0};
    size_t at = 0, used;
    int st = FWS_INFLATE_OK;
    cr_assert_eq(fws_inflate_init(&ctx, window, (unsigned)wbits, 1), FWS_INFLATE_OK);
    while (at < zlen && st == FWS_INFLATE_OK) {
        size_t n = 1 + rnd() % 9000;
        if (n > zlen - at)
            n = zlen - at;
        st = fws_inflate_push(&ctx, z + at, n, &used, cmp_out, &c);
        at += used;
    }
    cr_assert_eq(st, FWS_INFLATE_DONE, "device inflate (wbits %d): status %d at byte %zu", wbits,
                 st, at);
    cr_assert_eq(at, zlen);
    cr_assert(!c.bad && c.pos == len, "device inflate output differs");
    free(window);
}

Test(parallel_deflate, same_bytes_for_any_jobs_and_readable, .timeout = 60)
{
    const size_t sizes[] = {0, 1, 2, B - 1, B, B + 1, 2 * B, 3 * B + 123, 7 * B - 5};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        uint8_t *in = mixed_input(sizes[i], i + 1), *ref;
        size_t ref_len;
        ref = pdeflate_run(in, sizes[i], 6, 15, 1, &ref_len);
        for (int jobs = 2; jobs <= 5; jobs += 3) {
            size_t len;
            uint8_t *out = pdeflate_run(in, sizes[i], 6, 15, jobs, &len);
            cr_assert(len == ref_len && !memcmp(out, ref, len),
                      "size %zu: --jobs %d gives other bytes than --jobs 1", sizes[i], jobs);
            free(out);
        }
        check_zlib_inflates(ref, ref_len, in, sizes[i], 15);
        check_device_inflates(ref, ref_len, in, sizes[i], 15);
        free(ref);
        free(in);
    }
}

Test(parallel_deflate, every_level_and_window, .timeout = 60)
{
    size_t len = 2 * B + B / 2 + 77;
    uint8_t *in = mixed_input(len, 42);
    for (int level = 1; level <= 9; level++)
        for (int wbits = 9; wbits <= 15; wbits++) {
            size_t zlen, zlen3, single_len = compressBound((uLong)len);
            uint8_t *z = pdeflate_run(in, len, level, wbits, 1, &zlen);
            uint8_t *z3 = pdeflate_run(in, len, level, wbits, 3, &zlen3), *single = malloc(single_len);
            z_stream s;
            cr_assert(zlen == zlen3 && !memcmp(z, z3, zlen), "level %d wbits %d: jobs 3 differs",
                      level, wbits);
            /* The header is zlib's own for these parameters. */
            memset(&s, 0, sizeof s);
            cr_assert_eq(deflateInit2(&s, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
            s.next_in = (Bytef *)(uintptr_t)in;
            s.avail_in = (uInt)len;
            s.next_out = single;
            s.avail_out = (uInt)single_len;
            cr_assert_eq(deflate(&s, Z_FINISH), Z_STREAM_END);
            cr_assert(z[0] == single[0] && z[1] == single[1],
                      "level %d wbits %d: header %02x%02x, zlib writes %02x%02x", level, wbits,
                      z[0], z[1], single[0], single[1]);
            cr_assert_eq(z[0] >> 4, wbits - 8);
            deflateEnd(&s);
            check_zlib_inflates(z, zlen, in, len, wbits);
            check_device_inflates(z, zlen, in, len, wbits);
            free(single);
            free(z);
            free(z3);
        }
    free(in);
}

static size_t single_stream_len(const uint8_t *in, size_t len, int level)
{
    uLongf n = compressBound((uLong)len);
    uint8_t *out = malloc(n);
    cr_assert_eq(compress2(out, &n, in, (uLong)len, level), Z_OK);
    free(out);
    return n;
}

static void check_size(const char *what, const uint8_t *in, size_t len)
{
    size_t zlen, single = single_stream_len(in, len, 6);
    uint8_t *z = pdeflate_run(in, len, 6, 15, 2, &zlen);
    double excess = ((double)zlen - (double)single) / (double)single;
    cr_log_info("%s, %zu bytes: %zu parallel vs %zu single stream (%+.3f %%)", what, len, zlen,
                single, 100 * excess);
    cr_assert(excess <= 0.005, "%s: %zu bytes, single-stream deflate %zu (+%.3f %%)", what, zlen,
              single, 100 * excess);
    check_zlib_inflates(z, zlen, in, len, 15);
    free(z);
}

Test(parallel_deflate, size_within_half_a_percent_of_one_stream, .timeout = 60)
{
    size_t len = 3 * 1024 * 1024, a_len, b_len;
    uint8_t *text = malloc(len), *a, *b, *bin;
    fill_text(text, len, 9);
    check_size("text", text, len);
    free(text);
    /* Binary: real executables, the tool and this test. */
    a = file_read(FWSEAL_BIN, &a_len);
    b = file_read("/proc/self/exe", &b_len);
    cr_assert(a && b);
    bin = malloc(a_len + b_len);
    memcpy(bin, a, a_len);
    memcpy(bin + a_len, b, b_len);
    check_size("executables", bin, a_len + b_len);
    free(a);
    free(b);
    free(bin);
}

Test(parallel_deflate, incompressible_input_grows_the_output_buffer)
{
    size_t len = 3 * B + 999, zlen;
    uint8_t *in = malloc(len), *z;
    fill_random(in, len, 77);
    z = pdeflate_run(in, len, 9, 15, 2, &zlen);
    cr_assert_gt(zlen, len);
    check_zlib_inflates(z, zlen, in, len, 15);
    check_device_inflates(z, zlen, in, len, 15);
    free(z);
    free(in);
}

Test(parallel_deflate, read_and_write_errors_stop_cleanly)
{
    size_t len = 9 * B;
    uint8_t *in = mixed_input(len, 3);
    for (int jobs = 1; jobs <= 4; jobs += 3) {
        pdeflate_params p = {6, 15, jobs, "test input"};
        mem_src src = {in, len, 0, 4 * B + 5, 1};
        mem_sink k = {NULL, 0, 0, 0, 0};
        cr_assert_eq(pdeflate(&p, mem_read, &src, mem_write, &k, NULL, NULL), FWS_EXIT_IO);
        free(k.buf);
        mem_src src2 = {in, len, 0, 0, 2};
        mem_sink k2 = {NULL, 0, 0, 3, 0};
        cr_assert_eq(pdeflate(&p, mem_read, &src2, mem_write, &k2, NULL, NULL), FWS_EXIT_IO);
        free(k2.buf);
    }
    free(in);
}
