/* SPDX-License-Identifier: MIT */
#include "spec_digest.h"

void spec_digest_key(uint8_t dk[32], const uint8_t key[32])
{
    static const char info[] = "fwseal-v1 digest-key";
    uint8_t prk[32], zero[32] = {0}, one = 1;
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, zero, sizeof zero);   /* empty salt (RFC 5869) */
    crypto_auth_hmacsha256_update(&st, key, 32);
    crypto_auth_hmacsha256_final(&st, prk);
    crypto_auth_hmacsha256_init(&st, prk, sizeof prk);
    crypto_auth_hmacsha256_update(&st, (const uint8_t *)info, sizeof info - 1);
    crypto_auth_hmacsha256_update(&st, &one, 1);
    crypto_auth_hmacsha256_final(&st, dk);
}

void spec_digest_init(spec_digest *d, const uint8_t *dk, uint8_t index)
{
    d->keyed = dk != NULL;
    if (dk) {
        crypto_auth_hmacsha256_init(&d->mac, dk, 32);
        crypto_auth_hmacsha256_update(&d->mac, &index, 1);
    } else {
        crypto_hash_sha256_init(&d->sha);
    }
}

void spec_digest_update(spec_digest *d, const uint8_t *data, size_t len)
{
    if (d->keyed)
        crypto_auth_hmacsha256_update(&d->mac, data, len);
    else
        crypto_hash_sha256_update(&d->sha, data, len);
}

void spec_digest_final(spec_digest *d, uint8_t out[32])
{
    if (d->keyed)
        crypto_auth_hmacsha256_final(&d->mac, out);
    else
        crypto_hash_sha256_final(&d->sha, out);
}

void spec_component_digest(uint8_t out[32], const uint8_t *dk, uint8_t index,
                           const uint8_t *data, size_t len)
{
    spec_digest d;
    spec_digest_init(&d, dk, index);
    spec_digest_update(&d, data, len);
    spec_digest_final(&d, out);
}
