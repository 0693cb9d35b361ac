/* SPDX-License-Identifier: MIT */
#include "spool.h"
#include "diag.h"
#include "io.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t zero_nonce[12];

#define EMIT_BATCH (1024 * 1024)   /* payload bytes read per batch while emitting */

void spool_init(spool *s)
{
    memset(s, 0, sizeof *s);
    s->fd = s->chain_fd = -1;
}

int spool_open(spool *s, const char *dir, const uint8_t *key, uint32_t chunk_size)
{
    spool_init(s);
    s->chunk_size = chunk_size;
    s->buf = xmalloc(SPOOL_BUF);
    if ((s->fd = atomic_open_unnamed(dir)) < 0 || (s->chain_fd = atomic_open_unnamed(dir)) < 0) {
        spool_close(s);
        return FWS_EXIT_IO;
    }
    chunk_chain_init(&s->chain, chunk_size, s->chain_fd);
    if (key) {
        s->encrypt = 1;
        memcpy(s->key, key, 32);
    }
    return FWS_EXIT_OK;
}

static int spool_drain(spool *s)
{
    uint64_t off = s->len - s->fill;   /* payload offset of buf[0] */
    if (!s->fill)
        return FWS_EXIT_OK;
    if (s->encrypt)
        crypto_stream_chacha20_ietf_xor_ic(s->buf, s->buf, s->fill, zero_nonce,
                                           (uint32_t)(off / 64), s->key);
    if (chunk_chain_absorb(&s->chain, s->buf, s->fill)) {
        diag_error("temporary chunk-hash file: %s", strerror(errno));
        return FWS_EXIT_IO;
    }
    if (io_write_all(s->fd, s->buf, s->fill) < 0) {
        diag_error("temporary payload file: write failed: %s", strerror(errno));
        return FWS_EXIT_IO;
    }
    s->fill = 0;
    return FWS_EXIT_OK;
}

int spool_write(spool *s, const uint8_t *data, size_t len)
{
    while (len) {
        size_t n = SPOOL_BUF - s->fill;
        if (n > len)
            n = len;
        memcpy(s->buf + s->fill, data, n);
        s->fill += n;
        s->len += n;
        data += n;
        len -= n;
        if (s->fill == SPOOL_BUF && spool_drain(s))
            return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

uint64_t spool_len(const spool *s)
{
    return s->len;
}

static int read_at(int fd, uint8_t *buf, size_t len, uint64_t off)
{
    if (io_pread_all(fd, buf, len, off) == 0)
        return FWS_EXIT_OK;
    diag_error("temporary payload file: read failed: %s", strerror(errno));
    return FWS_EXIT_IO;
}

int spool_finish(spool *s, uint8_t h0[32])
{
    if (spool_drain(s))
        return FWS_EXIT_IO;
    if (chunk_chain_finish(&s->chain, h0, &s->n_chunks)) {
        diag_error("temporary chunk-hash file: %s", strerror(errno));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int spool_emit(spool *s, atomic_file *out)
{
    /* Whole chunks per batch: one pread of the payload and one of the next
     * hashes, then chunk||next hash assembled into one buffer and written
     * with one atomic_write. */
    uint32_t chunk_size = s->chunk_size;
    uint64_t n = s->n_chunks, per = EMIT_BATCH / chunk_size ? EMIT_BATCH / chunk_size : 1, i = 0;
    uint8_t *in = xmalloc((size_t)(per * chunk_size));
    uint8_t *buf = xmalloc((size_t)(per * (chunk_size + 32))), *next = xmalloc((size_t)(per * 32));
    int rc = FWS_EXIT_OK;
    while (rc == FWS_EXIT_OK && i < n) {
        uint64_t k = n - i < per ? n - i : per, off = i * chunk_size, j;
        uint64_t n_next = i + k < n ? k : k - 1;   /* H_{i+1}..; the last chunk has none */
        size_t len = (size_t)(s->len - off < k * chunk_size ? s->len - off : k * chunk_size);
        size_t pos = 0, at = 0;
        rc = read_at(s->fd, in, len, off);
        if (rc == FWS_EXIT_OK && chunk_chain_hashes(&s->chain, i + 1, n_next, next)) {
            diag_error("temporary chunk-hash file: read failed: %s", strerror(errno));
            rc = FWS_EXIT_IO;
        }
        for (j = 0; rc == FWS_EXIT_OK && j < k; j++) {
            size_t clen = len - at < chunk_size ? len - at : chunk_size;
            memcpy(buf + pos, in + at, clen);
            pos += clen;
            at += clen;
            if (j < n_next) {
                memcpy(buf + pos, next + j * 32, 32);
                pos += 32;
            }
        }
        if (rc == FWS_EXIT_OK)
            rc = atomic_write(out, buf, pos);
        i += k;
    }
    free(in);
    free(buf);
    free(next);
    return rc;
}

void spool_close(spool *s)
{
    if (s->fd >= 0)
        close(s->fd);
    if (s->chain_fd >= 0)
        close(s->chain_fd);
    s->fd = s->chain_fd = -1;
    free(s->buf);
    s->buf = NULL;
    chunk_chain_free(&s->chain);
    sodium_memzero(s->key, sizeof s->key);
}
