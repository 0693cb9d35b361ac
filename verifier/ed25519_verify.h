/* SPDX-License-Identifier: MIT */
/*
 * Ed25519 signature verification (RFC 8032, pure Ed25519), strict: the
 * decision equals libsodium 1.0.18's crypto_sign_verify_detached (built
 * without ED25519_COMPAT) on every input.  A signature (R, S) on message M
 * under public key A is accepted exactly when
 *
 *   1. S < L (canonical scalar; S + L malleations are rejected);
 *   2. R is not one of the small-order encodings (y in {0, 1, p-1, p, p+1}
 *      or one of the two order-8 y values, either sign bit);
 *   3. A is canonical (y < p) and not of small order (same list);
 *   4. A decodes to a curve point;
 *   5. encode([S]B - [h]A) == R byte for byte, h = SHA-512(R || A || M)
 *      mod L (cofactorless; a non-canonical R can never match).
 *
 * Everything here is public (signature, key, message), so the code is
 * variable time: a double-scalar multiplication [h](-A) + [S]B from the
 * top bit down, both scalars recoded on the fly into signed odd digits
 * (sliding windows over the "mutual opposite form", exactly as sparse as a
 * width-w NAF, with no digit arrays).
 *
 * Cost: 254 doublings (4 sq + 3 mul each), about 254/(w + 1) additions of
 * a multiple of A (8 mul each, w = FWS_ED25519_WINDOW) and 254/(wB + 1) of
 * a multiple of B (7 mul, wB = FWS_ED25519_B_WINDOW), plus one square root
 * (decoding A) and one inversion (encoding R'), about 310 field operations
 * each: with the defaults about 2,000 multiplications and 1,530
 * squarings, plus SHA-512 over 64 + msg_len bytes.  Measured on Cortex-M4
 * (-Os, `make bench-device`, defaults): 2.41 million instructions for a
 * 552-byte message (SHA-512 about 72,000 of them); 4.4 KiB of code with
 * SHA-512 (`make size`: 4,536 bytes with the caller).
 *
 * Stack (-fstack-usage, -Os, defaults): the function's own frame is about
 * 820 bytes on Cortex-M4 (the accumulator, a p1p1 temporary, A and the
 * base-point multiple being added, 160 bytes each; the decode, hash,
 * multiply and encode phases share one union), and its deepest callee
 * chain (a field multiplication under the small-order check or a point
 * operation) adds about 380: 1,192 bytes static, 1,196 measured.  No heap,
 * no recursion, no static mutable state.
 *
 * Trade-offs (Cortex-M4, against the defaults; all measured):
 *   FWS_ED25519_WINDOW=3      +142 bytes of code, +152 of stack, -109,000 instructions
 *   FWS_ED25519_WINDOW=4      +210 bytes, 1,676 bytes of stack, -147,000
 *   FWS_ED25519_B_WINDOW=3    +100 bytes (96 of table), -99,000
 *   FWS_ED25519_B_WINDOW=4    +292 bytes, -174,000
 *   FWS_FE25519_FAST_SQ=1     +356 bytes, +56 of stack, -102,000 (X25519 too)
 *   all three of w=3, wB=3, FAST_SQ: 5,126 bytes, 1,404 of stack, 2.10 M.
 */
#ifndef FWS_ED25519_VERIFY_H
#define FWS_ED25519_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "fws_config.h" /* may set FWS_ED25519_WINDOW for the whole build */

/* Window width for the public key's multiples, 2..5: the verifier keeps
 * 2^(w-2) odd multiples of A (160 bytes each) on the stack; see the
 * trade-offs above. */
#ifndef FWS_ED25519_WINDOW
#define FWS_ED25519_WINDOW 2
#endif
/* Window width for the base point's multiples, 2..5: a constant table of
 * 2^(wB-2) affine points, 96 bytes of flash each. */
#ifndef FWS_ED25519_B_WINDOW
#define FWS_ED25519_B_WINDOW 2
#endif

#define FWS_ED25519_SIG_LEN 64
#define FWS_ED25519_PUB_LEN 32

/** \brief Verifies the 64-byte signature sig (R || S) of msg[0..msg_len)
 *  under the 32-byte public key pub.  msg may be NULL when msg_len is 0.
 *  \return 0 if valid, -1 if invalid for any reason. */
int fws_ed25519_verify(const uint8_t sig[FWS_ED25519_SIG_LEN], const uint8_t *msg,
                       size_t msg_len, const uint8_t pub[FWS_ED25519_PUB_LEN]);

#endif
