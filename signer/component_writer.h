/* One component into the payload: hash the plaintext, compress it with
 * zlib (or store it at level 0), append to the spool.  Streaming. */
#ifndef FWS_COMPONENT_WRITER_H
#define FWS_COMPONENT_WRITER_H

#include <stdint.h>

#include "input.h"
#include "payload_spool.h"

typedef struct {
    uint64_t size;          /* plaintext bytes read */
    uint64_t stored_size;   /* bytes appended to the payload */
    uint8_t digest[32];     /* SHA-256 of the plaintext */
} component_result;

/* level 0: method none; 1..9: zlib with 2^wbits window. */
int component_write(fws_component_src *src, int level, int wbits, payload_spool *spool,
                    component_result *res);

#endif
