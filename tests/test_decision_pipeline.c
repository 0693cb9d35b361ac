/* SPDX-License-Identifier: MIT */
/* decide() takes the same decision whatever policy.jobs: jobs 1 runs the
 * checks one after another, jobs 2 and 3 as the three-thread pipeline of
 * signer/read/pl.h.  On containers of several MiB (many queue
 * batches), zlib and stored, X25519, PSK and unencrypted, the verdict
 * (accepted, reason, message, io_error, payload/components checked) and the
 * sink's calls (begin, then every data piece with its bytes) must be the
 * same for pristine containers, bit flips, truncations, a trailing byte,
 * read errors and sinks that refuse; and where two things are wrong, the one
 * earlier in the stream decides, however far ahead the reader thread got. */
#include <criterion/criterion.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fws_bytes.h"
#include "fws_manifest.h"
#include "tamper.h"

static fixture fx;
static void setup(void) { fx_init(&fx); }
static void teardown(void) { fx_free(&fx); }
TestSuite(decision_pipeline, .init = setup, .fini = teardown, .timeout = 600);

static const int jobs_compared[] = {2, 3};

/* ---- a container stream with an optional read error ---------------- */

typedef struct {
    const uint8_t *buf;
    size_t len, pos, fail_at;   /* reads at or past fail_at fail with EIO */
} mem_stream;

static ssize_t mem_read(void *cookie, char *out, size_t n)
{
    mem_stream *m = cookie;
    if (m->pos >= m->fail_at) {
        errno = EIO;
        return -1;
    }
    if (n > m->len - m->pos)
        n = m->len - m->pos;
    if (n > m->fail_at - m->pos)
        n = m->fail_at - m->pos;
    memcpy(out, m->buf + m->pos, n);
    m->pos += n;
    return (ssize_t)n;
}

static int mem_close(void *cookie)
{
    free(cookie);
    return 0;
}

/* A stream, not a file: no size known up front, so truncation and
 * trailing bytes are found while the chunks are read, as from a pipe. */
static FILE *open_mem(const uint8_t *buf, size_t len, size_t fail_at)
{
    static const cookie_io_functions_t io = {.read = mem_read, .close = mem_close};
    mem_stream *m = calloc(1, sizeof *m);
    m->buf = buf;
    m->len = len;
    m->fail_at = fail_at;
    FILE *f = fopencookie(m, "rb", io);
    cr_assert(f);
    return f;
}

/* ---- a sink that records every call ------------------------------- */

typedef struct {
    crypto_hash_sha256_state log;   /* "B" index size, "D" index len bytes, in call order */
    uint64_t bytes, calls;
    uint64_t refuse_after;          /* fail the data call that passes this many bytes */
    int refuse_begin;               /* fail begin of this component; -1 never */
} rec_sink;

static int rec_begin(void *user, int index, const fws_component *c)
{
    rec_sink *s = user;
    uint8_t rec[13] = {'B'};
    fws_store32_le(rec + 1, (uint32_t)index);
    fws_store64_le(rec + 5, c->size);
    crypto_hash_sha256_update(&s->log, rec, sizeof rec);
    s->calls++;
    return index == s->refuse_begin ? -1 : 0;
}

static int rec_data(void *user, int index, const uint8_t *buf, size_t len)
{
    rec_sink *s = user;
    uint8_t rec[13] = {'D'};
    fws_store32_le(rec + 1, (uint32_t)index);
    fws_store64_le(rec + 5, len);
    crypto_hash_sha256_update(&s->log, rec, sizeof rec);
    crypto_hash_sha256_update(&s->log, buf, len);
    s->bytes += len;
    s->calls++;
    return s->bytes > s->refuse_after ? -1 : 0;
}

/* ---- one decision and its comparison ------------------------------ */

typedef struct {
    size_t len;                     /* bytes of the container offered */
    size_t fail_at;                 /* read error offset; SIZE_MAX none */
    uint64_t refuse_after;          /* UINT64_MAX: the sink never refuses data */
    int refuse_begin;               /* -1: never */
    int no_sink;                    /* verify's way: no sink at all */
} trial;

#define TRIAL(n) ((trial){(n), SIZE_MAX, UINT64_MAX, -1, 0})

typedef struct {
    int accepted, io_error, payload_checked, components_checked, n_signers;
    char reason[64], message[600];
    uint8_t sink_log[32];
    uint64_t sink_bytes, sink_calls;
} outcome;

static void decide_once(test_policy *tp, const uint8_t *c, const trial *t, int jobs, outcome *o)
{
    static container ct;   /* large */
    rec_sink rs;
    component_sink sink = {rec_begin, rec_data, &rs};
    verdict v;
    memset(&rs, 0, sizeof rs);
    crypto_hash_sha256_init(&rs.log);
    rs.refuse_after = t->refuse_after;
    rs.refuse_begin = t->refuse_begin;
    tp->p.jobs = jobs;
    container_open_stream(&ct, open_mem(c, t->len, t->fail_at), "mem");
    decide(&ct, &tp->p, t->no_sink ? NULL : &sink, &v);
    container_close(&ct);
    memset(o, 0, sizeof *o);
    o->accepted = v.accepted;
    o->io_error = v.io_error;
    o->payload_checked = v.payload_checked;
    o->components_checked = v.components_checked;
    o->n_signers = v.n_signers;
    snprintf(o->reason, sizeof o->reason, "%s", v.reason ? v.reason : "(null)");
    snprintf(o->message, sizeof o->message, "%s", v.message);
    crypto_hash_sha256_final(&rs.log, o->sink_log);
    o->sink_bytes = rs.bytes;
    o->sink_calls = rs.calls;
}

/* Decides with jobs 1, then 2 and 3, asserts the same outcome; returns
 * jobs 1's. */
static outcome expect_same(test_policy *tp, const uint8_t *c, trial t, const char *what)
{
    outcome ref, got;
    decide_once(tp, c, &t, 1, &ref);
    for (size_t i = 0; i < sizeof jobs_compared / sizeof jobs_compared[0]; i++) {
        int j = jobs_compared[i];
        decide_once(tp, c, &t, j, &got);
        cr_assert(ref.accepted == got.accepted && !strcmp(ref.reason, got.reason),
                  "%s, jobs %d: %s (%s) but jobs 1: %s (%s)", what, j, got.reason, got.message,
                  ref.reason, ref.message);
        cr_assert_str_eq(got.message, ref.message, "%s, jobs %d", what, j);
        cr_assert(ref.io_error == got.io_error && ref.payload_checked == got.payload_checked &&
                      ref.components_checked == got.components_checked &&
                      ref.n_signers == got.n_signers,
                  "%s, jobs %d: verdict flags differ", what, j);
        cr_assert(ref.sink_bytes == got.sink_bytes && ref.sink_calls == got.sink_calls &&
                      !memcmp(ref.sink_log, got.sink_log, 32),
                  "%s, jobs %d: sink got %llu bytes in %llu calls, with jobs 1 %llu in %llu", what,
                  j, (unsigned long long)got.sink_bytes, (unsigned long long)got.sink_calls,
                  (unsigned long long)ref.sink_bytes, (unsigned long long)ref.sink_calls);
    }
    return ref;
}

static void expect_reason(const outcome *o, const char *want, const char *what)
{
    cr_assert(!o->accepted && !strcmp(o->reason, want), "%s: %s (%s), expected %s", what,
              o->reason, o->message, want);
}

/* ---- containers ------------------------------------------------------ */

typedef struct {
    const char *name;               /* input file in the fixture */
    size_t size;
    int random;                     /* incompressible instead of text */
} input_spec;

static uint8_t *pack(const char *out, const char *args, const input_spec *in, int n_in,
                     size_t *len, uint64_t *plain_total)
{
    char argv[1024];
    size_t at = (size_t)snprintf(argv, sizeof argv, "%s", args);
    *plain_total = 0;
    for (int i = 0; i < n_in; i++) {
        uint8_t *d = malloc(in[i].size + 1);
        if (in[i].random)
            fill_random(d, in[i].size, 77 + (uint64_t)i);
        else
            fill_text(d, in[i].size, 33 + (uint64_t)i);
        free(fx_write(&fx, in[i].name, d, in[i].size));
        free(d);
        at += (size_t)snprintf(argv + at, sizeof argv - at, " %s=%s", in[i].name, in[i].name);
        *plain_total += in[i].size;
    }
    return fx_pack_bytes(&fx, out, argv, len);
}

static size_t n_chunks(const layout *l)
{
    return (size_t)((l->payload_len + l->chunk_size - 1) / l->chunk_size);
}

/* Offset of chunk i (its stored form: data, then the next chunk's hash). */
static size_t chunk_at(const layout *l, size_t i)
{
    return l->payload + i * ((size_t)l->chunk_size + 32);
}

/* Every kind of damage at the start, middle and end of the payload, each
 * decided with jobs 1, 2 and 3. */
static void compare_everything(const char *what, uint8_t *c, size_t len, uint64_t plain,
                               int n_components, const char *device_key)
{
    test_policy tp;
    layout l;
    outcome o;
    char label[160];
    tp_init(&tp, &fx, 1, device_key);
    layout_of(c, len, &l);
    size_t n = n_chunks(&l), last = chunk_at(&l, n - 1), mid = chunk_at(&l, n / 2) + 17;
    cr_assert(n >= 3, "%s: %zu chunks", what, n);

    o = expect_same(&tp, c, TRIAL(len), what);
    cr_assert(o.accepted && o.components_checked && o.sink_bytes == plain, "%s: %s (%s)", what,
              o.reason, o.message);
    trial verify_way = TRIAL(len);
    verify_way.no_sink = 1;
    o = expect_same(&tp, c, verify_way, what);
    cr_assert(o.accepted);

    const size_t flips[] = {l.payload + 5, l.payload + l.chunk_size + 3 /* a chained hash */, mid,
                            last + (len - last) / 2, len - 1};
    for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
        c[flips[i]] ^= 0x20;
        snprintf(label, sizeof label, "%s: flip at %zu", what, flips[i]);
        o = expect_same(&tp, c, TRIAL(len), label);
        expect_reason(&o, "chunk_hash_mismatch", label);
        /* The sink refuses before the flip's chunk, or after it. */
        trial t = TRIAL(len);
        t.refuse_after = o.sink_bytes / 2;
        expect_same(&tp, c, t, label);
        c[flips[i]] ^= 0x20;
    }

    const size_t cuts[] = {l.payload, l.payload + 1, chunk_at(&l, 1) + 7, mid, last,
                           last + (len - last) / 2, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        snprintf(label, sizeof label, "%s: truncated to %zu of %zu", what, cuts[i], len);
        o = expect_same(&tp, c, TRIAL(cuts[i]), label);
        expect_reason(&o, "truncated", label);
    }

    uint8_t *longer = malloc(len + 1);
    memcpy(longer, c, len);
    longer[len] = 0;
    snprintf(label, sizeof label, "%s: one trailing byte", what);
    o = expect_same(&tp, longer, TRIAL(len + 1), label);
    expect_reason(&o, "trailing_bytes", label);
    free(longer);

    const size_t io_at[] = {l.payload + 100, mid, len - 2};
    for (size_t i = 0; i < sizeof io_at / sizeof io_at[0]; i++) {
        trial t = TRIAL(len);
        t.fail_at = io_at[i];
        snprintf(label, sizeof label, "%s: read error at %zu", what, io_at[i]);
        o = expect_same(&tp, c, t, label);
        expect_reason(&o, "io_error", label);
        cr_assert(o.io_error, "%s: a read error is an I/O failure (exit 3)", label);
    }

    const uint64_t refuse[] = {0, 100000, plain / 2, plain - 1};
    for (size_t i = 0; i < sizeof refuse / sizeof refuse[0]; i++) {
        trial t = TRIAL(len);
        t.refuse_after = refuse[i];
        snprintf(label, sizeof label, "%s: sink refuses past %llu bytes", what,
                 (unsigned long long)refuse[i]);
        o = expect_same(&tp, c, t, label);
        expect_reason(&o, "sink_error", label);
        cr_assert(o.io_error);
    }
    for (int k = 0; k < n_components; k++) {
        trial t = TRIAL(len);
        t.refuse_begin = k;
        snprintf(label, sizeof label, "%s: sink refuses component %d", what, k);
        o = expect_same(&tp, c, t, label);
        expect_reason(&o, "sink_error", label);
    }
    fprintf(stderr, "decision_pipeline: %s: %zu bytes, %zu chunks: jobs 1, 2, 3 agree\n", what, len,
            n);
}

static const input_spec three[] = {
    {"app.bin", 3u << 20, 0}, {"radio.bin", 1u << 20, 1}, {"tiny.bin", 100, 0}};

Test(decision_pipeline, zlib_x25519_three_components)
{
    size_t len;
    uint64_t plain;
    uint8_t *c = pack("zx.fws", "--level 6 --encrypt-to dev.pub", three, 3, &len, &plain);
    compare_everything("zlib, X25519", c, len, plain, 3, "dev.key");
    free(c);
}

/* A 512-byte window: inflate hands out 512-byte pieces, more than a batch
 * holds events for; 1 KiB chunks. */
Test(decision_pipeline, zlib_psk_small_window_small_chunks)
{
    size_t len;
    uint64_t plain;
    uint8_t *c = pack("zp.fws", "--level 1 --window-bits 9 --chunk-size 1024 --encrypt-to psk.key",
                      three, 2, &len, &plain);
    compare_everything("zlib w9, PSK", c, len, plain, 2, "psk.key");
    free(c);
}

/* Stored, 1 MiB chunks: events larger than a default batch. */
Test(decision_pipeline, stored_plain_megabyte_chunks)
{
    static const input_spec in[] = {{"s1.bin", 2621440, 1}, {"s2.bin", 300000, 0},
                                    {"s3.bin", 1500000, 0}};
    size_t len;
    uint64_t plain;
    uint8_t *c = pack("st.fws", "--level 0 --chunk-size 1048576", in, 3, &len, &plain);
    compare_everything("stored, 1 MiB chunks", c, len, plain, 3, NULL);
    free(c);
}

/* 256-byte chunks: a thousand chunk events per batch of the reader. */
Test(decision_pipeline, zlib_plain_256_byte_chunks)
{
    static const input_spec in[] = {{"p1.bin", 1500000, 0}, {"p2.bin", 400000, 1}};
    size_t len;
    uint64_t plain;
    uint8_t *c = pack("pl.fws", "--level 9 --chunk-size 256", in, 2, &len, &plain);
    compare_everything("zlib, 256-byte chunks", c, len, plain, 2, NULL);
    free(c);
}

Test(decision_pipeline, stored_x25519)
{
    size_t len;
    uint64_t plain;
    uint8_t *c = pack("sx.fws", "--level 0 --encrypt-to dev.pub --encrypt-to psk.key", three, 3,
                      &len, &plain);
    compare_everything("stored, X25519", c, len, plain, 3, "dev.key");
    free(c);
}

/* Without the device key only the chain is checked, and the sink hears
 * nothing. */
Test(decision_pipeline, encrypted_without_key_checks_the_chain_alone)
{
    size_t len;
    uint64_t plain;
    test_policy tp;
    layout l;
    uint8_t *c = pack("nk.fws", "--encrypt-to dev.pub", three, 2, &len, &plain);
    tp_init(&tp, &fx, 1, NULL);
    layout_of(c, len, &l);
    outcome o = expect_same(&tp, c, TRIAL(len), "no key");
    cr_assert(o.accepted && o.payload_checked && !o.components_checked && o.sink_calls == 0);
    c[chunk_at(&l, n_chunks(&l) / 2)] ^= 1;
    o = expect_same(&tp, c, TRIAL(len), "no key, flip");
    expect_reason(&o, "chunk_hash_mismatch", "no key, flip");
    o = expect_same(&tp, c, TRIAL(len - 1), "no key, flip and cut");
    expect_reason(&o, "chunk_hash_mismatch", "no key, flip and cut");
    free(c);
}

Test(decision_pipeline, zeroed_policy_jobs_is_one_thread)
{
    size_t len;
    uint64_t plain;
    test_policy tp;
    outcome a, b;
    trial t = TRIAL(0);
    uint8_t *c = pack("z0.fws", "", three, 1, &len, &plain);
    tp_init(&tp, &fx, 1, NULL);
    t.len = len;
    decide_once(&tp, c, &t, 0, &a);
    decide_once(&tp, c, &t, 1, &b);
    cr_assert(a.accepted && b.accepted && !memcmp(a.sink_log, b.sink_log, 32));
    free(c);
}

/* ---- damage behind valid chunk hashes -------------------------------- */

/* Recomputes the chunk chain over the payload as it now is, puts H_0 into
 * the manifest and re-signs it with sign1: whatever the payload holds is
 * then authentic, and what is wrong with it is for inflate and the digests
 * to find. */
static void rechain(uint8_t *c, size_t len)
{
    layout l;
    fws_manifest m;
    fws_key k;
    fws_passphrase_src pp = {NULL, NULL};
    uint8_t h[32];
    layout_of(c, len, &l);
    cr_assert_eq(fws_manifest_decode(c + 16, l.manifest_len, &m, NULL), 0);
    size_t n = n_chunks(&l);
    for (size_t i = n; i-- > 0;) {
        uint8_t *chunk = c + chunk_at(&l, i);
        size_t stored = i + 1 < n ? l.chunk_size + 32 : len - chunk_at(&l, i);
        if (i + 1 < n)
            memcpy(chunk + l.chunk_size, h, 32);
        crypto_hash_sha256(h, chunk, stored);
    }
    uint8_t *h0 = memmem(c + 16, l.manifest_len, m.first_chunk_hash, 32);
    cr_assert(h0, "H_0 not found in the manifest");
    memcpy(h0, h, 32);
    char *kp = fx_path(&fx, "sign1.key");
    cr_assert_eq(fws_key_load(kp, &pp, &k), 0);
    free(kp);
    /* One signature entry: count, type, length, key id, signature. */
    cr_assert(c[l.sig_block] == 1 && c[l.sig_block + 1] == 1 && !memcmp(c + l.sig_block + 4, k.id, 8));
    crypto_sign_detached(c + l.sig_block + 12, NULL, c, 16 + l.manifest_len, k.secret);
    sodium_memzero(&k, sizeof k);
}

/* Flips in a zlib stream (ciphertext flips are plaintext flips) behind
 * valid hashes, at many places: whatever inflate, Adler-32, the size or the
 * digest says, every jobs says it too, with the same sink calls. */
Test(decision_pipeline, broken_zlib_behind_valid_hashes)
{
    size_t len;
    uint64_t plain;
    test_policy tp;
    layout l;
    char label[96];
    int seen_inflate = 0, seen_other = 0;
    uint8_t *c = pack("bz.fws", "--encrypt-to dev.pub", three, 3, &len, &plain);
    uint8_t *t = malloc(len);
    tp_init(&tp, &fx, 1, "dev.key");
    layout_of(c, len, &l);
    for (size_t at = l.payload + 1; at < len; at += (len - l.payload) / 23) {
        if ((at - l.payload) % (l.chunk_size + 32) >= l.chunk_size)
            continue;   /* a chained hash: rechain would overwrite it */
        memcpy(t, c, len);
        t[at] ^= 0x08;
        rechain(t, len);
        snprintf(label, sizeof label, "zlib flip at %zu behind valid hashes", at);
        outcome o = expect_same(&tp, t, TRIAL(len), label);
        cr_assert(!o.accepted && strcmp(o.reason, "chunk_hash_mismatch"), "%s: %s", label,
                  o.reason);
        if (!strcmp(o.reason, "inflate_error"))
            seen_inflate++;
        else
            seen_other++;
        trial half = TRIAL(len);
        half.refuse_after = o.sink_bytes / 2;
        expect_same(&tp, t, half, label);
    }
    cr_log_info("inflate errors %d, other rejections %d", seen_inflate, seen_other);
    cr_assert(seen_inflate > 0);
    free(t);
    free(c);
}

/* Makes inflate fail inside one chunk k of the first component, then
 * damages chunk k+1: jobs 1 must say inflate_error.  pack ends every
 * 128 KiB of input with a sync flush (00 00 FF FF), after which a new
 * deflate block starts on a byte boundary; block type 3 is invalid.  (The
 * same four bytes inside compressed data prove nothing, hence the check.) */
static size_t break_inflate_in_chunk(test_policy *tp, const uint8_t *c, size_t len,
                                     const layout *l, uint8_t *t, outcome *o)
{
    static const uint8_t flush[4] = {0, 0, 0xFF, 0xFF};
    for (size_t k = n_chunks(l) / 2; k + 2 < n_chunks(l); k++) {
        const uint8_t *d = c + chunk_at(l, k);
        for (size_t off = 0; off + 5 <= l->chunk_size; off++) {
            trial tr = TRIAL(len);
            if (memcmp(d + off, flush, 4))
                continue;
            memcpy(t, c, len);
            t[chunk_at(l, k) + off + 4] |= 0x06;
            rechain(t, len);
            t[chunk_at(l, k + 1) + 9] ^= 1;    /* chunk k+1 no longer hashes right */
            decide_once(tp, t, &tr, 1, o);
            if (!strcmp(o->reason, "inflate_error"))
                return k;
        }
    }
    return 0;
}

Test(decision_pipeline, earlier_inflate_error_beats_later_bad_chunk)
{
    size_t len, k;
    uint64_t plain;
    test_policy tp;
    layout l;
    outcome found, o;
    uint8_t *c = pack("ie.fws", "--level 6", three, 2, &len, &plain);
    uint8_t *t = malloc(len);
    tp_init(&tp, &fx, 1, NULL);
    layout_of(c, len, &l);
    k = break_inflate_in_chunk(&tp, c, len, &l, t, &found);
    cr_assert(k > 0, "no sync flush in the second half of the stream");
    cr_assert(strstr(found.message, "invalid block type"), "%s", found.message);
    /* The reader thread meets the bad chunk k+1 long before inflate fails. */
    o = expect_same(&tp, t, TRIAL(len), "inflate error in chunk k, bad chunk k+1");
    cr_assert_str_eq(o.message, found.message);
    /* ... or the file ends, or cannot be read, inside chunk k+1 or k+2. */
    o = expect_same(&tp, t, TRIAL(chunk_at(&l, k + 1) + 50), "inflate error, truncated after");
    cr_assert_str_eq(o.message, found.message);
    trial io = TRIAL(len);
    io.fail_at = chunk_at(&l, k + 2) + 5;
    o = expect_same(&tp, t, io, "inflate error, read error after");
    cr_assert_str_eq(o.message, found.message);
    /* A sink that refuses early still comes first. */
    trial early = TRIAL(len);
    early.refuse_after = 1000;
    o = expect_same(&tp, t, early, "sink refuses before the inflate error");
    expect_reason(&o, "sink_error", "sink refuses before the inflate error");
    /* And a bad chunk before the inflate error wins over it. */
    t[chunk_at(&l, k - 1) + 3] ^= 1;
    o = expect_same(&tp, t, TRIAL(len), "bad chunk k-1, inflate error in chunk k");
    expect_reason(&o, "chunk_hash_mismatch", "bad chunk k-1, inflate error in chunk k");
    free(t);
    free(c);
}

/* Stored components: a changed byte in the first component, re-chained,
 * is a digest mismatch at that component's end, and it wins over a bad
 * chunk in the second component that the reader reaches first. */
Test(decision_pipeline, digest_mismatch_beats_later_bad_chunk)
{
    static const input_spec in[] = {{"d1.bin", 1u << 20, 0}, {"d2.bin", 1u << 20, 1}};
    size_t len;
    uint64_t plain;
    test_policy tp;
    layout l;
    outcome ref, o;
    uint8_t *c = pack("dm.fws", "--level 0", in, 2, &len, &plain);
    tp_init(&tp, &fx, 1, NULL);
    layout_of(c, len, &l);
    c[chunk_at(&l, 3) + 10] ^= 0x40;
    rechain(c, len);
    ref = expect_same(&tp, c, TRIAL(len), "stored byte changed");
    expect_reason(&ref, "digest_mismatch", "stored byte changed");
    cr_assert(strstr(ref.message, "'d1.bin'"), "%s", ref.message);
    c[len - 20] ^= 1;   /* in d2.bin's last chunk */
    o = expect_same(&tp, c, TRIAL(len), "digest mismatch, then a bad chunk");
    cr_assert_str_eq(o.message, ref.message);
    o = expect_same(&tp, c, TRIAL(chunk_at(&l, n_chunks(&l) / 2 + 3)), "digest mismatch, then cut");
    cr_assert_str_eq(o.message, ref.message);
    free(c);
}

/* ---- the command line ------------------------------------------------ */

Test(decision_pipeline, cli_jobs_option)
{
    size_t len;
    uint64_t plain;
    free(pack("cli.fws", "--encrypt-to dev.pub", three, 3, &len, &plain));
    const char *good[] = {"-j 1", "--jobs 2", "--jobs=32", "-j3"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char args[64];
        snprintf(args, sizeof args, "--key dev.key --json %s", good[i]);
        run_result r = fx_verify(&fx, "cli.fws", args);
        cr_assert_eq(r.status, 0, "%s: %s", good[i], r.err);
        cr_assert(strstr(r.out, "\"components_checked\":true"), "%s", r.out);
        run_free(&r);
    }
    const char *bad[] = {"-j 0", "--jobs 33", "--jobs x", "--jobs -1", "-j"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        /* A value out of range names the option and the range; a missing
         * one is getopt's message.  Both end with the usage hint. */
        const char *want = bad[i][2] == '\0' ? "requires an argument" : "expected 1..32";
        run_result r = fx_verify(&fx, "cli.fws", bad[i]);
        cr_assert_eq(r.status, 2, "%s: status %d: %s", bad[i], r.status, r.err);
        cr_assert(strstr(r.err, want) && strstr(r.err, "verify"), "%s: %s", bad[i], r.err);
        run_free(&r);
        r = run("cd '%s' && %s unpack cli.fws --trust sign1.pub --class test/class --key dev.key -o o %s", fx.dir,
                FWSEAL_BIN, bad[i]);
        cr_assert_eq(r.status, 2, "unpack %s: status %d: %s", bad[i], r.status, r.err);
        cr_assert(strstr(r.err, want) && strstr(r.err, "unpack"), "unpack %s: %s", bad[i], r.err);
        char *o = fx_path(&fx, "o");
        cr_assert(!file_exists(o), "unpack %s wrote output", bad[i]);
        free(o);
        run_free(&r);
    }
    run_result r = run("cd '%s' && %s unpack cli.fws --trust sign1.pub --class test/class --key dev.key -o j1 -j 1 && "
                       "%s unpack cli.fws --trust sign1.pub --class test/class --key dev.key -o j2.tar --jobs 2 && "
                       "mkdir x && tar -xf j2.tar -C x && cmp j1/app.bin app.bin && "
                       "cmp x/app.bin app.bin && cmp x/radio.bin radio.bin && cmp x/tiny.bin tiny.bin",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
}
