/* SPDX-License-Identifier: MIT */
/*
 * Re-wrapping (`fwseal rewrap`): new recipients for an encrypted
 * container without the signing key and without touching the signed
 * region or the payload (SPEC.md sections 1 and 5).  The content key K
 * comes from the container's capsule for the distribution key, checked
 * against the signed key commitment before it is used; new capsules wrap
 * the same K.
 *
 * Two outputs:
 *
 *   rewrap_write_container()  one container: the original capsules but
 *                             the distribution key's (kept only when
 *                             asked), plus one per new recipient, 1..32;
 *   rewrap_write_fleet()      a directory for a file server or CDN
 *                             (docs/FLEET.md): DIR/head (header,
 *                             manifest, signature block), DIR/payload
 *                             (the stored chunks) and for every device
 *                             the registry selects DIR/capsules/<id> (a
 *                             capsule block with that device's capsule
 *                             alone): head || capsules/<id> || payload
 *                             is the container for that device.
 *
 * The container is read twice: once to check it (structure, K, and with
 * a policy the whole decision of `fwseal verify --key DIST.key`), once to
 * copy it; the copy must have the same header, manifest and signature
 * block (a SHA-256 of them is compared) and its payload is checked
 * against the chunk chain as it is copied, so what is written is exactly
 * what was checked.  Outputs appear complete or not at all.
 */
#ifndef FWS_REWRAP_H
#define FWS_REWRAP_H

#include <stdint.h>

#include "decide.h"
#include "keyfile.h"
#include "registry.h"

typedef struct rewrap rewrap;

/* Opens in_path (a file: it is read twice) with the distribution key's
 * secret (X25519 or PSK) and recovers K.  verify: the decision to take
 * first (its device_key is set to dist here), or NULL for none.
 * FWS_EXIT_REJECT when the container is malformed, not encrypted, has no
 * capsule for dist or one that does not yield the committed key, or does
 * not pass verify; FWS_EXIT_IO when it cannot be read. */
int rewrap_open(rewrap **out, const char *in_path, const fws_key *dist, const policy *verify);
/* The container's class id (what the devices must have). */
const uint8_t *rewrap_class_id(const rewrap *rw);
/* Wipes K. */
void rewrap_close(rewrap *rw);

/* recipients: X25519 public keys or PSKs (secret), loaded from the files
 * names (for messages).  keep_dist: keep the distribution key's capsule.
 * A recipient that already has a capsule is not given a second one.
 * FWS_EXIT_REJECT when the capsules would be more than 32, FWS_EXIT_IO for
 * a small-order recipient key (a bad key file) or an output problem. */
int rewrap_write_container(rewrap *rw, const fws_key *recipients, const char *const *names,
                           int n, int keep_dist, const char *out_path, int force);

typedef struct {
    uint64_t capsules;             /* devices given a capsule */
    uint64_t head_len, payload_len;
} rewrap_fleet_result;

/* The devices f selects (active X25519 devices of the container's class;
 * the caller adds lot and shard) into out_dir, which must not exist, on
 * jobs threads.  Memory does not grow with the number of devices. */
int rewrap_write_fleet(rewrap *rw, registry *r, const reg_filter *f, const char *out_dir,
                       int jobs, rewrap_fleet_result *res);

#endif
