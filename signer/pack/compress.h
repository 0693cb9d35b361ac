/* SPDX-License-Identifier: MIT */
/* Step 2 of the pack data path, one component into the payload: digest the
 * plaintext as it is read (SHA-256, or keyed when encrypted), pad it if
 * asked, compress it with zlib on `jobs` threads
 * (pdeflate.h) or store it at level 0, and append the result to the spool
 * (which encrypts it and feeds the chunk chain).  One streaming pass over
 * the input; the hashing and the spooling run on the calling thread while
 * the workers compress. */
#ifndef FWS_COMPRESS_H
#define FWS_COMPRESS_H

#include <stdint.h>

#include "component_src.h"
#include "spool.h"

typedef struct {
    uint64_t size;          /* plaintext bytes, padding included */
    uint64_t stored_size;   /* bytes appended to the payload */
    uint8_t digest[32];     /* the component digest (SPEC.md section 3.6) */
} compress_result;

/* pad_to: PAD_POW2 for the next power of two. */
#define PAD_POW2 UINT64_MAX

typedef struct {
    int level;                  /* 0: method none (no threads); 1..9: zlib */
    int wbits;                  /* zlib window, 9..15 */
    int jobs;                   /* compressing threads, 1..PDEFLATE_MAX_JOBS */
    const uint8_t *digest_key;  /* DK of an encrypted container, or NULL */
    uint64_t pad_to;            /* 0: no padding; else round the plaintext
                                   (0xFF fill) and the stored zlib stream (zero
                                   fill) up to a multiple of it, or PAD_POW2
                                   (SPEC.md section 3.7) */
    int quiet;                  /* no progress line on a terminal */
} compress_opts;

/* n rounded up as pad_to says; 0 if that overflows 64 bits. */
uint64_t pad_size(uint64_t n, uint64_t pad_to);

/* Component index (manifest order) into the spool.  The output does not
 * depend on jobs. */
int compress_component(fws_component_src *src, const compress_opts *o, uint8_t index, spool *out,
                       compress_result *res);

#endif
