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

uint64_t fws_chunk_count(uint64_t payload_len, uint32_t chunk_size)
{
    return payload_len / chunk_size + (payload_len % chunk_size != 0);
}

uint64_t fws_stored_payload_len(uint64_t payload_len, uint32_t chunk_size)
{
    uint64_t n = fws_chunk_count(payload_len, chunk_size);
    return n ? payload_len + (n - 1) * FWS_HASH_LEN : 0;
}
