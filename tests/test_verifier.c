/* SPDX-License-Identifier: MIT */
/* The device verifier (verifier/fws_verify.h) in process, on containers
 * made by the CLI and on containers this file builds itself with libsodium
 * and zlib.  The oracles are independent of the verifier: the input files,
 * libsodium's SHA-256 and key ids, zlib's inflate, and the host's own
 * decision (decide() on libsodium + zlib, via tests/tamper.h). */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "host_capsule.h"
#include "host_class_id.h"
#include "fws_bytes.h"
#include "spec_digest.h"
#include "fws_verify.h"
#include "tamper.h"

static fixture fx;
static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    fx_init(&fx);
}
static void teardown(void) { fx_free(&fx); }
TestSuite(verifier, .init = setup, .fini = teardown, .timeout = 240);

static void load(const char *name, fws_key *k) { tp_load_key(&fx, name, k); }

/* ---- a sink that records everything ---- */

typedef struct {
    uint8_t *buf[FWS_MAX_COMPONENTS];
    size_t len[FWS_MAX_COMPONENTS], cap[FWS_MAX_COMPONENTS];
    int begun[FWS_MAX_COMPONENTS];
    int last_index;
    size_t total;
    int order_bad;        /* offsets not contiguous or components out of order */
    long refuse_at;       /* refuse once total would pass this (-1: never) */
} rec_sink;

static int rec_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                     const uint8_t *data, size_t len)
{
    rec_sink *s = user;
    (void)c;
    if (index >= FWS_MAX_COMPONENTS || index < s->last_index)
        s->order_bad = 1;
    if (index >= FWS_MAX_COMPONENTS)
        return -1;
    if (len == 0) {
        if (data != NULL || s->begun[index] || offset != 0)
            s->order_bad = 1;
        s->begun[index] = 1;
        s->last_index = index;
        return 0;
    }
    if (!s->begun[index] || offset != s->len[index])
        s->order_bad = 1;
    if (s->refuse_at >= 0 && s->total + len > (size_t)s->refuse_at)
        return -1;
    if (s->len[index] + len > s->cap[index]) {
        s->cap[index] = (s->len[index] + len) * 2;
        s->buf[index] = realloc(s->buf[index], s->cap[index]);
    }
    memcpy(s->buf[index] + s->len[index], data, len);
    s->len[index] += len;
    s->total += len;
    s->last_index = index;
    return 0;
}

static void rec_free(rec_sink *s)
{
    for (int i = 0; i < FWS_MAX_COMPONENTS; i++)
        free(s->buf[i]);
}

/* ---- running an install ---- */

enum { FEED_WHOLE, FEED_BYTES, FEED_RANDOM };

typedef struct {
    int status;
    size_t err_at;         /* bytes pushed when a push failed (0: none failed) */
    int sticky_ok;         /* a push after the error returned the same error */
    rec_sink sink;
    int inflate_err;
    fws_measurements m;    /* pointers cleared: copies below */
    uint8_t digest[FWS_MAX_COMPONENTS][32];
    uint8_t class_id[16];
    uint8_t record[FWS_HEADER_LEN + FWS_MAX_MANIFEST + FWS_BOOT_TAIL_MAX];
    size_t record_len;
} run_out;

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static void run_install(const fws_policy *p, const uint8_t *c, size_t len, int feed, uint64_t seed,
                        run_out *o)
{
    size_t work_len = FWS_WORK_SIZE(p->max_chunk, p->max_wbits), pos = 0;
    uint8_t *work = malloc(work_len);
    fws_install_ctx *ctx = malloc(sizeof *ctx);
    fws_sink sink = {rec_write, &o->sink};
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    int rc;
    memset(o, 0, sizeof *o);
    o->sink.refuse_at = -1;
    rc = fws_install_init(ctx, p, &sink, work, work_len);
    cr_assert_eq(rc, FWS_OK, "init: %s", fws_status_name(rc));
    while (rc == FWS_OK && pos < len) {
        size_t n = feed == FEED_WHOLE ? len
                   : feed == FEED_BYTES ? 1
                                        : (size_t)(rng_next(&x) % (rng_next(&x) % 2 ? 8 : 700)) + 1;
        if (n > len - pos)
            n = len - pos;
        rc = fws_install_push(ctx, c + pos, n);
        pos += n;
        if (rc != FWS_OK)
            o->err_at = pos;
    }
    if (rc != FWS_OK) {
        o->sticky_ok = fws_install_push(ctx, c, len ? 1 : 0) == rc;
        cr_assert_eq(fws_install_finish(ctx, NULL), rc);
        o->status = rc;
    } else {
        o->sticky_ok = 1;
        o->status = fws_install_finish(ctx, &o->m);
        cr_assert_eq(fws_install_push(ctx, c, 1), o->status ? o->status : FWS_E_STATE);
    }
    o->inflate_err = fws_install_inflate_error(ctx);
    if (o->status == FWS_OK) {
        const uint8_t *rec;
        cr_assert_eq(fws_install_boot_record(ctx, &rec, &o->record_len), FWS_OK);
        cr_assert(o->record_len <= sizeof o->record);
        memcpy(o->record, rec, o->record_len);
        for (int i = 0; i < o->m.n_components; i++) {
            memcpy(o->digest[i], o->m.digest[i], 32);
            o->m.digest[i] = NULL;
        }
        memcpy(o->class_id, o->m.class_id, 16);
        o->m.class_id = NULL;
    } else {
        cr_assert_neq(fws_install_boot_record(ctx, NULL, NULL), FWS_OK);
    }
    free(ctx);
    free(work);
}

static void expect_same_runs(const run_out *a, const run_out *b, const char *what)
{
    cr_assert_eq(a->status, b->status, "%s: %s vs %s", what, fws_status_name(a->status),
                 fws_status_name(b->status));
    cr_assert_eq(a->sink.total, b->sink.total, "%s: sink got %zu vs %zu bytes", what, a->sink.total,
                 b->sink.total);
    for (int i = 0; i < FWS_MAX_COMPONENTS; i++) {
        cr_assert_eq(a->sink.len[i], b->sink.len[i], "%s", what);
        cr_assert(a->sink.len[i] == 0 || !memcmp(a->sink.buf[i], b->sink.buf[i], a->sink.len[i]),
                  "%s: component %d bytes differ", what, i);
        cr_assert_eq(a->sink.begun[i], b->sink.begun[i], "%s", what);
    }
    cr_assert(!memcmp(&a->m, &b->m, sizeof a->m), "%s: measurements differ", what);
    cr_assert(!memcmp(a->digest, b->digest, sizeof a->digest), "%s", what);
    cr_assert_eq(a->record_len, b->record_len, "%s", what);
    cr_assert(!memcmp(a->record, b->record, a->record_len), "%s", what);
    cr_assert_eq(a->inflate_err, b->inflate_err, "%s", what);
    cr_assert(a->sticky_ok && b->sticky_ok, "%s: error not sticky", what);
    cr_assert(!a->sink.order_bad && !b->sink.order_bad, "%s: sink calls out of order", what);
}

static void run_free_out(run_out *o) { rec_free(&o->sink); }

/* Whole buffer, one byte at a time, and three random splits: all equal.
 * Returns the whole-buffer run in *o (caller frees). */
static void run_all_splits(const fws_policy *p, const uint8_t *c, size_t len, run_out *o)
{
    run_out *t = malloc(sizeof *t);
    run_install(p, c, len, FEED_WHOLE, 0, o);
    run_install(p, c, len, FEED_BYTES, 0, t);
    expect_same_runs(o, t, "one byte at a time");
    run_free_out(t);
    for (uint64_t s = 1; s <= 3; s++) {
        run_install(p, c, len, FEED_RANDOM, s, t);
        expect_same_runs(o, t, "random split");
        run_free_out(t);
    }
    free(t);
}

/* ---- containers from the CLI ---- */

static uint8_t *pack(const char *out, const char *args, size_t *len)
{
    return fx_pack_bytes(&fx, out, args, len);
}

typedef struct {
    const char *name;
    uint8_t *data;
    size_t len;
} input;

/* Boot reader over in-memory images. */
typedef struct {
    const input *img;
    int n;
    int calls;
} mem_images;

static int mem_read(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    mem_images *m = user;
    m->calls++;
    if (index >= m->n || offset > m->img[index].len || len > m->img[index].len - offset)
        return -1;
    memcpy(buf, m->img[index].data + offset, len);
    return 0;
}

static int boot(const fws_policy *p, const uint8_t *rec, size_t rec_len, const input *img, int n,
                size_t scratch_len, fws_measurements *m)
{
    uint8_t *scratch = malloc(scratch_len);
    mem_images mi = {img, n, 0};
    int rc = fws_boot_check(p, rec, rec_len, mem_read, &mi, scratch, scratch_len, m);
    free(scratch);
    return rc;
}

/* Packs the inputs with args, installs in every split, compares with the
 * inputs and with libsodium's digests and key ids, and boots the record. */
static void roundtrip(const char *args, const input *in, int n, const vpol *v, const char *signers)
{
    char argv[1024];
    size_t len, off;
    off = (size_t)snprintf(argv, sizeof argv, "--allow-empty %s", args);
    for (int i = 0; i < n; i++) {
        char file[32];
        snprintf(file, sizeof file, "in%d.bin", i);
        free(fx_write(&fx, file, in[i].data, in[i].len));
        off += (size_t)snprintf(argv + off, sizeof argv - off, " %s=%s", in[i].name, file);
    }
    uint8_t *c = pack("rt.fws", argv, &len);
    run_out o;
    run_all_splits(&v->p, c, len, &o);
    cr_assert_eq(o.status, FWS_OK, "%s: %s", args, fws_status_name(o.status));
    cr_assert_eq(o.m.n_components, n);
    cr_assert_eq(o.m.counter, 1);
    cr_assert_eq(o.m.major, 1);
    cr_assert(!memcmp(o.class_id, v->class_id, 16));
    for (int i = 0; i < n; i++) {
        uint8_t d[32];
        cr_assert(o.sink.begun[i], "%s: component %d never announced", args, i);
        cr_assert_eq(o.sink.len[i], in[i].len, "%s: component %d: %zu bytes, expected %zu", args,
                     i, o.sink.len[i], in[i].len);
        cr_assert(in[i].len == 0 || !memcmp(o.sink.buf[i], in[i].data, in[i].len), "%s: %d", args, i);
        /* libsodium's digest: keyed under the record's digest key when
         * the container is encrypted. */
        spec_component_digest(d, o.m.keyed_digests ? o.record + o.record_len - 32 : NULL,
                              (uint8_t)i, in[i].data, in[i].len);
        cr_assert(!memcmp(o.digest[i], d, 32), "%s: measured digest %d", args, i);
        cr_assert_eq(o.m.size[i], in[i].len);
    }
    /* Signer ids: SHA-512(pub)[0..8] by libsodium, in signing order. */
    {
        char names[64], *tok, *save;
        int k = 0;
        snprintf(names, sizeof names, "%s", signers);
        for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save), k++) {
            char file[32];
            uint8_t h[64];
            fws_key key;
            snprintf(file, sizeof file, "%s.pub", tok);
            load(file, &key);
            crypto_hash_sha512(h, key.pub, 32);
            cr_assert(k < o.m.n_signers && !memcmp(o.m.signer_id[k], h, 8), "%s: signer %d", args, k);
        }
        cr_assert_eq(o.m.n_signers, k);
    }
    /* The boot record boots the original files, and so does the container. */
    fws_measurements bm;
    cr_assert_eq(boot(&v->p, o.record, o.record_len, in, n, FWS_BOOT_SCRATCH, &bm), FWS_OK);
    cr_assert_eq(bm.n_components, n);
    /* A whole container serves as the record only when unencrypted (no
     * digest key after its signature block). */
    cr_assert_eq(boot(&v->p, c, len, in, n, 1000, NULL), o.m.keyed_digests ? FWS_E_DIGEST : FWS_OK);
    run_free_out(&o);
    free(c);
}

Test(verifier, roundtrip_levels_windows_chunks)
{
    input in[3];
    uint8_t a[30000], b[4100];
    vpol v;
    char args[256];
    fill_text(a, sizeof a, 1);
    fill_random(b, sizeof b, 2);
    in[0] = (input){"app", a, sizeof a};
    in[1] = (input){"cfg/radio.bin", b, sizeof b};
    in[2] = (input){"empty", b, 0};
    vp_init(&v, &fx, "sign1", NULL);
    static const struct { int level, wbits; unsigned chunk; } cases[] = {
        {0, 15, 256},  {0, 15, 4096}, {1, 9, 256},  {6, 12, 512},
        {9, 15, 4096}, {9, 10, 65536}, {6, 15, 320}, {9, 9, 1024},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(args, sizeof args, "--level %d --window-bits %d --chunk-size %u", cases[i].level,
                 cases[i].wbits, cases[i].chunk);
        roundtrip(args, in, 3, &v, "sign1");
    }
    fprintf(stderr, "verifier: %zu level/window/chunk combinations, 5 feeds each\n",
            sizeof cases / sizeof cases[0]);
}

Test(verifier, roundtrip_sizes_around_the_chunk)
{
    static const size_t sizes[] = {0, 1, 63, 64, 255, 256, 257, 511, 512, 513, 2048};
    uint8_t buf[2048];
    vpol v;
    fill_random(buf, sizeof buf, 3);
    vp_init(&v, &fx, "sign1", NULL);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        input in[2] = {{"a", buf, sizes[i]}, {"b", buf, sizes[i] / 2}};
        roundtrip("--level 0 --chunk-size 256", in, 2, &v, "sign1");
        roundtrip("--level 6 --chunk-size 256", in, 1, &v, "sign1");
    }
}

Test(verifier, roundtrip_zero_length_components)
{
    uint8_t buf[600];
    vpol v;
    fill_text(buf, sizeof buf, 4);
    vp_init(&v, &fx, "sign1", NULL);
    /* Every component empty: P = 0, no chunks at all. */
    input none[3] = {{"x", buf, 0}, {"y", buf, 0}, {"z", buf, 0}};
    roundtrip("--level 0", none, 3, &v, "sign1");
    /* Empty ones first, between and last. */
    input mix[5] = {{"e0", buf, 0}, {"a", buf, 300}, {"e1", buf, 0}, {"b", buf, 600}, {"e2", buf, 0}};
    roundtrip("--level 0 --chunk-size 256", mix, 5, &v, "sign1");
    roundtrip("--level 9 --chunk-size 256", mix, 5, &v, "sign1");
}

Test(verifier, roundtrip_encrypted_and_several_signers)
{
    uint8_t a[9000], b[700];
    vpol v;
    fill_text(a, sizeof a, 5);
    fill_random(b, sizeof b, 6);
    input in[2] = {{"app", a, sizeof a}, {"cfg", b, sizeof b}};
    vp_init(&v, &fx, "sign1", "dev.key");
    roundtrip("--encrypt-to dev.pub --chunk-size 512", in, 2, &v, "sign1");
    roundtrip("--encrypt-to psk.key --encrypt-to dev.pub --level 0 --chunk-size 256", in, 2, &v,
              "sign1");
    vp_init(&v, &fx, "sign1", "psk.key");
    roundtrip("--encrypt-to dev2.pub --encrypt-to psk.key --chunk-size 1024", in, 2, &v, "sign1");
    vp_init(&v, &fx, "sign3 sign1 sign2", NULL);
    v.p.threshold = 3;
    roundtrip("--key sign2.key --key sign3.key", in, 2, &v, "sign1 sign2 sign3");
}

/* ---- nothing unauthenticated reaches the sink ---- */

/* zlib's output for the first k bytes of a stream (an independent count of
 * the plaintext those bytes carry). */
static size_t zlib_out_for_prefix(const uint8_t *s, size_t k, int wbits)
{
    z_stream z;
    uint8_t out[65536];
    size_t total = 0;
    memset(&z, 0, sizeof z);
    cr_assert_eq(inflateInit2(&z, wbits), Z_OK);
    z.next_in = (uint8_t *)s;
    z.avail_in = (uInt)k;
    for (;;) {
        z.next_out = out;
        z.avail_out = sizeof out;
        int rc = inflate(&z, Z_SYNC_FLUSH);
        total += sizeof out - z.avail_out;
        if (rc != Z_OK || z.avail_out)
            break;
    }
    inflateEnd(&z);
    return total;
}

static void corrupt_each_chunk(const char *args, const char *device, int compressed)
{
    uint8_t data[6000];
    size_t len;
    layout l;
    vpol v;
    char argv[256];
    fill_text(data, sizeof data, 7);
    free(fx_write(&fx, "one.bin", data, sizeof data));
    snprintf(argv, sizeof argv, "%s one=one.bin", args);
    uint8_t *c = pack("ch.fws", argv, &len);
    layout_of(c, len, &l);
    vp_init(&v, &fx, "sign1", device);
    size_t n = (size_t)((l.payload_len + l.chunk_size - 1) / l.chunk_size), stride = l.chunk_size + 32;
    cr_assert(n >= 3, "%zu chunks", n);
    for (size_t i = 0; i < n; i++) {
        size_t stored = i + 1 < n ? stride : (size_t)(l.payload_len - i * l.chunk_size);
        size_t where[3] = {0, stored / 2, stored - 1};   /* first, middle, last byte (hash) */
        for (int w = 0; w < 3; w++) {
            run_out o;
            size_t at = l.payload + i * stride + where[w];
            c[at] ^= 0x40;
            run_install(&v.p, c, len, w == 1 ? FEED_BYTES : FEED_WHOLE, 0, &o);
            c[at] ^= 0x40;
            cr_assert_eq(o.status, FWS_E_CHUNK_HASH, "chunk %zu: %s", i, fws_status_name(o.status));
            if (w == 1)   /* the error comes with the chunk's last byte */
                cr_assert_eq(o.err_at, l.payload + i * stride + stored, "chunk %zu", i);
            size_t want = i * l.chunk_size;
            if (compressed) {
                /* The stored stream of chunks < i, without their chain hashes. */
                uint8_t *stream = malloc(i * l.chunk_size + 1);
                for (size_t k = 0; k < i; k++)
                    memcpy(stream + k * l.chunk_size, c + l.payload + k * stride, l.chunk_size);
                want = zlib_out_for_prefix(stream, i * l.chunk_size, 15);
                free(stream);
            }
            cr_assert_eq(o.sink.total, want, "chunk %zu corrupted: the sink got %zu bytes, the "
                         "chunks before it carry %zu", i, o.sink.total, want);
            cr_assert(o.sink.total == 0 || !memcmp(o.sink.buf[0], data, o.sink.total));
            run_free_out(&o);
        }
    }
    fprintf(stderr, "verifier: %s: %zu chunks, each corrupted 3 ways: the sink got exactly the "
                    "earlier chunks' plaintext\n", args, n);
    free(c);
}

Test(verifier, corrupted_chunk_stops_the_sink_stored) { corrupt_each_chunk("--level 0 --chunk-size 256", NULL, 0); }
Test(verifier, corrupted_chunk_stops_the_sink_encrypted)
{
    corrupt_each_chunk("--level 0 --chunk-size 512 --encrypt-to dev.pub", "dev.key", 0);
}
Test(verifier, corrupted_chunk_stops_the_sink_zlib) { corrupt_each_chunk("--level 1 --chunk-size 256", NULL, 1); }

/* ---- policy ---- */

static int install_status(const fws_policy *p, const uint8_t *c, size_t len)
{
    run_out o;
    run_install(p, c, len, FEED_WHOLE, 0, &o);
    run_free_out(&o);
    return o.status;
}

Test(verifier, policy_counter_class_threshold_trust)
{
    uint8_t a[3000];
    size_t len;
    vpol v;
    fill_text(a, sizeof a, 8);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    uint8_t *c = pack("p.fws", "--counter 9 --key sign2.key a=a.bin", &len);

    vp_init(&v, &fx, "sign1", NULL);
    v.p.counter_floor = 9;
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    v.p.counter_floor = 10;
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_ROLLBACK);
    v.p.counter_floor = 0xFFFFFFFFu;
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_ROLLBACK);
    v.p.counter_floor = 0;

    uint8_t other[16];
    host_class_id("other/class", other);
    v.p.class_id = other;
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_WRONG_CLASS);
    v.p.class_id = FWS_CLASS_ANY;   /* explicitly not checked */
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    /* A forgotten class is not "any class": the policy is refused. */
    {
        fws_install_ctx ctx;
        uint8_t *work = malloc(FWS_WORK_SIZE(v.p.max_chunk, v.p.max_wbits));
        uint8_t rec[16] = {0};
        v.p.class_id = NULL;
        cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work,
                                      FWS_WORK_SIZE(v.p.max_chunk, v.p.max_wbits)),
                     FWS_E_POLICY_CLASS);
        cr_assert_eq(fws_install_push(&ctx, c, len), FWS_E_POLICY_CLASS);
        cr_assert_eq(fws_boot_check(&v.p, rec, sizeof rec, NULL, NULL, work, 256, NULL),
                     FWS_E_POLICY_CLASS);
        cr_assert_str_eq(fws_status_name(FWS_E_POLICY_CLASS), "policy_without_class");
        free(work);
    }

    /* Signed by sign1 and sign2. */
    vp_init(&v, &fx, "sign1 sign2 sign3", NULL);
    for (int k = 1; k <= 3; k++) {
        v.p.threshold = (uint8_t)k;
        cr_assert_eq(install_status(&v.p, c, len), k <= 2 ? FWS_OK : FWS_E_THRESHOLD, "k=%d", k);
    }
    vp_init(&v, &fx, "sign3", NULL);
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_UNTRUSTED);
    vp_init(&v, &fx, "sign3 sign2", NULL);
    v.p.threshold = 2;
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_THRESHOLD);
    /* One key listed twice is one signer. */
    vp_init(&v, &fx, "sign1 sign1", NULL);
    v.p.threshold = 2;
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_THRESHOLD);
    free(c);
}

/* Pushes the container one byte at a time and returns the status and the
 * number of bytes pushed when it came. */
static int first_error(const fws_policy *p, const uint8_t *c, size_t len, size_t *at,
                       size_t *sink_bytes)
{
    run_out o;
    run_install(p, c, len, FEED_BYTES, 0, &o);
    *at = o.err_at;
    *sink_bytes = o.sink.total + (size_t)o.sink.begun[0];
    run_free_out(&o);
    return o.status;
}

Test(verifier, device_limits_refuse_at_the_manifest)
{
    uint8_t a[5000];
    size_t len, at, got;
    layout l;
    vpol v;
    fill_text(a, sizeof a, 9);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    uint8_t *c = pack("w.fws", "--level 9 --window-bits 12 --chunk-size 4096 a=a.bin", &len);
    layout_of(c, len, &l);
    vp_init(&v, &fx, "sign1", NULL);
    for (int w = 0; w <= 15; w = w ? w + 1 : 9) {
        v.p.max_wbits = (uint8_t)w;
        int rc = first_error(&v.p, c, len, &at, &got);
        if (w >= 12) {
            cr_assert_eq(rc, FWS_OK, "max_wbits %d: %s", w, fws_status_name(rc));
        } else {
            cr_assert_eq(rc, FWS_E_LIMIT_WINDOW, "max_wbits %d", w);
            cr_assert_eq(at, l.sig_block, "max_wbits %d: refused after %zu bytes, the manifest "
                         "ends at %zu", w, at, l.sig_block);
            cr_assert_eq(got, 0, "the sink was called");
        }
    }
    v.p.max_wbits = 15;
    v.p.max_chunk = 4095;
    cr_assert_eq(first_error(&v.p, c, len, &at, &got), FWS_E_LIMIT_CHUNK);
    cr_assert_eq(at, l.sig_block);
    cr_assert_eq(got, 0);
    v.p.max_chunk = 4096;
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    /* The slot capacity: every SIZE is checked before a byte is written. */
    v.p.max_size = sizeof a - 1;
    cr_assert_eq(first_error(&v.p, c, len, &at, &got), FWS_E_LIMIT_SIZE);
    cr_assert_eq(at, l.sig_block);
    cr_assert_eq(got, 0);
    v.p.max_size = sizeof a;
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    free(c);
    /* max_wbits 0: stored components only. */
    c = pack("s.fws", "--level 0 a=a.bin", &len);
    v.p.max_wbits = 0;
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    free(c);

    /* The work area must fit the policy; the policy must make sense. */
    fws_install_ctx ctx;
    uint8_t small[64];
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, small, sizeof small), FWS_E_BUFFER);
    cr_assert_eq(fws_install_push(&ctx, small, 1), FWS_E_BUFFER);
    uint8_t *work = malloc(FWS_WORK_SIZE(4096, 12));
    v.p.max_chunk = 4096;
    v.p.max_wbits = 12;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, FWS_WORK_SIZE(4096, 12) - 1), FWS_E_BUFFER);
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, FWS_WORK_SIZE(4096, 12)), FWS_OK);
    v.p.threshold = 2;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, FWS_WORK_SIZE(4096, 12)), FWS_E_POLICY);
    v.p.threshold = 0;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, FWS_WORK_SIZE(4096, 12)), FWS_E_POLICY);
    v.p.threshold = 1;
    v.p.max_size = 0;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, FWS_WORK_SIZE(4096, 12)), FWS_E_POLICY);
    v.p.max_size = UINT64_MAX;
    v.p.max_wbits = 8;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, FWS_WORK_SIZE(4096, 12)), FWS_E_POLICY);
    free(work);
    fprintf(stderr, "verifier: sizeof(fws_install_ctx) = %zu, FWS_WORK_SIZE(4096, 12) = %zu, "
                    "FWS_WORK_SIZE(4096, 15) = %zu\n", sizeof(fws_install_ctx),
            (size_t)FWS_WORK_SIZE(4096, 12), (size_t)FWS_WORK_SIZE(4096, 15));
}

/* ---- encryption ---- */

typedef struct {
    fws_key dev;
    int calls;
    int lie;       /* return a wrong key */
} se_state;

/* A "secure element" on libsodium (signer/crypto/host_capsule.c's host unwrap). */
static int se_unwrap(void *user, uint8_t type, const uint8_t body[FWS_CAPSULE_BODY],
                     uint8_t key[FWS_KEY_LEN])
{
    se_state *s = user;
    s->calls++;
    if (s->dev.type == FWS_KEY_X25519) {
        if (type != FWS_CAPSULE_X25519 || memcmp(body, s->dev.id, 8))
            return 1;
        if (host_capsule_unwrap_x25519(key, body, s->dev.secret, s->dev.pub))
            return 1;
    } else {
        if (type != FWS_CAPSULE_PSK || memcmp(body, s->dev.id, 8))
            return 1;
        host_capsule_unwrap_psk(key, body, s->dev.secret);
    }
    if (s->lie)
        key[5] ^= 1;
    return 0;
}

Test(verifier, encrypted_keys_callback_and_wrong_devices)
{
    uint8_t a[4000];
    size_t len, len2;
    vpol v;
    run_out o;
    fill_text(a, sizeof a, 10);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    uint8_t *c = pack("e.fws", "--encrypt-to dev2.pub --encrypt-to dev.pub --encrypt-to psk.key "
                               "--chunk-size 256 a=a.bin", &len);
    vp_init(&v, &fx, "sign1", "dev.key");
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    vp_init(&v, &fx, "sign1", "psk.key");
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    vp_init(&v, &fx, "sign1", "psk2.key");
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_NO_CAPSULE);
    vp_init(&v, &fx, "sign1", NULL);
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_NO_KEY);
    /* The right secret with another public key: the KEK binds R. */
    vp_init(&v, &fx, "sign1", "dev.key");
    fws_key d2;
    load("dev2.pub", &d2);
    v.p.x25519_public = d2.pub;
    /* dev2's capsule is picked by the id, and its KEK differs. */
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_KEY_COMMITMENT);

    uint8_t *only_dev2 = pack("e2.fws", "--encrypt-to dev2.pub a=a.bin", &len2);
    vp_init(&v, &fx, "sign1", "dev.key");
    cr_assert_eq(install_status(&v.p, only_dev2, len2), FWS_E_NO_CAPSULE);

    /* Secure element callback: the only way in, or after the built-in keys. */
    se_state se;
    memset(&se, 0, sizeof se);
    load("dev.key", &se.dev);
    vp_init(&v, &fx, "sign1", NULL);
    v.p.unwrap = se_unwrap;
    v.p.unwrap_user = &se;
    run_install(&v.p, c, len, FEED_BYTES, 0, &o);
    cr_assert_eq(o.status, FWS_OK, "%s", fws_status_name(o.status));
    cr_assert_eq(o.sink.len[0], sizeof a);
    cr_assert(!memcmp(o.sink.buf[0], a, sizeof a));
    cr_assert_eq(se.calls, 2, "callback called %d times (dev2's capsule, then dev's)", se.calls);
    run_free_out(&o);
    se.lie = 1;
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_KEY_COMMITMENT);
    se.lie = 0;
    load("psk.key", &se.dev);
    cr_assert_eq(install_status(&v.p, c, len), FWS_OK);
    load("psk2.key", &se.dev);
    cr_assert_eq(install_status(&v.p, c, len), FWS_E_NO_CAPSULE);

    /* A capsule transplanted from another container: commitment. */
    size_t len3;
    uint8_t *c3 = pack("e3.fws", "--encrypt-to dev.pub --chunk-size 256 a=a.bin", &len3);
    uint8_t *c4 = pack("e4.fws", "--encrypt-to dev.pub --chunk-size 256 a=a.bin", &len3);
    layout l3, l4;
    layout_of(c3, len3, &l3);
    layout_of(c4, len3, &l4);
    memcpy(c3 + l3.cap_block, c4 + l4.cap_block, l3.payload - l3.cap_block);
    vp_init(&v, &fx, "sign1", "dev.key");
    cr_assert_eq(install_status(&v.p, c3, len3), FWS_E_KEY_COMMITMENT);
    free(c);
    free(only_dev2);
    free(c3);
    free(c4);
}

/* ---- boot ---- */

Test(verifier, boot_record_and_images)
{
    uint8_t a[5000], b[3000];
    size_t len;
    vpol v;
    run_out o;
    fws_measurements m;
    fill_text(a, sizeof a, 11);
    fill_random(b, sizeof b, 12);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    free(fx_write(&fx, "b.bin", b, sizeof b));
    uint8_t *c = pack("b.fws", "--encrypt-to psk.key --key sign2.key --counter 4 a=a.bin b=b.bin", &len);
    vp_init(&v, &fx, "sign2", "psk.key");
    run_install(&v.p, c, len, FEED_RANDOM, 5, &o);
    cr_assert_eq(o.status, FWS_OK);
    input img[2] = {{"a", o.sink.buf[0], o.sink.len[0]}, {"b", o.sink.buf[1], o.sink.len[1]}};
    /* The record keeps only the entries that counted (sign2's), then the
     * digest key of this encrypted container. */
    cr_assert_eq(o.record[o.record_len - 32 - 76], 1);
    cr_assert_eq(o.record_len, (size_t)(16 + fws_load32_le(o.record + 8) + 1 + 75 + 32));
    cr_assert_eq(boot(&v.p, o.record, o.record_len, img, 2, FWS_BOOT_SCRATCH, &m), FWS_OK);
    cr_assert_eq(m.counter, 4);
    cr_assert_eq(m.n_signers, 1);
    cr_assert(m.keyed_digests);
    /* Measured digests are the keyed ones (libsodium under the record's
     * key), never a plain SHA-256 that would confirm a guess. */
    uint8_t d[32];
    spec_component_digest(d, o.record + o.record_len - 32, 1, b, sizeof b);
    cr_assert(!memcmp(m.digest[1], d, 32));
    crypto_hash_sha256(d, a, sizeof a);
    cr_assert(memcmp(m.digest[0], d, 32));
    /* Without its digest key the record is incomplete. */
    cr_assert_eq(boot(&v.p, o.record, o.record_len - 1, img, 2, FWS_BOOT_SCRATCH, NULL),
                 FWS_E_TRUNCATED);
    /* Boot takes the same policy decisions. */
    v.p.counter_floor = 5;
    cr_assert_eq(boot(&v.p, o.record, o.record_len, img, 2, FWS_BOOT_SCRATCH, NULL), FWS_E_ROLLBACK);
    v.p.counter_floor = 0;
    vp_init(&v, &fx, "sign1", NULL);   /* sign1 signed, but its entry was not kept */
    cr_assert_eq(boot(&v.p, o.record, o.record_len, img, 2, FWS_BOOT_SCRATCH, NULL), FWS_E_UNTRUSTED);
    /* An encrypted container is no boot record: the capsule block stands
     * where the digest key should be. */
    cr_assert_eq(boot(&v.p, c, len, img, 2, FWS_BOOT_SCRATCH, NULL), FWS_E_DIGEST);
    vp_init(&v, &fx, "sign2", NULL);
    /* Every flipped image byte position class: first, middle, last. */
    size_t pos[3] = {0, 2500, 4999};
    for (int i = 0; i < 3; i++) {
        o.sink.buf[0][pos[i]] ^= 1;
        cr_assert_eq(boot(&v.p, o.record, o.record_len, img, 2, FWS_BOOT_SCRATCH, NULL), FWS_E_DIGEST);
        o.sink.buf[0][pos[i]] ^= 1;
    }
    /* Every single-bit flip of the record is rejected. */
    size_t flips = 0;
    for (size_t i = 0; i < o.record_len; i++)
        for (int bit = 0; bit < 8; bit++, flips++) {
            o.record[i] ^= (uint8_t)(1u << bit);
            int rc = boot(&v.p, o.record, o.record_len, img, 2, 4096, NULL);
            o.record[i] ^= (uint8_t)(1u << bit);
            cr_assert_neq(rc, FWS_OK, "record flip %zu/%d accepted", i, bit);
        }
    for (size_t n = 0; n < o.record_len; n++)
        cr_assert_neq(boot(&v.p, o.record, n, img, 2, 4096, NULL), FWS_OK, "record cut to %zu", n);
    /* Short image: the reader fails. Small scratch: refused. */
    img[1].len--;
    cr_assert_eq(boot(&v.p, o.record, o.record_len, img, 2, 4096, NULL), FWS_E_READ);
    img[1].len++;
    cr_assert_eq(boot(&v.p, o.record, o.record_len, img, 2, FWS_BOOT_SCRATCH - 1, NULL), FWS_E_BUFFER);
    fprintf(stderr, "verifier: boot record of %zu bytes: %zu bit flips and %zu truncations rejected\n",
            o.record_len, flips, o.record_len);
    run_free_out(&o);
    free(c);
}

/* ---- containers built here (libsodium + zlib), for cases the CLI never
 * writes: bad zlib streams under a valid signature, odd entries. ---- */

typedef struct {
    uint8_t type;
    uint16_t len;
    uint8_t body[FWS_MAX_ENTRY_BODY];
} raw_entry;

typedef struct {
    fws_manifest m;              /* comp[] and sizes filled by the caller */
    const uint8_t *plain[FWS_MAX_COMPONENTS];   /* each component's plaintext */
    size_t plain_len[FWS_MAX_COMPONENTS];
    uint8_t digest_flip;         /* XORed into the last byte of comp[0]'s digest */
    uint8_t digest[FWS_MAX_COMPONENTS][32];
    uint8_t class_id[16];
    uint8_t h0[32], commitment[32];
    const uint8_t *payload;      /* stored payload (plaintext if key given) */
    const uint8_t *key;          /* content key: encrypt, add capsules */
    const fws_key *signers[3];
    int n_signers;
    raw_entry sigs_extra[4];
    int n_sigs_extra;
    raw_entry caps[4];
    int n_caps;
} build_spec;

static uint8_t *build(build_spec *s, size_t *out_len)
{
    fws_manifest *m = &s->m;
    uint64_t P = m->payload_len, C = m->chunk_size, n = (P + C - 1) / C;
    uint8_t *pl = malloc(P + 1), *out, dk[32];
    size_t pos, mlen;
    uint8_t man[FWS_MAX_MANIFEST];
    memcpy(pl, s->payload, P);
    /* Digests (SPEC.md 3.6): keyed when encrypted. */
    if (s->key)
        spec_digest_key(dk, s->key);
    for (int i = 0; i < m->n_components; i++)
        if (s->plain[i])
            spec_component_digest(s->digest[i], s->key ? dk : NULL, (uint8_t)i, s->plain[i],
                                  s->plain_len[i]);
    s->digest[0][31] ^= s->digest_flip;
    if (s->key) {
        static const uint8_t nonce[12];
        crypto_stream_chacha20_ietf_xor_ic(pl, pl, P, nonce, 0, s->key);
        host_key_commitment(s->commitment, s->key);
        m->encrypted = 1;
        m->enc_alg = FWS_ENC_CHACHA20;
        m->key_commitment = s->commitment;
    }
    /* Chain: H_{n-1} = SHA-256(D_{n-1}), H_i = SHA-256(D_i || H_{i+1}). */
    uint8_t (*h)[32] = malloc((n + 1) * 32);
    for (uint64_t i = n; i-- > 0;) {
        crypto_hash_sha256_state st;
        uint64_t dlen = i + 1 < n ? C : P - i * C;
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, pl + i * C, dlen);
        if (i + 1 < n)
            crypto_hash_sha256_update(&st, h[i + 1], 32);
        crypto_hash_sha256_final(&st, h[i]);
    }
    memset(s->h0, 0, 32);
    if (n)
        memcpy(s->h0, h[0], 32);
    m->first_chunk_hash = s->h0;
    host_class_id("test/class", s->class_id);
    m->class_id = s->class_id;
    for (int i = 0; i < m->n_components; i++)
        if (!m->comp[i].digest)
            m->comp[i].digest = s->digest[i];
    mlen = fws_manifest_encode(m, man, sizeof man);
    cr_assert(mlen > 0, "manifest does not encode");
    out = malloc(16 + mlen + 1 + 8 * 1027 + 1 + 32 * 1027 + P + 32 * n);
    fws_header_encode(out, (uint32_t)mlen);
    memcpy(out + 16, man, mlen);
    pos = 16 + mlen;
    out[pos++] = (uint8_t)(s->n_signers + s->n_sigs_extra);
    for (int i = 0; i < s->n_signers; i++) {
        fws_entry_head_encode(out + pos, FWS_SIG_ED25519, 72);
        memcpy(out + pos + 3, s->signers[i]->id, 8);
        crypto_sign_detached(out + pos + 11, NULL, out, 16 + mlen, s->signers[i]->secret);
        pos += 75;
    }
    for (int i = 0; i < s->n_sigs_extra; i++) {
        fws_entry_head_encode(out + pos, s->sigs_extra[i].type, s->sigs_extra[i].len);
        memcpy(out + pos + 3, s->sigs_extra[i].body, s->sigs_extra[i].len);
        pos += 3 + s->sigs_extra[i].len;
    }
    out[pos++] = (uint8_t)s->n_caps;
    for (int i = 0; i < s->n_caps; i++) {
        fws_entry_head_encode(out + pos, s->caps[i].type, s->caps[i].len);
        memcpy(out + pos + 3, s->caps[i].body, s->caps[i].len);
        pos += 3 + s->caps[i].len;
    }
    for (uint64_t i = 0; i < n; i++) {
        uint64_t dlen = i + 1 < n ? C : P - i * C;
        memcpy(out + pos, pl + i * C, dlen);
        pos += dlen;
        if (i + 1 < n) {
            memcpy(out + pos, h[i + 1], 32);
            pos += 32;
        }
    }
    free(pl);
    free(h);
    *out_len = pos;
    return out;
}

/* A one-component spec; data is the component's plaintext, stored its
 * stored bytes (== data for method none). */
static void spec_one(build_spec *s, const fws_key *signer, const uint8_t *data, size_t size,
                     const uint8_t *stored, size_t stored_len, uint8_t method, uint8_t wbits,
                     uint32_t chunk)
{
    memset(s, 0, sizeof *s);
    s->m.major = 1;
    s->m.counter = 1;
    s->m.timestamp = 1700000000;
    s->m.payload_len = stored_len;
    s->m.chunk_size = chunk;
    s->m.n_components = 1;
    s->m.comp[0].name = (const uint8_t *)"fw";
    s->m.comp[0].name_len = 2;
    s->m.comp[0].method = method;
    s->m.comp[0].wbits = wbits;
    s->m.comp[0].size = size;
    s->m.comp[0].stored_size = stored_len;
    s->plain[0] = data;
    s->plain_len[0] = size;
    s->payload = stored;
    s->signers[0] = signer;
    s->n_signers = 1;
}

static size_t zcompress(uint8_t *out, size_t cap, const uint8_t *in, size_t len, int wbits)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    cr_assert_eq(deflateInit2(&z, 9, Z_DEFLATED, wbits, 8, Z_DEFAULT_STRATEGY), Z_OK);
    z.next_in = (uint8_t *)in;
    z.avail_in = (uInt)len;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    cr_assert_eq(deflate(&z, Z_FINISH), Z_STREAM_END);
    size_t n = z.total_out;
    deflateEnd(&z);
    return n;
}

/* The verifier and the host's decide() agree on accept/reject; returns the
 * verifier's status (same in every split). */
static int judge(const vpol *v, const test_policy *tp, const uint8_t *c, size_t len, run_out *o)
{
    run_all_splits(&v->p, c, len, o);
    const char *why;
    int host = tp_decide(tp, c, len, &why);
    cr_assert_eq(o->status == FWS_OK, host, "verifier %s, host %s", fws_status_name(o->status),
                 why);
    return o->status;
}

/* Both command-line tools on a file: exit 1 and the same reason. */
static void both_cli_reject(const uint8_t *c, size_t len, const char *want)
{
    free(fx_write(&fx, "two.fws", c, len));
    const char *pol = "--trust sign1.pub --class test/class";
    run_result h = run("cd '%s' && %s verify two.fws %s --json", fx.dir, FWSEAL_BIN, pol);
    run_result d = run("cd '%s' && %s check two.fws %s", fx.dir, FWSV_BIN, pol);
    char quoted[64];
    snprintf(quoted, sizeof quoted, "\"reason\":\"%s\"", want);
    cr_assert_eq(h.status, 1, "fwseal verify: %d %s", h.status, h.err);
    cr_assert(strstr(h.out, quoted), "fwseal verify: want %s: %s", want, h.out);
    cr_assert_eq(d.status, 1, "fwsv check: %d %s", d.status, d.err);
    cr_assert(strstr(d.err, want), "fwsv check: want %s: %s", want, d.err);
    run_free(&h);
    run_free(&d);
}

/* SPEC.md section 8: with two defects, the reason is the first failure in
 * stream order, the same from the device, decide() and both CLIs (the
 * file-based `fwseal verify` used to check the file length first). */
Test(verifier, reason_is_the_first_failure_in_stream_order)
{
    fws_key k1;
    vpol v;
    test_policy tp;
    build_spec s;
    run_out o;
    size_t len;
    uint8_t data[3000], *c;
    const char *host;
    fill_text(data, sizeof data, 21);
    tp_load_key(&fx, "sign1.key", &k1);
    vp_init(&v, &fx, "sign1", NULL);
    tp_init(&tp, &fx, 1, NULL);

    /* A wrong digest under a valid signature, plus a trailing byte. */
    spec_one(&s, &k1, data, sizeof data, data, sizeof data, FWS_COMP_NONE, 0, 1024);
    s.digest_flip = 1;
    c = build(&s, &len);
    c = realloc(c, len + 1);
    c[len++] = 0;
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_DIGEST);
    cr_assert(!tp_decide(&tp, c, len, &host));
    cr_assert_str_eq(host, "digest_mismatch");
    both_cli_reject(c, len, "digest_mismatch");
    run_free_out(&o);
    free(c);

    /* A repeated chunk: the chain breaks at the copy, before the extra
     * bytes are known to be extra. */
    free(fx_write(&fx, "a.bin", data, sizeof data));
    uint8_t *p = pack("rep.fws", "--level 0 --chunk-size 256 app=a.bin", &len);
    layout l;
    layout_of(p, len, &l);
    c = malloc(len + 256 + 32);
    memcpy(c, p, l.payload + 288);
    memcpy(c + l.payload + 288, p + l.payload, 288);   /* chunk 0 again */
    memcpy(c + l.payload + 576, p + l.payload + 288, len - l.payload - 288);
    cr_assert_eq(judge(&v, &tp, c, len + 288, &o), FWS_E_CHUNK_HASH);
    both_cli_reject(c, len + 288, "chunk_hash_mismatch");
    run_free_out(&o);
    free(c);
    free(p);
    fws_key_wipe(&k1);
}

Test(verifier, built_zlib_streams_sizes_and_digests)
{
    fws_key k1;
    vpol v;
    test_policy tp;
    build_spec s;
    run_out o;
    size_t len;
    uint8_t *data = calloc(1, 1 << 20), *z = malloc(1 << 20), *c;
    load("sign1.key", &k1);
    vp_init(&v, &fx, "sign1", NULL);
    tp_init(&tp, &fx, 1, NULL);
    fill_text(data, 20000, 13);
    size_t zl = zcompress(z, 1 << 20, data, 20000, 12);

    /* Sanity: the builder's container passes both. */
    spec_one(&s, &k1, data, 20000, z, zl, FWS_COMP_ZLIB, 12, 256);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_OK);
    cr_assert_eq(o.sink.len[0], 20000);
    run_free_out(&o);
    free(c);

    /* Bytes after the end of the zlib stream, inside the stored extent. */
    memcpy(z + zl, "junk", 4);
    spec_one(&s, &k1, data, 20000, z, zl + 4, FWS_COMP_ZLIB, 12, 256);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_INFLATE);
    run_free_out(&o);
    free(c);

    /* Zero padding after the stream's end (SPEC.md 3.7) is accepted, in
     * the clear and encrypted. */
    memset(z + zl, 0, 4);
    spec_one(&s, &k1, data, 20000, z, zl + 4, FWS_COMP_ZLIB, 12, 256);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_OK);
    cr_assert_eq(o.sink.len[0], 20000);
    run_free_out(&o);
    free(c);
    z[zl + 3] = 0x80;   /* ...but only zeros */
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_INFLATE);
    run_free_out(&o);
    free(c);

    /* The stream does not end at the stored end. */
    spec_one(&s, &k1, data, 20000, z, zl - 1, FWS_COMP_ZLIB, 12, 256);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_INFLATE);
    run_free_out(&o);
    free(c);

    /* Declared SIZE too big, too small; wrong digest. */
    spec_one(&s, &k1, data, 20000, z, zl, FWS_COMP_ZLIB, 12, 256);
    s.m.comp[0].size = 20001;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_SIZE);
    run_free_out(&o);
    free(c);
    spec_one(&s, &k1, data, 20000, z, zl, FWS_COMP_ZLIB, 12, 256);
    s.m.comp[0].size = 19999;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_SIZE);
    cr_assert(o.sink.total <= 19999);
    run_free_out(&o);
    free(c);
    spec_one(&s, &k1, data, 20000, z, zl, FWS_COMP_ZLIB, 12, 256);
    s.digest_flip = 1;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_DIGEST);
    cr_assert_eq(o.sink.total, 20000);
    run_free_out(&o);
    free(c);

    /* The stream's own window (CINFO) above the recorded window bits. */
    spec_one(&s, &k1, data, 20000, z, zl, FWS_COMP_ZLIB, 11, 256);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_INFLATE);
    cr_assert_eq(o.inflate_err, FWS_INFLATE_ERR_WINDOW);
    run_free_out(&o);
    free(c);

    /* A back-reference farther than the recorded window: 600 random bytes
     * repeated, deflated with a 32 KiB window, the header relabelled to a
     * 512-byte window.  A device holding 512 bytes cannot resolve distance
     * 600; the host (zlib inflateBack, exact window) must refuse it too. */
    fill_random(data, 600, 14);
    memcpy(data + 600, data, 600);
    zl = zcompress(z, 1 << 20, data, 1200, 15);
    z[0] = 0x18;                                   /* CM 8, CINFO 1: 2^9 */
    z[1] = (uint8_t)(z[1] & 0xc0);
    z[1] = (uint8_t)(z[1] + (31 - (z[0] * 256u + z[1]) % 31) % 31);
    spec_one(&s, &k1, data, 1200, z, zl, FWS_COMP_ZLIB, 9, 256);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_INFLATE);
    cr_assert_eq(o.inflate_err, FWS_INFLATE_ERR_DIST_WINDOW);
    run_free_out(&o);
    free(c);

    /* A decompression bomb: 1 MiB of zeros declared as 1000 bytes stops
     * at SIZE, long before the end of the stream. */
    memset(data, 0, 1 << 20);
    zl = zcompress(z, 1 << 20, data, 1 << 20, 15);
    spec_one(&s, &k1, data, 1000, z, zl, FWS_COMP_ZLIB, 15, 4096);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_SIZE);
    cr_assert(o.sink.total <= 1000, "the sink got %zu bytes", o.sink.total);
    run_free_out(&o);
    free(c);
    free(data);
    free(z);
}

static raw_entry entry(uint8_t type, uint16_t len, uint8_t fill)
{
    raw_entry e;
    e.type = type;
    e.len = len;
    memset(e.body, fill, sizeof e.body);
    return e;
}

Test(verifier, built_unusual_entries)
{
    fws_key k1, k2, k3, psk;
    vpol v;
    test_policy tp;
    build_spec s;
    run_out o;
    size_t len;
    uint8_t data[700], *c;
    load("sign1.key", &k1);
    load("sign2.key", &k2);
    load("sign3.key", &k3);
    load("psk.key", &psk);
    fill_text(data, sizeof data, 14);

    /* Unknown entries, and delegated ones for a device without roots, are
     * skipped; an empty body last in the block is taken at once. */
    vp_init(&v, &fx, "sign1", NULL);
    tp_init(&tp, &fx, 1, NULL);
    spec_one(&s, &k1, data, sizeof data, data, sizeof data, FWS_COMP_NONE, 0, 256);
    s.sigs_extra[0] = entry(FWS_SIG_DELEGATED, FWS_SIG_DELEGATED_BODY(1), 0xAA);
    s.sigs_extra[1] = entry(77, 1024, 0x55);
    s.sigs_extra[2] = entry(9, 0, 0);
    s.n_sigs_extra = 3;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_OK);
    cr_assert_eq(o.record_len, 16 + fws_load32_le(c + 8) + 1 + 75, "only the counted entry kept");
    run_free_out(&o);
    free(c);
    /* A delegated entry's length fixes its layout (1..4 root signatures):
     * any other is a malformed block, whatever the device trusts. */
    s.sigs_extra[0] = entry(FWS_SIG_DELEGATED, FWS_SIG_DELEGATED_BODY(1) + 1, 0xAA);
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_SIG_BLOCK);
    run_free_out(&o);
    free(c);
    s.n_sigs_extra = 0;
    s.n_signers = 0;   /* an empty block: an unsigned container, never accepted */
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_UNTRUSTED);
    run_free_out(&o);
    free(c);

    /* A key that signs twice counts once; a bad signature by a trusted key
     * does not reject by itself; an unknown key id is ignored. */
    vp_init(&v, &fx, "sign1 sign2", NULL);
    v.p.threshold = 2;
    tp_init(&tp, &fx, 2, NULL);
    tp.p.threshold = 2;
    spec_one(&s, &k1, data, sizeof data, data, sizeof data, FWS_COMP_NONE, 0, 256);
    s.signers[1] = &k1;
    s.n_signers = 2;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_THRESHOLD);
    run_free_out(&o);
    free(c);
    s.signers[0] = &k3;   /* untrusted */
    s.signers[1] = &k2;
    s.signers[2] = &k1;
    s.n_signers = 3;
    s.sigs_extra[0] = entry(FWS_SIG_ED25519, 72, 0x11);
    memcpy(s.sigs_extra[0].body, k1.id, 8);   /* sign1's id, garbage signature */
    s.n_sigs_extra = 1;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_OK);
    cr_assert_eq(o.m.n_signers, 2);
    cr_assert(!memcmp(o.m.signer_id[0], k2.id, 8) && !memcmp(o.m.signer_id[1], k1.id, 8));
    run_free_out(&o);
    free(c);

    /* Encrypted, P = 0, unknown capsule types around the PSK capsule, the
     * last with an empty body: the verdict comes with the last byte. */
    uint8_t key[32];
    randombytes_buf(key, sizeof key);
    vp_init(&v, &fx, "sign1", "psk.key");
    tp_init(&tp, &fx, 1, "psk.key");
    spec_one(&s, &k1, data, 0, data, 0, FWS_COMP_NONE, 0, 256);
    s.key = key;
    s.caps[0] = entry(5, 3, 1);
    s.caps[1] = entry(FWS_CAPSULE_PSK, 72, 0);
    host_capsule_wrap_psk(s.caps[1].body, key, psk.secret, psk.id);
    s.caps[2] = entry(200, 0, 0);
    s.n_caps = 3;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_OK);
    cr_assert(o.sink.begun[0] && o.sink.len[0] == 0);
    run_free_out(&o);
    free(c);

    /* Encrypted payload with the capsule wrapping another key. */
    spec_one(&s, &k1, data, sizeof data, data, sizeof data, FWS_COMP_NONE, 0, 256);
    s.key = key;
    s.caps[0] = entry(FWS_CAPSULE_PSK, 72, 0);
    uint8_t other[32] = {1};
    host_capsule_wrap_psk(s.caps[0].body, other, psk.secret, psk.id);
    s.n_caps = 1;
    c = build(&s, &len);
    cr_assert_eq(judge(&v, &tp, c, len, &o), FWS_E_KEY_COMMITMENT);
    cr_assert_eq(o.sink.total, 0);
    run_free_out(&o);
    free(c);
}

/* ---- API ---- */

static int refusing_sink(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                         const uint8_t *data, size_t len)
{
    (void)index;
    (void)c;
    (void)offset;
    (void)data;
    return len > 0 && ++*(int *)user > 2;
}

Test(verifier, api_sink_refusal_and_misuse)
{
    uint8_t a[3000];
    size_t len;
    vpol v;
    int calls = 0;
    fill_random(a, sizeof a, 15);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    uint8_t *c = pack("api.fws", "--level 0 --chunk-size 256 a=a.bin", &len);
    vp_init(&v, &fx, "sign1", NULL);
    size_t work_len = FWS_WORK_SIZE(v.p.max_chunk, v.p.max_wbits);
    uint8_t *work = malloc(work_len);
    fws_install_ctx ctx;
    fws_sink s = {refusing_sink, &calls};
    cr_assert_eq(fws_install_init(&ctx, &v.p, &s, work, work_len), FWS_OK);
    cr_assert_eq(fws_install_boot_record(&ctx, NULL, NULL), FWS_E_STATE);
    cr_assert_eq(fws_install_push(&ctx, c, len), FWS_E_SINK);
    cr_assert_eq(calls, 3);
    cr_assert_eq(fws_install_push(&ctx, c, len), FWS_E_SINK);
    cr_assert_eq(fws_install_finish(&ctx, NULL), FWS_E_SINK);
    cr_assert_eq(fws_install_finish(&ctx, NULL), FWS_E_SINK);

    /* Sink NULL: checks only.  Finish twice; push after finish. */
    fws_measurements m;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, work_len), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, NULL, 0), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, c, len), FWS_OK);
    cr_assert_eq(fws_install_finish(&ctx, &m), FWS_OK);
    cr_assert_eq(fws_install_finish(&ctx, &m), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, c, 1), FWS_E_STATE);
    /* Trailing byte; truncated. */
    uint8_t *longer = malloc(len + 1);
    memcpy(longer, c, len);
    longer[len] = 0;
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, work_len), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, longer, len + 1), FWS_E_TRAILING);
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, work_len), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, longer, len), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, longer + len, 1), FWS_E_TRAILING);
    cr_assert_eq(fws_install_init(&ctx, &v.p, NULL, work, work_len), FWS_OK);
    cr_assert_eq(fws_install_push(&ctx, c, len - 1), FWS_OK);
    cr_assert_eq(fws_install_finish(&ctx, NULL), FWS_E_TRUNCATED);
    /* Status names: distinct, stable, the format's kept. */
    for (int i = 0; i < FWS_STATUS_END; i++)
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(fws_status_name(i), fws_status_name(j));
    cr_assert_str_eq(fws_status_name(FWS_E_TRAILING), "trailing_bytes");
    cr_assert_str_eq(fws_status_name(FWS_E_CHUNK_HASH), "chunk_hash_mismatch");
    cr_assert_str_eq(fws_status_name(FWS_STATUS_END), "unknown_error");
    free(longer);
    free(work);
    free(c);
}
