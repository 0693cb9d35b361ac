/* SPDX-License-Identifier: MIT */
/*
 * Key file text -> key.  Strict: two lines, the exact prefix, canonical
 * base64, a record of exactly the length its kind calls for, a matching
 * checksum, known type, consistent fields.  Each failure has its own
 * message naming the file, so "truncated", "corrupt" and "wrong passphrase"
 * are never confused.  The checksum is verified before any passphrase is
 * asked for, so a damaged file never costs an Argon2id run or a prompt.
 */
#include "diag.h"
#include "fws_bytes.h"
#include "keyfile.h"
#include "keyfile_layout.h"

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

/* The parts of key file text as the decoder finds them. */
typedef struct {
    const char *name;              /* for messages */
    const char *comment;           /* line 1 after the prefix */
    size_t clen;
    uint8_t rec[KF_SEC_LEN + 8];   /* 192 = 64 * 3: any line of <= 256 base64 characters fits */
    size_t rlen;
    unsigned kind, type, prot;
} kf_parts;

/* ---- line 1: "fwseal key comment: <comment>" ----
 * Sets p->comment and *line2 (what follows the first newline).  Returns
 * FWS_EXIT_OK or FWS_EXIT_IO after a message. */
static int parse_comment_line(kf_parts *p, const uint8_t *text, size_t len, const uint8_t **line2)
{
    const uint8_t *nl1;
    size_t i;
    if (len == 0) {
        diag_error("%s: empty file (not a fwseal key file)", p->name);
        return FWS_EXIT_IO;
    }
    if (len < KF_LINE_PREFIX_LEN) {
        if (!memcmp(text, KF_LINE_PREFIX, len)) {
            diag_error("%s: truncated key file (%zu bytes)", p->name, len);
            return FWS_EXIT_IO;
        }
        return not_a_key_file(p->name, text, len);
    }
    if (memcmp(text, KF_LINE_PREFIX, KF_LINE_PREFIX_LEN))
        return not_a_key_file(p->name, text, len);
    nl1 = memchr(text, '\n', len);
    if (!nl1) {
        diag_error("%s: truncated key file (it ends inside the comment line)", p->name);
        return FWS_EXIT_IO;
    }
    p->comment = (const char *)text + KF_LINE_PREFIX_LEN;
    p->clen = (size_t)((const char *)nl1 - p->comment);
    if (p->clen > 0 && p->comment[p->clen - 1] == '\r')
        p->clen--;
    if (p->clen > FWS_KEY_COMMENT_MAX) {
        diag_error("%s: corrupt key file: comment line longer than %d bytes", p->name,
                   FWS_KEY_COMMENT_MAX);
        return FWS_EXIT_IO;
    }
    for (i = 0; i < p->clen; i++) {
        unsigned char c = (unsigned char)p->comment[i];
        if (c < 0x20 || c == 0x7f) {
            diag_error("%s: corrupt key file: control character 0x%02x in the comment line "
                       "(column %zu)",
                       p->name, c, KF_LINE_PREFIX_LEN + i + 1);
            return FWS_EXIT_IO;
        }
    }
    *line2 = nl1 + 1;
    return FWS_EXIT_OK;
}

/* ---- line 2: base64 of the record, the last line of the file ---- */
static int parse_key_line(kf_parts *p, const uint8_t *text, size_t len, const uint8_t *b64)
{
    size_t rest = len - (size_t)(b64 - text), blen, i;
    const uint8_t *nl2;
    const char *end = NULL;
    if (rest == 0) {
        diag_error("%s: truncated key file (the key line is missing)", p->name);
        return FWS_EXIT_IO;
    }
    nl2 = memchr(b64, '\n', rest);
    if (!nl2) {
        diag_error("%s: truncated key file (the key line does not end with a newline)", p->name);
        return FWS_EXIT_IO;
    }
    if ((size_t)(nl2 + 1 - text) != len) {
        diag_error("%s: corrupt key file: %zu unexpected bytes after the key line", p->name,
                   len - (size_t)(nl2 + 1 - text));
        return FWS_EXIT_IO;
    }
    blen = (size_t)(nl2 - b64);
    if (blen > 0 && b64[blen - 1] == '\r')
        blen--;
    for (i = 0; i < blen; i++) {
        if (!is_b64_char(b64[i])) {
            diag_error("%s: corrupt key file: byte 0x%02x is not base64 (line 2, column %zu)",
                       p->name, b64[i], i + 1);
            return FWS_EXIT_IO;
        }
    }
    if (blen > 4 * (sizeof p->rec / 3)) {
        diag_error("%s: corrupt key file: key line of %zu characters is too long", p->name, blen);
        return FWS_EXIT_IO;
    }
    if (blen % 4) {
        diag_error("%s: truncated key file (key line of %zu characters, not a multiple of 4)",
                   p->name, blen);
        return FWS_EXIT_IO;
    }
    if (sodium_base642bin(p->rec, sizeof p->rec, (const char *)b64, blen, NULL, &p->rlen, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != (const char *)b64 + blen) {
        diag_error("%s: corrupt key file: invalid base64 in the key line", p->name);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* ---- the record: magic, version, kind, protection, length, checksum ---- */
static int check_record(kf_parts *p)
{
    const uint8_t *rec = p->rec;
    uint8_t sum[KF_CHECKSUM_LEN];
    size_t want;
    if (p->rlen < 4 || memcmp(rec, KF_MAGIC, 4)) {
        if (p->rlen < 4 && !memcmp(rec, KF_MAGIC, p->rlen))
            diag_error("%s: truncated key file (%zu-byte record)", p->name, p->rlen);
        else
            diag_error("%s: not a fwseal key file (bad magic in the key record)", p->name);
        return FWS_EXIT_IO;
    }
    if (p->rlen < KF_OFF_ID) {
        diag_error("%s: truncated key file (%zu-byte record)", p->name, p->rlen);
        return FWS_EXIT_IO;
    }
    if (rec[KF_OFF_VERSION] != KF_VERSION) {
        diag_error("%s: unsupported key file version %u (this fwseal reads version %u)", p->name,
                   rec[KF_OFF_VERSION], KF_VERSION);
        return FWS_EXIT_IO;
    }
    p->kind = rec[KF_OFF_KIND];
    p->prot = rec[KF_OFF_PROT];
    if (p->kind != KF_KIND_PUBLIC && p->kind != KF_KIND_SECRET) {
        diag_error("%s: corrupt key file: unknown record kind %u (1 public, 2 secret)", p->name,
                   p->kind);
        return FWS_EXIT_IO;
    }
    if (p->prot != KF_PROT_NONE &&
        (p->kind == KF_KIND_PUBLIC || p->prot != KF_PROT_ARGON2ID_XCHACHA)) {
        diag_error("%s: corrupt key file: unknown protection %u for a %s key", p->name, p->prot,
                   p->kind == KF_KIND_PUBLIC ? "public" : "secret");
        return FWS_EXIT_IO;
    }
    want = p->kind == KF_KIND_PUBLIC ? KF_PUB_LEN : KF_SEC_LEN;
    if (p->rlen < want) {
        diag_error("%s: truncated key file (%zu of %zu record bytes)", p->name, p->rlen, want);
        return FWS_EXIT_IO;
    }
    if (p->rlen > want) {
        diag_error("%s: corrupt key file: record of %zu bytes, a %s key record has %zu", p->name,
                   p->rlen, p->kind == KF_KIND_PUBLIC ? "public" : "secret", want);
        return FWS_EXIT_IO;
    }
    fws_kf_checksum(p->comment, p->clen, rec, want - KF_CHECKSUM_LEN, sum);
    if (sodium_memcmp(sum, rec + want - KF_CHECKSUM_LEN, KF_CHECKSUM_LEN) != 0) {
        diag_error("%s: checksum mismatch: the key file is corrupt or was edited", p->name);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* A secret record's KDF fields: all zero when unprotected, Argon2id
 * parameters within bounds when protected. */
static int check_kdf_fields(const kf_parts *p)
{
    unsigned long long ops = fws_load64_le(p->rec + KF_OFF_OPS);
    unsigned long long mem = fws_load64_le(p->rec + KF_OFF_MEM);
    if (p->prot == KF_PROT_NONE) {
        if (ops || mem || !all_zero(p->rec + KF_OFF_SALT, KF_SALT_LEN + KF_NONCE_LEN) ||
            !all_zero(p->rec + KF_OFF_TAG, KF_TAG_LEN)) {
            diag_error("%s: corrupt key file: unencrypted key with KDF fields set", p->name);
            return FWS_EXIT_IO;
        }
    } else if (ops < crypto_pwhash_argon2id_OPSLIMIT_MIN || ops > KF_OPS_MAX ||
               mem < crypto_pwhash_argon2id_MEMLIMIT_MIN || mem > KF_MEM_MAX) {
        diag_error("%s: unsupported Argon2id parameters (opslimit %llu, memlimit %llu; "
                   "at most %llu and %llu)",
                   p->name, ops, mem, KF_OPS_MAX, KF_MEM_MAX);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* ---- the fields, behind a good checksum ----
 * From here the bytes are what was written; what is still wrong was
 * written wrong (or by a newer fwseal). */
static int check_fields(kf_parts *p)
{
    const uint8_t *rec = p->rec;
    p->type = rec[KF_OFF_TYPE];
    if (p->type != FWS_KEY_ED25519 && p->type != FWS_KEY_X25519 && p->type != FWS_KEY_PSK) {
        diag_error("%s: unknown key type %u (this fwseal knows ed25519, x25519, psk)", p->name,
                   p->type);
        return FWS_EXIT_IO;
    }
    if (p->type == FWS_KEY_PSK) {
        if (p->kind == KF_KIND_PUBLIC) {
            diag_error("%s: corrupt key file: a psk has no public key file", p->name);
            return FWS_EXIT_IO;
        }
        if (!all_zero(rec + KF_OFF_PUB, 32)) {
            diag_error("%s: corrupt key file: psk record with a public key", p->name);
            return FWS_EXIT_IO;
        }
    } else {
        uint8_t id[FWS_KEYID_LEN];
        fws_key_compute_id((fws_key_type)p->type, rec + KF_OFF_PUB, id);
        if (memcmp(id, rec + KF_OFF_ID, FWS_KEYID_LEN)) {
            diag_error("%s: corrupt key file: the key id does not match the public key", p->name);
            return FWS_EXIT_IO;
        }
        if (public_key_valid((fws_key_type)p->type, rec + KF_OFF_PUB)) {
            diag_error("%s: corrupt key file: not a valid %s public key (small order or not on "
                       "the curve)",
                       p->name, fws_key_type_name((fws_key_type)p->type));
            return FWS_EXIT_IO;
        }
    }
    return p->kind == KF_KIND_SECRET ? check_kdf_fields(p) : FWS_EXIT_OK;
}

/* ---- the secret: stored, or decrypted with the passphrase ---- */
static int load_secret(kf_parts *p, const fws_passphrase_src *pp, fws_key *k)
{
    uint8_t seed[32];
    int rc = FWS_EXIT_OK;
    if (p->prot == KF_PROT_NONE)
        memcpy(seed, p->rec + KF_OFF_SECRET, 32);
    else
        rc = decrypt_secret(p->name, p->rec, pp, seed);
    if (rc == FWS_EXIT_OK &&
        (fws_key_from_seed(k->type, seed, k) != 0 ||
         memcmp(k->id, p->rec + KF_OFF_ID, FWS_KEYID_LEN) ||
         memcmp(k->pub, p->rec + KF_OFF_PUB, 32))) {
        diag_error("%s: corrupt key file: the secret key does not match its public key / id",
                   p->name);
        rc = FWS_EXIT_IO;
    }
    sodium_memzero(seed, sizeof seed);
    return rc;
}

int fws_keyfile_decode(const char *name, const uint8_t *text, size_t len, int want_secret,
                       const fws_passphrase_src *pp, fws_key *key, int *is_secret_file)
{
    kf_parts p;
    const uint8_t *line2;
    fws_key k;
    int rc;

    fws_key_wipe(key);
    fws_key_wipe(&k);
    memset(&p, 0, sizeof p);
    p.name = name;
    if (is_secret_file)
        *is_secret_file = 0;
    if ((rc = parse_comment_line(&p, text, len, &line2)) ||
        (rc = parse_key_line(&p, text, len, line2)) || (rc = check_record(&p)) ||
        (rc = check_fields(&p)))
        goto out;
    k.type = (fws_key_type)p.type;
    memcpy(k.id, p.rec + KF_OFF_ID, FWS_KEYID_LEN);
    memcpy(k.pub, p.rec + KF_OFF_PUB, 32);
    if (is_secret_file)
        *is_secret_file = p.kind == KF_KIND_SECRET;
    if (want_secret && p.kind == KF_KIND_SECRET)
        rc = load_secret(&p, pp, &k);
    if (rc == FWS_EXIT_OK)
        *key = k;
out:
    fws_key_wipe(&k);
    sodium_memzero(&p, sizeof p);
    return rc;
}
