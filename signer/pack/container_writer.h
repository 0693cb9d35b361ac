/* SPDX-License-Identifier: MIT */
/*
 * Step 6 of the pack data path, the mirror of read/container_reader.h:
 * writes a container (SPEC.md sections 2-6) in order: header, manifest,
 * signature block (every signer signs header and manifest), key-capsule
 * block (the content key wrapped for every recipient), then the spooled
 * payload with its chunk chain.
 */
#ifndef FWS_CONTAINER_WRITER_H
#define FWS_CONTAINER_WRITER_H

#include <stdint.h>

#include "atomic_file.h"
#include "fws_manifest.h"
#include "keyfile.h"
#include "spool.h"

typedef struct {
    const fws_key *signers;        /* Ed25519 secret keys, 1..FWS_MAX_SIGNATURES */
    int n_signers;
    const fws_key *recipients;     /* X25519 public keys or PSKs, 0..FWS_MAX_CAPSULES */
    int n_recipients;
    const uint8_t *content_key;    /* K (SECRET), NULL when n_recipients is 0 */
} container_keys;

/* m holds everything but the payload's fields: this finishes the spool's
 * chain and fills payload length, first chunk hash and (with a content
 * key) the key commitment, then writes the container to out.  Returns an
 * FWS_EXIT_* status (FWS_EXIT_USAGE when the manifest does not fit or the
 * payload is over the encryption limit); messages printed. */
int container_write(atomic_file *out, fws_manifest *m, const container_keys *k, spool *payload);

#endif
