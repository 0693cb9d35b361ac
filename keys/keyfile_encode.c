/* SPDX-License-Identifier: MIT */
/*
 * Key file records -> text.  The secret is sealed with XChaCha20-Poly1305
 * under a key derived from the passphrase by Argon2id13 with a fresh salt;
 * everything before the ciphertext is associated data, so the public key,
 * id and KDF parameters are bound to the secret.
 */
#include "diag.h"
#include "fws_bytes.h"
#include "keyfile.h"
#include "keyfile_layout.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

void fws_kf_checksum(const char *comment, size_t clen, const uint8_t *body, size_t blen,
                     uint8_t out[KF_CHECKSUM_LEN])
{
    crypto_hash_sha256_state st;
    uint8_t l[2];
    fws_store16_le(l, (uint16_t)clen);
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, l, 2);
    crypto_hash_sha256_update(&st, (const uint8_t *)comment, clen);
    crypto_hash_sha256_update(&st, body, blen);
    crypto_hash_sha256_final(&st, out);
    /* An unprotected secret record went through the state. */
    sodium_memzero(&st, sizeof st);
}

int fws_kf_kdf(uint8_t key[32], const char *pass, size_t plen, const uint8_t salt[KF_SALT_LEN],
               unsigned long long ops, unsigned long long mem)
{
    if (mem > (unsigned long long)SIZE_MAX)
        return -1;
    return crypto_pwhash(key, 32, pass, plen, salt, ops, (size_t)mem,
                         crypto_pwhash_ALG_ARGON2ID13);
}

int fws_key_comment_valid(const char *comment)
{
    size_t i, n = strlen(comment);
    if (n > FWS_KEY_COMMENT_MAX)
        return -1;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)comment[i];
        if (c < 0x20 || c == 0x7f)
            return -1;
    }
    return 0;
}

static void kdf_limits(fws_kdf_strength s, unsigned long long *ops, unsigned long long *mem)
{
    switch (s) {
    case FWS_KDF_MODERATE:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
        break;
    case FWS_KDF_SENSITIVE:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_SENSITIVE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_SENSITIVE;
        break;
    default:
        *ops = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
        *mem = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
        break;
    }
}

int fws_keyfile_encode(const fws_key *key, int secret, const char *comment,
                       const char *passphrase, size_t plen, fws_kdf_strength strength,
                       char *out, size_t *len)
{
    uint8_t rec[KF_SEC_LEN];
    uint8_t k[32];
    char defcomment[96], idhex[2 * FWS_KEYID_LEN + 1];
    size_t rlen = secret ? KF_SEC_LEN : KF_PUB_LEN, clen, off;
    int rc = -1;

    if (!secret && key->type == FWS_KEY_PSK) {
        diag_error("a psk has no public key file");
        return -1;
    }
    if (!comment) {
        fws_key_id_hex(key->id, idhex);
        snprintf(defcomment, sizeof defcomment, "fwseal %s %s key %s",
                 fws_key_type_name(key->type), secret ? "secret" : "public", idhex);
        comment = defcomment;
    }
    if (fws_key_comment_valid(comment)) {
        diag_error("--comment: at most %d bytes, no control characters or newlines",
                  FWS_KEY_COMMENT_MAX);
        return -1;
    }
    clen = strlen(comment);

    memset(rec, 0, sizeof rec);
    memcpy(rec + KF_OFF_MAGIC, KF_MAGIC, 4);
    rec[KF_OFF_VERSION] = KF_VERSION;
    rec[KF_OFF_KIND] = secret ? KF_KIND_SECRET : KF_KIND_PUBLIC;
    rec[KF_OFF_TYPE] = (uint8_t)key->type;
    rec[KF_OFF_PROT] = (secret && passphrase) ? KF_PROT_ARGON2ID_XCHACHA : KF_PROT_NONE;
    memcpy(rec + KF_OFF_ID, key->id, FWS_KEYID_LEN);
    if (key->type != FWS_KEY_PSK)
        memcpy(rec + KF_OFF_PUB, key->pub, 32);

    if (secret) {
        uint8_t seed[32];
        fws_key_seed(key, seed);
        if (passphrase) {
            unsigned long long ops, mem, clen_out;
            kdf_limits(strength, &ops, &mem);
            fws_store64_le(rec + KF_OFF_OPS, ops);
            fws_store64_le(rec + KF_OFF_MEM, mem);
            randombytes_buf(rec + KF_OFF_SALT, KF_SALT_LEN);
            randombytes_buf(rec + KF_OFF_NONCE, KF_NONCE_LEN);
            if (fws_kf_kdf(k, passphrase, plen, rec + KF_OFF_SALT, ops, mem) != 0) {
                diag_error("cannot derive the key from the passphrase (Argon2id needs %llu MiB)",
                          mem >> 20);
                sodium_memzero(seed, sizeof seed);
                goto out;
            }
            /* ciphertext (32) || tag (16) lands at KF_OFF_SECRET..KF_OFF_TAG+16. */
            crypto_aead_xchacha20poly1305_ietf_encrypt(rec + KF_OFF_SECRET, &clen_out, seed, 32,
                                                       rec, KF_OFF_SECRET, NULL,
                                                       rec + KF_OFF_NONCE, k);
        } else {
            memcpy(rec + KF_OFF_SECRET, seed, 32);
        }
        sodium_memzero(seed, sizeof seed);
    }
    fws_kf_checksum(comment, clen, rec, rlen - KF_CHECKSUM_LEN, rec + rlen - KF_CHECKSUM_LEN);

    off = 0;
    memcpy(out + off, KF_LINE_PREFIX, KF_LINE_PREFIX_LEN);
    off += KF_LINE_PREFIX_LEN;
    memcpy(out + off, comment, clen);
    off += clen;
    out[off++] = '\n';
    sodium_bin2base64(out + off, FWS_KEYFILE_TEXT_MAX - off, rec, rlen,
                      sodium_base64_VARIANT_ORIGINAL);
    off += strlen(out + off);
    out[off++] = '\n';
    out[off] = 0;
    *len = off;
    rc = 0;
out:
    sodium_memzero(k, sizeof k);
    sodium_memzero(rec, sizeof rec);
    return rc;
}
