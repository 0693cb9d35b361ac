/* SPDX-License-Identifier: MIT */
/*
 * Payload bytes -> components.  Component i occupies the payload bytes
 * [offset_i, offset_i + STORED_SIZE_i) (manifest order, back to back).
 * Method none: the bytes are the plaintext.  Method zlib: the bytes are one
 * RFC 1950 stream, then zero bytes up to the component's last stored byte
 * (padding, SPEC.md section 3.7; none unless the packer asked for it), and
 * the stream inflates to exactly SIZE bytes; the inflater's output is
 * checked against SIZE as it comes, so a decompression bomb stops at SIZE
 * + at most one window.
 */
#include "component_out.h"

#include "fws_bytes.h"

typedef struct {
    fws_router *r;
    const fws_component *c;
    const fws_sink *s;
} fws_router_out;

void fws_router_init(fws_router *r, const uint8_t *digest_key)
{
    fws_zero(r, sizeof *r);
    r->digest_key = digest_key;
}

/* Plaintext of the current component: count, hash, hand on. */
static int fws_router_emit(fws_router *r, const fws_component *c, const fws_sink *s,
                           const uint8_t *data, size_t len)
{
    if (len > c->size - r->out_done)
        return FWS_E_SIZE;
    fws_digest_update(&r->digest, data, len);
    if (s && s->write && s->write(s->user, r->cur, c, r->out_done, data, len) != 0)
        return FWS_E_SINK;
    r->out_done += len;
    return FWS_OK;
}

static int fws_router_inflate_sink(void *user, const uint8_t *data, size_t len)
{
    fws_router_out *o = (fws_router_out *)user;
    int rc = fws_router_emit(o->r, o->c, o->s, data, len);
    if (rc != FWS_OK)
        o->r->status = rc;   /* push returns FWS_INFLATE_ERR_SINK; we report this */
    return rc != FWS_OK;
}

static int fws_router_start(fws_router *r, const fws_component *c, const fws_sink *s,
                            uint8_t *window)
{
    r->in_done = r->out_done = 0;
    r->z_done = 0;
    r->started = 1;
    fws_digest_init(&r->digest, r->digest_key, r->cur);
    if (c->method == FWS_COMP_ZLIB &&
        fws_inflate_init(&r->inf, window, c->wbits, 1) != FWS_INFLATE_OK) {
        r->inflate_err = FWS_INFLATE_ERR_PARAM;
        return FWS_E_INFLATE;
    }
    if (s && s->write && s->write(s->user, r->cur, c, 0, NULL, 0) != 0)
        return FWS_E_SINK;
    return FWS_OK;
}

static int fws_router_finish(fws_router *r, const fws_component *c)
{
    if (c->method == FWS_COMP_ZLIB && !r->z_done)
        return FWS_E_INFLATE;   /* the stream did not end by the stored end */
    if (r->out_done != c->size)
        return FWS_E_SIZE;
    if (!fws_digest_matches(&r->digest, c->digest))
        return FWS_E_DIGEST;
    r->cur++;
    r->started = 0;
    return FWS_OK;
}

/* Stored bytes after the end of a zlib stream: padding, all zero. */
static int fws_router_padding(const uint8_t *buf, size_t len)
{
    uint8_t acc = 0;
    while (len--)
        acc |= *buf++;
    return acc ? FWS_E_INFLATE : FWS_OK;
}

static int fws_router_feed(fws_router *r, const fws_component *c, const fws_sink *s,
                           const uint8_t *buf, size_t len)
{
    fws_router_out o;
    size_t used = 0;
    int rc;
    if (c->method == FWS_COMP_NONE)
        return fws_router_emit(r, c, s, buf, len);
    if (r->z_done)
        return fws_router_padding(buf, len);
    o.r = r;
    o.c = c;
    o.s = s;
    rc = fws_inflate_push(&r->inf, buf, len, &used, fws_router_inflate_sink, &o);
    if (rc == FWS_INFLATE_ERR_SINK)
        return r->status;
    if (rc < 0) {
        r->inflate_err = rc;
        return FWS_E_INFLATE;
    }
    if (rc == FWS_INFLATE_DONE) {
        r->z_done = 1;
        return fws_router_padding(buf + used, len - used);
    }
    return FWS_OK;
}

int fws_router_push(fws_router *r, const fws_manifest *m, const fws_sink *s, uint8_t *window,
                    const uint8_t *buf, size_t len)
{
    int rc;
    while (r->cur < m->n_components) {
        const fws_component *c = &m->comp[r->cur];
        uint64_t left;
        size_t n;
        if (!r->started && (rc = fws_router_start(r, c, s, window)) != FWS_OK)
            return rc;
        left = c->stored_size - r->in_done;
        n = (uint64_t)len < left ? len : (size_t)left;
        if (n) {
            if ((rc = fws_router_feed(r, c, s, buf, n)) != FWS_OK)
                return rc;
            r->in_done += n;
            buf += n;
            len -= n;
        }
        if (r->in_done != c->stored_size)
            break;   /* len is 0: the component continues in the next chunk */
        if ((rc = fws_router_finish(r, c)) != FWS_OK)
            return rc;
    }
    /* The STORED_SIZEs add up to P (manifest rule), so nothing is left. */
    return len == 0 ? FWS_OK : FWS_E_SIZES;
}

int fws_router_done(const fws_router *r, const fws_manifest *m)
{
    return r->cur == m->n_components;
}
