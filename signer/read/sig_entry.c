/* SPDX-License-Identifier: MIT */
#include "sig_entry.h"

#include <sodium.h>
#include <string.h>

int sig_entry_delegation(const block_entry *e, fws_cert *c, const uint8_t **sig)
{
    if (e->type != FWS_SIG_DELEGATED ||
        fws_cert_decode(e->body, e->len - FWS_SIG_LEN, c) != FWS_OK)
        return -1;
    *sig = e->body + e->len - FWS_SIG_LEN;
    return 0;
}

int sig_entry_key_id(const block_entry *e, uint8_t id[FWS_KEYID_LEN])
{
    fws_cert c;
    const uint8_t *sig;
    uint8_t h[crypto_hash_sha512_BYTES];
    if (e->type == FWS_SIG_ED25519) {
        memcpy(id, e->body, FWS_KEYID_LEN);
        return 0;
    }
    if (sig_entry_delegation(e, &c, &sig))
        return -1;
    crypto_hash_sha512(h, c.subject, 32);
    memcpy(id, h, FWS_KEYID_LEN);
    return 0;
}

size_t sig_block_build(const container *c, const uint8_t *entry, size_t entry_len, uint8_t *out)
{
    size_t pos = 1;
    out[0] = (uint8_t)(c->n_sigs + (entry != NULL));
    for (int i = 0; i < c->n_sigs; i++) {
        fws_entry_head_encode(out + pos, c->sigs[i].type, c->sigs[i].len);
        memcpy(out + pos + FWS_ENTRY_HEAD_LEN, c->sigs[i].body, c->sigs[i].len);
        pos += FWS_ENTRY_HEAD_LEN + c->sigs[i].len;
    }
    if (entry) {
        memcpy(out + pos, entry, entry_len);
        pos += entry_len;
    }
    return pos;
}
