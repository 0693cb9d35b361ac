/* SPDX-License-Identifier: MIT */
/*
 * Device policy and signature policy, shared by install (install.c) and
 * boot (boot.c) so that both take exactly the same decisions on the
 * signed region (SPEC.md section 8, steps 2-5).  Internal to the
 * verifier.
 */
#ifndef FWS_POLICY_CHECK_H
#define FWS_POLICY_CHECK_H

#include "fws_verify.h"

/* FWS_OK, or FWS_E_POLICY if the policy cannot be used (no trusted key,
 * threshold outside 1..n_trusted, too many keys, max_wbits not 0 or
 * 9..15, max_chunk above the format's 2^20, max_size 0), or
 * FWS_E_POLICY_CLASS (class_id NULL). */
int fws_policy_valid(const fws_policy *p);

/* Decodes the header, checks the device's manifest limit.  *manifest_len
 * gets M. */
int fws_policy_check_header(const uint8_t header[FWS_HEADER_LEN], uint32_t *manifest_len);

/* Steps 2-4 on a decoded manifest: chunk size, every zlib component's
 * window and every component's SIZE against the device's limits, then
 * class, then counter floor. */
int fws_policy_check_manifest(const fws_policy *p, const fws_manifest *m);

/* Signature tally: init computes the trusted and root keys' ids
 * (SHA-512 prefix). */
void fws_sig_tally_init(fws_sig_tally *t, const fws_policy *p);
/* 1 if an entry of this type can still count (the threshold is not met,
 * and it is Ed25519, or delegated and the policy has roots): its body must
 * then be read and given to fws_sig_tally_entry; others are skipped. */
int fws_sig_tally_wants(const fws_sig_tally *t, const fws_policy *p, uint8_t type);
/* One entry (type, body already copied into RAM, body_len checked by the
 * entry head decoder), judged over signed[0..signed_len) and the decoded
 * manifest m: an Ed25519 entry by a trusted key with that id, or a
 * delegated entry whose key root_threshold roots certified for m's class
 * at a generation not below the floor.  A key already counted does not
 * count again.  Returns 1 if it counted, else 0 (a bad entry does not
 * reject by itself). */
int fws_sig_tally_entry(fws_sig_tally *t, const fws_policy *p, const fws_manifest *m,
                        uint8_t type, const uint8_t *body, size_t body_len,
                        const uint8_t *signed_region, size_t signed_len);
/* After the block: FWS_OK; FWS_E_KEY_REVOKED, FWS_E_UNTRUSTED or
 * FWS_E_THRESHOLD (fewer signers than the threshold); or
 * FWS_E_KEYGEN_ABOVE_SIGNER (m's MIN_KEY_GENERATION above a certified
 * signer's generation). */
int fws_sig_tally_result(const fws_sig_tally *t, const fws_policy *p, const fws_manifest *m);

/* Fills the measurements from a verified manifest and tally. */
void fws_measurements_fill(fws_measurements *out, const fws_manifest *m,
                           const fws_sig_tally *t);

#endif
