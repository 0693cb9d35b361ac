/* SPDX-License-Identifier: MIT */
/*
 * The key-file reader, fws_keyfile_decode(), on arbitrary text.
 *
 * Input: mode byte, then the file's text.  Mode bits:
 *   0x01  want_secret (decrypt a protected .key: the passphrase comes from
 *         the environment variable FWS_FUZZ_PASSPHRASE, set here, so the
 *         terminal is never asked);
 *   0x02  repair the record's checksum (decode line 2, recompute the
 *         SHA-256 over the comment and the record, re-encode), so that
 *         mutations of the record reach the checks behind the checksum;
 *   0x04  with 0x02: also set a protected record's Argon2id cost to the
 *         minimum (the AEAD tag then fails: "wrong passphrase").
 * A repaired record whose Argon2id cost is above the seeds' (64 MiB, 2
 * passes) is decoded without want_secret, to keep runs fast.
 *
 * On success: the key is consistent (id from the public key, public key
 * from the secret), and encoding it again (unencrypted) and decoding the
 * result gives the same key.
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fuzz_common.h"
#include "fws_bytes.h"
#include "keyfile.h"
#include "keyfile_layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_PASSPHRASE "fuzz-passphrase"

/* Rewrites the checksum of text's record; returns a malloc'ed text (or
 * NULL when the text does not have the two-line shape). */
static uint8_t *fix_checksum(const uint8_t *t, size_t len, int cheap, int *costly, size_t *out_len)
{
    const uint8_t *nl1, *b64, *end;
    size_t clen, blen, rlen, olen;
    uint8_t rec[KF_SEC_LEN + 8], *out;
    char enc[4 * (sizeof rec / 3) + 1];

    if (len < KF_LINE_PREFIX_LEN || memcmp(t, KF_LINE_PREFIX, KF_LINE_PREFIX_LEN))
        return NULL;
    nl1 = memchr(t, '\n', len);
    if (!nl1)
        return NULL;
    clen = (size_t)(nl1 - t) - KF_LINE_PREFIX_LEN;
    if (clen > 0 && nl1[-1] == '\r')
        clen--;
    if (clen > FWS_KEY_COMMENT_MAX)
        return NULL;
    b64 = nl1 + 1;
    for (end = b64; end < t + len && *end != '\n' && *end != '\r'; end++)
        ;
    blen = (size_t)(end - b64);
    if (blen > 4 * (sizeof rec / 3) ||
        sodium_base642bin(rec, sizeof rec, (const char *)b64, blen, NULL, &rlen, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        rlen < KF_CHECKSUM_LEN + KF_OFF_ID)
        return NULL;
    if (rlen == KF_SEC_LEN && rec[KF_OFF_PROT] == KF_PROT_ARGON2ID_XCHACHA) {
        if (cheap) {
            fws_store64_le(rec + KF_OFF_OPS, crypto_pwhash_argon2id_OPSLIMIT_MIN);
            fws_store64_le(rec + KF_OFF_MEM, crypto_pwhash_argon2id_MEMLIMIT_MIN);
        }
        *costly = fws_load64_le(rec + KF_OFF_OPS) > 2 || fws_load64_le(rec + KF_OFF_MEM) > (64u << 20);
    }
    fws_kf_checksum((const char *)t + KF_LINE_PREFIX_LEN, clen, rec, rlen - KF_CHECKSUM_LEN,
                    rec + rlen - KF_CHECKSUM_LEN);
    sodium_bin2base64(enc, sizeof enc, rec, rlen, sodium_base64_VARIANT_ORIGINAL);
    olen = (size_t)(b64 - t) + strlen(enc) + (size_t)(t + len - end);
    out = malloc(olen);
    memcpy(out, t, (size_t)(b64 - t));
    memcpy(out + (b64 - t), enc, strlen(enc));
    memcpy(out + (b64 - t) + strlen(enc), end, (size_t)(t + len - end));
    *out_len = olen;
    return out;
}

static void same_key(const fws_key *a, const fws_key *b, const char *what)
{
    if (a->type != b->type || a->has_secret != b->has_secret || memcmp(a->id, b->id, 8) ||
        memcmp(a->pub, b->pub, 32) || (a->has_secret && memcmp(a->secret, b->secret, 64)))
        fz_fail("keyfile: %s gives a different key", what);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    fws_passphrase_src pp = {NULL, "FWS_FUZZ_PASSPHRASE"};
    const uint8_t *text;
    uint8_t *fixed = NULL;
    size_t len;
    int want_secret, costly = 0, is_secret, rc;
    fws_key key, again;

    if (!ready) {
        if (sodium_init() < 0)
            fz_fail("sodium_init");
        setenv("FWS_FUZZ_PASSPHRASE", FUZZ_PASSPHRASE, 1);
        ready = 1;
    }
    if (size < 1)
        return 0;
    want_secret = data[0] & 1;
    text = data + 1;
    len = size - 1;
    if ((data[0] & 2) && (fixed = fix_checksum(text, len, data[0] & 4, &costly, &len)) != NULL)
        text = fixed;
    else
        len = size - 1;
    if (costly)
        want_secret = 0;

    fz_quiet(1);
    rc = fws_keyfile_decode("fuzz.key", text, len, want_secret, &pp, &key, &is_secret);
    fz_quiet(0);
    if (rc != FWS_EXIT_OK && rc != FWS_EXIT_IO)
        fz_fail("keyfile: status %d", rc);
    if (rc == FWS_EXIT_OK) {
        uint8_t id[FWS_KEYID_LEN], seed[32];
        char out[FWS_KEYFILE_TEXT_MAX];
        size_t olen;
        if (key.type != FWS_KEY_ED25519 && key.type != FWS_KEY_X25519 && key.type != FWS_KEY_PSK)
            fz_fail("keyfile: type %d", (int)key.type);
        if (key.has_secret && (!want_secret || !is_secret))
            fz_fail("keyfile: a secret without want_secret or from a public file");
        if (key.type != FWS_KEY_PSK) {
            fws_key_compute_id(key.type, key.pub, id);
            if (memcmp(id, key.id, FWS_KEYID_LEN))
                fz_fail("keyfile: id does not match the public key");
        }
        if (key.has_secret) {
            fws_key_seed(&key, seed);
            if (fws_key_from_seed(key.type, seed, &again) != 0)
                fz_fail("keyfile: the secret does not make a key");
            same_key(&key, &again, "rebuilding from the seed");
            fws_key_wipe(&again);
        }
        /* Round trip, unencrypted. */
        if (key.has_secret || key.type != FWS_KEY_PSK) {
            fz_quiet(1);
            if (fws_keyfile_encode(&key, key.has_secret, NULL, NULL, 0, FWS_KDF_INTERACTIVE, out,
                                   &olen) != 0)
                fz_fail("keyfile: cannot encode a key it decoded");
            rc = fws_keyfile_decode("again.key", (const uint8_t *)out, olen, 1, &pp, &again,
                                    NULL);
            fz_quiet(0);
            if (rc != FWS_EXIT_OK)
                fz_fail("keyfile: its own encoding does not decode");
            same_key(&key, &again, "encode + decode");
            fws_key_wipe(&again);
        }
        fws_key_wipe(&key);
    }
    free(fixed);
    return 0;
}
