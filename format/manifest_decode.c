/* SPDX-License-Identifier: MIT */
/*
 * Strict manifest decoder, driven by tables.  A record (the manifest, or
 * one component) is a run of TLV fields; one walker (fws_mf_next) checks
 * what every field has in common -- the head fits, tags strictly ascend
 * (which also forbids duplicates and makes the encoding canonical), a known
 * field has its exact length, an unknown critical field rejects, an
 * unknown non-critical one is skipped, every required field is there --
 * and stores each known field's value into the struct as its rule says.
 * Only what is particular to a field (chunk size, names, META, the
 * component records, compression) is code.  Where it stops is a field id
 * (FWS_MF_*); the names are in manifest_diag.c, so a device that links
 * this file alone carries none.
 */
#include "fws_bytes.h"
#include "fws_manifest.h"

/* A value's way into the struct: what to store, at which struct offset,
 * of which width (the member's sizeof), from which value offset. */
enum { FWS_MF_INT, FWS_MF_PTR, FWS_MF_ONE, FWS_MF_LEN };
typedef struct {
    uint16_t dst;
    uint8_t width;
    uint8_t how;   /* FWS_MF_INT/PTR/ONE/LEN << 6 | value offset */
} fws_mf_op;

#define FWS_MF_OP(type, member, kind, src) \
    {(uint16_t)offsetof(type, member), (uint8_t)sizeof(((type *)0)->member), (kind) << 6 | (src)}
#define FWS_MF_M(member, kind, src) FWS_MF_OP(fws_manifest, member, kind, src)
#define FWS_MF_C(member, kind, src) FWS_MF_OP(fws_component, member, kind, src)

/* A known field: its tag, its exact value length (0: any; the field's own
 * check bounds it), the name of its field for diagnostics, and how many
 * stores it makes (its ops follow those of the rules before it). */
typedef struct {
    uint16_t tag;
    uint8_t len;
    uint8_t name;
    uint8_t n_op;
} fws_mf_rule;

/* One kind of record: its rules in tag order (also the order in which a
 * missing field is named), which must appear, and the names diagnostics
 * give a bad head, a bad length (FWS_MF_OWN: the rule's) and an unknown
 * critical field. */
#define FWS_MF_OWN 0xFF
typedef struct {
    const fws_mf_rule *rule;
    const fws_mf_op *op;
    uint8_t n_rule;
    uint8_t required;
    uint8_t head_name, len_name, unknown_name;
} fws_mf_level;

static const fws_mf_rule fws_mf_top_rules[] = {
    {FWS_TAG_VERSION, 10, FWS_MF_VERSION, 4},
    {FWS_TAG_COUNTER, 4, FWS_MF_COUNTER, 1},
    {FWS_TAG_CLASS, FWS_CLASS_LEN, FWS_MF_CLASS, 1},
    {FWS_TAG_TIMESTAMP, 8, FWS_MF_TIMESTAMP, 1},
    {FWS_TAG_PAYLOAD, 44, FWS_MF_PAYLOAD, 3},
    {FWS_TAG_ENCRYPTION, 33, FWS_MF_ENCRYPTION, 3},
    {FWS_TAG_COMPONENTS, 0, FWS_MF_COMPONENTS, 0},
    {FWS_TAG_MIN_KEY_GENERATION, 4, FWS_MF_MIN_KEY_GENERATION, 2},
    {FWS_TAG_META, 0, FWS_MF_META, 2},
};
static const fws_mf_op fws_mf_top_ops[] = {
    FWS_MF_M(major, FWS_MF_INT, 0), FWS_MF_M(minor, FWS_MF_INT, 2),
    FWS_MF_M(patch, FWS_MF_INT, 4), FWS_MF_M(build, FWS_MF_INT, 6),
    FWS_MF_M(counter, FWS_MF_INT, 0),
    FWS_MF_M(class_id, FWS_MF_PTR, 0),
    FWS_MF_M(timestamp, FWS_MF_INT, 0),
    FWS_MF_M(payload_len, FWS_MF_INT, 0), FWS_MF_M(chunk_size, FWS_MF_INT, 8),
    FWS_MF_M(first_chunk_hash, FWS_MF_PTR, 12),
    FWS_MF_M(enc_alg, FWS_MF_INT, 0), FWS_MF_M(key_commitment, FWS_MF_PTR, 1),
    FWS_MF_M(encrypted, FWS_MF_ONE, 0),
    FWS_MF_M(min_key_generation, FWS_MF_INT, 0), FWS_MF_M(has_min_key_generation, FWS_MF_ONE, 0),
    FWS_MF_M(meta, FWS_MF_PTR, 0), FWS_MF_M(meta_len, FWS_MF_LEN, 0),
};
/* VERSION, COUNTER, CLASS, TIMESTAMP, PAYLOAD and COMPONENTS. */
#define FWS_MF_TOP_REQUIRED 0x5F

static const fws_mf_rule fws_mf_comp_rules[] = {
    {FWS_CTAG_NAME, 0, FWS_MF_C_NAME, 2},
    {FWS_CTAG_SIZE, 8, FWS_MF_C_SIZE, 1},
    {FWS_CTAG_DIGEST, FWS_HASH_LEN, FWS_MF_C_DIGEST, 1},
    {FWS_CTAG_STORED_SIZE, 8, FWS_MF_C_STORED_SIZE, 1},
    {FWS_CTAG_COMPRESSION, 2, FWS_MF_C_COMPRESSION, 2},
    {FWS_CTAG_ADDRESS, 8, FWS_MF_C_FIELD, 2},
};
static const fws_mf_op fws_mf_comp_ops[] = {
    FWS_MF_C(name, FWS_MF_PTR, 0), FWS_MF_C(name_len, FWS_MF_LEN, 0),
    FWS_MF_C(size, FWS_MF_INT, 0),
    FWS_MF_C(digest, FWS_MF_PTR, 0),
    FWS_MF_C(stored_size, FWS_MF_INT, 0),
    FWS_MF_C(method, FWS_MF_INT, 0), FWS_MF_C(wbits, FWS_MF_INT, 1),
    FWS_MF_C(address, FWS_MF_INT, 0), FWS_MF_C(has_address, FWS_MF_ONE, 0),
};
/* Every field but ADDRESS. */
#define FWS_MF_COMP_REQUIRED 0x1F

static const fws_mf_level fws_mf_top = {
    fws_mf_top_rules, fws_mf_top_ops, sizeof fws_mf_top_rules / sizeof fws_mf_top_rules[0],
    FWS_MF_TOP_REQUIRED, FWS_MF_MANIFEST, FWS_MF_OWN, FWS_MF_UNKNOWN};
static const fws_mf_level fws_mf_comp = {
    fws_mf_comp_rules, fws_mf_comp_ops, sizeof fws_mf_comp_rules / sizeof fws_mf_comp_rules[0],
    FWS_MF_COMP_REQUIRED, FWS_MF_COMPONENT, FWS_MF_C_FIELD, FWS_MF_C_FIELD};

/* A record being walked: p[0..len), field heads from pos; base is p's
 * offset in the manifest and index the component (diagnostics). */
typedef struct {
    const uint8_t *p;
    size_t len, pos;
    uint32_t base;
    uint16_t last;     /* previous tag; 0 before the first (tag 0 is never valid) */
    uint8_t seen;      /* rules met, bit i for rule i */
    uint8_t index;
    const fws_mf_level *lv;
    uint8_t *obj;      /* the struct the values go to */
    fws_manifest_at *at;
} fws_mf_reader;

/* Records where the decoder stopped; returns err. */
static int fws_mf_stop(fws_manifest_at *at, size_t offset, uint8_t field, uint8_t index, int err)
{
    at->offset = (uint32_t)offset;
    at->field = field;
    at->index = index;
    return err;
}

static void fws_mf_store(uint8_t *obj, const fws_mf_op *op, const uint8_t *v, uint16_t vlen)
{
    uint8_t *dst = obj + op->dst;
    const uint8_t *src = v + (op->how & 63);
    unsigned kind = op->how >> 6;
    uint64_t x = kind == FWS_MF_ONE ? 1u : vlen;
    uint8_t le[8];
    if (kind == FWS_MF_PTR) {
        *(const uint8_t **)(void *)dst = src;
        return;
    }
    if (kind == FWS_MF_INT) {   /* the value's bytes, zero-extended */
        fws_zero(le, sizeof le);
        fws_copy(le, src, op->width);
        x = fws_load64_le(le);
    }
    if (op->width == 1)
        *dst = (uint8_t)x;
    else if (op->width == 2)
        *(uint16_t *)(void *)dst = (uint16_t)x;
    else if (op->width == 4)
        *(uint32_t *)(void *)dst = (uint32_t)x;
    else
        *(uint64_t *)(void *)dst = x;
}

/* The next known field of the record, already stored: 1 with its tag and
 * value (the field starts at r->pos - 4 - *vlen); 0 at the end of a
 * complete record; or a negative fws_format_err, *r->at filled. */
static int fws_mf_next(fws_mf_reader *r, uint16_t *tag, const uint8_t **v, uint16_t *vlen)
{
    const fws_mf_level *lv = r->lv;
    const fws_mf_rule *ru;
    uint8_t i, k, op, name;
    size_t start;
    int err;
    for (;;) {
        start = r->pos;
        name = lv->head_name;
        if (start == r->len) {
            for (i = 0; i < lv->n_rule; i++)
                if ((lv->required & ~r->seen) >> i & 1u) {
                    name = lv->rule[i].name;
                    err = FWS_E_MISSING_FIELD;
                    goto stop;
                }
            return 0;
        }
        err = FWS_E_FIELD_LENGTH;
        if (r->len - start < 4)
            goto stop;
        *tag = fws_load16_le(r->p + start);
        *vlen = fws_load16_le(r->p + start + 2);
        err = FWS_E_FIELD_ORDER;
        if (*tag == 0 || *tag <= r->last)
            goto stop;
        err = FWS_E_FIELD_LENGTH;
        if (*vlen > r->len - start - 4)
            goto stop;
        *v = r->p + start + 4;
        r->last = *tag;
        r->pos = start + 4u + *vlen;
        for (i = 0, op = 0; i < lv->n_rule && lv->rule[i].tag != *tag; i++)
            op = (uint8_t)(op + lv->rule[i].n_op);
        if (i < lv->n_rule)
            break;
        name = lv->unknown_name;
        err = FWS_E_UNKNOWN_CRITICAL;
        if (!(*tag & FWS_TAG_NONCRITICAL))
            goto stop;
    }
    ru = &lv->rule[i];
    name = lv->len_name == FWS_MF_OWN ? ru->name : lv->len_name;
    if (ru->len && *vlen != ru->len)
        goto stop;   /* err is FWS_E_FIELD_LENGTH */
    r->seen = (uint8_t)(r->seen | 1u << i);
    for (k = 0; k < ru->n_op; k++)
        fws_mf_store(r->obj, &lv->op[op + k], *v, *vlen);
    return 1;
stop:
    return -fws_mf_stop(r->at, r->base + start, name, r->index, err);
}

static void fws_mf_reader_init(fws_mf_reader *r, const fws_mf_level *lv, const uint8_t *p,
                               size_t len, uint32_t base, void *obj, uint8_t index,
                               fws_manifest_at *at)
{
    r->p = p;
    r->len = len;
    r->pos = 0;
    r->base = base;
    r->last = 0;
    r->seen = 0;
    r->index = index;
    r->lv = lv;
    r->obj = (uint8_t *)obj;
    r->at = at;
}

/* 1 if c may be in a META key: [A-Za-z0-9._-]; component names also
 * allow '+' (plus) and separate segments with '/'. */
static int fws_mf_name_char(uint8_t c, int plus)
{
    uint8_t l = (uint8_t)(c | 0x20);
    return (l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
           (plus && c == '+');
}

int fws_component_name_valid(const uint8_t *name, size_t len)
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
        if (!fws_mf_name_char(c, 1))
            return 0;
        seg++;
    }
    return 1;
}

int fws_meta_key_valid(const uint8_t *key, size_t len)
{
    size_t i;
    if (len == 0 || len > FWS_MAX_META_KEY)
        return 0;
    for (i = 0; i < len; i++)
        if (!fws_mf_name_char(key[i], 0))
            return 0;
    return 1;
}

int fws_meta_key_cmp(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
    size_t i;
    for (i = 0; i < a_len && i < b_len; i++)
        if (a[i] != b[i])
            return (int)a[i] - (int)b[i];
    return (a_len > b_len) - (a_len < b_len);
}

int fws_meta_next(const uint8_t *meta, size_t meta_len, size_t *pos,
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
        if (!fws_meta_next(meta, len, &pos, &key, &klen, &value, &vlen))
            return 0;
        if (!fws_meta_key_valid(key, klen) || vlen > FWS_MAX_META_VALUE)
            return 0;
        if (prev && fws_meta_key_cmp(key, klen, prev, prev_len) <= 0)
            return 0;   /* keys strictly ascending */
        prev = key;
        prev_len = klen;
    }
    return 1;
}

/* Names are valid (only [A-Za-z0-9._+-/]), so OR-ing 0x20 folds exactly
 * the letters' case and maps no two other valid bytes together. */
int fws_component_names_clash(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
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

/* A complete component's method, window and sizes: FWS_OK, or the error
 * and (*field) where. */
static int fws_mf_compression(const fws_component *c, uint8_t *field)
{
    int none = c->method == FWS_COMP_NONE;
    *field = FWS_MF_C_COMPRESSION;
    if (none ? c->wbits != 0
             : (c->method != FWS_COMP_ZLIB || c->wbits < FWS_MIN_WBITS || c->wbits > FWS_MAX_WBITS))
        return FWS_E_COMPRESSION;
    *field = FWS_MF_C_STORED_SIZE;
    if (none ? c->stored_size != c->size : c->stored_size < 8)   /* the shortest zlib stream */
        return FWS_E_SIZES;
    return FWS_OK;
}

/* The COMPONENTS value at manifest offset base: count, then records of
 * u16le length || TLV fields, back to back.  *total gets the sum of the
 * stored sizes. */
static int fws_mf_components(fws_manifest *m, const uint8_t *v, size_t len, uint32_t base,
                             fws_manifest_at *at, uint64_t *total)
{
    size_t pos = 1;
    uint64_t offset = 0;
    uint8_t i, j, field;
    if (len < 1 || v[0] == 0 || v[0] > FWS_MAX_COMPONENTS)
        return fws_mf_stop(at, base, FWS_MF_COMPONENT_COUNT, 0, FWS_E_COMPONENT_COUNT);
    m->n_components = v[0];
    for (i = 0; i < m->n_components; i++) {
        fws_component *c = &m->comp[i];
        fws_mf_reader r;
        const uint8_t *fv;
        uint16_t rlen, tag, flen;
        int rc;
        if (len - pos < 2 || (rlen = fws_load16_le(v + pos)) > len - pos - 2)
            return fws_mf_stop(at, base + pos, FWS_MF_COMPONENT, i, FWS_E_FIELD_LENGTH);
        fws_mf_reader_init(&r, &fws_mf_comp, v + pos + 2, rlen, (uint32_t)(base + pos + 2), c,
                           i, at);
        while ((rc = fws_mf_next(&r, &tag, &fv, &flen)) == 1)
            if (tag == FWS_CTAG_NAME && !fws_component_name_valid(fv, flen))
                return fws_mf_stop(at, r.base + r.pos - 4u - flen, FWS_MF_C_NAME, i, FWS_E_NAME);
        if (rc < 0)
            return -rc;
        rc = fws_mf_compression(c, &field);
        if (rc)
            return fws_mf_stop(at, r.base + rlen, field, i, rc);
        for (j = 0; j < i; j++)
            if (fws_component_names_clash(m->comp[j].name, m->comp[j].name_len, c->name,
                                          c->name_len))
                return fws_mf_stop(at, base + pos, FWS_MF_C_NAME, i, FWS_E_DUPLICATE_NAME);
        c->offset = offset;
        if (c->stored_size > UINT64_MAX - offset)
            return fws_mf_stop(at, base + pos, FWS_MF_C_STORED_SIZE, i, FWS_E_SIZES);
        offset += c->stored_size;
        pos += 2u + rlen;
    }
    if (pos != len)
        return fws_mf_stop(at, base + pos, FWS_MF_COMPONENTS, 0, FWS_E_TRAILING);
    *total = offset;
    return FWS_OK;
}

int fws_manifest_decode_at(const uint8_t *buf, size_t len, fws_manifest *m, fws_manifest_at *at)
{
    fws_mf_reader r;
    const uint8_t *v;
    uint16_t tag, vlen;
    uint64_t total = 0;
    uint32_t start;
    int rc;
    fws_manifest_at ignored;   /* where a caller that passed NULL stopped */
    if (!at)
        at = &ignored;
    fws_zero(m, sizeof *m);
    fws_mf_stop(at, 0, FWS_MF_MANIFEST, 0, 0);
    if (len == 0 || len > FWS_MAX_MANIFEST)
        return FWS_E_MANIFEST_SIZE;
    fws_mf_reader_init(&r, &fws_mf_top, buf, len, 0, m, 0, at);
    while ((rc = fws_mf_next(&r, &tag, &v, &vlen)) == 1) {
        start = (uint32_t)(r.pos - 4u - vlen);
        if (tag == FWS_TAG_PAYLOAD) {
            if (m->chunk_size < FWS_MIN_CHUNK || m->chunk_size > FWS_MAX_CHUNK ||
                m->chunk_size % FWS_CHUNK_ALIGN)
                return fws_mf_stop(at, start, FWS_MF_CHUNK_SIZE, 0, FWS_E_CHUNK_SIZE);
            if ((m->payload_len == 0) != is_zero(m->first_chunk_hash, FWS_HASH_LEN))
                return fws_mf_stop(at, start, FWS_MF_FIRST_CHUNK_HASH, 0, FWS_E_SIZES);
        } else if (tag == FWS_TAG_ENCRYPTION && m->enc_alg != FWS_ENC_CHACHA20) {
            return fws_mf_stop(at, start, FWS_MF_ENC_ALGORITHM, 0, FWS_E_ENCRYPTION);
        } else if (tag == FWS_TAG_COMPONENTS) {
            rc = fws_mf_components(m, v, vlen, start + 4u, at, &total);
            if (rc)
                return rc;
        } else if (tag == FWS_TAG_META && !meta_check(v, vlen)) {
            return fws_mf_stop(at, start, FWS_MF_META, 0, FWS_E_META);
        }
    }
    if (rc < 0)
        return -rc;
    if (total != m->payload_len)
        return fws_mf_stop(at, len, FWS_MF_PAYLOAD_LENGTH, 0, FWS_E_SIZES);
    if (m->encrypted && m->payload_len > FWS_MAX_ENCRYPTED_PAYLOAD)
        return fws_mf_stop(at, len, FWS_MF_PAYLOAD_LENGTH, 0, FWS_E_ENCRYPTION);
    return FWS_OK;
}
