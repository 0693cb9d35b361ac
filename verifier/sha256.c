/*
 * SHA-256 (FIPS 180-4).  See sha256.h.
 *
 * Written for size: one loop of 64 rounds, with the message schedule kept
 * as a 16-word ring (w[i & 15]) instead of the usual 64-word array, which
 * saves 192 bytes of stack.  Unrolling the rounds 8 ways (renaming a..h
 * instead of shifting them) measured only 12% faster on x86-64 for 1.5 KiB
 * more code, so there is no unroll switch.
 */
#include "sha256.h"

#include "fws_bytes.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2). */
static const uint32_t fws_sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define FWS_ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Hashes one 64-byte block into state. */
static void fws_sha256_compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[16], a, b, c, d, e, f, g, h, t1, t2;
    volatile uint32_t *vw = w;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = fws_load32_be(block + 4 * i);
    a = state[0];
    b = state[1];
    c = state[2];
    d = state[3];
    e = state[4];
    f = state[5];
    g = state[6];
    h = state[7];
    for (i = 0; i < 64; i++) {
        if (i >= 16) {
            /* w[i] = s1(w[i-2]) + w[i-7] + s0(w[i-15]) + w[i-16]; the ring
             * slot i & 15 holds w[i-16] until it is overwritten here. */
            uint32_t x = w[(i - 15) & 15], y = w[(i - 2) & 15];
            w[i & 15] += (FWS_ROR32(x, 7) ^ FWS_ROR32(x, 18) ^ (x >> 3)) + w[(i - 7) & 15] +
                         (FWS_ROR32(y, 17) ^ FWS_ROR32(y, 19) ^ (y >> 10));
        }
        t1 = h + (FWS_ROR32(e, 6) ^ FWS_ROR32(e, 11) ^ FWS_ROR32(e, 25)) + (g ^ (e & (f ^ g))) +
             fws_sha256_k[i] + w[i & 15];
        t2 = (FWS_ROR32(a, 2) ^ FWS_ROR32(a, 13) ^ FWS_ROR32(a, 22)) + ((a & b) | (c & (a | b)));
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
    /* The schedule holds the block's words, secret when the block is an
     * HMAC key pad, and nothing else would clear this stack.  Word stores
     * through a volatile pointer: fws_wipe's byte loop cost 10% here. */
    for (i = 0; i < 16; i++)
        vw[i] = 0;
}

void fws_sha256_init(fws_sha256_ctx *ctx)
{
    /* First 32 bits of the fractional parts of the square roots of the
     * first 8 primes (FIPS 180-4, 5.3.3). */
    ctx->state[0] = 0x6a09e667;
    ctx->state[1] = 0xbb67ae85;
    ctx->state[2] = 0x3c6ef372;
    ctx->state[3] = 0xa54ff53a;
    ctx->state[4] = 0x510e527f;
    ctx->state[5] = 0x9b05688c;
    ctx->state[6] = 0x1f83d9ab;
    ctx->state[7] = 0x5be0cd19;
    ctx->count = 0;
}

void fws_sha256_update(fws_sha256_ctx *ctx, const void *in, size_t len)
{
    const uint8_t *p = (const uint8_t *)in;
    size_t used = (size_t)(ctx->count & 63);

    if (len == 0) /* also keeps arithmetic off a NULL in */
        return;
    ctx->count += len;
    if (used != 0) { /* top up the partial block first */
        size_t take = 64 - used < len ? 64 - used : len;
        fws_copy(ctx->buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < 64)
            return;
        fws_sha256_compress(ctx->state, ctx->buf);
    }
    for (; len >= 64; p += 64, len -= 64) /* whole blocks straight from in */
        fws_sha256_compress(ctx->state, p);
    fws_copy(ctx->buf, p, len);
}

void fws_sha256_final(fws_sha256_ctx *ctx, uint8_t out[FWS_SHA256_LEN])
{
    size_t used = (size_t)(ctx->count & 63);
    unsigned i;

    /* Padding: 0x80, zeros up to 56 mod 64, the length in bits (64-bit
     * big-endian).  If the 0x80 leaves no room for the length, the length
     * goes into one extra block. */
    ctx->buf[used++] = 0x80;
    if (used > 56) {
        fws_zero(ctx->buf + used, 64 - used);
        fws_sha256_compress(ctx->state, ctx->buf);
        used = 0;
    }
    fws_zero(ctx->buf + used, 56 - used);
    fws_store64_be(ctx->buf + 56, ctx->count << 3);
    fws_sha256_compress(ctx->state, ctx->buf);
    for (i = 0; i < 8; i++)
        fws_store32_be(out + 4 * i, ctx->state[i]);
    fws_wipe(ctx, sizeof *ctx);
}

void fws_sha256(uint8_t out[FWS_SHA256_LEN], const void *in, size_t len)
{
    fws_sha256_ctx ctx;
    fws_sha256_init(&ctx);
    fws_sha256_update(&ctx, in, len);
    fws_sha256_final(&ctx, out);
}
