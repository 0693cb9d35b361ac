/* SPDX-License-Identifier: MIT */
/*
 * Key capsules (SPEC.md section 5), device side: recover the content key
 * K from one capsule entry and check it against the signed commitment.
 * Internal to the verifier (install.c).
 *
 * Secrets: the device's X25519 secret key, the PSK, the shared secret Z,
 * the KEK and K.  X25519 and HKDF run in constant time; the commitment is
 * compared with fws_ct_equal; every temporary is wiped before return.
 * Stack: about 1 KiB (HKDF ~680 bytes + X25519 ~550 bytes, not nested).
 */
#ifndef FWS_CAPSULE_UNWRAP_H
#define FWS_CAPSULE_UNWRAP_H

#include "fws_verify.h"

/* Key id of the policy's PSK: SHA-512("fwseal-v1 psk-id" || psk)[0..8]. */
void fws_capsule_psk_id(uint8_t id[FWS_KEYID_LEN], const uint8_t psk[FWS_KEY_LEN]);

/* K = W XOR HKDF(salt = "", Z = X25519(secret, E), info = label || E || R).
 * Returns 0, or -1 if Z is all zero (key then holds garbage): computed
 * without branching, so the caller combines it with the commitment check
 * into the one accept decision.  body: the 72-byte capsule body
 * (id || E || W). */
int fws_capsule_unwrap_x25519(uint8_t key[FWS_KEY_LEN], const uint8_t body[FWS_CAPSULE_BODY],
                              const uint8_t secret[32], const uint8_t pub[32]);

/* K = W XOR HKDF(salt, PSK, info = label).  body: id || salt || W. */
void fws_capsule_unwrap_psk(uint8_t key[FWS_KEY_LEN], const uint8_t body[FWS_CAPSULE_BODY],
                            const uint8_t psk[FWS_KEY_LEN]);

/* 1 if SHA-256("fwseal-v1 key-commitment" || key) equals commitment
 * (constant time in key), else 0. */
int fws_capsule_commitment_ok(const uint8_t key[FWS_KEY_LEN],
                              const uint8_t commitment[FWS_HASH_LEN]);

#endif
