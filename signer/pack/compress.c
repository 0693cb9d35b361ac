#include "compress.h"
#include "diag.h"
#include "host_sha256.h"
#include "pdeflate.h"
#include "progress.h"
#include "xalloc.h"

#include <stdlib.h>

#define IO_BUF (64 * 1024)

/* The plaintext side of the pipeline: every byte read is hashed and
 * counted here, on the calling thread, as the compressor pulls it. */
typedef struct {
    fws_component_src *src;
    host_sha256 sha;
    uint64_t size;
    progress bar;
} plain_reader;

static long plain_read(void *ctx, uint8_t *buf, size_t cap)
{
    plain_reader *r = ctx;
    long n = r->src->read(r->src->ctx, buf, cap);
    if (n > 0) {
        host_sha256_update(&r->sha, buf, (size_t)n);
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

int compress_component(fws_component_src *src, int level, int wbits, int jobs, spool *out,
                       compress_result *res)
{
    plain_reader r;
    uint64_t start = spool_len(out);
    int rc;

    r.src = src;
    r.size = 0;
    host_sha256_init(&r.sha);
    progress_start(&r.bar, src->origin);
    if (level == 0) {
        rc = store(&r, out);
    } else {
        pdeflate_params p = {level, wbits, jobs, src->origin};
        rc = pdeflate(&p, plain_read, &r, to_spool, out, NULL, NULL);
    }
    progress_end(&r.bar);
    if (rc)
        return rc;
    host_sha256_final(&r.sha, res->digest);
    res->size = r.size;
    res->stored_size = spool_len(out) - start;
    return FWS_EXIT_OK;
}
