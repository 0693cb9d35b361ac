/* SPDX-License-Identifier: MIT */
/*
 * Arithmetic in GF(2^255 - 19), shared by Ed25519 verification and X25519.
 *
 * Representation: ten unsigned 32-bit limbs in radix 2^25.5 (limb i holds
 * bits from ceil(25.5 * i); even limbs are 26 bits wide, odd limbs 25), as
 * in ref10 but unsigned, so no shift ever touches a negative number.
 * Products are 32x32->64-bit multiply-accumulates (UMULL/UMLAL on
 * Cortex-M3/M4/M33, MUL+MULHU on RV32IM); on Cortex-M0+, which has only a
 * 32x32->32 multiplier, the compiler calls its 64-bit multiply helper
 * (__aeabi_lmul from libgcc), the one external symbol this file needs.
 *
 * Written for size: mul is one loop over pairs of output limbs (each limb
 * a run of ten multiply-accumulates), sq is mul(f, f) unless
 * FWS_FE25519_FAST_SQ (below), invert and pow22523 are one
 * square-and-multiply loop.  Measured on Cortex-M4 (-Os, in instructions,
 * call included): mul 510, sq 511 (444 with FWS_FE25519_FAST_SQ), add +
 * sub 201; invert 158,500 (254 sq + 56 mul), pow22523 about the same (251
 * sq + 54 mul).  Code: 1,032 bytes for what Ed25519 links (mul 360); the
 * fully unrolled mul and sq of the first version were 2.8 KiB.
 *
 * Limb bounds.  Every function documents what it accepts and returns:
 *   tight: what mul, sq, sub, neg, mul_small, frombytes, 0, 1 return:
 *          limb i < 2^26 (even i) or 2^25 (odd i), limb 1 < 2^25 + 2^18;
 *   loose: the sum of at most three tight elements (e.g. add(add(a,b),c)).
 * mul, sq, mul_small, sub, tobytes, isnegative, iszero accept loose inputs;
 * add requires its output to stay loose (so: tight + tight, or the sum of
 * two elements that together add up to at most three tight ones).  These
 * bounds keep the 64-bit sums in mul/sq below 2^63 and the 19x, 38x
 * pre-scaled limbs below 2^32.
 *
 * Constant time: every function runs in time independent of the values (no
 * branches or memory indices depend on them; loops have fixed trip counts
 * and branch only on their counters or on public exponent bits); X25519
 * relies on this with a secret scalar.  On Cortex-M3 that needs
 * FWS_CFG_CT_MUL64=1 (fws_config.h): its UMULL/UMLAL take a time that
 * depends on the operands, so by default X25519 there is NOT constant
 * time; use the switch, or a PSK or secure element instead of X25519.  The functions do not wipe their
 * stack temporaries; the callers own that (see x25519.c).
 *
 * Aliasing: the output may be the same array as any input.
 * Stack (-Os, Cortex-M4, measured with -fstack-usage): mul 208 bytes (the
 * pre-scaled copies of both operands), sq 0 more (264 with
 * FWS_FE25519_FAST_SQ), invert/pow22523 104 plus a multiplication: about
 * 310 bytes with their callees.
 */
#ifndef FWS_FE25519_H
#define FWS_FE25519_H

#include <stddef.h>
#include <stdint.h>

/* FWS_FE25519_FAST_SQ=1 gives sq its own code (each cross product once,
 * 55 products instead of 100): each squaring about 20% faster (Ed25519
 * verification about -0.1 M instructions on Cortex-M4, X25519 -0.09 M) for
 * 356 more bytes.  By default sq is mul(f, f). */
#ifndef FWS_FE25519_FAST_SQ
#define FWS_FE25519_FAST_SQ 0
#endif

/** \brief A field element; see the limb bounds above. */
typedef uint32_t fws_fe25519[10];

/** \brief h = 0. */
void fws_fe25519_0(fws_fe25519 h);
/** \brief h = 1. */
void fws_fe25519_1(fws_fe25519 h);
/** \brief h = f. */
void fws_fe25519_copy(fws_fe25519 h, const fws_fe25519 f);

/** \brief h = the 255-bit little-endian number in s[0..32), top bit of
 *  s[31] ignored.  Values p..2^255-1 are accepted (they reduce mod p);
 *  callers that need canonical encodings check them separately.  Tight. */
void fws_fe25519_frombytes(fws_fe25519 h, const uint8_t s[32]);

/** \brief s = the canonical encoding of f (fully reduced mod p, top bit 0).
 *  f loose. */
void fws_fe25519_tobytes(uint8_t s[32], const fws_fe25519 f);

/** \brief h = f + g, not reduced: the result must stay loose. */
void fws_fe25519_add(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g);
/** \brief h = f - g.  f, g loose; h tight. */
void fws_fe25519_sub(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g);
/** \brief h = -f.  f loose; h tight. */
void fws_fe25519_neg(fws_fe25519 h, const fws_fe25519 f);
/** \brief h = f * g.  f, g loose; h tight. */
void fws_fe25519_mul(fws_fe25519 h, const fws_fe25519 f, const fws_fe25519 g);
/** \brief h = f^2.  f loose; h tight. */
void fws_fe25519_sq(fws_fe25519 h, const fws_fe25519 f);
/** \brief h = f * n for a small constant n < 2^20 (e.g. 121665).  f loose;
 *  h tight. */
void fws_fe25519_mul_small(fws_fe25519 h, const fws_fe25519 f, uint32_t n);
/** \brief h = 1/f = f^(p-2) (0 maps to 0).  f loose; h tight. */
void fws_fe25519_invert(fws_fe25519 h, const fws_fe25519 f);
/** \brief h = f^((p-5)/8) = f^(2^252-3), the square-root helper.  f loose;
 *  h tight. */
void fws_fe25519_pow22523(fws_fe25519 h, const fws_fe25519 f);

/** \brief Swaps f and g if b == 1, leaves them if b == 0 (b must be 0 or 1).
 *  Constant time in b. */
void fws_fe25519_cswap(fws_fe25519 f, fws_fe25519 g, uint32_t b);
/** \brief h = g if b == 1, unchanged if b == 0.  Constant time in b. */
void fws_fe25519_cmov(fws_fe25519 h, const fws_fe25519 g, uint32_t b);

/** \brief 1 if the canonical encoding of f is odd ("negative" in RFC 8032),
 *  else 0.  f loose. */
int fws_fe25519_isnegative(const fws_fe25519 f);
/** \brief 1 if f == 0 mod p, else 0.  f loose. */
int fws_fe25519_iszero(const fws_fe25519 f);

#endif
