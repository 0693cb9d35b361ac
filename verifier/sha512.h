/* SPDX-License-Identifier: MIT */
/*
 * SHA-512 (FIPS 180-4), streaming and one-shot.
 *
 * In fwseal SHA-512 appears only inside Ed25519 (h = SHA-512(R || A || M)
 * over the small signed manifest) and in key ids, so this is written for
 * size: one round loop over the state kept in an array, a 16-word rolling
 * schedule, the padding fed through update.  Cortex-M4 (-Os): 1,686 bytes
 * (640 of them the round constants, 64 the initial value), 111
 * instructions per byte.
 *
 * Constant time: the running time depends only on the input lengths, never
 * on the bytes.
 *
 * Stack (-fstack-usage, -Os, Cortex-M4): 328 bytes below
 * fws_sha512_update/final (the 128-byte schedule and the 64-byte state
 * copy), 544 for the one-shot fws_sha512 (its context on top).  Context:
 * 208 bytes.  On 32-bit targets every 64-bit operation is a pair of 32-bit
 * ones; the compiler needs no helper calls.
 */
#ifndef FWS_SHA512_H
#define FWS_SHA512_H

#include <stddef.h>
#include <stdint.h>

#include "md_block.h"

#define FWS_SHA512_LEN 64        /* digest size, bytes */
#define FWS_SHA512_BLOCK_LEN 128 /* internal block size, bytes */

/** \brief Running hash state.  Caller-owned; opaque.  (The layout
 *  md_block.h shares between the two hashes: head, buffer, state.) */
typedef struct {
    fws_md_head md;      /* bytes hashed, the block function */
    uint8_t buf[FWS_SHA512_BLOCK_LEN];
    uint64_t state[8];
} fws_sha512_ctx;

/** \brief Starts a new hash. */
void fws_sha512_init(fws_sha512_ctx *ctx);

/** \brief Absorbs len bytes of in (in may be NULL when len is 0).  Any split
 *  of a message into update() calls gives the same digest.  Messages up to
 *  2^64 - 1 bytes. */
void fws_sha512_update(fws_sha512_ctx *ctx, const void *in, size_t len);

/** \brief Writes the 64-byte digest to out and wipes the context; init
 *  again to reuse it. */
void fws_sha512_final(fws_sha512_ctx *ctx, uint8_t out[FWS_SHA512_LEN]);

/** \brief One-shot: out = SHA-512(in[0..len)).  out may overlap in. */
void fws_sha512(uint8_t out[FWS_SHA512_LEN], const void *in, size_t len);

#endif
