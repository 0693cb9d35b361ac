/* SPDX-License-Identifier: MIT */
/*
 * SHA-512 (FIPS 180-4).  See sha512.h.
 *
 * One loop of 80 rounds over the state kept in an array (v[0..7] = a..h,
 * shifted down one place per round), the message schedule kept as a
 * 16-word ring (w[i & 15]), 128 bytes of stack instead of 640.
 * Buffering and padding are md_block.c's, shared with SHA-256.
 */
#include "sha512.h"

#include "fws_bytes.h"
#include "md_block.h"

/* First 64 bits of the fractional parts of the cube roots of the first 80
 * primes (FIPS 180-4, 4.2.3). */
static const uint64_t fws_sha512_k[80] = {
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc, 0x3956c25bf348b538, 0x59f111f1b605d019,
    0x923f82a4af194f9b, 0xab1c5ed5da6d8118, 0xd807aa98a3030242,
    0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235,
    0xc19bf174cf692694, 0xe49b69c19ef14ad2, 0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65, 0x2de92c6f592b0275,
    0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f,
    0xbf597fc7beef0ee4, 0xc6e00bf33da88fc2, 0xd5a79147930aa725,
    0x06ca6351e003826f, 0x142929670a0e6e70, 0x27b70a8546d22ffc,
    0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6,
    0x92722c851482353b, 0xa2bfe8a14cf10364, 0xa81a664bbc423001,
    0xc24b8b70d0f89791, 0xc76c51a30654be30, 0xd192e819d6ef5218,
    0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8, 0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3, 0x748f82ee5defb2fc,
    0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915,
    0xc67178f2e372532b, 0xca273eceea26619c, 0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178, 0x06f067aa72176fba,
    0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c, 0x4cc5d4becb3e42b6, 0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec, 0x6c44198c4a475817};

/* Initial hash value: first 64 bits of the fractional parts of the square
 * roots of the first 8 primes (FIPS 180-4, 5.3.5). */
static const uint64_t fws_sha512_iv[8] = {
    0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
    0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179};

#define FWS_ROR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))

/* Hashes one 128-byte block into state.  v[0..7] are a..h; each round
 * shifts them down one place (v[7] = h drops out) and writes the new a and
 * e: a loop over memory rather than eight renamed variables, which a
 * 32-bit CPU could not keep in registers anyway (a quarter less code than
 * the renaming form on Cortex-M4, and no slower).  A table-driven
 * Sigma/sigma with variable rotations saved only 24 more bytes at 2.7
 * times the time. */
static void fws_sha512_compress(void *st, const uint8_t *block)
{
    uint64_t *state = (uint64_t *)st, w[16], v[8], t1, t2, x, y;
    volatile uint64_t *vw = w;
    unsigned i, j;

    for (i = 0; i < 16; i++)
        w[i] = fws_load64_be(block + 8 * i);
    for (i = 0; i < 8; i++)
        v[i] = state[i];
    for (i = 0; i < 80; i++) {
        if (i >= 16) {
            /* w[i] = s1(w[i-2]) + w[i-7] + s0(w[i-15]) + w[i-16]; the ring
             * slot i & 15 holds w[i-16] until it is overwritten here. */
            x = w[(i - 15) & 15];
            y = w[(i - 2) & 15];
            w[i & 15] += (FWS_ROR64(x, 1) ^ FWS_ROR64(x, 8) ^ (x >> 7)) + w[(i - 7) & 15] +
                         (FWS_ROR64(y, 19) ^ FWS_ROR64(y, 61) ^ (y >> 6));
        }
        x = v[4]; /* e */
        t1 = v[7] + (FWS_ROR64(x, 14) ^ FWS_ROR64(x, 18) ^ FWS_ROR64(x, 41)) +
             (v[6] ^ (x & (v[5] ^ v[6]))) + fws_sha512_k[i] + w[i & 15];
        x = v[0]; /* a */
        t2 = (FWS_ROR64(x, 28) ^ FWS_ROR64(x, 34) ^ FWS_ROR64(x, 39)) +
             ((x & v[1]) | (v[2] & (x | v[1])));
        for (j = 7; j > 0; j--)
            v[j] = v[j - 1];
        v[4] += t1; /* e = d + t1 */
        v[0] = t1 + t2;
    }
    for (i = 0; i < 8; i++)
        state[i] += v[i];
    /* The schedule holds the block's words; clear them like sha256.c does,
     * in case a caller ever hashes a secret. */
    for (i = 0; i < 16; i++)
        vw[i] = 0;
}

/* The buffer and the state where md_block.c looks for them. */
typedef char fws_sha512_layout_check[(offsetof(fws_sha512_ctx, buf) == sizeof(fws_md_head) &&
                                      offsetof(fws_sha512_ctx, state) ==
                                          sizeof(fws_md_head) + FWS_SHA512_BLOCK_LEN)
                                         ? 1
                                         : -1];

void fws_sha512_init(fws_sha512_ctx *ctx)
{
    fws_copy(ctx->state, fws_sha512_iv, sizeof ctx->state);
    ctx->md.count = 0;
    ctx->md.compress = fws_sha512_compress;
    ctx->md.block_len = FWS_SHA512_BLOCK_LEN;
}

void fws_sha512_update(fws_sha512_ctx *ctx, const void *in, size_t len)
{
    fws_md_update(ctx, in, len);
}

void fws_sha512_final(fws_sha512_ctx *ctx, uint8_t out[FWS_SHA512_LEN])
{
    unsigned i;
    fws_md_pad(ctx, 16);
    for (i = 0; i < 8; i++)
        fws_store64_be(out + 8 * i, ctx->state[i]);
    fws_wipe(ctx, sizeof *ctx);
}

void fws_sha512(uint8_t out[FWS_SHA512_LEN], const void *in, size_t len)
{
    fws_sha512_ctx ctx;
    fws_sha512_init(&ctx);
    fws_sha512_update(&ctx, in, len);
    fws_sha512_final(&ctx, out);
}
