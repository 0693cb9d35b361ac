/* The parallel pack pipeline: SHA-256 on the host (SHA-NI or portable),
 * the chunk chain from midstates, pigz-style parallel deflate, and
 * `fwseal pack --jobs`.  Oracles: libsodium's SHA-256, zlib (inflate with
 * the stream's window bits, and single-stream deflate for the size), the
 * device's strict inflate (fws_inflate, which refuses any distance beyond
 * 2^wbits), and plain byte comparison of unpacked output. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "chunk_chain.h"
#include "cli.h"
#include "fixture.h"
#include "inflate.h"
#include "pdeflate.h"
#include "host_sha256.h"

#define B PDEFLATE_BLOCK

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* ---- SHA-256 -------------------------------------------------------- */

Test(sha256_host, matches_libsodium_any_split)
{
    uint8_t buf[2200], a[32], b[32];
    fill_random(buf, sizeof buf, 11);
    cr_log_info("SHA extensions in use: %s", host_sha256_accelerated() ? "yes" : "no");
    for (size_t len = 0; len <= 2100; len++) {
        host_sha256 s;
        size_t cut1 = len ? rnd() % (len + 1) : 0, cut2 = cut1 + (len - cut1 ? rnd() % (len - cut1 + 1) : 0);
        host_sha256_init(&s);
        host_sha256_update(&s, buf, cut1);
        host_sha256_update(&s, buf + cut1, cut2 - cut1);
        host_sha256_update(&s, buf + cut2, len - cut2);
        host_sha256_final(&s, a);
        crypto_hash_sha256(b, buf, len);
        cr_assert(!memcmp(a, b, 32), "length %zu (cuts %zu, %zu)", len, cut1, cut2);
    }
}

Test(sha256_host, portable_and_dispatched_blocks_agree)
{
    uint8_t buf[64 * 40];
    for (int i = 0; i < 500; i++) {
        uint32_t h1[8], h2[8];
        size_t n = rnd() % 40 + 1;
        fill_random(buf, n * 64, (uint64_t)i + 100);
        for (int k = 0; k < 8; k++)
            h1[k] = h2[k] = rnd();
        host_sha256_blocks_portable(h1, buf, n);
        host_sha256_blocks(h2, buf, n);
        cr_assert(!memcmp(h1, h2, sizeof h1), "case %d, %zu blocks", i, n);
    }
}

/* ---- chunk chain ---------------------------------------------------- */

/* SPEC.md section 6, computed naively backwards with libsodium. */
static void naive_chain(const uint8_t *p, uint64_t len, uint32_t c, uint8_t *h, uint64_t n)
{
    for (uint64_t i = n; i-- > 0;) {
        crypto_hash_sha256_state st;
        uint64_t l = len - i * c < c ? len - i * c : c;
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, p + i * c, l);
        if (i + 1 < n)
            crypto_hash_sha256_update(&st, h + (i + 1) * 32, 32);
        crypto_hash_sha256_final(&st, h + i * 32);
    }
}

/* The chain over p[0..len) fed in random pieces, against naive_chain():
 * H_0, every hash read back at once, and a range from the middle. */
static void check_chain(const uint8_t *p, uint64_t len, uint32_t c, uint8_t *want, const char *what)
{
    uint64_t n = 0, expect_n = (len + c - 1) / c, at = 0;
    uint8_t h0[32], zero[32] = {0};
    uint8_t *got = malloc(expect_n * 32 + 1);
    FILE *file = tmpfile();
    chunk_chain ch;
    cr_assert(file && got);
    chunk_chain_init(&ch, c, fileno(file));
    while (at < len) {
        uint64_t k = rnd() % 3 == 0 ? rnd() % 5000 : rnd() % 70;
        if (k > len - at)
            k = len - at;
        cr_assert_eq(chunk_chain_absorb(&ch, p + at, (size_t)k), 0);
        at += k;
    }
    cr_assert_eq(chunk_chain_finish(&ch, h0, &n), 0);
    cr_assert_eq(n, expect_n, "%s: %llu chunks, expected %llu", what, (unsigned long long)n,
                 (unsigned long long)expect_n);
    naive_chain(p, len, c, want, n);
    cr_assert(!memcmp(h0, n ? want : zero, 32), "%s: H_0", what);
    cr_assert_eq(chunk_chain_hashes(&ch, 0, n, got), 0);
    cr_assert(n == 0 || !memcmp(got, want, n * 32), "%s: len %llu chunk %u", what,
              (unsigned long long)len, c);
    if (n > 5) {   /* a range from the middle, as the container writer reads them */
        cr_assert_eq(chunk_chain_hashes(&ch, 3, n - 4, got), 0);
        cr_assert(!memcmp(got, want + 3 * 32, (n - 4) * 32), "%s: range", what);
    }
    free(got);
    chunk_chain_free(&ch);
    fclose(file);
}

Test(chunk_chain, matches_the_backward_definition)
{
    enum { MAX = 40000 };
    uint8_t *p = malloc(MAX), *want = malloc((MAX / 256 + 2) * 32);
    fill_random(p, MAX, 5);
    for (int t = 0; t < 600; t++) {
        char what[32];
        uint32_t c = 64 * (4 + rnd() % 61);                 /* 256..4096 */
        uint64_t len = t < 40 ? (uint64_t)c * (t % 8) + (t / 8 % 3 == 0 ? 0 : t / 8 % 3 == 1 ? 1 : c - 1)
                              : rnd() % MAX;
        if (len > MAX)
            len = MAX;
        snprintf(what, sizeof what, "case %d", t);
        check_chain(p, len, c, want, what);
    }
    free(p);
    free(want);
}

/* More chunks than the chain buffers (CHUNK_CHAIN_BUF_ENTRIES): the midstates
 * spill to the file and the backward pass goes block by block. */
Test(chunk_chain, spills_to_its_file_in_blocks)
{
    const uint64_t chunks[] = {CHUNK_CHAIN_BUF_ENTRIES - 1, CHUNK_CHAIN_BUF_ENTRIES, CHUNK_CHAIN_BUF_ENTRIES + 1,
                               2 * CHUNK_CHAIN_BUF_ENTRIES, 2 * CHUNK_CHAIN_BUF_ENTRIES + 1, 5000};
    const uint64_t max = 5001 * 256;
    uint8_t *p = malloc(max), *want = malloc(5002 * 32);
    fill_random(p, max, 6);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
        for (int tail = 0; tail < 3; tail++) {   /* last chunk full, 1 byte, 255 bytes */
            char what[48];
            uint64_t len = chunks[i] * 256 + (tail == 0 ? 0 : tail == 1 ? 1 : 255);
            snprintf(what, sizeof what, "%llu chunks + %d", (unsigned long long)chunks[i], tail);
            check_chain(p, len, 256, want, what);
        }
    free(p);
    free(want);
}

/* ---- parallel deflate, in process ----------------------------------- */

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

/* Text-like data with a binary stretch: matches everywhere, across block
 * boundaries too. */
static uint8_t *mixed_input(size_t len, uint64_t seed)
{
    uint8_t *p = malloc(len ? len : 1);
    fill_text(p, len, seed);
    if (len > 5000)
        fill_random(p + len / 3, len / 9, seed + 1);
    return p;
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

/* ---- fwseal pack --jobs ---------------------------------------------- */

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
    r = run("cd '%s' && %s unpack %s --trust sign1.pub %s -o u%d", fx.dir, FWSEAL_BIN, container,
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
