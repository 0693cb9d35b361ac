/* SPDX-License-Identifier: MIT */
/*
 * Keys in memory: type names, key ids, generation from a seed, wiping.
 */
#include "keyfile.h"

#include <sodium.h>
#include <string.h>

const char *fws_key_type_name(fws_key_type t)
{
    switch (t) {
    case FWS_KEY_ED25519:
        return "ed25519";
    case FWS_KEY_X25519:
        return "x25519";
    case FWS_KEY_PSK:
        return "psk";
    }
    return "unknown";
}

int fws_key_type_parse(const char *s, fws_key_type *t)
{
    if (!strcmp(s, "ed25519"))
        *t = FWS_KEY_ED25519;
    else if (!strcmp(s, "x25519"))
        *t = FWS_KEY_X25519;
    else if (!strcmp(s, "psk"))
        *t = FWS_KEY_PSK;
    else
        return -1;
    return 0;
}

int fws_kdf_strength_parse(const char *s, fws_kdf_strength *out)
{
    if (!strcmp(s, "interactive"))
        *out = FWS_KDF_INTERACTIVE;
    else if (!strcmp(s, "moderate"))
        *out = FWS_KDF_MODERATE;
    else if (!strcmp(s, "sensitive"))
        *out = FWS_KDF_SENSITIVE;
    else
        return -1;
    return 0;
}

void fws_key_compute_id(fws_key_type t, const uint8_t *pub_or_psk, uint8_t id[FWS_KEYID_LEN])
{
    uint8_t h[crypto_hash_sha512_BYTES];
    crypto_hash_sha512_state st;

    crypto_hash_sha512_init(&st);
    if (t == FWS_KEY_PSK)
        crypto_hash_sha512_update(&st, (const uint8_t *)FWS_LABEL_PSK_ID,
                                  sizeof FWS_LABEL_PSK_ID - 1);
    crypto_hash_sha512_update(&st, pub_or_psk, 32);
    crypto_hash_sha512_final(&st, h);
    memcpy(id, h, FWS_KEYID_LEN);
    /* For a PSK the hash state saw the secret; neither is secret after
     * hashing, but do not leave it lying around. */
    sodium_memzero(&st, sizeof st);
    sodium_memzero(h, sizeof h);
}

void fws_key_id_hex(const uint8_t id[FWS_KEYID_LEN], char out[2 * FWS_KEYID_LEN + 1])
{
    sodium_bin2hex(out, 2 * FWS_KEYID_LEN + 1, id, FWS_KEYID_LEN);
}

void fws_key_wipe(fws_key *key)
{
    sodium_memzero(key, sizeof *key);
}

int fws_key_from_seed(fws_key_type t, const uint8_t seed[32], fws_key *key)
{
    fws_key_wipe(key);
    key->type = t;
    key->has_secret = 1;
    switch (t) {
    case FWS_KEY_ED25519:
        /* secret = seed || pk, the libsodium layout. */
        if (crypto_sign_seed_keypair(key->pub, key->secret, seed) != 0)
            goto fail;
        break;
    case FWS_KEY_X25519:
        memcpy(key->secret, seed, 32);
        if (crypto_scalarmult_base(key->pub, key->secret) != 0)
            goto fail;
        break;
    case FWS_KEY_PSK:
        memcpy(key->secret, seed, 32);
        fws_key_compute_id(t, key->secret, key->id);
        return 0;
    default:
        goto fail;
    }
    fws_key_compute_id(t, key->pub, key->id);
    return 0;
fail:
    fws_key_wipe(key);
    return -1;
}

int fws_key_generate(fws_key_type t, fws_key *key)
{
    uint8_t seed[32];
    int rc;
    randombytes_buf(seed, sizeof seed);
    rc = fws_key_from_seed(t, seed, key);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

void fws_key_seed(const fws_key *key, uint8_t out[32])
{
    /* ed25519: the first half of seed||pk; x25519/psk: the 32 bytes. */
    memcpy(out, key->secret, 32);
}
