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
 * Memory: 32 bytes per chunk (the midstates, then the hashes in their
 * place), grown by doubling: about 0.8 % of the payload at the default
 * 4096-byte chunks.  Not thread-safe: one thread feeds a chain.
 */
#ifndef FWS_CHUNK_CHAIN_H
#define FWS_CHUNK_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "sha256_host.h"

typedef struct {
    uint32_t chunk_size;  /* C: a multiple of 64, 64..2^31 */
    host_sha256 cur;      /* state over the current chunk's bytes so far */
    uint64_t in_chunk;    /* bytes of the current chunk absorbed */
    uint8_t *mid;         /* 32 bytes per completed chunk */
    uint64_t n_full;      /* completed chunks */
    uint64_t cap;         /* entries allocated in mid */
} chunk_chain;

void chain_init(chunk_chain *c, uint32_t chunk_size);
/* Absorbs payload bytes in order, any split.  Returns 0, or -1 when out
 * of memory (nothing printed). */
int chain_absorb(chunk_chain *c, const uint8_t *data, size_t len);
/* Finishes the chain: *hashes gets H_0..H_{n-1} (n*32 bytes, malloc'ed,
 * the caller frees; NULL when the payload is empty) and *n the chunk
 * count.  The chain is left empty.  Returns 0, or -1 when out of memory. */
int chain_finish(chunk_chain *c, uint8_t **hashes, uint64_t *n);
void chain_free(chunk_chain *c);

#endif
