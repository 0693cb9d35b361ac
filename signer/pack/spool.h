/* SPDX-License-Identifier: MIT */
/*
 * The payload on its way into a container (SPEC.md section 6): components'
 * stored bytes are appended, encrypted with ChaCha20 at their payload
 * offset when a content key is set, and spooled to an unlinked temporary
 * file.  The chunk hash chain's forward half runs on the ciphertext as it
 * is spooled (chunk_chain.h keeps each chunk's SHA-256 midstate in a
 * second unlinked file); the backward half then needs no read of the
 * spool, and the chunks are emitted forwards, each followed by the next's
 * hash, in batches of about 1 MiB.  Memory: two 64 KiB buffers whatever the
 * payload size; 2 MiB more while emitting.
 */
#ifndef FWS_SPOOL_H
#define FWS_SPOOL_H

#include <stdint.h>

#include "atomic_file.h"
#include "chunk_chain.h"

#define SPOOL_BUF (64 * 1024)   /* a multiple of 64: encryption stays block-aligned */

typedef struct {
    int fd;                /* the payload, unnamed */
    int chain_fd;          /* the chunk chain's entries, unnamed */
    uint32_t chunk_size;
    uint64_t len;          /* payload bytes appended so far */
    uint64_t n_chunks;     /* after spool_finish */
    int encrypt;
    uint8_t key[32];
    uint8_t *buf;          /* SPOOL_BUF bytes */
    size_t fill;
    chunk_chain chain;     /* over the stored (encrypted) payload */
} spool;

/* A closed spool that spool_close() accepts, for cleanup paths reached
 * before spool_open(). */
void spool_init(spool *s);
/* Creates the spool in directory dir.  key is the content key or NULL;
 * chunk_size is the manifest's C (a multiple of 64, 256..1048576). */
int spool_open(spool *s, const char *dir, const uint8_t *key, uint32_t chunk_size);
int spool_write(spool *s, const uint8_t *data, size_t len);
/* Payload bytes written so far. */
uint64_t spool_len(const spool *s);
/* After the last write: finishes the chain, H_0 into h0 (all zero for an
 * empty payload).  Reads nothing of the payload back. */
int spool_finish(spool *s, uint8_t h0[32]);
/* After spool_finish: writes S_0..S_{n-1}, each chunk followed by the next
 * one's hash, to out. */
int spool_emit(spool *s, atomic_file *out);
void spool_close(spool *s);

#endif
