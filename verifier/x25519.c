/* SPDX-License-Identifier: MIT */
/*
 * X25519 (RFC 7748, section 5).  See x25519.h.
 *
 * The ladder keeps (x2 : z2) = [k_top..t] u and (x3 : z3) = that plus u,
 * swapping the two pairs (in constant time) whenever the scalar bit
 * changes, so that each step is the same differential addition and
 * doubling whatever the bit:
 *
 *   A = x2 + z2, B = x2 - z2, C = x3 + z3, D = x3 - z3
 *   x3 = (DA + CB)^2,  z3 = u (DA - CB)^2
 *   x2 = A^2 B^2,      z2 = E (A^2 + a24 E),  E = A^2 - B^2, a24 = 121665
 */
#include "x25519.h"

#include "fe25519.h"
#include "fws_bytes.h"

/* Everything secret, in one place so that one fws_wipe clears it. */
typedef struct {
    uint8_t k[32];
    fws_fe25519 x1, x2, z2, x3, z3, a, aa, b, bb, e, c, d;
} fws_x25519_state;

int fws_x25519(uint8_t out[FWS_X25519_LEN], const uint8_t scalar[FWS_X25519_LEN],
               const uint8_t point[FWS_X25519_LEN])
{
    fws_x25519_state s;
    uint32_t swap = 0, bit, nonzero = 0;
    int t;
    unsigned i;

    fws_copy(s.k, scalar, 32);
    s.k[0] &= 248;
    s.k[31] &= 127;
    s.k[31] |= 64;
    fws_fe25519_frombytes(s.x1, point); /* drops the top bit */
    fws_fe25519_1(s.x2);
    fws_fe25519_0(s.z2);
    fws_fe25519_copy(s.x3, s.x1);
    fws_fe25519_1(s.z3);

    for (t = 254; t >= 0; t--) {
        bit = (uint32_t)(s.k[t >> 3] >> (t & 7)) & 1;
        swap ^= bit;
        fws_fe25519_cswap(s.x2, s.x3, swap);
        fws_fe25519_cswap(s.z2, s.z3, swap);
        swap = bit;

        fws_fe25519_add(s.a, s.x2, s.z2);     /* A */
        fws_fe25519_sub(s.b, s.x2, s.z2);     /* B */
        fws_fe25519_add(s.c, s.x3, s.z3);     /* C */
        fws_fe25519_sub(s.d, s.x3, s.z3);     /* D */
        fws_fe25519_sq(s.aa, s.a);            /* AA */
        fws_fe25519_sq(s.bb, s.b);            /* BB */
        fws_fe25519_mul(s.d, s.d, s.a);       /* DA */
        fws_fe25519_mul(s.c, s.c, s.b);       /* CB */
        fws_fe25519_sub(s.e, s.aa, s.bb);     /* E = AA - BB */
        fws_fe25519_add(s.x3, s.d, s.c);
        fws_fe25519_sq(s.x3, s.x3);           /* (DA + CB)^2 */
        fws_fe25519_sub(s.z3, s.d, s.c);
        fws_fe25519_sq(s.z3, s.z3);
        fws_fe25519_mul(s.z3, s.z3, s.x1);    /* u (DA - CB)^2 */
        fws_fe25519_mul(s.x2, s.aa, s.bb);    /* AA BB */
        fws_fe25519_mul_small(s.z2, s.e, 121665);
        fws_fe25519_add(s.z2, s.z2, s.aa);    /* AA + a24 E */
        fws_fe25519_mul(s.z2, s.z2, s.e);     /* E (AA + a24 E) */
    }
    /* RFC 7748's final swap; the clamped bit 0 is 0, so swap is 0 here and
     * this never exchanges anything, but it costs nothing to keep. */
    fws_fe25519_cswap(s.x2, s.x3, swap);
    fws_fe25519_cswap(s.z2, s.z3, swap);

    fws_fe25519_invert(s.z2, s.z2); /* 0 stays 0: the result is then 0 */
    fws_fe25519_mul(s.x2, s.x2, s.z2);
    fws_fe25519_tobytes(out, s.x2);
    fws_wipe(&s, sizeof s);

    /* All-zero output (a small-order point): -1, without a branch on the
     * secret-dependent bytes until the final answer. */
    for (i = 0; i < 32; i++)
        nonzero |= out[i];
    return -(int)(((nonzero - 1u) >> 8) & 1u);
}
