/* SPDX-License-Identifier: MIT */
/*
 * verifier/inflate.c against zlib.
 *
 * Oracles: zlib's deflate makes the streams and zlib's inflate decides on
 * every stream we decide on, run as tests/inflate_oracle.h describes: the
 * same verdict, error class, bytes consumed and output (ours a prefix of
 * zlib's on a rejection).
 *
 * Hand-built streams (a small bit writer below, with its own canonical-code
 * builder) reach each error code; each is also checked against zlib.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "inflate.h"
#include "inflate_oracle.h"
#include "testutil.h"

/* ---------------------------------------------------------------- rng */

typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rnd(rng_t *r)
{
    uint64_t x = r->s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static size_t rnd_below(rng_t *r, size_t n)
{
    return n ? (size_t)(rnd(r) % n) : 0;
}

static rng_t rng_new(uint64_t seed)
{
    rng_t r = {seed * 0x9E3779B97F4A7C15ull + 0x1234567ull};
    rnd(&r);
    return r;
}

/* ----------------------------------------------------------- test data */

enum { K_RANDOM, K_TEXT, K_PATTERN, K_RUNS, K_ZERO, K_FAR, K_COUNT };
static const char *const kind_name[K_COUNT] = {"random", "text", "pattern", "runs", "zero", "far"};

static void gen(uint8_t *buf, size_t n, int kind, uint64_t seed)
{
    static const char *const words[] = {"the ",    "firmware ",   "image ",  "is ",     "signed ",
                                        "and ",    "compressed ", "boot",    "loader ", "0x",
                                        "flash ",  "\n",          "sector ", "of ",     "a ",
                                        "verify ", "E",           ", ",      "update.", "\t"};
    rng_t r = rng_new(seed);
    size_t i = 0, j, len, p;
    switch (kind) {
    case K_RANDOM:
        fill_random(buf, n, seed);
        break;
    case K_TEXT:
        while (i < n) {
            const char *w = words[rnd_below(&r, sizeof words / sizeof words[0])];
            for (j = 0; w[j] && i < n; j++)
                buf[i++] = (uint8_t)w[j];
            if (rnd_below(&r, 7) == 0 && i < n)
                buf[i++] = (uint8_t)('0' + rnd_below(&r, 10));
        }
        break;
    case K_PATTERN:
        p = 1 + rnd_below(&r, 300);
        for (i = 0; i < n; i++)
            buf[i] = (i < p || rnd_below(&r, 500) == 0) ? (uint8_t)rnd(&r) : buf[i - p];
        break;
    case K_RUNS:
        while (i < n) {
            uint8_t b = (uint8_t)rnd(&r);
            len = 1 + rnd_below(&r, rnd_below(&r, 4) ? 40 : 3000);
            for (j = 0; j < len && i < n; j++)
                buf[i++] = b;
        }
        break;
    case K_ZERO:
        memset(buf, 0, n);
        break;
    default: /* K_FAR: random blocks and copies from up to 32 KiB back */
        while (i < n) {
            len = 16 + rnd_below(&r, 1000);
            if (i > 64 && rnd_below(&r, 3)) {
                size_t back = 1 + rnd_below(&r, i < 32768 ? i : 32768);
                for (j = 0; j < len && i < n; j++, i++)
                    buf[i] = buf[i - back];
            } else {
                for (j = 0; j < len && i < n; j++)
                    buf[i++] = (uint8_t)rnd(&r);
            }
        }
        break;
    }
}

/* ------------------------------------------------------------ deflate */

static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED, Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};
static const char *const strategy_name[] = {"default", "filtered", "huffman", "rle", "fixed"};

/* Compresses with zlib; windowBits negative = raw deflate.  Returns a
 * malloc'ed buffer with `spare` extra bytes after the stream. */
static uint8_t *zcompress(const uint8_t *in, size_t n, int level, int window_bits, int strategy,
                          int mem_level, size_t spare, size_t *out_len)
{
    z_stream z;
    uint8_t *out;
    size_t cap;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, level, Z_DEFLATED, window_bits, mem_level, strategy), Z_OK);
    cap = deflateBound(&z, (uLong)n) + 64 + spare;
    out = malloc(cap);
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = z.total_out;
    deflateEnd(&z);
    return out;
}

/* ---------------------------------------------------- running inflaters */

typedef io_result result;
enum { V_MORE = IO_MORE, V_ACCEPT = IO_ACCEPT, V_REJECT = IO_REJECT };

static void res_free(result *r) { io_result_free(r); }

enum { FEED_ONE, FEED_BYTE, FEED_RANDOM };
static const char *const feed_name[] = {"one buffer", "1-byte pushes", "random splits"};

typedef struct {
    int feed;
    rng_t g;
    int ended;
} feeder;

static size_t next_piece(void *state, size_t left)
{
    feeder *f = state;
    size_t k;
    if (left == 0)   /* random feeding sometimes ends with an empty push */
        return f->feed == FEED_RANDOM && !f->ended++ && rnd_below(&f->g, 2) ? 0 : IO_STOP;
    if (f->feed == FEED_ONE)
        return left;
    if (f->feed == FEED_BYTE)
        return 1;
    k = rnd_below(&f->g, 10);
    return k == 0 ? 0 : k < 7 ? 1 + rnd_below(&f->g, 16) : rnd_below(&f->g, 5000);
}

static void fail_test(const char *msg) { cr_assert_fail("%s", msg); }

/* Our inflater on s[0..n) fed as `feed`. */
static void run_ours(const uint8_t *s, size_t n, unsigned wbits, int zw, int feed, uint64_t seed, result *r)
{
    feeder f = {feed, rng_new(seed), 0};
    io_fail = fail_test;
    io_run_ours(s, n, wbits, zw, next_piece, &f, r);
}

static void run_zlib(const uint8_t *s, size_t n, unsigned wbits, int zw, result *r)
{
    io_fail = fail_test;
    io_run_zlib(s, n, wbits, zw, r);
}

/* Case counters, printed by each test. */
typedef struct {
    size_t cases, accept, more, reject;
    size_t by_err[1 - FWS_INFLATE_ERR_MIN]; /* rejections by our code */
} tally;

static int last_code; /* our result in the latest differ() */

static void count(tally *t, int verdict)
{
    t->cases++;
    if (verdict == V_ACCEPT)
        t->accept++;
    else if (verdict == V_MORE)
        t->more++;
    else {
        t->reject++;
        if (last_code < 0 && last_code >= FWS_INFLATE_ERR_MIN)
            t->by_err[-last_code]++;
    }
}

/* "name count, ..." of the rejections, into buf. */
static const char *errs(const tally *t, char *buf, size_t cap)
{
    size_t i, used = 0;
    buf[0] = 0;
    for (i = 1; i < sizeof t->by_err / sizeof t->by_err[0]; i++)
        if (t->by_err[i] && used < cap)
            used += (size_t)snprintf(buf + used, cap - used, "%s%s %zu", used ? ", " : "",
                                     fws_inflate_error_name(-(int)i), t->by_err[i]);
    return buf;
}

/* The differential check on one stream: ours (one buffer and a random
 * split) against zlib.  Returns our verdict. */
static int differ(const uint8_t *s, size_t n, unsigned wbits, int zw, uint64_t seed, const char *what)
{
    result a = {0}, b = {0}, z = {0};
    int verdict;
    run_ours(s, n, wbits, zw, FEED_ONE, seed, &a);
    run_ours(s, n, wbits, zw, FEED_RANDOM, seed + 1, &b);
    run_zlib(s, n, wbits, zw, &z);

    cr_assert_eq(a.verdict, z.verdict, "%s: we say %s, zlib %s (%s)", what, fws_inflate_error_name(a.code),
                 z.verdict == V_ACCEPT ? "accept"
                 : z.verdict           ? "reject"
                                       : "more",
                 z.verdict == V_REJECT ? fws_inflate_error_name(z.code) : "");
    if (a.verdict == V_REJECT)
        cr_assert_eq(io_our_class(a.code), z.code, "%s: we say %s, zlib %s", what,
                     fws_inflate_error_name(a.code), fws_inflate_error_name(z.code));
    if (a.code == FWS_INFLATE_ERR_DIST_START)
        cr_assert(z.len < ((size_t)1 << wbits), "%s: before-start with a full window", what);
    if (a.code == FWS_INFLATE_ERR_DIST_WINDOW)
        cr_assert(z.len >= ((size_t)1 << wbits), "%s: beyond-window with a partial window", what);
    cr_assert_eq(a.consumed, z.consumed, "%s: consumed %zu, zlib %zu (%s)", what, a.consumed, z.consumed,
                 fws_inflate_error_name(a.code));
    if (a.verdict == V_REJECT) {
        cr_assert(a.len <= z.len && (a.len == 0 || memcmp(a.out, z.out, a.len) == 0),
                  "%s: output before the error differs", what);
    } else {
        cr_assert_eq(a.len, z.len, "%s: output length %zu, zlib %zu", what, a.len, z.len);
        cr_assert(a.len == 0 || memcmp(a.out, z.out, a.len) == 0, "%s: output differs", what);
    }
    /* Any split gives the same answer. */
    cr_assert_eq(b.code, a.code, "%s: split gives %s, one buffer %s", what, fws_inflate_error_name(b.code),
                 fws_inflate_error_name(a.code));
    cr_assert_eq(b.consumed, a.consumed, "%s: split consumed differs", what);
    if (a.verdict != V_REJECT)
        cr_assert(b.len == a.len && (a.len == 0 || memcmp(a.out, b.out, a.len) == 0), "%s: split output",
                  what);
    verdict = a.verdict;
    last_code = a.code;
    res_free(&a);
    res_free(&b);
    res_free(&z);
    return verdict;
}

/* --------------------------------------------------------- bit writer */

typedef struct {
    uint8_t buf[4096];
    size_t n;
    uint32_t acc;
    unsigned nb;
} bitw;

static void bw_put(bitw *w, uint32_t v, unsigned n)
{
    while (n--) {
        w->acc |= (v & 1u) << w->nb;
        v >>= 1;
        if (++w->nb == 8) {
            cr_assert(w->n < sizeof w->buf);
            w->buf[w->n++] = (uint8_t)w->acc;
            w->acc = 0;
            w->nb = 0;
        }
    }
}

/* Huffman codes go out most significant bit first. */
static void bw_code(bitw *w, uint32_t code, unsigned len)
{
    while (len--)
        bw_put(w, code >> len, 1);
}

static void bw_align(bitw *w)
{
    if (w->nb)
        bw_put(w, 0, 8 - w->nb);
}

/* RFC 1951, 3.2.2: canonical codes from lengths. */
static void canon(const uint8_t *lens, unsigned n, uint16_t *codes)
{
    unsigned count[16] = {0}, next[16], code = 0, b, i;
    for (i = 0; i < n; i++)
        count[lens[i]]++;
    count[0] = 0;
    for (b = 1; b < 16; b++) {
        code = (code + count[b - 1]) << 1;
        next[b] = code;
    }
    for (i = 0; i < n; i++)
        codes[i] = lens[i] ? (uint16_t)next[lens[i]]++ : 0;
}

/* RFC 1951, 3.2.5, typed from the RFC. */
static const uint16_t lbase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                   31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t lext[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dbase[30] = {1,    2,    3,    4,    5,    7,    9,    13,    17,    25,
                                   33,   49,   65,   97,   129,  193,  257,  385,   513,   769,
                                   1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dext[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
                                 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static void fixed_lit(bitw *w, unsigned sym)
{
    if (sym < 144)
        bw_code(w, 0x30 + sym, 8);
    else if (sym < 256)
        bw_code(w, 0x190 + sym - 144, 9);
    else if (sym < 280)
        bw_code(w, sym - 256, 7);
    else
        bw_code(w, 0xC0 + sym - 280, 8);
}

/* A length/distance pair in the fixed code (or with the given dynamic
 * codes when lit/dist are not NULL). */
static void put_match(bitw *w, unsigned len, unsigned dist, const uint16_t *lc, const uint8_t *ll,
                      const uint16_t *dc, const uint8_t *dl)
{
    unsigned i = 28, j = 29;
    if (len < 258)
        for (i = 27; lbase[i] > len; i--)
            ;
    for (; dbase[j] > dist; j--)
        ;
    if (lc)
        bw_code(w, lc[257 + i], ll[257 + i]);
    else
        fixed_lit(w, 257 + i);
    bw_put(w, len - lbase[i], lext[i]);
    if (dc)
        bw_code(w, dc[j], dl[j]);
    else
        bw_code(w, j, 5);
    bw_put(w, dist - dbase[j], dext[j]);
}

static const uint8_t order[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

typedef struct {
    uint8_t sym, extra;
} clsym;

/* A complete code-length code: 13 codes of 4 bits, 6 of 5. */
static const uint8_t default_cl[19] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5};

/* Dynamic block header.  nlen/ndist are the counts to announce (257..288,
 * 1..32); cl holds the code-length code lengths by symbol, ncl of them are
 * sent in the RFC order; seq are the code-length symbols to send. */
static void dyn_header(bitw *w, int final, unsigned nlen, unsigned ndist, const uint8_t cl[19], unsigned ncl,
                       const clsym *seq, size_t nseq)
{
    uint16_t codes[19];
    size_t i;
    bw_put(w, (uint32_t) final, 1);
    bw_put(w, 2, 2);
    bw_put(w, nlen - 257, 5);
    bw_put(w, ndist - 1, 5);
    bw_put(w, ncl - 4, 4);
    for (i = 0; i < ncl; i++)
        bw_put(w, cl[order[i]], 3);
    canon(cl, 19, codes);
    for (i = 0; i < nseq; i++) {
        bw_code(w, codes[seq[i].sym], cl[seq[i].sym]);
        if (seq[i].sym == 16)
            bw_put(w, seq[i].extra, 2);
        else if (seq[i].sym == 17)
            bw_put(w, seq[i].extra, 3);
        else if (seq[i].sym == 18)
            bw_put(w, seq[i].extra, 7);
    }
}

/* A dynamic header sending every length literally (no repeats). */
static void dyn_lens(bitw *w, int final, const uint8_t *ll, unsigned nlen, const uint8_t *dl, unsigned ndist)
{
    clsym seq[320];
    unsigned i;
    for (i = 0; i < nlen; i++)
        seq[i] = (clsym){ll[i], 0};
    for (i = 0; i < ndist; i++)
        seq[nlen + i] = (clsym){dl[i], 0};
    dyn_header(w, final, nlen, ndist, default_cl, 19, seq, nlen + ndist);
}

static void zlib_head(bitw *w, unsigned cinfo, unsigned fdict)
{
    unsigned cmf = (cinfo << 4) | 8, flg = fdict ? 0x20 : 0;
    flg |= (31 - (cmf * 256 + flg) % 31) % 31;
    bw_put(w, cmf, 8);
    bw_put(w, flg, 8);
}

static void zlib_trailer(bitw *w, const void *data, size_t n)
{
    uLong a = adler32(adler32(0, NULL, 0), data, (uInt)n);
    bw_align(w);
    bw_put(w, (uint32_t)(a >> 24) & 255, 8);
    bw_put(w, (uint32_t)(a >> 16) & 255, 8);
    bw_put(w, (uint32_t)(a >> 8) & 255, 8);
    bw_put(w, (uint32_t)a & 255, 8);
}

static size_t bw_done(bitw *w)
{
    bw_align(w);
    return w->n;
}

static tally hand;

/* A hand-built stream: our exact code, and zlib's agreement. */
static void expect(bitw *w, unsigned wbits, int zw, int code, const char *what)
{
    result r = {0};
    size_t n = bw_done(w);
    run_ours(w->buf, n, wbits, zw, FEED_ONE, 1, &r);
    cr_assert_eq(r.code, code, "%s: got %s, want %s", what, fws_inflate_error_name(r.code),
                 fws_inflate_error_name(code));
    count(&hand, differ(w->buf, n, wbits, zw, 7, what));
    res_free(&r);
}

/* Same, and the output must be exactly want[0..wlen). */
static void expect_out(bitw *w, unsigned wbits, int zw, const void *want, size_t wlen, const char *what)
{
    result r = {0};
    size_t n = bw_done(w);
    run_ours(w->buf, n, wbits, zw, FEED_ONE, 1, &r);
    cr_assert_eq(r.code, FWS_INFLATE_DONE, "%s: got %s", what, fws_inflate_error_name(r.code));
    cr_assert_eq(r.len, wlen, "%s: %zu bytes, want %zu", what, r.len, wlen);
    cr_assert(wlen == 0 || memcmp(r.out, want, wlen) == 0, "%s: output", what);
    cr_assert_eq(r.consumed, n);
    count(&hand, differ(w->buf, n, wbits, zw, 7, what));
    res_free(&r);
}

#define BW(name) bitw name = {{0}, 0, 0, 0}

/* ------------------------------------------------------------- tests */

Test(inflate, api_and_names)
{
    fws_inflate_ctx ctx;
    uint8_t win[1 << 9], big[1 << 15];
    size_t used = 5;
    int e, f;
    static const uint8_t empty_zlib[] = {0x08, 0x1d, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};

    /* Every result has its own name. */
    for (e = FWS_INFLATE_ERR_MIN; e <= FWS_INFLATE_DONE; e++) {
        cr_assert(strcmp(fws_inflate_error_name(e), "unknown") != 0, "%d has no name", e);
        for (f = FWS_INFLATE_ERR_MIN; f < e; f++)
            cr_assert(strcmp(fws_inflate_error_name(e), fws_inflate_error_name(f)) != 0);
    }
    cr_assert_str_eq(fws_inflate_error_name(FWS_INFLATE_ERR_MIN - 1), "unknown");
    cr_assert_str_eq(fws_inflate_error_name(2), "unknown");

    /* Window sizes outside 9..15 and a NULL window are refused, stickily. */
    cr_assert_eq(fws_inflate_init(&ctx, win, 8, 1), FWS_INFLATE_ERR_PARAM);
    cr_assert_eq(fws_inflate_push(&ctx, empty_zlib, sizeof empty_zlib, &used, NULL, NULL),
                 FWS_INFLATE_ERR_PARAM);
    cr_assert_eq(used, 0);
    cr_assert_eq(fws_inflate_init(&ctx, big, 16, 0), FWS_INFLATE_ERR_PARAM);
    cr_assert_eq(fws_inflate_init(&ctx, NULL, 12, 0), FWS_INFLATE_ERR_PARAM);
    cr_assert_eq(fws_inflate_push(&ctx, NULL, 0, NULL, NULL, NULL), FWS_INFLATE_ERR_PARAM);

    /* zlib's empty stream, with a NULL sink and a NULL consumed pointer;
     * empty pushes in between change nothing. */
    cr_assert_eq(fws_inflate_init(&ctx, win, 9, 1), FWS_INFLATE_OK);
    cr_assert_eq(fws_inflate_push(&ctx, NULL, 0, &used, NULL, NULL), FWS_INFLATE_OK);
    cr_assert_eq(used, 0);
    cr_assert_eq(fws_inflate_push(&ctx, empty_zlib, 3, NULL, NULL, NULL), FWS_INFLATE_OK);
    cr_assert_eq(fws_inflate_push(&ctx, empty_zlib + 3, 0, &used, NULL, NULL), FWS_INFLATE_OK);
    cr_assert_eq(fws_inflate_push(&ctx, empty_zlib + 3, 5, &used, NULL, NULL), FWS_INFLATE_DONE);
    cr_assert_eq(used, 5);
    cr_assert_eq(fws_inflate_adler32(&ctx), 1);
    cr_assert_eq(fws_inflate_push(&ctx, empty_zlib, 8, &used, NULL, NULL), FWS_INFLATE_DONE);
    cr_assert_eq(used, 0);
    fprintf(stderr, "inflate api: %d result names, parameter checks\n",
            FWS_INFLATE_DONE - FWS_INFLATE_ERR_MIN + 1);
}

Test(inflate, sink_abort)
{
    uint8_t data[5000], *c;
    size_t clen, k;
    fill_random(data, sizeof data, 3);
    c = zcompress(data, sizeof data, 6, 9, Z_DEFAULT_STRATEGY, 8, 0, &clen);
    for (k = 1; k <= 4; k++) {
        result r = {0};
        r.abort_after = k;
        run_ours(c, clen, 9, 1, k & 1 ? FEED_ONE : FEED_RANDOM, k, &r);
        cr_assert_eq(r.code, FWS_INFLATE_ERR_SINK, "abort after %zu: %s", k, fws_inflate_error_name(r.code));
        cr_assert_eq(r.pieces, k);
        res_free(&r);
    }
    /* Pieces are whole windows until the end. */
    {
        result r = {0};
        run_ours(c, clen, 9, 1, FEED_ONE, 1, &r);
        cr_assert_eq(r.code, FWS_INFLATE_DONE);
        cr_assert_eq(r.pieces, (sizeof data + 511) / 512);
        cr_assert_eq(r.max_piece, 512);
        res_free(&r);
    }
    free(c);
    fprintf(stderr, "inflate sink: 5 cases\n");
}

/* The tally line of a hand-built test. */
static void report_hand(const char *what)
{
    char ebuf[600];
    fprintf(stderr,
            "inflate hand-built, %s: %zu streams (%zu accepted, %zu need more, %zu rejected: %s), "
            "all as zlib\n",
            what, hand.cases, hand.accept, hand.more, hand.reject, errs(&hand, ebuf, sizeof ebuf));
}

/* Hand-built streams (our exact code, and zlib's agreement):
 * the zlib wrapper: FCHECK, method, preset dictionary, window, Adler-32. */
Test(inflate, hand_built_zlib_wrapper)
{
    unsigned i;

    memset(&hand, 0, sizeof hand);
    {
        BW(w);
        bw_put(&w, 0x78, 8);
        bw_put(&w, 0x9d, 8); /* 0x789c + 1 */
        expect(&w, 15, 1, FWS_INFLATE_ERR_HEADER, "FCHECK off by one");
    }
    {
        BW(w);
        bw_put(&w, 0x77, 8); /* CM = 7 */
        bw_put(&w, (31 - (0x77 * 256) % 31) % 31, 8);
        expect(&w, 15, 1, FWS_INFLATE_ERR_METHOD, "method 7");
    }
    {
        BW(w);
        zlib_head(&w, 7, 1);
        expect(&w, 15, 1, FWS_INFLATE_OK, "FDICT without DICTID: needs more, like zlib");
    }
    {
        BW(w);
        zlib_head(&w, 7, 1);
        bw_put(&w, 0x12345678, 32);
        bw_put(&w, 3, 3);
        expect(&w, 15, 1, FWS_INFLATE_ERR_DICT, "FDICT");
    }
    {
        BW(w);
        zlib_head(&w, 7, 0);
        bw_put(&w, 3, 3);
        expect(&w, 12, 1, FWS_INFLATE_ERR_WINDOW, "CINFO 7, window 2^12");
    }
    {
        BW(w);
        zlib_head(&w, 8, 0);
        bw_put(&w, 3, 3);
        expect(&w, 15, 1, FWS_INFLATE_ERR_WINDOW, "CINFO 8");
    }
    for (i = 0; i <= 6; i++) {
        BW(w);
        zlib_head(&w, i, 0);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'x');
        fixed_lit(&w, 256);
        zlib_trailer(&w, "x", 1);
        expect_out(&w, 9 + i, 1, "x", 1, "CINFO equal to the window");
    }
    {
        BW(w);
        zlib_head(&w, 0, 0);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'x');
        fixed_lit(&w, 256);
        zlib_trailer(&w, "y", 1);
        expect(&w, 9, 1, FWS_INFLATE_ERR_ADLER, "Adler-32 of other data");
    }
    report_hand("zlib wrapper");
}

/* Hand-built streams (our exact code, and zlib's agreement): block types and stored blocks. */
Test(inflate, hand_built_stored_blocks)
{
    memset(&hand, 0, sizeof hand);
    {
        BW(w);
        bw_put(&w, 7, 3);
        expect(&w, 15, 0, FWS_INFLATE_ERR_BLOCK_TYPE, "BTYPE 3");
    }
    {
        BW(w);
        bw_put(&w, 2, 3); /* non-final fixed */
        fixed_lit(&w, 'a');
        fixed_lit(&w, 256);
        bw_put(&w, 6, 3); /* non-final BTYPE 3 */
        expect(&w, 15, 0, FWS_INFLATE_ERR_BLOCK_TYPE, "BTYPE 3 after a block");
    }
    {
        BW(w);
        bw_put(&w, 1, 3);
        bw_align(&w);
        bw_put(&w, 5, 16);
        bw_put(&w, 0xfffa ^ 0x100, 16);
        expect(&w, 15, 0, FWS_INFLATE_ERR_STORED_LEN, "stored NLEN != ~LEN");
    }
    {
        BW(w);
        bw_put(&w, 0, 3); /* non-final stored, empty, then final stored */
        bw_align(&w);
        bw_put(&w, 0, 16);
        bw_put(&w, 0xffff, 16);
        bw_put(&w, 1, 3);
        bw_align(&w);
        bw_put(&w, 3, 16);
        bw_put(&w, 0xfffc, 16);
        bw_put(&w, 'x', 8);
        bw_put(&w, 'y', 8);
        bw_put(&w, 'z', 8);
        expect_out(&w, 9, 0, "xyz", 3, "empty stored block then a stored block");
    }
    report_hand("stored blocks");
}

/* Hand-built streams (our exact code, and zlib's agreement):
 * fixed codes: literals, lengths, distances around the window size. */
Test(inflate, hand_built_fixed_codes)
{
    uint8_t stored[600];
    unsigned i;

    memset(&hand, 0, sizeof hand);
    for (i = 286; i <= 287; i++) {
        BW(w);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'a');
        fixed_lit(&w, i);
        bw_put(&w, 0, 16);
        expect(&w, 15, 0, FWS_INFLATE_ERR_LITLEN_SYM, "fixed literal/length symbol 286/287");
    }
    for (i = 30; i <= 31; i++) {
        BW(w);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'a');
        fixed_lit(&w, 257);
        bw_code(&w, i, 5);
        bw_put(&w, 0, 16);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_SYM, "fixed distance symbol 30/31");
    }
    {
        BW(w);
        bw_put(&w, 3, 3);
        put_match(&w, 3, 1, NULL, NULL, NULL, NULL);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_START, "match before any output");
    }
    {
        BW(w);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'a');
        put_match(&w, 3, 2, NULL, NULL, NULL, NULL);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_START, "distance 2 after 1 byte");
    }
    {
        BW(w);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'a');
        put_match(&w, 3, 1, NULL, NULL, NULL, NULL);
        fixed_lit(&w, 256);
        expect_out(&w, 15, 0, "aaaa", 4, "distance 1 after 1 byte");
    }
    {
        BW(w);
        bw_put(&w, 3, 3);
        fixed_lit(&w, 'a');
        fixed_lit(&w, 'b');
        put_match(&w, 258, 2, NULL, NULL, NULL, NULL);
        fixed_lit(&w, 256);
        {
            char want[260];
            for (i = 0; i < 260; i++)
                want[i] = (char)(i & 1 ? 'b' : 'a');
            expect_out(&w, 9, 0, want, 260, "length 258, overlapping");
        }
    }
    /* Distances around the window size, after a 600-byte stored block. */
    fill_random(stored, sizeof stored, 77);
    for (i = 0; i < 3; i++) {
        static const unsigned dist[3] = {512, 513, 600};
        BW(w);
        size_t k;
        bw_put(&w, 0, 3);
        bw_align(&w);
        bw_put(&w, 600, 16);
        bw_put(&w, 0xffff ^ 600, 16);
        for (k = 0; k < 600; k++)
            bw_put(&w, stored[k], 8);
        bw_put(&w, 3, 3);
        put_match(&w, 10, dist[i], NULL, NULL, NULL, NULL);
        fixed_lit(&w, 256);
        if (i == 0) {
            uint8_t want[610];
            memcpy(want, stored, 600);
            memcpy(want + 600, stored + 600 - 512, 10);
            expect_out(&w, 9, 0, want, 610, "distance 512 = window");
        } else {
            expect(&w, 9, 0, FWS_INFLATE_ERR_DIST_WINDOW, "distance beyond a 512-byte window");
        }
    }
    report_hand("fixed codes");
}

/* Hand-built streams (our exact code, and zlib's agreement):
 * dynamic block headers: code-length codes, counts, repeats. */
Test(inflate, hand_built_dynamic_headers)
{
    uint8_t ll[288], dl[32];
    uint16_t lc[288], dc[32];
    static const char abbbb[] = "abbbb";
    unsigned i;

    memset(&hand, 0, sizeof hand);
    /* A valid one: 'a', 'b', EOB, length 3 at 2 bits; two 1-bit distances. */
    memset(ll, 0, sizeof ll);
    memset(dl, 0, sizeof dl);
    ll['a'] = ll['b'] = ll[256] = ll[257] = 2;
    dl[0] = dl[1] = 1;
    canon(ll, 258, lc);
    canon(dl, 2, dc);
    {
        BW(w);
        dyn_lens(&w, 1, ll, 258, dl, 2);
        bw_code(&w, lc['a'], 2);
        bw_code(&w, lc['b'], 2);
        put_match(&w, 3, 1, lc, ll, dc, dl);
        bw_code(&w, lc[256], 2);
        expect_out(&w, 9, 0, abbbb, 5, "dynamic block");
    }
    {
        BW(w);
        zlib_head(&w, 1, 0);
        dyn_lens(&w, 1, ll, 258, dl, 2);
        bw_code(&w, lc['a'], 2);
        bw_code(&w, lc['b'], 2);
        put_match(&w, 3, 1, lc, ll, dc, dl);
        bw_code(&w, lc[256], 2);
        zlib_trailer(&w, abbbb, 5);
        expect_out(&w, 10, 1, abbbb, 5, "dynamic block, zlib wrapper");
    }
    {
        BW(w);
        dyn_header(&w, 1, 287, 1, default_cl, 19, NULL, 0);
        expect(&w, 15, 0, FWS_INFLATE_ERR_TOO_MANY, "HLIT 30");
    }
    {
        BW(w);
        dyn_header(&w, 1, 257, 31, default_cl, 19, NULL, 0);
        expect(&w, 15, 0, FWS_INFLATE_ERR_TOO_MANY, "HDIST 30");
    }
    {
        /* 286 literal/length and 30 distance codes: the most allowed. */
        uint8_t l2[286], d2[30];
        uint16_t c2[286], e2[30];
        BW(w);
        /* Complete: n8 codes of 8 bits and n9 of 9 with 2 n8 + n9 = 512
         * and n8 + n9 = 286, so n8 = 226, n9 = 60; distances 2 x 4 bits
         * and 28 x 5 bits. */
        for (i = 0; i < 286; i++)
            l2[i] = i < 226 ? 8 : 9;
        for (i = 0; i < 30; i++)
            d2[i] = i < 2 ? 4 : 5;
        canon(l2, 286, c2);
        canon(d2, 30, e2);
        dyn_lens(&w, 1, l2, 286, d2, 30);
        bw_code(&w, c2['q'], l2['q']);
        put_match(&w, 258, 1, c2, l2, e2, d2);
        bw_code(&w, c2[256], l2[256]);
        {
            char want[259];
            memset(want, 'q', sizeof want);
            expect_out(&w, 9, 0, want, 259, "HLIT 29, HDIST 29");
        }
    }
    {
        uint8_t cl[19];
        BW(w);
        memset(cl, 1, sizeof cl);
        dyn_header(&w, 1, 257, 1, cl, 19, NULL, 0);
        expect(&w, 15, 0, FWS_INFLATE_ERR_CL_CODE, "code-length code over-subscribed");
    }
    {
        uint8_t cl[19] = {0};
        BW(w);
        cl[0] = 1;
        dyn_header(&w, 1, 257, 1, cl, 4, NULL, 0);
        expect(&w, 15, 0, FWS_INFLATE_ERR_CL_CODE, "code-length code incomplete");
    }
    {
        uint8_t cl[19] = {0};
        BW(w);
        dyn_header(&w, 1, 257, 1, cl, 4, NULL, 0);
        expect(&w, 15, 0, FWS_INFLATE_OK, "empty code-length code, truncated: needs more");
    }
    {
        uint8_t cl[19] = {0};
        BW(w);
        dyn_header(&w, 1, 257, 1, cl, 4, NULL, 0);
        for (i = 0; i < 258; i++)
            bw_put(&w, i & 1, 1); /* each bit reads as length 0 */
        expect(&w, 15, 0, FWS_INFLATE_ERR_NO_EOB, "empty code-length code");
    }
    {
        static const clsym seq[] = {{16, 1}};
        BW(w);
        dyn_header(&w, 1, 257, 1, default_cl, 19, seq, 1);
        expect(&w, 15, 0, FWS_INFLATE_ERR_REPEAT, "repeat with no previous length");
    }
    {
        static const clsym seq[] = {{18, 127}, {18, 127}};
        BW(w);
        dyn_header(&w, 1, 257, 1, default_cl, 19, seq, 2);
        expect(&w, 15, 0, FWS_INFLATE_ERR_REPEAT, "repeat past the last length");
    }
    {
        /* A repeat crossing from the literal/length lengths into the
         * distance lengths: 256 zeros (138 + 118), EOB gets 1, then "16"
         * copies that 1 three times, into length 257 and distances 0 and 1.
         * Both codes are complete; the block holds only its EOB. */
        static const clsym seq[] = {{18, 127}, {18, 107}, {1, 0}, {16, 0}};
        uint8_t l3[258] = {0}, d3[2] = {1, 1};
        uint16_t c3[258], e3[2];
        BW(w);
        l3[256] = l3[257] = 1;
        canon(l3, 258, c3);
        canon(d3, 2, e3);
        dyn_header(&w, 1, 258, 2, default_cl, 19, seq, 4);
        bw_code(&w, c3[256], 1);
        expect_out(&w, 15, 0, "", 0, "repeat across the two code sets");
    }
    report_hand("dynamic headers");
}

/* Hand-built streams (our exact code, and zlib's agreement):
 * dynamic codes: complete, over-subscribed, incomplete, single codes. */
Test(inflate, hand_built_dynamic_codes)
{


    memset(&hand, 0, sizeof hand);
    {
        uint8_t l4[257] = {0}, d4[1] = {1};
        BW(w);
        l4['a'] = l4['b'] = 1;
        dyn_lens(&w, 1, l4, 257, d4, 1);
        expect(&w, 15, 0, FWS_INFLATE_ERR_NO_EOB, "no end-of-block code");
    }
    {
        uint8_t l4[257] = {0}, d4[1] = {1};
        BW(w);
        l4['a'] = l4['b'] = l4[256] = 1;
        dyn_lens(&w, 1, l4, 257, d4, 1);
        expect(&w, 15, 0, FWS_INFLATE_ERR_LITLEN_CODE, "literal/length code over-subscribed");
    }
    {
        uint8_t l4[257] = {0}, d4[1] = {1};
        BW(w);
        l4['a'] = l4[256] = 2;
        dyn_lens(&w, 1, l4, 257, d4, 1);
        expect(&w, 15, 0, FWS_INFLATE_ERR_LITLEN_CODE, "literal/length code incomplete");
    }
    {
        uint8_t l4[257] = {0}, d4[1] = {0};
        BW(w);
        l4[256] = 1;
        dyn_lens(&w, 1, l4, 257, d4, 1);
        bw_put(&w, 0, 1); /* EOB */
        expect_out(&w, 15, 0, "", 0, "single 1-bit literal/length code (EOB only)");
    }
    {
        uint8_t l4[257] = {0}, d4[1] = {0};
        BW(w);
        l4[256] = 1;
        dyn_lens(&w, 1, l4, 257, d4, 1);
        bw_put(&w, 1, 1); /* the unused code */
        expect(&w, 15, 0, FWS_INFLATE_ERR_LITLEN_SYM, "unused literal/length code");
    }
    {
        uint8_t l4[257] = {0}, d4[1] = {0};
        BW(w);
        l4[256] = 2;
        dyn_lens(&w, 1, l4, 257, d4, 1);
        bw_put(&w, 0, 2);
        expect(&w, 15, 0, FWS_INFLATE_ERR_LITLEN_CODE, "single 2-bit literal/length code");
    }
    {
        uint8_t l4[258] = {0}, d4[3] = {1, 1, 1};
        BW(w);
        l4[256] = l4[257] = 1;
        dyn_lens(&w, 1, l4, 258, d4, 3);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_CODE, "distance code over-subscribed");
    }
    {
        uint8_t l4[258] = {0}, d4[2] = {2, 2};
        BW(w);
        l4[256] = l4[257] = 1;
        dyn_lens(&w, 1, l4, 258, d4, 2);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_CODE, "distance code incomplete");
    }
    {
        uint8_t l4[258] = {0}, d4[4] = {0, 0, 0, 2};
        BW(w);
        l4[256] = l4[257] = 1;
        dyn_lens(&w, 1, l4, 258, d4, 4);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_CODE, "single 2-bit distance code");
    }
    {
        /* A single 1-bit distance code is allowed: 'a' then a match at
         * distance 1 via dist symbol 0 (code 0). */
        uint8_t l4[258] = {0}, d4[1] = {1};
        uint16_t c4[258];
        BW(w);
        l4['a'] = 2;
        l4[256] = 2;
        l4[257] = 1;
        canon(l4, 258, c4);
        dyn_lens(&w, 1, l4, 258, d4, 1);
        bw_code(&w, c4['a'], 2);
        bw_code(&w, c4[257], 1);
        bw_put(&w, 0, 1);
        bw_code(&w, c4[256], 2);
        expect_out(&w, 15, 0, "aaaa", 4, "single 1-bit distance code");
    }
    {
        uint8_t l4[258] = {0}, d4[1] = {1};
        uint16_t c4[258];
        BW(w);
        l4['a'] = 2;
        l4[256] = 2;
        l4[257] = 1;
        canon(l4, 258, c4);
        dyn_lens(&w, 1, l4, 258, d4, 1);
        bw_code(&w, c4['a'], 2);
        bw_code(&w, c4[257], 1);
        bw_put(&w, 1, 1);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_SYM, "unused distance code");
    }
    {
        /* No distance codes at all: fine for literals only ... */
        uint8_t l4[258] = {0}, d4[1] = {0};
        uint16_t c4[258];
        BW(w);
        l4['z'] = 2;
        l4[256] = 2;
        l4[257] = 1;
        canon(l4, 258, c4);
        dyn_lens(&w, 1, l4, 258, d4, 1);
        bw_code(&w, c4['z'], 2);
        bw_code(&w, c4['z'], 2);
        bw_code(&w, c4[256], 2);
        expect_out(&w, 15, 0, "zz", 2, "empty distance code, literals only");
    }
    {
        /* ... but any match then fails. */
        uint8_t l4[258] = {0}, d4[1] = {0};
        uint16_t c4[258];
        BW(w);
        l4['z'] = 2;
        l4[256] = 2;
        l4[257] = 1;
        canon(l4, 258, c4);
        dyn_lens(&w, 1, l4, 258, d4, 1);
        bw_code(&w, c4['z'], 2);
        bw_code(&w, c4[257], 1);
        bw_put(&w, 0, 8);
        expect(&w, 15, 0, FWS_INFLATE_ERR_DIST_SYM, "empty distance code, a match");
    }
    report_hand("dynamic codes");
}

/* Round trips over every level, window, strategy and both wrappers. */
Test(inflate, roundtrip_matrix)
{
    size_t maxn = 3u << 15, cases = 0, bytes = 0;
    uint8_t *data = malloc(maxn + 1);
    rng_t g = rng_new(2024);
    int zw, level, st;
    unsigned wbits, si;

    for (zw = 1; zw >= 0; zw--)
        for (wbits = 9; wbits <= 15; wbits++)
            for (level = 0; level <= 9; level++)
                for (st = 0; st < 5; st++) {
                    size_t w = (size_t)1 << wbits;
                    size_t sizes[6] = {0, 1, w - 1, w, w + 1, 2 + rnd_below(&g, 3 * w - 2)};
                    for (si = 0; si < 6; si++) {
                        size_t n = sizes[si], clen;
                        int kind = (int)((level + 3 * st + si + wbits + (unsigned)zw) % K_COUNT);
                        int mem = 1 + (int)((level + si + wbits) % 9);
                        uint64_t seed = rnd(&g);
                        uint8_t *c;
                        int feed;
                        gen(data, n, kind, seed);
                        c = zcompress(data, n, level, zw ? (int)wbits : -(int)wbits, strategies[st], mem, 7,
                                      &clen);
                        fill_random(c + clen, 7, seed); /* trailing bytes: never consumed */
                        for (feed = FEED_ONE; feed <= FEED_RANDOM; feed++) {
                            result r = {0};
                            if (feed == FEED_BYTE && n > w + 1 && level % 3)
                                continue; /* 1-byte pushes on the smaller sizes and a third of the rest */
                            run_ours(c, clen + 7, wbits, zw, feed, seed, &r);
                            cr_assert_eq(r.code, FWS_INFLATE_DONE,
                                         "%s wbits %u level %d %s mem %d %s n %zu (%s): %s",
                                         zw ? "zlib" : "raw", wbits, level, strategy_name[st], mem,
                                         kind_name[kind], n, feed_name[feed], fws_inflate_error_name(r.code));
                            cr_assert_eq(r.consumed, clen, "consumed %zu of a %zu-byte stream", r.consumed,
                                         clen);
                            cr_assert_eq(r.len, n);
                            cr_assert(n == 0 || memcmp(r.out, data, n) == 0, "output differs");
                            cr_assert(r.max_piece <= w);
                            res_free(&r);
                            cases++;
                            bytes += n;
                        }
                        free(c);
                    }
                }
    free(data);
    fprintf(stderr,
            "inflate round trips: %zu decodes (2 wrappers x 7 windows x 10 levels x 5 strategies x 6 sizes, "
            "2-3 feeds), %zu MB out\n",
            cases, bytes >> 20);
}

/* 1 MiB inputs of every kind. */
Test(inflate, large_inputs)
{
    static const struct {
        int zw;
        unsigned wbits;
        int level, st, mem;
    } cfg[] = {
        {1, 15, 6, 0, 8}, {0, 9, 9, 1, 9},  {1, 12, 1, 3, 8},
        {0, 11, 4, 2, 2}, {1, 13, 0, 0, 8}, {1, 10, 9, 4, 1},
    };
    size_t n = 1u << 20, cases = 0;
    uint8_t *data = malloc(n);
    int kind;
    unsigned ci;
    for (kind = 0; kind < K_COUNT; kind++)
        for (ci = 0; ci < sizeof cfg / sizeof cfg[0]; ci++) {
            size_t clen;
            uint8_t *c;
            int feed;
            if ((kind + ci) % 2)
                continue; /* half of the pairs: keeps the runtime down */
            gen(data, n, kind, 99 + ci);
            c = zcompress(data, n, cfg[ci].level, cfg[ci].zw ? (int)cfg[ci].wbits : -(int)cfg[ci].wbits,
                          strategies[cfg[ci].st], cfg[ci].mem, 0, &clen);
            for (feed = FEED_ONE; feed <= FEED_RANDOM; feed++) {
                result r = {0};
                run_ours(c, clen, cfg[ci].wbits, cfg[ci].zw, feed, ci, &r);
                cr_assert_eq(r.code, FWS_INFLATE_DONE, "%s %s: %s", kind_name[kind], feed_name[feed],
                             fws_inflate_error_name(r.code));
                cr_assert_eq(r.consumed, clen);
                cr_assert(r.len == n && memcmp(r.out, data, n) == 0, "%s: output differs", kind_name[kind]);
                res_free(&r);
                cases++;
            }
            free(c);
        }
    free(data);
    fprintf(stderr, "inflate 1 MiB inputs: %zu decodes\n", cases);
}

/* Streams needing a 2^15 window, decoded with 2^12. */
Test(inflate, window_limit)
{
    size_t n = 4 * 8192, clen, i;
    uint8_t *data = malloc(n), *c;
    result r = {0};
    tally t = {0};
    unsigned wbits;

    fill_random(data, 8192, 5);
    for (i = 8192; i < n; i++)
        data[i] = data[i - 8192]; /* the only matches are 8192 back */

    /* zlib wrapper: CINFO 7 is refused at the header, as by zlib. */
    c = zcompress(data, n, 6, 15, Z_DEFAULT_STRATEGY, 8, 0, &clen);
    run_ours(c, clen, 12, 1, FEED_ONE, 1, &r);
    cr_assert_eq(r.code, FWS_INFLATE_ERR_WINDOW, "%s", fws_inflate_error_name(r.code));
    cr_assert_eq(r.consumed, 2);
    res_free(&r);
    for (wbits = 9; wbits <= 15; wbits++)
        count(&t, differ(c, clen, wbits, 1, wbits, "window 15 stream, zlib wrapper"));

    /* The same with the header claiming a 2^12 window: refused at the first
     * distance beyond it, as by zlib. */
    c[0] = (uint8_t)((4 << 4) | 8);
    c[1] = (uint8_t)((31 - (c[0] * 256u) % 31) % 31);
    run_ours(c, clen, 12, 1, FEED_ONE, 1, &r);
    cr_assert_eq(r.code, FWS_INFLATE_ERR_DIST_WINDOW, "%s", fws_inflate_error_name(r.code));
    cr_assert_eq(r.len, 8192, "stops at the first match (%zu bytes out)", r.len);
    res_free(&r);
    count(&t, differ(c, clen, 12, 1, 3, "lying CINFO"));
    free(c);

    /* Raw deflate: no header, so the distance check alone decides. */
    c = zcompress(data, n, 9, -15, Z_DEFAULT_STRATEGY, 8, 0, &clen);
    run_ours(c, clen, 12, 0, FEED_BYTE, 1, &r);
    cr_assert_eq(r.code, FWS_INFLATE_ERR_DIST_WINDOW, "%s", fws_inflate_error_name(r.code));
    res_free(&r);
    for (wbits = 9; wbits <= 15; wbits++) {
        int v = differ(c, clen, wbits, 0, wbits, "window 15 stream, raw");
        cr_assert_eq(v, wbits >= 13 ? V_ACCEPT : V_REJECT, "raw, window 2^%u", wbits);
        count(&t, v);
    }
    free(c);
    free(data);
    fprintf(stderr, "inflate window limit: %zu cases (%zu accepted, %zu rejected), all as zlib\n", t.cases,
            t.accept, t.reject);
}

/* Small streams for the exhaustive corruption tests. */
typedef struct {
    uint8_t *c;
    size_t clen;
    unsigned wbits;
    int zw;
} stream;

static stream make_stream(unsigned i, size_t maxn)
{
    rng_t g = rng_new(1000 + i);
    size_t n = i % 11 == 0 ? rnd_below(&g, 3) : 1 + rnd_below(&g, maxn);
    uint8_t *data = malloc(n + 1);
    stream s;
    int kind = (int)(i % K_COUNT), level = (int)((i * 7) % 10), st = (int)((i / 3) % 5);
    s.wbits = 9 + (i % 7);
    s.zw = (int)((i / 7) % 2);
    if (kind == K_RANDOM && n > maxn / 4)
        n = maxn / 4; /* keep stored/incompressible streams short */
    gen(data, n, kind, i);
    s.c = zcompress(data, n, level, s.zw ? (int)s.wbits : -(int)s.wbits, strategies[st], 1 + (int)(i % 3), 0,
                    &s.clen);
    free(data);
    return s;
}

Test(inflate, bit_flips_and_truncation, .timeout = 300)
{
    char ebuf[600];
    tally flips = {0}, cuts = {0};
    unsigned i;
    size_t k, b;
    for (i = 0; i < 70; i++) {
        stream s = make_stream(i, 1200);
        uint8_t *m = malloc(s.clen + 1);
        char what[96];
        /* the stream itself */
        snprintf(what, sizeof what, "stream %u", i);
        cr_assert_eq(differ(s.c, s.clen, s.wbits, s.zw, i, what), V_ACCEPT);
        /* every single-bit flip */
        for (k = 0; k < s.clen; k++)
            for (b = 0; b < 8; b++) {
                memcpy(m, s.c, s.clen);
                m[k] ^= (uint8_t)(1u << b);
                snprintf(what, sizeof what, "stream %u (%zu bytes, %s, 2^%u), flip byte %zu bit %zu", i,
                         s.clen, s.zw ? "zlib" : "raw", s.wbits, k, b);
                count(&flips, differ(m, s.clen, s.wbits, s.zw, k * 8 + b, what));
            }
        /* every truncation: never DONE */
        for (k = 0; k < s.clen; k++) {
            int v;
            snprintf(what, sizeof what, "stream %u cut at %zu of %zu", i, k, s.clen);
            v = differ(s.c, k, s.wbits, s.zw, k, what);
            cr_assert_neq(v, V_ACCEPT, "%s: accepted", what);
            count(&cuts, v);
        }
        free(m);
        free(s.c);
    }
    fprintf(stderr,
            "inflate corruption: 70 streams; %zu single-bit flips (%zu still accepted, %zu need more, %zu "
            "rejected: %s); %zu truncations (%zu need more, %zu rejected); every verdict, error class, "
            "consumed count and output as zlib\n",
            flips.cases, flips.accept, flips.more, flips.reject, errs(&flips, ebuf, sizeof ebuf), cuts.cases,
            cuts.more, cuts.reject);
}

Test(inflate, random_mutations, .timeout = 300)
{
    char ebuf[600];
    tally t = {0};
    unsigned i, j;
    for (i = 0; i < 40; i++) {
        stream s = make_stream(500 + i, 60000);
        rng_t g = rng_new(i);
        uint8_t *m = malloc(s.clen + 64);
        for (j = 0; j < 150; j++) {
            size_t n = s.clen, e, edits = 1 + rnd_below(&g, 6), pos;
            char what[96];
            memcpy(m, s.c, s.clen);
            for (e = 0; e < edits && n > 0; e++) {
                pos = rnd_below(&g, n);
                switch (rnd_below(&g, 4)) {
                case 0: /* random byte */
                    m[pos] = (uint8_t)rnd(&g);
                    break;
                case 1: /* bit flips in one byte */
                    m[pos] ^= (uint8_t)(1 + rnd_below(&g, 255));
                    break;
                case 2: /* delete a byte */
                    memmove(m + pos, m + pos + 1, n - pos - 1);
                    n--;
                    break;
                default: /* insert a byte */
                    if (n < s.clen + 60) {
                        memmove(m + pos + 1, m + pos, n - pos);
                        m[pos] = (uint8_t)rnd(&g);
                        n++;
                    }
                }
            }
            snprintf(what, sizeof what, "stream %u (%zu bytes), mutation %u", 500 + i, s.clen, j);
            count(&t, differ(m, n, s.wbits, s.zw, j, what));
        }
        free(m);
        free(s.c);
    }
    fprintf(stderr,
            "inflate mutations: %zu mutated streams (%zu accepted, %zu need more, %zu rejected: %s), all as "
            "zlib\n",
            t.cases, t.accept, t.more, t.reject, errs(&t, ebuf, sizeof ebuf));
}

/* Random bytes after a valid zlib header or a given block header. */
Test(inflate, random_garbage)
{
    char ebuf[600];
    tally t = {0};
    rng_t g = rng_new(77);
    uint8_t buf[96];
    unsigned i;
    for (i = 0; i < 30000; i++) {
        size_t n = 1 + rnd_below(&g, sizeof buf);
        unsigned wbits = 9 + (unsigned)rnd_below(&g, 7);
        int zw = (int)(i % 2);
        size_t k;
        for (k = 0; k < n; k++)
            buf[k] = (uint8_t)rnd(&g);
        if (zw && rnd_below(&g, 4)) {
            buf[0] = (uint8_t)(((rnd_below(&g, wbits - 7)) << 4) | 8);
            buf[1] = (uint8_t)((31 - (buf[0] * 256u) % 31) % 31);
        }
        k = zw ? 2 : 0;
        if (n > k) {
            switch (i % 3) { /* steer the first block type */
            case 0:
                buf[k] = (uint8_t)((buf[k] & ~6u) | 2u); /* fixed */
                break;
            case 1:
                buf[k] = (uint8_t)((buf[k] & ~6u) | 4u); /* dynamic */
                break;
            }
        }
        count(&t, differ(buf, n, wbits, zw, i, "random bytes"));
    }
    fprintf(stderr,
            "inflate random inputs: %zu (%zu accepted, %zu need more, %zu rejected: %s), all as zlib\n",
            t.cases, t.accept, t.more, t.reject, errs(&t, ebuf, sizeof ebuf));
}

/* Codes of up to 15 bits, longer than the decoder's lookup tables (9 bits
 * for literals/lengths, 7 for distances), so that both the table hits and
 * the bit-by-bit decoding of long codes are used, every length and
 * distance extra-bit count among them: the lengths 1, 2, ..., 15, 15 (a
 * complete code of 16 codes) for both codes, in two assignments of the
 * lengths to the symbols, over windows of 512 bytes (many wraps) and 32
 * KiB, fed in one buffer, random pieces and one byte at a time; each
 * stream also checked against zlib. */
Test(inflate, long_codes)
{
    static const uint16_t lsyms[2][16] = {
        {'e', 't', 257, 'a', 265, 0, 'z', 270, 255, 280, 128, 284, 10, 285, 'q', 256},
        {256, 'q', 285, 10, 284, 128, 280, 255, 270, 'z', 0, 265, 'a', 257, 't', 'e'}};
    static const uint8_t dsyms[2][16] = {{0, 4, 1, 9, 2, 12, 3, 15, 5, 6, 7, 8, 10, 11, 13, 14},
                                         {14, 13, 11, 10, 8, 7, 6, 5, 15, 3, 12, 2, 9, 1, 4, 0}};
    size_t cases = 0;
    for (int a = 0; a < 2; a++) {
        uint8_t ll[288] = {0}, dl[32] = {0};
        uint16_t lc[288], dc[32];
        uint8_t *want = malloc(1 << 16);
        size_t n = 0, tokens = 0, longcodes = 0;
        rng_t g = rng_new(4242 + (uint64_t)a);
        BW(w);
        for (int i = 0; i < 16; i++) {
            ll[lsyms[a][i]] = (uint8_t)(i < 15 ? i + 1 : 15);
            dl[dsyms[a][i]] = (uint8_t)(i < 15 ? i + 1 : 15);
        }
        canon(ll, 286, lc);
        canon(dl, 16, dc);
        zlib_head(&w, 1, 0);
        dyn_lens(&w, 1, ll, 286, dl, 16);
        /* Tokens until the compressed stream nears the bit writer's 4 KiB
         * or the output 64 KiB: a literal, or a match of a length and
         * distance the codes have. */
        while (w.n < sizeof w.buf - 64 && n < (1u << 16) - 300) {
            unsigned pick = (unsigned)rnd_below(&g, 16), sym = lsyms[a][pick];
            if (sym == 256 || (sym > 256 && n == 0))
                continue; /* a match needs a byte behind it */
            if (sym < 256) {
                bw_code(&w, lc[sym], ll[sym]);
                want[n++] = (uint8_t)sym;
            } else {
                unsigned li = sym - 257, len, dsym, dist, k;
                len = lbase[li] + (unsigned)rnd_below(&g, 1u << lext[li]);
                if (li == 28)
                    len = 258;
                do
                    dsym = dsyms[a][rnd_below(&g, 16)];
                while (dbase[dsym] > n);
                dist = dbase[dsym] + (unsigned)rnd_below(&g, 1u << dext[dsym]);
                if (dist > n)
                    dist = dbase[dsym];
                bw_code(&w, lc[sym], ll[sym]);
                bw_put(&w, len - lbase[li], lext[li]);
                bw_code(&w, dc[dsym], dl[dsym]);
                bw_put(&w, dist - dbase[dsym], dext[dsym]);
                for (k = 0; k < len; k++, n++)
                    want[n] = want[n - dist];
                longcodes += dl[dsym] > 7;
            }
            longcodes += ll[sym] > 9;
            tokens++;
        }
        bw_code(&w, lc[256], ll[256]);
        zlib_trailer(&w, want, n);
        cr_assert_gt(longcodes, 100, "assignment %d: only %zu long codes", a, longcodes);
        for (unsigned wbits = 9; wbits <= 15; wbits += 6) {
            result r = {0};
            char what[80];
            snprintf(what, sizeof what, "long codes, assignment %d, window 2^%u", a, wbits);
            expect_out(&w, wbits, 1, want, n, what); /* one buffer, random pieces, zlib */
            run_ours(w.buf, w.n, wbits, 1, FEED_BYTE, 3, &r);
            cr_assert_eq(r.code, FWS_INFLATE_DONE, "%s, 1-byte pushes: %s", what, fws_inflate_error_name(r.code));
            cr_assert_eq(r.consumed, w.n);
            cr_assert(r.len == n && memcmp(r.out, want, n) == 0, "%s, 1-byte pushes: output", what);
            res_free(&r);
            cases++;
        }
        /* Every truncation needs more input, as in zlib. */
        for (size_t cut = 0; cut < w.n; cut += 1 + cut / 64) {
            char what[80];
            snprintf(what, sizeof what, "long codes, assignment %d, cut at %zu", a, cut);
            cr_assert_eq(differ(w.buf, cut, 15, 1, cut, what), V_MORE, "%s", what);
        }
        fprintf(stderr, "inflate long codes: assignment %d, %zu tokens (%zu codes over the table widths), %zu bytes out\n", a,
                tokens, longcodes, n);
        free(want);
    }
    cr_assert_eq(cases, 4);
}
