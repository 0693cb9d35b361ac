/* SPDX-License-Identifier: MIT */
/*
 * Install: the streaming state machine of a device taking a container
 * (SPEC.md sections 2-8).  Bytes are pushed in any split; each step
 * collects exactly the bytes it needs (into the work area, or the context
 * for a capsule entry), then acts on that copy:
 *
 *   header (16) -> manifest (M) -> decode, limits, class, counter
 *   -> signature block: count, then per entry head (3) and body (72 for
 *      Ed25519, 188..404 delegated: verified at once while the threshold
 *      is not met; other types, and every entry after that, skipped unread)
 *   -> threshold
 *   -> capsule block: count, then per entry head and body (72 for X25519
 *      and PSK, unwrapped if the key is not found yet; others skipped)
 *   -> key found and committed (encrypted containers); the digest key
 *      derived from it goes to the boot record
 *   -> chunks: one stored chunk (data || next hash) in the work area,
 *      SHA-256 compared with the chain, only then decrypted in place and
 *      routed to the components (component_out.c)
 *   -> end: any further byte is FWS_E_TRAILING.
 *
 * A step whose length is 0 (an unknown entry with an empty body, a
 * container with no payload) completes as soon as it is reached, so the
 * verdict never waits for bytes that will not come.
 *
 * Work area (see FWS_WORK_SIZE): [0, 16 + M) the signed region, then the
 * signature entries that counted, then (encrypted) the digest key: the
 * boot record ends there.  At a fixed offset after them the chunk buffer
 * and the inflate window.
 */
#include "capsule_unwrap.h"
#include "component_digest.h"
#include "component_out.h"
#include "fws_bytes.h"
#include "policy_check.h"
#include "sha512.h"

/* The steps, in stream order, FWS_CFG_STEP_SPACING apart (no jump table
 * on Cortex-M0+: fws_config.h).  COUNT, HEAD, BODY and SKIP read the
 * signature block, then (ctx->capsules set) the capsule block. */
#define FWS_ST_STEP(n) ((n) * FWS_CFG_STEP_SPACING)
enum {
    FWS_ST_HEADER = FWS_ST_STEP(0),
    FWS_ST_MANIFEST = FWS_ST_STEP(1),
    FWS_ST_COUNT = FWS_ST_STEP(2),
    FWS_ST_HEAD = FWS_ST_STEP(3),
    FWS_ST_BODY = FWS_ST_STEP(4),
    FWS_ST_SKIP = FWS_ST_STEP(5),
    FWS_ST_CHUNK = FWS_ST_STEP(6),
    FWS_ST_END = FWS_ST_STEP(7)
};

#define FWS_OFF_CHUNK (FWS_HEADER_LEN + FWS_CFG_MAX_MANIFEST + FWS_BOOT_TAIL_MAX)

static uint8_t *fws_install_chunk_buf(const fws_install_ctx *ctx)
{
    return ctx->work + FWS_OFF_CHUNK;
}

static uint8_t *fws_install_window(const fws_install_ctx *ctx)
{
    return ctx->work + FWS_OFF_CHUNK + ctx->policy->max_chunk + FWS_HASH_LEN;
}

/* The signature block of the boot record: count byte, then kept entries. */
static uint8_t *fws_install_sig_block(const fws_install_ctx *ctx)
{
    return ctx->work + FWS_HEADER_LEN + ctx->manifest_len;
}

/* Where the next entry goes: after the kept ones.  Then (encrypted) the
 * digest key's place in the boot record. */
static uint8_t *fws_install_kept_end(const fws_install_ctx *ctx)
{
    return fws_install_sig_block(ctx) + 1 + ctx->kept_len;
}

static void fws_install_expect(fws_install_ctx *ctx, uint8_t state, uint8_t *dst, uint32_t need)
{
    ctx->state = state;
    ctx->dst = dst;
    ctx->need = need;
    ctx->have = 0;
}

/* Wipes every secret, and the plaintext of an encrypted container still in
 * the chunk buffer and the inflate window. */
static void fws_install_wipe(fws_install_ctx *ctx)
{
    fws_wipe(ctx->key, sizeof ctx->key);
    fws_chacha20_wipe(&ctx->chacha);
    fws_wipe(&ctx->r.digest, sizeof ctx->r.digest);
    fws_wipe(&ctx->r.inf, sizeof ctx->r.inf);
    if (ctx->m.encrypted && ctx->state >= FWS_ST_CHUNK)
        fws_wipe(fws_install_chunk_buf(ctx),
                 ctx->policy->max_chunk + FWS_HASH_LEN +
                     (ctx->policy->max_wbits ? (size_t)1 << ctx->policy->max_wbits : 0));
}

static int fws_install_fail(fws_install_ctx *ctx, int rc)
{
    ctx->status = rc;
    fws_install_wipe(ctx);
    if (ctx->r.digest_key)
        fws_wipe(fws_install_kept_end(ctx), FWS_KEY_LEN);
    return rc;
}

/* ---- signature and capsule blocks ---- */

/* Tries one capsule entry (ctx->entry) with the device's keys, then with
 * the unwrap callback, unless the key was already found. */
static void fws_install_try_capsule(fws_install_ctx *ctx)
{
    const fws_policy *p = ctx->policy;
    const uint8_t *body = ctx->entry + FWS_ENTRY_HEAD_LEN;
    uint8_t type = ctx->eh.type;
    if (type == FWS_CAPSULE_X25519 && p->x25519_secret && p->x25519_public &&
        fws_equal(body, ctx->x25519_id, FWS_KEYID_LEN)) {
        int zero = fws_capsule_unwrap_x25519(ctx->key, body, p->x25519_secret, p->x25519_public);
        ctx->cap_tried = 1;
        /* One decision from both results (no branch on the secret's zero flag). */
        if (fws_capsule_commitment_ok(ctx->key, ctx->m.key_commitment) & (zero == 0)) {
            ctx->key_ok = 1;
            return;
        }
    } else if (type == FWS_CAPSULE_PSK && p->psk &&
               fws_equal(body, ctx->psk_id, FWS_KEYID_LEN)) {
        ctx->cap_tried = 1;
        fws_capsule_unwrap_psk(ctx->key, body, p->psk);
        if (fws_capsule_commitment_ok(ctx->key, ctx->m.key_commitment)) {
            ctx->key_ok = 1;
            return;
        }
    }
    if (p->unwrap && p->unwrap(p->unwrap_user, type, body, ctx->key) == 0) {
        ctx->cap_tried = 1;
        if (fws_capsule_commitment_ok(ctx->key, ctx->m.key_commitment)) {
            ctx->key_ok = 1;
            return;
        }
    }
    fws_wipe(ctx->key, sizeof ctx->key);
}

static int fws_install_payload_start(fws_install_ctx *ctx);

/* After an entry (or the count): the next entry's head, or the end of the
 * block.  Signature entries are read to where they would be kept, capsule
 * entries into the context. */
static int fws_install_next_entry(fws_install_ctx *ctx)
{
    const fws_policy *p = ctx->policy;
    int rc;
    if (ctx->entry_index < ctx->block_count) {
        fws_install_expect(ctx, FWS_ST_HEAD, ctx->capsules ? ctx->entry : fws_install_kept_end(ctx),
                           FWS_ENTRY_HEAD_LEN);
        return FWS_OK;
    }
    if (!ctx->capsules) {
        rc = fws_sig_tally_result(&ctx->tally, p, &ctx->m);
        if (rc != FWS_OK)
            return rc;
        /* The boot record's block holds the entries that counted. */
        fws_install_sig_block(ctx)[0] = ctx->kept;
        ctx->capsules = 1;
        fws_install_expect(ctx, FWS_ST_COUNT, ctx->entry, 1);
        return FWS_OK;
    }
    if (ctx->m.encrypted && !ctx->key_ok) {
        if (!(p->x25519_secret && p->x25519_public) && !p->psk && !p->unwrap)
            return FWS_E_NO_KEY;
        return ctx->cap_tried ? FWS_E_KEY_COMMITMENT : FWS_E_NO_CAPSULE;
    }
    return fws_install_payload_start(ctx);
}

/* A block's count byte (at ctx->dst). */
static int fws_install_count(fws_install_ctx *ctx)
{
    int rc;
    ctx->block_count = ctx->dst[0];
    ctx->entry_index = 0;
    rc = fws_block_count_check(ctx->block_count, ctx->capsules, ctx->m.encrypted);
    return rc != FWS_OK ? rc : fws_install_next_entry(ctx);
}

/* An entry's head (at ctx->dst): read its body if it can count (a
 * signature while the threshold is not met, an X25519 or PSK capsule),
 * else skip it unread. */
static int fws_install_head(fws_install_ctx *ctx)
{
    int rc = fws_entry_head_decode(ctx->dst, ctx->capsules, &ctx->eh), wanted;
    uint8_t type = ctx->eh.type;
    if (rc != FWS_OK)
        return rc;
    wanted = ctx->capsules ? type == FWS_CAPSULE_X25519 || type == FWS_CAPSULE_PSK
                           : fws_sig_tally_wants(&ctx->tally, ctx->policy, type);
    /* The head decoder bounded body_len (72 for capsules); the kept area
     * has room for one more signature entry of any kind while the
     * threshold is not met. */
    fws_install_expect(ctx, wanted ? FWS_ST_BODY : FWS_ST_SKIP,
                       wanted ? ctx->dst + FWS_ENTRY_HEAD_LEN : NULL, ctx->eh.body_len);
    return FWS_OK;
}

/* An entry's body (at ctx->dst): a signature judged (kept if it counted),
 * a capsule tried while the key is not found. */
static void fws_install_body(fws_install_ctx *ctx)
{
    if (!ctx->capsules) {
        if (fws_sig_tally_entry(&ctx->tally, ctx->policy, &ctx->m, ctx->eh.type, ctx->dst,
                                ctx->eh.body_len, ctx->work, FWS_HEADER_LEN + ctx->manifest_len)) {
            ctx->kept++;   /* keep it: the next entry goes after it */
            ctx->kept_len = (uint16_t)(ctx->kept_len + FWS_ENTRY_HEAD_LEN + ctx->eh.body_len);
        }
    } else if (ctx->m.encrypted && !ctx->key_ok) {
        fws_install_try_capsule(ctx);
    }
}

/* ---- payload ---- */

/* Expects the next stored chunk: C + 32 bytes (data and the next chunk's
 * hash), or the last chunk's 1..C.  (Compared, never divided: no 64-bit
 * division helper on 32-bit targets.) */
static void fws_install_next_chunk(fws_install_ctx *ctx)
{
    uint64_t left = ctx->m.payload_len - ctx->payload_done;
    fws_install_expect(ctx, FWS_ST_CHUNK, fws_install_chunk_buf(ctx),
                       left > ctx->m.chunk_size ? ctx->m.chunk_size + FWS_HASH_LEN
                                                : (uint32_t)left);
}

static int fws_install_payload_start(fws_install_ctx *ctx)
{
    int rc;
    uint8_t *dk = NULL;
    ctx->payload_done = 0;
    fws_copy(ctx->expect, ctx->m.first_chunk_hash, FWS_HASH_LEN);
    if (ctx->m.encrypted) {
        dk = fws_install_kept_end(ctx);
        fws_digest_key(dk, ctx->key);
    }
    fws_router_init(&ctx->r, dk);
    if (ctx->m.payload_len == 0) {
        /* No chunks: every component is empty; finish them now. */
        fws_install_expect(ctx, FWS_ST_END, NULL, 0);
        rc = fws_router_push(&ctx->r, &ctx->m, ctx->sink, NULL, NULL, 0);
        if (rc == FWS_OK && !fws_router_done(&ctx->r, &ctx->m))
            rc = FWS_E_SIZES;
        return rc;
    }
    fws_install_next_chunk(ctx);
    return FWS_OK;
}

/* A whole stored chunk (ctx->need bytes) is in the work area:
 * authenticate, decrypt, route.  Only the last chunk is C bytes or
 * shorter. */
static int fws_install_chunk(fws_install_ctx *ctx)
{
    static const uint8_t zero_nonce[FWS_CHACHA20_NONCE_LEN] = {0};
    uint8_t *buf = fws_install_chunk_buf(ctx);
    uint8_t h[FWS_HASH_LEN];
    int last = ctx->need <= ctx->m.chunk_size;
    size_t n = last ? ctx->need : ctx->m.chunk_size;
    int rc;

    fws_sha256(h, buf, ctx->need);
    if (!fws_equal(h, ctx->expect, FWS_HASH_LEN))
        return FWS_E_CHUNK_HASH;
    if (!last)
        fws_copy(ctx->expect, buf + n, FWS_HASH_LEN);
    if (ctx->m.encrypted) {
        /* Chunks start on 64-byte boundaries (C is a multiple of 64) and
         * P <= 2^38, so the block counter is exact and fits 32 bits. */
        fws_chacha20_init(&ctx->chacha, ctx->key, zero_nonce, (uint32_t)(ctx->payload_done / 64));
        rc = fws_chacha20_xor(&ctx->chacha, buf, buf, n);
        fws_chacha20_wipe(&ctx->chacha);
        if (rc != 0)
            return FWS_E_ENCRYPTION;
    }
    rc = fws_router_push(&ctx->r, &ctx->m, ctx->sink, fws_install_window(ctx), buf, n);
    if (rc != FWS_OK)
        return rc;
    ctx->payload_done += n;
    if (last) {
        fws_install_expect(ctx, FWS_ST_END, NULL, 0);
        return fws_router_done(&ctx->r, &ctx->m) ? FWS_OK : FWS_E_SIZES;
    }
    fws_install_next_chunk(ctx);
    return FWS_OK;
}

/* ---- the steps ---- */

/* The current step has all its bytes: act on them and set up the next.
 * Steps of length 0 are taken at once.  (If-chains, not a switch: a jump
 * table would need a compiler helper on Cortex-M0+.) */
static int fws_install_step(fws_install_ctx *ctx)
{
    uint8_t *w = ctx->work;
    uint8_t st;
    int rc;
    do {
        st = ctx->state;
        if (st == FWS_ST_CHUNK) {
            rc = fws_install_chunk(ctx);
        } else if (st == FWS_ST_HEADER) {
            rc = fws_policy_check_header(w, &ctx->manifest_len);
            if (rc == FWS_OK)
                fws_install_expect(ctx, FWS_ST_MANIFEST, w + FWS_HEADER_LEN, ctx->manifest_len);
        } else if (st == FWS_ST_MANIFEST) {
            rc = fws_manifest_decode_at(w + FWS_HEADER_LEN, ctx->manifest_len, &ctx->m, NULL);
            if (rc == FWS_OK)
                rc = fws_policy_check_manifest(ctx->policy, &ctx->m);
            if (rc == FWS_OK)
                fws_install_expect(ctx, FWS_ST_COUNT, fws_install_sig_block(ctx), 1);
        } else if (st == FWS_ST_COUNT) {
            rc = fws_install_count(ctx);
        } else if (st == FWS_ST_HEAD) {
            rc = fws_install_head(ctx);
        } else if (st == FWS_ST_BODY || st == FWS_ST_SKIP) {
            if (st == FWS_ST_BODY)
                fws_install_body(ctx);
            ctx->entry_index++;
            rc = fws_install_next_entry(ctx);
        } else {
            rc = FWS_E_STATE;
        }
    } while (rc == FWS_OK && ctx->state != FWS_ST_END && ctx->need == 0);
    return rc;
}

/* ---- API ---- */

int fws_install_init(fws_install_ctx *ctx, const fws_policy *p, const fws_sink *s,
                     uint8_t *work, size_t work_len)
{
    uint8_t h[FWS_SHA512_LEN];
    int rc;
    if (!ctx)
        return FWS_E_STATE;
    fws_zero(ctx, sizeof *ctx);
    ctx->policy = p;
    ctx->sink = s;
    ctx->work = work;
    ctx->work_len = work_len;
    rc = fws_policy_valid(p);
    if (rc == FWS_OK && (!work || work_len < FWS_WORK_SIZE(p->max_chunk, p->max_wbits)))
        rc = FWS_E_BUFFER;
    if (rc != FWS_OK) {
        ctx->status = rc;
        return rc;
    }
    fws_sig_tally_init(&ctx->tally, p);
    if (p->psk)
        fws_capsule_psk_id(ctx->psk_id, p->psk);
    if (p->x25519_public) {
        fws_sha512(h, p->x25519_public, 32);
        fws_copy(ctx->x25519_id, h, FWS_KEYID_LEN);
    }
    fws_install_expect(ctx, FWS_ST_HEADER, work, FWS_HEADER_LEN);
    return FWS_OK;
}

int fws_install_push(fws_install_ctx *ctx, const uint8_t *data, size_t len)
{
    int rc;
    if (!ctx)
        return FWS_E_STATE;
    if (ctx->status != FWS_OK)
        return ctx->status;
    if (ctx->finished)
        return FWS_E_STATE;
    while (len > 0) {
        uint32_t n;
        if (ctx->state == FWS_ST_END)
            return fws_install_fail(ctx, FWS_E_TRAILING);
        n = ctx->need - ctx->have;
        if ((size_t)n > len)
            n = (uint32_t)len;
        /* The one read of these input bytes: copied where they are kept,
         * or (skipped entry bodies) only counted. */
        if (ctx->dst)
            fws_copy(ctx->dst + ctx->have, data, n);
        ctx->have += n;
        data += n;
        len -= n;
        if (ctx->have == ctx->need && (rc = fws_install_step(ctx)) != FWS_OK)
            return fws_install_fail(ctx, rc);
    }
    return FWS_OK;
}

int fws_install_finish(fws_install_ctx *ctx, fws_measurements *m)
{
    if (!ctx)
        return FWS_E_STATE;
    ctx->finished = 1;
    if (ctx->status == FWS_OK && ctx->state != FWS_ST_END)
        ctx->status = FWS_E_TRUNCATED;
    if (ctx->status != FWS_OK)
        return fws_install_fail(ctx, ctx->status);
    fws_install_wipe(ctx);
    if (m)
        fws_measurements_fill(m, &ctx->m, &ctx->tally);
    return FWS_OK;
}

int fws_install_boot_record(const fws_install_ctx *ctx, const uint8_t **rec, size_t *len)
{
    if (!ctx)
        return FWS_E_STATE;
    if (ctx->status != FWS_OK)
        return ctx->status;
    /* Encrypted: complete once the digest key is there (payload start). */
    if (ctx->state < FWS_ST_CHUNK && (ctx->m.encrypted || !ctx->capsules))
        return FWS_E_STATE;
    if (rec)
        *rec = ctx->work;
    if (len)
        *len = (size_t)(fws_install_kept_end(ctx) - ctx->work) +
               (ctx->m.encrypted ? FWS_KEY_LEN : 0);
    return FWS_OK;
}

int fws_install_inflate_error(const fws_install_ctx *ctx)
{
    return (ctx && ctx->status == FWS_E_INFLATE) ? ctx->r.inflate_err : 0;
}
