/* SPDX-License-Identifier: MIT */
/*
 * X25519 (RFC 7748): Diffie-Hellman on Curve25519, Montgomery ladder.
 *
 * Used by the device to unwrap a content key from an X25519 key capsule
 * with its static secret key.  The scalar is secret: the ladder runs in
 * time independent of it (fixed 255 steps, constant-time conditional swaps,
 * the field code has no value-dependent branches), and the secret
 * temporaries in this function's frame are wiped before returning.  The
 * field functions' own frames (products of secret values) are not wiped;
 * portable C offers no way to reach them.
 *
 * Cost: 255 ladder steps of 5 mul + 4 sq + 1 mul_small, then one inversion
 * (254 sq + 56 mul): about 1,330 mul and 1,275 sq; 1.64 million
 * instructions on Cortex-M4 (-Os, `make bench-device`; 1.56 million with
 * FWS_FE25519_FAST_SQ=1, see fe25519.h).
 * Stack (measured with -fstack-usage, -Os, Cortex-M4): a 536-byte frame
 * (the ladder state, 12 field elements) plus the inversion's callees (312
 * bytes): 848 bytes peak (852 measured).
 */
#ifndef FWS_X25519_H
#define FWS_X25519_H

#include <stddef.h>
#include <stdint.h>

#define FWS_X25519_LEN 32

/** \brief out = X25519(scalar, point): the scalar is clamped (bits 0-2 and
 *  255 cleared, bit 254 set), the top bit of the u-coordinate point is
 *  ignored, and u values >= p are taken mod p, all as RFC 7748 says.
 *  The base point is u = 9.  out may alias scalar or point.
 *  \return -1 if the result is all zero (point of small order; out is still
 *  written, with zeros), as libsodium's crypto_scalarmult does; 0 otherwise.
 *  Callers must not use the shared secret when -1 is returned. */
int fws_x25519(uint8_t out[FWS_X25519_LEN], const uint8_t scalar[FWS_X25519_LEN],
               const uint8_t point[FWS_X25519_LEN]);

#endif
