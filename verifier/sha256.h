/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4), streaming and one-shot.
 *
 * Boot-time hashing of the payload dominates boot time, so this is the
 * verifier's workhorse: the message schedule is expanded into all 64
 * words first and the rounds run FWS_SHA256_UNROLL (2 or 4) per turn with
 * the variables renamed, so they stay in registers.  Cortex-M4 (-Os,
 * `make bench-device`): about 49 instructions per byte with 2, 42 with 4
 * (the rolled loop they replaced: 69.7); code in `make size`.
 *
 * Constant time: the running time depends only on the input lengths, never
 * on the bytes, so the same code hashes secrets (HMAC/HKDF keys); the
 * schedule words are cleared as they are used.
 *
 * Stack (-fstack-usage, -Os, Cortex-M4): 392 bytes below
 * fws_sha256_update/final (the 256-byte schedule plus saved registers),
 * 512 for the one-shot fws_sha256.  Context: 112 bytes (4-byte pointers).
 */
#ifndef FWS_SHA256_H
#define FWS_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "md_block.h"

#include "fws_config.h" /* may set FWS_SHA256_UNROLL for the whole build */

/* Rounds per turn of the compression loop: 2 (the default) or 4.  4 costs
 * 128 bytes more code on Cortex-M4 for about 14% more speed (42.2 instead
 * of 49 instructions per byte): the time of a boot check of a large image
 * is nearly all SHA-256. */
#ifndef FWS_SHA256_UNROLL
#define FWS_SHA256_UNROLL 2
#endif

#define FWS_SHA256_LEN 32       /* digest size, bytes */
#define FWS_SHA256_BLOCK_LEN 64 /* internal block size, bytes */

/** \brief Running hash state.  Caller-owned; opaque.  (The layout
 *  md_block.h shares between the two hashes: head, buffer, state.) */
typedef struct {
    fws_md_head md;      /* bytes hashed, the block function */
    uint8_t buf[FWS_SHA256_BLOCK_LEN];
    uint32_t state[8];
} fws_sha256_ctx;

/** \brief Starts a new hash. */
void fws_sha256_init(fws_sha256_ctx *ctx);

/** \brief Absorbs len bytes of in (in may be NULL when len is 0).  Any split
 *  of a message into update() calls gives the same digest.  Messages up to
 *  2^61 - 1 bytes. */
void fws_sha256_update(fws_sha256_ctx *ctx, const void *in, size_t len);

/** \brief Writes the 32-byte digest to out and wipes the context (it may
 *  hold secret material when hashing keys); init again to reuse it. */
void fws_sha256_final(fws_sha256_ctx *ctx, uint8_t out[FWS_SHA256_LEN]);

/** \brief One-shot: out = SHA-256(in[0..len)).  out may overlap in. */
void fws_sha256(uint8_t out[FWS_SHA256_LEN], const void *in, size_t len);

#endif
