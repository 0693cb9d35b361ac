/*
 * verifier/inflate.c against zlib on arbitrary streams.
 *
 * Input: byte 0 chooses the window (wbits 9 + (b & 7) % 7) and the wrapper
 * (bit 3 set: raw deflate, clear: zlib), byte 1 the split pattern (0 one
 * buffer, 1 byte by byte, else pseudo-random pieces, empty ones included);
 * the rest is the stream.
 *
 * Oracle: zlib's inflate() with the same windowBits (negative for raw),
 * given output space only up to the window size and then one byte per
 * call, so that a back-reference may reach min(output so far, 2^wbits)
 * back, exactly the rule of inflate.h (with a larger output buffer zlib
 * would also accept distances into the current output buffer beyond its
 * window; tests/test_inflate.c explains the same set-up).  Both must give
 * the same verdict (accepted / needs more input / rejected), the same
 * error class, the same number of bytes consumed and the same output (ours
 * may stop earlier on a rejection: it does not flush after an error).
 * Output is capped at FZ_OUT_CAP; a stream that reaches it is not compared.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fuzz_common.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_OUT_CAP ((size_t)1 << 20)

enum { V_MORE, V_ACCEPT, V_REJECT };

typedef struct {
    int verdict, code;     /* code: our status, or the class of zlib's error */
    size_t consumed;
    uint8_t *out;
    size_t len, cap;
    int capped;            /* output reached FZ_OUT_CAP */
} result;

static int append(result *r, const uint8_t *p, size_t n)
{
    if (n == 0)
        return 0;
    if (n > FZ_OUT_CAP - r->len) {
        r->capped = 1;
        return 1;
    }
    if (r->len + n > r->cap) {
        r->cap = (r->len + n) * 2 + 4096;
        r->out = realloc(r->out, r->cap);
        if (!r->out)
            fz_fail("out of memory");
    }
    memcpy(r->out + r->len, p, n);
    r->len += n;
    return 0;
}

static int sink(void *user, const uint8_t *d, size_t n)
{
    result *r = user;
    if (n == 0 || !d)
        fz_fail("inflate sink called with %zu bytes at %p", n, (const void *)d);
    return append(r, d, n);
}

static void run_ours(const uint8_t *s, size_t n, unsigned wbits, int zw, uint8_t split, result *r)
{
    fws_inflate_ctx ctx;
    uint8_t *window = malloc(FWS_INFLATE_WINDOW_SIZE(wbits));   /* exact: ASan bounds */
    uint64_t g = 0x9E3779B97F4A7C15ull * (split + 1u);
    size_t pos = 0, piece, used;
    int ret = FWS_INFLATE_OK, ret2;

    if (fws_inflate_init(&ctx, window, wbits, zw) != FWS_INFLATE_OK)
        fz_fail("fws_inflate_init(%u) failed", wbits);
    for (;;) {
        if (split == 0)
            piece = n - pos;
        else if (split == 1)
            piece = 1;
        else {
            uint64_t k = fz_rand(&g) % 10;
            piece = k == 0 ? 0 : k < 7 ? 1 + fz_rand(&g) % 16 : fz_rand(&g) % 5000;
        }
        if (piece > n - pos)
            piece = n - pos;
        used = (size_t)-1;
        ret = fws_inflate_push(&ctx, piece ? s + pos : NULL, piece, &used, sink, r);
        if (ret != FWS_INFLATE_OK) {
            if (used > piece)
                fz_fail("inflate consumed %zu of %zu", used, piece);
            pos += used;
            break;
        }
        if (used != piece)
            fz_fail("inflate returned OK but consumed %zu of %zu", used, piece);
        pos += piece;
        if (pos == n)
            break;
    }
    r->code = ret;
    r->verdict = ret == FWS_INFLATE_DONE ? V_ACCEPT : ret < 0 ? V_REJECT : V_MORE;
    r->consumed = pos;
    if (ret < FWS_INFLATE_ERR_MIN || ret > FWS_INFLATE_DONE)
        fz_fail("inflate returned %d", ret);
    if (!strcmp(fws_inflate_error_name(ret), "unknown"))
        fz_fail("inflate status %d has no name", ret);
    if (ret != FWS_INFLATE_OK && !r->capped) {
        size_t before = r->len;
        used = 99;
        ret2 = fws_inflate_push(&ctx, s, n, &used, sink, r);
        if (ret2 != ret || used != 0 || r->len != before)
            fz_fail("inflate verdict %d not sticky (%d, consumed %zu)", ret, ret2, used);
    }
    if (ret == FWS_INFLATE_DONE &&
        fws_inflate_adler32(&ctx) != adler32(adler32(0, NULL, 0), r->out, (uInt)r->len))
        fz_fail("fws_inflate_adler32 differs from zlib's adler32 of the output");
    free(window);
}

static int zlib_class(const char *msg)
{
    static const struct {
        const char *msg;
        int code;
    } map[] = {
        {"incorrect header check", FWS_INFLATE_ERR_HEADER},
        {"unknown compression method", FWS_INFLATE_ERR_METHOD},
        {"invalid window size", FWS_INFLATE_ERR_WINDOW},
        {"invalid block type", FWS_INFLATE_ERR_BLOCK_TYPE},
        {"invalid stored block lengths", FWS_INFLATE_ERR_STORED_LEN},
        {"too many length or distance symbols", FWS_INFLATE_ERR_TOO_MANY},
        {"invalid code lengths set", FWS_INFLATE_ERR_CL_CODE},
        {"invalid bit length repeat", FWS_INFLATE_ERR_REPEAT},
        {"invalid code -- missing end-of-block", FWS_INFLATE_ERR_NO_EOB},
        {"invalid literal/lengths set", FWS_INFLATE_ERR_LITLEN_CODE},
        {"invalid distances set", FWS_INFLATE_ERR_DIST_CODE},
        {"invalid literal/length code", FWS_INFLATE_ERR_LITLEN_SYM},
        {"invalid distance code", FWS_INFLATE_ERR_DIST_SYM},
        {"invalid distance too far back", FWS_INFLATE_ERR_DIST_START},
        {"incorrect data check", FWS_INFLATE_ERR_ADLER},
    };
    for (size_t i = 0; msg && i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(msg, map[i].msg))
            return map[i].code;
    fz_fail("unexpected zlib message '%s'", msg ? msg : "(null)");
}

static void run_zlib(const uint8_t *s, size_t n, unsigned wbits, int zw, result *r)
{
    z_stream z;
    size_t wsize = (size_t)1 << wbits;
    uint8_t *buf = malloc(wsize);
    int ret;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, zw ? (int)wbits : -(int)wbits) != Z_OK)
        fz_fail("inflateInit2");
    z.next_in = (Bytef *)(uintptr_t)s;
    z.avail_in = (uInt)n;
    for (;;) {
        size_t room = z.total_out < wsize ? wsize - z.total_out : 1;
        z.next_out = buf;
        z.avail_out = (uInt)room;
        ret = inflate(&z, Z_NO_FLUSH);
        if (append(r, buf, room - z.avail_out))
            break;
        if (ret == Z_STREAM_END) {
            r->verdict = V_ACCEPT;
            break;
        }
        if (ret == Z_DATA_ERROR) {
            r->verdict = V_REJECT;
            r->code = zlib_class(z.msg);
            break;
        }
        if (ret == Z_NEED_DICT) {
            r->verdict = V_REJECT;
            r->code = FWS_INFLATE_ERR_DICT;
            break;
        }
        if (ret == Z_BUF_ERROR) {   /* no progress: input used up */
            if (z.avail_in)
                fz_fail("zlib: Z_BUF_ERROR with %u input bytes left", z.avail_in);
            r->verdict = V_MORE;
            break;
        }
        if (ret != Z_OK)
            fz_fail("zlib inflate returned %d", ret);
    }
    r->consumed = n - z.avail_in;   /* total_in misses the DICTID on Z_NEED_DICT */
    inflateEnd(&z);
    free(buf);
}

static const char *vname(int v)
{
    return v == V_ACCEPT ? "accept" : v == V_REJECT ? "reject" : "needs more input";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    result ours, theirs;
    unsigned wbits;
    int zw;
    if (size < 2)
        return 0;
    wbits = 9 + (data[0] & 7) % 7;
    zw = !(data[0] & 8);
    memset(&ours, 0, sizeof ours);
    memset(&theirs, 0, sizeof theirs);
    run_ours(data + 2, size - 2, wbits, zw, data[1], &ours);
    run_zlib(data + 2, size - 2, wbits, zw, &theirs);
    if (!ours.capped && !theirs.capped) {
        int oc = ours.code == FWS_INFLATE_ERR_DIST_WINDOW ? FWS_INFLATE_ERR_DIST_START : ours.code;
        if (ours.verdict != theirs.verdict)
            fz_fail("wbits %u %s: ours %s (%s), zlib %s", wbits, zw ? "zlib" : "raw",
                    vname(ours.verdict), fws_inflate_error_name(ours.code), vname(theirs.verdict));
        if (ours.verdict == V_REJECT && oc != theirs.code)
            fz_fail("wbits %u %s: ours rejects with %s, zlib with %s", wbits, zw ? "zlib" : "raw",
                    fws_inflate_error_name(ours.code), fws_inflate_error_name(theirs.code));
        if (ours.consumed != theirs.consumed)
            fz_fail("wbits %u %s: %s; ours consumed %zu bytes, zlib %zu", wbits,
                    zw ? "zlib" : "raw", vname(ours.verdict), ours.consumed, theirs.consumed);
        if (ours.verdict != V_REJECT ? ours.len != theirs.len : ours.len > theirs.len)
            fz_fail("wbits %u %s: %s; ours output %zu bytes, zlib %zu", wbits,
                    zw ? "zlib" : "raw", vname(ours.verdict), ours.len, theirs.len);
        if (ours.len && memcmp(ours.out, theirs.out, ours.len))
            fz_fail("wbits %u %s: output differs from zlib's", wbits, zw ? "zlib" : "raw");
    }
    free(ours.out);
    free(theirs.out);
    return 0;
}
