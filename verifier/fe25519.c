/*
 * GF(2^255 - 19) arithmetic.  See fe25519.h for the representation and the
 * limb bounds every function relies on.
 *
 * Limb i has weight 2^o(i), o = 0, 26, 51, 77, 102, 128, 153, 179, 204, 230
 * (o(i) = ceil(25.5 i)).  In a product f_i * g_j the weights add up to
 * o(i) + o(j), which is o(i + j) plus one when i and j are both odd: those
 * products are doubled.  Weights at or above 2^255 wrap around times 19,
 * since 2^255 = 19 mod p.  mul and sq pre-scale the operands once (2 f_i
 * for odd i, 19 g_j, 38 f_j) so that every product is one 32x32->64
 * multiply-accumulate.
 *
 * Bounds (the header's "tight" and "loose"): a loose limb is below
 * 3 * 2^26 (even) or 3 * (2^25 + 2^18) (odd).  Then 19 * g_j and 38 * f_j
 * (odd j only) stay below 2^32, and each of the ten 64-bit sums is at most
 * 124.5 * 9 * 2^52 < 2^63 (the worst column, h0, holds f0 g0, four 19x
 * even-even and five 38x odd-odd terms).  The carry chain then brings every
 * limb back under its width, except limb 1 which may exceed 2^25 by the
 * final carry out of limb 0 (at most 2^17): "tight".
 */
#include "fe25519.h"

#include "fws_bytes.h"

#define FWS_M26 0x3ffffffu
#define FWS_M25 0x1ffffffu

/* 32x32 -> 64-bit product. */
#define M(a, b) ((uint64_t)(a) * (uint64_t)(b))

/* Brings ten 64-bit column sums back to tight limbs in h.  Each sum must be
 * below 2^63, which leaves room for the carries. */
static void fws_fe25519_carry64(fws_fe25519 h, uint64_t t[10])
{
    uint64_t c;

    c = t[0] >> 26; t[1] += c; t[0] &= FWS_M26;
    c = t[1] >> 25; t[2] += c; t[1] &= FWS_M25;
    c = t[2] >> 26; t[3] += c; t[2] &= FWS_M26;
    c = t[3] >> 25; t[4] += c; t[3] &= FWS_M25;
    c = t[4] >> 26; t[5] += c; t[4] &= FWS_M26;
    c = t[5] >> 25; t[6] += c; t[5] &= FWS_M25;
    c = t[6] >> 26; t[7] += c; t[6] &= FWS_M26;
    c = t[7] >> 25; t[8] += c; t[7] &= FWS_M25;
    c = t[8] >> 26; t[9] += c; t[8] &= FWS_M26;
    c = t[9] >> 25; t[9] &= FWS_M25;
    t[0] += 19 * c; /* c < 2^39: the product fits easily */
    c = t[0] >> 26; t[0] &= FWS_M26;
    t[1] += c; /* c < 2^18: limb 1 ends below 2^25 + 2^18 */
    h[0] = (uint32_t)t[0];
    h[1] = (uint32_t)t[1];
    h[2] = (uint32_t)t[2];
    h[3] = (uint32_t)t[3];
    h[4] = (uint32_t)t[4];
    h[5] = (uint32_t)t[5];
    h[6] = (uint32_t)t[6];
    h[7] = (uint32_t)t[7];
    h[8] = (uint32_t)t[8];
    h[9] = (uint32_t)t[9];
}

/* Same chain on 32-bit limbs below 2^31 (the sums in sub). */
static void fws_fe25519_carry32(fws_fe25519 h)
{
    uint32_t c;

    c = h[0] >> 26; h[1] += c; h[0] &= FWS_M26;
    c = h[1] >> 25; h[2] += c; h[1] &= FWS_M25;
    c = h[2] >> 26; h[3] += c; h[2] &= FWS_M26;
    c = h[3] >> 25; h[4] += c; h[3] &= FWS_M25;
    c = h[4] >> 26; h[5] += c; h[4] &= FWS_M26;
    c = h[5] >> 25; h[6] += c; h[5] &= FWS_M25;
    c = h[6] >> 26; h[7] += c; h[6] &= FWS_M26;
    c = h[7] >> 25; h[8] += c; h[7] &= FWS_M25;
    c = h[8] >> 26; h[9] += c; h[8] &= FWS_M26;
    c = h[9] >> 25; h[9] &= FWS_M25;
    h[0] += 19 * c;
    c = h[0] >> 26; h[0] &= FWS_M26;
    h[1] += c;
}

void fws_fe25519_0(fws_fe25519 h)
{
    unsigned i;
    for (i = 0; i < 10; i++)
        h[i] = 0;
}

void fws_fe25519_1(fws_fe25519 h)
{
    fws_fe25519_0(h);
    h[0] = 1;
}

void fws_fe25519_copy(fws_fe25519 h, const fws_fe25519 f)
{
    unsigned i;
    for (i = 0; i < 10; i++)
        h[i] = f[i];
}

void fws_fe25519_frombytes(fws_fe25519 h, const uint8_t s[32])
{
    unsigned i;
    /* Limb i starts at bit o(i) = (51 i + 1) / 2, i.e. at byte o/8, bit
     * o%8; width + o%8 never exceeds 32, so one 32-bit load per limb.  The
     * last limb's 25-bit mask drops bit 255. */
    for (i = 0; i < 10; i++) {
        unsigned o = (51 * i + 1) / 2;
        uint32_t mask = (i & 1) ? FWS_M25 : FWS_M26;
        h[i] = (fws_load32_le(s + o / 8) >> (o % 8)) & mask;
    }
}

void fws_fe25519_tobytes(uint8_t s[32], const fws_fe25519 f)
{
    uint32_t h[10], q;
    unsigned i;

    /* 1. One carry pass: the value V (congruent to f) now has limbs within
     *    their widths except limb 1 (< 2^25 + small), so V < 2p. */
    fws_fe25519_copy(h, f);
    fws_fe25519_carry32(h);
    /* 2. q = floor((V + 19) / 2^255), which is 1 exactly when V >= p.  The
     *    chain computes the floor exactly, whatever the limb sizes. */
    q = (h[0] + 19) >> 26;
    for (i = 1; i < 10; i++)
        q = (h[i] + q) >> ((i & 1) ? 25 : 26);
    /* 3. V - q p = V + 19 q - q 2^255: add 19 q, carry, drop bit 255. */
    h[0] += 19 * q;
    for (i = 0; i < 9; i++) {
        unsigned w = (i & 1) ? 25 : 26;
        h[i + 1] += h[i] >> w;
        h[i] &= (i & 1) ? FWS_M25 : FWS_M26;
    }
    h[9] &= FWS_M25;
    /* 4. Pack the limbs (now all within their widths) into eight 32-bit
     *    words: limb i starts at bit o(i), constant shifts only (a
     *    variable 64-bit shift would be a libgcc call on Cortex-M0+). */
    fws_store32_le(s + 0, h[0] | h[1] << 26);
    fws_store32_le(s + 4, h[1] >> 6 | h[2] << 19);
    fws_store32_le(s + 8, h[2] >> 13 | h[3] << 13);
    fws_store32_le(s + 12, h[3] >> 19 | h[4] << 6);
    fws_store32_le(s + 16, h[5] | h[6] << 25);
    fws_store32_le(s + 20, h[6] >> 7 | h[7] << 19);
    fws_store32_le(s + 24, h[7] >> 13 | h[8] << 12);
    fws_store32_le(s + 28, h[8] >> 20 | h[9] << 6);
}

void fws_fe25519_add(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g)
{
    unsigned i;
    for (i = 0; i < 10; i++)
        h[i] = f[i] + g[i];
}

void fws_fe25519_sub(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g)
{
    /* f + 4p - g: 4p's limbs exceed any loose limb of g, so no limb goes
     * negative; the sums stay below 2^29 and one carry pass makes h tight. */
    h[0] = f[0] + 0xfffffb4u - g[0]; /* 4 (2^26 - 19) */
    h[1] = f[1] + 0x7fffffcu - g[1]; /* 4 (2^25 - 1) */
    h[2] = f[2] + 0xffffffcu - g[2]; /* 4 (2^26 - 1) */
    h[3] = f[3] + 0x7fffffcu - g[3];
    h[4] = f[4] + 0xffffffcu - g[4];
    h[5] = f[5] + 0x7fffffcu - g[5];
    h[6] = f[6] + 0xffffffcu - g[6];
    h[7] = f[7] + 0x7fffffcu - g[7];
    h[8] = f[8] + 0xffffffcu - g[8];
    h[9] = f[9] + 0x7fffffcu - g[9];
    fws_fe25519_carry32(h);
}

void fws_fe25519_neg(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519 zero;
    fws_fe25519_0(zero);
    fws_fe25519_sub(h, zero, f);
}

void fws_fe25519_mul(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g)
{
    uint32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    uint32_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    uint32_t g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8], g9 = g[9];
    uint32_t f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
    uint32_t g1_19 = 19 * g1, g2_19 = 19 * g2, g3_19 = 19 * g3, g4_19 = 19 * g4;
    uint32_t g5_19 = 19 * g5, g6_19 = 19 * g6, g7_19 = 19 * g7, g8_19 = 19 * g8;
    uint32_t g9_19 = 19 * g9;
    uint64_t t[10];

    t[0] = M(f0, g0) + M(f1_2, g9_19) + M(f2, g8_19) + M(f3_2, g7_19) + M(f4, g6_19) +
           M(f5_2, g5_19) + M(f6, g4_19) + M(f7_2, g3_19) + M(f8, g2_19) + M(f9_2, g1_19);
    t[1] = M(f0, g1) + M(f1, g0) + M(f2, g9_19) + M(f3, g8_19) + M(f4, g7_19) +
           M(f5, g6_19) + M(f6, g5_19) + M(f7, g4_19) + M(f8, g3_19) + M(f9, g2_19);
    t[2] = M(f0, g2) + M(f1_2, g1) + M(f2, g0) + M(f3_2, g9_19) + M(f4, g8_19) +
           M(f5_2, g7_19) + M(f6, g6_19) + M(f7_2, g5_19) + M(f8, g4_19) + M(f9_2, g3_19);
    t[3] = M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g9_19) + M(f5, g8_19) +
           M(f6, g7_19) + M(f7, g6_19) + M(f8, g5_19) + M(f9, g4_19);
    t[4] = M(f0, g4) + M(f1_2, g3) + M(f2, g2) + M(f3_2, g1) + M(f4, g0) + M(f5_2, g9_19) +
           M(f6, g8_19) + M(f7_2, g7_19) + M(f8, g6_19) + M(f9_2, g5_19);
    t[5] = M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) + M(f5, g0) +
           M(f6, g9_19) + M(f7, g8_19) + M(f8, g7_19) + M(f9, g6_19);
    t[6] = M(f0, g6) + M(f1_2, g5) + M(f2, g4) + M(f3_2, g3) + M(f4, g2) + M(f5_2, g1) +
           M(f6, g0) + M(f7_2, g9_19) + M(f8, g8_19) + M(f9_2, g7_19);
    t[7] = M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) + M(f5, g2) +
           M(f6, g1) + M(f7, g0) + M(f8, g9_19) + M(f9, g8_19);
    t[8] = M(f0, g8) + M(f1_2, g7) + M(f2, g6) + M(f3_2, g5) + M(f4, g4) + M(f5_2, g3) +
           M(f6, g2) + M(f7_2, g1) + M(f8, g0) + M(f9_2, g9_19);
    t[9] = M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) + M(f5, g4) +
           M(f6, g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);
    fws_fe25519_carry64(h, t);
}

void fws_fe25519_sq(fws_fe25519 h, const fws_fe25519 f)
{
    uint32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    uint32_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4;
    uint32_t f5_2 = 2 * f5, f6_2 = 2 * f6, f7_2 = 2 * f7, f8_2 = 2 * f8;
    uint32_t f6_19 = 19 * f6, f7_19 = 19 * f7, f8_19 = 19 * f8, f9_19 = 19 * f9;
    /* 38x only for odd limbs (25 bits wide), where it stays below 2^32. */
    uint32_t f5_38 = 38 * f5, f7_38 = 38 * f7, f9_38 = 38 * f9;
    uint64_t t[10];

    /* Each cross product f_i f_j (i != j) appears twice: one doubled term. */
    t[0] = M(f0, f0) + M(f1_2, f9_38) + M(f2_2, f8_19) + M(f3_2, f7_38) + M(f4_2, f6_19) +
           M(f5, f5_38);
    t[1] = M(f0_2, f1) + M(f2_2, f9_19) + M(f3_2, f8_19) + M(f4_2, f7_19) + M(f5_2, f6_19);
    t[2] = M(f0_2, f2) + M(f1_2, f1) + M(f3_2, f9_38) + M(f4_2, f8_19) + M(f5_2, f7_38) +
           M(f6, f6_19);
    t[3] = M(f0_2, f3) + M(f1_2, f2) + M(f4_2, f9_19) + M(f5_2, f8_19) + M(f6_2, f7_19);
    t[4] = M(f0_2, f4) + M(f1_2, f3_2) + M(f2, f2) + M(f5_2, f9_38) + M(f6_2, f8_19) +
           M(f7, f7_38);
    t[5] = M(f0_2, f5) + M(f1_2, f4) + M(f2_2, f3) + M(f6_2, f9_19) + M(f7_2, f8_19);
    t[6] = M(f0_2, f6) + M(f1_2, f5_2) + M(f2_2, f4) + M(f3_2, f3) + M(f7_2, f9_38) +
           M(f8, f8_19);
    t[7] = M(f0_2, f7) + M(f1_2, f6) + M(f2_2, f5) + M(f3_2, f4) + M(f8_2, f9_19);
    t[8] = M(f0_2, f8) + M(f1_2, f7_2) + M(f2_2, f6) + M(f3_2, f5_2) + M(f4, f4) +
           M(f9, f9_38);
    t[9] = M(f0_2, f9) + M(f1_2, f8) + M(f2_2, f7) + M(f3_2, f6) + M(f4_2, f5);
    fws_fe25519_carry64(h, t);
}

void fws_fe25519_mul_small(fws_fe25519 h, const fws_fe25519 f, uint32_t n)
{
    uint64_t t[10];
    unsigned i;
    for (i = 0; i < 10; i++)
        t[i] = M(f[i], n);
    fws_fe25519_carry64(h, t);
}

/* h = f^(2^n). */
static void fws_fe25519_sqn(fws_fe25519 h, const fws_fe25519 f, unsigned n)
{
    fws_fe25519_sq(h, f);
    while (--n > 0)
        fws_fe25519_sq(h, h);
}

/* Common prefix of invert and pow22523: z11 = z^11, out = z^(2^250 - 1).
 * 249 squarings and 10 multiplications; names are the exponents in
 * binary-ish shorthand (z2_5_0 = z^(2^5 - 2^0)). */
static void fws_fe25519_pow250(fws_fe25519 out, fws_fe25519 z11, const fws_fe25519 z)
{
    fws_fe25519 t, z2_5_0, z2_10_0, z2_50_0;

    fws_fe25519_sq(t, z);                 /* z^2 */
    fws_fe25519_sqn(out, t, 2);           /* z^8 */
    fws_fe25519_mul(out, out, z);         /* z^9 */
    fws_fe25519_mul(z11, t, out);         /* z^11 */
    fws_fe25519_sq(t, z11);               /* z^22 */
    fws_fe25519_mul(z2_5_0, t, out);      /* z^31 = z^(2^5 - 1) */
    fws_fe25519_sqn(t, z2_5_0, 5);
    fws_fe25519_mul(z2_10_0, t, z2_5_0);  /* z^(2^10 - 1) */
    fws_fe25519_sqn(t, z2_10_0, 10);
    fws_fe25519_mul(t, t, z2_10_0);       /* z^(2^20 - 1) */
    fws_fe25519_sqn(out, t, 20);
    fws_fe25519_mul(out, out, t);         /* z^(2^40 - 1) */
    fws_fe25519_sqn(out, out, 10);
    fws_fe25519_mul(z2_50_0, out, z2_10_0); /* z^(2^50 - 1) */
    fws_fe25519_sqn(t, z2_50_0, 50);
    fws_fe25519_mul(t, t, z2_50_0);       /* z^(2^100 - 1) */
    fws_fe25519_sqn(out, t, 100);
    fws_fe25519_mul(out, out, t);         /* z^(2^200 - 1) */
    fws_fe25519_sqn(out, out, 50);
    fws_fe25519_mul(out, out, z2_50_0);   /* z^(2^250 - 1) */
}

void fws_fe25519_invert(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519 t, z11;
    fws_fe25519_pow250(t, z11, f);
    fws_fe25519_sqn(t, t, 5);   /* z^(2^255 - 2^5) */
    fws_fe25519_mul(h, t, z11); /* z^(2^255 - 21) = z^(p - 2) */
}

void fws_fe25519_pow22523(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519 t, z11;
    fws_fe25519_pow250(t, z11, f);
    fws_fe25519_sqn(t, t, 2); /* z^(2^252 - 4) */
    fws_fe25519_mul(h, t, f); /* z^(2^252 - 3) */
}

void fws_fe25519_cswap(fws_fe25519 f, fws_fe25519 g, uint32_t b)
{
    uint32_t mask = 0u - b, x;
    unsigned i;
    for (i = 0; i < 10; i++) {
        x = mask & (f[i] ^ g[i]);
        f[i] ^= x;
        g[i] ^= x;
    }
}

void fws_fe25519_cmov(fws_fe25519 h, const fws_fe25519 g, uint32_t b)
{
    uint32_t mask = 0u - b;
    unsigned i;
    for (i = 0; i < 10; i++)
        h[i] ^= mask & (h[i] ^ g[i]);
}

int fws_fe25519_isnegative(const fws_fe25519 f)
{
    uint8_t s[32];
    fws_fe25519_tobytes(s, f);
    return s[0] & 1;
}

int fws_fe25519_iszero(const fws_fe25519 f)
{
    uint8_t s[32];
    uint32_t d = 0;
    unsigned i;
    fws_fe25519_tobytes(s, f);
    for (i = 0; i < 32; i++)
        d |= s[i];
    return (int)(1u & ((d - 1u) >> 8));
}
