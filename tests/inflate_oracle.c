/* SPDX-License-Identifier: MIT */
#include "inflate_oracle.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "inflate.h"

static void fail_abort(const char *msg)
{
    fprintf(stderr, "inflate oracle: %s\n", msg);
    abort();
}

void (*io_fail)(const char *msg) = fail_abort;

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void fail(const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    io_fail(msg);
}

void io_result_free(io_result *r)
{
    free(r->out);
    r->out = NULL;
    r->len = r->cap = 0;
}

/* 1 when the output limit is reached (nothing appended). */
static int append(io_result *r, const uint8_t *p, size_t n)
{
    if (r->out_limit && n > r->out_limit - r->len) {
        r->capped = 1;
        return 1;
    }
    if (r->len + n > r->cap) {
        r->cap = (r->len + n) * 2 + 1024;
        r->out = realloc(r->out, r->cap);
        if (!r->out)
            fail("out of memory");
    }
    if (n)
        memcpy(r->out + r->len, p, n);
    r->len += n;
    return 0;
}

static int sink(void *user, const uint8_t *data, size_t len)
{
    io_result *r = user;
    if (len == 0 || !data)
        fail("inflate sink called with %zu bytes at %p", len, (const void *)data);
    r->pieces++;
    if (len > r->max_piece)
        r->max_piece = len;
    if (append(r, data, len))
        return 1;
    return r->abort_after != 0 && r->pieces >= r->abort_after;
}

void io_run_ours(const uint8_t *s, size_t n, unsigned wbits, int zw, io_next_piece next,
                 void *state, io_result *r)
{
    fws_inflate_ctx ctx;
    /* Exactly the documented size, so the sanitizers catch any access past it. */
    uint8_t *window = malloc(FWS_INFLATE_WINDOW_SIZE(wbits));
    size_t pos = 0, piece, used;
    int ret = FWS_INFLATE_OK;

    if (!window)
        fail("out of memory");
    memset(window, 0xA5, FWS_INFLATE_WINDOW_SIZE(wbits));
    if (fws_inflate_init(&ctx, window, wbits, zw) != FWS_INFLATE_OK)
        fail("fws_inflate_init(%u) failed", wbits);
    while ((piece = next(state, n - pos)) != IO_STOP) {
        if (piece > n - pos)
            piece = n - pos;
        used = (size_t)-2;
        ret = fws_inflate_push(&ctx, piece ? s + pos : NULL, piece, &used, sink, r);
        if (ret != FWS_INFLATE_OK) {
            if (used > piece)
                fail("inflate consumed %zu of %zu", used, piece);
            pos += used;
            break;
        }
        if (used != piece)
            fail("inflate returned OK but consumed %zu of %zu", used, piece);
        pos += piece;
    }
    r->code = ret;
    r->verdict = ret == FWS_INFLATE_DONE ? IO_ACCEPT : ret < 0 ? IO_REJECT : IO_MORE;
    r->consumed = pos;
    if (ret < FWS_INFLATE_ERR_MIN || ret > FWS_INFLATE_DONE)
        fail("inflate returned %d", ret);
    if (!strcmp(fws_inflate_error_name(ret), "unknown"))
        fail("inflate status %d has no name", ret);
    if (ret != FWS_INFLATE_OK && !r->capped) {
        /* Sticky: another push changes nothing. */
        size_t before = r->len;
        int again;
        used = 99;
        again = fws_inflate_push(&ctx, s, n, &used, sink, r);
        if (again != ret || used != 0 || r->len != before)
            fail("inflate verdict %d not sticky (%d, consumed %zu)", ret, again, used);
    }
    if (ret == FWS_INFLATE_DONE &&
        fws_inflate_adler32(&ctx) != adler32(adler32(0, NULL, 0), r->out, (uInt)r->len))
        fail("fws_inflate_adler32 differs from zlib's adler32 of the output");
    free(window);
}

int io_zlib_class(const char *msg)
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
    fail("unexpected zlib message '%s'", msg ? msg : "(null)");
    return 0;
}

int io_our_class(int code)
{
    return code == FWS_INFLATE_ERR_DIST_WINDOW ? FWS_INFLATE_ERR_DIST_START : code;
}

void io_run_zlib(const uint8_t *s, size_t n, unsigned wbits, int zw, io_result *r)
{
    z_stream z;
    size_t wsize = (size_t)1 << wbits;
    uint8_t *buf = malloc(wsize);
    int ret;
    memset(&z, 0, sizeof z);
    if (!buf || inflateInit2(&z, zw ? (int)wbits : -(int)wbits) != Z_OK)
        fail("inflateInit2");
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
            r->verdict = IO_ACCEPT;
            break;
        }
        if (ret == Z_DATA_ERROR) {
            r->verdict = IO_REJECT;
            r->code = io_zlib_class(z.msg);
            break;
        }
        if (ret == Z_NEED_DICT) {
            r->verdict = IO_REJECT;
            r->code = FWS_INFLATE_ERR_DICT;
            break;
        }
        if (ret == Z_BUF_ERROR) {   /* no progress possible: input used up */
            if (z.avail_in)
                fail("zlib: Z_BUF_ERROR with %u input bytes left", z.avail_in);
            r->verdict = IO_MORE;
            break;
        }
        if (ret != Z_OK)
            fail("zlib inflate returned %d", ret);
    }
    r->consumed = n - z.avail_in;   /* total_in misses the DICTID on Z_NEED_DICT */
    inflateEnd(&z);
    free(buf);
}
