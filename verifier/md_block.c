/* SPDX-License-Identifier: MIT */
/* Block buffering and padding for SHA-256 and SHA-512 (see md_block.h). */
#include "md_block.h"

#include "fws_bytes.h"

void fws_md_update(void *ctx, const void *in, size_t len)
{
    fws_md_head *h = (fws_md_head *)ctx;
    uint8_t *buf = FWS_MD_BUF(ctx), *state = FWS_MD_STATE(ctx);
    const uint8_t *p = (const uint8_t *)in;
    size_t block = h->block_len, used = (size_t)(h->count & (block - 1));

    if (len == 0) /* also keeps arithmetic off a NULL in */
        return;
    h->count += len;
    if (used != 0) { /* top up the partial block first */
        size_t take = block - used < len ? block - used : len;
        fws_copy(buf + used, p, take);
        p += take;
        len -= take;
        if (used + take < block)
            return;
        h->compress(state, buf);
    }
    for (; len >= block; p += block, len -= block) /* whole blocks straight from in */
        h->compress(state, p);
    fws_copy(buf, p, len);
}

void fws_md_pad(void *ctx, unsigned len_bytes)
{
    fws_md_head *h = (fws_md_head *)ctx;
    uint8_t pad[24];
    unsigned i, end = h->block_len - len_bytes;

    /* The length in bits as a 128-bit big-endian number (its top 64 bits
     * are count >> 61), of which the last len_bytes go in, after 0x80 and
     * zeros up to end mod block_len: all through update (zeros eight at a
     * time from pad), so the block logic exists once. */
    fws_store64_be(pad, h->count >> 61);
    fws_store64_be(pad + 8, h->count << 3);
    pad[16] = 0x80;
    fws_md_update(ctx, pad + 16, 1);
    for (i = 16; i < 24; i++)
        pad[i] = 0;
    while ((i = (unsigned)(end - h->count) & (h->block_len - 1)) != 0)
        fws_md_update(ctx, pad + 16, i < 8 ? i : 8);
    fws_md_update(ctx, pad + 16 - len_bytes, len_bytes);
}
