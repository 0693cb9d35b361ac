/* SPDX-License-Identifier: MIT */
/*
 * The pack data path from end to end, as `fwseal pack` runs it: input
 * readers (input.h) → compression and plaintext digest (compress.h) →
 * encryption and chunk chain (spool.h) → manifest, signatures, capsules
 * and payload (container_writer.h), into a file that gets its name only
 * when complete (atomic_file.h).  Memory stays bounded whatever the input
 * size.
 */
#ifndef FWS_PACK_H
#define FWS_PACK_H

#include <stdint.h>

#include "cert.h"
#include "flash_output.h"
#include "fws_manifest.h"
#include "input.h"
#include "keyfile.h"
#include "signer.h"

typedef struct {
    const char *output;            /* the container; "-": standard output */
    char *const *inputs;           /* [NAME=]FILE[@ADDRESS] specs (input.h) */
    int n_inputs;
    fws_input_opts in_opts;
    int level;                     /* 0 (stored) .. 9 */
    int wbits;                     /* zlib window, 9..15 */
    int jobs;                      /* compressing threads, 1..PDEFLATE_MAX_JOBS */
    uint64_t pad_to;               /* size padding (compress.h), 0: none */
    fws_signer *signers;           /* 0 (an unsigned container) .. FWS_MAX_SIGNATURES */
    const fws_cert_record *const *certs;   /* per signer: its delegation, or NULL */
    int n_signers;
    const fws_key *recipients;     /* X25519 public keys or PSKs; none: unencrypted */
    int n_recipients;
    /* Called once the container is complete, before it gets its name (the
     * signing log): nonzero (an FWS_EXIT_* status) and nothing is written. */
    int (*before_commit)(void *user, const fws_manifest *m, const uint8_t tbs_hash[FWS_HASH_LEN]);
    void *before_commit_user;
    int force;                     /* replace an existing output */
    int quiet;                     /* no progress line on a terminal */
    flash_output_opts flash;       /* FLASH_FORMAT_FWS: the container itself */
} pack_job;

typedef struct {
    char name[FWS_MAX_NAME + 1];
    uint64_t size, stored_size;
    int has_address;
    uint64_t address;
} pack_component;

typedef struct {
    int n_components;
    pack_component comp[FWS_MAX_COMPONENTS];
    uint64_t payload_len;          /* stored payload bytes */
    uint8_t tbs_hash[FWS_HASH_LEN];   /* SHA-256 of the signed region */
    uint64_t container_len;        /* the container's bytes (0 on standard output) */
    uint64_t output_len;           /* bytes written: the container, or its Intel
                                      HEX / padded binary form (0 on standard output) */
} pack_result;

/* Packs job's inputs into job->output.  m holds the caller's part of the
 * manifest (version, counter, class id, timestamp, chunk size, META); the
 * components, the payload and the encryption fields are filled here.  A
 * fresh random content key encrypts the payload when there are recipients
 * (always random: the payload's fixed nonce is safe only because no key
 * is used twice, SPEC.md section 6), and keys the component digests.
 * An existing output is replaced only with job->force.  With job->flash
 * asking for Intel HEX or a raw binary, the container is made in a
 * temporary file first and written out in that form (flash_output.h).
 * Returns an FWS_EXIT_* status, messages printed; on failure nothing is
 * left under the output's name. */
int pack_container(const pack_job *job, fws_manifest *m, pack_result *res);

#endif
