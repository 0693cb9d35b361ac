/* SPDX-License-Identifier: MIT */
/*
 * Reads a container from a file or stdin in bounded memory: the signed
 * region and both unsigned blocks into RAM, then one authenticated chunk
 * at a time (SPEC.md sections 2-6).  Each step's failure leaves a message
 * that names the field, the offset and the problem in c->err.
 */
#ifndef FWS_CONTAINER_READER_H
#define FWS_CONTAINER_READER_H

#include <stdint.h>
#include <stdio.h>

#include "fws_manifest.h"

typedef struct {
    uint8_t type;
    uint16_t len;
    uint64_t offset;                    /* of the entry head in the file */
    uint8_t body[FWS_MAX_ENTRY_BODY];
} block_entry;

/* How far parsing got: inspect shows everything before the failed stage. */
typedef enum {
    STAGE_NONE, STAGE_HEADER, STAGE_MANIFEST, STAGE_SIGNATURES, STAGE_CAPSULES, STAGE_PAYLOAD,
    STAGE_END
} parse_stage;

typedef struct container_s {
    const char *path;
    FILE *f;
    uint64_t pos;                       /* bytes consumed from the file */
    int64_t file_size;                  /* -1 when not a regular file */
    parse_stage stage;                  /* last stage completed */
    uint8_t signed_region[FWS_HEADER_LEN + FWS_MAX_MANIFEST];
    size_t signed_len;
    fws_header hdr;
    fws_manifest m;
    uint8_t n_sigs, n_caps;
    block_entry sigs[FWS_MAX_SIGNATURES];
    block_entry caps[FWS_MAX_CAPSULES];
    uint64_t payload_start;
    /* chunk iteration */
    uint64_t n_chunks, next_chunk, payload_done;
    uint8_t expect[FWS_HASH_LEN];
    uint8_t *chunk_buf;                 /* chunk_size + 32 */
    const char *reason;                 /* short machine name of the failure */
    char err[512];
} container;

/* Opens path ('-': stdin).  FWS_EXIT_IO with a message on failure. */
int container_open(container *c, const char *path);
/* Reads from an already open stream (tests use fmemopen); name is for
 * messages.  Closes f in container_close. */
void container_open_stream(container *c, FILE *f, const char *name);
void container_close(container *c);
/* Header, manifest, signature and capsule blocks, and for a regular file
 * its length against the manifest's payload (what inspect calls
 * well-formed).  0, or -1 with c->err. */
int container_parse(container *c);
/* The blocks in steps, without the length check: parses on from the last
 * stage reached up to `upto` (STAGE_MANIFEST, STAGE_SIGNATURES or
 * STAGE_CAPSULES), so that decide() checks class, counter and signatures
 * before it reads the unsigned capsule block, and reports the first
 * failure in stream order (SPEC.md section 8, as the device does). */
int container_parse_to(container *c, parse_stage upto);
/* The next chunk's payload bytes after its hash matched: 1 with data, 0 at
 * the clean end (no trailing bytes), -1 with c->err. */
int container_next_chunk(container *c, const uint8_t **data, size_t *len, uint64_t *offset);
/* The same, giving the chunk as stored (for copying a payload): its
 * payload bytes and, except for the last chunk, the hash of the next one
 * (SPEC.md section 6). */
int container_next_stored_chunk(container *c, const uint8_t **stored, size_t *len);

#endif
