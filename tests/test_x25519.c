/* SPDX-License-Identifier: MIT */
/* X25519 and the shared field arithmetic.
 *
 * Oracles: RFC 7748 vectors typed in (5.2 both, the 1 and 1000 iteration
 * loop, 6.1 Alice/Bob), Wycheproof x25519_test.json, libsodium's
 * crypto_scalarmult on random inputs, and for fe25519 a small independent
 * 4x64-bit big-number reference mod p written here. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fe25519.h"
#include "testutil.h"
#include "wycheproof.h"
#include "x25519.h"

static void unhex(uint8_t *out, const char *hex, size_t len)
{
    cr_assert_eq(strlen(hex), 2 * len, "bad hex length in test: %s", hex);
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* ---- Reference arithmetic mod p = 2^255 - 19 on four 64-bit words ---- */

typedef struct {
    uint64_t w[4];
} ref_t;

/* r = a + b*2^256 reduced below 2^256 (not fully): folds 2^256 = 38. */
static ref_t ref_fold(const uint64_t lo[4], const uint64_t hi[4])
{
    unsigned __int128 acc = 0;
    uint64_t t[5];
    for (int i = 0; i < 4; i++) {
        acc += (unsigned __int128)lo[i] + (unsigned __int128)hi[i] * 38;
        t[i] = (uint64_t)acc;
        acc >>= 64;
    }
    t[4] = (uint64_t)acc; /* < 39 */
    ref_t r;
    acc = (unsigned __int128)t[4] * 38;
    for (int i = 0; i < 4; i++) {
        acc += t[i];
        r.w[i] = (uint64_t)acc;
        acc >>= 64;
    }
    if (acc) { /* one more wrap: value small, no further carry */
        acc = (unsigned __int128)r.w[0] + 38;
        r.w[0] = (uint64_t)acc;
        for (int i = 1; i < 4 && (acc >> 64); i++) {
            acc = (unsigned __int128)r.w[i] + 1;
            r.w[i] = (uint64_t)acc;
        }
    }
    return r;
}

static int ref_geq_p(const ref_t *a)
{
    static const uint64_t p[4] = {0xffffffffffffffedull, 0xffffffffffffffffull,
                                  0xffffffffffffffffull, 0x7fffffffffffffffull};
    for (int i = 3; i >= 0; i--)
        if (a->w[i] != p[i])
            return a->w[i] > p[i];
    return 1;
}

/* Full reduction of a value below 2^256. */
static ref_t ref_canon(ref_t a)
{
    /* subtract p while >= p (at most a few times for values < 2^256) */
    while (ref_geq_p(&a)) {
        unsigned __int128 acc = (unsigned __int128)a.w[0] + 19;
        a.w[0] = (uint64_t)acc;
        for (int i = 1; i < 4; i++) {
            acc = (unsigned __int128)a.w[i] + (uint64_t)(acc >> 64);
            a.w[i] = (uint64_t)acc;
        }
        a.w[3] -= 0x8000000000000000ull; /* + 19 - 2^255 = - p */
    }
    return a;
}

static ref_t ref_from_bytes(const uint8_t s[32], int mask_top)
{
    ref_t a;
    memcpy(a.w, s, 32); /* little-endian host */
    if (mask_top)
        a.w[3] &= 0x7fffffffffffffffull;
    return a;
}

static void ref_to_bytes(uint8_t s[32], ref_t a)
{
    a = ref_canon(a);
    memcpy(s, a.w, 32);
}

static ref_t ref_add(ref_t a, ref_t b)
{
    uint64_t lo[4], hi[4] = {0, 0, 0, 0};
    unsigned __int128 acc = 0;
    for (int i = 0; i < 4; i++) {
        acc += (unsigned __int128)a.w[i] + b.w[i];
        lo[i] = (uint64_t)acc;
        acc >>= 64;
    }
    hi[0] = (uint64_t)acc;
    return ref_fold(lo, hi);
}

static ref_t ref_mul(ref_t a, ref_t b)
{
    uint64_t t[8] = {0};
    for (int i = 0; i < 4; i++) {
        unsigned __int128 acc = 0;
        for (int j = 0; j < 4; j++) {
            acc += (unsigned __int128)a.w[i] * b.w[j] + t[i + j];
            t[i + j] = (uint64_t)acc;
            acc >>= 64;
        }
        t[i + 4] = (uint64_t)acc;
    }
    return ref_fold(t, t + 4);
}

static ref_t ref_sub(ref_t a, ref_t b)
{
    /* a + (2p - b) with b canonicalised first */
    b = ref_canon(b);
    static const ref_t twop = {{0xffffffffffffffdaull, 0xffffffffffffffffull,
                                0xffffffffffffffffull, 0xffffffffffffffffull}};
    ref_t nb;
    unsigned __int128 acc = 0;
    uint64_t borrow = 0;
    for (int i = 0; i < 4; i++) {
        acc = (unsigned __int128)twop.w[i] - b.w[i] - borrow;
        nb.w[i] = (uint64_t)acc;
        borrow = (uint64_t)(acc >> 64) ? 1 : 0;
    }
    return ref_add(a, nb);
}

static ref_t ref_small(uint64_t v)
{
    ref_t r = {{v, 0, 0, 0}};
    return r;
}

static ref_t ref_pow(ref_t a, const uint8_t e[32])
{
    ref_t r = ref_small(1);
    for (int i = 255; i >= 0; i--) {
        r = ref_mul(r, r);
        if ((e[i >> 3] >> (i & 7)) & 1)
            r = ref_mul(r, a);
    }
    return r;
}

/* Value of an fe's limbs (any sizes), mod p. */
static ref_t ref_from_limbs(const fws_fe25519 f)
{
    ref_t r = ref_small(0);
    for (int i = 9; i >= 0; i--) {
        /* r = r * 2^(o(i+1) - o(i)) + f[i], weights applied top-down */
        int w = (i & 1) ? 25 : 26;
        if (i < 9)
            r = ref_mul(r, ref_small(1ull << w));
        r = ref_add(r, ref_small(f[i]));
    }
    return r;
}

static void check_fe(const fws_fe25519 got, ref_t want, const char *what)
{
    uint8_t a[32], b[32];
    fws_fe25519_tobytes(a, got);
    ref_to_bytes(b, want);
    cr_assert_eq(memcmp(a, b, 32), 0, "%s mismatch", what);
    /* tobytes must give a canonical encoding */
    cr_assert_eq(a[31] & 0x80, 0, "%s: top bit set", what);
}

/* Field elements with extreme limbs, within the "tight" bound. */
static void extreme_fe(fws_fe25519 f, int kind)
{
    for (int i = 0; i < 10; i++) {
        uint32_t max = (i & 1) ? 0x1ffffffu : 0x3ffffffu;
        switch (kind) {
        case 0: f[i] = max; break;                                     /* 2^255 - 1 */
        case 1: f[i] = (i == 1) ? (1u << 25) + (1u << 18) - 1 : max; break; /* tight limit */
        case 2: f[i] = 0; break;
        case 3: f[i] = (i == 0) ? 0x3ffffedu : max; break;             /* p */
        case 4: f[i] = (i == 0) ? 0x3ffffecu : max; break;             /* p - 1 */
        default: f[i] = (uint32_t)rnd() & max; break;
        }
    }
}

static void random_fe(fws_fe25519 f, uint8_t s[32])
{
    for (int i = 0; i < 32; i++)
        s[i] = (uint8_t)rnd();
    fws_fe25519_frombytes(f, s);
}

Test(fe25519, frombytes_tobytes_edges)
{
    static const char *cases[] = {
        /* 0, 1, p-1, p, p+1, 2^255-1, 2^255-20 (p-1 again below 2^255),
         * top bit set on 1 */
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "0100000000000000000000000000000000000000000000000000000000000080",
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        uint8_t s[32];
        fws_fe25519 f;
        unhex(s, cases[k], 32);
        fws_fe25519_frombytes(f, s);
        check_fe(f, ref_from_bytes(s, 1), cases[k]);
    }
}

Test(fe25519, operations_vs_reference)
{
    uint8_t sa[32], sb[32], sc[32];
    fws_fe25519 a, b, c, h, l1, l2;

    for (int iter = 0; iter < 3000; iter++) {
        if (iter < 36) { /* every pair of extreme kinds first */
            extreme_fe(a, iter / 6);
            extreme_fe(b, iter % 6);
        } else {
            random_fe(a, sa);
            random_fe(b, sb);
        }
        random_fe(c, sc);
        ref_t ra = ref_from_limbs(a), rb = ref_from_limbs(b), rc = ref_from_limbs(c);

        fws_fe25519_mul(h, a, b);
        check_fe(h, ref_mul(ra, rb), "mul");
        fws_fe25519_sq(h, a);
        check_fe(h, ref_mul(ra, ra), "sq");
        fws_fe25519_add(h, a, b);
        check_fe(h, ref_add(ra, rb), "add");
        fws_fe25519_sub(h, a, b);
        check_fe(h, ref_sub(ra, rb), "sub");
        fws_fe25519_neg(h, a);
        check_fe(h, ref_sub(ref_small(0), ra), "neg");
        fws_fe25519_mul_small(h, a, 121665);
        check_fe(h, ref_mul(ra, ref_small(121665)), "mul_small");

        /* Loose operands at the documented limit: sums of three tight
         * elements into mul, sq, sub and tobytes. */
        fws_fe25519_add(l1, a, b);
        fws_fe25519_add(l1, l1, c);
        fws_fe25519_add(l2, b, c);
        fws_fe25519_add(l2, l2, a);
        ref_t rl1 = ref_add(ref_add(ra, rb), rc), rl2 = ref_add(ref_add(rb, rc), ra);
        check_fe(l1, rl1, "loose tobytes");
        fws_fe25519_mul(h, l1, l2);
        check_fe(h, ref_mul(rl1, rl2), "mul loose");
        fws_fe25519_sq(h, l1);
        check_fe(h, ref_mul(rl1, rl1), "sq loose");
        fws_fe25519_sub(h, l1, l2);
        check_fe(h, ref_sub(rl1, rl2), "sub loose");
        fws_fe25519_mul_small(h, l1, 121666);
        check_fe(h, ref_mul(rl1, ref_small(121666)), "mul_small loose");

        /* In place. */
        fws_fe25519_copy(h, a);
        fws_fe25519_mul(h, h, h);
        check_fe(h, ref_mul(ra, ra), "mul in place");

        /* cswap / cmov */
        fws_fe25519 x, y;
        fws_fe25519_copy(x, a);
        fws_fe25519_copy(y, b);
        fws_fe25519_cswap(x, y, 0);
        cr_assert_eq(memcmp(x, a, sizeof x), 0);
        fws_fe25519_cswap(x, y, 1);
        cr_assert_eq(memcmp(x, b, sizeof x), 0);
        cr_assert_eq(memcmp(y, a, sizeof y), 0);
        fws_fe25519_cmov(x, a, 0);
        cr_assert_eq(memcmp(x, b, sizeof x), 0);
        fws_fe25519_cmov(x, a, 1);
        cr_assert_eq(memcmp(x, a, sizeof x), 0);

        uint8_t enc[32];
        ref_to_bytes(enc, ra);
        cr_assert_eq(fws_fe25519_isnegative(a), enc[0] & 1);
        int zero = 1;
        for (int i = 0; i < 32; i++)
            zero &= enc[i] == 0;
        cr_assert_eq(fws_fe25519_iszero(a), zero);
    }
}

Test(fe25519, worst_case_loose_operands)
{
    /* Three times the largest tight element (limb 1 at 2^25 + 2^18 - 1):
     * the bound the header documents for mul, sq, sub and tobytes. */
    fws_fe25519 t, l, h;
    extreme_fe(t, 1);
    fws_fe25519_add(l, t, t);
    fws_fe25519_add(l, l, t);
    ref_t rt = ref_from_limbs(t), rl = ref_add(ref_add(rt, rt), rt);
    check_fe(l, rl, "3 tight");
    fws_fe25519_mul(h, l, l);
    check_fe(h, ref_mul(rl, rl), "mul 3 tight");
    fws_fe25519_sq(h, l);
    check_fe(h, ref_mul(rl, rl), "sq 3 tight");
    fws_fe25519_sub(h, l, l);
    check_fe(h, ref_small(0), "sub 3 tight");
    fws_fe25519_neg(h, l);
    check_fe(h, ref_sub(ref_small(0), rl), "neg 3 tight");
    fws_fe25519_mul_small(h, l, (1u << 20) - 1);
    check_fe(h, ref_mul(rl, ref_small((1u << 20) - 1)), "mul_small 3 tight");
}

Test(fe25519, invert_and_pow22523_vs_reference)
{
    uint8_t pm2[32], p58[32], s[32];
    /* p - 2 = 2^255 - 21 and (p - 5) / 8 = 2^252 - 3, little-endian */
    memset(pm2, 0xff, 32);
    pm2[0] = 0xeb;
    pm2[31] = 0x7f;
    memset(p58, 0xff, 32);
    p58[0] = 0xfd;
    p58[31] = 0x0f;
    for (int iter = 0; iter < 40; iter++) {
        fws_fe25519 a, h;
        if (iter < 5)
            extreme_fe(a, iter);
        else
            random_fe(a, s);
        ref_t ra = ref_from_limbs(a);
        fws_fe25519_invert(h, a);
        check_fe(h, ref_pow(ra, pm2), "invert");
        fws_fe25519_pow22523(h, a);
        check_fe(h, ref_pow(ra, p58), "pow22523");
    }
    fws_fe25519 z, h;
    fws_fe25519_0(z);
    fws_fe25519_invert(h, z);
    cr_assert_eq(fws_fe25519_iszero(h), 1, "1/0 must give 0");
}

/* ---- X25519 ---- */

static void x25519_hex(const char *k, const char *u, const char *want)
{
    uint8_t sk[32], pu[32], w[32], out[32];
    unhex(sk, k, 32);
    unhex(pu, u, 32);
    unhex(w, want, 32);
    cr_assert_eq(fws_x25519(out, sk, pu), 0);
    cr_assert_eq(memcmp(out, w, 32), 0, "X25519(%s, %s)", k, u);
}

Test(x25519, rfc7748_section5_2)
{
    x25519_hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
               "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
               "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    /* The second u has its top bit set: it must be ignored. */
    x25519_hex("4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
               "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
               "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
}

Test(x25519, rfc7748_iterations)
{
    uint8_t k[32] = {9}, u[32] = {9}, r[32], w1[32], w1000[32];
    unhex(w1, "422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", 32);
    unhex(w1000, "684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", 32);
    for (int i = 1; i <= 1000; i++) {
        cr_assert_eq(fws_x25519(r, k, u), 0);
        memcpy(u, k, 32);
        memcpy(k, r, 32);
        if (i == 1)
            cr_assert_eq(memcmp(k, w1, 32), 0, "after 1 iteration");
    }
    cr_assert_eq(memcmp(k, w1000, 32), 0, "after 1000 iterations");
}

Test(x25519, rfc7748_section6_1_alice_bob)
{
    uint8_t a[32], b[32], pa[32], pb[32], base[32] = {9}, out[32], ka[32], kb[32];
    unhex(a, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a", 32);
    unhex(b, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb", 32);
    unhex(pa, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a", 32);
    unhex(pb, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f", 32);
    unhex(kb, "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742", 32);
    cr_assert_eq(fws_x25519(out, a, base), 0);
    cr_assert_eq(memcmp(out, pa, 32), 0, "Alice's public key");
    cr_assert_eq(fws_x25519(out, b, base), 0);
    cr_assert_eq(memcmp(out, pb, 32), 0, "Bob's public key");
    cr_assert_eq(fws_x25519(ka, a, pb), 0);
    cr_assert_eq(memcmp(ka, kb, 32), 0, "Alice's shared secret");
    cr_assert_eq(fws_x25519(ka, b, pa), 0);
    cr_assert_eq(memcmp(ka, kb, 32), 0, "Bob's shared secret");
}

typedef struct {
    int cases, zero_results, skipped;
} wp_x_state;

static void wp_x25519_case(const wp_case *c, void *user)
{
    wp_x_state *st = user;
    size_t pl, kl, sl;
    uint8_t *pub = wp_hex(c, "public", &pl);
    uint8_t *priv = wp_hex(c, "private", &kl);
    uint8_t *shared = wp_hex(c, "shared", &sl);
    long id = wp_int(c, "tcId");
    char *curve = wp_str(c, "curve");

    cr_assert(pub && priv && shared, "tcId %ld: missing fields", id);
    if (curve == NULL || strcmp(curve, "curve25519") != 0 || pl != 32 || kl != 32 || sl != 32) {
        st->skipped++;
    } else {
        uint8_t ours[32], theirs[32];
        int rc = fws_x25519(ours, priv, pub);
        int src = crypto_scalarmult(theirs, priv, pub);
        cr_assert_eq(memcmp(ours, shared, 32), 0, "tcId %ld: shared secret", id);
        cr_assert_eq(rc, src, "tcId %ld: return %d, libsodium %d", id, rc, src);
        if (src == 0)
            cr_assert_eq(memcmp(ours, theirs, 32), 0, "tcId %ld: libsodium output", id);
        st->zero_results += rc != 0;
        st->cases++;
    }
    free(curve);
    free(pub);
    free(priv);
    free(shared);
}

Test(x25519, wycheproof_matches_expected_and_libsodium)
{
    if (!vectors_available("x25519 wycheproof"))
        return;
    cr_assert_eq(sodium_init() >= 0, 1);
    wp_x_state st = {0, 0, 0};
    int n = wp_foreach(VECTORS_DIR "/wycheproof/x25519_test.json", wp_x25519_case, &st);
    cr_assert_gt(n, 500, "read %d cases", n);
    cr_assert_eq(st.skipped, 0);
    fprintf(stderr, "x25519 wycheproof: %d cases, %d all-zero results (-1)\n", st.cases,
            st.zero_results);
}

Test(x25519, random_vs_libsodium)
{
    cr_assert_eq(sodium_init() >= 0, 1);
    for (int i = 0; i < 2500; i++) {
        uint8_t k[32], u[32], ours[32], theirs[32];
        fill_random(k, 32, 1000 + (uint64_t)i);
        fill_random(u, 32, 900000 + (uint64_t)i);
        switch (i % 4) {
        case 0: u[31] |= 0x80; break;  /* top bit set: ignored */
        case 1: u[31] &= 0x7f; break;
        case 2: { /* a real public key */
            uint8_t sk[32];
            fill_random(sk, 32, 77777 + (uint64_t)i);
            crypto_scalarmult_base(u, sk);
            break;
        }
        default: break;
        }
        int rc = fws_x25519(ours, k, u);
        int src = crypto_scalarmult(theirs, k, u);
        cr_assert_eq(rc, src, "case %d", i);
        if (src == 0)
            cr_assert_eq(memcmp(ours, theirs, 32), 0, "case %d", i);
    }
}

Test(x25519, small_order_and_noncanonical_u_vs_libsodium)
{
    /* u = 0, 1, the two order-8 points, p-1, p, p+1, and values just below
     * 2^255 (non-canonical u + p), each also with the top bit set. */
    static const char *us[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "f0ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "0900000000000000000000000000000000000000000000000000000000000000",
    };
    cr_assert_eq(sodium_init() >= 0, 1);
    int zeros = 0;
    for (size_t j = 0; j < sizeof us / sizeof us[0]; j++) {
        for (int top = 0; top < 2; top++) {
            for (int s = 0; s < 20; s++) {
                uint8_t k[32], u[32], ours[32], theirs[32];
                unhex(u, us[j], 32);
                if (top)
                    u[31] |= 0x80;
                fill_random(k, 32, 4242 + (uint64_t)s);
                int rc = fws_x25519(ours, k, u);
                int src = crypto_scalarmult(theirs, k, u);
                cr_assert_eq(rc, src, "u %s top %d", us[j], top);
                if (src == 0)
                    cr_assert_eq(memcmp(ours, theirs, 32), 0, "u %s", us[j]);
                else {
                    static const uint8_t z[32];
                    cr_assert_eq(memcmp(ours, z, 32), 0, "rejected output must be zero");
                    zeros++;
                }
            }
        }
    }
    cr_assert_eq(zeros, 7 * 2 * 20, "the seven small-order encodings, both top bits");
}

Test(x25519, output_may_alias_inputs)
{
    uint8_t k[32], u[32], ref[32], buf[32];
    fill_random(k, 32, 1);
    fill_random(u, 32, 2);
    cr_assert_eq(crypto_scalarmult(ref, k, u), 0);
    memcpy(buf, k, 32);
    cr_assert_eq(fws_x25519(buf, buf, u), 0);
    cr_assert_eq(memcmp(buf, ref, 32), 0);
    memcpy(buf, u, 32);
    cr_assert_eq(fws_x25519(buf, k, buf), 0);
    cr_assert_eq(memcmp(buf, ref, 32), 0);
}
