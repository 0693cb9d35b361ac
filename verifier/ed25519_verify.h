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
 * Cost: about 253 doublings and 42 + 253/(FWS_ED25519_WINDOW + 1) point
 * additions, plus one square root (decoding A) and one inversion (encoding
 * R'), roughly 3,300 field multiplications; plus SHA-512 over 64 + msg_len
 * bytes.
 *
 * Stack: about 1.9 KiB with the default window 4 (two 256-byte digit
 * arrays, the table of A multiples, four point temporaries); see
 * FWS_ED25519_WINDOW.  Flash: 768 bytes of base-point table.  No heap, no
 * recursion, no static mutable state.
 */
#ifndef FWS_ED25519_VERIFY_H
#define FWS_ED25519_VERIFY_H

#include <stddef.h>
#include <stdint.h>

/* Window width for the public key's multiples, 2..6.  The verifier keeps
 * 2^(w-2) multiples of A (160 bytes each) on the stack: w = 4 costs 640
 * bytes, each step up doubles that (w = 5: 1280, w = 6: 2560) and saves
 * only a few of the ~300 point operations (w = 5 is about 1.5% faster than
 * 4; w = 3 is 3% slower and saves 320 bytes).  The base point's multiples
 * are a constant table with a fixed window of 5. */
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
