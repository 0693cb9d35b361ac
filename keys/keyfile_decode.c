/*
 * Key file text -> key.  Strict: two lines, the exact prefix, canonical
 * base64, a record of exactly the length its kind calls for, a matching
 * checksum, known type, consistent fields.  Each failure has its own
 * message naming the file, so "truncated", "corrupt" and "wrong passphrase"
 * are never confused.  The checksum is verified before any passphrase is
 * asked for, so a damaged file never costs an Argon2id run or a prompt.
 */
#include "keyfile.h"
#include "keyfile_layout.h"
#include "diag.h"
#include "fws_bytes.h"

#include <sodium.h>
#include <string.h>

static int is_b64_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '+' || c == '/' || c == '=';
}

static int all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    while (n--)
        acc |= *p++;
    return acc == 0;
}

/* Says why a file that does not start with our prefix is not a key file. */
static int not_a_key_file(const char *name, const uint8_t *text, size_t len)
{
    static const char pem[] = "-----BEGIN ";
    if (len >= sizeof pem - 1 && !memcmp(text, pem, sizeof pem - 1))
        diag_error("%s: not a fwseal key file (a PEM file; import an OpenSSL Ed25519/X25519 "
                  "key with 'fwseal keygen --import %s -o NAME')",
                  name, name);
    else
        diag_error("%s: not a fwseal key file (it does not start with \"%s\")", name,
                  KF_LINE_PREFIX);
    return FWS_EXIT_IO;
}

/* Decrypts the secret of a protected record into seed (SECRET). */
static int decrypt_secret(const char *name, const uint8_t *rec, const fws_passphrase_src *pp,
                          uint8_t seed[32])
{
    char pass[FWS_PASSPHRASE_BUF];
    uint8_t k[32];
    unsigned long long ops = fws_load64_le(rec + KF_OFF_OPS);
    unsigned long long mem = fws_load64_le(rec + KF_OFF_MEM);
    unsigned long long mlen;
    size_t plen;
    int tries = fws_passphrase_interactive(pp) ? 3 : 1, rc = FWS_EXIT_IO;

    while (tries-- > 0) {
        rc = fws_passphrase_get(pp, name, 0, pass, &plen);
        if (rc)
            break;
        if (fws_kf_kdf(k, pass, plen, rec + KF_OFF_SALT, ops, mem) != 0) {
            diag_error("%s: cannot derive the key from the passphrase (Argon2id needs %llu MiB)",
                      name, mem >> 20);
            rc = FWS_EXIT_IO;
            break;
        }
        sodium_memzero(pass, sizeof pass);
        if (crypto_aead_xchacha20poly1305_ietf_decrypt(seed, &mlen, NULL, rec + KF_OFF_SECRET,
                                                       32 + KF_TAG_LEN, rec, KF_OFF_SECRET,
                                                       rec + KF_OFF_NONCE, k) == 0) {
            rc = FWS_EXIT_OK;
            break;
        }
        rc = FWS_EXIT_IO;
        if (tries > 0)
            diag_warn("%s: wrong passphrase, try again", name);
        else
            diag_error("%s: wrong passphrase", name);
    }
    sodium_memzero(pass, sizeof pass);
    sodium_memzero(k, sizeof k);
    return rc;
}

/* 0 if pub is usable for its type (not small order, on the curve). */
static int public_key_valid(fws_key_type t, const uint8_t pub[32])
{
    if (t == FWS_KEY_ED25519)
        return crypto_core_ed25519_is_valid_point(pub) ? 0 : -1;
    if (t == FWS_KEY_X25519) {
        /* Every clamped scalar sends a small-order point to the identity,
         * which libsodium reports as an error. */
        static const uint8_t scalar[32] = {0x48, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                           11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                           22, 23, 24, 25, 26, 27, 28, 29, 30, 0x5f};
        uint8_t q[32];
        return crypto_scalarmult(q, scalar, pub) == 0 ? 0 : -1;
    }
    return 0;
}

int fws_keyfile_decode(const char *name, const uint8_t *text, size_t len, int want_secret,
                       const fws_passphrase_src *pp, fws_key *key, int *is_secret_file)
{
    uint8_t rec[KF_SEC_LEN + 8];  /* 192 = 64 * 3: any line of <= 256 base64 characters fits */
    uint8_t sum[KF_CHECKSUM_LEN], seed[32];
    const uint8_t *nl1, *nl2, *b64;
    const char *comment;
    size_t clen, blen, rlen, want, i, rest;
    unsigned kind, type, prot;
    fws_key k;
    int rc = FWS_EXIT_IO;

    fws_key_wipe(key);
    fws_key_wipe(&k);
    memset(seed, 0, sizeof seed);
    if (is_secret_file)
        *is_secret_file = 0;

    /* ---- line 1: "fwseal key comment: <comment>" ---- */
    if (len == 0) {
        diag_error("%s: empty file (not a fwseal key file)", name);
        return FWS_EXIT_IO;
    }
    if (len < KF_LINE_PREFIX_LEN) {
        if (!memcmp(text, KF_LINE_PREFIX, len)) {
            diag_error("%s: truncated key file (%zu bytes)", name, len);
            return FWS_EXIT_IO;
        }
        return not_a_key_file(name, text, len);
    }
    if (memcmp(text, KF_LINE_PREFIX, KF_LINE_PREFIX_LEN))
        return not_a_key_file(name, text, len);
    nl1 = memchr(text, '\n', len);
    if (!nl1) {
        diag_error("%s: truncated key file (it ends inside the comment line)", name);
        return FWS_EXIT_IO;
    }
    comment = (const char *)text + KF_LINE_PREFIX_LEN;
    clen = (size_t)((const char *)nl1 - comment);
    if (clen > 0 && comment[clen - 1] == '\r')
        clen--;
    if (clen > FWS_KEY_COMMENT_MAX) {
        diag_error("%s: corrupt key file: comment line longer than %d bytes", name,
                  FWS_KEY_COMMENT_MAX);
        return FWS_EXIT_IO;
    }
    for (i = 0; i < clen; i++) {
        unsigned char c = (unsigned char)comment[i];
        if (c < 0x20 || c == 0x7f) {
            diag_error("%s: corrupt key file: control character 0x%02x in the comment line "
                      "(column %zu)",
                      name, c, KF_LINE_PREFIX_LEN + i + 1);
            return FWS_EXIT_IO;
        }
    }

    /* ---- line 2: base64 of the record ---- */
    b64 = nl1 + 1;
    rest = len - (size_t)(b64 - text);
    if (rest == 0) {
        diag_error("%s: truncated key file (the key line is missing)", name);
        return FWS_EXIT_IO;
    }
    nl2 = memchr(b64, '\n', rest);
    if (!nl2) {
        diag_error("%s: truncated key file (the key line does not end with a newline)", name);
        return FWS_EXIT_IO;
    }
    if ((size_t)(nl2 + 1 - text) != len) {
        diag_error("%s: corrupt key file: %zu unexpected bytes after the key line", name,
                  len - (size_t)(nl2 + 1 - text));
        return FWS_EXIT_IO;
    }
    blen = (size_t)(nl2 - b64);
    if (blen > 0 && b64[blen - 1] == '\r')
        blen--;
    for (i = 0; i < blen; i++) {
        if (!is_b64_char(b64[i])) {
            diag_error("%s: corrupt key file: byte 0x%02x is not base64 (line 2, column %zu)",
                      name, b64[i], i + 1);
            return FWS_EXIT_IO;
        }
    }
    if (blen > 4 * (sizeof rec / 3)) {
        diag_error("%s: corrupt key file: key line of %zu characters is too long", name, blen);
        return FWS_EXIT_IO;
    }
    if (blen % 4) {
        diag_error("%s: truncated key file (key line of %zu characters, not a multiple of 4)",
                  name, blen);
        return FWS_EXIT_IO;
    }
    {
        const char *end = NULL;
        if (sodium_base642bin(rec, sizeof rec, (const char *)b64, blen, NULL, &rlen, &end,
                              sodium_base64_VARIANT_ORIGINAL) != 0 ||
            end != (const char *)b64 + blen) {
            diag_error("%s: corrupt key file: invalid base64 in the key line", name);
            goto out;
        }
    }

    /* ---- the record ---- */
    if (rlen < 4 || memcmp(rec, KF_MAGIC, 4)) {
        if (rlen < 4 && !memcmp(rec, KF_MAGIC, rlen))
            diag_error("%s: truncated key file (%zu-byte record)", name, rlen);
        else
            diag_error("%s: not a fwseal key file (bad magic in the key record)", name);
        goto out;
    }
    if (rlen < KF_OFF_ID) {
        diag_error("%s: truncated key file (%zu-byte record)", name, rlen);
        goto out;
    }
    if (rec[KF_OFF_VERSION] != KF_VERSION) {
        diag_error("%s: unsupported key file version %u (this fwseal reads version %u)", name,
                  rec[KF_OFF_VERSION], KF_VERSION);
        goto out;
    }
    kind = rec[KF_OFF_KIND];
    prot = rec[KF_OFF_PROT];
    if (kind != KF_KIND_PUBLIC && kind != KF_KIND_SECRET) {
        diag_error("%s: corrupt key file: unknown record kind %u (1 public, 2 secret)", name,
                  kind);
        goto out;
    }
    if (prot != KF_PROT_NONE && (kind == KF_KIND_PUBLIC || prot != KF_PROT_ARGON2ID_XCHACHA)) {
        diag_error("%s: corrupt key file: unknown protection %u for a %s key", name, prot,
                  kind == KF_KIND_PUBLIC ? "public" : "secret");
        goto out;
    }
    want = kind == KF_KIND_PUBLIC ? KF_PUB_LEN : KF_SEC_LEN;
    if (rlen < want) {
        diag_error("%s: truncated key file (%zu of %zu record bytes)", name, rlen, want);
        goto out;
    }
    if (rlen > want) {
        diag_error("%s: corrupt key file: record of %zu bytes, a %s key record has %zu", name,
                  rlen, kind == KF_KIND_PUBLIC ? "public" : "secret", want);
        goto out;
    }
    fws_kf_checksum(comment, clen, rec, want - KF_CHECKSUM_LEN, sum);
    if (sodium_memcmp(sum, rec + want - KF_CHECKSUM_LEN, KF_CHECKSUM_LEN) != 0) {
        diag_error("%s: checksum mismatch: the key file is corrupt or was edited", name);
        goto out;
    }

    /* From here the bytes are what was written; what is still wrong was
     * written wrong (or by a newer fwseal). */
    type = rec[KF_OFF_TYPE];
    if (type != FWS_KEY_ED25519 && type != FWS_KEY_X25519 && type != FWS_KEY_PSK) {
        diag_error("%s: unknown key type %u (this fwseal knows ed25519, x25519, psk)", name,
                  type);
        goto out;
    }
    if (type == FWS_KEY_PSK) {
        if (kind == KF_KIND_PUBLIC) {
            diag_error("%s: corrupt key file: a psk has no public key file", name);
            goto out;
        }
        if (!all_zero(rec + KF_OFF_PUB, 32)) {
            diag_error("%s: corrupt key file: psk record with a public key", name);
            goto out;
        }
    } else {
        uint8_t id[FWS_KEYID_LEN];
        fws_key_compute_id((fws_key_type)type, rec + KF_OFF_PUB, id);
        if (memcmp(id, rec + KF_OFF_ID, FWS_KEYID_LEN)) {
            diag_error("%s: corrupt key file: the key id does not match the public key", name);
            goto out;
        }
        if (public_key_valid((fws_key_type)type, rec + KF_OFF_PUB)) {
            diag_error("%s: corrupt key file: not a valid %s public key (small order or not on "
                      "the curve)",
                      name, fws_key_type_name((fws_key_type)type));
            goto out;
        }
    }
    if (kind == KF_KIND_SECRET) {
        unsigned long long ops = fws_load64_le(rec + KF_OFF_OPS);
        unsigned long long mem = fws_load64_le(rec + KF_OFF_MEM);
        if (prot == KF_PROT_NONE) {
            if (ops || mem || !all_zero(rec + KF_OFF_SALT, KF_SALT_LEN + KF_NONCE_LEN) ||
                !all_zero(rec + KF_OFF_TAG, KF_TAG_LEN)) {
                diag_error("%s: corrupt key file: unencrypted key with KDF fields set", name);
                goto out;
            }
        } else if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || ops > KF_OPS_MAX ||
                   mem < crypto_pwhash_argon2id_MEMLIMIT_MIN || mem > KF_MEM_MAX) {
            diag_error("%s: unsupported Argon2id parameters (opslimit %llu, memlimit %llu; "
                      "at most %llu and %llu)",
                      name, ops, mem, KF_OPS_MAX, KF_MEM_MAX);
            goto out;
        }
    }

    k.type = (fws_key_type)type;
    memcpy(k.id, rec + KF_OFF_ID, FWS_KEYID_LEN);
    memcpy(k.pub, rec + KF_OFF_PUB, 32);
    if (is_secret_file)
        *is_secret_file = kind == KF_KIND_SECRET;
    if (!want_secret || kind == KF_KIND_PUBLIC) {
        *key = k;
        rc = FWS_EXIT_OK;
        goto out;
    }

    /* ---- the secret ---- */
    if (prot == KF_PROT_NONE)
        memcpy(seed, rec + KF_OFF_SECRET, 32);
    else if ((rc = decrypt_secret(name, rec, pp, seed)) != FWS_EXIT_OK)
        goto out;
    rc = FWS_EXIT_IO;
    if (fws_key_from_seed(k.type, seed, &k) != 0 ||
        memcmp(k.id, rec + KF_OFF_ID, FWS_KEYID_LEN) ||
        memcmp(k.pub, rec + KF_OFF_PUB, 32)) {
        diag_error("%s: corrupt key file: the secret key does not match its public key / id",
                  name);
        goto out;
    }
    *key = k;
    rc = FWS_EXIT_OK;
out:
    fws_key_wipe(&k);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(rec, sizeof rec);
    return rc;
}
