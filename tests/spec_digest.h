/* SPDX-License-Identifier: MIT */
/* Component digests (format/SPEC.md section 3.6) from libsodium alone, an
 * oracle independent of verifier/component_digest.c and
 * signer/digest_host.c. */
#ifndef FWS_SPEC_DIGEST_H
#define FWS_SPEC_DIGEST_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

/* DK = HKDF-SHA256(salt "", IKM key, info "fwseal-v1 digest-key", L 32). */
void spec_digest_key(uint8_t dk[32], const uint8_t key[32]);

/* Streaming: SHA-256 (dk NULL) or HMAC-SHA256(dk, index || data). */
typedef struct {
    crypto_hash_sha256_state sha;
    crypto_auth_hmacsha256_state mac;
    int keyed;
} spec_digest;
void spec_digest_init(spec_digest *d, const uint8_t *dk, uint8_t index);
void spec_digest_update(spec_digest *d, const uint8_t *data, size_t len);
void spec_digest_final(spec_digest *d, uint8_t out[32]);

/* One-shot. */
void spec_component_digest(uint8_t out[32], const uint8_t *dk, uint8_t index,
                           const uint8_t *data, size_t len);

#endif
