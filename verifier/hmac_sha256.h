/* SPDX-License-Identifier: MIT */
/*
 * HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869).
 *
 * Used to derive payload keys from key capsules (X25519 shared secrets,
 * pre-shared keys), so the keys here are secrets: they are processed in
 * constant time (branches depend on lengths only, never on key bytes), and
 * every context and temporary holding key material is wiped before the
 * functions return (fws_hmac_sha256_final wipes the context).
 *
 * Stack (measured, clang -Os, Cortex-M4): fws_hmac_sha256_init about 250
 * bytes (64-byte pad block + SHA-256), 370 when the key is longer than 64
 * bytes and gets hashed; fws_hkdf_sha256 at most about 680 bytes (an HMAC
 * context, the PRK and one output block).  Context: 224 bytes.
 */
#ifndef FWS_HMAC_SHA256_H
#define FWS_HMAC_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "sha256.h"

#define FWS_HMAC_SHA256_LEN 32 /* tag size, bytes */
/* Longest HKDF-SHA256 output: 255 blocks of 32 bytes (RFC 5869, 2.3). */
#define FWS_HKDF_SHA256_MAX_LEN (255 * 32)

/** \brief HMAC state: the inner hash running over the message, and the
 *  outer hash already keyed.  Holds key material; caller-owned, opaque. */
typedef struct {
    fws_sha256_ctx inner;
    fws_sha256_ctx outer;
} fws_hmac_sha256_ctx;

/** \brief Starts an HMAC under key[0..key_len) (secret; any length, keys
 *  longer than 64 bytes are hashed first as RFC 2104 says). */
void fws_hmac_sha256_init(fws_hmac_sha256_ctx *ctx, const uint8_t *key, size_t key_len);

/** \brief Absorbs len bytes of msg; any split gives the same tag. */
void fws_hmac_sha256_update(fws_hmac_sha256_ctx *ctx, const void *msg, size_t len);

/** \brief Writes the 32-byte tag and wipes the context.  Truncated tags
 *  are the caller's prefix of out; compare tags with fws_ct_equal. */
void fws_hmac_sha256_final(fws_hmac_sha256_ctx *ctx, uint8_t out[FWS_HMAC_SHA256_LEN]);

/** \brief One-shot: out = HMAC-SHA256(key, msg).  out may overlap the
 *  inputs. */
void fws_hmac_sha256(uint8_t out[FWS_HMAC_SHA256_LEN], const uint8_t *key, size_t key_len,
                     const void *msg, size_t msg_len);

/** \brief HKDF-Extract: prk = HMAC(salt, ikm).  An empty salt (salt_len 0,
 *  salt may be NULL) means 32 zero bytes, as RFC 5869 says; both give the
 *  same HMAC key.  ikm and the output prk are secret.  prk may overlap the
 *  inputs. */
void fws_hkdf_sha256_extract(uint8_t prk[FWS_SHA256_LEN], const uint8_t *salt, size_t salt_len,
                             const uint8_t *ikm, size_t ikm_len);

/** \brief HKDF-Expand: okm[0..okm_len) = T(1) | T(2) | ... with
 *  T(i) = HMAC(prk, T(i-1) | info | i).  prk is secret (normally 32 bytes
 *  from extract).  Returns 0, or -1 (writing nothing) if okm_len exceeds
 *  FWS_HKDF_SHA256_MAX_LEN.  okm must not overlap prk or info. */
int fws_hkdf_sha256_expand(uint8_t *okm, size_t okm_len, const uint8_t *prk, size_t prk_len,
                           const uint8_t *info, size_t info_len);

/** \brief HKDF (RFC 5869): extract then expand.  Returns 0, or -1 (writing
 *  nothing) if okm_len > 255 * 32.  ikm and okm are secret; salt and info
 *  are public.  okm must not overlap info.  Empty salt/info may be NULL. */
int fws_hkdf_sha256(uint8_t *okm, size_t okm_len, const uint8_t *salt, size_t salt_len,
                    const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len);

#endif
