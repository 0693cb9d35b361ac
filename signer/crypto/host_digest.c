/* SPDX-License-Identifier: MIT */
#include "host_digest.h"
#include "host_capsule.h"

#include <sodium.h>

void host_digest_key(uint8_t dk[FWS_KEY_LEN], const uint8_t key[FWS_KEY_LEN])
{
    host_hkdf_sha256(dk, FWS_KEY_LEN, NULL, 0, key, FWS_KEY_LEN,
                     (const uint8_t *)FWS_LABEL_DIGEST_KEY, sizeof FWS_LABEL_DIGEST_KEY - 1);
}

/* HMAC (RFC 2104) with a 32-byte key: H(K ^ opad || H(K ^ ipad || m)). */
void host_digest_init(host_digest *d, const uint8_t *dk, uint8_t index)
{
    uint8_t ipad[64];
    host_sha256_init(&d->inner);
    d->keyed = dk != NULL;
    if (!dk)
        return;
    for (int i = 0; i < 64; i++) {
        uint8_t k = i < FWS_KEY_LEN ? dk[i] : 0;
        ipad[i] = k ^ 0x36;
        d->opad[i] = k ^ 0x5c;
    }
    host_sha256_update(&d->inner, ipad, sizeof ipad);
    host_sha256_update(&d->inner, &index, 1);
    sodium_memzero(ipad, sizeof ipad);
}

void host_digest_update(host_digest *d, const void *data, size_t len)
{
    host_sha256_update(&d->inner, data, len);
}

void host_digest_final(host_digest *d, uint8_t out[FWS_HASH_LEN])
{
    host_sha256_final(&d->inner, out);
    if (d->keyed) {
        host_sha256 outer;
        host_sha256_init(&outer);
        host_sha256_update(&outer, d->opad, sizeof d->opad);
        host_sha256_update(&outer, out, FWS_HASH_LEN);
        host_sha256_final(&outer, out);
        sodium_memzero(&outer, sizeof outer);
    }
    sodium_memzero(d, sizeof *d);
}
