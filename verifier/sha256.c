/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4).  See sha256.h.
 *
 * Written for speed at a small price in code: the schedule expanded into
 * 64 words (192 bytes more stack than a 16-word ring), four rounds per
 * turn with the roles of a..h renamed.  The padding goes through update,
 * so the block logic exists once.
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

/* Initial hash value: first 32 bits of the fractional parts of the square
 * roots of the first 8 primes (FIPS 180-4, 5.3.3). */
static const uint32_t fws_sha256_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

#define FWS_ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

/* Hashes one 64-byte block into state.
 *
 * Speed: the message schedule is expanded into all 64 words first (192
 * bytes more stack than a 16-word ring, but the rounds then only load), and
 * the rounds run four per turn with the eight variables renamed (their
 * roles come back after four rounds with four swaps, which the compiler
 * turns into register renaming), so they stay in registers: about 23
 * instructions a round on Cortex-M4 instead of about 70 for a rolled loop
 * that moves them.  Each schedule word is cleared (a volatile store) in
 * the round that uses it last, instead of in a loop afterwards.  Measured
 * on Cortex-M4 (-Os): 42.2 instructions per byte for 516 bytes of code;
 * two rounds per turn gave 49 (-128 bytes), eight 41.5 (+320 bytes); a
 * 16-word ring expanded 16 words at a time 54.5 (index masks and
 * spills). */
static void fws_sha256_compress(uint32_t state[8], const uint8_t block[64])
{
    uint32_t w[64], a, b, c, d, e, f, g, h, t1, x, y;
    volatile uint32_t *vw = w;
    unsigned i;

    for (i = 0; i < 16; i++)
        w[i] = fws_load32_be(block + 4 * i);
    for (i = 16; i < 64; i++) {
        x = w[i - 15];
        y = w[i - 2];
        w[i] = w[i - 16] + (FWS_ROR32(x, 7) ^ FWS_ROR32(x, 18) ^ (x >> 3)) + w[i - 7] +
               (FWS_ROR32(y, 17) ^ FWS_ROR32(y, 19) ^ (y >> 10));
    }
    a = state[0];
    b = state[1];
    c = state[2];
    d = state[3];
    e = state[4];
    f = state[5];
    g = state[6];
    h = state[7];
#define FWS_SHA256_ROUND(a, b, c, d, e, f, g, h, j)                                                 \
    t1 = h + (FWS_ROR32(e, 6) ^ FWS_ROR32(e, 11) ^ FWS_ROR32(e, 25)) + (g ^ (e & (f ^ g))) +     \
         fws_sha256_k[i + (j)] + w[i + (j)];                                                      \
    vw[i + (j)] = 0; /* its last use: clear it (the block may be a secret) */                     \
    d += t1;                                                                                      \
    h = t1 + (FWS_ROR32(a, 2) ^ FWS_ROR32(a, 13) ^ FWS_ROR32(a, 22)) + ((a & b) | (c & (a | b)));
    for (i = 0; i < 64; i += 4) {
        FWS_SHA256_ROUND(a, b, c, d, e, f, g, h, 0)
        FWS_SHA256_ROUND(h, a, b, c, d, e, f, g, 1)
        FWS_SHA256_ROUND(g, h, a, b, c, d, e, f, 2)
        FWS_SHA256_ROUND(f, g, h, a, b, c, d, e, 3)
        /* the roles moved by four: swap the halves back */
        t1 = a; a = e; e = t1;
        t1 = b; b = f; f = t1;
        t1 = c; c = g; g = t1;
        t1 = d; d = h; h = t1;
    }
#undef FWS_SHA256_ROUND
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
}

void fws_sha256_init(fws_sha256_ctx *ctx)
{
    unsigned i;
    for (i = 0; i < 8; i++)
        ctx->state[i] = fws_sha256_iv[i];
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
    uint8_t pad[16];
    unsigned i;

    /* Padding: 0x80, zeros up to 56 mod 64, the length in bits (64-bit
     * big-endian), all through update (zeros eight at a time from pad:
     * no second copy of the block logic). */
    fws_store64_be(pad, ctx->count << 3);
    pad[8] = 0x80;
    fws_sha256_update(ctx, pad + 8, 1);
    for (i = 0; i < 8; i++)
        pad[8 + i] = 0;
    while ((i = (unsigned)(56 - ctx->count) & 63) != 0)
        fws_sha256_update(ctx, pad + 8, i < 8 ? i : 8);
    fws_sha256_update(ctx, pad, 8);
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
