/* SPDX-License-Identifier: MIT */
/* Canonical manifest encoder: fields in ascending tag order, fixed
 * widths, optional fields only when present.  Used by the host; a device
 * links only the decoder. */
#include "fws_bytes.h"
#include "fws_manifest.h"

typedef struct {
    uint8_t *out;
    size_t cap, pos;
    int overflow;
} writer;

static uint8_t *put(writer *w, size_t n)
{
    uint8_t *p;
    if (w->overflow || n > w->cap - w->pos) {
        w->overflow = 1;
        return 0;
    }
    p = w->out + w->pos;
    w->pos += n;
    return p;
}

/* Writes a field head and returns where its value goes. */
static uint8_t *field(writer *w, uint16_t tag, size_t len)
{
    uint8_t *p;
    if (len > 0xFFFF) {
        w->overflow = 1;
        return 0;
    }
    p = put(w, 4 + len);
    if (!p)
        return 0;
    fws_store16_le(p, tag);
    fws_store16_le(p + 2, (uint16_t)len);
    return p + 4;
}

static void put_bytes(writer *w, uint16_t tag, const uint8_t *v, size_t len)
{
    uint8_t *p = field(w, tag, len);
    if (p)
        fws_copy(p, v, len);
}

static void put_u64(writer *w, uint16_t tag, uint64_t v)
{
    uint8_t *p = field(w, tag, 8);
    if (p)
        fws_store64_le(p, v);
}

static void put_component(writer *w, const fws_component *c)
{
    uint8_t *len_at = put(w, 2), *p;
    size_t start = w->pos;
    put_bytes(w, FWS_CTAG_NAME, c->name, c->name_len);
    put_u64(w, FWS_CTAG_SIZE, c->size);
    put_bytes(w, FWS_CTAG_DIGEST, c->digest, FWS_HASH_LEN);
    put_u64(w, FWS_CTAG_STORED_SIZE, c->stored_size);
    if ((p = field(w, FWS_CTAG_COMPRESSION, 2)) != 0) {
        p[0] = c->method;
        p[1] = c->wbits;
    }
    if (c->has_address)
        put_u64(w, FWS_CTAG_ADDRESS, c->address);
    if (len_at && !w->overflow) {
        if (w->pos - start > 0xFFFF)
            w->overflow = 1;
        else
            fws_store16_le(len_at, (uint16_t)(w->pos - start));
    }
}

size_t fws_manifest_encode(const fws_manifest *m, uint8_t *out, size_t cap)
{
    writer w = {out, cap, 0, 0};
    uint8_t *p, *comps_head;
    size_t comps_start;
    uint8_t i;
    fws_manifest check;

    if ((p = field(&w, FWS_TAG_VERSION, 10)) != 0) {
        fws_store16_le(p, m->major);
        fws_store16_le(p + 2, m->minor);
        fws_store16_le(p + 4, m->patch);
        fws_store32_le(p + 6, m->build);
    }
    if ((p = field(&w, FWS_TAG_COUNTER, 4)) != 0)
        fws_store32_le(p, m->counter);
    put_bytes(&w, FWS_TAG_CLASS, m->class_id, FWS_CLASS_LEN);
    put_u64(&w, FWS_TAG_TIMESTAMP, m->timestamp);
    if ((p = field(&w, FWS_TAG_PAYLOAD, 44)) != 0) {
        fws_store64_le(p, m->payload_len);
        fws_store32_le(p + 8, m->chunk_size);
        fws_copy(p + 12, m->first_chunk_hash, FWS_HASH_LEN);
    }
    if (m->encrypted && (p = field(&w, FWS_TAG_ENCRYPTION, 33)) != 0) {
        p[0] = m->enc_alg;
        fws_copy(p + 1, m->key_commitment, FWS_HASH_LEN);
    }
    /* COMPONENTS: length known only after the records are written. */
    comps_head = put(&w, 4);
    comps_start = w.pos;
    if ((p = put(&w, 1)) != 0)
        p[0] = m->n_components;
    for (i = 0; i < m->n_components && i < FWS_MAX_COMPONENTS; i++)
        put_component(&w, &m->comp[i]);
    if (comps_head && !w.overflow) {
        if (w.pos - comps_start > 0xFFFF)
            return 0;
        fws_store16_le(comps_head, FWS_TAG_COMPONENTS);
        fws_store16_le(comps_head + 2, (uint16_t)(w.pos - comps_start));
    }
    if (m->has_min_key_generation && (p = field(&w, FWS_TAG_MIN_KEY_GENERATION, 4)) != 0)
        fws_store32_le(p, m->min_key_generation);
    if (m->meta)
        put_bytes(&w, FWS_TAG_META, m->meta, m->meta_len);
    if (w.overflow)
        return 0;
    if (fws_manifest_decode(out, w.pos, &check, 0) != FWS_OK)
        return 0;
    return w.pos;
}
