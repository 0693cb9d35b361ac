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
 * variable time: sliding-window (wNAF) double-scalar multiplication.
 *
 * Cost: about 253 doublings (4 sq + 3 mul each) and 42 + 253/(w + 1)
 * point additions (about 8 mul each), w = FWS_ED25519_WINDOW, plus one
 * square root (decoding A) and one inversion (encoding R'): with w = 4
 * about 1,530 field multiplications and 1,520 squarings, plus SHA-512 over
 * 64 + msg_len bytes.  On x86-64 that is roughly 2x libsodium's time
 * (which uses 64-bit limbs there); the limbs here are chosen for 32-bit
 * MCUs.
 *
 * Stack (measured with -fstack-usage, -Os, w = 4): the function's own frame
 * is 2.2 KiB (two 256-byte digit arrays, the 640-byte table of A
 * multiples, point temporaries; the decode, hash, multiply and encode
 * phases share one union), and its deepest callee chain (invert ->
 * pow250 -> mul) adds about 600 bytes: 2.8 KiB peak with gcc on x86-64,
 * 2.7 KiB with clang for Cortex-M4.  Flash: 768 bytes of base-point table.
 * No heap, no recursion, no static mutable state.
 */
#ifndef FWS_ED25519_VERIFY_H
#define FWS_ED25519_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "fws_config.h" /* may set FWS_ED25519_WINDOW for the whole build */

/* Window width for the public key's multiples, 2..6.  The verifier keeps
 * 2^(w-2) multiples of A (160 bytes each) on the stack.  Measured field
 * operations per verification (squarings count about 0.6 multiplication):
 *   w = 2:  160 bytes, 1,760 mul + 1,520 sq  (10% more work than w = 4)
 *   w = 3:  320 bytes, 1,610 mul + 1,520 sq  (3% more)
 *   w = 4:  640 bytes, 1,530 mul + 1,520 sq  (default)
 *   w = 5: 1280 bytes, 1,490 mul + 1,520 sq  (1.3% less)
 *   w = 6: 2560 bytes, 1,520 mul + 1,520 sq  (table building eats the gain)
 * The base point's multiples are a constant table with a fixed window of
 * 5.  On Cortex-M0+ the 64-bit products go through libgcc's __aeabi_lmul,
 * see fe25519.h. */
#ifndef FWS_ED25519_WINDOW
#define FWS_ED25519_WINDOW 4
#endif

#define FWS_ED25519_SIG_LEN 64
#define FWS_ED25519_PUB_LEN 32

/** \brief Verifies the 64-byte signature sig (R || S) of msg[0..msg_len)
 *  under the 32-byte public key pub.  msg may be NULL when msg_len is 0.
 *  \return 0 if valid, -1 if invalid for any reason. */
int fws_ed25519_verify(const uint8_t sig[FWS_ED25519_SIG_LEN], const uint8_t *msg,
                       size_t msg_len, const uint8_t pub[FWS_ED25519_PUB_LEN]);

#endif
