/*
 * Streaming inflate: see inflate.h for the contract.
 *
 * Structure.  One loop over an explicit state machine (ctx->mode).  Every
 * state either finishes its step or, when the input runs out, jumps to
 * `out` having changed nothing it cannot redo: bits are pulled into the bit
 * buffer one byte at a time and only when the step needs them, and a step's
 * bits are dropped only once the whole step (a Huffman code together with
 * its extra bits, a 16-bit stored length, ...) is available.  Re-entering a
 * state with more input therefore redoes the same step with more bits.
 * Since no byte is ever pulled before it is needed, bytes after the end of
 * the stream are never consumed, and the verdict on a stream cut anywhere is
 * "need more" or exactly the error zlib reports with the same bits.
 *
 * Huffman decoding.  A canonical code is described by count[len] (how many
 * codes have each length) and symbol[] (the symbols sorted by code, i.e. by
 * length then by value).  Decoding reads one bit at a time, MSB of the code
 * first, and compares the code read so far with the range of codes of the
 * current length (Mark Adler's puff does the same).  Symbol tables are
 * 288 + 32 uint16 entries, far smaller than zlib's lookup tables; the cost
 * is up to 15 loop turns per symbol.  A code is decided as soon as its last
 * bit is present, as in zlib; an incomplete code (only a single one-bit
 * code, or no code at all, passes the builder) is decided "invalid" after
 * `maxlen` bits, which is again when zlib decides.
 *
 * Output.  The window is the output buffer: bytes are appended at wpos
 * (wrapping), back-references read behind wpos, and wflush..wpos is what
 * the sink has not seen yet.  When wpos reaches the end of the window the
 * pending bytes go to the sink and wpos wraps to 0; the bytes stay in the
 * window as history.  whave (capped at the window size) bounds distances.
 *
 * No division anywhere: Cortex-M0+ has no divide instruction and we link
 * no libgcc helpers.  The Adler-32 and FCHECK reductions use 2^16 == 15
 * (mod 65521) and 32 == 1 (mod 31).
 */
#include "inflate.h"

#include "fws_bytes.h"

/* The size the header documents, checked where it applies (4-byte
 * pointers); a negative array size stops the build if it drifts. */
typedef char fws_inflate_ctx_size_check
    [(sizeof(void *) != 4 || sizeof(fws_inflate_ctx) == FWS_INFLATE_CTX_SIZE_ILP32) ? 1 : -1];

enum {
    FWS_INF_HEADER,      /* zlib CMF, FLG */
    FWS_INF_DICTID,      /* 4 DICTID bytes, read before refusing FDICT (as zlib) */
    FWS_INF_BLOCK,       /* BFINAL, BTYPE; or the end of the stream after a final block */
    FWS_INF_STORED_LEN,  /* LEN */
    FWS_INF_STORED_NLEN, /* NLEN */
    FWS_INF_STORED_COPY, /* stored bytes */
    FWS_INF_TABLE,       /* HLIT, HDIST, HCLEN */
    FWS_INF_CL_LENS,     /* code-length code lengths, 3 bits each */
    FWS_INF_CODE_LENS,   /* literal/length and distance code lengths */
    FWS_INF_LITLEN,      /* literal/length symbol */
    FWS_INF_LENEXT,      /* length extra bits */
    FWS_INF_DIST,        /* distance symbol */
    FWS_INF_DISTEXT,     /* distance extra bits */
    FWS_INF_MATCH,       /* copy length bytes from dist back */
    FWS_INF_TRAILER,     /* Adler-32, big-endian */
    FWS_INF_END          /* DONE or failed: status says which */
};

#define FWS_INF_MORE (-1) /* input ran out inside a code */
#define FWS_INF_BAD (-2)  /* an unused code of an incomplete code */

/* Order of the code-length code lengths in a dynamic block header. */
static const uint8_t fws_inflate_cl_order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                 11, 4,  12, 3, 13, 2, 14, 1, 15};

/* Canonical code from lens[0..n).  Returns 0 when zlib accepts the lengths:
 * not over-subscribed, and complete unless single_ok and the code is a
 * single one-bit code (literal/length and distance codes), or empty (any
 * code: decoding it then fails).  Stack: 32 bytes of offsets. */
static int fws_inflate_build(uint16_t *count, uint16_t *symbol, uint8_t *maxlen, const uint8_t *lens,
                             unsigned n, int single_ok)
{
    uint16_t offs[16];
    int32_t left = 1; /* codes of the current length still unassigned */
    unsigned len, sym, max = 0;

    for (len = 0; len < 16; len++)
        count[len] = 0;
    for (sym = 0; sym < n; sym++)
        count[lens[sym]]++;
    for (len = 1; len < 16; len++) {
        if (count[len])
            max = len;
        left = 2 * left - count[len];
        if (left < 0)
            return -1; /* over-subscribed */
    }
    *maxlen = (uint8_t)(max ? max : 1);
    if (max != 0 && left > 0 && (!single_ok || max != 1))
        return -1; /* incomplete */
    offs[1] = 0;
    for (len = 1; len < 15; len++)
        offs[len + 1] = (uint16_t)(offs[len] + count[len]);
    for (sym = 0; sym < n; sym++)
        if (lens[sym])
            symbol[offs[lens[sym]]++] = (uint16_t)sym;
    return 0;
}

/* Decodes one symbol from the bit buffer, pulling input bytes only while
 * the code is undecided.  Does not drop the code's bits: on success returns
 * the symbol and sets *used to the code length; else FWS_INF_MORE (input
 * exhausted, pulled bytes stay in the buffer) or FWS_INF_BAD. */
static int fws_inflate_decode(const uint16_t *count, const uint16_t *symbol, unsigned maxlen, uint32_t *hold,
                              unsigned *bits, const uint8_t **next, const uint8_t *end, unsigned *used)
{
    uint32_t h = *hold;
    unsigned b = *bits, len, code = 0, first = 0, index = 0, c;
    int ret;

    for (len = 1;; len++) {
        if (len > b) {
            if (*next == end) {
                ret = FWS_INF_MORE;
                break;
            }
            h |= (uint32_t)(*next)[0] << b;
            *next += 1;
            b += 8;
        }
        code |= (unsigned)(h >> (len - 1)) & 1u;
        c = count[len];
        /* Codes of this length are first .. first + c - 1. */
        if (code - first < c) {
            *used = len;
            ret = symbol[index + code - first];
            break;
        }
        if (len >= maxlen) {
            ret = FWS_INF_BAD;
            break;
        }
        index += c;
        first = (first + c) << 1;
        code <<= 1;
    }
    *hold = h;
    *bits = b;
    return ret;
}

static uint32_t fws_inflate_mod65521(uint32_t x)
{
    x = (x & 0xffffu) + 15u * (x >> 16);
    x = (x & 0xffffu) + 15u * (x >> 16); /* now < 65521 + 240 */
    return x >= 65521u ? x - 65521u : x;
}

/* Hands window[wflush..wpos) to the sink, after adding it to the Adler-32.
 * Returns nonzero if the sink aborts. */
static int fws_inflate_flush(fws_inflate_ctx *ctx, fws_inflate_sink sink, void *user)
{
    const uint8_t *p = ctx->window + ctx->wflush;
    uint32_t n = ctx->wpos - ctx->wflush, left = n, k;
    uint32_t a = ctx->adler & 0xffffu, b = ctx->adler >> 16;

    if (n == 0)
        return 0;
    while (left) {
        /* 5552 bytes keep b below 2^32 (zlib's NMAX). */
        k = left < 5552u ? left : 5552u;
        left -= k;
        do {
            a += *p++;
            b += a;
        } while (--k);
        a = fws_inflate_mod65521(a);
        b = fws_inflate_mod65521(b);
    }
    ctx->adler = (b << 16) | a;
    p = ctx->window + ctx->wflush;
    ctx->wflush = ctx->wpos;
    return sink != NULL && sink(user, p, n) != 0;
}

int fws_inflate_init(fws_inflate_ctx *ctx, uint8_t *window, unsigned wbits, int zlib_wrapper)
{
    fws_zero(ctx, sizeof *ctx);
    ctx->window = window;
    ctx->wbits = (uint8_t)wbits;
    ctx->zlib = (uint8_t)(zlib_wrapper != 0);
    ctx->adler = 1;
    ctx->mode = (uint8_t)(zlib_wrapper ? FWS_INF_HEADER : FWS_INF_BLOCK);
    if (window == NULL || wbits < FWS_INFLATE_MIN_WBITS || wbits > FWS_INFLATE_MAX_WBITS) {
        ctx->mode = FWS_INF_END;
        ctx->status = FWS_INFLATE_ERR_PARAM;
        return FWS_INFLATE_ERR_PARAM;
    }
    ctx->wmask = ((uint32_t)1 << wbits) - 1u;
    return FWS_INFLATE_OK;
}

uint32_t fws_inflate_adler32(const fws_inflate_ctx *ctx)
{
    return ctx->adler;
}

/* Bit-buffer steps for the state machine (hold/bits/next/end are locals). */
#define NEED(n)                                                                                              \
    do {                                                                                                     \
        while (bits < (unsigned)(n)) {                                                                       \
            if (next == end)                                                                                 \
                goto out;                                                                                    \
            hold |= (uint32_t)*next++ << bits;                                                               \
            bits += 8;                                                                                       \
        }                                                                                                    \
    } while (0)
#define BITS(n) ((unsigned)(hold & (((uint32_t)1 << (n)) - 1u)))
#define DROP(n)                                                                                              \
    do {                                                                                                     \
        hold >>= (n);                                                                                        \
        bits -= (unsigned)(n);                                                                               \
    } while (0)
#define FAIL(e)                                                                                              \
    do {                                                                                                     \
        ret = (e);                                                                                           \
        goto fail;                                                                                           \
    } while (0)

int fws_inflate_push(fws_inflate_ctx *ctx, const uint8_t *in, size_t len, size_t *consumed,
                     fws_inflate_sink sink, void *user)
{
    const uint8_t *next = in, *end = len ? in + len : in;
    uint32_t hold = ctx->hold, x;
    unsigned bits = ctx->bits, used = 0, n;
    int ret, sym;

    if (ctx->status != FWS_INFLATE_OK) {
        if (consumed)
            *consumed = 0;
        return ctx->status;
    }
    for (;;) {
        switch (ctx->mode) {
        case FWS_INF_HEADER:
            NEED(16);
            /* (CMF * 256 + FLG) % 31, folding base-32 digits. */
            x = ((hold & 0xffu) << 8) | ((hold >> 8) & 0xffu);
            while (x > 31u)
                x = (x & 31u) + (x >> 5);
            if (x != 0 && x != 31u)
                FAIL(FWS_INFLATE_ERR_HEADER);
            if ((hold & 0x0fu) != 8u)
                FAIL(FWS_INFLATE_ERR_METHOD);
            if (((hold >> 4) & 0x0fu) + 8u > ctx->wbits)
                FAIL(FWS_INFLATE_ERR_WINDOW);
            ctx->mode = (hold & 0x2000u) ? FWS_INF_DICTID : FWS_INF_BLOCK;
            ctx->length = 4;
            DROP(16);
            break;

        case FWS_INF_DICTID:
            while (ctx->length) {
                NEED(8);
                DROP(8);
                ctx->length--;
            }
            FAIL(FWS_INFLATE_ERR_DICT);

        case FWS_INF_BLOCK:
            if (ctx->last) {
                /* The final block ended: skip the padding, emit the rest. */
                DROP(bits & 7u);
                if (fws_inflate_flush(ctx, sink, user))
                    FAIL(FWS_INFLATE_ERR_SINK);
                if (!ctx->zlib)
                    goto done;
                ctx->length = 4;
                ctx->check = 0;
                ctx->mode = FWS_INF_TRAILER;
                break;
            }
            NEED(3);
            ctx->last = (uint8_t)BITS(1);
            switch (BITS(3) >> 1) {
            case 0:
                DROP(3);
                DROP(bits & 7u); /* stored blocks start on a byte boundary */
                ctx->mode = FWS_INF_STORED_LEN;
                break;
            case 1: {
                /* Fixed codes (RFC 1951, 3.2.6), rebuilt for each block:
                 * a few hundred cycles, no extra RAM.  Distance symbols 30
                 * and 31 get codes so that they decode and are refused. */
                unsigned i;
                for (i = 0; i < 288; i++)
                    ctx->lens[i] = (uint8_t)(i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8);
                fws_inflate_build(ctx->lit_count, ctx->lit_symbol, &ctx->lit_max, ctx->lens, 288, 0);
                for (i = 0; i < 32; i++)
                    ctx->lens[i] = 5;
                fws_inflate_build(ctx->dist_count, ctx->dist_symbol, &ctx->dist_max, ctx->lens, 32, 0);
                DROP(3);
                ctx->mode = FWS_INF_LITLEN;
                break;
            }
            case 2:
                DROP(3);
                ctx->mode = FWS_INF_TABLE;
                break;
            default:
                FAIL(FWS_INFLATE_ERR_BLOCK_TYPE);
            }
            break;

        case FWS_INF_STORED_LEN:
            NEED(16);
            ctx->check = BITS(16);
            DROP(16);
            ctx->mode = FWS_INF_STORED_NLEN;
            /* fall through */
        case FWS_INF_STORED_NLEN:
            NEED(16);
            if (BITS(16) != (~ctx->check & 0xffffu))
                FAIL(FWS_INFLATE_ERR_STORED_LEN);
            DROP(16);
            ctx->length = (uint16_t)ctx->check;
            ctx->mode = FWS_INF_STORED_COPY;
            /* fall through */
        case FWS_INF_STORED_COPY:
            /* Byte-aligned with an empty bit buffer: copy straight in. */
            while (ctx->length) {
                n = ctx->length;
                if (n > ctx->wmask + 1u - ctx->wpos)
                    n = ctx->wmask + 1u - ctx->wpos;
                if (n > (size_t)(end - next))
                    n = (unsigned)(end - next);
                if (n == 0)
                    goto out;
                fws_copy(ctx->window + ctx->wpos, next, n);
                next += n;
                ctx->wpos += n;
                ctx->length = (uint16_t)(ctx->length - n);
                ctx->whave = ctx->whave + n > ctx->wmask ? ctx->wmask + 1u : ctx->whave + n;
                if (ctx->wpos > ctx->wmask) {
                    if (fws_inflate_flush(ctx, sink, user))
                        FAIL(FWS_INFLATE_ERR_SINK);
                    ctx->wpos = ctx->wflush = 0;
                }
            }
            ctx->mode = FWS_INF_BLOCK;
            break;

        case FWS_INF_TABLE:
            NEED(14);
            ctx->nlen = (uint16_t)(BITS(5) + 257u);
            ctx->ndist = (uint16_t)(((hold >> 5) & 31u) + 1u);
            ctx->ncode = (uint16_t)(((hold >> 10) & 15u) + 4u);
            DROP(14);
            if (ctx->nlen > 286 || ctx->ndist > 30)
                FAIL(FWS_INFLATE_ERR_TOO_MANY);
            ctx->have = 0;
            ctx->mode = FWS_INF_CL_LENS;
            /* fall through */
        case FWS_INF_CL_LENS:
            while (ctx->have < ctx->ncode) {
                NEED(3);
                ctx->lens[fws_inflate_cl_order[ctx->have++]] = (uint8_t)BITS(3);
                DROP(3);
            }
            while (ctx->have < 19)
                ctx->lens[fws_inflate_cl_order[ctx->have++]] = 0;
            /* The code-length code borrows the distance tables. */
            if (fws_inflate_build(ctx->dist_count, ctx->dist_symbol, &ctx->dist_max, ctx->lens, 19, 0))
                FAIL(FWS_INFLATE_ERR_CL_CODE);
            ctx->have = 0;
            ctx->mode = FWS_INF_CODE_LENS;
            /* fall through */
        case FWS_INF_CODE_LENS:
            while (ctx->have < ctx->nlen + ctx->ndist) {
                unsigned rep, val;
                sym = fws_inflate_decode(ctx->dist_count, ctx->dist_symbol, ctx->dist_max, &hold, &bits,
                                         &next, end, &used);
                if (sym == FWS_INF_MORE)
                    goto out;
                if (sym == FWS_INF_BAD) {
                    /* Only an empty code-length code gets here; zlib then
                     * reads each length as 0 from one bit. */
                    sym = 0;
                    used = 1;
                }
                if (sym < 16) {
                    DROP(used);
                    ctx->lens[ctx->have++] = (uint8_t)sym;
                    continue;
                }
                if (sym == 16) {
                    NEED(used + 2);
                    DROP(used);
                    if (ctx->have == 0)
                        FAIL(FWS_INFLATE_ERR_REPEAT);
                    val = ctx->lens[ctx->have - 1];
                    rep = 3 + BITS(2);
                    DROP(2);
                } else if (sym == 17) {
                    NEED(used + 3);
                    DROP(used);
                    val = 0;
                    rep = 3 + BITS(3);
                    DROP(3);
                } else {
                    NEED(used + 7);
                    DROP(used);
                    val = 0;
                    rep = 11 + BITS(7);
                    DROP(7);
                }
                /* A repeat may run from the literal/length lengths into the
                 * distance lengths, but not past them. */
                if (ctx->have + rep > (unsigned)ctx->nlen + ctx->ndist)
                    FAIL(FWS_INFLATE_ERR_REPEAT);
                while (rep--)
                    ctx->lens[ctx->have++] = (uint8_t)val;
            }
            if (ctx->lens[256] == 0)
                FAIL(FWS_INFLATE_ERR_NO_EOB);
            if (fws_inflate_build(ctx->lit_count, ctx->lit_symbol, &ctx->lit_max, ctx->lens, ctx->nlen, 1))
                FAIL(FWS_INFLATE_ERR_LITLEN_CODE);
            if (fws_inflate_build(ctx->dist_count, ctx->dist_symbol, &ctx->dist_max, ctx->lens + ctx->nlen,
                                  ctx->ndist, 1))
                FAIL(FWS_INFLATE_ERR_DIST_CODE);
            ctx->mode = FWS_INF_LITLEN;
            /* fall through */
        case FWS_INF_LITLEN:
            for (;;) {
                sym = fws_inflate_decode(ctx->lit_count, ctx->lit_symbol, ctx->lit_max, &hold, &bits, &next,
                                         end, &used);
                if (sym == FWS_INF_MORE)
                    goto out;
                if (sym == FWS_INF_BAD)
                    FAIL(FWS_INFLATE_ERR_LITLEN_SYM);
                DROP(used);
                if (sym >= 256)
                    break;
                ctx->window[ctx->wpos++] = (uint8_t)sym;
                if (ctx->whave <= ctx->wmask)
                    ctx->whave++;
                if (ctx->wpos > ctx->wmask) {
                    if (fws_inflate_flush(ctx, sink, user))
                        FAIL(FWS_INFLATE_ERR_SINK);
                    ctx->wpos = ctx->wflush = 0;
                }
            }
            if (sym == 256) {
                ctx->mode = FWS_INF_BLOCK;
                break;
            }
            sym -= 257;
            if (sym >= 29)
                FAIL(FWS_INFLATE_ERR_LITLEN_SYM); /* 286, 287 */
            /* Lengths 3..258: symbols 0..7 have no extra bits, then four
             * symbols per extra bit count; symbol 28 is 258. */
            if (sym < 8) {
                ctx->extra = 0;
                ctx->length = (uint16_t)(sym + 3);
            } else if (sym < 28) {
                ctx->extra = (uint8_t)((sym >> 2) - 1);
                ctx->length = (uint16_t)(((4u | ((unsigned)sym & 3u)) << ctx->extra) + 3u);
            } else {
                ctx->extra = 0;
                ctx->length = 258;
            }
            ctx->mode = FWS_INF_LENEXT;
            /* fall through */
        case FWS_INF_LENEXT:
            if (ctx->extra) {
                NEED(ctx->extra);
                ctx->length = (uint16_t)(ctx->length + BITS(ctx->extra));
                DROP(ctx->extra);
            }
            ctx->mode = FWS_INF_DIST;
            /* fall through */
        case FWS_INF_DIST:
            sym = fws_inflate_decode(ctx->dist_count, ctx->dist_symbol, ctx->dist_max, &hold, &bits, &next,
                                     end, &used);
            if (sym == FWS_INF_MORE)
                goto out;
            if (sym == FWS_INF_BAD || sym >= 30)
                FAIL(FWS_INFLATE_ERR_DIST_SYM);
            DROP(used);
            /* Distances 1..32768: symbols 0..3 have no extra bits, then
             * two symbols per extra bit count. */
            if (sym < 4) {
                ctx->extra = 0;
                ctx->dist = (uint16_t)(sym + 1);
            } else {
                ctx->extra = (uint8_t)((sym >> 1) - 1);
                ctx->dist = (uint16_t)(((2u | ((unsigned)sym & 1u)) << ctx->extra) + 1u);
            }
            ctx->mode = FWS_INF_DISTEXT;
            /* fall through */
        case FWS_INF_DISTEXT:
            if (ctx->extra) {
                NEED(ctx->extra);
                ctx->dist = (uint16_t)(ctx->dist + BITS(ctx->extra));
                DROP(ctx->extra);
            }
            if (ctx->dist > ctx->whave)
                FAIL(ctx->whave > ctx->wmask ? FWS_INFLATE_ERR_DIST_WINDOW : FWS_INFLATE_ERR_DIST_START);
            ctx->mode = FWS_INF_MATCH;
            /* fall through */
        case FWS_INF_MATCH:
            while (ctx->length) {
                uint8_t *w = ctx->window;
                uint32_t src = (ctx->wpos - ctx->dist) & ctx->wmask, dst = ctx->wpos;
                n = ctx->length;
                if (n > ctx->wmask + 1u - dst)
                    n = ctx->wmask + 1u - dst;
                ctx->length = (uint16_t)(ctx->length - n);
                ctx->wpos += n;
                ctx->whave = ctx->whave + n > ctx->wmask ? ctx->wmask + 1u : ctx->whave + n;
                /* Byte by byte: the source may overlap what is written. */
                do {
                    w[dst++] = w[src];
                    src = (src + 1u) & ctx->wmask;
                } while (--n);
                if (ctx->wpos > ctx->wmask) {
                    if (fws_inflate_flush(ctx, sink, user))
                        FAIL(FWS_INFLATE_ERR_SINK);
                    ctx->wpos = ctx->wflush = 0;
                }
            }
            ctx->mode = FWS_INF_LITLEN;
            break;

        case FWS_INF_TRAILER:
            while (ctx->length) {
                NEED(8);
                ctx->check = (ctx->check << 8) | BITS(8);
                DROP(8);
                ctx->length--;
            }
            if (ctx->check != ctx->adler)
                FAIL(FWS_INFLATE_ERR_ADLER);
            goto done;

        default: /* FWS_INF_END is caught by the status test above */
            FAIL(FWS_INFLATE_ERR_PARAM);
        }
    }

out: /* all input used, more needed */
    ctx->hold = hold;
    ctx->bits = (uint8_t)bits;
    if (fws_inflate_flush(ctx, sink, user)) {
        ret = FWS_INFLATE_ERR_SINK;
        goto fail;
    }
    if (consumed)
        *consumed = len;
    return FWS_INFLATE_OK;

done:
    ret = FWS_INFLATE_DONE;
fail:
    ctx->hold = hold;
    ctx->bits = (uint8_t)bits;
    ctx->mode = FWS_INF_END;
    ctx->status = (int16_t)ret;
    if (consumed)
        *consumed = (size_t)(next - in);
    return ret;
}

#undef NEED
#undef BITS
#undef DROP
#undef FAIL
#undef FWS_INF_MORE
#undef FWS_INF_BAD

const char *fws_inflate_error_name(int err)
{
    switch (err) {
    case FWS_INFLATE_OK:
        return "ok";
    case FWS_INFLATE_DONE:
        return "done";
    case FWS_INFLATE_ERR_PARAM:
        return "bad-parameter";
    case FWS_INFLATE_ERR_HEADER:
        return "zlib-header-check";
    case FWS_INFLATE_ERR_METHOD:
        return "zlib-method";
    case FWS_INFLATE_ERR_DICT:
        return "zlib-preset-dictionary";
    case FWS_INFLATE_ERR_WINDOW:
        return "zlib-window-too-large";
    case FWS_INFLATE_ERR_BLOCK_TYPE:
        return "block-type";
    case FWS_INFLATE_ERR_STORED_LEN:
        return "stored-length";
    case FWS_INFLATE_ERR_TOO_MANY:
        return "too-many-codes";
    case FWS_INFLATE_ERR_CL_CODE:
        return "code-length-code";
    case FWS_INFLATE_ERR_REPEAT:
        return "code-length-repeat";
    case FWS_INFLATE_ERR_NO_EOB:
        return "no-end-of-block";
    case FWS_INFLATE_ERR_LITLEN_CODE:
        return "literal-length-code";
    case FWS_INFLATE_ERR_DIST_CODE:
        return "distance-code";
    case FWS_INFLATE_ERR_LITLEN_SYM:
        return "literal-length-symbol";
    case FWS_INFLATE_ERR_DIST_SYM:
        return "distance-symbol";
    case FWS_INFLATE_ERR_DIST_START:
        return "distance-before-start";
    case FWS_INFLATE_ERR_DIST_WINDOW:
        return "distance-beyond-window";
    case FWS_INFLATE_ERR_ADLER:
        return "adler32-mismatch";
    case FWS_INFLATE_ERR_SINK:
        return "sink-abort";
    default:
        return "unknown";
    }
}
