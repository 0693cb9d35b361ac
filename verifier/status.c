/* SPDX-License-Identifier: MIT */
/* Names of the verifier's results, for logs and for `fwsv`.  The format
 * errors keep the format decoder's names; the verdicts shared with the
 * host tool use the host's reason names (`fwseal verify --json`). */
#include "fws_verify.h"

const char *fws_status_name(int status)
{
    static const char *const names[FWS_STATUS_END - FWS_FORMAT_ERRORS] = {
        "manifest_above_device_limit", /* FWS_E_LIMIT_MANIFEST */
        "chunk_above_device_limit",    /* FWS_E_LIMIT_CHUNK */
        "window_above_device_limit",   /* FWS_E_LIMIT_WINDOW */
        "wrong_class",                 /* FWS_E_WRONG_CLASS */
        "rollback",                    /* FWS_E_ROLLBACK */
        "untrusted",                   /* FWS_E_UNTRUSTED */
        "threshold",                   /* FWS_E_THRESHOLD */
        "no_capsule",                  /* FWS_E_NO_CAPSULE */
        "key_commitment_mismatch",     /* FWS_E_KEY_COMMITMENT */
        "no_device_key",               /* FWS_E_NO_KEY */
        "chunk_hash_mismatch",         /* FWS_E_CHUNK_HASH */
        "inflate_error",               /* FWS_E_INFLATE */
        "size_mismatch",               /* FWS_E_SIZE */
        "digest_mismatch",             /* FWS_E_DIGEST */
        "sink_error",                  /* FWS_E_SINK */
        "read_error",                  /* FWS_E_READ */
        "work_area_too_small",         /* FWS_E_BUFFER */
        "bad_api_state",               /* FWS_E_STATE */
        "bad_policy",                  /* FWS_E_POLICY */
        "policy_without_class",        /* FWS_E_POLICY_CLASS */
        "size_above_device_limit",     /* FWS_E_LIMIT_SIZE */
        "revoked_key",                 /* FWS_E_KEY_REVOKED */
        "min_key_generation_above_signer", /* FWS_E_KEYGEN_ABOVE_SIGNER */
    };
    if (status >= 0 && status < FWS_FORMAT_ERRORS)
        return fws_format_err_name(status);
    if (status >= FWS_FORMAT_ERRORS && status < FWS_STATUS_END)
        return names[status - FWS_FORMAT_ERRORS];
    return "unknown_error";
}
