/* SPDX-License-Identifier: MIT */
/* What `tbs`, `sign`, `attach` and `signatures` share: opening a container
 * up to its signature block, and the rules for a new entry. */
#ifndef FWS_DETACHED_H
#define FWS_DETACHED_H

#include "container_reader.h"

/* Opens path and parses header, manifest and signature block.  An
 * FWS_EXIT_* status, the problem printed. */
int detached_open(const char *cmd, const char *path, container *c);

/* A new signature by the key with this id may be added: the block is not
 * full and the key has not signed (directly or through a delegation).
 * FWS_EXIT_OK, or FWS_EXIT_USAGE with a message naming who. */
int detached_may_add(const container *c, const uint8_t id[FWS_KEYID_LEN], const char *who);

#endif
