#include "decision.h"
#include "capsule.h"
#include "fws_bytes.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>


static void reject(verdict *v, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void reject(verdict *v, const char *reason, const char *fmt, ...)
{
    va_list ap;
    v->accepted = 0;
    v->reason = reason;
    va_start(ap, fmt);
    vsnprintf(v->message, sizeof v->message, fmt, ap);
    va_end(ap);
}

static void hex(char *out, const uint8_t *b, size_t n)
{
    sodium_bin2hex(out, 2 * n + 1, b, n);
}

static int check_signatures(container *c, const policy *p, verdict *v)
{
    int valid[64] = {0};
    for (int i = 0; i < c->n_sigs; i++) {
        const block_entry *e = &c->sigs[i];
        if (e->type != FWS_SIG_ED25519)
            continue;   /* unknown or delegated: does not count */
        for (int k = 0; k < p->n_trusted && k < 64; k++) {
            if (valid[k] || memcmp(p->trusted[k].id, e->body, FWS_KEYID_LEN))
                continue;
            if (crypto_sign_verify_detached(e->body + FWS_KEYID_LEN, c->signed_region,
                                            c->signed_len, p->trusted[k].pub) == 0) {
                /* A key listed twice in --trust is still one signer. */
                for (int j = 0; j < p->n_trusted && j < 64; j++)
                    if (!memcmp(p->trusted[j].pub, p->trusted[k].pub, 32))
                        valid[j] = 1;
                memcpy(v->signer_ids[v->n_signers++], p->trusted[k].id, FWS_KEYID_LEN);
            }
        }
    }
    if (v->n_signers >= p->threshold)
        return 0;
    if (v->n_signers == 0)
        reject(v, "untrusted", "no valid signature by a trusted key (%d signature entr%s)",
               c->n_sigs, c->n_sigs == 1 ? "y" : "ies");
    else
        reject(v, "threshold", "only %d distinct trusted key%s signed, the threshold is %d",
               v->n_signers, v->n_signers == 1 ? "" : "s", p->threshold);
    return -1;
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
    hex(idhex, k->id, FWS_KEYID_LEN);
    if (found)
        reject(v, "key_commitment_mismatch",
               "the capsule for key %s does not yield the committed content key", idhex);
    else
        reject(v, "no_capsule", "no key capsule for this device's %s key %s",
               fws_key_type_name(k->type), idhex);
    return -1;
}

/* The payload as a pull source: the current component's stored bytes,
 * taken from chunks that were authenticated (and decrypted) first. */
typedef struct {
    container *c;
    verdict *v;
    int decrypt;
    uint8_t key[32];
    const uint8_t *data;           /* rest of the current chunk */
    size_t avail;
    uint64_t comp_left;            /* stored bytes of the component not taken */
    int failed;                    /* a reject() happened inside a callback */
} payload_src;

/* Up to max bytes of the current component: n > 0, 0 at its end, -1 on a
 * rejected chunk (v filled). */
static long src_take(payload_src *s, const uint8_t **p, size_t max)
{
    static const uint8_t zero_nonce[12];
    size_t n;
    if (s->comp_left == 0)
        return 0;
    if (s->avail == 0) {
        const uint8_t *data;
        size_t len;
        uint64_t off;
        int rc = container_next_chunk(s->c, &data, &len, &off);
        if (rc <= 0) {
            if (rc == 0)
                reject(s->v, "truncated", "the payload ends inside a component");
            else
                reject(s->v, s->c->reason, "%s", s->c->err);
            s->failed = 1;
            return -1;
        }
        if (s->decrypt)
            crypto_stream_chacha20_ietf_xor_ic(s->c->chunk_buf, data, len, zero_nonce,
                                               (uint32_t)(off / 64), s->key);
        s->data = s->c->chunk_buf;
        s->avail = len;
    }
    n = s->avail < max ? s->avail : max;
    if (n > s->comp_left)
        n = (size_t)s->comp_left;
    *p = s->data;
    s->data += n;
    s->avail -= n;
    s->comp_left -= n;
    return (long)n;
}

/* One component's plaintext: size bound, digest, Adler-32, sink. */
typedef struct {
    payload_src *src;
    const component_sink *sink;
    int index;
    const fws_component *k;
    uint64_t out_done;
    uint32_t adler;
    crypto_hash_sha256_state sha;
} comp_out;

#define NAME(k) (k)->name_len, (const char *)(k)->name

static int emit(comp_out *o, const uint8_t *buf, size_t len)
{
    if (len > o->k->size - o->out_done) {
        reject(o->src->v, "size_mismatch", "component '%.*s' inflates past its declared %llu bytes",
               NAME(o->k), (unsigned long long)o->k->size);
        return -1;
    }
    o->out_done += len;
    o->adler = (uint32_t)adler32(o->adler, buf, (uInt)len);
    crypto_hash_sha256_update(&o->sha, buf, len);
    if (o->sink && o->sink->data && o->sink->data(o->sink->user, o->index, buf, len)) {
        reject(o->src->v, "sink_error", "writing component '%.*s' failed", NAME(o->k));
        o->src->v->io_error = 1;
        return -1;
    }
    return 0;
}

static unsigned zin(void *desc, z_const unsigned char **buf)
{
    comp_out *o = desc;
    const uint8_t *p;
    long n = src_take(o->src, &p, 1u << 20);
    *buf = (z_const unsigned char *)p;
    return n > 0 ? (unsigned)n : 0;
}

static int zout(void *desc, unsigned char *buf, unsigned len)
{
    return emit(desc, buf, len) ? 1 : 0;
}

/* Exactly n bytes of the component into out, whatever the chunking;
 * leftover input from inflateBack comes first. */
static int take_exact(comp_out *o, uint8_t *out, size_t n, z_const unsigned char **left,
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
        got = src_take(o->src, &p, n);
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
 * buffer). */
static int inflate_component(comp_out *o, uint8_t *window)
{
    const fws_component *k = o->k;
    payload_src *s = o->src;
    z_stream z;
    uint8_t hdr[2], trailer[4];
    z_const unsigned char *left = NULL;
    unsigned left_len = 0;
    int zrc;

    if (take_exact(o, hdr, 2, &left, &left_len))
        goto short_stream;
    if ((hdr[0] * 256u + hdr[1]) % 31 || (hdr[0] & 0x0f) != 8 || (hdr[1] & 0x20)) {
        reject(s->v, "inflate_error", "component '%.*s': bad zlib header", NAME(k));
        return -1;
    }
    if ((hdr[0] >> 4) + 8 > k->wbits) {
        reject(s->v, "inflate_error",
               "component '%.*s': the zlib stream needs a 2^%u-byte window, the manifest "
               "records 2^%u", NAME(k), (hdr[0] >> 4) + 8, k->wbits);
        return -1;
    }
    memset(&z, 0, sizeof z);
    if (inflateBackInit(&z, k->wbits, window) != Z_OK) {
        reject(s->v, "io_error", "zlib: cannot initialise inflate");
        s->v->io_error = 1;
        return -1;
    }
    zrc = inflateBack(&z, zin, o, zout, o);
    left = z.next_in;
    left_len = z.avail_in;
    if (zrc == Z_DATA_ERROR)
        reject(s->v, "inflate_error", "component '%.*s': zlib: %s", NAME(k),
               z.msg ? z.msg : "invalid data");
    inflateBackEnd(&z);
    if (zrc != Z_STREAM_END) {
        if (zrc == Z_DATA_ERROR || s->failed || (zrc == Z_BUF_ERROR && s->v->reason))
            return -1;
        goto short_stream;
    }
    if (take_exact(o, trailer, 4, &left, &left_len))
        goto short_stream;
    if (fws_load32_be(trailer) != o->adler) {
        reject(s->v, "inflate_error", "component '%.*s': Adler-32 mismatch", NAME(k));
        return -1;
    }
    if (left_len || s->comp_left) {
        reject(s->v, "inflate_error", "component '%.*s': bytes after the end of the zlib stream",
               NAME(k));
        return -1;
    }
    return 0;
short_stream:
    if (!s->failed)
        reject(s->v, "inflate_error", "component '%.*s': the zlib stream is incomplete", NAME(k));
    return -1;
}

static int check_component(payload_src *s, const component_sink *sink, int index,
                           const fws_component *k, uint8_t *window)
{
    comp_out o;
    uint8_t digest[32];
    memset(&o, 0, sizeof o);
    o.src = s;
    o.sink = sink;
    o.index = index;
    o.k = k;
    o.adler = (uint32_t)adler32(0, NULL, 0);
    crypto_hash_sha256_init(&o.sha);
    s->comp_left = k->stored_size;
    if (sink && sink->begin && sink->begin(sink->user, index, k)) {
        reject(s->v, "sink_error", "cannot start writing component '%.*s'", NAME(k));
        s->v->io_error = 1;
        return -1;
    }
    if (k->method == FWS_COMP_ZLIB) {
        if (inflate_component(&o, window))
            return -1;
    } else {
        const uint8_t *p;
        long n;
        while ((n = src_take(s, &p, SIZE_MAX)) > 0)
            if (emit(&o, p, (size_t)n))
                return -1;
        if (n < 0)
            return -1;
    }
    if (o.out_done != k->size) {
        reject(s->v, "size_mismatch", "component '%.*s' is %llu bytes, the manifest says %llu",
               NAME(k), (unsigned long long)o.out_done, (unsigned long long)k->size);
        return -1;
    }
    crypto_hash_sha256_final(&o.sha, digest);
    if (sodium_memcmp(digest, k->digest, 32) != 0) {
        reject(s->v, "digest_mismatch", "component '%.*s': SHA-256 differs from the manifest",
               NAME(k));
        return -1;
    }
    return 0;
}

static int parse_to(container *c, parse_stage upto, verdict *v)
{
    if (container_parse_to(c, upto) == 0)
        return 0;
    reject(v, c->reason, "%s", c->err);
    v->io_error = !strcmp(c->reason, "io_error");
    return -1;
}

void decide(container *c, const policy *p, const component_sink *sink, verdict *v)
{
    payload_src s;
    uint8_t *window = NULL;
    const uint8_t *data;
    size_t len;
    uint64_t off;
    int rc;

    memset(v, 0, sizeof *v);
    memset(&s, 0, sizeof s);
    if (parse_to(c, STAGE_MANIFEST, v))
        return;
    if (p->check_class && memcmp(c->m.class_id, p->class_id, FWS_CLASS_LEN)) {
        reject(v, "wrong_class", "the container is for another device class");
        return;
    }
    if (c->m.counter < p->min_counter) {
        reject(v, "rollback", "security counter %u is below the floor %u", c->m.counter,
               p->min_counter);
        return;
    }
    if (parse_to(c, STAGE_SIGNATURES, v) || check_signatures(c, p, v) ||
        parse_to(c, STAGE_CAPSULES, v))
        return;
    s.c = c;
    s.v = v;
    s.decrypt = c->m.encrypted;
    if (c->m.encrypted && p->device_key && unwrap_key(c, p->device_key, s.key, v))
        return;

    if (!c->m.encrypted || p->device_key) {
        window = malloc((size_t)1 << FWS_MAX_WBITS);
        if (!window) {
            reject(v, "io_error", "out of memory");
            v->io_error = 1;
            goto out;
        }
        for (int i = 0; i < c->m.n_components; i++)
            if (check_component(&s, sink, i, &c->m.comp[i], window))
                goto out;
        v->components_checked = 1;
    }
    /* Without the key: authenticate the chain alone.  Either way the
     * file must end right after the last chunk. */
    while ((rc = container_next_chunk(c, &data, &len, &off)) == 1)
        ;
    if (rc < 0) {
        reject(v, c->reason, "%s", c->err);
        v->io_error = !strcmp(c->reason, "io_error");
        v->components_checked = 0;
        goto out;
    }
    v->payload_checked = 1;
    v->accepted = 1;
    v->reason = "ok";
out:
    free(window);
    sodium_memzero(s.key, sizeof s.key);
}
