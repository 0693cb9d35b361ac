/* SPDX-License-Identifier: MIT */
/* The unsigned signature and key-capsule blocks: count byte and entry
 * heads, and the delegation records inside delegated signature entries.
 * Entries of unknown type are skipped by readers: they sit outside the
 * signed region, so they can only fail to count, never grant. */
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
    /* Known types have one exact size (both are 72 bytes)... */
    if (known && e->body_len != FWS_SIG_ED25519_BODY)
        return err;
    /* ...a delegated entry one of four, which determine its layout. */
    if (!is_capsule && e->type == FWS_SIG_DELEGATED &&
        fws_cert_roots(e->body_len - FWS_SIG_LEN) == 0)
        return err;
    return FWS_OK;
}

int fws_block_count_check(uint8_t count, int is_capsule, int encrypted)
{
    if (!is_capsule)
        return count <= FWS_MAX_SIGNATURES ? FWS_OK : FWS_E_SIG_BLOCK;
    if (encrypted)
        return (count >= 1 && count <= FWS_MAX_CAPSULES) ? FWS_OK : FWS_E_CAPSULE_BLOCK;
    return count == 0 ? FWS_OK : FWS_E_CAPSULE_BLOCK;
}

uint8_t fws_cert_roots(size_t len)
{
    uint8_t n;
    for (n = 1; n <= FWS_MAX_ROOT_SIGS; n++)   /* no division: no helper on M0 */
        if (len == (size_t)FWS_CERT_LEN(n))
            return n;
    return 0;
}

int fws_cert_decode(const uint8_t *buf, size_t len, fws_cert *c)
{
    c->n_roots = fws_cert_roots(len);
    if (c->n_roots == 0)
        return FWS_E_SIG_BLOCK;
    c->subject = buf;
    c->generation = fws_load32_le(buf + 32);
    c->scope = buf + 36;
    c->root_sigs = buf + FWS_CERT_SIGNED_LEN;
    return FWS_OK;
}

int fws_cert_any_class(const fws_cert *c)
{
    uint8_t acc = 0, i;
    for (i = 0; i < FWS_CLASS_LEN; i++)
        acc |= c->scope[i];
    return acc == 0;
}

size_t fws_sig_entry_encode(uint8_t *out, const uint8_t key_id[FWS_KEYID_LEN], const uint8_t *cert,
                            size_t cert_len, const uint8_t sig[FWS_SIG_LEN])
{
    uint8_t *body = out + FWS_ENTRY_HEAD_LEN;
    size_t body_len;
    if (cert) {
        fws_copy(body, cert, cert_len);
        fws_copy(body + cert_len, sig, FWS_SIG_LEN);
        body_len = cert_len + FWS_SIG_LEN;
    } else {
        fws_copy(body, key_id, FWS_KEYID_LEN);
        fws_copy(body + FWS_KEYID_LEN, sig, FWS_SIG_LEN);
        body_len = FWS_SIG_ED25519_BODY;
    }
    fws_entry_head_encode(out, cert ? FWS_SIG_DELEGATED : FWS_SIG_ED25519, (uint16_t)body_len);
    return FWS_ENTRY_HEAD_LEN + body_len;
}
