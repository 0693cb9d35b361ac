/* SPDX-License-Identifier: MIT */
/* The manifest decoder against its reference (manifest_reference.c, the
 * decoder before the table-driven rewrite): on valid manifests and on
 * hundreds of thousands of mutated ones, the same result code, the same
 * diagnostic (offset, field name, component index) and, when it accepts,
 * the same decoded fields.  The host prints those diagnostics
 * (`fwseal inspect`), so they are behaviour too. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "fws_bytes.h"
#include "fws_manifest.h"
#include "manifest_reference.h"

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 2685821657736338717ull) >> 32);
}
static uint32_t below(uint32_t n)
{
    return n ? rnd() % n : 0;
}

static const char *const names[] = {"a", "boot", "app/main", "radio.bin", "B/c+d-e_f",
                                    "cfg/x/y", "z"};
static uint8_t digests[16][32], class_id[16], h0[32], commit[32];

/* A random valid manifest (through the encoder). */
static size_t random_manifest(uint8_t *out, size_t cap)
{
    fws_manifest m;
    static uint8_t meta[256];
    uint64_t total = 0;
    uint8_t i, n = (uint8_t)(1 + below(4));
    memset(&m, 0, sizeof m);
    m.major = (uint16_t)rnd();
    m.minor = (uint16_t)rnd();
    m.patch = (uint16_t)rnd();
    m.build = rnd();
    m.counter = rnd();
    m.class_id = class_id;
    m.timestamp = (uint64_t)rnd() << 20 | rnd();
    m.chunk_size = 256u << below(5);
    m.n_components = n;
    for (i = 0; i < n; i++) {
        fws_component *c = &m.comp[i];
        const char *nm = names[(i + below(2)) % 7];
        /* distinct names: the index makes them differ */
        static char buf[16][16];
        snprintf(buf[i], sizeof buf[i], "%s%u", nm, i);
        c->name = (const uint8_t *)buf[i];
        c->name_len = (uint8_t)strlen(buf[i]);
        c->digest = digests[i];
        if (below(2)) {
            c->method = FWS_COMP_ZLIB;
            c->wbits = (uint8_t)(9 + below(7));
            c->size = rnd();
            c->stored_size = 8 + below(5000);
        } else {
            c->method = FWS_COMP_NONE;
            c->size = c->stored_size = below(3) ? below(5000) : 0;
        }
        if (below(2)) {
            c->has_address = 1;
            c->address = (uint64_t)rnd() << 32 | rnd();
        }
        total += c->stored_size;
    }
    m.payload_len = total;
    m.first_chunk_hash = total ? h0 : digests[15]; /* digests[15] stays zero */
    if (below(2)) {
        m.encrypted = 1;
        m.enc_alg = FWS_ENC_CHACHA20;
        m.key_commitment = commit;
    }
    if (below(2)) {
        m.has_min_key_generation = 1;
        m.min_key_generation = rnd();
    }
    if (below(2)) {
        fws_meta_entry e[3] = {{(const uint8_t *)"git", 3, (const uint8_t *)"abc", 3},
                               {(const uint8_t *)"channel", 7, (const uint8_t *)"", 0},
                               {(const uint8_t *)"b.x-y_z", 7, (const uint8_t *)"v", 1}};
        size_t ml, bad;
        cr_assert_eq(fws_meta_encode(e, 1 + below(3), meta, sizeof meta, &ml, &bad), 0);
        m.meta = meta;
        m.meta_len = (uint16_t)ml;
    }
    size_t len = fws_manifest_encode(&m, out, cap);
    cr_assert(len > 0, "the encoder refused a valid manifest");
    return len;
}

/* Field heads of a TLV run (for mutations that hit the structure). */
static size_t heads(const uint8_t *p, size_t len, size_t base, size_t *out, size_t max)
{
    size_t pos = 0, n = 0;
    while (pos + 4 <= len && n < max) {
        uint16_t tag = fws_load16_le(p + pos), vlen = fws_load16_le(p + pos + 2);
        out[n++] = base + pos;
        if (vlen > len - pos - 4)
            break;
        if (tag == FWS_TAG_COMPONENTS && vlen >= 1) {
            /* records: count, then u16 length || TLV run */
            size_t r = pos + 5;
            while (r + 2 <= pos + 4 + vlen && n < max) {
                uint16_t rl = fws_load16_le(p + r);
                if (rl > pos + 4 + vlen - r - 2)
                    break;
                n += heads(p + r + 2, rl, base + r + 2, out + n, max - n);
                r += 2 + rl;
            }
        }
        pos += 4 + vlen;
    }
    return n;
}

static void mutate(uint8_t *buf, size_t *len, size_t cap)
{
    static const uint16_t tags[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x7fff, 0x8000, 0x8001,
                                    0x8002, 0xffff};
    size_t h[256], nh = heads(buf, *len, 0, h, 256), at, i, n;
    switch (below(7)) {
    case 0: /* flip bytes */
        for (n = 1 + below(3); n--;)
            buf[below((uint32_t)*len)] ^= (uint8_t)(1u << below(8));
        break;
    case 1: /* truncate */
        *len = below((uint32_t)*len + 1);
        break;
    case 2: /* a field's tag */
        if (nh) {
            at = h[below((uint32_t)nh)];
            fws_store16_le(buf + at, below(3) ? tags[below(15)] : (uint16_t)rnd());
        }
        break;
    case 3: /* a field's length */
        if (nh) {
            at = h[below((uint32_t)nh)];
            uint16_t l = fws_load16_le(buf + at + 2);
            fws_store16_le(buf + at + 2, below(2) ? (uint16_t)(l + below(5) - 2) : (uint16_t)below(50));
        }
        break;
    case 4: /* insert a field */
        if (*len + 8 <= cap) {
            at = nh && below(4) ? h[below((uint32_t)nh)] : below((uint32_t)*len + 1);
            memmove(buf + at + 6, buf + at, *len - at);
            fws_store16_le(buf + at, below(2) ? tags[below(15)] : (uint16_t)rnd());
            fws_store16_le(buf + at + 2, 2);
            buf[at + 4] = (uint8_t)rnd();
            buf[at + 5] = (uint8_t)rnd();
            *len += 6;
        }
        break;
    case 5: /* a byte anywhere, an interesting value */
        {
            static const uint8_t v[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 0x2f, 0x2e, 0x41, 0x7f,
                                        0x80, 0xff};
            buf[below((uint32_t)*len)] = v[below(15)];
        }
        break;
    default: /* delete a run */
        if (*len) {
            at = below((uint32_t)*len);
            n = 1 + below(8);
            if (n > *len - at)
                n = *len - at;
            for (i = at; i + n < *len; i++)
                buf[i] = buf[i + n];
            *len -= n;
        }
        break;
    }
}

static void expect_same(const uint8_t *buf, size_t len, const char *what, unsigned iter)
{
    fws_manifest a, b;
    fws_diag da, db;
    int ra, rb;
    uint8_t i;
    memset(&da, 0, sizeof da);
    memset(&db, 0, sizeof db);
    ra = ref_manifest_decode(buf, len, &a, &da);
    rb = fws_manifest_decode(buf, len, &b, &db);
    cr_assert_eq(rb, ra, "%s %u: result %d, reference %d", what, iter, rb, ra);
    cr_assert_eq(db.offset, da.offset, "%s %u (%s): offset %u, reference %u", what, iter,
                 fws_format_err_name(ra), db.offset, da.offset);
    cr_assert_str_eq(db.field, da.field, "%s %u (%s): field %s, reference %s", what, iter,
                     fws_format_err_name(ra), db.field, da.field);
    cr_assert_eq(db.index, da.index, "%s %u: index", what, iter);
    /* Without a diag: the same result. */
    cr_assert_eq(fws_manifest_decode(buf, len, &b, NULL), ra);
    if (ra != FWS_OK)
        return;
    cr_assert(a.major == b.major && a.minor == b.minor && a.patch == b.patch &&
              a.build == b.build && a.counter == b.counter && a.class_id == b.class_id &&
              a.timestamp == b.timestamp && a.payload_len == b.payload_len &&
              a.chunk_size == b.chunk_size && a.first_chunk_hash == b.first_chunk_hash &&
              a.encrypted == b.encrypted && a.enc_alg == b.enc_alg &&
              a.key_commitment == b.key_commitment && a.n_components == b.n_components &&
              a.has_min_key_generation == b.has_min_key_generation &&
              a.min_key_generation == b.min_key_generation && a.meta == b.meta &&
              a.meta_len == b.meta_len,
              "%s %u: decoded manifest fields differ", what, iter);
    for (i = 0; i < FWS_MAX_COMPONENTS; i++) {
        const fws_component *x = &a.comp[i], *y = &b.comp[i];
        cr_assert(x->name == y->name && x->name_len == y->name_len && x->method == y->method &&
                      x->wbits == y->wbits && x->has_address == y->has_address &&
                      x->address == y->address && x->size == y->size &&
                      x->stored_size == y->stored_size && x->offset == y->offset &&
                      x->digest == y->digest,
                  "%s %u: component %u differs", what, iter, i);
    }
}

Test(manifest_reference, valid_manifests)
{
    uint8_t buf[FWS_MAX_MANIFEST];
    unsigned i;
    rng_state = 0x9e3779b97f4a7c15ull;
    for (i = 0; i < 16; i++)
        memset(digests[i], i == 15 ? 0 : (int)i + 1, 32);
    memset(class_id, 0x33, sizeof class_id);
    memset(h0, 0x44, sizeof h0);
    memset(commit, 0x55, sizeof commit);
    for (i = 0; i < 2000; i++) {
        size_t len = random_manifest(buf, sizeof buf);
        expect_same(buf, len, "valid", i);
    }
}

Test(manifest_reference, mutated_manifests)
{
    static uint8_t base[FWS_MAX_MANIFEST], buf[FWS_MAX_MANIFEST + 64];
    unsigned i, rejected = 0, seen = 0;
    int e;
    rng_state = 0x243f6a8885a308d3ull;
    for (i = 0; i < 16; i++)
        memset(digests[i], i == 15 ? 0 : (int)i + 1, 32);
    memset(class_id, 0x33, sizeof class_id);
    memset(h0, 0x44, sizeof h0);
    memset(commit, 0x55, sizeof commit);
    for (i = 0; i < 300000; i++) {
        size_t len = random_manifest(base, sizeof base), k;
        memcpy(buf, base, len);
        for (k = 1 + below(3); k--;)
            mutate(buf, &len, sizeof buf);
        fws_manifest m;
        e = fws_manifest_decode(buf, len, &m, NULL);
        rejected += e != FWS_OK;
        seen |= 1u << e;
        expect_same(buf, len, "mutated", i);
    }
    cr_assert(rejected > 100000, "the mutations should mostly be refused (%u)", rejected);
    /* Every rule of the decoder was hit. */
    for (e = FWS_E_MANIFEST_SIZE; e <= FWS_E_TRAILING; e++)
        cr_assert(seen & (1u << e), "no mutation gave %s", fws_format_err_name(e));
}

Test(manifest_reference, random_bytes)
{
    static uint8_t buf[600];
    unsigned i;
    size_t k;
    rng_state = 0x13198a2e03707344ull;
    for (i = 0; i < 100000; i++) {
        size_t len = below(sizeof buf);
        for (k = 0; k < len; k++)
            buf[k] = (uint8_t)rnd();
        /* Often a plausible first field head, so the decoder gets past it. */
        if (len >= 4 && below(2)) {
            fws_store16_le(buf, (uint16_t)(1 + below(9)));
            fws_store16_le(buf + 2, (uint16_t)below((uint32_t)len - 3));
        }
        expect_same(buf, len, "random", i);
    }
    expect_same(buf, 0, "empty", 0);
}
