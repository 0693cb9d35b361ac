/* SPDX-License-Identifier: MIT */
/*
 * Device side of the key capsules: X25519 or PSK unwrap, then the key
 * commitment.  A capsule is unsigned, so nothing it yields is trusted until
 * the commitment in the signed manifest matches; a tampered or
 * transplanted capsule yields a key whose commitment differs.
 */
#include "capsule_unwrap.h"

#include "fws_bytes.h"
#include "hmac_sha256.h"
#include "sha256.h"
#include "sha512.h"
#include "x25519.h"

#define FWS_LABEL_LEN(s) (sizeof(s) - 1)

void fws_capsule_psk_id(uint8_t id[FWS_KEYID_LEN], const uint8_t psk[FWS_KEY_LEN])
{
    fws_sha512_ctx h;
    uint8_t d[FWS_SHA512_LEN];
    fws_sha512_init(&h);
    fws_sha512_update(&h, FWS_LABEL_PSK_ID, FWS_LABEL_LEN(FWS_LABEL_PSK_ID));
    fws_sha512_update(&h, psk, FWS_KEY_LEN);
    fws_sha512_final(&h, d);   /* wipes h */
    fws_copy(id, d, FWS_KEYID_LEN);
    fws_wipe(d, sizeof d);
}

static void fws_capsule_xor32(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
    uint8_t i;
    for (i = 0; i < 32; i++)
        out[i] = (uint8_t)(a[i] ^ b[i]);
}

int fws_capsule_unwrap_x25519(uint8_t key[FWS_KEY_LEN], const uint8_t body[FWS_CAPSULE_BODY],
                              const uint8_t secret[32], const uint8_t pub[32])
{
    uint8_t z[32], kek[32];
    uint8_t info[FWS_LABEL_LEN(FWS_LABEL_X25519_WRAP) + 64];
    const uint8_t *eph = body + FWS_KEYID_LEN, *wrapped = body + FWS_KEYID_LEN + 32;
    /* -1 when Z is all zero (a small-order E).  No branch on it here: the
     * caller folds it into the accept decision with the commitment check. */
    int rc = fws_x25519(z, secret, eph);
    fws_copy(info, FWS_LABEL_X25519_WRAP, FWS_LABEL_LEN(FWS_LABEL_X25519_WRAP));
    fws_copy(info + FWS_LABEL_LEN(FWS_LABEL_X25519_WRAP), eph, 32);
    fws_copy(info + FWS_LABEL_LEN(FWS_LABEL_X25519_WRAP) + 32, pub, 32);
    fws_hkdf_sha256(kek, sizeof kek, NULL, 0, z, sizeof z, info, sizeof info);
    fws_capsule_xor32(key, wrapped, kek);
    fws_wipe(z, sizeof z);
    fws_wipe(kek, sizeof kek);
    return rc;
}

void fws_capsule_unwrap_psk(uint8_t key[FWS_KEY_LEN], const uint8_t body[FWS_CAPSULE_BODY],
                            const uint8_t psk[FWS_KEY_LEN])
{
    uint8_t kek[32];
    fws_hkdf_sha256(kek, sizeof kek, body + FWS_KEYID_LEN, 32, psk, FWS_KEY_LEN,
                    (const uint8_t *)FWS_LABEL_PSK_WRAP, FWS_LABEL_LEN(FWS_LABEL_PSK_WRAP));
    fws_capsule_xor32(key, body + FWS_KEYID_LEN + 32, kek);
    fws_wipe(kek, sizeof kek);
}

int fws_capsule_commitment_ok(const uint8_t key[FWS_KEY_LEN],
                              const uint8_t commitment[FWS_HASH_LEN])
{
    fws_sha256_ctx h;
    uint8_t d[FWS_HASH_LEN];
    int ok;
    fws_sha256_init(&h);
    fws_sha256_update(&h, FWS_LABEL_COMMITMENT, FWS_LABEL_LEN(FWS_LABEL_COMMITMENT));
    fws_sha256_update(&h, key, FWS_KEY_LEN);
    fws_sha256_final(&h, d);   /* wipes h */
    ok = fws_ct_equal(d, commitment, FWS_HASH_LEN);
    fws_wipe(d, sizeof d);
    return ok;
}
