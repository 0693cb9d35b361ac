/* One component into the payload: hash the plaintext as it is read,
 * compress it with zlib on `jobs` threads (signer/parallel_deflate.h) or
 * store it at level 0, and append the result to the spool (which encrypts
 * it and feeds the chunk chain).  One streaming pass over the input; the
 * hashing and the spooling run on the calling thread while the workers
 * compress. */
#ifndef FWS_COMPONENT_WRITER_H
#define FWS_COMPONENT_WRITER_H

#include <stdint.h>

#include "input.h"
#include "payload_spool.h"

typedef struct {
    uint64_t size;          /* plaintext bytes, padding included */
    uint64_t stored_size;   /* bytes appended to the payload */
    uint8_t digest[32];     /* the component digest (SPEC.md section 3.6) */
} component_result;

/* pad_to: PAD_POW2 for the next power of two. */
#define PAD_POW2 UINT64_MAX

typedef struct {
    int level;                  /* 0: method none; 1..9: zlib */
    int wbits;                  /* zlib window, 9..15 */
    int jobs;                   /* compression threads, 1..PDEF_MAX_JOBS */
    const uint8_t *digest_key;  /* DK of an encrypted container, or NULL */
    uint64_t pad_to;            /* 0: no padding; else round the plaintext
                                   (0xFF fill) and the stored zlib stream (zero
                                   fill) up to a multiple of it, or PAD_POW2 */
} component_opts;

/* n rounded up as pad_to says; 0 if that overflows 64 bits. */
uint64_t pad_size(uint64_t n, uint64_t pad_to);

/* Component index (manifest order) into the spool.  The output does not
 * depend on jobs. */
int component_write(fws_component_src *src, const component_opts *o, uint8_t index,
                    payload_spool *spool, component_result *res);

#endif
