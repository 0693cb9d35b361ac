/* SPDX-License-Identifier: MIT */
/*
 * HMAC-SHA256 (RFC 2104) and HKDF-SHA256 (RFC 5869).  See hmac_sha256.h.
 *
 * HMAC(K, m) = H((K0 ^ opad) | H((K0 ^ ipad) | m)), where K0 is the key
 * zero-padded to the 64-byte block (or its digest, when longer).  Both pad
 * blocks are hashed at init, so the context carries two running SHA-256
 * states and no copy of the key.
 */
#include "hmac_sha256.h"

#include "fws_bytes.h"

void fws_hmac_sha256_init(fws_hmac_sha256_ctx *ctx, const uint8_t *key, size_t key_len)
{
    uint8_t pad[FWS_SHA256_BLOCK_LEN];
    size_t i;

    /* The only branch is on key_len, which is public. */
    fws_zero(pad, sizeof pad);
    if (key_len > sizeof pad)
        fws_sha256(pad, key, key_len);
    else
        fws_copy(pad, key, key_len);
    for (i = 0; i < sizeof pad; i++)
        pad[i] ^= 0x36;
    fws_sha256_init(&ctx->inner);
    fws_sha256_update(&ctx->inner, pad, sizeof pad);
    for (i = 0; i < sizeof pad; i++)
        pad[i] ^= 0x36 ^ 0x5c; /* ipad -> opad */
    fws_sha256_init(&ctx->outer);
    fws_sha256_update(&ctx->outer, pad, sizeof pad);
    fws_wipe(pad, sizeof pad);
}

void fws_hmac_sha256_update(fws_hmac_sha256_ctx *ctx, const void *msg, size_t len)
{
    fws_sha256_update(&ctx->inner, msg, len);
}

void fws_hmac_sha256_final(fws_hmac_sha256_ctx *ctx, uint8_t out[FWS_HMAC_SHA256_LEN])
{
    uint8_t inner[FWS_SHA256_LEN];

    fws_sha256_final(&ctx->inner, inner); /* wipes ctx->inner */
    fws_sha256_update(&ctx->outer, inner, sizeof inner);
    fws_sha256_final(&ctx->outer, out); /* wipes ctx->outer */
    fws_wipe(inner, sizeof inner);
}

void fws_hmac_sha256(uint8_t out[FWS_HMAC_SHA256_LEN], const uint8_t *key, size_t key_len,
                     const void *msg, size_t msg_len)
{
    fws_hmac_sha256_ctx ctx;
    fws_hmac_sha256_init(&ctx, key, key_len);
    fws_hmac_sha256_update(&ctx, msg, msg_len);
    fws_hmac_sha256_final(&ctx, out);
}

void fws_hkdf_sha256_extract(uint8_t prk[FWS_SHA256_LEN], const uint8_t *salt, size_t salt_len,
                             const uint8_t *ikm, size_t ikm_len)
{
    /* RFC 5869 replaces an absent salt by 32 zero bytes; HMAC zero-pads its
     * key to 64 bytes anyway, so the empty key is the same key. */
    fws_hmac_sha256(prk, salt, salt_len, ikm, ikm_len);
}

int fws_hkdf_sha256_expand(uint8_t *okm, size_t okm_len, const uint8_t *prk, size_t prk_len,
                           const uint8_t *info, size_t info_len)
{
    fws_hmac_sha256_ctx ctx;
    uint8_t t[FWS_SHA256_LEN];
    uint8_t counter = 1;
    size_t n;

    if (okm_len > FWS_HKDF_SHA256_MAX_LEN)
        return -1;
    /* Re-keying per block costs two compressions per 32 output bytes; a
     * keyed template context would save them for 208 more bytes of stack,
     * and fwseal derives at most a few blocks. */
    for (; okm_len > 0; okm += n, okm_len -= n, counter++) {
        fws_hmac_sha256_init(&ctx, prk, prk_len);
        if (counter > 1) /* T(0) is empty */
            fws_hmac_sha256_update(&ctx, t, sizeof t);
        fws_hmac_sha256_update(&ctx, info, info_len);
        fws_hmac_sha256_update(&ctx, &counter, 1);
        fws_hmac_sha256_final(&ctx, t);
        n = okm_len < sizeof t ? okm_len : sizeof t;
        fws_copy(okm, t, n);
    }
    fws_wipe(t, sizeof t);
    return 0;
}

int fws_hkdf_sha256(uint8_t *okm, size_t okm_len, const uint8_t *salt, size_t salt_len,
                    const uint8_t *ikm, size_t ikm_len, const uint8_t *info, size_t info_len)
{
    uint8_t prk[FWS_SHA256_LEN];
    int r;

    if (okm_len > FWS_HKDF_SHA256_MAX_LEN)
        return -1;
    fws_hkdf_sha256_extract(prk, salt, salt_len, ikm, ikm_len);
    r = fws_hkdf_sha256_expand(okm, okm_len, prk, sizeof prk, info, info_len);
    fws_wipe(prk, sizeof prk);
    return r;
}
