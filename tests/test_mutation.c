/* SPDX-License-Identifier: MIT */
/* Exhaustive mutation of a small container of each kind (plain, compressed,
 * encrypted to X25519, to a PSK, three signers, padded, signed by a key two
 * roots certified): every single-bit flip,
 * every truncation, every one-byte extension (all 256 values), each chunk
 * swapped with its neighbour, duplicated, dropped or overwritten by its
 * predecessor, and each capsule replaced by one from another container.
 *
 * Every case must be rejected by both the host's decide() (what `fwseal
 * verify` runs) and the device verifier (what `fwsv` runs), with the same
 * reason, and that reason must be in the class the mutated part of the
 * file predicts: a flipped payload byte is a chunk hash mismatch, never a
 * signature or inflate problem; a flipped manifest byte is caught before
 * any payload byte is used.  A sample of the cases also goes through both
 * command-line tools.  The counts are printed. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tamper.h"

static fixture fx;
static void setup(void)
{
    cr_assert(file_exists(FWSV_BIN), "%s missing: 'make test' builds it", FWSV_BIN);
    fx_init(&fx);
}
static void teardown(void) { fx_free(&fx); }
TestSuite(mutation, .init = setup, .fini = teardown, .timeout = 600);

/* ---- error classes: what a reason name says about where the file broke ---- */

enum {
    FORMAT = 1,      /* malformed header, manifest or block, or over a device limit */
    POLICY = 2,      /* wrong class, rollback */
    SIGNATURE = 4,   /* no trusted signature, too few signers */
    CAPSULE = 8,     /* no capsule for this device, wrong content key */
    CHUNK = 16,      /* a stored chunk differs from the signed chain */
    TRUNCATED = 32,
    TRAILING = 64,
};

static int class_of(const char *reason)
{
    static const struct {
        const char *name;
        int cls;
    } names[] = {
        {"truncated", TRUNCATED}, {"trailing_bytes", TRAILING},
        {"wrong_class", POLICY}, {"rollback", POLICY},
        {"untrusted", SIGNATURE}, {"threshold", SIGNATURE}, {"revoked_key", SIGNATURE},
        {"min_key_generation_above_signer", SIGNATURE},
        {"no_capsule", CAPSULE}, {"key_commitment_mismatch", CAPSULE},
        {"chunk_hash_mismatch", CHUNK},
        {"bad_magic", FORMAT}, {"unsupported_version", FORMAT}, {"reserved_bits_set", FORMAT},
        {"bad_manifest_size", FORMAT}, {"field_order", FORMAT}, {"field_length", FORMAT},
        {"unknown_critical_field", FORMAT}, {"missing_field", FORMAT},
        {"component_count", FORMAT}, {"bad_component_name", FORMAT},
        {"duplicate_component_name", FORMAT}, {"bad_compression", FORMAT},
        {"inconsistent_sizes", FORMAT}, {"bad_chunk_size", FORMAT}, {"bad_encryption", FORMAT},
        {"bad_metadata", FORMAT}, {"bad_signature_block", FORMAT}, {"bad_capsule_block", FORMAT},
        {"manifest_above_device_limit", FORMAT}, {"chunk_above_device_limit", FORMAT},
        {"window_above_device_limit", FORMAT},
    };
    /* Anything else (inflate_error, digest_mismatch, ...) cannot follow from
     * a change to a signed container: the chain authenticates the payload
     * before it is used.  Class 0 matches no expectation. */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(reason, names[i].name))
            return names[i].cls;
    return 0;
}

/* ---- the kinds ---- */

typedef struct {
    const char *name, *pack_args, *trust, *device;
    int n_signers;
    const char *setup;   /* fwseal arguments run before pack, or NULL */
} kind;

/* Roots sign2 and sign3 (threshold 2) certify sign1, generation 5; the
 * device's key-generation floor is 5 and the manifest raises it to 5. */
#define DELEGATION_SETUP "cert issue --root sign2.key --root sign3.key --subject sign1.pub " \
                         "--generation 5 --class test/class -o sign1.cert"
#define DELEGATION_POLICY "--trust-root sign2.pub --trust-root sign3.pub --root-threshold 2 " \
                          "--min-key-generation 5"

static const kind kinds[] = {
    {"plain", "--level 0", "sign1", NULL, 1, NULL},
    {"compressed", "--level 9", "sign1", NULL, 1, NULL},
    {"x25519", "--level 6 --encrypt-to dev.pub", "sign1", "dev.key", 1, NULL},
    {"psk", "--level 6 --encrypt-to psk.key", "sign1", "psk.key", 1, NULL},
    {"three signers", "--level 6 --key sign2.key --key sign3.key", "sign1 sign2 sign3", NULL, 3, NULL},
    {"padded", "--level 6 --pad-to 512 --encrypt-to dev.pub", "sign1", "dev.key", 1, NULL},
    {"delegated", "--level 6 --cert sign1.cert --min-key-generation 5", "", NULL, 1,
     DELEGATION_SETUP},
};


/* ---- judging one case ---- */

enum { FLIP, CUT, EXTEND, SWAP, DUPLICATE, DROP, OVERWRITE, CAPSULE_SWAP, N_FAMILIES };
static const char *const family_names[N_FAMILIES] = {
    "bit flips", "truncations", "one-byte extensions", "chunk swaps", "chunk duplications",
    "chunks dropped", "chunks overwritten", "capsule swaps",
};

#define MAX_REASONS 40
typedef struct {
    const kind *k;
    test_policy tp;
    vpol vp;
    fws_key roots[2];
    uint8_t root_pubs[2][32];
    char cli_policy[256];
    size_t count[N_FAMILIES], cli_checked;
    const char *reason[MAX_REASONS];
    size_t reason_count[MAX_REASONS];
} run_state;

/* The command lines see every CLI_EVERY-th case (a process each). */
#define CLI_EVERY 211

static void cli_check(run_state *s, const uint8_t *c, size_t len, const char *want)
{
    char quoted[64];
    free(fx_write(&fx, "m.fws", c, len));
    run_result h = run("cd '%s' && %s verify m.fws --json %s", fx.dir, FWSEAL_BIN, s->cli_policy);
    run_result d = run("cd '%s' && %s check m.fws %s", fx.dir, FWSV_BIN, s->cli_policy);
    snprintf(quoted, sizeof quoted, "\"%s\"", want);
    cr_assert_eq(h.status, 1, "fwseal verify: status %d: %s", h.status, h.err);
    cr_assert(strstr(h.out, quoted), "fwseal verify --json: want reason %s: %s", want, h.out);
    cr_assert_eq(d.status, 1, "fwsv check: status %d: %s", d.status, d.err);
    cr_assert(strstr(d.err, ": rejected: ") && strstr(d.err, want), "fwsv: want %s: %s", want,
              d.err);
    run_free(&h);
    run_free(&d);
    s->cli_checked++;
}

/* Both deciders reject c with the same reason, of a class in expect;
 * returns that reason. */
static const char *judge(run_state *s, int family, const uint8_t *c, size_t len, int expect,
                  const char *what, size_t at)
{
    const char *host;
    int dev;
    size_t n = 0;
    for (int i = 0; i < N_FAMILIES; i++)
        n += s->count[i];
    cr_assert(!tp_decide(&s->tp, c, len, &host), "%s: %s %zu: decide() accepts", s->k->name,
              what, at);
    /* One case in 97 is pushed one byte at a time: the verdict must not
     * depend on how the bytes arrive. */
    dev = vp_status(&s->vp, c, len, n % 97 == 0 ? 1 : 0);
    cr_assert_neq(dev, FWS_OK, "%s: %s %zu: the verifier accepts", s->k->name, what, at);
    cr_assert_str_eq(fws_status_name(dev), host, "%s: %s %zu: verifier %s, host %s", s->k->name,
                     what, at, fws_status_name(dev), host);
    cr_assert(class_of(host) & expect, "%s: %s %zu: %s is not the expected class (%#x)",
              s->k->name, what, at, host, expect);
    if (n % CLI_EVERY == 0)
        cli_check(s, c, len, host);
    s->count[family]++;
    for (int i = 0; i < MAX_REASONS; i++)
        if (!s->reason[i] || !strcmp(s->reason[i], host)) {
            s->reason[i] = host;
            s->reason_count[i]++;
            break;
        }
    return host;
}

/* ---- the mutations ---- */

/* Where byte i lies; the classes a change there may produce. */
static int expect_at(const layout *l, size_t i)
{
    if (i < 16)   /* header: magic, version, flags, manifest length */
        return FORMAT | TRUNCATED;
    if (i < l->sig_block)   /* signed: refused before any payload byte is used; */
        return FORMAT | POLICY | SIGNATURE | TRAILING;   /* trailing: inside a record */
    if (i < l->cap_block)
        return FORMAT | SIGNATURE;
    if (i < l->payload)   /* unsigned capsules; a changed count shifts the payload */
        return FORMAT | CAPSULE | CHUNK | TRUNCATED;
    return CHUNK;
}

/* Stored chunk i: [start, start + len) of the container. */
static size_t chunk_start(const layout *l, size_t i) { return l->payload + i * (l->chunk_size + 32); }
static size_t chunk_len(const layout *l, size_t n, size_t container_len, size_t i)
{
    return i + 1 < n ? l->chunk_size + 32 : container_len - chunk_start(l, i);
}

/* out = c with [a, a+alen) replaced by the given pieces (n1, n2 may be 0). */
static size_t splice(uint8_t *out, const uint8_t *c, size_t len, size_t a, size_t alen,
                     const uint8_t *p1, size_t n1, const uint8_t *p2, size_t n2)
{
    memcpy(out, c, a);
    if (n1)
        memcpy(out + a, p1, n1);
    if (n2)
        memcpy(out + a + n1, p2, n2);
    memcpy(out + a + n1 + n2, c + a + alen, len - a - alen);
    return len - alen + n1 + n2;
}

static void bytes_and_lengths(run_state *s, uint8_t *c, size_t len, const layout *l)
{
    uint8_t *t = malloc(len + 1);
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++) {
            c[i] ^= (uint8_t)(1u << bit);
            judge(s, FLIP, c, len, expect_at(l, i), "flip at byte", i);
            c[i] ^= (uint8_t)(1u << bit);
        }
    for (size_t n = 0; n < len; n++)
        /* A cut inside the manifest may leave a shorter valid prefix of a
         * field list; elsewhere only "truncated" is right. */
        judge(s, CUT, c, n, n >= 16 && n < l->sig_block ? FORMAT | TRUNCATED : TRUNCATED,
              "truncation to", n);
    memcpy(t, c, len);
    for (int v = 0; v < 256; v++) {
        t[len] = (uint8_t)v;
        judge(s, EXTEND, t, len + 1, TRAILING, "extension by value", (size_t)v);
    }
    free(t);
}

static void chunks(run_state *s, const uint8_t *c, size_t len, const layout *l)
{
    size_t n = (size_t)((l->payload_len + l->chunk_size - 1) / l->chunk_size);
    uint8_t *t = malloc(len + l->chunk_size + 32);
    cr_assert(n >= 4, "%s: %zu chunks; the mutations want several", s->k->name, n);
    for (size_t i = 0; i < n; i++) {
        size_t a = chunk_start(l, i), al = chunk_len(l, n, len, i), tl;
        if (i + 1 < n) {   /* swapped with the next one */
            size_t b = chunk_start(l, i + 1), bl = chunk_len(l, n, len, i + 1);
            tl = splice(t, c, len, a, al + bl, c + b, bl, c + a, al);
            judge(s, SWAP, t, tl, CHUNK, "chunk swapped with the next", i);
        }
        /* Duplicated: the last chunk repeated is exactly a trailing extra. */
        tl = splice(t, c, len, a, al, c + a, al, c + a, al);
        judge(s, DUPLICATE, t, tl, i + 1 < n ? CHUNK : TRAILING, "chunk duplicated", i);
        /* Dropped: the file ends early when what is left after the gap is
         * shorter than a full stored chunk (the last one only). */
        tl = splice(t, c, len, a, al, NULL, 0, NULL, 0);
        judge(s, DROP, t, tl, i + 2 < n ? CHUNK : TRUNCATED, "chunk dropped", i);
        if (i > 0) {   /* overwritten by its predecessor (only the last is shorter) */
            memcpy(t, c, len);
            memcpy(t + a, c + chunk_start(l, i - 1), al);
            judge(s, OVERWRITE, t, len, CHUNK, "chunk overwritten by its predecessor", i);
        }
    }
    free(t);
}

/* Each capsule replaced by the same recipient's capsule from another
 * container (another content key), and by one for another recipient. */
static void capsules(run_state *s, uint8_t *c, size_t len, const layout *l)
{
    static const struct {
        const char *encrypt_to, *want;
    } donors[] = {
        {NULL, "key_commitment_mismatch"},   /* the kind's own recipient */
        {"dev2.pub", "no_capsule"},
        {"psk2.key", "no_capsule"},
    };
    size_t ncap = c[l->cap_block], entry = FWS_CAPSULE_BODY + 3;
    cr_assert_eq(l->payload - l->cap_block, 1 + ncap * entry);
    for (size_t d = 0; d < sizeof donors / sizeof donors[0]; d++) {
        char args[160];
        size_t dlen;
        layout dl;
        if (donors[d].encrypt_to)
            snprintf(args, sizeof args, "--level 6 --encrypt-to %s", donors[d].encrypt_to);
        else
            snprintf(args, sizeof args, "%s", s->k->pack_args);
        uint8_t *donor = tp_pack_small(&fx, "donor.fws", args, &dlen);
        layout_of(donor, dlen, &dl);
        cr_assert_eq(dl.payload - dl.cap_block, 1 + entry);
        for (size_t i = 0; i < ncap; i++) {
            uint8_t saved[FWS_CAPSULE_BODY + 3];
            uint8_t *at = c + l->cap_block + 1 + i * entry;
            memcpy(saved, at, entry);
            memcpy(at, donor + dl.cap_block + 1, entry);
            cr_assert_str_eq(judge(s, CAPSULE_SWAP, c, len, CAPSULE, "capsule replaced", i),
                             donors[d].want, "%s: capsule %zu from a container for %s",
                             s->k->name, i, donors[d].encrypt_to ? donors[d].encrypt_to : "it");
            memcpy(at, saved, entry);
        }
        free(donor);
    }
}

static void mutate_kind(const kind *k)
{
    static run_state s;   /* large; one kind per test process */
    size_t len, total = 0;
    layout l;
    char line[1024];
    int pos;
    memset(&s, 0, sizeof s);
    s.k = k;
    if (k->setup) {
        run_result r = run("cd '%s' && %s %s", fx.dir, FWSEAL_BIN, k->setup);
        cr_assert_eq(r.status, 0, "%s: %s", k->setup, r.err);
        run_free(&r);
    }
    uint8_t *c = tp_pack_small(&fx, "x.fws", k->pack_args, &len);
    layout_of(c, len, &l);
    tp_init(&s.tp, &fx, *k->trust ? k->n_signers : 0, k->device);
    s.tp.p.threshold = k->n_signers;
    vp_init(&s.vp, &fx, k->trust, k->device);
    s.vp.p.threshold = (uint8_t)k->n_signers;
    s.vp.p.max_chunk = FWS_MAX_CHUNK;   /* no tighter than the host, as fwsv by default */
    pos = snprintf(s.cli_policy, sizeof s.cli_policy, "--class test/class --threshold %d",
                   k->n_signers);
    if (k->setup) {   /* the delegated kind: the device trusts the roots only */
        cr_assert_eq(c[l.sig_block + 1], 2, "a delegated (type 02) signature entry");
        tp_load_key(&fx, "sign2.pub", &s.roots[0]);
        tp_load_key(&fx, "sign3.pub", &s.roots[1]);
        memcpy(s.root_pubs[0], s.roots[0].pub, 32);
        memcpy(s.root_pubs[1], s.roots[1].pub, 32);
        s.tp.p.roots = s.roots;
        s.tp.p.n_roots = s.tp.p.root_threshold = 2;
        s.tp.p.key_generation_floor = 5;
        s.vp.p.roots = (const uint8_t(*)[32])s.root_pubs;
        s.vp.p.n_roots = s.vp.p.root_threshold = 2;
        s.vp.p.key_generation_floor = 5;
        pos += snprintf(s.cli_policy + pos, sizeof s.cli_policy - (size_t)pos, " %s",
                        DELEGATION_POLICY);
    } else {
        for (int i = 0; i < k->n_signers; i++)
            pos += snprintf(s.cli_policy + pos, sizeof s.cli_policy - (size_t)pos,
                            " --trust sign%d.pub", i + 1);
    }
    if (k->device)
        snprintf(s.cli_policy + pos, sizeof s.cli_policy - (size_t)pos, " --key %s", k->device);

    cr_assert(tp_decide(&s.tp, c, len, NULL), "%s: the pristine container must pass", k->name);
    cr_assert_eq(vp_status(&s.vp, c, len, 0), FWS_OK, "%s: the verifier must accept it", k->name);
    bytes_and_lengths(&s, c, len, &l);
    chunks(&s, c, len, &l);
    if (k->device)
        capsules(&s, c, len, &l);

    pos = snprintf(line, sizeof line, "mutation: %s, %zu-byte container:", k->name, len);
    for (int f = 0; f < N_FAMILIES; f++) {
        total += s.count[f];
        if (s.count[f])
            pos += snprintf(line + pos, sizeof line - (size_t)pos, " %zu %s,", s.count[f],
                            family_names[f]);
    }
    fprintf(stderr, "%s %zu cases, each rejected by decide() and the verifier with the same "
                    "reason (%zu also by fwseal verify and fwsv)\n  reasons:",
            line, total, s.cli_checked);
    for (int i = 0; i < MAX_REASONS && s.reason[i]; i++)
        fprintf(stderr, " %s %zu", s.reason[i], s.reason_count[i]);
    fprintf(stderr, "\n");
    free(c);
}

Test(mutation, plain) { mutate_kind(&kinds[0]); }
Test(mutation, compressed) { mutate_kind(&kinds[1]); }
Test(mutation, encrypted_x25519) { mutate_kind(&kinds[2]); }
Test(mutation, encrypted_psk) { mutate_kind(&kinds[3]); }
Test(mutation, three_signers) { mutate_kind(&kinds[4]); }
Test(mutation, encrypted_padded) { mutate_kind(&kinds[5]); }
Test(mutation, delegated) { mutate_kind(&kinds[6]); }
