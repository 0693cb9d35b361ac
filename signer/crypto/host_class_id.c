/* SPDX-License-Identifier: MIT */
#include "host_class_id.h"

#include <sodium.h>
#include <string.h>

void host_class_id(const char *arg, uint8_t out[FWS_CLASS_LEN])
{
    uint8_t h[32];
    size_t bin_len;
    crypto_hash_sha256_state st;
    if (strlen(arg) == 2 * FWS_CLASS_LEN &&
        sodium_hex2bin(out, FWS_CLASS_LEN, arg, strlen(arg), NULL, &bin_len, NULL) == 0 &&
        bin_len == FWS_CLASS_LEN)
        return;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)FWS_LABEL_CLASS, sizeof FWS_LABEL_CLASS - 1);
    crypto_hash_sha256_update(&st, (const uint8_t *)arg, strlen(arg));
    crypto_hash_sha256_final(&st, h);
    memcpy(out, h, FWS_CLASS_LEN);
}
