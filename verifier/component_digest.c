/* SPDX-License-Identifier: MIT */
/* Component digests: plain or keyed (see component_digest.h). */
#include "component_digest.h"

#include "fws_bytes.h"

#define FWS_LABEL_LEN(s) (sizeof(s) - 1)

void fws_digest_key(uint8_t dk[FWS_KEY_LEN], const uint8_t key[FWS_KEY_LEN])
{
    fws_hkdf_sha256(dk, FWS_KEY_LEN, NULL, 0, key, FWS_KEY_LEN,
                    (const uint8_t *)FWS_LABEL_DIGEST_KEY, FWS_LABEL_LEN(FWS_LABEL_DIGEST_KEY));
}

void fws_digest_init(fws_digest_ctx *d, const uint8_t *dk, uint8_t index)
{
    d->keyed = dk != NULL;
    if (dk) {
        fws_hmac_sha256_init(&d->mac, dk, FWS_KEY_LEN);
        fws_hmac_sha256_update(&d->mac, &index, 1);
    } else {
        fws_sha256_init(&d->mac.inner);
    }
}

void fws_digest_update(fws_digest_ctx *d, const uint8_t *data, size_t len)
{
    /* HMAC's update is the inner hash's: one call serves both kinds. */
    fws_sha256_update(&d->mac.inner, data, len);
}

int fws_digest_matches(fws_digest_ctx *d, const uint8_t expect[FWS_HASH_LEN])
{
    uint8_t out[FWS_HASH_LEN];
    int ok;
    if (d->keyed)
        fws_hmac_sha256_final(&d->mac, out);
    else
        fws_sha256_final(&d->mac.inner, out);
    ok = fws_ct_equal(out, expect, FWS_HASH_LEN);
    fws_wipe(out, sizeof out);
    return ok;
}
