/* SPDX-License-Identifier: MIT */
/*
 * The signed manifest: canonical TLV encoding and strict decoding.
 * Layout and rules: format/SPEC.md, "Manifest".
 */
#ifndef FWS_MANIFEST_H
#define FWS_MANIFEST_H

#include "fws_format.h"

/* Top-level tags; bit 15 clear = critical (must be understood). */
#define FWS_TAG_VERSION 0x0001
#define FWS_TAG_COUNTER 0x0002
#define FWS_TAG_CLASS 0x0003
#define FWS_TAG_TIMESTAMP 0x0004
#define FWS_TAG_PAYLOAD 0x0005
#define FWS_TAG_ENCRYPTION 0x0006
#define FWS_TAG_COMPONENTS 0x0007
#define FWS_TAG_MIN_KEY_GENERATION 0x0008
#define FWS_TAG_META 0x8001
#define FWS_TAG_NONCRITICAL 0x8000

/* Component record tags. */
#define FWS_CTAG_NAME 0x0001
#define FWS_CTAG_SIZE 0x0002
#define FWS_CTAG_DIGEST 0x0003
#define FWS_CTAG_STORED_SIZE 0x0004
#define FWS_CTAG_COMPRESSION 0x0005
#define FWS_CTAG_ADDRESS 0x0006

#define FWS_COMP_NONE 0
#define FWS_COMP_ZLIB 1
#define FWS_ENC_CHACHA20 1

typedef struct {
    const uint8_t *name;       /* not NUL-terminated */
    uint8_t name_len;
    uint8_t method;            /* FWS_COMP_* */
    uint8_t wbits;             /* 0 for FWS_COMP_NONE, else 9..15 */
    uint8_t has_address;
    uint64_t address;
    uint64_t size;             /* installed plaintext bytes */
    uint64_t stored_size;      /* bytes in the payload (after compression) */
    uint64_t offset;           /* derived: start in the payload */
    const uint8_t *digest;     /* SHA-256 of the installed plaintext */
} fws_component;

typedef struct {
    uint16_t major, minor, patch;
    uint32_t build;
    uint32_t counter;          /* anti-rollback security counter */
    const uint8_t *class_id;   /* 16 bytes */
    uint64_t timestamp;        /* seconds since 1970 (SOURCE_DATE_EPOCH) */
    uint64_t payload_len;      /* stored payload bytes, chain hashes excluded */
    uint32_t chunk_size;
    const uint8_t *first_chunk_hash;
    uint8_t encrypted;
    uint8_t enc_alg;           /* FWS_ENC_* */
    const uint8_t *key_commitment;
    uint8_t n_components;
    fws_component comp[FWS_MAX_COMPONENTS];
    uint8_t has_min_key_generation;
    uint32_t min_key_generation;   /* revocation: floor for delegated keys (SPEC 4.2) */
    const uint8_t *meta;       /* raw META value, or NULL */
    uint16_t meta_len;
} fws_manifest;

/* Decodes and validates every rule of SPEC.md; on error fills *diag (may
 * be NULL) and returns an fws_format_err. */
int fws_manifest_decode(const uint8_t *buf, size_t len, fws_manifest *m, fws_diag *diag);

/* The same decoder with the field where it stopped as a number
 * (FWS_MF_*), for a device: its image then holds no field names.  Same
 * result, same checks in the same order; *at (may be NULL) gets what
 * fws_manifest_decode would put in a diag, with the field's id. */
typedef struct {
    uint32_t offset;
    uint8_t field;             /* FWS_MF_* */
    uint8_t index;
} fws_manifest_at;
int fws_manifest_decode_at(const uint8_t *buf, size_t len, fws_manifest *m, fws_manifest_at *at);

/* Fields a decoder can stop at; fws_manifest_field_name gives the names
 * fws_diag.field holds ("components[].name": the component is the index). */
enum {
    FWS_MF_MANIFEST, FWS_MF_VERSION, FWS_MF_COUNTER, FWS_MF_CLASS, FWS_MF_TIMESTAMP,
    FWS_MF_PAYLOAD, FWS_MF_ENCRYPTION, FWS_MF_COMPONENTS, FWS_MF_MIN_KEY_GENERATION,
    FWS_MF_META, FWS_MF_UNKNOWN, FWS_MF_CHUNK_SIZE, FWS_MF_FIRST_CHUNK_HASH,
    FWS_MF_ENC_ALGORITHM, FWS_MF_PAYLOAD_LENGTH, FWS_MF_COMPONENT_COUNT, FWS_MF_COMPONENT,
    FWS_MF_C_NAME, FWS_MF_C_SIZE, FWS_MF_C_DIGEST, FWS_MF_C_STORED_SIZE, FWS_MF_C_COMPRESSION,
    FWS_MF_C_FIELD, FWS_MF_FIELDS
};
/* "version", "components[].name", ...; "manifest" outside the range. */
const char *fws_manifest_field_name(uint8_t field);

/* Canonical encoding of m (offset fields ignored; meta copied as given and
 * must already be a canonical META value).  Returns the length written, or
 * 0 if it does not fit in cap or m breaks a rule (the encoder re-decodes its
 * output, so it never emits what a decoder would refuse). */
size_t fws_manifest_encode(const fws_manifest *m, uint8_t *out, size_t cap);

/* 1 if name follows the rules: 1..64 bytes, '/'-separated segments of
 * [A-Za-z0-9._+-], no empty segment, no "." or ".." segment. */
int fws_component_name_valid(const uint8_t *name, size_t len);

/* 1 if two valid names cannot both be files of one directory tree: equal
 * ignoring ASCII case, or one is a directory of the other ("a", "A/b").
 * A manifest must not hold two such names (SPEC.md section 3.3). */
int fws_component_names_clash(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* Iterates META entries: key_len u8 | key | value_len u16le | value.
 * *pos starts at 0; returns 1 and fills the entry, 0 at the end. */
int fws_meta_next(const uint8_t *meta, size_t meta_len, size_t *pos,
                  const uint8_t **key, uint8_t *key_len,
                  const uint8_t **value, uint16_t *value_len);
/* 1 if a META key follows the rules: 1..64 bytes of [A-Za-z0-9._-]. */
int fws_meta_key_valid(const uint8_t *key, size_t len);
/* META key order: bytewise, a key before the longer keys it is a prefix
 * of.  <0, 0 or >0 as a sorts before, equal to or after b. */
int fws_meta_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);

/* ---- META encoder (host) ---- */
typedef struct {
    const uint8_t *key;
    size_t key_len;
    const uint8_t *value;
    size_t value_len;
} fws_meta_entry;

/* Why an entry or a META value is refused. */
#define FWS_META_E_KEY 1         /* the key breaks the key rules */
#define FWS_META_E_VALUE 2       /* the value is longer than FWS_MAX_META_VALUE */
#define FWS_META_E_DUPLICATE 3   /* the key is given twice */
#define FWS_META_E_SPACE 4       /* the whole value is above 65535 bytes or cap */

/* 0, or FWS_META_E_KEY / FWS_META_E_VALUE for one entry. */
int fws_meta_entry_check(const fws_meta_entry *e);
/* The canonical META value from n entries given in any order: checks each
 * (in the order given), sorts e[] in place by key, refuses a repeated key,
 * and writes each entry as key_len u8 | key | value_len u16le | value.
 * Returns 0 with *len the bytes written (0 for n == 0: the manifest then
 * has no META field), or an FWS_META_E_* with *bad the index in e[] of the
 * offending entry (of the second of two equal keys, after sorting) and,
 * for FWS_META_E_SPACE, *len the length the value would have. */
int fws_meta_encode(fws_meta_entry *e, size_t n, uint8_t *out, size_t cap, size_t *len,
                    size_t *bad);

#endif
