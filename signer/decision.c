#include "decision.h"
#include "capsule.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define OUT_BUF (64 * 1024)

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
                valid[k] = 1;
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

typedef struct {
    const fws_manifest *m;
    const component_sink *sink;
    verdict *v;
    int cur;                       /* component receiving bytes */
    uint64_t in_done;              /* stored bytes of cur consumed */
    uint64_t out_done;             /* plaintext bytes of cur produced */
    crypto_hash_sha256_state sha;
    z_stream z;
    int z_live, z_ended;
    uint8_t *out;
} router;

static int emit(router *r, const uint8_t *buf, size_t len)
{
    const fws_component *c = &r->m->comp[r->cur];
    if (len > c->size - r->out_done) {
        reject(r->v, "size_mismatch", "component '%.*s' inflates past its declared %llu bytes",
               c->name_len, (const char *)c->name, (unsigned long long)c->size);
        return -1;
    }
    r->out_done += len;
    crypto_hash_sha256_update(&r->sha, buf, len);
    if (r->sink && r->sink->data && r->sink->data(r->sink->user, r->cur, buf, len)) {
        reject(r->v, "sink_error", "writing component '%.*s' failed", c->name_len,
               (const char *)c->name);
        r->v->io_error = 1;
        return -1;
    }
    return 0;
}

static int start_component(router *r)
{
    const fws_component *c = &r->m->comp[r->cur];
    r->in_done = r->out_done = 0;
    r->z_ended = 0;
    crypto_hash_sha256_init(&r->sha);
    if (c->method == FWS_COMP_ZLIB) {
        memset(&r->z, 0, sizeof r->z);
        if (inflateInit2(&r->z, c->wbits) != Z_OK) {
            reject(r->v, "io_error", "zlib: cannot initialise inflate");
            return -1;
        }
        r->z_live = 1;
    }
    if (r->sink && r->sink->begin && r->sink->begin(r->sink->user, r->cur, c)) {
        reject(r->v, "sink_error", "cannot start writing component '%.*s'", c->name_len,
               (const char *)c->name);
        r->v->io_error = 1;
        return -1;
    }
    return 0;
}

static int finish_component(router *r)
{
    const fws_component *c = &r->m->comp[r->cur];
    uint8_t digest[32];
    if (r->z_live) {
        inflateEnd(&r->z);
        r->z_live = 0;
        if (!r->z_ended) {
            reject(r->v, "inflate_error", "component '%.*s': the zlib stream is incomplete",
                   c->name_len, (const char *)c->name);
            return -1;
        }
    }
    if (r->out_done != c->size) {
        reject(r->v, "size_mismatch", "component '%.*s' is %llu bytes, the manifest says %llu",
               c->name_len, (const char *)c->name, (unsigned long long)r->out_done,
               (unsigned long long)c->size);
        return -1;
    }
    crypto_hash_sha256_final(&r->sha, digest);
    if (sodium_memcmp(digest, c->digest, 32) != 0) {
        reject(r->v, "digest_mismatch", "component '%.*s': SHA-256 differs from the manifest",
               c->name_len, (const char *)c->name);
        return -1;
    }
    r->cur++;
    return 0;
}

static int feed(router *r, const uint8_t *buf, size_t len)
{
    const fws_component *c = &r->m->comp[r->cur];
    if (c->method == FWS_COMP_NONE)
        return emit(r, buf, len);
    if (r->z_ended) {
        reject(r->v, "inflate_error", "component '%.*s': bytes after the end of the zlib stream",
               c->name_len, (const char *)c->name);
        return -1;
    }
    r->z.next_in = (uint8_t *)buf;
    r->z.avail_in = (uInt)len;
    for (;;) {
        int zrc;
        r->z.next_out = r->out;
        r->z.avail_out = OUT_BUF;
        zrc = inflate(&r->z, Z_NO_FLUSH);
        if (emit(r, r->out, OUT_BUF - r->z.avail_out))
            return -1;
        if (zrc == Z_STREAM_END) {
            r->z_ended = 1;
            if (!r->z.avail_in)
                return 0;
            reject(r->v, "inflate_error", "component '%.*s': bytes after the end of the zlib stream",
                   c->name_len, (const char *)c->name);
            return -1;
        }
        if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
            reject(r->v, "inflate_error", "component '%.*s': zlib: %s", c->name_len,
                   (const char *)c->name, r->z.msg ? r->z.msg : "error");
            return -1;
        }
        /* Output space left over means inflate wants more input. */
        if (!r->z.avail_in && r->z.avail_out)
            return 0;
    }
}

/* Routes payload bytes to components by their stored extents. */
static int route(router *r, const uint8_t *buf, size_t len)
{
    while (len) {
        const fws_component *c;
        uint64_t left;
        if (r->cur >= r->m->n_components) {   /* the decoder makes sizes add up */
            reject(r->v, "inconsistent_sizes", "payload bytes beyond the last component");
            return -1;
        }
        c = &r->m->comp[r->cur];
        left = c->stored_size - r->in_done;
        size_t n = len < left ? len : (size_t)left;
        if (n && feed(r, buf, n))
            return -1;
        r->in_done += n;
        buf += n;
        len -= n;
        if (r->in_done == c->stored_size) {
            if (finish_component(r))
                return -1;
            if (r->cur < r->m->n_components && start_component(r))
                return -1;
        }
    }
    return 0;
}

void decide(container *c, const policy *p, const component_sink *sink, verdict *v)
{
    static const uint8_t zero_nonce[12];
    uint8_t key[32];
    int have_plain;
    router r;
    const uint8_t *data;
    size_t len;
    uint64_t off;
    int rc;

    memset(v, 0, sizeof *v);
    memset(&r, 0, sizeof r);
    if (container_parse(c)) {
        reject(v, c->reason, "%s", c->err);
        v->io_error = !strcmp(c->reason, "io_error");
        return;
    }
    if (p->check_class && memcmp(c->m.class_id, p->class_id, FWS_CLASS_LEN)) {
        reject(v, "wrong_class", "the container is for another device class");
        return;
    }
    if (c->m.counter < p->min_counter) {
        reject(v, "rollback", "security counter %u is below the floor %u", c->m.counter,
               p->min_counter);
        return;
    }
    if (check_signatures(c, p, v))
        return;
    have_plain = !c->m.encrypted || p->device_key;
    if (c->m.encrypted && p->device_key && unwrap_key(c, p->device_key, key, v))
        return;

    r.m = &c->m;
    r.sink = sink;
    r.v = v;
    r.out = malloc(OUT_BUF);
    if (!r.out) {
        reject(v, "io_error", "out of memory");
        v->io_error = 1;
        goto out;
    }
    if (have_plain && start_component(&r))
        goto out;
    while ((rc = container_next_chunk(c, &data, &len, &off)) == 1) {
        if (!have_plain)
            continue;
        if (c->m.encrypted)
            crypto_stream_chacha20_ietf_xor_ic(c->chunk_buf, data, len, zero_nonce,
                                               (uint32_t)(off / 64), key);
        if (route(&r, c->chunk_buf, len))
            goto out;
    }
    if (rc < 0) {
        reject(v, c->reason, "%s", c->err);
        v->io_error = !strcmp(c->reason, "io_error");
        goto out;
    }
    v->payload_checked = 1;
    /* Trailing zero-length components get their checks too. */
    while (have_plain && r.cur < c->m.n_components) {
        if (r.in_done != c->m.comp[r.cur].stored_size) {
            reject(v, "truncated", "the payload ends inside component %d", r.cur);
            goto out;
        }
        if (finish_component(&r) || (r.cur < c->m.n_components && start_component(&r)))
            goto out;
    }
    v->components_checked = have_plain;
    v->accepted = 1;
    v->reason = "ok";
out:
    if (r.z_live)
        inflateEnd(&r.z);
    free(r.out);
    sodium_memzero(key, sizeof key);
}
