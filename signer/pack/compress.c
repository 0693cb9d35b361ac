/* SPDX-License-Identifier: MIT */
#include "compress.h"
#include "diag.h"
#include "host_digest.h"
#include "pdeflate.h"
#include "progress.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

#define IO_BUF (64 * 1024)

uint64_t pad_size(uint64_t n, uint64_t pad_to)
{
    uint64_t p = 1;
    if (pad_to == 0 || n == 0)
        return n;
    if (pad_to != PAD_POW2)
        return n % pad_to == 0                ? n
               : n / pad_to < UINT64_MAX / pad_to ? (n / pad_to + 1) * pad_to
                                                   : 0;
    while (p < n && p <= UINT64_MAX / 2)
        p *= 2;
    return p >= n ? p : 0;
}

/* The plaintext side of the pipeline: every byte read is digested and
 * counted here, on the calling thread, as the compressor pulls it; after
 * the input's end, 0xFF fill up to the padded size. */
typedef struct {
    fws_component_src *src;
    host_digest digest;
    uint64_t size;
    uint64_t pad_to;
    uint64_t padded;       /* the size with padding, once the input ended */
    int eof;
    progress bar;
} plain_reader;

static long plain_read(void *ctx, uint8_t *buf, size_t cap)
{
    plain_reader *r = ctx;
    long n = 0;
    if (!r->eof) {
        n = r->src->read(r->src->ctx, buf, cap);
        if (n < 0)
            return n;
        if (n == 0) {
            r->eof = 1;
            r->padded = pad_size(r->size, r->pad_to);
            if (r->padded == 0 && r->size) {
                diag_error("%s: %llu bytes cannot be padded as --pad-to asks", r->src->origin,
                           (unsigned long long)r->size);
                return -1;
            }
        }
    }
    if (r->eof) {
        uint64_t left = r->padded > r->size ? r->padded - r->size : 0;
        n = (long)((uint64_t)cap < left ? cap : left);
        memset(buf, 0xFF, (size_t)n);
    }
    if (n > 0) {
        host_digest_update(&r->digest, buf, (size_t)n);
        r->size += (uint64_t)n;
        progress_add(&r->bar, (uint64_t)n);
    }
    return n;
}

static int to_spool(void *ctx, const uint8_t *data, size_t len)
{
    return spool_write(ctx, data, len);
}

/* Level 0: the plaintext is the stored bytes. */
static int store(plain_reader *r, spool *sp)
{
    uint8_t *buf = xmalloc(IO_BUF);
    long n;
    int rc = FWS_EXIT_IO;
    while ((n = plain_read(r, buf, IO_BUF)) > 0)
        if (spool_write(sp, buf, (size_t)n))
            goto out;
    if (n == 0)
        rc = FWS_EXIT_OK;
out:
    free(buf);
    return rc;
}

/* Zero bytes after a zlib stream, up to the padded stored size. */
static int pad_stored(spool *out, uint64_t stored, uint64_t pad_to, const char *origin)
{
    static const uint8_t zeros[4096];
    uint64_t left, target = pad_size(stored, pad_to);
    if (target == 0) {
        diag_error("%s: the compressed size cannot be padded as --pad-to asks", origin);
        return FWS_EXIT_USAGE;
    }
    for (left = target - stored; left;) {
        size_t n = left < sizeof zeros ? (size_t)left : sizeof zeros;
        if (spool_write(out, zeros, n))
            return FWS_EXIT_IO;
        left -= n;
    }
    return FWS_EXIT_OK;
}

int compress_component(fws_component_src *src, const compress_opts *o, uint8_t index, spool *out,
                       compress_result *res)
{
    plain_reader r;
    uint64_t start = spool_len(out);
    int rc;

    memset(&r, 0, sizeof r);
    r.src = src;
    r.pad_to = o->pad_to;
    host_digest_init(&r.digest, o->digest_key, index);
    progress_start(&r.bar, src->origin, src->size_hint, o->quiet);
    if (o->level == 0) {
        rc = store(&r, out);
    } else {
        pdeflate_params p = {o->level, o->wbits, o->jobs, src->origin};
        rc = pdeflate(&p, plain_read, &r, to_spool, out, NULL, NULL);
        if (!rc && o->pad_to)
            rc = pad_stored(out, spool_len(out) - start, o->pad_to, src->origin);
    }
    progress_end(&r.bar);
    host_digest_final(&r.digest, res->digest);   /* wipes the state either way */
    if (rc)
        return rc;
    res->size = r.size;
    res->stored_size = spool_len(out) - start;
    return FWS_EXIT_OK;
}
