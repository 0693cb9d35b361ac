/* SPDX-License-Identifier: MIT */
/*
 * Host side of SPEC.md section 5: the content key, its commitment, and the
 * X25519 / PSK key capsules that wrap it.  libsodium only.
 */
#ifndef FWS_HOST_CAPSULE_H
#define FWS_HOST_CAPSULE_H

#include <stddef.h>
#include <stdint.h>

#include "fws_format.h"

/* HKDF-SHA256 (RFC 5869) built on libsodium's HMAC-SHA256; okm_len <= 32*255. */
void host_hkdf_sha256(uint8_t *okm, size_t okm_len, const uint8_t *salt, size_t salt_len,
                      const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len);

/* SHA-256("fwseal-v1 key-commitment" || K) */
void host_key_commitment(uint8_t out[FWS_HASH_LEN], const uint8_t key[FWS_KEY_LEN]);

/* Builds a 72-byte capsule body for a recipient.  Returns 0, or -1 if the
 * X25519 shared secret is all zero (a small-order recipient key). */
int host_capsule_wrap_x25519(uint8_t body[FWS_CAPSULE_BODY], const uint8_t content_key[32],
                             const uint8_t recipient_pub[32]);
void host_capsule_wrap_psk(uint8_t body[FWS_CAPSULE_BODY], const uint8_t content_key[32],
                           const uint8_t psk[32], const uint8_t psk_id[FWS_KEYID_LEN]);

/* Recovers K from a capsule body.  Returns 0, or -1 if the shared secret is
 * all zero.  The caller still has to check the commitment. */
int host_capsule_unwrap_x25519(uint8_t content_key[32], const uint8_t body[FWS_CAPSULE_BODY],
                               const uint8_t secret[32], const uint8_t pub[32]);
void host_capsule_unwrap_psk(uint8_t content_key[32], const uint8_t body[FWS_CAPSULE_BODY],
                             const uint8_t psk[32]);

#endif
