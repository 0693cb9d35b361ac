/* Step 2 of the pack data path, one component into the payload: hash the
 * plaintext as it is read, compress it with zlib on `jobs` threads
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
    uint64_t size;          /* plaintext bytes read */
    uint64_t stored_size;   /* bytes appended to the payload */
    uint8_t digest[32];     /* SHA-256 of the plaintext */
} compress_result;

/* level 0: method none (no threads); 1..9: zlib with 2^wbits window,
 * compressed on jobs (1..PDEFLATE_MAX_JOBS) threads; the output does not
 * depend on jobs. */
int compress_component(fws_component_src *src, int level, int wbits, int jobs, spool *out,
                       compress_result *res);

#endif
