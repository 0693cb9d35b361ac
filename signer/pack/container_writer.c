/* SPDX-License-Identifier: MIT */
#include "container_writer.h"
#include "diag.h"
#include "host_capsule.h"
#include "xalloc.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The payload's fields of the manifest; the commitment's storage is the
 * caller's until the manifest is encoded. */
static int finish_manifest(fws_manifest *m, const container_keys *k, spool *payload,
                           uint8_t h0[FWS_HASH_LEN], uint8_t commitment[FWS_HASH_LEN])
{
    int rc;
    if ((rc = spool_finish(payload, h0)))
        return rc;
    m->payload_len = spool_len(payload);
    m->first_chunk_hash = h0;
    if (!k->content_key)
        return FWS_EXIT_OK;
    if (m->payload_len > FWS_MAX_ENCRYPTED_PAYLOAD) {
        diag_error("payload of %llu bytes is above the encryption limit of 2^38 bytes",
                   (unsigned long long)m->payload_len);
        return FWS_EXIT_USAGE;
    }
    host_key_commitment(commitment, k->content_key);
    m->encrypted = 1;
    m->enc_alg = FWS_ENC_CHACHA20;
    m->key_commitment = commitment;
    return FWS_EXIT_OK;
}

/* One block entry: type u8 | body_len u16le | body. */
static int write_entry(atomic_file *out, uint8_t type, const uint8_t *body, uint16_t len)
{
    uint8_t head[FWS_ENTRY_HEAD_LEN];
    int rc;
    fws_entry_head_encode(head, type, len);
    if ((rc = atomic_write(out, head, sizeof head)))
        return rc;
    return atomic_write(out, body, len);
}

/* The signature block: each signer's signature over the signed region
 * (verified by fws_signer_sign), behind its key id or its delegation. */
static int write_signatures(atomic_file *out, const container_keys *k, const uint8_t *region,
                            size_t region_len)
{
    uint8_t count = (uint8_t)k->n_signers, sig[FWS_SIG_LEN];
    uint8_t entry[FWS_ENTRY_HEAD_LEN + FWS_SIG_DELEGATED_MAX_BODY];
    int rc = atomic_write(out, &count, 1);
    for (int i = 0; !rc && i < k->n_signers; i++) {
        const fws_cert_record *cert = k->certs ? k->certs[i] : NULL;
        if ((rc = fws_signer_sign(&k->signers[i], region, region_len, sig)))
            break;
        rc = atomic_write(out, entry,
                          fws_sig_entry_encode(entry, k->signers[i].id, cert ? cert->rec : NULL,
                                               cert ? cert->len : 0, sig));
    }
    return rc;
}

/* The capsule block: K wrapped for each recipient. */
static int write_capsules(atomic_file *out, const container_keys *k)
{
    uint8_t count = (uint8_t)k->n_recipients, body[FWS_CAPSULE_BODY];
    int rc = atomic_write(out, &count, 1);
    for (int i = 0; !rc && i < k->n_recipients; i++) {
        const fws_key *r = &k->recipients[i];
        uint8_t type = r->type == FWS_KEY_PSK ? FWS_CAPSULE_PSK : FWS_CAPSULE_X25519;
        if (type == FWS_CAPSULE_PSK) {
            host_capsule_wrap_psk(body, k->content_key, r->secret, r->id);
        } else if (host_capsule_wrap_x25519(body, k->content_key, r->pub)) {
            diag_error("recipient key %d is a small-order X25519 point; refusing to encrypt to it",
                       i + 1);
            return FWS_EXIT_IO;
        }
        rc = write_entry(out, type, body, sizeof body);
    }
    sodium_memzero(body, sizeof body);
    return rc;
}

int container_write(atomic_file *out, fws_manifest *m, const container_keys *k, spool *payload,
                    uint8_t tbs_hash[FWS_HASH_LEN])
{
    uint8_t h0[FWS_HASH_LEN], commitment[FWS_HASH_LEN];
    uint8_t *region = xmalloc(FWS_HEADER_LEN + FWS_MAX_MANIFEST);
    size_t mlen;
    int rc;

    if ((rc = finish_manifest(m, k, payload, h0, commitment)))
        goto out;
    mlen = fws_manifest_encode(m, region + FWS_HEADER_LEN, FWS_MAX_MANIFEST);
    if (!mlen) {
        diag_error("the manifest does not fit in %d bytes (fewer components or less --meta)",
                   FWS_MAX_MANIFEST);
        rc = FWS_EXIT_USAGE;
        goto out;
    }
    fws_header_encode(region, (uint32_t)mlen);
    if (tbs_hash)
        crypto_hash_sha256(tbs_hash, region, FWS_HEADER_LEN + mlen);
    if ((rc = atomic_write(out, region, FWS_HEADER_LEN + mlen)) ||
        (rc = write_signatures(out, k, region, FWS_HEADER_LEN + mlen)) ||
        (rc = write_capsules(out, k)))
        goto out;
    rc = spool_emit(payload, out);
out:
    free(region);
    return rc;
}

int container_replace_signatures(const char *path, struct container_s *c, const uint8_t *block,
                                 size_t block_len)
{
    uint8_t *buf = xmalloc(1 << 16);
    struct stat st;
    atomic_file out;
    size_t n;
    int rc;
    if (fstat(fileno(c->f), &st)) {
        diag_error("%s: %s", path, strerror(errno));
        free(buf);
        return FWS_EXIT_IO;
    }
    if ((rc = atomic_open(&out, path, st.st_mode & 07777, ATOMIC_OVERWRITE | ATOMIC_EXACT_MODE))) {
        free(buf);
        return rc;
    }
    if ((rc = atomic_write(&out, c->signed_region, c->signed_len)) ||
        (rc = atomic_write(&out, block, block_len)))
        goto fail;
    /* The reader stopped after the old signature block: the rest follows. */
    while ((n = fread(buf, 1, 1 << 16, c->f)) > 0)
        if ((rc = atomic_write(&out, buf, n)))
            goto fail;
    if (ferror(c->f)) {
        diag_error("%s: read error: %s", path, strerror(errno));
        rc = FWS_EXIT_IO;
        goto fail;
    }
    free(buf);
    return atomic_commit(&out);
fail:
    free(buf);
    atomic_abort(&out);
    return rc;
}
