/* SPDX-License-Identifier: MIT */
/*
 * Component digests on the host (SPEC.md section 3.6), on host_sha256:
 * SHA-256 of the plaintext, or for an encrypted container
 * HMAC-SHA256(DK, u8 index || plaintext) with
 * DK = HKDF-SHA256(salt "", K, "fwseal-v1 digest-key").  pack computes
 * them, decide() checks them; the device has its own implementation
 * (verifier/component_digest.c), and tests compare both with libsodium
 * (tests/spec_digest.c).
 */
#ifndef FWS_HOST_DIGEST_H
#define FWS_HOST_DIGEST_H

#include <stdint.h>

#include "fws_format.h"
#include "host_sha256.h"

typedef struct {
    host_sha256 inner;
    uint8_t opad[64];     /* DK ^ 0x5c..., for the outer hash (keyed only) */
    int keyed;
} host_digest;

/* DK from the content key K (both secret). */
void host_digest_key(uint8_t dk[FWS_KEY_LEN], const uint8_t key[FWS_KEY_LEN]);

/* dk NULL: plain SHA-256; else HMAC-SHA256 under dk over index || data. */
void host_digest_init(host_digest *d, const uint8_t *dk, uint8_t index);
void host_digest_update(host_digest *d, const void *data, size_t len);
/* Writes the digest and wipes the state. */
void host_digest_final(host_digest *d, uint8_t out[FWS_HASH_LEN]);

#endif
