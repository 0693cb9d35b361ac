/* SPDX-License-Identifier: MIT */
/*
 * GF(2^255 - 19) arithmetic.  See fe25519.h for the representation and the
 * limb bounds every function relies on.
 *
 * Limb i has weight 2^o(i), o = 0, 26, 51, 77, 102, 128, 153, 179, 204, 230
 * (o(i) = ceil(25.5 i)).  In a product f_i * g_j the weights add up to
 * o(i) + o(j), which is o(i + j) plus one when i and j are both odd: those
 * products are doubled.  Weights at or above 2^255 wrap around times 19,
 * since 2^255 = 19 mod p.
 *
 * Written for size: the multiplication is one loop over the output limbs
 * (product scanning), two limbs per turn, each limb one run of ten
 * 32x32->64-bit multiply-accumulates (UMLAL), with the operands pre-scaled
 * once so that the runs need no fix-ups: gg = (19 g_0..19 g_9,
 * g_0..g_9), so that gg[10 + k - i] is g_(k-i) or, when k - i wraps below
 * 0, 19 g_(k-i+10); and ff = (f, f with its odd limbs doubled): an even
 * output limb takes the doubled copy (an odd i there always meets an odd
 * j), an odd one the plain copy.  The carry chain runs along in the same
 * loop.  The fully unrolled form was 878 bytes (plus 344 of carry code)
 * for 395 instructions on Cortex-M4; this one is 360 bytes for 510 (one
 * limb per turn: 300 bytes for 635).  The optional squaring does the same
 * with each cross product once (see fws_fe25519_sq).
 *
 * Bounds (the header's "tight" and "loose"): a loose limb is below
 * 3 * 2^26 (even) or 3 * (2^25 + 2^18) (odd).  Then 19 g_j and 2 f_i stay
 * below 2^32, and each column sum is at most 124.5 * 9 * 2^52 < 2^63 (the
 * worst column, h0, holds f0 g0, four 19x even-even and five 38x odd-odd
 * terms), which leaves room for the carry coming in from the column below
 * (< 2^38).  The carry out of limb 9 (< 2^38) comes back times 19 into
 * limb 0, which carries once more into limb 1: every limb ends within its
 * width except limb 1, which may exceed 2^25 by at most 2^18: "tight".
 *
 * Constant time: loops have fixed trip counts and branch only on their
 * counters; no index depends on a value.
 */
#include "fe25519.h"

#include "fws_bytes.h"
#include "fws_config.h"

#define FWS_M26 0x3ffffffu
#define FWS_M25 0x1ffffffu

#if FWS_CFG_CT_MUL64
/* 32x32 -> 64-bit product from four 16x16 -> 32-bit multiplies (MUL,
 * one cycle on Cortex-M3) and adds: no UMULL/UMLAL, whose time on
 * Cortex-M3 depends on the operands' values (early termination). */
static uint64_t fws_fe25519_mul64(uint32_t a, uint32_t b)
{
    uint32_t al = a & 0xffffu, ah = a >> 16, bl = b & 0xffffu, bh = b >> 16;
    uint64_t mid = (uint64_t)(al * bh) + (ah * bl);
    return ((uint64_t)(ah * bh) << 32) + (mid << 16) + (al * bl);
}
#define M(a, b) fws_fe25519_mul64((uint32_t)(a), (uint32_t)(b))
/* 19 c (c < 2^39 holds secret-dependent carries) the same way: GCC turns
 * shifts and adds back into UMULL. */
#define FWS_TIMES19(c) \
    (fws_fe25519_mul64((uint32_t)(c), 19) + ((uint64_t)((uint32_t)((c) >> 32) * 19u) << 32))
#else
/* 32x32 -> 64-bit product. */
#define M(a, b) ((uint64_t)(a) * (uint64_t)(b))
#define FWS_TIMES19(c) (19 * (c))
#endif

/* One carry pass over 32-bit limbs (each below 2^31): limb i keeps its
 * width, the excess moves up; the carry out of limb 9 (weight 2^255) comes
 * back times wrap (19, since 2^255 = 19 mod p; or 0 to drop it) into limb
 * 0, which then carries once into limb 1. */
static void fws_fe25519_carry32(fws_fe25519 h, uint32_t wrap)
{
    uint32_t c = 0;
    unsigned i, w;

    for (i = 0; i < 10; i++) {
        w = 26 - (i & 1);
        h[i] += c;
        c = h[i] >> w;
        h[i] &= (1u << w) - 1;
    }
    h[0] += wrap * c;
    c = h[0] >> 26;
    h[0] &= FWS_M26;
    h[1] += c;
}

/* The end of the 64-bit carry chain of mul and mul_small: c is the carry
 * out of limb 9 (< 2^39); 19 c goes into limb 0 (in 64 bits), which
 * carries once into limb 1 (< 2^18: limb 1 ends below 2^25 + 2^18). */
static void fws_fe25519_wrap(fws_fe25519 h, uint64_t c)
{
    c = h[0] + FWS_TIMES19(c);
    h[0] = (uint32_t)c & FWS_M26;
    h[1] += (uint32_t)(c >> 26);
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
    uint32_t h[10], q, acc = 0;
    unsigned i, n = 0;

    /* 1. One carry pass: the value V (congruent to f) now has limbs within
     *    their widths except limb 1 (< 2^25 + small), so V < 2p. */
    fws_fe25519_copy(h, f);
    fws_fe25519_carry32(h, 19);
    /* 2. q = floor((V + 19) / 2^255), which is 1 exactly when V >= p.  The
     *    chain computes the floor exactly, whatever the limb sizes. */
    q = (h[0] + 19) >> 26;
    for (i = 1; i < 10; i++)
        q = (h[i] + q) >> (26 - (i & 1));
    /* 3. V - q p = V + 19 q - q 2^255: add 19 q, carry, drop bit 255. */
    h[0] += 19 * q;
    fws_fe25519_carry32(h, 0);
    /* 4. Pack the limbs (now all within their widths) little-endian: at
     *    most 7 bits wait in acc when a limb comes in, and o(i) % 8 plus
     *    the width never exceeds 32, so acc never overflows. */
    for (i = 0; i < 10; i++) {
        acc |= h[i] << n;
        n += 26 - (i & 1);
        for (; n >= 8; n -= 8) {
            *s++ = (uint8_t)acc;
            acc >>= 8;
        }
    }
    *s = (uint8_t)acc; /* bits 248..254 */
}

void fws_fe25519_add(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g)
{
    unsigned i;
    for (i = 0; i < 10; i++)
        h[i] = f[i] + g[i];
}

void fws_fe25519_sub(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g)
{
    uint32_t c = (uint32_t)-72; /* 4p's limb 0 is 4 (2^26 - 19) = 0xffffffc - 72 */
    unsigned i;

    /* f + 4p - g, carried as it goes: 4p's limbs (4 (2^26 - 19), then
     * 4 (2^25 - 1) and 4 (2^26 - 1) alternating) exceed any loose limb of
     * g, so no limb goes negative and the sums stay below 2^29; one pass
     * makes h tight.  h may be f or g: each limb is read before it is
     * written. */
    for (i = 0; i < 10; i += 2) {
        c += f[i] + 0xffffffcu - g[i];
        h[i] = c & FWS_M26;
        c >>= 26;
        c += f[i + 1] + 0x7fffffcu - g[i + 1];
        h[i + 1] = c & FWS_M25;
        c >>= 25;
    }
    h[0] += 19 * c;
    c = h[0] >> 26;
    h[0] &= FWS_M26;
    h[1] += c;
}

void fws_fe25519_neg(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519 zero;
    fws_fe25519_0(zero);
    fws_fe25519_sub(h, zero, f);
}

void fws_fe25519_mul(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g)
{
    uint32_t ff[20], gg[20];
    /* Read through a volatile pointer once per turn: otherwise gcc sees
     * that the turns read the same ff[i] and copies all twenty of them to
     * another stack area first (36 instructions and 72 bytes of code for
     * nothing: they do not fit in registers anyway). */
    uint32_t *volatile ffp = ff;
    const uint32_t *a, *b;
    uint64_t acc = 0;
    unsigned i, k;

    /* Copies first: h may be f or g. */
    for (i = 0; i < 10; i += 2) {
        ff[i] = ff[i + 10] = f[i];
        ff[i + 1] = f[i + 1];
        ff[i + 11] = 2 * f[i + 1];
        gg[i] = 19 * g[i];
        gg[i + 1] = 19 * g[i + 1];
        gg[i + 10] = g[i];
        gg[i + 11] = g[i + 1];
    }
    for (k = 0; k < 10; k += 2) {
        /* acc += sum over i of f_i g_(k-i), scaled as said above: limb k
         * (even: odd f limbs doubled), then limb k + 1. */
        a = ffp;
        b = gg + 10 + k;
        acc += M(a[10], b[0]);
        acc += M(a[11], b[-1]);
        acc += M(a[12], b[-2]);
        acc += M(a[13], b[-3]);
        acc += M(a[14], b[-4]);
        acc += M(a[15], b[-5]);
        acc += M(a[16], b[-6]);
        acc += M(a[17], b[-7]);
        acc += M(a[18], b[-8]);
        acc += M(a[19], b[-9]);
        h[k] = (uint32_t)acc & FWS_M26;
        acc >>= 26;
        b++;
        acc += M(a[0], b[0]);
        acc += M(a[1], b[-1]);
        acc += M(a[2], b[-2]);
        acc += M(a[3], b[-3]);
        acc += M(a[4], b[-4]);
        acc += M(a[5], b[-5]);
        acc += M(a[6], b[-6]);
        acc += M(a[7], b[-7]);
        acc += M(a[8], b[-8]);
        acc += M(a[9], b[-9]);
        h[k + 1] = (uint32_t)acc & FWS_M25;
        acc >>= 25;
    }
    fws_fe25519_wrap(h, acc);
}

#if !FWS_FE25519_FAST_SQ
void fws_fe25519_sq(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519_mul(h, f, f);
}
#else
void fws_fe25519_sq(fws_fe25519 h, const fws_fe25519 f)
{
    uint32_t fd[10], f2[10], f4[10], gg[20];
    const uint32_t *g;
    uint64_t e = 0, o;
    unsigned i, m;

    /* Each product f_i f_j with i != j appears twice in a square: one term
     * with a doubled factor.  Limbs 2m and 2m + 1 in one turn:
     *   limb 2m:     f_m^2 and 19 f_(m+5)^2 (the two squares landing there)
     *                and the four pairs (m + t, m - t), t = 1..4;
     *   limb 2m + 1: the five pairs (m + t, m + 1 - t), t = 1..5;
     * with j below 0 meaning j + 10 times 19 (gg as in mul).  Odd-odd
     * products only occur in even limbs: fd is f with its odd limbs
     * doubled, f4 = 2 fd for the pairs there; f2 = 2 f for the pairs in
     * odd limbs.  55 products instead of 100. */
    for (i = 0; i < 10; i += 2) {
        fd[i] = f[i];
        fd[i + 1] = 2 * f[i + 1];
        f2[i] = 2 * f[i];
        f2[i + 1] = fd[i + 1];
        f4[i] = f2[i];
        f4[i + 1] = 4 * f[i + 1];
        gg[i] = 19 * f[i];
        gg[i + 1] = 19 * f[i + 1];
        gg[i + 10] = f[i];
        gg[i + 11] = f[i + 1];
    }
    for (m = 0; m < 5; m++) {
        g = gg + 10 + m;
        e += M(fd[m], g[0]);
        e += M(f4[m + 1], g[-1]);
        e += M(f4[m + 2], g[-2]);
        e += M(f4[m + 3], g[-3]);
        e += M(f4[m + 4], g[-4]);
        e += M(fd[m + 5], g[-5]);
        h[2 * m] = (uint32_t)e & FWS_M26;
        o = e >> 26;
        o += M(f2[m + 1], g[0]);
        o += M(f2[m + 2], g[-1]);
        o += M(f2[m + 3], g[-2]);
        o += M(f2[m + 4], g[-3]);
        o += M(f2[m + 5], g[-4]);
        h[2 * m + 1] = (uint32_t)o & FWS_M25;
        e = o >> 25;
    }
    fws_fe25519_wrap(h, e);
}
#endif

void fws_fe25519_mul_small(fws_fe25519 h, const fws_fe25519 f, uint32_t n)
{
    uint64_t acc = 0;
    unsigned k;
    for (k = 0; k < 10; k++) {
        acc += M(f[k], n);
        h[k] = (uint32_t)acc & ((k & 1) ? FWS_M25 : FWS_M26);
        acc >>= 25;
        if (!(k & 1))
            acc >>= 1;
    }
    fws_fe25519_wrap(h, acc);
}

/* h = f^((2^250 - 1) 2^n + e), e < 2^n, the tails of p - 2 and (p - 5)/8:
 * z^(2^5 - 1) from 4 squarings and 4 multiplications, then 49 times five
 * squarings and a multiplication by it give z^(2^250 - 1); the n bits of e
 * follow, top first, by square-and-multiply.  254 + n squarings and
 * 53 + popcount(e) multiplications (about 15% more than the classic
 * addition chain, for two field elements of stack instead of six and a
 * third of the code).  The exponent is public: the branch on its bits is
 * constant time. */
static void fws_fe25519_pow(fws_fe25519 h, const fws_fe25519 f, unsigned e, unsigned n)
{
    fws_fe25519 z, z31;
    unsigned i, j;

    fws_fe25519_copy(z, f); /* h may be f */
    fws_fe25519_copy(z31, z);
    for (i = 0; i < 4; i++) {
        fws_fe25519_sq(z31, z31);
        fws_fe25519_mul(z31, z31, z); /* z^(2^(i+2) - 1) */
    }
    fws_fe25519_copy(h, z31);
    for (i = 0; i < 49; i++) {
        for (j = 0; j < 5; j++)
            fws_fe25519_sq(h, h);
        fws_fe25519_mul(h, h, z31);
    }
    while (n-- > 0) {
        fws_fe25519_sq(h, h);
        if ((e >> n) & 1)
            fws_fe25519_mul(h, h, z);
    }
}

void fws_fe25519_invert(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519_pow(h, f, 11, 5); /* p - 2 = (2^250 - 1) 2^5 + 11 */
}

void fws_fe25519_pow22523(fws_fe25519 h, const fws_fe25519 f)
{
    fws_fe25519_pow(h, f, 1, 2); /* (p - 5)/8 = (2^250 - 1) 2^2 + 1 */
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
