/* SPDX-License-Identifier: MIT */
/*
 * The manifest decoder as it was before the table-driven rewrite
 * (format/manifest_decode.c at commit fb7244f), kept verbatim but for its
 * names: the reference test_manifest_reference.c compares the decoder
 * against, result, diagnostic and decoded fields alike.
 */
/*
 * Strict manifest decoder.  Every length is checked against what is left
 * before it is used; tags must be strictly ascending (which also forbids
 * duplicates and makes the encoding canonical); unknown critical fields
 * reject; unknown non-critical fields are skipped.
 */
#include "fws_bytes.h"
#include "manifest_reference.h"

typedef struct {
    const uint8_t *p;
    size_t len, pos;
    uint32_t last_tag;      /* 0 = none yet (tag 0 is never valid) */
} tlv_reader;

/* Returns 1 with a field, 0 at the end, or a negative fws_format_err. */
static int tlv_next(tlv_reader *r, uint16_t *tag, const uint8_t **val, uint16_t *vlen)
{
    if (r->pos == r->len)
        return 0;
    if (r->len - r->pos < 4)
        return -FWS_E_FIELD_LENGTH;
    *tag = fws_load16_le(r->p + r->pos);
    *vlen = fws_load16_le(r->p + r->pos + 2);
    if (*tag == 0 || *tag <= r->last_tag)
        return -FWS_E_FIELD_ORDER;
    if (*vlen > r->len - r->pos - 4)
        return -FWS_E_FIELD_LENGTH;
    *val = r->p + r->pos + 4;
    r->last_tag = *tag;
    r->pos += 4u + *vlen;
    return 1;
}

static int fail(fws_diag *d, const tlv_reader *r, const char *field, uint8_t index, int err)
{
    if (d) {
        d->offset = (uint32_t)r->pos;
        d->field = field;
        d->index = index;
    }
    return err;
}

static int ref_component_name_valid(const uint8_t *name, size_t len)
{
    size_t i, seg = 0;
    if (len == 0 || len > FWS_MAX_NAME)
        return 0;
    for (i = 0; i <= len; i++) {
        uint8_t c = i < len ? name[i] : '/';
        if (c == '/') {
            if (seg == 0)
                return 0;
            if (name[i - 1] == '.' && (seg == 1 || (seg == 2 && name[i - 2] == '.')))
                return 0;
            seg = 0;
            continue;
        }
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '+' || c == '-'))
            return 0;
        seg++;
    }
    return 1;
}

static int ref_meta_key_valid(const uint8_t *key, size_t len)
{
    size_t i;
    if (len == 0 || len > FWS_MAX_META_KEY)
        return 0;
    for (i = 0; i < len; i++) {
        uint8_t c = key[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

static int ref_meta_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    size_t i;
    for (i = 0; i < a_len && i < b_len; i++)
        if (a[i] != b[i])
            return (int)a[i] - (int)b[i];
    return (a_len > b_len) - (a_len < b_len);
}

static int ref_meta_next(const uint8_t *meta, size_t meta_len, size_t *pos,
                  const uint8_t **key, uint8_t *key_len,
                  const uint8_t **value, uint16_t *value_len)
{
    size_t p = *pos;
    if (p >= meta_len || meta_len - p < 1)
        return 0;
    *key_len = meta[p];
    if (meta_len - p - 1 < (size_t)*key_len + 2)
        return 0;
    *key = meta + p + 1;
    *value_len = fws_load16_le(meta + p + 1 + *key_len);
    if (meta_len - p - 3 - *key_len < *value_len)
        return 0;
    *value = meta + p + 3 + *key_len;
    *pos = p + 3 + *key_len + *value_len;
    return 1;
}

/* META: at least one entry; keys valid and strictly ascending. */
static int meta_check(const uint8_t *meta, size_t len)
{
    size_t pos = 0, prev_len = 0;
    const uint8_t *key, *value, *prev = 0;
    uint8_t klen;
    uint16_t vlen;
    if (len == 0)
        return 0;
    while (pos < len) {
        if (!ref_meta_next(meta, len, &pos, &key, &klen, &value, &vlen))
            return 0;
        if (!ref_meta_key_valid(key, klen) || vlen > FWS_MAX_META_VALUE)
            return 0;
        if (prev && ref_meta_key_cmp(key, klen, prev, prev_len) <= 0)
            return 0;   /* keys strictly ascending */
        prev = key;
        prev_len = klen;
    }
    return 1;
}

/* Names are valid (only [A-Za-z0-9._+-/]), so OR-ing 0x20 folds exactly
 * the letters' case and maps no two other valid bytes together. */
static int ref_component_names_clash(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    const uint8_t *s = alen <= blen ? a : b, *l = s == a ? b : a;
    size_t n = alen <= blen ? alen : blen, i;
    for (i = 0; i < n; i++)
        if ((s[i] | 0x20) != (l[i] | 0x20))
            return 0;
    return alen == blen || l[n] == '/';
}

static int is_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;
    while (n--)
        acc |= *p++;
    return acc == 0;
}

enum { C_NAME = 1, C_SIZE = 2, C_DIGEST = 4, C_STORED = 8, C_COMP = 16, C_ALL = 31 };

static int decode_component(const uint8_t *rec, size_t len, fws_component *c, fws_diag *d,
                            uint8_t idx, uint32_t base)
{
    tlv_reader r = {rec, len, 0, 0};
    uint16_t tag, vlen;
    const uint8_t *v;
    unsigned seen = 0;
    int rc;
    fws_zero(c, sizeof *c);
    while ((rc = tlv_next(&r, &tag, &v, &vlen)) == 1) {
        switch (tag) {
        case FWS_CTAG_NAME:
            if (!ref_component_name_valid(v, vlen))
                goto bad_name;
            c->name = v;
            c->name_len = (uint8_t)vlen;
            seen |= C_NAME;
            break;
        case FWS_CTAG_SIZE:
            if (vlen != 8)
                goto bad_len;
            c->size = fws_load64_le(v);
            seen |= C_SIZE;
            break;
        case FWS_CTAG_DIGEST:
            if (vlen != FWS_HASH_LEN)
                goto bad_len;
            c->digest = v;
            seen |= C_DIGEST;
            break;
        case FWS_CTAG_STORED_SIZE:
            if (vlen != 8)
                goto bad_len;
            c->stored_size = fws_load64_le(v);
            seen |= C_STORED;
            break;
        case FWS_CTAG_COMPRESSION:
            if (vlen != 2)
                goto bad_len;
            c->method = v[0];
            c->wbits = v[1];
            seen |= C_COMP;
            break;
        case FWS_CTAG_ADDRESS:
            if (vlen != 8)
                goto bad_len;
            c->address = fws_load64_le(v);
            c->has_address = 1;
            break;
        default:
            if (!(tag & FWS_TAG_NONCRITICAL)) {
                r.pos = r.pos - (4u + vlen) + base;
                return fail(d, &r, "components[].field", idx, FWS_E_UNKNOWN_CRITICAL);
            }
        }
    }
    r.pos += base;
    if (rc < 0)
        return fail(d, &r, "components[]", idx, -rc);
    if (seen != C_ALL)
        return fail(d, &r, !(seen & C_NAME)     ? "components[].name"
                           : !(seen & C_SIZE)   ? "components[].size"
                           : !(seen & C_DIGEST) ? "components[].digest"
                           : !(seen & C_STORED) ? "components[].stored_size"
                                                : "components[].compression",
                    idx, FWS_E_MISSING_FIELD);
    if (c->method == FWS_COMP_NONE) {
        if (c->wbits != 0)
            return fail(d, &r, "components[].compression", idx, FWS_E_COMPRESSION);
        if (c->stored_size != c->size)
            return fail(d, &r, "components[].stored_size", idx, FWS_E_SIZES);
    } else if (c->method == FWS_COMP_ZLIB) {
        if (c->wbits < FWS_MIN_WBITS || c->wbits > FWS_MAX_WBITS)
            return fail(d, &r, "components[].compression", idx, FWS_E_COMPRESSION);
        if (c->stored_size < 8)   /* the shortest zlib stream */
            return fail(d, &r, "components[].stored_size", idx, FWS_E_SIZES);
    } else {
        return fail(d, &r, "components[].compression", idx, FWS_E_COMPRESSION);
    }
    return FWS_OK;
bad_name:
    r.pos = r.pos - (4u + vlen) + base;
    return fail(d, &r, "components[].name", idx, FWS_E_NAME);
bad_len:
    r.pos = r.pos - (4u + vlen) + base;
    return fail(d, &r, "components[].field", idx, FWS_E_FIELD_LENGTH);
}

static int decode_components(const uint8_t *v, size_t len, fws_manifest *m, fws_diag *d,
                             uint32_t base)
{
    tlv_reader at = {v, len, 0, 0};
    size_t pos = 1;
    uint8_t i, j;
    uint64_t offset = 0;
    int rc;
    at.pos = 0;
    if (len < 1 || v[0] == 0 || v[0] > FWS_MAX_COMPONENTS) {
        at.pos = base;
        return fail(d, &at, "components.count", 0, FWS_E_COMPONENT_COUNT);
    }
    m->n_components = v[0];
    for (i = 0; i < m->n_components; i++) {
        uint16_t rlen;
        fws_component *c = &m->comp[i];
        at.pos = base + pos;
        if (len - pos < 2)
            return fail(d, &at, "components[]", i, FWS_E_FIELD_LENGTH);
        rlen = fws_load16_le(v + pos);
        if (rlen > len - pos - 2)
            return fail(d, &at, "components[]", i, FWS_E_FIELD_LENGTH);
        rc = decode_component(v + pos + 2, rlen, c, d, i, (uint32_t)(base + pos + 2));
        if (rc)
            return rc;
        for (j = 0; j < i; j++)
            if (ref_component_names_clash(m->comp[j].name, m->comp[j].name_len, c->name,
                                          c->name_len))
                return fail(d, &at, "components[].name", i, FWS_E_DUPLICATE_NAME);
        c->offset = offset;
        if (c->stored_size > UINT64_MAX - offset)
            return fail(d, &at, "components[].stored_size", i, FWS_E_SIZES);
        offset += c->stored_size;
        pos += 2u + rlen;
    }
    at.pos = base + pos;
    if (pos != len)
        return fail(d, &at, "components", 0, FWS_E_TRAILING);
    return FWS_OK;
}

enum { F_VERSION = 1, F_COUNTER = 2, F_CLASS = 4, F_TIME = 8, F_PAYLOAD = 16, F_COMPS = 32,
       F_REQUIRED = 63 };

int ref_manifest_decode(const uint8_t *buf, size_t len, fws_manifest *m, fws_diag *d)
{
    tlv_reader r = {buf, len, 0, 0};
    uint16_t tag, vlen;
    const uint8_t *v;
    unsigned seen = 0;
    uint64_t total = 0;
    uint8_t i;
    int rc;
    fws_zero(m, sizeof *m);
    if (d) {
        d->offset = 0;
        d->field = "manifest";
        d->index = 0;
    }
    if (len == 0 || len > FWS_MAX_MANIFEST)
        return FWS_E_MANIFEST_SIZE;
    while ((rc = tlv_next(&r, &tag, &v, &vlen)) == 1) {
        size_t at = r.pos - vlen - 4u;   /* start of this field, for diagnostics */
        int bad_len = 0;
        switch (tag) {
        case FWS_TAG_VERSION:
            if (vlen != 10) { bad_len = 1; break; }
            m->major = fws_load16_le(v);
            m->minor = fws_load16_le(v + 2);
            m->patch = fws_load16_le(v + 4);
            m->build = fws_load32_le(v + 6);
            seen |= F_VERSION;
            break;
        case FWS_TAG_COUNTER:
            if (vlen != 4) { bad_len = 1; break; }
            m->counter = fws_load32_le(v);
            seen |= F_COUNTER;
            break;
        case FWS_TAG_CLASS:
            if (vlen != FWS_CLASS_LEN) { bad_len = 1; break; }
            m->class_id = v;
            seen |= F_CLASS;
            break;
        case FWS_TAG_TIMESTAMP:
            if (vlen != 8) { bad_len = 1; break; }
            m->timestamp = fws_load64_le(v);
            seen |= F_TIME;
            break;
        case FWS_TAG_PAYLOAD:
            if (vlen != 44) { bad_len = 1; break; }
            m->payload_len = fws_load64_le(v);
            m->chunk_size = fws_load32_le(v + 8);
            m->first_chunk_hash = v + 12;
            seen |= F_PAYLOAD;
            if (m->chunk_size < FWS_MIN_CHUNK || m->chunk_size > FWS_MAX_CHUNK ||
                m->chunk_size % FWS_CHUNK_ALIGN) {
                r.pos = at;
                return fail(d, &r, "payload.chunk_size", 0, FWS_E_CHUNK_SIZE);
            }
            if ((m->payload_len == 0) != is_zero(m->first_chunk_hash, FWS_HASH_LEN)) {
                r.pos = at;
                return fail(d, &r, "payload.first_chunk_hash", 0, FWS_E_SIZES);
            }
            break;
        case FWS_TAG_ENCRYPTION:
            if (vlen != 33) { bad_len = 1; break; }
            if (v[0] != FWS_ENC_CHACHA20) {
                r.pos = at;
                return fail(d, &r, "encryption.algorithm", 0, FWS_E_ENCRYPTION);
            }
            m->encrypted = 1;
            m->enc_alg = v[0];
            m->key_commitment = v + 1;
            break;
        case FWS_TAG_COMPONENTS:
            rc = decode_components(v, vlen, m, d, (uint32_t)(at + 4));
            if (rc)
                return rc;
            seen |= F_COMPS;
            break;
        case FWS_TAG_MIN_KEY_GENERATION:
            if (vlen != 4) { bad_len = 1; break; }
            m->min_key_generation = fws_load32_le(v);
            m->has_min_key_generation = 1;
            break;
        case FWS_TAG_META:
            if (!meta_check(v, vlen)) {
                r.pos = at;
                return fail(d, &r, "meta", 0, FWS_E_META);
            }
            m->meta = v;
            m->meta_len = vlen;
            break;
        default:
            if (!(tag & FWS_TAG_NONCRITICAL)) {
                r.pos = at;
                return fail(d, &r, "unknown field", 0, FWS_E_UNKNOWN_CRITICAL);
            }
        }
        if (bad_len) {
            r.pos = at;
            return fail(d, &r, tag == FWS_TAG_VERSION     ? "version"
                               : tag == FWS_TAG_COUNTER   ? "counter"
                               : tag == FWS_TAG_CLASS     ? "class"
                               : tag == FWS_TAG_TIMESTAMP ? "timestamp"
                               : tag == FWS_TAG_PAYLOAD   ? "payload"
                               : tag == FWS_TAG_ENCRYPTION ? "encryption"
                                                          : "min_key_generation",
                        0, FWS_E_FIELD_LENGTH);
        }
    }
    if (rc < 0)
        return fail(d, &r, "manifest", 0, -rc);
    if (seen != F_REQUIRED)
        return fail(d, &r, !(seen & F_VERSION)   ? "version"
                           : !(seen & F_COUNTER) ? "counter"
                           : !(seen & F_CLASS)   ? "class"
                           : !(seen & F_TIME)    ? "timestamp"
                           : !(seen & F_PAYLOAD) ? "payload"
                                                 : "components",
                    0, FWS_E_MISSING_FIELD);
    for (i = 0; i < m->n_components; i++)
        total += m->comp[i].stored_size;   /* overflow checked while decoding */
    if (total != m->payload_len)
        return fail(d, &r, "payload.length", 0, FWS_E_SIZES);
    if (m->encrypted && m->payload_len > FWS_MAX_ENCRYPTED_PAYLOAD)
        return fail(d, &r, "payload.length", 0, FWS_E_ENCRYPTION);
    return FWS_OK;
}
