/* SPDX-License-Identifier: MIT */
#include "chunk_chain.h"
#include "io.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

void chunk_chain_init(chunk_chain *c, uint32_t chunk_size, int fd)
{
    memset(c, 0, sizeof *c);
    c->chunk_size = chunk_size;
    c->fd = fd;
    host_sha256_init(&c->cur);
}

static int read_entries(int fd, uint64_t first, uint64_t count, uint8_t *out)
{
    return io_pread_all(fd, out, (size_t)count * 32, first * 32);
}

static int write_entries(int fd, uint64_t first, uint64_t count, const uint8_t *in)
{
    return io_pwrite_all(fd, in, (size_t)count * 32, first * 32);
}

/* Writes the buffered entries to the file. */
static int flush_entries(chunk_chain *c)
{
    uint64_t k = c->n_full - c->n_written;
    if (k && write_entries(c->fd, c->n_written, k, c->buf))
        return -1;
    c->n_written = c->n_full;
    return 0;
}

/* Keeps the midstate of the chunk just completed (its state words in host
 * order; the length is C for every full chunk, so it need not be kept). */
static int keep_midstate(chunk_chain *c)
{
    if (!c->buf)
        c->buf = xmalloc(CHUNK_CHAIN_BUF_ENTRIES * 32);
    if (c->n_full - c->n_written == CHUNK_CHAIN_BUF_ENTRIES && flush_entries(c))
        return -1;
    host_sha256_get_state(&c->cur, c->buf + (c->n_full - c->n_written) * 32);
    c->n_full++;
    host_sha256_init(&c->cur);
    c->in_chunk = 0;
    return 0;
}

int chunk_chain_absorb(chunk_chain *c, const uint8_t *data, size_t len)
{
    while (len) {
        uint64_t room = c->chunk_size - c->in_chunk;
        size_t n = room < len ? (size_t)room : len;
        host_sha256_update(&c->cur, data, n);
        c->in_chunk += n;
        data += n;
        len -= n;
        if (c->in_chunk == c->chunk_size && keep_midstate(c))
            return -1;
    }
    return 0;
}

/* H = SHA-256(D || tail) from the midstate after D (len bytes, a multiple
 * of 64); tail is tail_len bytes (0 or 32). */
static void finish_from_midstate(const uint8_t *mid, uint64_t len, const uint8_t *tail,
                                 size_t tail_len, uint8_t out[32])
{
    host_sha256 s;
    host_sha256_set_state(&s, mid, len);
    host_sha256_update(&s, tail, tail_len);
    host_sha256_final(&s, out);
}

int chunk_chain_finish(chunk_chain *c, uint8_t h0[32], uint64_t *n)
{
    uint64_t count, hi;
    uint8_t next[32];
    memset(h0, 0, 32);
    if (!c->buf)
        c->buf = xmalloc(CHUNK_CHAIN_BUF_ENTRIES * 32);
    if (c->in_chunk) {
        /* The last chunk is short: hash it out now, as its own entry. */
        if (c->n_full - c->n_written == CHUNK_CHAIN_BUF_ENTRIES && flush_entries(c))
            return -1;
        host_sha256_final(&c->cur, c->buf + (c->n_full - c->n_written) * 32);
        c->n_full++;
        c->in_chunk = 0;
    } else if (c->n_full) {
        /* The last chunk is full: S_{n-1} = D_{n-1}, nothing appended.  Its
         * midstate is still buffered: a flush happens only before an entry
         * is added. */
        uint8_t *last = c->buf + (c->n_full - 1 - c->n_written) * 32;
        finish_from_midstate(last, c->chunk_size, NULL, 0, last);
    }
    count = *n = c->n_full;
    if (!count)
        return 0;
    if (flush_entries(c))
        return -1;
    /* Backward, a buffer of entries at a time: H_i from midstate i and H_{i+1}. */
    if (read_entries(c->fd, count - 1, 1, next))
        return -1;
    for (hi = count - 1; hi > 0;) {
        uint64_t lo = hi > CHUNK_CHAIN_BUF_ENTRIES ? hi - CHUNK_CHAIN_BUF_ENTRIES : 0, i;
        if (read_entries(c->fd, lo, hi - lo, c->buf))
            return -1;
        for (i = hi; i-- > lo;) {
            uint8_t *e = c->buf + (i - lo) * 32;
            finish_from_midstate(e, c->chunk_size, next, 32, e);
            memcpy(next, e, 32);
        }
        if (write_entries(c->fd, lo, hi - lo, c->buf))
            return -1;
        hi = lo;
    }
    memcpy(h0, next, 32);
    return 0;
}

int chunk_chain_hashes(const chunk_chain *c, uint64_t first, uint64_t count, uint8_t *out)
{
    return count ? read_entries(c->fd, first, count, out) : 0;
}

void chunk_chain_free(chunk_chain *c)
{
    free(c->buf);
    chunk_chain_init(c, c->chunk_size, c->fd);
}
