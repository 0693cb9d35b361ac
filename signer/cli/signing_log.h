/* SPDX-License-Identifier: MIT */
/*
 * The signing log (docs/KEYS.md, "Signing log"): one JSON line per
 * signature that `pack`, `sign` and `attach` put into a container, with
 * the UTC time, the SHA-256 of the signed region, the key id, the backend
 * (file, pkcs11 token, command, attached), the version, counter and class,
 * and the SHA-256 of the previous line: a hash chain, so an edited,
 * removed or reordered record breaks it at that record.
 *
 * Appending takes an exclusive lock (flock) for the whole read-last-line,
 * write, fsync, so two processes never interleave; a record is written
 * with one write().  A log whose last line is torn (no newline, not a
 * record) is reported, never extended.
 */
#ifndef FWS_SIGNING_LOG_H
#define FWS_SIGNING_LOG_H

#include <stdint.h>

#include "fws_manifest.h"
#include "signer.h"

typedef struct {
    const char *command;          /* "pack", "sign", "attach" */
    const char *file;             /* the container */
    const uint8_t *tbs_hash;      /* SHA-256 of the signed region */
    const fws_manifest *m;
} signing_event;

/* The log to write: path if given, else $FWSEAL_LOG, else NULL (none). */
const char *signing_log_path(const char *path);

/* One record per signer (key id and label; backend "attach" for a
 * signature made elsewhere when signer is NULL and key_id is given).
 * FWS_EXIT_OK, or FWS_EXIT_IO with a message (then the caller writes
 * nothing: a signature that cannot be logged is not made). */
int signing_log_append(const char *path, const signing_event *e, const fws_signer *signers,
                       int n_signers, const uint8_t *attached_key_id);

/* `fwseal log verify`: 0 and a summary when the chain holds, 1 with the
 * first broken record named, 3 when the file cannot be read. */
int signing_log_verify(const char *path);

/* `fwseal log find`: the records for a signed region (tbs_hex, 64 hex
 * digits) or a counter, printed as they are; 0 if any, 1 if none. */
int signing_log_find(const char *path, const char *tbs_hex, int has_counter, uint32_t counter);

#endif
