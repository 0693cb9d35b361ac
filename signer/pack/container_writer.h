/* SPDX-License-Identifier: MIT */
/*
 * Step 6 of the pack data path, the mirror of read/container_reader.h:
 * writes a container (SPEC.md sections 2-6) in order: header, manifest,
 * signature block (every signer signs header and manifest, behind its key
 * id or its delegation record; empty for an unsigned container), key-capsule
 * block (the content key wrapped for every recipient), then the spooled
 * payload with its chunk chain.
 */
#ifndef FWS_CONTAINER_WRITER_H
#define FWS_CONTAINER_WRITER_H

#include <stdint.h>

#include "atomic_file.h"
#include "cert.h"
#include "container_reader.h"
#include "fws_manifest.h"
#include "keyfile.h"
#include "signer.h"
#include "spool.h"

typedef struct {
    fws_signer *signers;           /* 0..FWS_MAX_SIGNATURES (0: unsigned) */
    const fws_cert_record *const *certs;   /* per signer: its delegation, or NULL */
    int n_signers;
    const fws_key *recipients;     /* X25519 public keys or PSKs, 0..FWS_MAX_CAPSULES */
    int n_recipients;
    const uint8_t *content_key;    /* K (SECRET), NULL when n_recipients is 0 */
} container_keys;

/* m holds everything but the payload's fields: this finishes the spool's
 * chain and fills payload length, first chunk hash and (with a content
 * key) the key commitment, then writes the container to out.  Returns an
 * FWS_EXIT_* status (FWS_EXIT_USAGE when the manifest does not fit or the
 * payload is over the encryption limit); messages printed.  tbs_hash, when
 * not NULL, gets the SHA-256 of the signed region (for the signing log). */
int container_write(atomic_file *out, fws_manifest *m, const container_keys *k, spool *payload,
                    uint8_t tbs_hash[FWS_HASH_LEN]);

/* Detached signing (`fwseal sign`, `attach`, `signatures --remove`): the
 * container c (parsed up to its signature block, read from path) is
 * written again with block[0..block_len) (count byte and entries) as its
 * signature block; everything else, the payload included, is copied as it
 * is.  In place and atomic: the new file gets the old one's name only when
 * complete, with the old file's permissions. */
int container_replace_signatures(const char *path, struct container_s *c, const uint8_t *block,
                                 size_t block_len);

#endif
