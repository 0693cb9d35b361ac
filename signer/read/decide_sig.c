/* SPDX-License-Identifier: MIT */
/*
 * The host's signature decision (format/SPEC.md section 4), written again
 * from the spec on libsodium, apart from the device's policy_check.c:
 * direct entries by trusted keys, delegated entries by keys the roots
 * certified, distinct keys, the first k in block order, the key-generation
 * floor, and MIN_KEY_GENERATION against the signers that count.
 */
#include "cert.h"
#include "decide.h"
#include "keyfile.h"
#include "reason.h"
#include "sig_entry.h"

#include <sodium.h>
#include <string.h>

typedef struct {
    verdict *v;
    int revoked;                   /* a genuine certified key was below the floor */
} tally;

static int counted(const verdict *v, const uint8_t id[FWS_KEYID_LEN])
{
    for (int i = 0; i < v->n_signers; i++)
        if (!memcmp(v->signer_ids[i], id, FWS_KEYID_LEN))
            return 1;
    return 0;
}

static void count(verdict *v, const uint8_t id[FWS_KEYID_LEN], uint32_t gen, int delegated)
{
    memcpy(v->signer_ids[v->n_signers], id, FWS_KEYID_LEN);
    v->signer_generation[v->n_signers] = gen;
    v->signer_delegated |= (unsigned)delegated << v->n_signers;
    v->n_signers++;
}

static void direct(const container *c, const policy *p, const block_entry *e, verdict *v)
{
    if (counted(v, e->body))
        return;
    for (int k = 0; k < p->n_trusted; k++)
        if (!memcmp(p->trusted[k].id, e->body, FWS_KEYID_LEN) &&
            crypto_sign_verify_detached(e->body + FWS_KEYID_LEN, c->signed_region,
                                        c->signed_len, p->trusted[k].pub) == 0) {
            count(v, e->body, 0, 0);
            return;
        }
}

/* root_threshold distinct trusted roots signed the record (a root listed
 * twice is one root; a root that signs twice counts once). */
static int rooted(const policy *p, const fws_cert *d)
{
    uint8_t msg[FWS_CERT_MESSAGE_LEN];
    const uint8_t *seen[FWS_MAX_ROOT_SIGS];
    int n = 0;
    fws_cert_message(d->subject, msg);
    for (int i = 0; i < d->n_roots && n < p->root_threshold; i++) {
        const uint8_t *rs = d->root_sigs + (size_t)i * FWS_CERT_ROOT_SIG_LEN;
        for (int k = 0; k < p->n_roots; k++) {
            int dup = 0;
            for (int s = 0; s < n; s++)
                dup |= !memcmp(seen[s], p->roots[k].pub, 32);
            if (dup || memcmp(p->roots[k].id, rs, FWS_KEYID_LEN) ||
                crypto_sign_verify_detached(rs + FWS_KEYID_LEN, msg, sizeof msg,
                                            p->roots[k].pub))
                continue;
            seen[n++] = p->roots[k].pub;
            break;
        }
    }
    return n >= p->root_threshold;
}

static void delegated(const container *c, const policy *p, const block_entry *e, tally *t)
{
    static const uint8_t any[FWS_CLASS_LEN];
    uint8_t id[FWS_KEYID_LEN];
    const uint8_t *sig;
    fws_cert d;
    if (!p->n_roots || sig_entry_delegation(e, &d, &sig) || sig_entry_key_id(e, id))
        return;
    if (memcmp(d.scope, any, FWS_CLASS_LEN) && memcmp(d.scope, c->m.class_id, FWS_CLASS_LEN))
        return;   /* certified for another class */
    if (counted(t->v, id) ||
        crypto_sign_verify_detached(sig, c->signed_region, c->signed_len, d.subject) ||
        !rooted(p, &d))
        return;
    if (d.generation < p->key_generation_floor) {
        t->revoked = 1;
        return;
    }
    count(t->v, id, d.generation, 1);
}

int decide_signatures(const container *c, const policy *p, verdict *v)
{
    tally t = {v, 0};
    for (int i = 0; i < c->n_sigs && v->n_signers < p->threshold; i++) {
        if (c->sigs[i].type == FWS_SIG_ED25519)
            direct(c, p, &c->sigs[i], v);
        else if (c->sigs[i].type == FWS_SIG_DELEGATED)
            delegated(c, p, &c->sigs[i], &t);
    }
    if (v->n_signers < p->threshold) {
        if (t.revoked)
            decide_reject(v, REASON(FWS_E_KEY_REVOKED),
                          "only %d signer%s count: a certified key below the key-generation "
                          "floor %lu signed (revoked)", v->n_signers,
                          v->n_signers == 1 ? "" : "s", (unsigned long)p->key_generation_floor);
        else if (v->n_signers == 0)
            decide_reject(v, REASON(FWS_E_UNTRUSTED),
                          "no valid signature by a trusted %s(%d signature entr%s)",
                          p->n_roots ? "or certified key " : "key ", c->n_sigs,
                          c->n_sigs == 1 ? "y" : "ies");
        else
            decide_reject(v, REASON(FWS_E_THRESHOLD),
                          "only %d distinct trusted key%s signed, the threshold is %d",
                          v->n_signers, v->n_signers == 1 ? "" : "s", p->threshold);
        return -1;
    }
    for (int i = 0; c->m.has_min_key_generation && i < v->n_signers; i++)
        if (((v->signer_delegated >> i) & 1u) &&
            v->signer_generation[i] < c->m.min_key_generation) {
            char hex[2 * FWS_KEYID_LEN + 1];
            fws_key_id_hex(v->signer_ids[i], hex);
            decide_reject(v, REASON(FWS_E_KEYGEN_ABOVE_SIGNER),
                          "MIN_KEY_GENERATION %lu is above the generation %lu of signer %s: "
                          "a release may not revoke its own key",
                          (unsigned long)c->m.min_key_generation,
                          (unsigned long)v->signer_generation[i], hex);
            return -1;
        }
    return 0;
}
