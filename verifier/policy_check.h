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

/* Signature tally: init computes the trusted keys' ids (SHA-512 prefix). */
void fws_sig_tally_init(fws_sig_tally *t, const fws_policy *p);
/* One Ed25519 entry body (key id 8 || signature 64, already copied into
 * RAM): verified over signed[0..signed_len) against the first trusted key
 * with that id that has not signed yet.  Returns 1 if it counted (then the
 * key, and any duplicate of it in the policy, is marked), else 0. */
int fws_sig_tally_entry(fws_sig_tally *t, const fws_policy *p,
                        const uint8_t body[FWS_SIG_ED25519_BODY], const uint8_t *signed_region,
                        size_t signed_len);
/* After the block: FWS_OK, FWS_E_UNTRUSTED (no trusted signer) or
 * FWS_E_THRESHOLD (some, fewer than the threshold). */
int fws_sig_tally_result(const fws_sig_tally *t, const fws_policy *p);

/* Fills the measurements from a verified manifest and tally. */
void fws_measurements_fill(fws_measurements *out, const fws_manifest *m,
                           const fws_sig_tally *t);

#endif
