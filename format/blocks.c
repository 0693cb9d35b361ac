/* The unsigned signature and key-capsule blocks: count byte and entry
 * heads.  Entries of unknown type are skipped by readers: they sit outside
 * the signed region, so they can only fail to count, never grant. */
#include "fws_bytes.h"
#include "fws_format.h"

void fws_entry_head_encode(uint8_t out[FWS_ENTRY_HEAD_LEN], uint8_t type, uint16_t body_len)
{
    out[0] = type;
    fws_store16_le(out + 1, body_len);
}

int fws_entry_head_decode(const uint8_t in[FWS_ENTRY_HEAD_LEN], int is_capsule,
                          fws_entry_head *e)
{
    int err = is_capsule ? FWS_E_CAPSULE_BLOCK : FWS_E_SIG_BLOCK;
    uint8_t known = is_capsule ? (in[0] == FWS_CAPSULE_X25519 || in[0] == FWS_CAPSULE_PSK)
                               : in[0] == FWS_SIG_ED25519;
    e->type = in[0];
    e->body_len = fws_load16_le(in + 1);
    if (e->type == 0 || e->body_len > FWS_MAX_ENTRY_BODY)
        return err;
    /* Known types have one exact size (both are 72 bytes). */
    if (known && e->body_len != FWS_SIG_ED25519_BODY)
        return err;
    return FWS_OK;
}

int fws_block_count_check(uint8_t count, int is_capsule, int encrypted)
{
    if (!is_capsule)
        return (count >= 1 && count <= FWS_MAX_SIGNATURES) ? FWS_OK : FWS_E_SIG_BLOCK;
    if (encrypted)
        return (count >= 1 && count <= FWS_MAX_CAPSULES) ? FWS_OK : FWS_E_CAPSULE_BLOCK;
    return count == 0 ? FWS_OK : FWS_E_CAPSULE_BLOCK;
}
