#include "component_writer.h"
#include "cli.h"
#include "progress.h"

#include <sodium.h>
#include <stdlib.h>
#include <zlib.h>

#define IO_BUF (64 * 1024)

int component_write(fws_component_src *src, int level, int wbits, payload_spool *spool,
                    component_result *res)
{
    crypto_hash_sha256_state st;
    z_stream z = {0};
    uint8_t *in = malloc(IO_BUF), *out = malloc(IO_BUF);
    uint64_t start = spool->len;
    int rc = FWS_EXIT_IO, zrc, flush;
    long n;
    progress bar;

    res->size = 0;
    progress_start(&bar, src->origin);
    if (!in || !out) {
        cli_error("out of memory");
        goto done;
    }
    if (level > 0 && deflateInit2(&z, level, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        cli_error("zlib: cannot initialise deflate");
        goto done;
    }
    crypto_hash_sha256_init(&st);
    do {
        n = src->read(src->ctx, in, IO_BUF);
        if (n < 0)
            goto done_z;
        crypto_hash_sha256_update(&st, in, (size_t)n);
        res->size += (uint64_t)n;
        progress_add(&bar, (uint64_t)n);
        if (level == 0) {
            if (spool_write(spool, in, (size_t)n))
                goto done_z;
            continue;
        }
        z.next_in = in;
        z.avail_in = (uInt)n;
        flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            z.next_out = out;
            z.avail_out = IO_BUF;
            zrc = deflate(&z, flush);
            if (zrc == Z_STREAM_ERROR) {
                cli_error("%s: zlib deflate failed", src->origin);
                goto done_z;
            }
            if (spool_write(spool, out, IO_BUF - z.avail_out))
                goto done_z;
        } while (z.avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
    } while (n > 0);
    crypto_hash_sha256_final(&st, res->digest);
    res->stored_size = spool->len - start;
    rc = FWS_EXIT_OK;
done_z:
    if (level > 0)
        deflateEnd(&z);
done:
    progress_end(&bar);
    free(in);
    free(out);
    return rc;
}
