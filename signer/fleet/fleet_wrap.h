/* SPDX-License-Identifier: MIT */
/*
 * The per-device capsules of `fwseal rewrap --out-dir`, in parallel: the
 * calling thread reads devices from the registry in batches and hands
 * them to worker threads, each of which makes a device's X25519 capsule
 * (a fresh ephemeral key, X25519 and HKDF-SHA256: SPEC.md section 5) and
 * writes it as the file <id> in a directory: a capsule block of one
 * entry, FLEET_CAPSULE_FILE_LEN bytes.  A bounded number of batches is in
 * flight, so memory does not grow with the fleet; files are written as
 * they are made.
 */
#ifndef FWS_FLEET_WRAP_H
#define FWS_FLEET_WRAP_H

#include <stdint.h>

#include "fws_format.h"
#include "registry.h"

/* count (1) | type (1) | body_len (2) | body (72) */
#define FLEET_CAPSULE_FILE_LEN (1 + FWS_ENTRY_HEAD_LEN + FWS_CAPSULE_BODY)
#define FLEET_WRAP_MAX_JOBS 64

/* One device's capsule block: K wrapped for the X25519 public key pub.
 * 0, or -1 for a small-order key. */
int fleet_capsule_block(uint8_t out[FLEET_CAPSULE_FILE_LEN], const uint8_t key[FWS_KEY_LEN],
                        const uint8_t pub[32]);

/* Writes a capsule file into dir_fd for every device it yields, on jobs
 * threads (clamped to 1..FLEET_WRAP_MAX_JOBS; `fwseal rewrap --jobs`
 * allows 1..32); *written counts them.  key is K
 * (SECRET).  dir_name names dir_fd in messages.  FWS_EXIT_* (messages
 * printed); on failure the caller discards the directory. */
int fleet_wrap(reg_iter *it, int dir_fd, const char *dir_name, const uint8_t key[FWS_KEY_LEN],
               int jobs, uint64_t *written);

#endif
