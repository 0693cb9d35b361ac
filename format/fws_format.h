/* SPDX-License-Identifier: MIT */
/*
 * fwseal container format 1: constants, fixed header, unsigned blocks and
 * decoder error codes.  format/SPEC.md is normative; this file mirrors it.
 *
 * Freestanding C99: <stdint.h> and <stddef.h> only.  Decoders never copy:
 * the structs they fill point into the caller's buffer, which must stay
 * alive (and unchanged: read once into RAM, check, use from there).
 */
#ifndef FWS_FORMAT_H
#define FWS_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#define FWS_FORMAT_VERSION 1
#define FWS_HEADER_LEN 16
#define FWS_HASH_LEN 32          /* SHA-256 */
#define FWS_KEYID_LEN 8          /* first 8 bytes of SHA-512(public key) */
#define FWS_CLASS_LEN 16
#define FWS_SIG_LEN 64
#define FWS_KEY_LEN 32

/* Limits (SPEC.md "Limits").  A device may configure lower ones. */
#define FWS_MAX_MANIFEST 8192
#define FWS_MAX_COMPONENTS 16
#define FWS_MAX_NAME 64
#define FWS_MIN_CHUNK 256
#define FWS_MAX_CHUNK (1u << 20)
#define FWS_CHUNK_ALIGN 64       /* a ChaCha20 block */
#define FWS_MIN_WBITS 9
#define FWS_MAX_WBITS 15
#define FWS_MAX_SIGNATURES 8
#define FWS_MAX_CAPSULES 32
#define FWS_MAX_ENTRY_BODY 1024  /* any signature/capsule entry */
#define FWS_MAX_META_KEY 64
#define FWS_MAX_META_VALUE 1024
/* ChaCha20's 32-bit block counter covers 2^38 bytes. */
#define FWS_MAX_ENCRYPTED_PAYLOAD ((uint64_t)1 << 38)

/* Signature entry types. */
#define FWS_SIG_ED25519 1        /* key_id[8] sig[64] */
#define FWS_SIG_DELEGATED 2      /* delegation record || sig[64] (SPEC.md 4.1) */
#define FWS_SIG_ED25519_BODY 72

/* Delegation record (SPEC.md section 4.1): a signing key certified by
 * root keys.  subject[32] generation u32le scope[16], then 1..4 root
 * signatures root_id[8] sig[64] over FWS_LABEL_DELEGATION || the first
 * FWS_CERT_SIGNED_LEN bytes. */
#define FWS_CERT_SIGNED_LEN 52
#define FWS_CERT_ROOT_SIG_LEN 72
#define FWS_MAX_ROOT_SIGS 4
#define FWS_CERT_LEN(n) (FWS_CERT_SIGNED_LEN + FWS_CERT_ROOT_SIG_LEN * (n))
#define FWS_SIG_DELEGATED_BODY(n) (FWS_CERT_LEN(n) + FWS_SIG_LEN)
#define FWS_SIG_DELEGATED_MAX_BODY FWS_SIG_DELEGATED_BODY(FWS_MAX_ROOT_SIGS)

/* Capsule entry types. */
#define FWS_CAPSULE_X25519 1     /* recipient_id[8] ephemeral_pub[32] wrapped[32] */
#define FWS_CAPSULE_PSK 2        /* psk_id[8] salt[32] wrapped[32] */
#define FWS_CAPSULE_BODY 72

/* Domain labels (ASCII, no terminating NUL in the hashed data). */
#define FWS_LABEL_CLASS "fwseal-v1 class-id"
#define FWS_LABEL_COMMITMENT "fwseal-v1 key-commitment"
#define FWS_LABEL_X25519_WRAP "fwseal-v1 x25519-wrap"
#define FWS_LABEL_PSK_WRAP "fwseal-v1 psk-wrap"
#define FWS_LABEL_PSK_ID "fwseal-v1 psk-id"
#define FWS_LABEL_DIGEST_KEY "fwseal-v1 digest-key"
#define FWS_LABEL_DELEGATION "fwseal-v1 delegation"

/* Decoder results.  Every value has a name (fws_format_err_name) so a
 * bootloader can log why it refused. */
typedef enum {
    FWS_OK = 0,
    FWS_E_TRUNCATED,          /* input ends inside a structure */
    FWS_E_MAGIC,              /* not "FWSEAL" */
    FWS_E_VERSION,            /* format version not supported */
    FWS_E_RESERVED,           /* reserved header bits not zero */
    FWS_E_MANIFEST_SIZE,      /* manifest length 0 or above the limit */
    FWS_E_FIELD_ORDER,        /* tags not strictly ascending (or duplicated) */
    FWS_E_FIELD_LENGTH,       /* field length wrong or past the end */
    FWS_E_UNKNOWN_CRITICAL,   /* unknown field with the critical bit */
    FWS_E_MISSING_FIELD,      /* a required field is absent */
    FWS_E_COMPONENT_COUNT,    /* 0 or above FWS_MAX_COMPONENTS */
    FWS_E_NAME,               /* component name breaks the name rules */
    FWS_E_DUPLICATE_NAME,     /* two names clash: equal ignoring case, or one
                                 is a directory of the other */
    FWS_E_COMPRESSION,        /* unknown method or window bits */
    FWS_E_SIZES,              /* sizes inconsistent with the payload */
    FWS_E_CHUNK_SIZE,         /* chunk size out of range or unaligned */
    FWS_E_ENCRYPTION,         /* unknown algorithm or payload too long */
    FWS_E_META,               /* malformed metadata field */
    FWS_E_TRAILING,           /* bytes after the end of a structure */
    FWS_E_SIG_BLOCK,          /* malformed signature block */
    FWS_E_CAPSULE_BLOCK,      /* malformed key-capsule block */
    FWS_FORMAT_ERRORS         /* first value free for users of this enum */
} fws_format_err;

const char *fws_format_err_name(int err);

/* Where a decoder stopped: offset from the start of the structure it was
 * given, and the field's name (e.g. "components[1].name"). */
typedef struct {
    uint32_t offset;
    const char *field;
    uint8_t index;             /* component index when field is per-component */
} fws_diag;

/* ---- Fixed header: signed, the first 16 bytes of a container ---- */
typedef struct {
    uint8_t version;
    uint32_t manifest_len;
} fws_header;

void fws_header_encode(uint8_t out[FWS_HEADER_LEN], uint32_t manifest_len);
int fws_header_decode(const uint8_t in[FWS_HEADER_LEN], fws_header *h);

/* ---- Unsigned blocks: a count byte, then entries ----
 * entry = type u8 | body_len u16le | body.  The decoders are incremental
 * so a device can read one entry at a time. */
typedef struct {
    uint8_t type;
    uint16_t body_len;
} fws_entry_head;

#define FWS_ENTRY_HEAD_LEN 3
int fws_entry_head_decode(const uint8_t in[FWS_ENTRY_HEAD_LEN], int is_capsule,
                          fws_entry_head *e);
void fws_entry_head_encode(uint8_t out[FWS_ENTRY_HEAD_LEN], uint8_t type, uint16_t body_len);
/* Validates a block's count byte; returns FWS_OK or the block's error.
 * A signature block may be empty (an unsigned container, which no
 * verifier accepts: untrusted). */
int fws_block_count_check(uint8_t count, int is_capsule, int encrypted);

/* A whole signature entry (head and body) into out (room for
 * FWS_ENTRY_HEAD_LEN + FWS_SIG_DELEGATED_MAX_BODY bytes): Ed25519 (cert
 * NULL: key id || sig) or delegated (cert[0..cert_len) || sig).  Returns
 * its length.  Used by the host; a device only reads entries. */
size_t fws_sig_entry_encode(uint8_t *out, const uint8_t key_id[FWS_KEYID_LEN], const uint8_t *cert,
                            size_t cert_len, const uint8_t sig[FWS_SIG_LEN]);

/* ---- Delegation records ---- */
typedef struct {
    const uint8_t *subject;      /* 32: the certified Ed25519 signing key */
    uint32_t generation;
    const uint8_t *scope;        /* 16: class id, all zero = any class */
    uint8_t n_roots;             /* root signatures, 1..FWS_MAX_ROOT_SIGS */
    const uint8_t *root_sigs;    /* n_roots x (root key id 8 || signature 64) */
} fws_cert;

/* The number of root signatures in a record of len bytes: n if len is
 * FWS_CERT_LEN(n) for n in 1..4, else 0. */
uint8_t fws_cert_roots(size_t len);
/* A record of len bytes: FWS_OK, or FWS_E_SIG_BLOCK if len is not
 * FWS_CERT_LEN(n) for n in 1..4.  Points into buf. */
int fws_cert_decode(const uint8_t *buf, size_t len, fws_cert *c);
/* 1 if the scope is all zero (any class). */
int fws_cert_any_class(const fws_cert *c);

/* Bytes the payload occupies in the container: each chunk but the last is
 * followed by the SHA-256 of the next stored chunk.  0 for an empty
 * payload.  chunk_size must be non-zero. */
uint64_t fws_stored_payload_len(uint64_t payload_len, uint32_t chunk_size);
uint64_t fws_chunk_count(uint64_t payload_len, uint32_t chunk_size);

#endif
