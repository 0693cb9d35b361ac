/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4).  See sha256.h.
 *
 * Written for speed at a small price in code: the schedule expanded into
 * 64 words (192 bytes more stack than a 16-word ring), FWS_SHA256_UNROLL
 * rounds per turn with the roles of a..h renamed.  Buffering and padding
 * are md_block.c's, shared with SHA-512.
 */
#include "sha256.h"

#include "fws_bytes.h"
#include "md_block.h"

#if FWS_SHA256_UNROLL != 2 && FWS_SHA256_UNROLL != 4
#error "FWS_SHA256_UNROLL must be 2 or 4"
#endif

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
 * the rounds run FWS_SHA256_UNROLL per turn with the eight variables
 * renamed, so they stay in registers: about 23 instructions a round on
 * Cortex-M4 instead of about 70 for a rolled loop that moves them.  After
 * four rounds the roles come back with four swaps, which the compiler
 * turns into register renaming; after two, with ten moves.  Each schedule
 * word is cleared (a volatile store) in the round that uses it last,
 * instead of in a loop afterwards.  Measured on Cortex-M4 (-Os): four
 * rounds a turn 42.2 instructions per byte for 516 bytes of code, two 49
 * for 128 bytes less, eight 41.5 for 320 more; a 16-word ring expanded 16
 * words at a time 54.5 (index masks and spills). */
static void fws_sha256_compress(void *st, const uint8_t *block)
{
    uint32_t *state = (uint32_t *)st, w[64], a, b, c, d, e, f, g, h, t1, x, y;
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
    for (i = 0; i < 64; i += FWS_SHA256_UNROLL) {
        FWS_SHA256_ROUND(a, b, c, d, e, f, g, h, 0)
        FWS_SHA256_ROUND(h, a, b, c, d, e, f, g, 1)
#if FWS_SHA256_UNROLL == 4
        FWS_SHA256_ROUND(g, h, a, b, c, d, e, f, 2)
        FWS_SHA256_ROUND(f, g, h, a, b, c, d, e, 3)
        /* the roles moved by four: swap the halves back */
        t1 = a; a = e; e = t1;
        t1 = b; b = f; f = t1;
        t1 = c; c = g; g = t1;
        t1 = d; d = h; h = t1;
#else
        /* the roles moved by two: (a..h) = (g, h, a, b, c, d, e, f) */
        t1 = g; g = e; e = c; c = a; a = t1;
        t1 = h; h = f; f = d; d = b; b = t1;
#endif
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

/* The buffer and the state where md_block.c looks for them. */
typedef char fws_sha256_layout_check[(offsetof(fws_sha256_ctx, buf) == sizeof(fws_md_head) &&
                                      offsetof(fws_sha256_ctx, state) ==
                                          sizeof(fws_md_head) + FWS_SHA256_BLOCK_LEN)
                                         ? 1
                                         : -1];

void fws_sha256_init(fws_sha256_ctx *ctx)
{
    fws_copy(ctx->state, fws_sha256_iv, sizeof ctx->state);
    ctx->md.count = 0;
    ctx->md.compress = fws_sha256_compress;
    ctx->md.block_len = FWS_SHA256_BLOCK_LEN;
}

void fws_sha256_update(fws_sha256_ctx *ctx, const void *in, size_t len)
{
    fws_md_update(ctx, in, len);
}

void fws_sha256_final(fws_sha256_ctx *ctx, uint8_t out[FWS_SHA256_LEN])
{
    unsigned i;
    fws_md_pad(ctx, 8);
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
