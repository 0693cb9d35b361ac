/* SPDX-License-Identifier: MIT */
/*
 * Boot: the check a bootloader runs on every start, on an image already
 * installed in place (plaintext, decompressed) and the boot record stored
 * beside it (header || manifest || signature block || digest key when
 * encrypted).  The signed region is judged by the same functions as
 * install (policy_check.c); then each component is read through the
 * caller's reader in scratch-sized pieces and its digest (component_digest.h)
 * compared with the signed DIGEST.  Nothing is decrypted or inflated, and
 * no byte is read twice: each piece is hashed from the scratch buffer it
 * was read into.
 */
#include "component_digest.h"
#include "fws_bytes.h"
#include "policy_check.h"

/* The signature block at record[signed_len..): count, then entries, each
 * checked exactly as install checks them.  *end gets the offset after the
 * block. */
static int fws_boot_signatures(const fws_policy *p, const fws_manifest *m, const uint8_t *record,
                               size_t record_len, size_t signed_len, fws_sig_tally *t,
                               size_t *end)
{
    size_t pos = signed_len;
    uint8_t count, i;
    int rc;
    if (record_len - pos < 1)
        return FWS_E_TRUNCATED;
    count = record[pos++];
    rc = fws_block_count_check(count, 0, m->encrypted);
    if (rc != FWS_OK)
        return rc;
    for (i = 0; i < count; i++) {
        fws_entry_head eh;
        if (record_len - pos < FWS_ENTRY_HEAD_LEN)
            return FWS_E_TRUNCATED;
        rc = fws_entry_head_decode(record + pos, 0, &eh);
        if (rc != FWS_OK)
            return rc;
        pos += FWS_ENTRY_HEAD_LEN;
        if (record_len - pos < eh.body_len)
            return FWS_E_TRUNCATED;
        if (fws_sig_tally_wants(t, p, eh.type))
            fws_sig_tally_entry(t, p, m, eh.type, record + pos, eh.body_len, record, signed_len);
        pos += eh.body_len;
    }
    *end = pos;
    return fws_sig_tally_result(t, p, m);
}

int fws_boot_check(const fws_policy *p, const uint8_t *record, size_t record_len,
                   fws_image_reader read, void *user, uint8_t *scratch, size_t scratch_len,
                   fws_measurements *m)
{
    fws_manifest man;
    fws_sig_tally t;
    uint32_t manifest_len;
    size_t signed_len, pos;
    const uint8_t *dk = NULL;
    uint8_t i;
    int rc;

    rc = fws_policy_valid(p);
    if (rc != FWS_OK)
        return rc;
    if (!scratch || scratch_len < FWS_BOOT_SCRATCH || !read)
        return FWS_E_BUFFER;
    if (!record || record_len < FWS_HEADER_LEN)
        return FWS_E_TRUNCATED;
    rc = fws_policy_check_header(record, &manifest_len);
    if (rc != FWS_OK)
        return rc;
    signed_len = FWS_HEADER_LEN + (size_t)manifest_len;
    if (record_len < signed_len)
        return FWS_E_TRUNCATED;
    rc = fws_manifest_decode_at(record + FWS_HEADER_LEN, manifest_len, &man, NULL);
    if (rc != FWS_OK)
        return rc;
    rc = fws_policy_check_manifest(p, &man);
    if (rc != FWS_OK)
        return rc;
    fws_sig_tally_init(&t, p);
    rc = fws_boot_signatures(p, &man, record, record_len, signed_len, &t, &pos);
    if (rc != FWS_OK)
        return rc;
    if (man.encrypted) {
        if (record_len - pos < FWS_KEY_LEN)
            return FWS_E_TRUNCATED;
        dk = record + pos;
    }

    /* The signed manifest now vouches for each component's size and
     * digest: hash the installed bytes. */
    for (i = 0; i < man.n_components; i++) {
        const fws_component *c = &man.comp[i];
        fws_digest_ctx h;
        uint64_t off = 0;
        fws_digest_init(&h, dk, i);
        while (off < c->size) {
            size_t n = scratch_len;
            if ((uint64_t)n > c->size - off)
                n = (size_t)(c->size - off);
            if (read(user, i, off, scratch, n) != 0)
                return FWS_E_READ;
            fws_digest_update(&h, scratch, n);
            off += n;
        }
        if (!fws_digest_matches(&h, c->digest))
            return FWS_E_DIGEST;
    }
    if (m)
        fws_measurements_fill(m, &man, &t);
    return FWS_OK;
}
