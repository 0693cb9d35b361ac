/* SPDX-License-Identifier: MIT */
/* The fixed 16-byte header and the layout arithmetic of the payload. */
#include "fws_bytes.h"
#include "fws_format.h"

static const uint8_t magic[6] = {'F', 'W', 'S', 'E', 'A', 'L'};

void fws_header_encode(uint8_t out[FWS_HEADER_LEN], uint32_t manifest_len)
{
    fws_copy(out, magic, sizeof magic);
    out[6] = FWS_FORMAT_VERSION;
    out[7] = 0;
    fws_store32_le(out + 8, manifest_len);
    fws_store32_le(out + 12, 0);
}

int fws_header_decode(const uint8_t in[FWS_HEADER_LEN], fws_header *h)
{
    if (!fws_equal(in, magic, sizeof magic))
        return FWS_E_MAGIC;
    h->version = in[6];
    if (h->version != FWS_FORMAT_VERSION)
        return FWS_E_VERSION;
    if (in[7] != 0 || fws_load32_le(in + 12) != 0)
        return FWS_E_RESERVED;
    h->manifest_len = fws_load32_le(in + 8);
    if (h->manifest_len == 0 || h->manifest_len > FWS_MAX_MANIFEST)
        return FWS_E_MANIFEST_SIZE;
    return FWS_OK;
}

/* ceil(payload_len / chunk_size) by shift and subtract over two 32-bit
 * halves: a 64-bit division or variable 64-bit shift would need the
 * compiler's helpers (__aeabi_uldivmod, __aeabi_llsr) on 32-bit targets. */
uint64_t fws_chunk_count(uint64_t payload_len, uint32_t chunk_size)
{
    uint32_t half[2], q[2] = {0, 0}, r = 0;
    int h, i;
    if (payload_len == 0)
        return 0;
    /* ceil(p / c) = floor((p - 1) / c) + 1 for p > 0 */
    half[0] = (uint32_t)((payload_len - 1) >> 32);
    half[1] = (uint32_t)(payload_len - 1);
    for (h = 0; h < 2; h++)
        for (i = 31; i >= 0; i--) {
            r = (r << 1) | ((half[h] >> i) & 1u);   /* r < chunk_size <= 2^20 */
            if (r >= chunk_size) {
                r -= chunk_size;
                q[h] |= 1u << i;
            }
        }
    return (((uint64_t)q[0] << 32) | q[1]) + 1;
}

uint64_t fws_stored_payload_len(uint64_t payload_len, uint32_t chunk_size)
{
    uint64_t n = fws_chunk_count(payload_len, chunk_size);
    return n ? payload_len + (n - 1) * FWS_HASH_LEN : 0;
}
