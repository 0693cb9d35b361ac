/* SPDX-License-Identifier: MIT */
/*
 * The signed DIGEST of a component (SPEC.md section 3.6), shared by
 * install (over the plaintext as it is produced) and boot (over the image
 * in place):
 *
 *   unencrypted container:  DIGEST = SHA-256(plaintext)
 *   encrypted container:    DIGEST = HMAC-SHA256(DK, u8 index || plaintext)
 *                           DK = HKDF-SHA256(salt "", IKM K,
 *                                            info "fwseal-v1 digest-key")
 *
 * The manifest is public; a plain hash of an encrypted component would
 * let anyone confirm a guess of its plaintext offline.  Keyed by DK (which
 * only a holder of K can compute) the digest reveals nothing, differs
 * between containers (K is fresh) and between components (the index).
 * The device keeps DK in its boot record so that the boot check needs no
 * secret key; DK authenticates, it does not decrypt (K cannot be computed
 * from it).
 *
 * Constant time: DK is handled by HMAC-SHA256 (constant time), the final
 * comparison by fws_ct_equal.  Context: 232 bytes (an HMAC context).
 */
#ifndef FWS_COMPONENT_DIGEST_H
#define FWS_COMPONENT_DIGEST_H

#include "fws_format.h"
#include "hmac_sha256.h"

/** \brief A running component digest.  Caller-owned; opaque. */
typedef struct {
    fws_hmac_sha256_ctx mac;   /* unkeyed: only mac.inner runs (plain SHA-256) */
    uint8_t keyed;
} fws_digest_ctx;

/** \brief dk = HKDF-SHA256(salt = "", IKM = key, info = "fwseal-v1
 *  digest-key", L = 32).  key (the content key K) is secret. */
void fws_digest_key(uint8_t dk[FWS_KEY_LEN], const uint8_t key[FWS_KEY_LEN]);

/** \brief Starts the digest of component index: keyed by dk[32] (an
 *  encrypted container) or plain SHA-256 (dk NULL). */
void fws_digest_init(fws_digest_ctx *d, const uint8_t *dk, uint8_t index);

/** \brief Absorbs len bytes of plaintext. */
void fws_digest_update(fws_digest_ctx *d, const uint8_t *data, size_t len);

/** \brief 1 if the digest equals expect[32] (constant-time compare), else
 *  0.  Wipes the context. */
int fws_digest_matches(fws_digest_ctx *d, const uint8_t expect[FWS_HASH_LEN]);

#endif
