/*
 * The device's decisions on the signed region, in SPEC.md section 8
 * order: limits (2), class (3), counter floor (4), signatures and
 * threshold (5).  install.c calls these as the bytes stream in; boot.c
 * calls the same functions on the stored boot record, so an image boots
 * under exactly the rules it was installed under.
 */
#include "policy_check.h"

#include "ed25519_verify.h"
#include "fws_bytes.h"
#include "sha512.h"

/* Only its address matters: policy.class_id == FWS_CLASS_ANY. */
const uint8_t fws_class_any[FWS_CLASS_LEN] = {0};

int fws_policy_valid(const fws_policy *p)
{
    if (!p || !p->trusted || p->n_trusted == 0 || p->n_trusted > FWS_CFG_MAX_TRUSTED)
        return FWS_E_POLICY;
    if (p->threshold == 0 || p->threshold > p->n_trusted)
        return FWS_E_POLICY;
    if (p->max_wbits != 0 &&
        (p->max_wbits < FWS_INFLATE_MIN_WBITS || p->max_wbits > FWS_INFLATE_MAX_WBITS))
        return FWS_E_POLICY;
    if (p->max_chunk > FWS_MAX_CHUNK || p->max_size == 0)
        return FWS_E_POLICY;
    if (!p->class_id)
        return FWS_E_POLICY_CLASS;
    return FWS_OK;
}

int fws_policy_check_header(const uint8_t header[FWS_HEADER_LEN], uint32_t *manifest_len)
{
    fws_header h;
    int rc = fws_header_decode(header, &h);
    if (rc != FWS_OK)
        return rc;
    /* The format allows 8192; a device may have room for less. */
    if (h.manifest_len > FWS_CFG_MAX_MANIFEST)
        return FWS_E_LIMIT_MANIFEST;
    *manifest_len = h.manifest_len;
    return FWS_OK;
}

int fws_policy_check_manifest(const fws_policy *p, const fws_manifest *m)
{
    uint8_t i;
    if (m->chunk_size > p->max_chunk)
        return FWS_E_LIMIT_CHUNK;
    for (i = 0; i < m->n_components; i++) {
        if (m->comp[i].method == FWS_COMP_ZLIB && m->comp[i].wbits > p->max_wbits)
            return FWS_E_LIMIT_WINDOW;   /* max_wbits 0: no zlib at all */
        if (m->comp[i].size > p->max_size)
            return FWS_E_LIMIT_SIZE;
    }
    if (p->class_id != FWS_CLASS_ANY && !fws_equal(m->class_id, p->class_id, FWS_CLASS_LEN))
        return FWS_E_WRONG_CLASS;
    if (m->counter < p->counter_floor)
        return FWS_E_ROLLBACK;
    return FWS_OK;
}

void fws_sig_tally_init(fws_sig_tally *t, const fws_policy *p)
{
    uint8_t h[FWS_SHA512_LEN];
    uint8_t k;
    fws_zero(t, sizeof *t);
    for (k = 0; k < p->n_trusted; k++) {
        fws_sha512(h, p->trusted[k], 32);
        fws_copy(t->trusted_id[k], h, FWS_KEYID_LEN);
    }
}

int fws_sig_tally_entry(fws_sig_tally *t, const fws_policy *p,
                        const uint8_t body[FWS_SIG_ED25519_BODY], const uint8_t *signed_region,
                        size_t signed_len)
{
    uint8_t k, j;
    for (k = 0; k < p->n_trusted; k++) {
        if ((t->counted >> k) & 1u)
            continue;   /* a key that signs twice counts once */
        if (!fws_equal(t->trusted_id[k], body, FWS_KEYID_LEN))
            continue;   /* the id only selects a key; it is never trusted */
        if (fws_ed25519_verify(body + FWS_KEYID_LEN, signed_region, signed_len, p->trusted[k]) != 0)
            continue;   /* a bad signature does not count (and does not reject) */
        /* The same key listed twice in the policy is still one signer. */
        for (j = 0; j < p->n_trusted; j++)
            if (fws_equal(p->trusted[j], p->trusted[k], 32))
                t->counted |= 1u << j;
        fws_copy(t->signer_id[t->n_signers], t->trusted_id[k], FWS_KEYID_LEN);
        t->n_signers++;
        return 1;
    }
    return 0;
}

int fws_sig_tally_result(const fws_sig_tally *t, const fws_policy *p)
{
    if (t->n_signers >= p->threshold)
        return FWS_OK;
    return t->n_signers == 0 ? FWS_E_UNTRUSTED : FWS_E_THRESHOLD;
}

void fws_measurements_fill(fws_measurements *out, const fws_manifest *m,
                           const fws_sig_tally *t)
{
    uint8_t i;
    fws_zero(out, sizeof *out);
    out->major = m->major;
    out->minor = m->minor;
    out->patch = m->patch;
    out->build = m->build;
    out->counter = m->counter;
    out->timestamp = m->timestamp;
    out->class_id = m->class_id;
    out->keyed_digests = m->encrypted;
    out->n_components = m->n_components;
    for (i = 0; i < m->n_components; i++) {
        out->digest[i] = m->comp[i].digest;
        out->size[i] = m->comp[i].size;
    }
    out->n_signers = t->n_signers;
    for (i = 0; i < t->n_signers; i++)
        fws_copy(out->signer_id[i], t->signer_id[i], FWS_KEYID_LEN);
}
