/* SPDX-License-Identifier: MIT */
/*
 * Streaming inflate: see inflate.h for the contract.
 *
 * Structure.  One loop over an explicit state machine (ctx->mode).  Every
 * state either finishes its step or, when the input runs out, jumps to
 * `out` having changed nothing it cannot redo, and a step's bits are
 * dropped only once the whole step (a Huffman code together with its extra
 * bits, a 16-bit stored length, ...) is available.  Re-entering a state
 * with more input therefore redoes the same step with more bits.  The
 * literal/length and distance codes of a block, the hot path, run in their
 * own loop (fws_inflate_codes) with the bit buffer and the window position
 * in registers; the other states run here.
 *
 * Consumed bytes.  The bit buffer is filled greedily (to at least 25 bits
 * while input lasts), and when the stream ends or fails the whole bytes it
 * still holds beyond the last step are given back (`next -= bits >> 3`),
 * as zlib's inflate_fast does.  Every byte pulled in an earlier push
 * belongs to a step that was cut short by the end of that push's input, so
 * the bytes given back are always from the current push.  The count of
 * bytes consumed is therefore exactly that of a decoder pulling a byte
 * only when a step needs it: bytes after the end of the stream are never
 * consumed, and the verdict on a stream cut anywhere is "need more" or
 * exactly the error zlib reports with the same bits.  A failing step
 * drops its bits before it fails, so that they count as consumed.
 *
 * Huffman decoding.  A canonical code is described by count[len] (how many
 * codes have each length), symbol[] (the symbols sorted by code, i.e. by
 * length then by value) and a first-level lookup table indexed by the next
 * tbits input bits (9 for literal/length codes, 7 for distance and
 * code-length codes).  An entry holds the symbol and the length of the
 * code those bits start with; or, for the first tbits bits of a longer
 * code, length 0 and those bits, from which the canonical decoder (as in
 * Mark Adler's puff: the code read MSB first is compared with the range of
 * codes of each length) goes on bit by bit; or, for bits that start no
 * code of an incomplete code (only a single one-bit code, or no code at
 * all, passes the builder), "invalid after one bit".  A code is decided as
 * soon as its last bit is present, as in zlib, and an invalid code after
 * `maxlen` bits, which is again when zlib decides.
 *
 * Output.  The window is the output buffer: bytes are appended at wpos
 * (wrapping), back-references read behind wpos, and wflush..wpos is what
 * the sink has not seen yet.  When wpos reaches the end of the window the
 * pending bytes go to the sink and wpos wraps to 0 (and `full` is set);
 * the bytes stay in the window as history.  The history available, which
 * bounds distances, is wpos until the first wrap and the whole window
 * after it.
 *
 * No division anywhere: Cortex-M0+ has no divide instruction and we link
 * no libgcc helpers.  The Adler-32 and FCHECK reductions use 2^16 == 15
 * (mod 65521) and 32 == 1 (mod 31).
 */
#include "inflate.h"

#include "fws_bytes.h"
#include "fws_config.h"

/* The size the header documents, checked where it applies (4-byte
 * pointers); a negative array size stops the build if it drifts. */
typedef char fws_inflate_ctx_size_check
    [(sizeof(void *) != 4 || sizeof(fws_inflate_ctx) == FWS_INFLATE_CTX_SIZE_ILP32) ? 1 : -1];

/* The steps, FWS_CFG_STEP_SPACING apart (no jump table on Cortex-M0+:
 * fws_config.h). */
#define FWS_INF_STEP(n) ((n) * FWS_CFG_STEP_SPACING)
enum {
    FWS_INF_HEADER = FWS_INF_STEP(0),       /* zlib CMF, FLG */
    FWS_INF_DICTID = FWS_INF_STEP(1),       /* 4 DICTID bytes, read before refusing FDICT (as zlib) */
    FWS_INF_BLOCK = FWS_INF_STEP(2),        /* BFINAL, BTYPE; or the end of the stream after a final block */
    FWS_INF_STORED_LEN = FWS_INF_STEP(3),   /* LEN, NLEN */
    FWS_INF_STORED_COPY = FWS_INF_STEP(4),  /* stored bytes */
    FWS_INF_TABLE = FWS_INF_STEP(5),        /* HLIT, HDIST, HCLEN */
    FWS_INF_CL_LENS = FWS_INF_STEP(6),      /* code-length code lengths, 3 bits each */
    FWS_INF_CODE_LENS = FWS_INF_STEP(7),    /* literal/length and distance code lengths */
    FWS_INF_LITLEN = FWS_INF_STEP(8),       /* literal/length symbol and length extra bits */
    FWS_INF_DIST = FWS_INF_STEP(9),         /* distance symbol */
    FWS_INF_DISTEXT = FWS_INF_STEP(10),     /* distance extra bits */
    FWS_INF_MATCH = FWS_INF_STEP(11),       /* copy length bytes from dist back */
    FWS_INF_TRAILER = FWS_INF_STEP(12),     /* Adler-32, big-endian */
    FWS_INF_END = FWS_INF_STEP(13)          /* DONE or failed: status says which */
};

#define FWS_INF_MORE (-1) /* input ran out inside a code */
#define FWS_INF_BAD 511   /* an unused code of an incomplete code */

/* Lookup-table widths, and where the parts of a code live in its array:
 * code[1..15] the number of codes of each length (code[0] is not used),
 * code[16] and code[17] the first code of length tbits + 1 and the index
 * of its symbol (where the bit-by-bit decoding of long codes starts), then
 * the table, then the symbols. */
#define FWS_INF_LBITS 9
#define FWS_INF_DBITS 7
#define FWS_INF_TABLE(code) ((code) + 18)
#define FWS_INF_SYMBOL(code, tbits) ((code) + 18 + (1u << (tbits)))
#define FWS_INF_INVALID ((1u << 9) | FWS_INF_BAD) /* entry: invalid after one bit */
/* The code lengths of a dynamic block header (up to 286 + 30 bytes) are
 * kept in the literal/length table's 1 KiB while it is not in use: they
 * are complete before that table is built, and building it reads them
 * (into count and symbol) before it overwrites them (filling the table);
 * the distance code is built from them first. */
#define FWS_INF_LENS(ctx) ((uint8_t *)FWS_INF_TABLE((ctx)->lcode))

/* Order of the code-length code lengths in a dynamic block header. */
static const uint8_t fws_inflate_cl_order[19] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
                                                 11, 4,  12, 3, 13, 2, 14, 1, 15};

/* Fills the bit buffer from the input (to at least 25 bits while input
 * lasts: greedy, see the top of this file) and returns 1 if it then holds
 * n bits (n <= 25), 0 if the input ran out first. */
static int fws_inflate_need(fws_inflate_ctx *ctx, unsigned n)
{
    uint32_t hold = ctx->hold;
    unsigned bits = ctx->bits;
    const uint8_t *next = ctx->next;

    while (bits <= 24 && next != ctx->end) {
        hold |= (uint32_t)*next++ << bits;
        bits += 8;
    }
    ctx->hold = hold;
    ctx->bits = (uint8_t)bits;
    ctx->next = next;
    return bits >= n;
}

/* Removes n bits (which must be present) from the bit buffer, returning
 * them. */
static unsigned fws_inflate_take(fws_inflate_ctx *ctx, unsigned n)
{
    unsigned v = (unsigned)(ctx->hold & (((uint32_t)1 << n) - 1u));
    ctx->hold >>= n;
    ctx->bits = (uint8_t)(ctx->bits - n);
    return v;
}

/* The n low bits of v in reverse order (Huffman codes are sent MSB first,
 * the bit buffer is LSB first). */
static unsigned fws_inflate_reverse(unsigned v, unsigned n)
{
    unsigned r = 0;
    while (n--) {
        r = (r << 1) | (v & 1u);
        v >>= 1;
    }
    return r;
}

/* Canonical code from lens[0..n) into code (see FWS_INF_TABLE).  Returns
 * 0 when zlib accepts the lengths: not over-subscribed, and complete unless
 * single_ok and the code is a single one-bit code (literal/length and
 * distance codes), or empty (any code: decoding it then fails).  Stack: 32
 * bytes of offsets. */
static int fws_inflate_build(uint16_t *code, unsigned tbits, const uint8_t *lens, unsigned n,
                             int single_ok)
{
    uint16_t offs[16], *table = FWS_INF_TABLE(code), *symbol = FWS_INF_SYMBOL(code, tbits);
    int32_t left = 1; /* codes of the current length still unassigned */
    unsigned len, sym, max = 0, c = 0, k = 0, r;

    for (len = 0; len < 16; len++)
        code[len] = 0;
    for (sym = 0; sym < n; sym++)
        code[lens[sym]]++;
    for (len = 1; len < 16; len++) {
        if (code[len])
            max = len;
        left = 2 * left - code[len];
        if (left < 0)
            return -1; /* over-subscribed */
        offs[len] = (uint16_t)k; /* symbols of shorter codes */
        k += code[len];
        c = (c + code[len]) << 1; /* the first code of length len + 1 */
        if (len == tbits) {
            code[16] = (uint16_t)c;
            code[17] = (uint16_t)k;
        }
    }
    if (max != 0 && left > 0 && (!single_ok || max != 1))
        return -1; /* incomplete */
    for (sym = 0; sym < n; sym++)
        if (lens[sym])
            symbol[offs[lens[sym]]++] = (uint16_t)sym;
    /* The table: the canonical codes in order, code c of length len at
     * its bits reversed, repeated for every value of the bits beyond it;
     * the first tbits bits of a longer code (shared by several codes) at
     * theirs. */
    for (r = 0; r < (1u << tbits); r++)
        table[r] = FWS_INF_INVALID;
    c = 0;
    sym = 0;
    for (len = 1; len < 16; len++, c <<= 1)
        for (n = code[len]; n > 0; n--, c++, sym++) {
            unsigned l = len, v = symbol[sym] | len << 9;
            k = c;
            if (len > tbits) {
                l = tbits;
                v = k = c >> (len - tbits);
            }
            for (r = fws_inflate_reverse(k, l); r < (1u << tbits); r += 1u << l)
                table[r] = (uint16_t)v;
        }
    return 0;
}

/* Decodes one symbol from h, which holds b bits, without dropping them:
 * returns the symbol and sets *used to the code length; FWS_INF_MORE if b
 * bits do not decide the code; FWS_INF_BAD (above every symbol, with
 * *used = the bits it took to decide) for an unused code of an incomplete
 * code.  Any code is decided by 15 bits. */
static int fws_inflate_symbol(const uint16_t *code, unsigned tbits, uint32_t h, unsigned b, unsigned *used)
{
    unsigned e = FWS_INF_TABLE(code)[h & ((1u << tbits) - 1u)], len = e >> 9, c = e & 511u;
    unsigned first = code[16], index = code[17], n;

    if (len == 0) {
        /* A long code: c holds its first tbits bits; on bit by bit. */
        for (len = tbits + 1;; len++) {
            if (len > b)
                return FWS_INF_MORE;
            c = (c << 1) | ((unsigned)(h >> (len - 1)) & 1u);
            n = code[len];
            if (c - first < n)
                break;
            index += n;
            first = (first + n) << 1;
        }
        /* (A code with codes longer than tbits is complete: the loop ends
         * with a code of at most 15 bits, or for want of bits.) */
        c = FWS_INF_SYMBOL(code, tbits)[index + c - first];
    }
    if (len > b)
        return FWS_INF_MORE;
    *used = len;
    return (int)c;
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

/* After n bytes went into the window at wpos: moves wpos on and, at the
 * end of the window, hands the pending bytes to the sink and wraps.
 * Returns nonzero if the sink aborts. */
static int fws_inflate_wrote(fws_inflate_ctx *ctx, unsigned n, fws_inflate_sink sink, void *user)
{
    ctx->wpos += n;
    if (ctx->wpos <= ctx->wmask)
        return 0;
    ctx->full = 1;
    if (fws_inflate_flush(ctx, sink, user))
        return 1;
    ctx->wpos = ctx->wflush = 0;
    return 0;
}

/* The literal/length and distance codes of a compressed block (states
 * LITLEN to MATCH), the hot path: the bit buffer, the window position and
 * the match in registers, refilled as fws_inflate_need does.  Returns 0
 * when the input ran out (the step that needs more is saved in ctx), 1 at
 * the end of the block (mode BLOCK), or a negative FWS_INFLATE_ERR_* with
 * the failing step's bits dropped.  On Cortex-M4 about 30 instructions per
 * literal and 70 per match plus 5 per byte copied. */
static int fws_inflate_codes(fws_inflate_ctx *ctx, fws_inflate_sink sink, void *user)
{
    uint32_t h = ctx->hold, pos = ctx->wpos, mask = ctx->wmask, len = ctx->length, dist = ctx->dist;
    unsigned b = ctx->bits, x = ctx->extra, used = 0, mode = ctx->mode, n;
    const uint8_t *p = ctx->next, *end = ctx->end;
    uint8_t *w = ctx->window;
    int sym, ret = 0;

#define REFILL()                                                                                             \
    while (b <= 24 && p != end) {                                                                        \
        h |= (uint32_t)*p++ << b;                                                                            \
        b += 8;                                                                                              \
    }
    if (mode == FWS_INF_DIST)
        goto dist;
    if (mode == FWS_INF_DISTEXT)
        goto distext;
    if (mode == FWS_INF_MATCH)
        goto match;
    for (;;) {
        mode = FWS_INF_LITLEN;
        REFILL()
        /* The table hit inline for the literal/length code (the hot path),
         * fws_inflate_symbol for long and invalid codes. */
        n = FWS_INF_TABLE(ctx->lcode)[h & ((1u << FWS_INF_LBITS) - 1u)];
        used = n >> 9;
        sym = (int)(n & 511u);
        if (used - 1 >= b) /* a long code (used 0), or too few bits */
            sym = fws_inflate_symbol(ctx->lcode, FWS_INF_LBITS, h, b, &used);
        if (sym == FWS_INF_MORE)
            break;
        if (sym < 256) {
            h >>= used;
            b -= used;
            w[pos] = (uint8_t)sym;
            len = 0;
            goto advance; /* the window handling of a match's bytes */
        }
        if (sym == 256 || sym > 285) {
            h >>= used;
            b -= used;
            mode = FWS_INF_BLOCK;
            ret = sym == 256 ? 1 : FWS_INFLATE_ERR_LITLEN_SYM; /* 286, 287, BAD */
            break;
        }
        /* Lengths 3..258: symbols 257..264 have no extra bits, then four
         * symbols per extra bit count; symbol 285 is 258.  The code and
         * its extra bits (at most 15 + 5) are one step. */
        sym -= 257;
        x = sym < 8 || sym == 28 ? 0 : ((unsigned)sym >> 2) - 1;
        len = sym < 8 ? (unsigned)sym + 3 : sym == 28 ? 258 : ((4u | ((unsigned)sym & 3u)) << x) + 3u;
        if (used + x > b)
            break;
        h >>= used;
        len += h & ((1u << x) - 1u);
        h >>= x;
        b -= used + x;
    dist:
        mode = FWS_INF_DIST;
        REFILL()
        sym = fws_inflate_symbol(ctx->dcode, FWS_INF_DBITS, h, b, &used);
        if (sym == FWS_INF_MORE)
            break;
        h >>= used;
        b -= used;
        if (sym >= 30) {
            ret = FWS_INFLATE_ERR_DIST_SYM; /* 30, 31, BAD */
            break;
        }
        /* Distances 1..32768: symbols 0..3 have no extra bits, then two
         * symbols per extra bit count.  The extra bits (up to 13) are a
         * step of their own: with the code (up to 15) they could exceed
         * the 25 bits a refill guarantees. */
        x = sym < 4 ? 0 : ((unsigned)sym >> 1) - 1;
        dist = sym < 4 ? (unsigned)sym + 1 : ((2u | ((unsigned)sym & 1u)) << x) + 1u;
    distext:
        mode = FWS_INF_DISTEXT;
        REFILL()
        if (b < x)
            break;
        dist += h & ((1u << x) - 1u);
        h >>= x;
        b -= x;
        if (dist > (ctx->full ? mask + 1u : pos)) {
            ret = ctx->full ? FWS_INFLATE_ERR_DIST_WINDOW : FWS_INFLATE_ERR_DIST_START;
            break;
        }
    match:
        mode = FWS_INF_MATCH;
        /* Byte by byte: the source may overlap what is written. */
        while (len) {
            w[pos] = w[(pos - dist) & mask];
            len--;
        advance:
            if (++pos > mask) {
                ctx->wpos = pos;
                ret = fws_inflate_wrote(ctx, 0, sink, user) ? FWS_INFLATE_ERR_SINK : 0;
                pos = ctx->wpos;
                if (ret)
                    goto stop;
            }
        }
    }
stop:
#undef REFILL
    ctx->hold = h;
    ctx->bits = (uint8_t)b;
    ctx->next = p;
    ctx->wpos = pos;
    ctx->length = (uint16_t)len;
    ctx->dist = (uint16_t)dist;
    ctx->extra = (uint8_t)x;
    ctx->mode = (uint8_t)mode;
    return ret;
}

int fws_inflate_init(fws_inflate_ctx *ctx, uint8_t *window, unsigned wbits, int zlib_wrapper)
{
    /* The code arrays need no clearing: each is built before it is read. */
    fws_zero(ctx, offsetof(fws_inflate_ctx, lcode));
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

/* A dynamic block's header (RFC 1951, 3.2.7): the counts, the code-length
 * code, the literal/length and distance code lengths, then the codes (a
 * fixed block enters at CODE_LENS with every length in place).  Returns 0
 * when the input ran out (the step is saved in ctx), 1 when the codes are
 * built (mode LITLEN), or a negative FWS_INFLATE_ERR_*. */
static int fws_inflate_tables(fws_inflate_ctx *ctx)
{
    unsigned used = 0, n, x;
    int sym;
#define NEED(n)                                                                                              \
    do {                                                                                                     \
        if (!fws_inflate_need(ctx, (n)))                                                                     \
            return 0;                                                                                        \
    } while (0)
#define TAKE(n) fws_inflate_take(ctx, (n))

    switch (ctx->mode) {
    case FWS_INF_TABLE:
        NEED(14);
        ctx->nlen = (uint16_t)(TAKE(5) + 257u);
        ctx->ndist = (uint16_t)(TAKE(5) + 1u);
        ctx->ncode = (uint16_t)(TAKE(4) + 4u);
        if (ctx->nlen > 286 || ctx->ndist > 30)
            return FWS_INFLATE_ERR_TOO_MANY;
        ctx->have = 0;
        ctx->mode = FWS_INF_CL_LENS;
        /* fall through */
    case FWS_INF_CL_LENS:
        while (ctx->have < 19) {
            x = 0;
            if (ctx->have < ctx->ncode) {
                NEED(3);
                x = TAKE(3);
            }
            FWS_INF_LENS(ctx)[fws_inflate_cl_order[ctx->have++]] = (uint8_t)x;
        }
        /* The code-length code borrows the distance code's arrays. */
        if (fws_inflate_build(ctx->dcode, FWS_INF_DBITS, FWS_INF_LENS(ctx), 19, 0))
            return FWS_INFLATE_ERR_CL_CODE;
        ctx->have = 0;
        ctx->mode = FWS_INF_CODE_LENS;
        /* fall through */
    default: /* FWS_INF_CODE_LENS */
        while (ctx->have < ctx->nlen + ctx->ndist) {
            unsigned rep = 1, val;
            fws_inflate_need(ctx, 25);
            sym = fws_inflate_symbol(ctx->dcode, FWS_INF_DBITS, ctx->hold, ctx->bits, &used);
            if (sym == FWS_INF_MORE)
                return 0;
            if (sym == FWS_INF_BAD)
                sym = 0; /* an empty code-length code: zlib reads each
                          * length as 0 from one bit (used is 1) */
            /* 0..15: a length; 16: the previous length 3..6 times (2
             * extra bits); 17, 18: zeros 3..10 (3 bits) or 11..138
             * (7 bits) times.  The code and its extra bits are one
             * step. */
            val = (unsigned)sym;
            n = 0;
            if (sym >= 16) {
                n = sym == 16 ? 2 : sym == 17 ? 3 : 7;
                rep = sym == 18 ? 11 : 3;
                val = 0;
            }
            NEED(used + n);
            TAKE(used);
            rep += TAKE(n);
            if (sym == 16) {
                if (ctx->have == 0)
                    return FWS_INFLATE_ERR_REPEAT;
                val = FWS_INF_LENS(ctx)[ctx->have - 1];
            }
            /* A repeat may run from the literal/length lengths into the
             * distance lengths, but not past them. */
            if (ctx->have + rep > (unsigned)ctx->nlen + ctx->ndist)
                return FWS_INFLATE_ERR_REPEAT;
            while (rep--)
                FWS_INF_LENS(ctx)[ctx->have++] = (uint8_t)val;
        }
        if (FWS_INF_LENS(ctx)[256] == 0)
            return FWS_INFLATE_ERR_NO_EOB;
    }
#undef NEED
#undef TAKE
    /* The distance code first (the literal/length table is where the
     * lengths are), but a bad literal/length code is reported first, as
     * zlib does. */
    sym = fws_inflate_build(ctx->dcode, FWS_INF_DBITS, FWS_INF_LENS(ctx) + ctx->nlen, ctx->ndist, 1);
    if (fws_inflate_build(ctx->lcode, FWS_INF_LBITS, FWS_INF_LENS(ctx), ctx->nlen, 1))
        return FWS_INFLATE_ERR_LITLEN_CODE;
    if (sym)
        return FWS_INFLATE_ERR_DIST_CODE;
    ctx->mode = FWS_INF_LITLEN;
    return 1;
}

/* Bit-buffer steps for the state machine. */
#define NEED(n)                                                                                              \
    do {                                                                                                     \
        if (!fws_inflate_need(ctx, (n)))                                                                     \
            goto out;                                                                                        \
    } while (0)
#define TAKE(n) fws_inflate_take(ctx, (n))
#define FAIL(e)                                                                                              \
    do {                                                                                                     \
        ret = (e);                                                                                           \
        goto fail;                                                                                           \
    } while (0)

int fws_inflate_push(fws_inflate_ctx *ctx, const uint8_t *buf, size_t len, size_t *consumed,
                     fws_inflate_sink sink, void *user)
{
    uint32_t x;
    unsigned n;
    int ret;

    if (ctx->status != FWS_INFLATE_OK) {
        if (consumed)
            *consumed = 0;
        return ctx->status;
    }
    ctx->next = buf;
    ctx->end = len ? buf + len : buf;
    for (;;) {
        switch (ctx->mode) {
        case FWS_INF_HEADER:
            NEED(16);
            n = TAKE(16);
            x = ((n & 0xffu) << 8) | (n >> 8); /* CMF * 256 + FLG */
            /* x % 31 == 0 without a division: 31 is odd, so x is a
             * multiple of 31 exactly when x times the inverse of 31 mod
             * 2^32 is at most (2^32 - 1) / 31. */
            if ((uint32_t)(x * 0xbdef7bdfu) > 0x08421084u)
                FAIL(FWS_INFLATE_ERR_HEADER);
            if ((n & 0x0fu) != 8u)
                FAIL(FWS_INFLATE_ERR_METHOD);
            if (((n >> 4) & 0x0fu) + 8u > ctx->wbits)
                FAIL(FWS_INFLATE_ERR_WINDOW);
            ctx->mode = (n & 0x2000u) ? FWS_INF_DICTID : FWS_INF_BLOCK;
            ctx->length = 4;
            break;

        case FWS_INF_DICTID:
        case FWS_INF_STORED_LEN:
        case FWS_INF_TRAILER:
            /* Four bytes, little-endian into check: the DICTID (refused
             * once read, when zlib returns Z_NEED_DICT), a stored block's
             * LEN and NLEN, or the big-endian Adler-32 trailer. */
            for (; ctx->length; ctx->length--) {
                NEED(8);
                ctx->check = (ctx->check >> 8) | (uint32_t)TAKE(8) << 24;
            }
            x = ctx->check;
            if (ctx->mode == FWS_INF_DICTID)
                FAIL(FWS_INFLATE_ERR_DICT);
            if (ctx->mode == FWS_INF_TRAILER) {
                if (((x >> 24) | ((x >> 8) & 0xff00u) | ((x & 0xff00u) << 8) | (x << 24)) != ctx->adler)
                    FAIL(FWS_INFLATE_ERR_ADLER);
                goto done;
            }
            if ((x & 0xffffu) != (~x >> 16))
                FAIL(FWS_INFLATE_ERR_STORED_LEN);
            ctx->length = (uint16_t)x;
            ctx->mode = FWS_INF_STORED_COPY;
            /* fall through */
        case FWS_INF_STORED_COPY:
            /* Through the bit buffer a byte at a time (byte-aligned here):
             * about 40 instructions a byte on Cortex-M4, within the speed
             * budget, for half the code of a direct copy. */
            for (; ctx->length; ctx->length--) {
                NEED(8);
                ctx->window[ctx->wpos] = (uint8_t)TAKE(8);
                if (fws_inflate_wrote(ctx, 1, sink, user))
                    FAIL(FWS_INFLATE_ERR_SINK);
            }
            ctx->mode = FWS_INF_BLOCK;
            break;

        case FWS_INF_BLOCK:
            if (ctx->last) {
                /* The final block ended: skip the padding, emit the rest. */
                TAKE(ctx->bits & 7u);
                if (fws_inflate_flush(ctx, sink, user))
                    FAIL(FWS_INFLATE_ERR_SINK);
                if (!ctx->zlib)
                    goto done;
                ctx->length = 4;
                ctx->mode = FWS_INF_TRAILER;
                break;
            }
            NEED(3);
            ctx->last = (uint8_t)TAKE(1);
            n = TAKE(2);
            if (n == 0) {
                TAKE(ctx->bits & 7u); /* stored blocks start on a byte boundary */
                ctx->length = 4;
                ctx->mode = FWS_INF_STORED_LEN;
            } else if (n == 1) {
                /* Fixed codes (RFC 1951, 3.2.6), rebuilt for each block by
                 * the dynamic blocks' last step: a few thousand cycles, no
                 * extra RAM.  Distance symbols 30 and 31 get codes so that
                 * they decode and are refused. */
                for (n = 0; n < 288 + 32; n++)
                    FWS_INF_LENS(ctx)[n] = (uint8_t)(n < 144 ? 8 : n < 256 ? 9 : n < 280 ? 7 : n < 288 ? 8 : 5);
                ctx->nlen = 288;
                ctx->ndist = 32;
                ctx->have = 288 + 32;
                ctx->mode = FWS_INF_CODE_LENS;
            } else if (n == 2) {
                ctx->mode = FWS_INF_TABLE;
            } else {
                FAIL(FWS_INFLATE_ERR_BLOCK_TYPE);
            }
            break;

        case FWS_INF_TABLE:
        case FWS_INF_CL_LENS:
        case FWS_INF_CODE_LENS:
            ret = fws_inflate_tables(ctx);
            if (ret < 0)
                FAIL(ret);
            if (ret == 0)
                goto out;
            break; /* mode is LITLEN */

        case FWS_INF_LITLEN:
        case FWS_INF_DIST:
        case FWS_INF_DISTEXT:
        case FWS_INF_MATCH:
            ret = fws_inflate_codes(ctx, sink, user);
            if (ret < 0)
                FAIL(ret);
            if (ret == 0)
                goto out;
            break; /* end of block */

        default: /* FWS_INF_END is caught by the status test above */
            FAIL(FWS_INFLATE_ERR_PARAM);
        }
    }

out: /* all input used, more needed */
    if (fws_inflate_flush(ctx, sink, user)) {
        ret = FWS_INFLATE_ERR_SINK;
        goto sink_failed;
    }
    if (consumed)
        *consumed = len;
    return FWS_INFLATE_OK;

done:
    ret = FWS_INFLATE_DONE;
fail:
    /* Give back the whole bytes the bit buffer holds beyond the last step
     * (all pulled in this call: see the top of this file). */
    ctx->next -= ctx->bits >> 3;
    ctx->bits &= 7u;
sink_failed:
    ctx->mode = FWS_INF_END;
    ctx->status = (int16_t)ret;
    if (consumed)
        *consumed = (size_t)(ctx->next - buf);
    return ret;
}

#undef NEED
#undef TAKE
#undef FAIL
#undef FWS_INF_MORE
#undef FWS_INF_BAD
#undef FWS_INF_TABLE
#undef FWS_INF_SYMBOL
#undef FWS_INF_INVALID
#undef FWS_INF_LENS
#undef FWS_INF_STEP

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
