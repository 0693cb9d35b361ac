/* SPDX-License-Identifier: MIT */
/* Signature entries as the host reads them (format/SPEC.md section 4):
 * which key an entry names, its delegation record. */
#ifndef FWS_SIG_ENTRY_H
#define FWS_SIG_ENTRY_H

#include "container_reader.h"

/* The signing key's id: a direct entry's key id, or SHA-512 of a delegated
 * entry's subject key.  0, or -1 for an entry of another type. */
int sig_entry_key_id(const block_entry *e, uint8_t id[FWS_KEYID_LEN]);

/* A delegated entry's record and the subject's signature over the signed
 * region (the head decoder already fixed the layout).  0, or -1. */
int sig_entry_delegation(const block_entry *e, fws_cert *c, const uint8_t **sig);

/* The signature block of c's entries, plus (entry, entry_len) when not
 * NULL, into out (room for 1 + 8 entries of the largest kind); returns its
 * length. */
size_t sig_block_build(const container *c, const uint8_t *entry, size_t entry_len, uint8_t *out);
#define SIG_BLOCK_MAX (1 + FWS_MAX_SIGNATURES * (FWS_ENTRY_HEAD_LEN + FWS_MAX_ENTRY_BODY))

#endif
