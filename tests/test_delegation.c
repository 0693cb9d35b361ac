/* SPDX-License-Identifier: MIT */
/* Key rotation on the device (format/SPEC.md 4.1, 4.2): signing keys
 * certified by root keys, key generations, revocation by
 * MIN_KEY_GENERATION.  Delegation records and entries are built here with
 * libsodium from the spec's prose alone and spliced into a container that
 * `fwseal pack` wrote (its manifest re-encoded when MIN_KEY_GENERATION is
 * wanted); the verifier's install and boot check judge them. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "fws_bytes.h"
#include "fws_verify.h"
#include "hsm_fixture.h"
#include "host_class_id.h"
#include "tamper.h"
#include "xalloc.h"

static fixture fx;
static void setup(void) { fx_init(&fx); }
static void teardown(void) { fx_free(&fx); }
TestSuite(delegation, .init = setup, .fini = teardown, .timeout = 60);

typedef struct {
    uint8_t pk[32], sk[64], id[8];
} keypair;

static void keypair_from(keypair *k, uint8_t seed_byte)
{
    uint8_t seed[32], h[64];
    memset(seed, seed_byte, sizeof seed);
    crypto_sign_seed_keypair(k->pk, k->sk, seed);
    crypto_hash_sha512(h, k->pk, 32);
    memcpy(k->id, h, 8);
}

/* A delegation record for subject at generation gen, scope (NULL: any
 * class), signed by the n given roots. */
static size_t cert(uint8_t *out, const keypair *subject, uint32_t gen, const uint8_t *scope,
                   const keypair *const *roots, int n)
{
    uint8_t msg[20 + 52];
    memcpy(out, subject->pk, 32);
    fws_store32_le(out + 32, gen);
    if (scope)
        memcpy(out + 36, scope, 16);
    else
        memset(out + 36, 0, 16);
    memcpy(msg, "fwseal-v1 delegation", 20);
    memcpy(msg + 20, out, 52);
    for (int i = 0; i < n; i++) {
        memcpy(out + 52 + 72 * i, roots[i]->id, 8);
        crypto_sign_detached(out + 52 + 72 * i + 8, NULL, msg, sizeof msg, roots[i]->sk);
    }
    return 52 + 72 * (size_t)n;
}

/* A container under construction: its signed region and payload from a
 * packed one, and the signature entries spliced in here. */
typedef struct {
    uint8_t *signed_region, *rest;   /* rest: capsule block and payload */
    size_t signed_len, rest_len;
    uint8_t block[1 + 8 * 1027];
    size_t block_len;
} spliced;

static void container_from_pack(spliced *c, const char *pack_args, int has_min_kg, uint32_t min_kg)
{
    size_t len;
    layout l;
    uint8_t *p = tp_pack_small(&fx, "base.fws", pack_args, &len);
    layout_of(p, len, &l);
    if (has_min_kg) {   /* re-encode the manifest with MIN_KEY_GENERATION */
        fws_manifest m;
        uint8_t man[FWS_MAX_MANIFEST];
        cr_assert_eq(fws_manifest_decode(p + 16, l.manifest_len, &m, NULL), FWS_OK);
        m.has_min_key_generation = 1;
        m.min_key_generation = min_kg;
        size_t ml = fws_manifest_encode(&m, man, sizeof man);
        cr_assert(ml > 0);
        c->signed_region = malloc(16 + ml);
        fws_header_encode(c->signed_region, (uint32_t)ml);
        memcpy(c->signed_region + 16, man, ml);
        c->signed_len = 16 + ml;
    } else {
        c->signed_len = l.sig_block;
        c->signed_region = malloc(c->signed_len);
        memcpy(c->signed_region, p, c->signed_len);
    }
    c->rest_len = len - l.cap_block;
    c->rest = malloc(c->rest_len);
    memcpy(c->rest, p + l.cap_block, c->rest_len);
    c->block[0] = 0;
    c->block_len = 1;
    free(p);
}

static void add_entry(spliced *c, uint8_t type, const uint8_t *body, size_t len)
{
    fws_entry_head_encode(c->block + c->block_len, type, (uint16_t)len);
    memcpy(c->block + c->block_len + 3, body, len);
    c->block_len += 3 + len;
    c->block[0]++;
}

static void add_direct(spliced *c, const keypair *k)
{
    uint8_t body[72];
    memcpy(body, k->id, 8);
    crypto_sign_detached(body + 8, NULL, c->signed_region, c->signed_len, k->sk);
    add_entry(c, FWS_SIG_ED25519, body, sizeof body);
}

/* A delegated entry: the record, then signer's signature over the signed
 * region (signer is normally the record's subject). */
static void add_delegated(spliced *c, const uint8_t *rec, size_t rec_len, const keypair *signer)
{
    uint8_t body[FWS_SIG_DELEGATED_MAX_BODY];
    memcpy(body, rec, rec_len);
    crypto_sign_detached(body + rec_len, NULL, c->signed_region, c->signed_len, signer->sk);
    add_entry(c, FWS_SIG_DELEGATED, body, rec_len + 64);
}

static uint8_t *bytes(const spliced *c, size_t *len)
{
    *len = c->signed_len + c->block_len + c->rest_len;
    uint8_t *b = malloc(*len);
    memcpy(b, c->signed_region, c->signed_len);
    memcpy(b + c->signed_len, c->block, c->block_len);
    memcpy(b + c->signed_len + c->block_len, c->rest, c->rest_len);
    return b;
}

static void container_free(spliced *c)
{
    free(c->signed_region);
    free(c->rest);
}

/* The device: roots (and perhaps direct keys), class test/class; and the
 * host's decide() policy for the same trust. */
typedef struct {
    uint8_t roots[4][32], trusted[4][32], class_id[16];
    fws_policy p;
    fws_key hroots[4], htrusted[4];
} device;

static void host_key(fws_key *k, const keypair *kp)
{
    memset(k, 0, sizeof *k);
    k->type = FWS_KEY_ED25519;
    memcpy(k->pub, kp->pk, 32);
    memcpy(k->id, kp->id, 8);
}

/* decide() with the device's trust and floors. */
static const char *host_reason(const device *d, const uint8_t *b, size_t len)
{
    test_policy tp;
    const char *why;
    memset(&tp, 0, sizeof tp);
    tp.p.trusted = d->htrusted;
    tp.p.n_trusted = d->p.n_trusted;
    tp.p.threshold = d->p.threshold;
    tp.p.roots = d->hroots;
    tp.p.n_roots = d->p.n_roots;
    tp.p.root_threshold = d->p.root_threshold;
    tp.p.key_generation_floor = d->p.key_generation_floor;
    tp.p.check_class = 1;
    memcpy(tp.p.class_id, d->class_id, 16);
    return tp_decide(&tp, b, len, &why) ? "ok" : why;
}

static void device_init(device *d, const keypair *const *roots, int n_roots,
                        const keypair *const *trusted, int n_trusted)
{
    memset(d, 0, sizeof *d);
    for (int i = 0; i < n_roots; i++) {
        memcpy(d->roots[i], roots[i]->pk, 32);
        host_key(&d->hroots[i], roots[i]);
    }
    for (int i = 0; i < n_trusted; i++) {
        memcpy(d->trusted[i], trusted[i]->pk, 32);
        host_key(&d->htrusted[i], trusted[i]);
    }
    host_class_id("test/class", d->class_id);
    d->p.roots = (const uint8_t(*)[32])d->roots;
    d->p.n_roots = (uint8_t)n_roots;
    d->p.root_threshold = n_roots ? 1 : 0;
    d->p.trusted = n_trusted ? (const uint8_t(*)[32])d->trusted : NULL;
    d->p.n_trusted = (uint8_t)n_trusted;
    d->p.threshold = 1;
    d->p.class_id = d->class_id;
    d->p.max_chunk = 65536;
    d->p.max_wbits = 15;
    d->p.max_size = UINT64_MAX;
}

/* The installed images, for the boot check. */
typedef struct {
    uint8_t *img[FWS_MAX_COMPONENTS];
} images;

static int sink_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                      const uint8_t *data, size_t len)
{
    images *im = user;
    if (!data) {
        free(im->img[index]);
        im->img[index] = malloc(c->size + 1);
        return 0;
    }
    memcpy(im->img[index] + offset, data, len);
    return 0;
}

static int image_read(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    images *im = user;
    memcpy(buf, im->img[index] + offset, len);
    return 0;
}

/* Install, one byte at a time and at once (same answer), then, when
 * accepted, the boot check of the record it kept, on the same policy; and
 * the host's decide() must agree. */
static int judge(const device *d, const spliced *c, fws_measurements *m)
{
    size_t len, work_len = FWS_WORK_SIZE(d->p.max_chunk, d->p.max_wbits), rec_len = 0;
    uint8_t *b = bytes(c, &len), *work = malloc(work_len), scratch[256];
    fws_install_ctx *ctx = malloc(sizeof *ctx);
    images im = {{0}};
    fws_sink sink = {sink_write, &im};
    int rc[2];
    for (int pass = 0; pass < 2; pass++) {
        cr_assert_eq(fws_install_init(ctx, &d->p, &sink, work, work_len), FWS_OK);
        int r = FWS_OK;
        for (size_t pos = 0; r == FWS_OK && pos < len; pos += pass ? len : 1)
            r = fws_install_push(ctx, b + pos, pass ? len : 1);
        int fin = fws_install_finish(ctx, m);
        rc[pass] = r ? r : fin;
    }
    cr_assert_eq(rc[0], rc[1], "byte by byte %s, at once %s", fws_status_name(rc[0]),
                 fws_status_name(rc[1]));
    /* The host's independent decision: the same verdict, the same reason. */
    cr_assert_str_eq(host_reason(d, b, len), fws_status_name(rc[0]));
    if (rc[1] == FWS_OK) {
        const uint8_t *rec;
        fws_measurements bm;
        cr_assert_eq(fws_install_boot_record(ctx, &rec, &rec_len), FWS_OK);
        int brc = fws_boot_check(&d->p, rec, rec_len, image_read, &im, scratch, sizeof scratch,
                                 &bm);
        cr_assert_eq(brc, FWS_OK, "boot: %s", fws_status_name(brc));
        if (m)
            cr_assert_eq(bm.n_signers, m->n_signers);
    }
    for (int i = 0; i < FWS_MAX_COMPONENTS; i++)
        free(im.img[i]);
    free(b);
    free(work);
    free(ctx);
    return rc[0];
}

static keypair root1, root2, root3, sk1, sk2, direct;
static void keys(void)
{
    keypair_from(&root1, 0x11);
    keypair_from(&root2, 0x22);
    keypair_from(&root3, 0x33);   /* not a root of the device */
    keypair_from(&sk1, 0x44);
    keypair_from(&sk2, 0x55);
    keypair_from(&direct, 0x66);
}

Test(delegation, a_certified_key_signs_for_the_device)
{
    const keypair *r1[] = {&root1};
    uint8_t rec[FWS_CERT_LEN(4)];
    spliced c;
    device d;
    fws_measurements m;
    keys();
    device_init(&d, r1, 1, NULL, 0);   /* only a root: no signing key built in */
    container_from_pack(&c, "", 0, 0);
    add_delegated(&c, rec, cert(rec, &sk1, 7, NULL, r1, 1), &sk1);
    cr_assert_eq(judge(&d, &c, &m), FWS_OK);
    cr_assert_eq(m.n_signers, 1);
    cr_assert(!memcmp(m.signer_id[0], sk1.id, 8));
    cr_assert_eq(m.signer_delegated, 1);
    cr_assert_eq(m.signer_generation[0], 7);
    cr_assert_eq(m.has_min_key_generation, 0);
    /* A device without roots skips the entry: nothing counts. */
    d.p.n_roots = 0;
    d.p.root_threshold = 0;
    const keypair *t[] = {&direct};
    device_init(&d, NULL, 0, t, 1);
    cr_assert_eq(judge(&d, &c, NULL), FWS_E_UNTRUSTED);
    container_free(&c);
}

Test(delegation, wrong_root_threshold_scope_subject)
{
    const keypair *r1[] = {&root1}, *r12[] = {&root1, &root2}, *r3[] = {&root3},
                  *r11[] = {&root1, &root1};
    uint8_t rec[FWS_CERT_LEN(4)], other[16], cls[16];
    spliced c;
    device d;
    keys();
    host_class_id("other/class", other);
    host_class_id("test/class", cls);
    device_init(&d, r12, 2, NULL, 0);

    struct {
        const char *what;
        const keypair *const *roots;
        int n_roots;
        const uint8_t *scope;
        const keypair *signer;
        int root_threshold;
        int want;
    } cases[] = {
        {"a root the device does not trust", r3, 1, NULL, &sk1, 1, FWS_E_UNTRUSTED},
        {"root1 of 1 required", r1, 1, NULL, &sk1, 1, FWS_OK},
        {"root1 of 2 required", r1, 1, NULL, &sk1, 2, FWS_E_UNTRUSTED},
        {"root1 twice, 2 required", r11, 2, NULL, &sk1, 2, FWS_E_UNTRUSTED},
        {"root1 and root2, 2 required", r12, 2, NULL, &sk1, 2, FWS_OK},
        {"scope: another class", r1, 1, other, &sk1, 1, FWS_E_UNTRUSTED},
        {"scope: this class", r1, 1, cls, &sk1, 1, FWS_OK},
        {"a delegation for another subject", r1, 1, NULL, &sk2, 1, FWS_E_UNTRUSTED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        container_from_pack(&c, "", 0, 0);
        size_t n = cert(rec, &sk1, 1, cases[i].scope, cases[i].roots, cases[i].n_roots);
        add_delegated(&c, rec, n, cases[i].signer);
        d.p.root_threshold = (uint8_t)cases[i].root_threshold;
        int rc = judge(&d, &c, NULL);
        cr_assert_eq(rc, cases[i].want, "%s: %s", cases[i].what, fws_status_name(rc));
        container_free(&c);
    }
}

Test(delegation, generations_floor_and_revocation)
{
    const keypair *r1[] = {&root1};
    uint8_t rec[FWS_CERT_LEN(4)];
    spliced c;
    device d;
    fws_measurements m;
    keys();
    device_init(&d, r1, 1, NULL, 0);
    container_from_pack(&c, "", 0, 0);
    add_delegated(&c, rec, cert(rec, &sk1, 1, NULL, r1, 1), &sk1);
    d.p.key_generation_floor = 1;
    cr_assert_eq(judge(&d, &c, NULL), FWS_OK);
    d.p.key_generation_floor = 2;   /* generation 1 revoked */
    cr_assert_eq(judge(&d, &c, NULL), FWS_E_KEY_REVOKED);
    container_free(&c);
    /* A forged delegation below the floor is not "revoked": it never was
     * a key. */
    container_from_pack(&c, "", 0, 0);
    size_t n = cert(rec, &sk1, 1, NULL, r1, 1);
    rec[60] ^= 1;   /* the root signature */
    add_delegated(&c, rec, n, &sk1);
    cr_assert_eq(judge(&d, &c, NULL), FWS_E_UNTRUSTED);
    container_free(&c);

    /* MIN_KEY_GENERATION 2, signed by a generation-2 key: accepted, and
     * the measurements say what the floor becomes after a confirmed boot. */
    d.p.key_generation_floor = 1;
    container_from_pack(&c, "", 1, 2);
    add_delegated(&c, rec, cert(rec, &sk2, 2, NULL, r1, 1), &sk2);
    cr_assert_eq(judge(&d, &c, &m), FWS_OK);
    cr_assert(m.has_min_key_generation && m.min_key_generation == 2);
    cr_assert_eq(m.signer_generation[0], 2);
    container_free(&c);
    /* ...and by a generation-1 key: self-revocation, refused. */
    container_from_pack(&c, "", 1, 2);
    add_delegated(&c, rec, cert(rec, &sk1, 1, NULL, r1, 1), &sk1);
    cr_assert_eq(judge(&d, &c, NULL), FWS_E_KEYGEN_ABOVE_SIGNER);
    container_free(&c);
    /* A direct signer has no generation: MIN_KEY_GENERATION is no reason
     * to refuse its release. */
    const keypair *t[] = {&direct};
    device_init(&d, r1, 1, t, 1);
    container_from_pack(&c, "", 1, 9);
    add_direct(&c, &direct);
    cr_assert_eq(judge(&d, &c, &m), FWS_OK);
    cr_assert_eq(m.signer_delegated, 0);
    container_free(&c);
}

Test(delegation, direct_and_delegated_signers_in_k_of_n)
{
    const keypair *r1[] = {&root1}, *t[] = {&direct};
    uint8_t rec[FWS_CERT_LEN(4)];
    spliced c;
    device d;
    fws_measurements m;
    keys();
    device_init(&d, r1, 1, t, 1);
    d.p.threshold = 2;
    /* A direct key and a certified key: two signers. */
    container_from_pack(&c, "", 0, 0);
    add_direct(&c, &direct);
    add_delegated(&c, rec, cert(rec, &sk1, 1, NULL, r1, 1), &sk1);
    cr_assert_eq(judge(&d, &c, &m), FWS_OK);
    cr_assert_eq(m.n_signers, 2);
    cr_assert_eq(m.signer_delegated, 2);   /* the second */
    container_free(&c);
    /* The direct key certified too: still one key, one signer. */
    container_from_pack(&c, "", 0, 0);
    add_direct(&c, &direct);
    add_delegated(&c, rec, cert(rec, &direct, 1, NULL, r1, 1), &direct);
    cr_assert_eq(judge(&d, &c, NULL), FWS_E_THRESHOLD);
    container_free(&c);
    /* Two delegations of one key: one signer. */
    container_from_pack(&c, "", 0, 0);
    add_delegated(&c, rec, cert(rec, &sk1, 1, NULL, r1, 1), &sk1);
    add_delegated(&c, rec, cert(rec, &sk1, 3, NULL, r1, 1), &sk1);
    cr_assert_eq(judge(&d, &c, NULL), FWS_E_THRESHOLD);
    container_free(&c);
    /* The first k that count are kept; a later, broken entry is not even
     * verified. */
    d.p.threshold = 1;
    container_from_pack(&c, "", 0, 0);
    add_delegated(&c, rec, cert(rec, &sk1, 1, NULL, r1, 1), &sk1);
    add_direct(&c, &direct);
    cr_assert_eq(judge(&d, &c, &m), FWS_OK);
    cr_assert_eq(m.n_signers, 1);
    cr_assert(!memcmp(m.signer_id[0], sk1.id, 8));
    container_free(&c);
}

/* The same record spliced into another container: it counts exactly when
 * its subject genuinely signed that container (the record is the key's
 * certificate, reused by every release); an entry copied whole, with the
 * release signature over the other container, does not. */
Test(delegation, spliced_records)
{
    const keypair *r1[] = {&root1};
    uint8_t rec[FWS_CERT_LEN(4)];
    spliced a, b;
    device d;
    keys();
    device_init(&d, r1, 1, NULL, 0);
    size_t n = cert(rec, &sk1, 1, NULL, r1, 1);
    container_from_pack(&a, "--counter 3", 0, 0);
    container_from_pack(&b, "--counter 4", 0, 0);
    add_delegated(&a, rec, n, &sk1);
    add_delegated(&b, rec, n, &sk1);   /* the record reused: genuinely valid */
    cr_assert_eq(judge(&d, &a, NULL), FWS_OK);
    cr_assert_eq(judge(&d, &b, NULL), FWS_OK);
    memcpy(b.block, a.block, a.block_len);   /* a's whole entry into b */
    cr_assert_eq(judge(&d, &b, NULL), FWS_E_UNTRUSTED);
    container_free(&a);
    container_free(&b);
}

Test(delegation, every_bit_of_a_delegated_entry)
{
    const keypair *r1[] = {&root1};
    uint8_t rec[FWS_CERT_LEN(4)];
    spliced c;
    device d;
    keys();
    device_init(&d, r1, 1, NULL, 0);
    container_from_pack(&c, "--level 0", 0, 0);
    add_delegated(&c, rec, cert(rec, &sk1, 1, NULL, r1, 1), &sk1);
    cr_assert_eq(judge(&d, &c, NULL), FWS_OK);
    size_t flips = 0;
    for (size_t i = 1; i < c.block_len; i++)
        for (int bit = 0; bit < 8; bit++, flips++) {
            c.block[i] ^= (uint8_t)(1u << bit);
            int rc = judge(&d, &c, NULL);
            c.block[i] ^= (uint8_t)(1u << bit);
            cr_assert(rc == FWS_E_UNTRUSTED || rc == FWS_E_SIG_BLOCK || rc == FWS_E_TRUNCATED ||
                          rc == FWS_E_CAPSULE_BLOCK || rc == FWS_E_TRAILING,
                      "byte %zu bit %d: %s", i, bit, fws_status_name(rc));
        }
    fprintf(stderr, "delegation: %zu bit flips of a %zu-byte delegated entry, all refused\n",
            flips, c.block_len - 1);
    container_free(&c);
}

Test(delegation, policy_rules)
{
    const keypair *r12[] = {&root1, &root2};
    device d;
    fws_install_ctx ctx;
    uint8_t *work = malloc(FWS_WORK_SIZE(65536, 15));
    keys();
    struct {
        const char *what;
        int n_roots, root_threshold, threshold, want;
    } cases[] = {
        {"roots only, threshold 1", 2, 1, 1, FWS_OK},
        {"roots only, threshold 4", 2, 2, FWS_CFG_MAX_THRESHOLD, FWS_OK},
        {"threshold above FWS_CFG_MAX_THRESHOLD", 2, 1, FWS_CFG_MAX_THRESHOLD + 1, FWS_E_POLICY},
        {"root threshold 0", 2, 0, 1, FWS_E_POLICY},
        {"root threshold above n_roots", 2, 3, 1, FWS_E_POLICY},
        {"no keys at all", 0, 0, 1, FWS_E_POLICY},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        device_init(&d, r12, cases[i].n_roots, NULL, 0);
        d.p.root_threshold = (uint8_t)cases[i].root_threshold;
        d.p.threshold = (uint8_t)cases[i].threshold;
        cr_assert_eq(fws_install_init(&ctx, &d.p, NULL, work, FWS_WORK_SIZE(65536, 15)),
                     cases[i].want, "%s", cases[i].what);
    }
    device_init(&d, r12, 2, NULL, 0);
    d.p.roots = NULL;
    cr_assert_eq(fws_install_init(&ctx, &d.p, NULL, work, FWS_WORK_SIZE(65536, 15)),
                 FWS_E_POLICY);
    cr_assert_str_eq(fws_status_name(FWS_E_KEY_REVOKED), "revoked_key");
    cr_assert_str_eq(fws_status_name(FWS_E_KEYGEN_ABOVE_SIGNER), "min_key_generation_above_signer");
    free(work);
}

/* The same from the command line: roots in a file and in a token certify a
 * signing key; pack --cert; every reader with --trust-root; the C header
 * of the root set compiles; the mistakes a release engineer can make. */
Test(delegation, command_line)
{
    run_result r;
    int token = hsm_init(&fx);
    char *root2_spec = token ? hsm_uri(&fx, "root-2") : xstrdup("root2.key");
    uint8_t a[3000];
    fill_text(a, sizeof a, 12);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    r = run("cd '%s' && for k in root1 sk1 sk2; do %s keygen --type ed25519 -o $k "
            "--no-passphrase > /dev/null || exit 1; done && %s",
            fx.dir, FWSEAL_BIN,
            token ? "true" : FWSEAL_BIN " keygen --type ed25519 -o root2 --no-passphrase");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    if (token) {
        r = run("cd '%s' && %s keygen --type ed25519 --pkcs11 '%s' -o root2", fx.dir, FWSEAL_BIN,
                root2_spec);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
    }
    r = run("cd '%s' && "
            "%s cert issue --root root1.key --root '%s' --subject sk1.pub --generation 3 "
            "--class test/class -o sk1.cert && %s cert show sk1.cert --trust-root root1.pub "
            "--trust-root root2.pub",
            fx.dir, FWSEAL_BIN, root2_spec, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "generation 3 scope "), "%s", r.out);
    cr_assert(!strstr(r.out, "BAD") && strstr(r.out, "verified"), "%s", r.out);
    run_free(&r);
    const char *pol = "--trust-root root1.pub --trust-root root2.pub --root-threshold 2 "
                         "--class test/class";
    r = run("cd '%s' && %s pack -o d.fws --key sk1.key --cert sk1.cert --version 1.0.0 "
            "--counter 1 --class test/class --min-key-generation 3 app=a.bin && "
            "%s verify d.fws %s && %s check d.fws %s && %s unpack d.fws %s -o out && "
            "cmp out/app a.bin && %s inspect d.fws",
            fx.dir, FWSEAL_BIN, FWSEAL_BIN, pol, FWSV_BIN, pol, FWSEAL_BIN, pol,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "revocation:  min key generation 3"), "%s", r.out);
    cr_assert(strstr(r.out, "delegated key") && strstr(r.out, "generation 3"), "%s", r.out);
    run_free(&r);
    /* Floors: the device's key-generation floor above 3 revokes sk1. */
    r = run("cd '%s' && %s verify d.fws %s --min-key-generation 4", fx.dir, FWSEAL_BIN, pol);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "revoked"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s check d.fws %s --min-key-generation 4", fx.dir, FWSV_BIN, pol);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "revoked_key"), "%s", r.err);
    run_free(&r);
    /* The root set for a bootloader: a header that compiles and holds both. */
    r = run("cd '%s' && %s pubkey root1.pub root2.pub --format c --root-threshold 2 -o roots.h && "
            "printf '#include \"roots.h\"\\nint main(void) { return fwseal_roots_COUNT == 2 && "
            "FWSEAL_ROOTS_THRESHOLD == 2 ? 0 : 1; }\\n' | sed 's/fwseal_roots_COUNT/FWSEAL_ROOTS_COUNT/' > r.c && "
            "cc -Wall -Werror -Wno-unused-variable -o r r.c && ./r && "
            "grep -c 'key id' roots.h",
            fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert_eq(atoi(r.out), 2, "%s", r.out);
    run_free(&r);
    /* Mistakes. */
    struct {
        const char *cmd;
        int status;
        const char *msg;
    } bad[] = {
        {"pack -o x.fws --key sk2.key --cert sk1.cert --version 1.0.0 --counter 1 --class c "
         "app=a.bin", 2, "certifies a key that is not one of the signing keys"},
        {"pack -o x.fws --key sk1.key --cert sk1.cert --version 1.0.0 --counter 1 --class c "
         "--min-key-generation 4 app=a.bin", 2, "(self-revocation)"},
        {"cert issue --root sk1.key --subject sk1.pub --generation 1 -o x.cert", 2,
         "a root cannot certify itself"},
        {"cert issue --root root1.key --root sk1.key --root sk2.key --root a1.key --root a2.key "
         "--subject dev.pub --generation 1 -o x.cert", 2, "at most 4 roots"},
        {"cert issue --root root1.key --subject dev.pub --generation 1 -o x.cert", 2,
         "needs an Ed25519 key"},
        {"cert issue --root root1.key --subject sk2.pub -o x.cert", 2, "missing --generation"},
        {"cert show a.bin", 3, "not a fwseal delegation certificate"},
        {"cert show sk1.cert --trust-root sk2.pub", 1, ""},
        {"verify d.fws --trust-root root1.pub --root-threshold 2 --class test/class", 2,
         "--root-threshold 2 is more than the 1 --trust-root keys"},
        {"verify d.fws --min-key-generation 1 --trust sk1.pub --class test/class", 2,
         "--min-key-generation without --trust-root"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r = run("cd '%s' && %s %s", fx.dir, FWSEAL_BIN, bad[i].cmd);
        cr_assert_eq(r.status, bad[i].status, "%s: %d %s", bad[i].cmd, r.status, r.err);
        cr_assert(strstr(r.err, bad[i].msg), "%s: %s", bad[i].cmd, r.err);
        run_free(&r);
    }
    r = run("cd '%s' && sed -i '1s/generation 3/generation 9/' sk1.cert && %s cert show sk1.cert",
            fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "does not describe the record"), "%s", r.err);
    run_free(&r);
    free(root2_spec);
}
