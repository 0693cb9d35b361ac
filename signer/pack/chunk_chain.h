/* SPDX-License-Identifier: MIT */
/*
 * The payload's chunk hash chain (SPEC.md section 6), computed while the
 * payload streams forward and finished without reading it again.
 *
 *     S_{n-1} = D_{n-1},  S_i = D_i || H_{i+1},  H_i = SHA-256(S_i)
 *
 * H_i needs H_{i+1}, so the chain is inherently computed backwards.  But
 * every full chunk D_i is a whole number of 64-byte SHA-256 blocks (C is a
 * multiple of 64), so the hash state after D_i (its 32-byte midstate) can
 * be kept as the payload goes by; the backward pass then only absorbs the
 * 32-byte H_{i+1} and the padding into each midstate: one compression per
 * chunk, and the payload is never read back for hashing.
 *
 * Memory: the midstates go to a caller-provided file (32 bytes per chunk:
 * 0.8 % of the payload at the default 4096-byte chunks) through a 64 KiB
 * buffer, and the backward pass rewrites them there as the hashes, block by
 * block from the end, so memory stays at 64 KiB whatever the payload size.
 * Not thread-safe: one thread feeds a chain.
 */
#ifndef FWS_CHUNK_CHAIN_H
#define FWS_CHUNK_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "host_sha256.h"

#define CHUNK_CHAIN_BUF_ENTRIES 2048   /* 32-byte entries held before a write: 64 KiB */

typedef struct {
    uint32_t chunk_size;  /* C: a multiple of 64, 64..2^31 */
    host_sha256 cur;      /* state over the current chunk's bytes so far */
    uint64_t in_chunk;    /* bytes of the current chunk absorbed */
    int fd;               /* entry i at offset 32*i */
    uint8_t *buf;         /* entries n_written.. not yet in the file */
    uint64_t n_full;      /* completed chunks */
    uint64_t n_written;   /* entries in the file */
} chunk_chain;

/* fd: an empty file open for reading and writing, owned by the caller. */
void chunk_chain_init(chunk_chain *c, uint32_t chunk_size, int fd);
/* Absorbs payload bytes in order, any split.  Returns 0, or -1 when the
 * file cannot be written (errno; nothing printed). */
int chunk_chain_absorb(chunk_chain *c, const uint8_t *data, size_t len);
/* Finishes the chain: the file then holds H_0..H_{n-1}; *n gets the chunk
 * count and h0 gets H_0 (all zero when the payload is empty).  Returns 0,
 * or -1 (errno). */
int chunk_chain_finish(chunk_chain *c, uint8_t h0[32], uint64_t *n);
/* After chunk_chain_finish: H_first..H_{first+count-1} into out.  0 or -1 (errno). */
int chunk_chain_hashes(const chunk_chain *c, uint64_t first, uint64_t count, uint8_t *out);
void chunk_chain_free(chunk_chain *c);

#endif
