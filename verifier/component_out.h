/* SPDX-License-Identifier: MIT */
/*
 * The last step of install: authenticated (and decrypted) payload bytes
 * are cut at the components' stored extents, inflated when the component
 * is compressed, counted, hashed and handed to the sink; at each
 * component's end its size and digest are checked (SPEC.md section 8,
 * step 8).  Internal to the verifier (install.c).
 */
#ifndef FWS_COMPONENT_OUT_H
#define FWS_COMPONENT_OUT_H

#include "fws_verify.h"

/* Starts routing at component 0.  digest_key: the 32-byte digest key of
 * an encrypted container (kept by the caller for the whole payload), or
 * NULL for plain SHA-256 digests. */
void fws_router_init(fws_router *r, const uint8_t *digest_key);

/* Routes the next len payload bytes (len may be 0: components of 0 stored
 * bytes that come next are then announced and finished).  window: the
 * work area's inflate window (2^max_wbits bytes; the policy check made
 * sure every zlib component fits).  Returns FWS_OK, or FWS_E_INFLATE,
 * FWS_E_SIZE (more plaintext than SIZE: stops at once, or less at the
 * component's end), FWS_E_DIGEST, FWS_E_SINK.  FWS_E_INFLATE also for a
 * non-zero byte after a zlib stream's end. */
int fws_router_push(fws_router *r, const fws_manifest *m, const fws_sink *s, uint8_t *window,
                    const uint8_t *buf, size_t len);

/* 1 once every component has been finished (size and digest checked). */
int fws_router_done(const fws_router *r, const fws_manifest *m);

#endif
