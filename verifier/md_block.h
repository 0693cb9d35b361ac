/* SPDX-License-Identifier: MIT */
/*
 * The block buffering and padding SHA-256 and SHA-512 share (the
 * Merkle-Damgard construction of FIPS 180-4, 5.1): bytes are gathered into
 * whole blocks for the hash's block function, and the message is ended by
 * 0x80, zeros and its length in bits.  Written once for both hashes, which
 * a boot check links together.
 *
 * A hash context starts with an fws_md_head, then holds the block buffer
 * (block_len bytes) and then the hash's state: the functions below take
 * the whole context and find both at those offsets (sha256.c and sha512.c
 * check them at compile time).
 *
 * Constant time: what runs depends only on the lengths.
 */
#ifndef FWS_MD_BLOCK_H
#define FWS_MD_BLOCK_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t count;      /* bytes hashed so far; count % block_len wait in the buffer */
    void (*compress)(void *state, const uint8_t *block); /* absorbs one block */
    uint32_t block_len;  /* 64 or 128 */
} fws_md_head;

/* Where a context's buffer and state are. */
#define FWS_MD_BUF(ctx) ((uint8_t *)(ctx) + sizeof(fws_md_head))
#define FWS_MD_STATE(ctx) (FWS_MD_BUF(ctx) + ((fws_md_head *)(ctx))->block_len)

/** \brief Absorbs len bytes of in (in may be NULL when len is 0) into ctx,
 *  a hash context. */
void fws_md_update(void *ctx, const void *in, size_t len);

/** \brief The padding: 0x80, zeros, then the message length in bits as a
 *  len_bytes-byte big-endian number (8 for SHA-256, 16 for SHA-512); the
 *  state then holds the digest. */
void fws_md_pad(void *ctx, unsigned len_bytes);

#endif
