/* SPDX-License-Identifier: MIT */
/* Shared harness code; see fuzz_common.h. */
#include "fuzz_common.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "host_capsule.h"
#include "host_class_id.h"
#include "container_reader.h"
#include "decide.h"
#include "fws_bytes.h"
#include "spec_digest.h"

const char *const fz_key_name[FZ_NKEYS] = {"sign1", "sign2", "sign3", "dev", "psk"};

/* Plaintext kept for the boot cross-check; larger installs skip it. */
#define FZ_PLAIN_CAP ((size_t)16 << 20)

void fz_fail(const char *fmt, ...)
{
    va_list ap;
    fz_quiet(0);
    fputs("\nfuzz finding: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

void fz_quiet(int on)
{
    static FILE *devnull, *saved;
    if (on) {
        if (!devnull)
            devnull = fopen("/dev/null", "w");
        if (devnull && !saved) {
            saved = stderr;
            stderr = devnull;
        }
    } else if (saved) {
        stderr = saved;
        saved = NULL;
    }
}

uint64_t fz_rand(uint64_t *s)
{
    uint64_t x = *s ? *s : 0x9E3779B97F4A7C15ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

/* ------------------------------------------------------------- keys */

void fz_seed(int k, uint8_t out[32])
{
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(0x5A ^ (0x11 * (k + 1)) ^ (7 * i));
}

void fz_keys_init(fz_keys *k)
{
    static const fws_key_type type[FZ_NKEYS] = {FWS_KEY_ED25519, FWS_KEY_ED25519,
                                                FWS_KEY_ED25519, FWS_KEY_X25519, FWS_KEY_PSK};
    uint8_t seed[32];
    if (sodium_init() < 0)
        fz_fail("sodium_init failed");
    memset(k, 0, sizeof *k);
    for (int i = 0; i < FZ_NKEYS; i++) {
        fz_seed(i, seed);
        if (fws_key_from_seed(type[i], seed, &k->key[i]) != 0)
            fz_fail("fws_key_from_seed(%s) failed", fz_key_name[i]);
    }
    memcpy(k->trusted[0], k->key[FZ_SIGN1].pub, 32);
    memcpy(k->trusted[1], k->key[FZ_SIGN2].pub, 32);
    host_class_id(FZ_CLASS_STRING, k->class_id);
}

/* The secure-element path: opens X25519 capsules for the device key with
 * the host's implementation. */
static int fz_unwrap(void *user, uint8_t type, const uint8_t body[FWS_CAPSULE_BODY],
                     uint8_t key[FWS_KEY_LEN])
{
    const fz_keys *k = user;
    const fws_key *dev = &k->key[FZ_DEV];
    if (type != FWS_CAPSULE_X25519 || memcmp(body, dev->id, FWS_KEYID_LEN))
        return 1;
    return host_capsule_unwrap_x25519(key, body, dev->secret, dev->pub) ? 1 : 0;
}

void fz_device_policy(const fz_keys *k, uint8_t mode, fws_policy *p)
{
    memset(p, 0, sizeof *p);
    p->trusted = (const uint8_t(*)[32])k->trusted;
    p->n_trusted = 2;
    p->threshold = (mode & FZ_MODE_THRESH2) ? 2 : 1;
    p->class_id = (mode & FZ_MODE_CLASS) ? k->class_id : FWS_CLASS_ANY;
    p->max_size = UINT64_MAX;
    p->counter_floor = (mode & FZ_MODE_FLOOR) ? 6 : 3;
    /* 2^16 by default: an encrypted install wipes max_chunk bytes, and a
     * 1 MiB wipe per run would dominate the run time. */
    p->max_chunk = (mode & FZ_MODE_SMALL) ? 1024 : (mode & FZ_MODE_BIG) ? FWS_MAX_CHUNK : 65536;
    p->max_wbits = (mode & FZ_MODE_SMALL) ? 10 : 15;
    if (mode & FZ_MODE_ROOTS) {
        p->roots = (const uint8_t(*)[32])k->key[FZ_SIGN3].pub;
        p->n_roots = p->root_threshold = 1;
        p->key_generation_floor = FZ_DELEGATED_GENERATION;
    }
    switch (mode & FZ_MODE_KEY_MASK) {
    case 0:
        p->x25519_secret = k->key[FZ_DEV].secret;
        p->x25519_public = k->key[FZ_DEV].pub;
        break;
    case 1:
        p->psk = k->key[FZ_PSK].secret;
        break;
    case 2:
        break;
    default:
        p->unwrap = fz_unwrap;
        p->unwrap_user = (void *)(uintptr_t)k;
        break;
    }
}

static void fz_host_policy(const fz_keys *k, uint8_t mode, policy *p)
{
    memset(p, 0, sizeof *p);
    p->trusted = &k->key[FZ_SIGN1];   /* sign1, sign2: consecutive */
    p->n_trusted = 2;
    p->threshold = (mode & FZ_MODE_THRESH2) ? 2 : 1;
    p->check_class = (mode & FZ_MODE_CLASS) != 0;
    memcpy(p->class_id, k->class_id, FWS_CLASS_LEN);
    p->min_counter = (mode & FZ_MODE_FLOOR) ? 6 : 3;
    if (mode & FZ_MODE_ROOTS) {
        p->roots = &k->key[FZ_SIGN3];
        p->n_roots = p->root_threshold = 1;
        p->key_generation_floor = FZ_DELEGATED_GENERATION;
    }
    switch (mode & FZ_MODE_KEY_MASK) {
    case 1:
        p->device_key = &k->key[FZ_PSK];
        break;
    case 2:
        p->device_key = NULL;
        break;
    default:
        p->device_key = &k->key[FZ_DEV];
        break;
    }
}

/* ------------------------------------------------------ install sinks */

typedef struct {
    int cur;                       /* component announced last, -1 before */
    uint64_t off, size;            /* bytes of cur received / declared */
    crypto_hash_sha256_state h;    /* index bytes and plaintext, in order */
    uint8_t *plain;
    size_t plain_len, plain_cap;
    int plain_overflow;
    size_t start[FWS_MAX_COMPONENTS];
    uint64_t got[FWS_MAX_COMPONENTS];
} fz_sink_state;

static void plain_append(fz_sink_state *s, const uint8_t *d, size_t n)
{
    if (s->plain_overflow || n == 0)
        return;
    if (n > FZ_PLAIN_CAP - s->plain_len) {
        s->plain_overflow = 1;
        return;
    }
    if (s->plain_len + n > s->plain_cap) {
        size_t cap = (s->plain_len + n) * 2 + 4096;
        uint8_t *p = realloc(s->plain, cap);
        if (!p) {
            s->plain_overflow = 1;
            return;
        }
        s->plain = p;
        s->plain_cap = cap;
    }
    memcpy(s->plain + s->plain_len, d, n);
    s->plain_len += n;
}

/* The verifier's sink: announcements in order, offsets contiguous, never
 * past the declared size. */
static int dev_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                     const uint8_t *data, size_t len)
{
    fz_sink_state *s = user;
    if (!c)
        fz_fail("sink: component record is NULL (index %u)", index);
    if (len == 0 && data == NULL) {
        if ((int)index != s->cur + 1 || index >= FWS_MAX_COMPONENTS)
            fz_fail("sink: component %u announced after %d", index, s->cur);
        if (offset != 0)
            fz_fail("sink: component %u announced at offset %llu", index,
                    (unsigned long long)offset);
        if (s->cur >= 0 && s->off != s->size)
            fz_fail("sink: component %d left at %llu of %llu bytes when %u started", s->cur,
                    (unsigned long long)s->off, (unsigned long long)s->size, index);
        s->cur = index;
        s->off = 0;
        s->size = c->size;
        s->start[index] = s->plain_len;
        s->got[index] = 0;
        crypto_hash_sha256_update(&s->h, &index, 1);
        return 0;
    }
    if ((int)index != s->cur)
        fz_fail("sink: bytes for component %u while %d is current", index, s->cur);
    if (!data)
        fz_fail("sink: NULL data with len %zu", len);
    if (offset != s->off)
        fz_fail("sink: component %u offset %llu, expected %llu", index,
                (unsigned long long)offset, (unsigned long long)s->off);
    if (c->size != s->size)
        fz_fail("sink: component %u size changed", index);
    if (len > s->size - s->off)
        fz_fail("sink: component %u gets %zu bytes at %llu, past its size %llu", index, len,
                (unsigned long long)offset, (unsigned long long)s->size);
    s->off += len;
    s->got[index] = s->off;
    crypto_hash_sha256_update(&s->h, data, len);
    plain_append(s, data, len);
    return 0;
}

static int host_begin(void *user, int index, const fws_component *c)
{
    fz_sink_state *s = user;
    uint8_t i = (uint8_t)index;
    (void)c;
    crypto_hash_sha256_update(&s->h, &i, 1);
    return 0;
}

static int host_data(void *user, int index, const uint8_t *buf, size_t len)
{
    fz_sink_state *s = user;
    (void)index;
    crypto_hash_sha256_update(&s->h, buf, len);
    return 0;
}

/* Boot reader over the plaintext install wrote. */
typedef struct {
    const fz_sink_state *s;
    const fws_manifest *m;
    size_t scratch_len;
} fz_boot_reader;

static int boot_read_plain(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    const fz_boot_reader *r = user;
    if (index >= r->m->n_components)
        fz_fail("boot reader: component %u of %u", index, r->m->n_components);
    if (len == 0 || len > r->scratch_len)
        fz_fail("boot reader: read of %zu bytes with %zu of scratch", len, r->scratch_len);
    if (offset > r->s->got[index] || len > r->s->got[index] - offset)
        fz_fail("boot reader: component %u read [%llu, +%zu) past its %llu bytes", index,
                (unsigned long long)offset, len, (unsigned long long)r->s->got[index]);
    memcpy(buf, r->s->plain + r->s->start[index] + offset, len);
    return 0;
}

static int push_split(fws_install_ctx *ctx, const uint8_t *c, size_t len, uint8_t split)
{
    uint64_t s = 0x9E3779B97F4A7C15ull * (split + 1u);
    size_t pos = 0;
    int rc = FWS_OK;
    while (pos < len) {
        size_t piece;
        if (split == 0)
            piece = len - pos;
        else if (split == 1)
            piece = 1;
        else {
            uint64_t r = fz_rand(&s) % 10;
            piece = r == 0 ? 0 : r < 7 ? 1 + fz_rand(&s) % 16 : fz_rand(&s) % 5000;
        }
        if (piece > len - pos)
            piece = len - pos;
        rc = fws_install_push(ctx, piece ? c + pos : NULL, piece);
        pos += piece;
        if (rc != FWS_OK)
            return rc;
    }
    return fws_install_push(ctx, NULL, 0);
}

static int host_decide(const fz_keys *k, const uint8_t *c, size_t len, uint8_t mode,
                       fz_sink_state *hs, verdict *v)
{
    static container hc;   /* about 50 KiB */
    static const uint8_t dummy[1];
    policy hp;
    component_sink cs = {host_begin, host_data, hs};
    FILE *f;
    fz_host_policy(k, mode, &hp);
    f = fmemopen((void *)(uintptr_t)(len ? c : dummy), len ? len : 1, "rb");
    if (!f)
        fz_fail("fmemopen failed");
    if (!len)
        (void)fgetc(f);
    container_open_stream(&hc, f, "fuzz-input");
    decide(&hc, &hp, &cs, v);
    container_close(&hc);
    return v->accepted && (v->components_checked || hp.device_key == NULL);
}

int fz_check_install(const fz_keys *k, const uint8_t *c, size_t len, uint8_t split,
                     uint8_t mode)
{
    fws_policy p;
    fws_sink sink;
    fws_install_ctx *ctx = malloc(sizeof *ctx);
    fws_measurements meas;
    fz_sink_state ds, hs;
    verdict v;
    uint8_t dh[32], hh[32];
    size_t work_len;
    uint8_t *work;
    int rc, rc2, host_ok;

    fz_device_policy(k, mode, &p);
    work_len = FWS_WORK_SIZE(p.max_chunk, p.max_wbits);
    work = malloc(work_len);   /* exact size: ASan sees any access past it */
    if (!ctx || !work)
        fz_fail("out of memory");
    memset(&ds, 0, sizeof ds);
    ds.cur = -1;
    crypto_hash_sha256_init(&ds.h);
    sink.write = dev_write;
    sink.user = &ds;

    rc = fws_install_init(ctx, &p, &sink, work, work_len);
    if (rc != FWS_OK)
        fz_fail("fws_install_init: %s", fws_status_name(rc));
    rc = push_split(ctx, c, len, split);
    if (rc != FWS_OK) {
        if (fws_install_push(ctx, c, len) != rc)
            fz_fail("install: error %s is not sticky", fws_status_name(rc));
        if ((rc2 = fws_install_finish(ctx, &meas)) != rc)
            fz_fail("install: push said %s, finish %s", fws_status_name(rc),
                    fws_status_name(rc2));
    } else {
        rc = fws_install_finish(ctx, &meas);
    }
    if (fws_install_finish(ctx, NULL) != rc)
        fz_fail("install: a second finish differs from %s", fws_status_name(rc));
    if (rc < 0 || rc >= FWS_STATUS_END || !strcmp(fws_status_name(rc), "unknown_error"))
        fz_fail("install: status %d has no name", rc);
    if (rc == FWS_E_INFLATE && fws_install_inflate_error(ctx) > 0)
        fz_fail("install: inflate detail %d", fws_install_inflate_error(ctx));

    if (rc == FWS_OK) {
        const uint8_t *rec;
        size_t rec_len;
        if (meas.n_components != ctx->m.n_components || ds.cur + 1 != meas.n_components)
            fz_fail("install: %u components measured, %d announced", meas.n_components,
                    ds.cur + 1);
        if (ds.off != ds.size)
            fz_fail("install: accepted with the last component at %llu of %llu bytes",
                    (unsigned long long)ds.off, (unsigned long long)ds.size);
        for (int i = 0; i < meas.n_components; i++)
            if (meas.size[i] != ds.got[i])
                fz_fail("install: component %d measured %llu bytes, sink got %llu", i,
                        (unsigned long long)meas.size[i], (unsigned long long)ds.got[i]);
        if (meas.n_signers < p.threshold)
            fz_fail("install: accepted with %u signers", meas.n_signers);
        if (fws_install_boot_record(ctx, &rec, &rec_len) != FWS_OK)
            fz_fail("install: no boot record after FWS_OK");
        if (!ds.plain_overflow) {
            /* What install accepted, boot must accept. */
            fz_boot_reader br = {&ds, &ctx->m, 0};
            size_t scratch_len = FWS_BOOT_SCRATCH + (size_t)split * 61;
            uint8_t *copy = malloc(rec_len), *scratch = malloc(scratch_len);
            fws_measurements bm;
            br.scratch_len = scratch_len;
            memcpy(copy, rec, rec_len);
            rc2 = fws_boot_check(&p, copy, rec_len, boot_read_plain, &br, scratch, scratch_len,
                                 &bm);
            if (rc2 != FWS_OK)
                fz_fail("boot check of an installed container: %s", fws_status_name(rc2));
            if (bm.counter != meas.counter || bm.n_components != meas.n_components ||
                bm.n_signers != meas.n_signers)
                fz_fail("boot and install measurements differ");
            for (int i = 0; i < bm.n_components; i++)
                if (bm.size[i] != meas.size[i] || memcmp(bm.digest[i], meas.digest[i], 32))
                    fz_fail("boot and install measure component %d differently", i);
            free(copy);
            free(scratch);
        }
    }
    free(work);
    free(ctx);

    /* The host has no device limits, and without a key it accepts an
     * encrypted container on its chunk chain alone. */
    if (rc == FWS_E_LIMIT_MANIFEST || rc == FWS_E_LIMIT_CHUNK || rc == FWS_E_LIMIT_WINDOW ||
        rc == FWS_E_NO_KEY) {
        free(ds.plain);
        return rc;
    }
    memset(&hs, 0, sizeof hs);
    crypto_hash_sha256_init(&hs.h);
    host_ok = host_decide(k, c, len, mode, &hs, &v);
    if (host_ok != (rc == FWS_OK))
        fz_fail("install says %s, the host's decide() says %s (%s: %s); mode 0x%02x split %u",
                fws_status_name(rc), host_ok ? "accept" : "reject", v.reason ? v.reason : "-",
                v.message, mode, split);
    if (host_ok && v.components_checked) {
        crypto_hash_sha256_final(&ds.h, dh);
        crypto_hash_sha256_final(&hs.h, hh);
        if (memcmp(dh, hh, 32))
            fz_fail("install and decide() accept with different plaintext");
    }
    free(ds.plain);
    return rc;
}

/* ----------------------------------------------------------- layout */

static size_t skip_block(const uint8_t *c, size_t len, size_t pos)
{
    uint8_t count;
    if (pos >= len)
        return len;
    count = c[pos++];
    for (int i = 0; i < count; i++) {
        size_t bl;
        if (len - pos < FWS_ENTRY_HEAD_LEN)
            return len;
        bl = fws_load16_le(c + pos + 1);
        pos += FWS_ENTRY_HEAD_LEN;
        if (len - pos < bl)
            return len;
        pos += bl;
    }
    return pos;
}

void fz_layout_of(const uint8_t *c, size_t len, fz_layout *l)
{
    size_t pos;
    memset(l, 0, sizeof *l);
    l->len = len;
    if (len < FWS_HEADER_LEN) {
        l->sig_off = l->cap_off = l->pay_off = len;
        return;
    }
    l->m_len = fws_load32_le(c + 8);
    if (l->m_len > len - FWS_HEADER_LEN)
        l->m_len = len - FWS_HEADER_LEN;
    pos = FWS_HEADER_LEN + l->m_len;
    l->sig_off = pos;
    l->cap_off = pos = skip_block(c, len, pos);
    l->pay_off = skip_block(c, len, pos);
}

void fz_fields_of(const uint8_t *m, size_t m_len, fz_fields *f)
{
    size_t pos = 0;
    memset(f, 0xFF, sizeof *f);
    f->n = 0;
    while (m_len - pos >= 4) {
        unsigned tag = fws_load16_le(m + pos), flen = fws_load16_le(m + pos + 2);
        size_t v = pos + 4;
        if (flen > m_len - v)
            break;
        if (tag == FWS_TAG_PAYLOAD && flen == 44)
            f->payload = v;
        else if (tag == FWS_TAG_ENCRYPTION && flen == 33)
            f->commitment = v + 1;
        else if (tag == FWS_TAG_COMPONENTS && flen >= 1) {
            size_t q = v + 1, end = v + flen;
            unsigned count = m[v];
            for (unsigned i = 0; i < count && i < FWS_MAX_COMPONENTS; i++) {
                size_t rl, r, rend;
                if (end - q < 2)
                    break;
                rl = fws_load16_le(m + q);
                q += 2;
                if (rl > end - q)
                    break;
                for (r = q, rend = q + rl; rend - r >= 4;) {
                    unsigned t = fws_load16_le(m + r), tl = fws_load16_le(m + r + 2);
                    r += 4;
                    if (tl > rend - r)
                        break;
                    if (t == FWS_CTAG_SIZE && tl == 8)
                        f->comp[i].size = r;
                    else if (t == FWS_CTAG_DIGEST && tl == 32)
                        f->comp[i].digest = r;
                    else if (t == FWS_CTAG_STORED_SIZE && tl == 8)
                        f->comp[i].stored = r;
                    else if (t == FWS_CTAG_COMPRESSION && tl == 2)
                        f->comp[i].compression = r;
                    r += tl;
                }
                q += rl;
                f->n = (uint8_t)(i + 1);
            }
        }
        pos = v + flen;
    }
}

/* ------------------------------------------------------------ fixer */

size_t fz_sig_block(const fz_keys *k, unsigned who, const uint8_t *signed_region,
                    size_t signed_len, uint8_t *out)
{
    size_t pos = 1;
    out[0] = 0;
    if (who & FZ_WHO_DELEGATED) {   /* SPEC.md 4.1, written out here */
        const fws_key *subject = &k->key[FZ_SIGN2], *root = &k->key[FZ_SIGN3];
        uint8_t msg[sizeof FWS_LABEL_DELEGATION - 1 + FWS_CERT_SIGNED_LEN], *rec = out + pos + 3;
        fws_entry_head_encode(out + pos, FWS_SIG_DELEGATED, FWS_SIG_DELEGATED_BODY(1));
        memcpy(rec, subject->pub, 32);
        fws_store32_le(rec + 32, FZ_DELEGATED_GENERATION - ((who & FZ_WHO_REVOKED) ? 1 : 0));
        memcpy(rec + 36, k->class_id, FWS_CLASS_LEN);
        memcpy(msg, FWS_LABEL_DELEGATION, sizeof FWS_LABEL_DELEGATION - 1);
        memcpy(msg + sizeof FWS_LABEL_DELEGATION - 1, rec, FWS_CERT_SIGNED_LEN);
        memcpy(rec + 52, root->id, FWS_KEYID_LEN);
        crypto_sign_detached(rec + 60, NULL, msg, sizeof msg, root->secret);
        crypto_sign_detached(rec + FWS_CERT_LEN(1), NULL, signed_region, signed_len,
                             subject->secret);
        pos += 3 + FWS_SIG_DELEGATED_BODY(1);
        out[0]++;
    }
    for (int i = FZ_SIGN1; i <= FZ_SIGN3; i++) {
        if (!(who & (1u << i)))
            continue;
        fws_entry_head_encode(out + pos, FWS_SIG_ED25519, FWS_SIG_ED25519_BODY);
        memcpy(out + pos + 3, k->key[i].id, FWS_KEYID_LEN);
        crypto_sign_detached(out + pos + 3 + FWS_KEYID_LEN, NULL, signed_region, signed_len,
                             k->key[i].secret);
        pos += 3 + FWS_SIG_ED25519_BODY;
        out[0]++;
    }
    return pos;
}

/* Finds the capsule the device of this mode opens and recovers its key
 * (first matching entry, in block order, as the verifier tries them). */
static int fz_capsule_key(const fz_keys *k, const uint8_t *c, size_t from, size_t to,
                          uint8_t mode, uint8_t key[32])
{
    const fws_key *dev = (mode & FZ_MODE_KEY_MASK) == 1 ? &k->key[FZ_PSK] : &k->key[FZ_DEV];
    uint8_t want = dev->type == FWS_KEY_PSK ? FWS_CAPSULE_PSK : FWS_CAPSULE_X25519;
    size_t pos = from + 1;
    unsigned count;
    if ((mode & FZ_MODE_KEY_MASK) == 2 || from >= to)
        return -1;
    count = c[from];
    for (unsigned i = 0; i < count; i++) {
        unsigned bl;
        if (to - pos < 3)
            return -1;
        bl = fws_load16_le(c + pos + 1);
        if (bl > to - pos - 3)
            return -1;
        if (c[pos] == want && bl == FWS_CAPSULE_BODY &&
            !memcmp(c + pos + 3, dev->id, FWS_KEYID_LEN)) {
            if (want == FWS_CAPSULE_PSK) {
                host_capsule_unwrap_psk(key, c + pos + 3, dev->secret);
                return 0;
            }
            if (host_capsule_unwrap_x25519(key, c + pos + 3, dev->secret, dev->pub) == 0)
                return 0;
        }
        pos += 3 + bl;
    }
    return -1;
}

typedef struct {
    size_t pos, len, slot;   /* data at pos, len bytes; next hash at slot (0: last) */
} fz_seg;

/* Component fixes on the plaintext payload pd[0..total); dk: the digest
 * key of an encrypted container (SPEC.md 3.6), else NULL. */
static void fix_components(uint8_t *m, const fz_fields *f, uint8_t *pd, size_t total,
                           const uint8_t *dk)
{
    uint64_t off = 0;
    for (int i = 0; i < f->n; i++) {
        uint64_t stored = f->comp[i].stored != SIZE_MAX ? fws_load64_le(m + f->comp[i].stored) : 0;
        size_t avail = off < total ? (size_t)(total - off < stored ? total - off : stored) : 0;
        uint8_t method =
            f->comp[i].compression != SIZE_MAX ? m[f->comp[i].compression] : FWS_COMP_NONE;
        uint8_t *s = pd + (off < total ? off : total);
        uint8_t digest[32];
        uint64_t size = stored;
        if (method == FWS_COMP_ZLIB && avail >= 2) {
            static uint8_t out[4 << 20];
            z_stream z;
            int zrc;
            uint8_t flg = (uint8_t)(s[1] & 0xE0);
            flg = (uint8_t)(flg | (31 - (s[0] * 256u + flg) % 31) % 31);
            s[1] = flg;
            memset(&z, 0, sizeof z);
            if (inflateInit2(&z, -15) != Z_OK)
                fz_fail("inflateInit2");
            z.next_in = s + 2;
            z.avail_in = (uInt)(avail - 2);
            z.next_out = out;
            z.avail_out = sizeof out;
            zrc = inflate(&z, Z_FINISH);
            if (zrc == Z_STREAM_END) {
                size_t end = 2 + z.total_in;
                uint32_t a = (uint32_t)adler32(adler32(0, NULL, 0), out, (uInt)z.total_out);
                if (end + 4 <= avail) {
                    s[end] = (uint8_t)(a >> 24);
                    s[end + 1] = (uint8_t)(a >> 16);
                    s[end + 2] = (uint8_t)(a >> 8);
                    s[end + 3] = (uint8_t)a;
                }
                size = z.total_out;
                spec_component_digest(digest, dk, (uint8_t)i, out, z.total_out);
            } else {
                spec_component_digest(digest, dk, (uint8_t)i, s, avail);
            }
            inflateEnd(&z);
        } else {
            spec_component_digest(digest, dk, (uint8_t)i, s, avail);
        }
        if (f->comp[i].size != SIZE_MAX)
            fws_store64_le(m + f->comp[i].size, size);
        if (f->comp[i].digest != SIZE_MAX)
            memcpy(m + f->comp[i].digest, digest, 32);
        off = stored > UINT64_MAX - off ? UINT64_MAX : off + stored;
    }
}

uint8_t *fz_fix(const fz_keys *k, const uint8_t *c, size_t len, uint8_t fix, uint8_t mode,
                size_t *out_len)
{
    static const uint8_t zero_nonce[12];
    uint8_t *b, *m, *out, key[32], sigs[FZ_SIG_BLOCK_MAX];
    fz_layout l;
    fz_fields f;
    int have_key = 0;
    size_t signed_len, sig_len, pos;

    b = malloc(len ? len : 1);
    if (!b)
        fz_fail("out of memory");
    memcpy(b, c, len);
    if (len < FWS_HEADER_LEN) {
        *out_len = len;
        return b;
    }
    fz_layout_of(b, len, &l);
    m = b + FWS_HEADER_LEN;
    fz_fields_of(m, l.m_len, &f);

    if (f.commitment != SIZE_MAX && fz_capsule_key(k, b, l.cap_off, l.pay_off, mode, key) == 0) {
        uint8_t commit[32];
        host_key_commitment(commit, key);
        if (fix & FZ_FIX_KEY)
            memcpy(m + f.commitment, commit, 32);
        have_key = !memcmp(m + f.commitment, commit, 32);
    }

    if (f.payload != SIZE_MAX) {
        uint32_t csz = fws_load32_le(m + f.payload + 8);
        if (csz % 64 == 0 && csz >= FWS_MIN_CHUNK && csz <= FWS_MAX_CHUNK) {
            size_t nseg = 0, total = 0, i;
            fz_seg *seg = malloc(sizeof *seg * ((len - l.pay_off) / FWS_MIN_CHUNK + 2));
            uint8_t h[32] = {0};
            for (pos = l.pay_off; pos < len;) {
                size_t rem = len - pos;
                seg[nseg].pos = pos;
                if (rem > (size_t)csz + 32) {
                    seg[nseg].len = csz;
                    seg[nseg].slot = pos + csz;
                    pos += (size_t)csz + 32;
                } else {
                    seg[nseg].len = rem < csz ? rem : csz;
                    seg[nseg].slot = 0;
                    pos = len;
                }
                total += seg[nseg++].len;
            }
            if (fix & FZ_FIX_SIZES) {
                uint64_t left = total;
                fws_store64_le(m + f.payload, total);
                for (i = 0; i < f.n; i++) {
                    uint64_t s;
                    if (f.comp[i].stored == SIZE_MAX)
                        continue;
                    s = fws_load64_le(m + f.comp[i].stored);
                    s = (i + 1 == f.n || s > left) ? left : s;
                    fws_store64_le(m + f.comp[i].stored, s);
                    left -= s;
                }
            }
            if ((fix & FZ_FIX_COMP) && (f.commitment == SIZE_MAX || have_key)) {
                uint8_t *pd = malloc(total ? total : 1);
                size_t o = 0;
                for (i = 0; i < nseg; o += seg[i].len, i++)
                    memcpy(pd + o, b + seg[i].pos, seg[i].len);
                if (f.commitment != SIZE_MAX)
                    crypto_stream_chacha20_ietf_xor_ic(pd, pd, total, zero_nonce, 0, key);
                uint8_t dk[32];
                if (f.commitment != SIZE_MAX)
                    spec_digest_key(dk, key);
                fix_components(m, &f, pd, total, f.commitment != SIZE_MAX ? dk : NULL);
                sodium_memzero(dk, sizeof dk);
                if (f.commitment != SIZE_MAX)
                    crypto_stream_chacha20_ietf_xor_ic(pd, pd, total, zero_nonce, 0, key);
                for (i = 0, o = 0; i < nseg; o += seg[i].len, i++)
                    memcpy(b + seg[i].pos, pd + o, seg[i].len);
                free(pd);
            }
            if (fix & FZ_FIX_CHAIN) {
                for (i = nseg; i-- > 0;) {
                    if (seg[i].slot)
                        memcpy(b + seg[i].slot, h, 32);
                    crypto_hash_sha256(h, b + seg[i].pos, seg[i].len + (seg[i].slot ? 32 : 0));
                }
                if (nseg == 0)
                    memset(h, 0, 32);
                memcpy(m + f.payload + 12, h, 32);
            }
            free(seg);
        }
    }
    sodium_memzero(key, sizeof key);

    if (fix & FZ_FIX_KEEP_SIGS) {
        *out_len = len;
        return b;
    }
    signed_len = FWS_HEADER_LEN + l.m_len;
    sig_len = fz_sig_block(k,
                           ((fix & FZ_FIX_DELEGATED) ? FZ_WHO_DELEGATED : 1u << FZ_SIGN1) |
                               ((fix & FZ_FIX_SIGN2) ? 1u << FZ_SIGN2 : 0) |
                               ((fix & FZ_FIX_SIGN3) ? 1u << FZ_SIGN3 : 0),
                           b, signed_len, sigs);
    *out_len = signed_len + sig_len + (len - l.cap_off);
    out = malloc(*out_len);
    if (!out)
        fz_fail("out of memory");
    memcpy(out, b, signed_len);
    memcpy(out + signed_len, sigs, sig_len);
    memcpy(out + signed_len + sig_len, b + l.cap_off, len - l.cap_off);
    free(b);
    return out;
}
