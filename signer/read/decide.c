/* SPDX-License-Identifier: MIT */
#include "decide.h"
#include "fws_bytes.h"
#include "host_capsule.h"
#include "host_digest.h"
#include "pl.h"
#include "reason.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


void decide_reject(verdict *v, const char *reason, const char *fmt, ...)
{
    va_list ap;
    v->accepted = 0;
    v->reason = reason;
    va_start(ap, fmt);
    vsnprintf(v->message, sizeof v->message, fmt, ap);
    va_end(ap);
}

/* Finds this device's capsule and recovers K, checked against the
 * signed commitment. */
static int unwrap_key(container *c, const fws_key *k, uint8_t key[32], verdict *v)
{
    uint8_t want_type = k->type == FWS_KEY_PSK ? FWS_CAPSULE_PSK : FWS_CAPSULE_X25519;
    uint8_t commit[32];
    char idhex[17];
    int found = 0;
    for (int i = 0; i < c->n_caps; i++) {
        const block_entry *e = &c->caps[i];
        if (e->type != want_type || memcmp(e->body, k->id, FWS_KEYID_LEN))
            continue;
        found = 1;
        if (want_type == FWS_CAPSULE_PSK)
            host_capsule_unwrap_psk(key, e->body, k->secret);
        else if (host_capsule_unwrap_x25519(key, e->body, k->secret, k->pub))
            continue;
        host_key_commitment(commit, key);
        if (sodium_memcmp(commit, c->m.key_commitment, 32) == 0)
            return 0;
    }
    sodium_memzero(key, 32);
    fws_key_id_hex(k->id, idhex);
    if (found)
        decide_reject(v, REASON(FWS_E_KEY_COMMITMENT),
               "the capsule for key %s does not yield the committed content key", idhex);
    else
        decide_reject(v, REASON(FWS_E_NO_CAPSULE), "no key capsule for this device's %s key %s",
               fws_key_type_name(k->type), idhex);
    return -1;
}

/* ---- Stage 1: the chunk chain.  Each chunk is read, its hash checked
 * against the one the chain promised, then decrypted in place. */

typedef struct {
    container *c;
    int decrypt;
    uint8_t key[32];
} chain_reader;

static void read_chunk(void *ctx, pl_event *e)
{
    static const uint8_t zero_nonce[12];
    chain_reader *r = ctx;
    const uint8_t *data;
    size_t len;
    uint64_t off;
    int rc = container_next_chunk(r->c, &data, &len, &off);
    memset(e, 0, sizeof *e);
    if (rc <= 0) {
        e->kind = PL_DONE;
        if (rc < 0) {
            e->reason = r->c->reason;
            e->message = r->c->err;
        }
        return;
    }
    if (r->decrypt)
        crypto_stream_chacha20_ietf_xor_ic(r->c->chunk_buf, data, len, zero_nonce,
                                           (uint32_t)(off / 64), r->key);
    e->kind = PL_DATA;
    e->data = r->c->chunk_buf;
    e->len = len;
}

/* ---- Stage 2: each component's stored bytes, cut from the chunks, into
 * its plaintext (inflated or as stored) between BEGIN and END events. */

typedef struct {
    pl_link *in, *out;
    const fws_manifest *m;
    int n_components;              /* 0 when the plaintext is out of reach (no key) */
    uint8_t *window;               /* 2^FWS_MAX_WBITS bytes for inflateBack */
    const fws_component *k;        /* the current component */
    int index;
    const uint8_t *data;           /* rest of the current chunk */
    size_t avail;
    uint64_t comp_left;            /* stored bytes of the component not taken */
    pl_event src_end;              /* the chain's DONE met inside a component */
    int src_failed;                /* src_end is pending, not yet reported */
    int stopped;                   /* FAIL pushed, or stage 3 decided: push nothing more */
} unpacker;

#define NAME(k) (k)->name_len, (const char *)(k)->name

static void pass_on(unpacker *u, const pl_event *e)
{
    if (!u->stopped && pl_push(u->out, e))
        u->stopped = 1;
}

static void fail(unpacker *u, const char *reason, int io_error, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(unpacker *u, const char *reason, int io_error, const char *fmt, ...)
{
    char msg[PL_MESSAGE_LEN];
    pl_event e = {.kind = PL_FAIL, .reason = reason, .io_error = io_error, .message = msg};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    pass_on(u, &e);
    u->stopped = 1;
}

/* The chain ended inside a component: truncated, or why it failed. */
static void report_source_end(unpacker *u)
{
    u->src_failed = 0;
    if (!u->src_end.reason)
        fail(u, REASON(FWS_E_TRUNCATED), 0, "the payload ends inside a component");
    else
        fail(u, u->src_end.reason, !strcmp(u->src_end.reason, REASON_IO), "%s",
             u->src_end.message);
}

/* Up to max bytes of the current component: n > 0, 0 at its end, -1 when
 * the chain ended first (src_failed set). */
static long src_take(unpacker *u, const uint8_t **p, size_t max)
{
    size_t n;
    if (u->comp_left == 0)
        return 0;
    while (u->avail == 0) {
        pl_event e;
        pl_pull(u->in, &e);
        if (e.kind != PL_DATA) {
            u->src_end = e;
            u->src_failed = 1;
            return -1;
        }
        u->data = e.data;
        u->avail = e.len;
    }
    n = u->avail < max ? u->avail : max;
    if (n > u->comp_left)
        n = (size_t)u->comp_left;
    *p = u->data;
    u->data += n;
    u->avail -= n;
    u->comp_left -= n;
    return (long)n;
}

static int send_data(unpacker *u, const uint8_t *buf, size_t len)
{
    pl_event e = {.kind = PL_DATA, .index = u->index, .data = buf, .len = len};
    pass_on(u, &e);
    return u->stopped ? -1 : 0;
}

static unsigned zin(void *desc, z_const unsigned char **buf)
{
    const uint8_t *p;
    long n = src_take(desc, &p, 1u << 20);
    *buf = (z_const unsigned char *)p;
    return n > 0 ? (unsigned)n : 0;
}

static int zout(void *desc, unsigned char *buf, unsigned len)
{
    return send_data(desc, buf, len) ? 1 : 0;
}

/* Exactly n bytes of the component into out, whatever the chunking;
 * leftover input from inflateBack comes first. */
static int take_exact(unpacker *u, uint8_t *out, size_t n, z_const unsigned char **left,
                      unsigned *left_len)
{
    while (n) {
        const uint8_t *p;
        long got;
        if (*left_len) {
            *out++ = *(*left)++;
            (*left_len)--;
            n--;
            continue;
        }
        got = src_take(u, &p, n);
        if (got <= 0)
            return -1;
        memcpy(out, p, (size_t)got);
        out += got;
        n -= (size_t)got;
    }
    return 0;
}

/* RFC 1950 around zlib's inflateBack, which writes into a window of
 * exactly 2^wbits bytes and so refuses a distance beyond it, as the
 * device's inflate does (plain inflate() would also reach into its output
 * buffer).  The Adler-32 trailer goes to stage 3, which sums the output. */
static int inflate_component(unpacker *u)
{
    const fws_component *k = u->k;
    pl_event end = {.kind = PL_END, .index = u->index, .has_trailer = 1};
    z_stream z;
    uint8_t hdr[2], trailer[4];
    z_const unsigned char *left = NULL;
    unsigned left_len = 0;
    int zrc;

    if (take_exact(u, hdr, 2, &left, &left_len))
        goto short_stream;
    if ((hdr[0] * 256u + hdr[1]) % 31 || (hdr[0] & 0x0f) != 8 || (hdr[1] & 0x20)) {
        fail(u, REASON(FWS_E_INFLATE), 0, "component '%.*s': bad zlib header", NAME(k));
        return -1;
    }
    if ((hdr[0] >> 4) + 8 > k->wbits) {
        fail(u, REASON(FWS_E_INFLATE), 0,
             "component '%.*s': the zlib stream needs a 2^%u-byte window, the manifest "
             "records 2^%u", NAME(k), (hdr[0] >> 4) + 8, k->wbits);
        return -1;
    }
    memset(&z, 0, sizeof z);
    if (inflateBackInit(&z, k->wbits, u->window) != Z_OK) {
        fail(u, REASON_IO, 1, "zlib: cannot initialise inflate");
        return -1;
    }
    zrc = inflateBack(&z, zin, u, zout, u);
    left = z.next_in;
    left_len = z.avail_in;
    if (zrc == Z_DATA_ERROR)
        fail(u, REASON(FWS_E_INFLATE), 0, "component '%.*s': zlib: %s", NAME(k),
             z.msg ? z.msg : "invalid data");
    inflateBackEnd(&z);
    if (u->stopped)   /* a zlib error, or stage 3 decided on the output */
        return -1;
    if (zrc != Z_STREAM_END || take_exact(u, trailer, 4, &left, &left_len))
        goto short_stream;
    end.trailer_adler = fws_load32_be(trailer);
    /* The rest of the stored bytes: zero padding (SPEC.md section 3.7). */
    while (left_len) {
        end.bad_padding |= *left++;
        left_len--;
    }
    for (;;) {
        const uint8_t *p;
        long n = src_take(u, &p, SIZE_MAX);
        if (n < 0) {
            report_source_end(u);
            return -1;
        }
        if (n == 0)
            break;
        while (n--)
            end.bad_padding |= *p++;
    }
    pass_on(u, &end);
    return u->stopped ? -1 : 0;
short_stream:
    /* The chain ended inside the component (said only now, after the output
     * inflateBack flushed from the bytes before that point), or the
     * component's stored bytes did. */
    if (u->src_failed)
        report_source_end(u);
    else
        fail(u, REASON(FWS_E_INFLATE), 0, "component '%.*s': the zlib stream is incomplete",
             NAME(k));
    return -1;
}

static int unpack_component(unpacker *u, int index)
{
    pl_event begin = {.kind = PL_BEGIN, .index = index};
    u->index = index;
    u->k = &u->m->comp[index];
    u->comp_left = u->k->stored_size;
    pass_on(u, &begin);
    if (u->stopped)
        return -1;
    if (u->k->method == FWS_COMP_ZLIB)
        return inflate_component(u);
    for (;;) {
        const uint8_t *p;
        long n = src_take(u, &p, SIZE_MAX);
        if (n < 0) {
            report_source_end(u);
            return -1;
        }
        if (n == 0)
            break;
        if (send_data(u, p, (size_t)n))
            return -1;
    }
    pl_event end = {.kind = PL_END, .index = index};
    pass_on(u, &end);
    return u->stopped ? -1 : 0;
}

/* Stage 2's body: every component, then the rest of the chain (the
 * payload must end right after the last chunk) and the chain's DONE. */
static void unpack_components(void *ctx, pl_link *in, pl_link *out)
{
    unpacker *u = ctx;
    pl_event e;
    u->in = in;
    u->out = out;
    for (int i = 0; i < u->n_components; i++)
        if (unpack_component(u, i))
            return;
    do
        pl_pull(in, &e);
    while (e.kind == PL_DATA);
    pass_on(u, &e);
}

/* ---- Stage 3: sizes, Adler-32, SHA-256 and the sink; the verdict. */

typedef struct {
    verdict *v;
    const fws_manifest *m;
    const component_sink *sink;
    int components_checked;        /* the plaintext was there to check */
    const fws_component *k;        /* the current component */
    int index;
    uint64_t out_done;
    uint32_t adler;
    const uint8_t *digest_key;     /* DK of an encrypted container, else NULL */
    host_digest digest;
} plaintext_check;

static int begin_component(plaintext_check *o, int index)
{
    const component_sink *sink = o->sink;
    o->index = index;
    o->k = &o->m->comp[index];
    o->out_done = 0;
    o->adler = (uint32_t)adler32(0, NULL, 0);
    host_digest_init(&o->digest, o->digest_key, (uint8_t)index);
    if (sink && sink->begin && sink->begin(sink->user, index, o->k)) {
        decide_reject(o->v, REASON(FWS_E_SINK), "cannot start writing component '%.*s'", NAME(o->k));
        o->v->io_error = 1;
        return -1;
    }
    return 0;
}

static int emit(plaintext_check *o, const uint8_t *buf, size_t len)
{
    const component_sink *sink = o->sink;
    if (len > o->k->size - o->out_done) {
        decide_reject(o->v, REASON(FWS_E_SIZE), "component '%.*s' inflates past its declared %llu bytes",
               NAME(o->k), (unsigned long long)o->k->size);
        return -1;
    }
    o->out_done += len;
    if (o->k->method == FWS_COMP_ZLIB)
        o->adler = (uint32_t)adler32(o->adler, buf, (uInt)len);
    host_digest_update(&o->digest, buf, len);
    if (sink && sink->data && sink->data(sink->user, o->index, buf, len)) {
        decide_reject(o->v, REASON(FWS_E_SINK), "writing component '%.*s' failed", NAME(o->k));
        o->v->io_error = 1;
        return -1;
    }
    return 0;
}

static int end_component(plaintext_check *o, const pl_event *e)
{
    const fws_component *k = o->k;
    uint8_t digest[32];
    if (e->has_trailer && e->trailer_adler != o->adler) {
        decide_reject(o->v, REASON(FWS_E_INFLATE), "component '%.*s': Adler-32 mismatch", NAME(k));
        return -1;
    }
    if (e->bad_padding) {
        decide_reject(o->v, REASON(FWS_E_INFLATE),
               "component '%.*s': a non-zero byte after the end of the zlib stream (padding "
               "must be zero)", NAME(k));
        return -1;
    }
    if (o->out_done != k->size) {
        decide_reject(o->v, REASON(FWS_E_SIZE), "component '%.*s' is %llu bytes, the manifest says %llu",
               NAME(k), (unsigned long long)o->out_done, (unsigned long long)k->size);
        return -1;
    }
    host_digest_final(&o->digest, digest);
    if (sodium_memcmp(digest, k->digest, 32) != 0) {
        decide_reject(o->v, REASON(FWS_E_DIGEST), "component '%.*s': %s differs from the manifest",
               NAME(k), o->digest_key ? "the keyed digest (HMAC-SHA256)" : "SHA-256");
        return -1;
    }
    return 0;
}

/* The chain's end: every chunk authenticated, nothing after the last. */
static void finish(plaintext_check *o, const pl_event *e)
{
    verdict *v = o->v;
    if (e->reason) {
        decide_reject(v, e->reason, "%s", e->message);
        v->io_error = !strcmp(e->reason, REASON_IO);
        return;
    }
    v->components_checked = o->components_checked;
    v->payload_checked = 1;
    v->accepted = 1;
    v->reason = REASON(FWS_OK);
}

static int check_event(void *ctx, const pl_event *e)
{
    plaintext_check *o = ctx;
    switch (e->kind) {
    case PL_BEGIN:
        return begin_component(o, e->index);
    case PL_DATA:
        return emit(o, e->data, e->len);
    case PL_END:
        return end_component(o, e);
    case PL_FAIL:
        decide_reject(o->v, e->reason, "%s", e->message);
        o->v->io_error = e->io_error;
        return 1;
    case PL_DONE:
        finish(o, e);
        return 1;
    }
    return 1;
}

_Static_assert(sizeof ((verdict *)0)->message <= PL_MESSAGE_LEN,
               "pipeline messages must carry a whole verdict message");

static int parse_to(container *c, parse_stage upto, verdict *v)
{
    if (container_parse_to(c, upto) == 0)
        return 0;
    decide_reject(v, c->reason, "%s", c->err);
    v->io_error = !strcmp(c->reason, REASON_IO);
    return -1;
}

void decide(container *c, const policy *p, const component_sink *sink, verdict *v)
{
    chain_reader r;
    unpacker u;
    plaintext_check o;
    uint8_t digest_key[32] = {0};
    pl_stages stages = {.read = read_chunk, .read_ctx = &r,
                        .transform = unpack_components, .transform_ctx = &u,
                        .consume = check_event, .consume_ctx = &o};

    memset(v, 0, sizeof *v);
    memset(&r, 0, sizeof r);
    memset(&u, 0, sizeof u);
    memset(&o, 0, sizeof o);
    if (parse_to(c, STAGE_MANIFEST, v))
        return;
    if (p->check_class && memcmp(c->m.class_id, p->class_id, FWS_CLASS_LEN)) {
        decide_reject(v, REASON(FWS_E_WRONG_CLASS), "the container is for another device class");
        return;
    }
    if (c->m.counter < p->min_counter) {
        decide_reject(v, REASON(FWS_E_ROLLBACK), "security counter %u is below the floor %u", c->m.counter,
               p->min_counter);
        return;
    }
    if (parse_to(c, STAGE_SIGNATURES, v) || decide_signatures(c, p, v) ||
        parse_to(c, STAGE_CAPSULES, v))
        return;
    if (c->m.encrypted && p->device_key && unwrap_key(c, p->device_key, r.key, v))
        return;

    /* Without the key only the chain can be checked; either way the file
     * must end right after the last chunk. */
    o.components_checked = !c->m.encrypted || p->device_key;
    if (o.components_checked)
        u.window = xmalloc((size_t)1 << FWS_MAX_WBITS);
    r.c = c;
    r.decrypt = c->m.encrypted && p->device_key;
    if (r.decrypt) {
        host_digest_key(digest_key, r.key);
        o.digest_key = digest_key;
    }
    u.m = &c->m;
    u.n_components = o.components_checked ? c->m.n_components : 0;
    o.v = v;
    o.m = &c->m;
    o.sink = sink;
    /* DATA events: whole chunks (stage 1, stored components) or up to a
     * window of inflated output. */
    stages.max_data = c->m.chunk_size > (1u << FWS_MAX_WBITS) ? c->m.chunk_size
                                                               : (1u << FWS_MAX_WBITS);
    /* Without the plaintext there is nothing to overlap with reading. */
    pl_run(&stages, o.components_checked ? p->jobs : 1);
    free(u.window);
    sodium_memzero(r.key, sizeof r.key);
    sodium_memzero(digest_key, sizeof digest_key);
}
