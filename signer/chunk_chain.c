#include "chunk_chain.h"

#include <stdlib.h>
#include <string.h>

void chain_init(chunk_chain *c, uint32_t chunk_size)
{
    memset(c, 0, sizeof *c);
    c->chunk_size = chunk_size;
    host_sha256_init(&c->cur);
}

/* Keeps the midstate of the chunk just completed (its state words in host
 * order; the length is C for every full chunk, so it need not be kept). */
static int keep_midstate(chunk_chain *c)
{
    if (c->n_full == c->cap) {
        uint64_t cap = c->cap ? c->cap * 2 : 1024;
        uint8_t *p = cap <= SIZE_MAX / 32 ? realloc(c->mid, (size_t)(cap * 32)) : NULL;
        if (!p)
            return -1;
        c->mid = p;
        c->cap = cap;
    }
    memcpy(c->mid + c->n_full * 32, c->cur.h, 32);
    c->n_full++;
    host_sha256_init(&c->cur);
    c->in_chunk = 0;
    return 0;
}

int chain_absorb(chunk_chain *c, const uint8_t *data, size_t len)
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
    memcpy(s.h, mid, 32);
    s.len = len;
    host_sha256_update(&s, tail, tail_len);
    host_sha256_final(&s, out);
}

int chain_finish(chunk_chain *c, uint8_t **hashes, uint64_t *n)
{
    uint64_t count = c->n_full + (c->in_chunk != 0), i;
    uint8_t next[32];
    *hashes = NULL;
    *n = count;
    if (!count) {
        chain_free(c);
        return 0;
    }
    if (c->in_chunk) {
        /* The last chunk is short: hash it out now, into its own entry. */
        if (c->n_full == c->cap) {
            uint8_t *p = realloc(c->mid, (size_t)((c->cap + 1) * 32));
            if (!p)
                return -1;
            c->mid = p;
            c->cap++;
        }
        host_sha256_final(&c->cur, c->mid + c->n_full * 32);
    } else {
        /* The last chunk is full: S_{n-1} = D_{n-1}, nothing appended. */
        finish_from_midstate(c->mid + (count - 1) * 32, c->chunk_size, NULL, 0,
                             c->mid + (count - 1) * 32);
    }
    memcpy(next, c->mid + (count - 1) * 32, 32);
    for (i = count - 1; i-- > 0;) {
        finish_from_midstate(c->mid + i * 32, c->chunk_size, next, 32, next);
        memcpy(c->mid + i * 32, next, 32);
    }
    *hashes = c->mid;
    c->mid = NULL;
    chain_free(c);
    return 0;
}

void chain_free(chunk_chain *c)
{
    free(c->mid);
    chain_init(c, c->chunk_size);
}
