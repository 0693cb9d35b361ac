/* SPDX-License-Identifier: MIT */
/*
 * The verifier's boot entry point, fws_boot_check(), on a boot record and
 * an installed image taken from the input, compared with an independent
 * decision written here on libsodium (signatures, delegations, threshold,
 * key generations, digests of each component) over the shared
 * header/manifest decoder.
 *
 * Input: mode byte (FZ_MODE_*: threshold, class, small limits, floor),
 * fix byte, scratch byte, then a container-shaped record (header ||
 * manifest || signature block, then 32 bytes of digest key when the
 * manifest has an ENCRYPTION field) followed by the image: the
 * components' installed bytes back to back in manifest order.  Fix bits:
 *   0x01  rewrite each DIGEST from the image (so the digest loop passes),
 *         keyed by the record's digest key when encrypted;
 *   0x02  keep the signature block (else re-sign: with sign1, or with a
 *         delegated entry by sign2 when the mode trusts root sign3; and
 *         with sign1 and sign2 too when the mode asks for threshold 2);
 *   0x04  hand the image to fws_boot_check as trailing record bytes too
 *         (they must be ignored);
 *   0x08  the delegated entry's generation is below the device's floor.
 * Scratch: FWS_BOOT_SCRATCH + 37 * byte bytes; 255 means 255 bytes (too
 * small: FWS_E_BUFFER expected).
 *
 * The reader checks the verifier's side of the contract: component index
 * in range, reads within SIZE, no larger than the scratch, and each
 * component read once, in order, without overlap (single fetch).
 */
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "fws_bytes.h"
#include "spec_digest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIX_DIGESTS 0x01
#define FIX_KEEP_SIGS 0x02
#define FIX_TRAILING 0x04
#define FIX_REVOKED 0x08

static fz_keys keys;
static int ready;

typedef struct {
    const uint8_t *img;
    size_t img_len;
    int have_m;
    fws_manifest m;
    uint64_t start[FWS_MAX_COMPONENTS];   /* image offset of each component */
    uint64_t next[FWS_MAX_COMPONENTS];    /* next offset expected per component */
    int last_index;
    size_t scratch_len;
} reader_state;

static int reader(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    reader_state *s = user;
    if (!s->have_m)
        fz_fail("boot read before a valid manifest");
    if (index >= s->m.n_components)
        fz_fail("boot read of component %u of %u", index, s->m.n_components);
    if ((int)index < s->last_index)
        fz_fail("boot read component %u after %d", index, s->last_index);
    s->last_index = index;
    if (len == 0 || len > s->scratch_len)
        fz_fail("boot read of %zu bytes with %zu of scratch", len, s->scratch_len);
    if (offset != s->next[index])
        fz_fail("boot read component %u at %llu, expected %llu (reads twice or skips)", index,
                (unsigned long long)offset, (unsigned long long)s->next[index]);
    if (len > s->m.comp[index].size - offset)
        fz_fail("boot read past component %u's size", index);
    s->next[index] = offset + len;
    if (s->start[index] > s->img_len || offset > s->img_len - s->start[index] ||
        len > s->img_len - s->start[index] - offset)
        return 1;   /* the image is shorter: a read error */
    memcpy(buf, s->img + s->start[index] + offset, len);
    return 0;
}

/* A type-02 body (SPEC.md 4.1): in scope, the subject's signature over
 * the signed region, and root_threshold distinct trusted roots' over the
 * delegation message. */
static int delegation_counts(const fws_policy *p, const fws_manifest *m, const uint8_t *body,
                             unsigned bl, const uint8_t *signed_region, size_t signed_len)
{
    static const uint8_t zero[FWS_CLASS_LEN];
    uint8_t msg[20 + 52], id[64];
    unsigned n = (bl - 116) / 72, good = 0, r, j;
    if (memcmp(body + 36, zero, 16) && memcmp(body + 36, m->class_id, 16))
        return 0;
    if (crypto_sign_verify_detached(body + 52 + 72 * n, signed_region, signed_len, body) != 0)
        return 0;
    memcpy(msg, "fwseal-v1 delegation", 20);
    memcpy(msg + 20, body, 52);
    for (r = 0; r < p->n_roots; r++) {
        int dup = 0;
        for (j = 0; j < r; j++)
            dup |= !memcmp(p->roots[j], p->roots[r], 32);
        if (dup)
            continue;
        crypto_hash_sha512(id, p->roots[r], 32);
        for (j = 0; j < n; j++)
            if (!memcmp(body + 52 + 72 * j, id, 8) &&
                crypto_sign_verify_detached(body + 60 + 72 * j, msg, sizeof msg,
                                            p->roots[r]) == 0) {
                good++;
                break;
            }
    }
    return good >= p->root_threshold;
}

/* The independent decision.  rec[0..rec_len) is what boot is given. */
static int oracle(const fws_policy *p, const uint8_t *rec, size_t rec_len, const uint8_t *img,
                  size_t img_len)
{
    fws_header h;
    fws_manifest m;
    size_t signed_len, pos;
    unsigned count, n_signers = 0, i, t;
    uint8_t signers[FWS_MAX_SIGNATURES][32], delegated[FWS_MAX_SIGNATURES];
    uint32_t generation[FWS_MAX_SIGNATURES];
    uint64_t off = 0;

    if (rec_len < FWS_HEADER_LEN || fws_header_decode(rec, &h) != FWS_OK)
        return 0;
    if (h.manifest_len > FWS_CFG_MAX_MANIFEST || rec_len - FWS_HEADER_LEN < h.manifest_len)
        return 0;
    signed_len = FWS_HEADER_LEN + h.manifest_len;
    if (fws_manifest_decode(rec + FWS_HEADER_LEN, h.manifest_len, &m, NULL) != FWS_OK)
        return 0;
    if (m.chunk_size > p->max_chunk)
        return 0;
    for (i = 0; i < m.n_components; i++)
        if (m.comp[i].method == FWS_COMP_ZLIB && m.comp[i].wbits > p->max_wbits)
            return 0;
    for (i = 0; i < m.n_components; i++)
        if (m.comp[i].size > p->max_size)
            return 0;
    if (p->class_id != FWS_CLASS_ANY && memcmp(m.class_id, p->class_id, FWS_CLASS_LEN))
        return 0;
    if (m.counter < p->counter_floor)
        return 0;
    /* Signature block: count 1..8, entries type != 0, body <= 1024, an
     * Ed25519 entry exactly 72 bytes, a delegated one 116 + 72n (n 1..4).
     * Only the first `threshold` signers count (SPEC.md 4). */
    pos = signed_len;
    if (rec_len - pos < 1)
        return 0;
    count = rec[pos++];
    if (count < 1 || count > FWS_MAX_SIGNATURES)
        return 0;
    for (i = 0; i < count; i++) {
        unsigned type, bl;
        if (rec_len - pos < 3)
            return 0;
        type = rec[pos];
        bl = fws_load16_le(rec + pos + 1);
        pos += 3;
        if (type == 0 || bl > FWS_MAX_ENTRY_BODY || (type == FWS_SIG_ED25519 && bl != 72) ||
            (type == FWS_SIG_DELEGATED && (bl < 188 || bl > 404 || (bl - 116) % 72)) ||
            rec_len - pos < bl)
            return 0;
        if (n_signers < p->threshold) {
            const uint8_t *signer = NULL;
            uint32_t gen = 0;
            if (type == FWS_SIG_ED25519) {
                for (t = 0; t < p->n_trusted && !signer; t++)
                    if (!memcmp(rec + pos, keys.key[t].id, 8) &&
                        crypto_sign_verify_detached(rec + pos + 8, rec, signed_len,
                                                    p->trusted[t]) == 0)
                        signer = p->trusted[t];
            } else if (type == FWS_SIG_DELEGATED && p->n_roots &&
                       delegation_counts(p, &m, rec + pos, bl, rec, signed_len)) {
                signer = rec + pos;
                gen = fws_load32_le(rec + pos + 32);
                if (gen < p->key_generation_floor)
                    signer = NULL;   /* revoked */
            }
            for (t = 0; signer && t < n_signers; t++)
                if (!memcmp(signers[t], signer, 32))
                    signer = NULL;   /* counted already */
            if (signer) {
                memcpy(signers[n_signers], signer, 32);
                delegated[n_signers] = type == FWS_SIG_DELEGATED;
                generation[n_signers++] = gen;
            }
        }
        pos += bl;
    }
    if (n_signers < p->threshold)
        return 0;
    for (t = 0; t < n_signers; t++)
        if (m.has_min_key_generation && delegated[t] && generation[t] < m.min_key_generation)
            return 0;
    /* An encrypted container's record ends with its digest key. */
    if (m.encrypted && rec_len - pos < 32)
        return 0;
    for (i = 0; i < m.n_components; i++) {
        uint8_t d[32];
        uint64_t sz = m.comp[i].size;
        if (off > img_len || sz > img_len - off)
            return 0;
        spec_component_digest(d, m.encrypted ? rec + pos : NULL, (uint8_t)i, img + off,
                              (size_t)sz);
        if (memcmp(d, m.comp[i].digest, 32))
            return 0;
        off += sz;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t mode, fix, sb, *buf, *rec, *scratch, sigs[FZ_SIG_BLOCK_MAX];
    const uint8_t *dk;
    size_t len, img_off, rec_len, scratch_len, signed_len;
    fz_layout l;
    fz_fields f;
    fws_policy p;
    fws_measurements meas;
    reader_state st;
    int rc, want;

    if (!ready) {
        fz_keys_init(&keys);
        ready = 1;
    }
    if (size < 3)
        return 0;
    mode = data[0];
    fix = data[1];
    sb = data[2];
    len = size - 3;
    buf = malloc(len ? len : 1);
    memcpy(buf, data + 3, len);
    fz_layout_of(buf, len, &l);
    img_off = l.cap_off;   /* the record ends after the signature block... */
    dk = NULL;
    if (len >= FWS_HEADER_LEN) {
        fz_fields_of(buf + FWS_HEADER_LEN, l.m_len, &f);
        if (f.commitment != SIZE_MAX && len - img_off >= 32) {
            dk = buf + img_off;   /* ...and its digest key, when encrypted */
            img_off += 32;
        }
    }

    memset(&st, 0, sizeof st);
    st.last_index = -1;
    st.img = buf + img_off;
    st.img_len = len - img_off;
    if (len >= FWS_HEADER_LEN) {
        if (fix & FIX_DIGESTS) {
            uint64_t off = 0;
            for (int i = 0; i < f.n; i++) {
                uint64_t sz;
                if (f.comp[i].size == SIZE_MAX)
                    break;
                sz = fws_load64_le(buf + FWS_HEADER_LEN + f.comp[i].size);
                if (off > st.img_len || sz > st.img_len - off)
                    break;
                if (f.comp[i].digest != SIZE_MAX)
                    spec_component_digest(buf + FWS_HEADER_LEN + f.comp[i].digest, dk,
                                          (uint8_t)i, st.img + off, (size_t)sz);
                off += sz;
            }
        }
    }

    /* Build the record. */
    signed_len = len < FWS_HEADER_LEN ? len : FWS_HEADER_LEN + l.m_len;
    if ((fix & FIX_KEEP_SIGS) || len < FWS_HEADER_LEN) {
        rec_len = img_off;
        rec = malloc((fix & FIX_TRAILING) ? len + 1 : rec_len + 1);
        memcpy(rec, buf, (fix & FIX_TRAILING) ? len : rec_len);
        if (fix & FIX_TRAILING)
            rec_len = len;
    } else {
        size_t sl = fz_sig_block(&keys,
                                 ((mode & FZ_MODE_ROOTS) ? FZ_WHO_DELEGATED : 1u << FZ_SIGN1) |
                                     ((mode & FZ_MODE_THRESH2)
                                          ? 1u << FZ_SIGN1 | 1u << FZ_SIGN2 : 0) |
                                     ((fix & FIX_REVOKED) ? FZ_WHO_REVOKED : 0),
                                 buf, signed_len, sigs);
        size_t kl = dk ? 32 : 0;
        rec_len = signed_len + sl + kl + ((fix & FIX_TRAILING) ? st.img_len : 0);
        rec = malloc(rec_len);
        memcpy(rec, buf, signed_len);
        memcpy(rec + signed_len, sigs, sl);
        if (dk)
            memcpy(rec + signed_len + sl, dk, kl);
        if (fix & FIX_TRAILING)
            memcpy(rec + signed_len + sl + kl, st.img, st.img_len);
    }

    fz_device_policy(&keys, mode, &p);
    /* Component starts in the image, from the manifest boot will trust. */
    if (rec_len >= FWS_HEADER_LEN + l.m_len && len >= FWS_HEADER_LEN &&
        fws_manifest_decode(rec + FWS_HEADER_LEN, l.m_len, &st.m, NULL) == FWS_OK) {
        uint64_t off = 0;
        st.have_m = 1;
        for (int i = 0; i < st.m.n_components; i++) {
            st.start[i] = off;
            off = st.m.comp[i].size > UINT64_MAX - off ? UINT64_MAX : off + st.m.comp[i].size;
        }
    }
    scratch_len = sb == 255 ? 255 : FWS_BOOT_SCRATCH + 37 * (size_t)sb;
    scratch = malloc(scratch_len);
    st.scratch_len = scratch_len;

    rc = fws_boot_check(&p, rec_len ? rec : NULL, rec_len, reader, &st, scratch, scratch_len,
                        &meas);
    if (rc < 0 || rc >= FWS_STATUS_END)
        fz_fail("boot: status %d", rc);
    if (sb == 255) {
        if (rc != FWS_E_BUFFER)
            fz_fail("boot with a 255-byte scratch: %s", fws_status_name(rc));
    } else {
        want = oracle(&p, rec, rec_len, st.img, st.img_len);
        if (want != (rc == FWS_OK))
            fz_fail("boot says %s, the independent check says %s (mode 0x%02x fix 0x%02x)",
                    fws_status_name(rc), want ? "accept" : "reject", mode, fix);
        if (rc == FWS_OK) {
            if (!st.have_m || meas.n_components != st.m.n_components ||
                meas.counter != st.m.counter || meas.n_signers < p.threshold)
                fz_fail("boot measurements do not match the manifest");
            for (int i = 0; i < meas.n_components; i++)
                if (st.next[i] != st.m.comp[i].size || meas.size[i] != st.m.comp[i].size)
                    fz_fail("boot accepted component %d after reading %llu of %llu bytes", i,
                            (unsigned long long)st.next[i],
                            (unsigned long long)st.m.comp[i].size);
        }
    }
    free(scratch);
    free(rec);
    free(buf);
    return 0;
}
