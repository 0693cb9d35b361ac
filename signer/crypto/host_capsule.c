/* SPDX-License-Identifier: MIT */
#include "host_capsule.h"

#include <sodium.h>
#include <string.h>

void host_hkdf_sha256(uint8_t *okm, size_t okm_len, const uint8_t *salt, size_t salt_len,
                      const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len)
{
    uint8_t prk[32], t[32], zero[32] = {0};
    crypto_auth_hmacsha256_state st;
    size_t done = 0;
    uint8_t ctr = 1;

    crypto_auth_hmacsha256_init(&st, salt_len ? salt : zero, salt_len ? salt_len : sizeof zero);
    crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
    crypto_auth_hmacsha256_final(&st, prk);
    while (done < okm_len) {
        size_t n = okm_len - done < 32 ? okm_len - done : 32;
        crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
        if (ctr > 1)
            crypto_auth_hmacsha256_update(&st, t, sizeof t);
        crypto_auth_hmacsha256_update(&st, info, info_len);
        crypto_auth_hmacsha256_update(&st, &ctr, 1);
        crypto_auth_hmacsha256_final(&st, t);
        memcpy(okm + done, t, n);
        done += n;
        ctr++;
    }
    sodium_memzero(prk, sizeof prk);
    sodium_memzero(t, sizeof t);
    sodium_memzero(&st, sizeof st);
}

void host_key_commitment(uint8_t out[FWS_HASH_LEN], const uint8_t key[FWS_KEY_LEN])
{
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)FWS_LABEL_COMMITMENT,
                              sizeof FWS_LABEL_COMMITMENT - 1);
    crypto_hash_sha256_update(&st, key, FWS_KEY_LEN);
    crypto_hash_sha256_final(&st, out);
    sodium_memzero(&st, sizeof st);
}

static void x25519_kek(uint8_t kek[32], const uint8_t shared[32], const uint8_t eph[32],
                       const uint8_t recipient[32])
{
    uint8_t info[sizeof FWS_LABEL_X25519_WRAP - 1 + 64];
    size_t l = sizeof FWS_LABEL_X25519_WRAP - 1;
    memcpy(info, FWS_LABEL_X25519_WRAP, l);
    memcpy(info + l, eph, 32);
    memcpy(info + l + 32, recipient, 32);
    host_hkdf_sha256(kek, 32, NULL, 0, shared, 32, info, sizeof info);
}

static void xor32(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
    for (int i = 0; i < 32; i++)
        out[i] = a[i] ^ b[i];
}

int host_capsule_wrap_x25519(uint8_t body[FWS_CAPSULE_BODY], const uint8_t content_key[32],
                             const uint8_t recipient_pub[32])
{
    uint8_t e[32], shared[32], kek[32], hash[64];
    int rc = 0;
    randombytes_buf(e, sizeof e);
    crypto_hash_sha512(hash, recipient_pub, 32);
    memcpy(body, hash, FWS_KEYID_LEN);
    crypto_scalarmult_base(body + 8, e);
    if (crypto_scalarmult(shared, e, recipient_pub) != 0) {
        rc = -1;
    } else {
        x25519_kek(kek, shared, body + 8, recipient_pub);
        xor32(body + 40, content_key, kek);
    }
    sodium_memzero(e, sizeof e);
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(kek, sizeof kek);
    return rc;
}

int host_capsule_unwrap_x25519(uint8_t content_key[32], const uint8_t body[FWS_CAPSULE_BODY],
                               const uint8_t secret[32], const uint8_t pub[32])
{
    uint8_t shared[32], kek[32];
    int rc = 0;
    if (crypto_scalarmult(shared, secret, body + 8) != 0) {
        rc = -1;
    } else {
        x25519_kek(kek, shared, body + 8, pub);
        xor32(content_key, body + 40, kek);
    }
    sodium_memzero(shared, sizeof shared);
    sodium_memzero(kek, sizeof kek);
    return rc;
}

void host_capsule_wrap_psk(uint8_t body[FWS_CAPSULE_BODY], const uint8_t content_key[32],
                           const uint8_t psk[32], const uint8_t psk_id[FWS_KEYID_LEN])
{
    uint8_t kek[32];
    memcpy(body, psk_id, FWS_KEYID_LEN);
    randombytes_buf(body + 8, 32);
    host_hkdf_sha256(kek, 32, body + 8, 32, psk, 32, (const uint8_t *)FWS_LABEL_PSK_WRAP,
                     sizeof FWS_LABEL_PSK_WRAP - 1);
    xor32(body + 40, content_key, kek);
    sodium_memzero(kek, sizeof kek);
}

void host_capsule_unwrap_psk(uint8_t content_key[32], const uint8_t body[FWS_CAPSULE_BODY],
                             const uint8_t psk[32])
{
    uint8_t kek[32];
    host_hkdf_sha256(kek, 32, body + 8, 32, psk, 32, (const uint8_t *)FWS_LABEL_PSK_WRAP,
                     sizeof FWS_LABEL_PSK_WRAP - 1);
    xor32(content_key, body + 40, kek);
    sodium_memzero(kek, sizeof kek);
}
