/* SPDX-License-Identifier: MIT */
/*
 * The device's decisions on the signed region, in SPEC.md section 8
 * order: limits (2), class (3), counter floor (4), signatures and
 * threshold (5): direct entries by trusted keys, delegated entries by
 * keys that root keys certified (4.1), the first `threshold` distinct
 * keys in block order.  install.c calls these as the bytes stream in; boot.c
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
    if (!p || p->n_trusted > FWS_CFG_MAX_TRUSTED || p->n_roots > FWS_CFG_MAX_ROOTS ||
        (p->n_trusted && !p->trusted) || p->n_trusted + p->n_roots == 0)
        return FWS_E_POLICY;
    if (p->n_roots && (!FWS_CFG_DELEGATION || !p->roots || p->root_threshold == 0 ||
                       p->root_threshold > p->n_roots))
        return FWS_E_POLICY;
    /* Without roots only the listed keys can sign. */
    if (p->threshold == 0 || p->threshold > FWS_CFG_MAX_THRESHOLD ||
        (!p->n_roots && p->threshold > p->n_trusted))
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

static void fws_key_id(uint8_t id[FWS_KEYID_LEN], const uint8_t pub[32])
{
    uint8_t h[FWS_SHA512_LEN];
    fws_sha512(h, pub, 32);
    fws_copy(id, h, FWS_KEYID_LEN);
}

void fws_sig_tally_init(fws_sig_tally *t, const fws_policy *p)
{
    uint8_t k;
    fws_zero(t, sizeof *t);
    for (k = 0; k < p->n_trusted; k++)
        fws_key_id(t->trusted_id[k], p->trusted[k]);
    for (k = 0; k < p->n_roots; k++)
        fws_key_id(t->root_id[k], p->roots[k]);
}

static int fws_sig_tally_has(const fws_sig_tally *t, const uint8_t id[FWS_KEYID_LEN])
{
    uint8_t i;
    for (i = 0; i < t->n_signers; i++)
        if (fws_equal(t->signer_id[i], id, FWS_KEYID_LEN))
            return 1;
    return 0;
}

static void fws_sig_tally_add(fws_sig_tally *t, const uint8_t id[FWS_KEYID_LEN],
                              uint32_t generation, uint8_t delegated)
{
    fws_copy(t->signer_id[t->n_signers], id, FWS_KEYID_LEN);
    t->signer_gen[t->n_signers] = generation;
    t->delegated |= (uint8_t)(delegated << t->n_signers);
    t->n_signers++;
}

/* Direct: the entry's key id selects a trusted key; it is never trusted. */
static int fws_sig_tally_direct(fws_sig_tally *t, const fws_policy *p, const uint8_t *body,
                                const uint8_t *signed_region, size_t signed_len)
{
    uint8_t k;
    if (fws_sig_tally_has(t, body))
        return 0;   /* a key that signs twice counts once */
    for (k = 0; k < p->n_trusted; k++)
        if (fws_equal(t->trusted_id[k], body, FWS_KEYID_LEN) &&
            fws_ed25519_verify(body + FWS_KEYID_LEN, signed_region, signed_len,
                               p->trusted[k]) == 0) {
            fws_sig_tally_add(t, body, 0, 0);
            return 1;
        }
    return 0;   /* a bad signature does not count (and does not reject) */
}

#if FWS_CFG_DELEGATION
/* 1 if root_threshold distinct trusted roots signed the delegation. */
static int fws_sig_tally_rooted(const fws_sig_tally *t, const fws_policy *p, const fws_cert *c)
{
    uint8_t msg[sizeof FWS_LABEL_DELEGATION - 1 + FWS_CERT_SIGNED_LEN];
    uint32_t seen = 0;
    uint8_t n = 0, i, k, j;
    fws_copy(msg, FWS_LABEL_DELEGATION, sizeof FWS_LABEL_DELEGATION - 1);
    fws_copy(msg + sizeof FWS_LABEL_DELEGATION - 1, c->subject, FWS_CERT_SIGNED_LEN);
    for (i = 0; i < c->n_roots && n < p->root_threshold; i++) {
        const uint8_t *rs = c->root_sigs + (size_t)i * FWS_CERT_ROOT_SIG_LEN;
        for (k = 0; k < p->n_roots; k++) {
            if (((seen >> k) & 1u) || !fws_equal(t->root_id[k], rs, FWS_KEYID_LEN) ||
                fws_ed25519_verify(rs + FWS_KEYID_LEN, msg, sizeof msg, p->roots[k]) != 0)
                continue;
            /* A root listed twice in the policy is still one root. */
            for (j = 0; j < p->n_roots; j++)
                if (fws_equal(p->roots[j], p->roots[k], 32))
                    seen |= 1u << j;
            n++;
            break;
        }
    }
    return n >= p->root_threshold;
}

/* Delegated: the certified key signed, the roots certified it for this
 * class, and its generation is not revoked. */
static int fws_sig_tally_delegated(fws_sig_tally *t, const fws_policy *p, const fws_manifest *m,
                                   const uint8_t *body, size_t body_len,
                                   const uint8_t *signed_region, size_t signed_len)
{
    fws_cert c;
    uint8_t id[FWS_KEYID_LEN];
    if (!p->n_roots || fws_cert_decode(body, body_len - FWS_SIG_LEN, &c) != FWS_OK)
        return 0;
    if (!fws_cert_any_class(&c) && !fws_equal(c.scope, m->class_id, FWS_CLASS_LEN))
        return 0;   /* certified for another class */
    fws_key_id(id, c.subject);
    if (fws_sig_tally_has(t, id) ||
        fws_ed25519_verify(body + body_len - FWS_SIG_LEN, signed_region, signed_len,
                           c.subject) != 0 ||
        !fws_sig_tally_rooted(t, p, &c))
        return 0;
    if (c.generation < p->key_generation_floor) {
        t->revoked = 1;
        return 0;
    }
    fws_sig_tally_add(t, id, c.generation, 1);
    return 1;
}
#endif

int fws_sig_tally_entry(fws_sig_tally *t, const fws_policy *p, const fws_manifest *m,
                        uint8_t type, const uint8_t *body, size_t body_len,
                        const uint8_t *signed_region, size_t signed_len)
{
    if (t->n_signers >= p->threshold)
        return 0;   /* enough: later entries are not verified */
    if (type == FWS_SIG_ED25519)
        return fws_sig_tally_direct(t, p, body, signed_region, signed_len);
#if FWS_CFG_DELEGATION
    if (type == FWS_SIG_DELEGATED)
        return fws_sig_tally_delegated(t, p, m, body, body_len, signed_region, signed_len);
#else
    (void)m;
    (void)body_len;
#endif
    return 0;
}

int fws_sig_tally_wants(const fws_sig_tally *t, const fws_policy *p, uint8_t type)
{
    if (t->n_signers >= p->threshold)
        return 0;
    return type == FWS_SIG_ED25519 || (FWS_CFG_DELEGATION && type == FWS_SIG_DELEGATED &&
                                       p->n_roots);
}

int fws_sig_tally_result(const fws_sig_tally *t, const fws_policy *p, const fws_manifest *m)
{
    uint8_t i;
    if (t->n_signers < p->threshold)
        return t->revoked ? FWS_E_KEY_REVOKED
               : t->n_signers == 0 ? FWS_E_UNTRUSTED : FWS_E_THRESHOLD;
    /* After a confirmed boot the floor becomes MIN_KEY_GENERATION: every
     * certified signer must still count then, or the image would not boot. */
    if (m->has_min_key_generation)
        for (i = 0; i < t->n_signers; i++)
            if (((t->delegated >> i) & 1u) && t->signer_gen[i] < m->min_key_generation)
                return FWS_E_KEYGEN_ABOVE_SIGNER;
    return FWS_OK;
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
    out->signer_delegated = t->delegated;
    fws_copy(out->signer_id, t->signer_id, (size_t)t->n_signers * FWS_KEYID_LEN);
    for (i = 0; i < t->n_signers; i++)
        out->signer_generation[i] = t->signer_gen[i];
    out->has_min_key_generation = m->has_min_key_generation;
    out->min_key_generation = m->min_key_generation;
}
