/* SPDX-License-Identifier: MIT */
/* fwsv's refusals as sentences, in fwseal's words: the verifier returns a
 * status; this says which field, chunk, component or limit it is about,
 * from what the verifier had decoded and the device's policy.  The status
 * name stays at the end, in parentheses, for scripts. */
#ifndef FWSV_EXPLAIN_H
#define FWSV_EXPLAIN_H

#include <stddef.h>
#include <stdint.h>

#include "fws_verify.h"

#define FWSV_UNKNOWN 0xFF

typedef struct {
    const fws_policy *p;
    const fws_manifest *m;          /* decoded manifest, or NULL before it */
    const uint8_t *signed_region;   /* header || manifest bytes as read, or NULL */
    size_t signed_len;
    int component;                  /* the component concerned, or -1 */
    uint64_t chunk_index, payload_offset;   /* install: where the payload stopped */
    int inflate_err;                /* FWS_INFLATE_ERR_* or 0 */
    uint8_t n_signers;              /* signers that counted, or FWSV_UNKNOWN */
    uint8_t n_entries;              /* signature entries in the block, or FWSV_UNKNOWN */
} fwsv_refusal;

/* "SENTENCE (status_name)" into buf. */
void fwsv_explain(const fwsv_refusal *r, int status, char *buf, size_t n);

#endif
