/* SPDX-License-Identifier: MIT */
/* Ed25519 verification: every decision must equal libsodium 1.0.18's
 * crypto_sign_verify_detached.
 *
 * Oracles: RFC 8032 section 7.1 vectors typed in (cross-checked against
 * libsodium's own key derivation and signing), Wycheproof
 * ed25519_test.json, random valid signatures from libsodium plus one-bit
 * mutations, and adversarial signatures built here with libsodium's scalar
 * and point arithmetic: small-order and mixed-order R and A, S + kL
 * malleations, non-canonical encodings, keys off the curve. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ed25519_verify.h"
#include "testutil.h"
#include "wycheproof.h"

/* The verifier again with larger windows than the defaults (2 and 2): four
 * multiples of A (the table built with 2A parked in the last slot) and the
 * whole base-point table (B, 3B, ..., 15B), renamed, so both table paths
 * and every base-point entry are checked against libsodium. */
#define fws_ed25519_verify fws_ed25519_verify_wide
#undef FWS_ED25519_WINDOW
#define FWS_ED25519_WINDOW 4
#undef FWS_ED25519_B_WINDOW
#define FWS_ED25519_B_WINDOW 5
#undef FWS_ED25519_VERIFY_H
#include "../verifier/ed25519_verify.c"
#undef fws_ed25519_verify
int fws_ed25519_verify(const uint8_t sig[FWS_ED25519_SIG_LEN], const uint8_t *msg,
                       size_t msg_len, const uint8_t pub[FWS_ED25519_PUB_LEN]);

static void unhex(uint8_t *out, const char *hex, size_t len)
{
    cr_assert_eq(strlen(hex), 2 * len, "bad hex length in test: %s", hex);
    for (size_t i = 0; i < len; i++) {
        unsigned v;
        cr_assert_eq(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static void init_sodium(void)
{
    cr_assert_eq(sodium_init() >= 0, 1);
}

/* Our decision (both window configurations) must equal libsodium's; returns it. */
static int same_decision(const uint8_t sig[64], const uint8_t *msg, size_t len,
                         const uint8_t pub[32], const char *what, int n)
{
    int ours = fws_ed25519_verify(sig, msg, len, pub);
    int wide = fws_ed25519_verify_wide(sig, msg, len, pub);
    int theirs = crypto_sign_verify_detached(sig, msg, len, pub);
    cr_assert_eq(ours, theirs, "%s #%d: ours %d, libsodium %d", what, n, ours, theirs);
    cr_assert_eq(wide, theirs, "%s #%d (windows 4, 5): ours %d, libsodium %d", what, n, wide, theirs);
    return ours;
}

/* ---- Signing with explicit scalars, via libsodium's arithmetic ---- */

typedef struct {
    uint8_t a[32]; /* secret scalar, < L */
    uint8_t A[32]; /* encoding used as the public key */
} keypair;

static void key_from_seed(keypair *k, uint64_t seed)
{
    uint8_t wide[64];
    fill_random(wide, 64, seed);
    crypto_core_ed25519_scalar_reduce(k->a, wide);
    cr_assert_eq(crypto_scalarmult_ed25519_base_noclamp(k->A, k->a), 0);
}

/* h = SHA-512(R || A || M) mod L with libsodium. */
static void challenge(uint8_t h[32], const uint8_t R[32], const uint8_t A[32],
                      const uint8_t *msg, size_t len)
{
    crypto_hash_sha512_state st;
    uint8_t d[64];
    crypto_hash_sha512_init(&st);
    crypto_hash_sha512_update(&st, R, 32);
    crypto_hash_sha512_update(&st, A, 32);
    crypto_hash_sha512_update(&st, msg, len);
    crypto_hash_sha512_final(&st, d);
    crypto_core_ed25519_scalar_reduce(h, d);
}

/* sig = (R, r + h a) for the given R encoding, nonce scalar r, secret a
 * and public encoding A. */
static void sign_raw(uint8_t sig[64], const uint8_t R[32], const uint8_t r[32],
                     const uint8_t a[32], const uint8_t A[32], const uint8_t *msg, size_t len)
{
    uint8_t h[32], ha[32];
    challenge(h, R, A, msg, len);
    crypto_core_ed25519_scalar_mul(ha, h, a);
    memcpy(sig, R, 32);
    crypto_core_ed25519_scalar_add(sig + 32, r, ha);
}

static void random_scalar(uint8_t s[32], uint64_t seed)
{
    uint8_t wide[64];
    fill_random(wide, 64, seed);
    crypto_core_ed25519_scalar_reduce(s, wide);
}

/* The seven small-order y values (libsodium's list), little-endian hex. */
static const char *small_order_y[7] = {
    "0000000000000000000000000000000000000000000000000000000000000000", /* order 4 */
    "0100000000000000000000000000000000000000000000000000000000000000", /* identity */
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05", /* order 8 */
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a", /* order 8 */
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* order 2 */
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p = 0 */
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p+1 = 1 */
};

/* ---- RFC 8032 ---- */

typedef struct {
    const char *seed, *pub, *msg, *sig;
} rfc_vector;

static const rfc_vector rfc8032[] = {
    {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
     "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
     "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
     "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    /* TEST SHA(abc): the message is SHA-512("abc") */
    {"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
     "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

Test(ed25519, rfc8032_vectors)
{
    init_sodium();
    for (size_t v = 0; v < sizeof rfc8032 / sizeof rfc8032[0]; v++) {
        uint8_t seed[32], pub[32], sig[64], msg[64], pk[32], sk[64], sig2[64];
        size_t len = strlen(rfc8032[v].msg) / 2;
        unhex(seed, rfc8032[v].seed, 32);
        unhex(pub, rfc8032[v].pub, 32);
        unhex(sig, rfc8032[v].sig, 64);
        unhex(msg, rfc8032[v].msg, len);
        /* The typed vector agrees with libsodium's derivation and signing. */
        crypto_sign_seed_keypair(pk, sk, seed);
        cr_assert_eq(memcmp(pk, pub, 32), 0, "vector %zu: public key typo?", v);
        crypto_sign_detached(sig2, NULL, msg, len, sk);
        cr_assert_eq(memcmp(sig2, sig, 64), 0, "vector %zu: signature typo?", v);

        cr_assert_eq(fws_ed25519_verify(sig, msg, len, pub), 0, "vector %zu", v);
        cr_assert_eq(fws_ed25519_verify_wide(sig, msg, len, pub), 0, "vector %zu", v);
        if (len == 0)
            cr_assert_eq(fws_ed25519_verify(sig, NULL, 0, pub), 0);
        /* Any single bit flip anywhere must be rejected. */
        for (int bit = 0; bit < 64 * 8; bit += 7) {
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            cr_assert_eq(same_decision(sig, msg, len, pub, "rfc sig flip", bit), -1);
            sig[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        for (int bit = 0; bit < 32 * 8; bit += 5) {
            pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            cr_assert_eq(same_decision(sig, msg, len, pub, "rfc pub flip", bit), -1);
            pub[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
        for (size_t bit = 0; bit < len * 8; bit += 3) {
            msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            cr_assert_eq(same_decision(sig, msg, len, pub, "rfc msg flip", (int)bit), -1);
            msg[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
}

/* ---- Wycheproof ---- */

typedef struct {
    int cases, accepted, differ_from_label, short_or_long_sig;
    char differing[512];
} wp_ed_state;

static void wp_ed25519_case(const wp_case *c, void *user)
{
    wp_ed_state *st = user;
    size_t pl, ml, sl;
    uint8_t *pub = wp_hex(c, "pk", &pl);
    uint8_t *msg = wp_hex(c, "msg", &ml);
    uint8_t *sig = wp_hex(c, "sig", &sl);
    char *result = wp_str(c, "result");
    long id = wp_int(c, "tcId");
    int ours;

    cr_assert(pub && msg && sig && result, "tcId %ld: missing fields", id);
    cr_assert_eq(pl, 32, "tcId %ld: key size", id);
    if (sl != 64) {
        /* The API takes exactly 64 bytes: a caller can only reject these,
         * and libsodium's detached API cannot even be asked. */
        ours = -1;
        st->short_or_long_sig++;
    } else {
        ours = same_decision(sig, msg, ml, pub, "wycheproof tcId", (int)id);
    }
    int label_valid = strcmp(result, "valid") == 0;
    if ((ours == 0) != label_valid) {
        size_t n = strlen(st->differing);
        snprintf(st->differing + n, sizeof st->differing - n, " %ld(%s)", id, result);
        st->differ_from_label++;
    }
    st->accepted += ours == 0;
    st->cases++;
    free(pub);
    free(msg);
    free(sig);
    free(result);
}

Test(ed25519, wycheproof_same_decision_as_libsodium)
{
    if (!vectors_available("ed25519 wycheproof"))
        return;
    init_sodium();
    wp_ed_state st;
    memset(&st, 0, sizeof st);
    int n = wp_foreach(VECTORS_DIR "/wycheproof/ed25519_test.json", wp_ed25519_case, &st);
    cr_assert_gt(n, 100, "read %d cases", n);
    fprintf(stderr,
            "ed25519 wycheproof: %d cases (%d with a signature not 64 bytes), %d accepted, "
            "%d differ from Wycheproof's label:%s\n",
            st.cases, st.short_or_long_sig, st.accepted, st.differ_from_label, st.differing);
}

/* ---- Random signatures and one-bit mutations ---- */

Test(ed25519, random_signatures_and_bit_flips_vs_libsodium)
{
    enum { N = 5000, MAXMSG = 300 };
    uint8_t seed[32], pk[32], sk[64], sig[64], msg[MAXMSG], rnd[16];
    int flipped_accepts = 0;

    init_sodium();
    for (int i = 0; i < N; i++) {
        fill_random(seed, 32, 10000 + (uint64_t)i);
        fill_random(rnd, sizeof rnd, 20000 + (uint64_t)i);
        size_t len = (size_t)(rnd[0] | rnd[1] << 8) % (MAXMSG + 1);
        if (i % 50 == 0)
            len = 0;
        fill_random(msg, len, 30000 + (uint64_t)i);
        crypto_sign_seed_keypair(pk, sk, seed);
        crypto_sign_detached(sig, NULL, msg, len, sk);
        cr_assert_eq(same_decision(sig, msg, len, pk, "random valid", i), 0);

        /* One random bit flip in sig, pub or msg. */
        unsigned where = rnd[2] % 3, bitpick = (unsigned)(rnd[3] | rnd[4] << 8 | rnd[5] << 16);
        if (where == 2 && len == 0)
            where = bitpick & 1;
        uint8_t *buf = where == 0 ? sig : where == 1 ? pk : msg;
        size_t nbits = (where == 0 ? 64 : where == 1 ? 32 : len) * 8;
        size_t bit = bitpick % nbits;
        buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        flipped_accepts += same_decision(sig, msg, len, pk, "random flipped", i) == 0;
    }
    /* Flipping one of the top bits of S that do not reach S >= L is the
     * only flip libsodium itself might accept; it never does here. */
    cr_assert_eq(flipped_accepts, 0);
}

/* ---- Adversarial sets ---- */

Test(ed25519, small_order_R_rejected)
{
    init_sodium();
    keypair k;
    int n = 0;
    key_from_seed(&k, 1);
    for (int y = 0; y < 7; y++) {
        for (int sign = 0; sign < 2; sign++) {
            for (int m = 0; m < 4; m++) {
                uint8_t R[32], zero[32] = {0}, sig[64], msg[8];
                unhex(R, small_order_y[y], 32);
                R[31] |= (uint8_t)(sign << 7);
                fill_random(msg, sizeof msg, (uint64_t)(y * 10 + m));
                /* S = h a, so [S]B - [h]A is the identity: valid for
                 * R = identity without the small-order check, and valid
                 * for every small-order R under a cofactored equation. */
                sign_raw(sig, R, zero, k.a, k.A, msg, sizeof msg);
                cr_assert_eq(same_decision(sig, msg, sizeof msg, k.A, "small-order R", n++), -1);
            }
        }
    }
}

Test(ed25519, small_order_A_rejected)
{
    init_sodium();
    int n = 0;
    for (int y = 0; y < 7; y++) {
        for (int sign = 0; sign < 2; sign++) {
            uint8_t A[32], r[32], R[32], h[32], sig[64], msg[8];
            unhex(A, small_order_y[y], 32);
            A[31] |= (uint8_t)(sign << 7);
            random_scalar(r, (uint64_t)(100 + y));
            cr_assert_eq(crypto_scalarmult_ed25519_base_noclamp(R, r), 0);
            /* Find a message with h = 0 mod 8, so [h]A is the identity and
             * (R, r) satisfies [S]B - [h]A = R: valid but for the check. */
            for (uint64_t m = 0;; m++) {
                fill_random(msg, sizeof msg, 5000 + m);
                challenge(h, R, A, msg, sizeof msg);
                if ((h[0] & 7) == 0)
                    break;
            }
            memcpy(sig, R, 32);
            memcpy(sig + 32, r, 32);
            cr_assert_eq(same_decision(sig, msg, sizeof msg, A, "small-order A", n++), -1);
            /* and any other signature under that key */
            fill_random(sig, 64, (uint64_t)(700 + y));
            sig[63] &= 0x0f;
            cr_assert_eq(same_decision(sig, msg, sizeof msg, A, "small-order A random", n++), -1);
        }
    }
}

Test(ed25519, mixed_order_keys_and_R_cofactorless)
{
    /* A = aB + T with T of order 8: a canonical key that is not small
     * order, which libsodium 1.0.18 accepts.  With R = rB, S = r + h a:
     * [S]B - [h]A = R - [h]T, equal to R exactly when h = 0 mod 8.  Both
     * verdicts must follow libsodium (accept when h = 0 mod 8, else
     * reject: the cofactorless equation). */
    init_sodium();
    int accepted = 0, rejected = 0, n = 0;
    for (int t = 2; t < 4; t++) {
        uint8_t T[32];
        unhex(T, small_order_y[t], 32);
        for (int sign = 0; sign < 2; sign++) {
            T[31] = (uint8_t)((T[31] & 0x7f) | sign << 7);
            for (int i = 0; i < 40; i++) {
                keypair k;
                uint8_t aB[32], r[32], R[32], sig[64], msg[16];
                key_from_seed(&k, (uint64_t)(t * 1000 + sign * 100 + i));
                memcpy(aB, k.A, 32);
                cr_assert_eq(crypto_core_ed25519_add(k.A, aB, T), 0, "point addition");
                random_scalar(r, (uint64_t)(9000 + n));
                cr_assert_eq(crypto_scalarmult_ed25519_base_noclamp(R, r), 0);
                fill_random(msg, sizeof msg, (uint64_t)(77000 + n));
                sign_raw(sig, R, r, k.a, k.A, msg, sizeof msg);
                int d = same_decision(sig, msg, sizeof msg, k.A, "mixed-order A", n);
                uint8_t h[32];
                challenge(h, R, k.A, msg, sizeof msg);
                cr_assert_eq(d == 0, (h[0] & 7) == 0, "cofactorless equation, #%d", n);
                accepted += d == 0;
                rejected += d != 0;

                /* Mixed-order R = rB + T with a prime-order key: rejected
                 * cofactorless, accepted by a cofactored verifier. */
                keypair k2;
                uint8_t R2[32];
                key_from_seed(&k2, (uint64_t)(55000 + n));
                cr_assert_eq(crypto_core_ed25519_add(R2, R, T), 0);
                sign_raw(sig, R2, r, k2.a, k2.A, msg, sizeof msg);
                cr_assert_eq(same_decision(sig, msg, sizeof msg, k2.A, "mixed-order R", n), -1);
                n++;
            }
        }
    }
    fprintf(stderr, "ed25519 mixed-order keys: %d accepted (h = 0 mod 8), %d rejected\n",
            accepted, rejected);
    cr_assert_gt(accepted, 0);
    cr_assert_gt(rejected, 0);
}

/* 256-bit little-endian a += b; returns the carry out. */
static int add256(uint8_t a[32], const uint8_t b[32])
{
    unsigned c = 0;
    for (int i = 0; i < 32; i++) {
        c += (unsigned)a[i] + b[i];
        a[i] = (uint8_t)c;
        c >>= 8;
    }
    return (int)c;
}

Test(ed25519, malleated_and_edge_S)
{
    static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                  0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                  0,    0,    0,    0,    0,    0,    0,    0,
                                  0,    0,    0,    0,    0,    0,    0,    0x10};
    init_sodium();
    int n = 0;
    for (int i = 0; i < 60; i++) {
        uint8_t seed[32], pk[32], sk[64], sig[64], s2[64], msg[32];
        fill_random(seed, 32, (uint64_t)(123 + i));
        fill_random(msg, 32, (uint64_t)(456 + i));
        crypto_sign_seed_keypair(pk, sk, seed);
        crypto_sign_detached(sig, NULL, msg, 32, sk);
        cr_assert_eq(same_decision(sig, msg, 32, pk, "unmalleated", n++), 0);

        /* S + kL for every k that still fits in 256 bits: same point
         * [S]B, so valid without the S < L check. */
        memcpy(s2, sig, 64);
        for (int k = 1; k < 16; k++) {
            if (add256(s2 + 32, L))
                break;
            cr_assert_eq(same_decision(s2, msg, 32, pk, "S + kL", n++), -1);
        }
        /* Top bits set. */
        static const uint8_t tops[] = {0x10, 0x20, 0x40, 0x80, 0xe0, 0xf0};
        for (size_t t = 0; t < sizeof tops; t++) {
            memcpy(s2, sig, 64);
            s2[63] |= tops[t];
            cr_assert_eq(same_decision(s2, msg, 32, pk, "S top bits", n++), -1);
        }
    }
    /* S = L, L - 1, L + 1, 2^252 - 1, 2^253, 0 and 2^256 - 1 with a valid R
     * and key: decisions as libsodium's (S < L passes the first check and
     * then fails the equation). */
    uint8_t seed[32], pk[32], sk[64], sig[64], msg[5] = "hello";
    fill_random(seed, 32, 99);
    crypto_sign_seed_keypair(pk, sk, seed);
    crypto_sign_detached(sig, NULL, msg, 5, sk);
    uint8_t vals[7][32];
    memcpy(vals[0], L, 32);
    memcpy(vals[1], L, 32);
    vals[1][0]--;
    memcpy(vals[2], L, 32);
    vals[2][0]++;
    memset(vals[3], 0xff, 32);
    vals[3][31] = 0x0f;
    memset(vals[4], 0, 32);
    vals[4][31] = 0x20;
    memset(vals[5], 0, 32);
    memset(vals[6], 0xff, 32);
    for (int v = 0; v < 7; v++) {
        memcpy(sig + 32, vals[v], 32);
        cr_assert_eq(same_decision(sig, msg, 5, pk, "edge S", v), -1);
    }
    /* A valid signature with S exactly L - 1 cannot be built (R enters
     * the hash that fixes S); S = L - 1 above is checked as a plain
     * rejection that passes the S < L test. */
}

Test(ed25519, sign_raw_helper_makes_valid_signatures)
{
    /* The adversarial constructions rely on sign_raw; with an honest
     * R = [r]B it must give signatures both verifiers accept. */
    init_sodium();
    keypair k;
    key_from_seed(&k, 31337);
    for (int m = 0; m < 8; m++) {
        uint8_t r[32], R[32], s3[64], msg2[8];
        random_scalar(r, (uint64_t)(m + 1));
        fill_random(msg2, sizeof msg2, (uint64_t)(m + 40));
        cr_assert_eq(crypto_scalarmult_ed25519_base_noclamp(R, r), 0);
        sign_raw(s3, R, r, k.a, k.A, msg2, sizeof msg2);
        cr_assert_eq(same_decision(s3, msg2, sizeof msg2, k.A, "sign_raw valid", m), 0);
    }
}

/* Encoding of y = p + k (k < 19, so still below 2^255), sign bit s. */
static void noncanonical(uint8_t out[32], int k, int s)
{
    memset(out, 0xff, 32);
    out[0] = (uint8_t)(0xed + k);
    out[31] = (uint8_t)(0x7f | s << 7);
}

Test(ed25519, noncanonical_A_rejected)
{
    init_sodium();
    keypair k;
    key_from_seed(&k, 4);
    int n = 0, decodes = 0;
    for (int y = 0; y < 19; y++) {
        for (int s = 0; s < 2; s++) {
            uint8_t A[32], Acanon[32], sig[64], msg[4] = {1, 2, 3, 4};
            noncanonical(A, y, s);
            memset(Acanon, 0, 32);
            Acanon[0] = (uint8_t)y;
            Acanon[31] = (uint8_t)(s << 7);
            fws_ge_p3 P;
            fws_fe25519 tmp[5];
            decodes += fws_ge_decode_negate(&P, A, tmp) == 0;
            /* a signature by someone else, and one built as if the key
             * were [a]B (wrong key, same shape) */
            crypto_sign_detached(sig, NULL, msg, 4, (const uint8_t[64]){0});
            cr_assert_eq(same_decision(sig, msg, 4, A, "non-canonical A", n), -1);
            cr_assert_eq(same_decision(sig, msg, 4, Acanon, "canonical twin", n), -1);
            uint8_t r[32], R[32];
            random_scalar(r, (uint64_t)(300 + n));
            cr_assert_eq(crypto_scalarmult_ed25519_base_noclamp(R, r), 0);
            sign_raw(sig, R, r, k.a, A, msg, 4);
            cr_assert_eq(same_decision(sig, msg, 4, A, "non-canonical A signed", n), -1);
            n++;
        }
    }
    fprintf(stderr, "ed25519 non-canonical keys: %d encodings, %d would decode as points\n", n,
            decodes);
}

Test(ed25519, keys_off_the_curve)
{
    init_sodium();
    uint8_t pk[32], sk[64], sig[64], msg[16], seed[32];
    int off = 0, on = 0;
    fill_random(seed, 32, 5);
    crypto_sign_seed_keypair(pk, sk, seed);
    for (int i = 0; i < 400; i++) {
        uint8_t A[32];
        fws_ge_p3 P;
        fws_fe25519 tmp[5];
        fill_random(A, 32, (uint64_t)(60000 + i));
        fill_random(msg, sizeof msg, (uint64_t)i);
        crypto_sign_detached(sig, NULL, msg, sizeof msg, sk);
        int decodes = fws_ge_decode_negate(&P, A, tmp) == 0;
        /* libsodium 1.0.18's crypto_core_ed25519_add decodes its inputs
         * with no subgroup or small-order check: an independent opinion on
         * whether A is a curve point. */
        uint8_t sum[32], B[32] = {0x58};
        memset(B + 1, 0x66, 31);
        cr_assert_eq(decodes, crypto_core_ed25519_add(sum, A, B) == 0, "decoding key #%d", i);
        off += !decodes;
        on += decodes;
        cr_assert_eq(same_decision(sig, msg, sizeof msg, A, "random key", i), -1);
    }
    fprintf(stderr, "ed25519 random keys: %d off the curve, %d on it (all rejected)\n", off, on);
    cr_assert_gt(off, 100);
}

Test(ed25519, noncanonical_R_rejected)
{
    init_sodium();
    keypair k;
    key_from_seed(&k, 6);
    int n = 0;
    for (int y = 0; y < 19; y++) {
        for (int s = 0; s < 2; s++) {
            uint8_t R[32], zero[32] = {0}, r[32], sig[64], msg[3] = {7, 8, 9};
            noncanonical(R, y, s);
            /* S = h a makes [S]B - [h]A the identity, which is what a
             * decoder reducing y mod p would see for y = p + 1. */
            sign_raw(sig, R, zero, k.a, k.A, msg, 3);
            cr_assert_eq(same_decision(sig, msg, 3, k.A, "non-canonical R", n), -1);
            random_scalar(r, (uint64_t)(400 + n));
            sign_raw(sig, R, r, k.a, k.A, msg, 3);
            cr_assert_eq(same_decision(sig, msg, 3, k.A, "non-canonical R, random r", n), -1);
            n++;
        }
    }
}

/* ---- The static helpers, directly (this file includes the source) ----
 * Some of their decisions cannot be reached through signatures without
 * solving a discrete log (S = L acting like S = 0; a non-canonical key
 * that decodes), and reduce's correction step needs crafted digests. */

Test(ed25519_helpers, reduce_vs_libsodium)
{
    init_sodium();
    uint8_t in[64], ours[32], theirs[32];
    int n = 0;
    for (int i = 0; i < 20000; i++) {
        switch (i % 5) {
        case 0: /* random */
            fill_random(in, 64, (uint64_t)i);
            break;
        case 1: /* sparse: a few nonzero bytes */
            memset(in, 0, 64);
            for (int j = 0; j < 4; j++) {
                uint8_t r[2];
                fill_random(r, 2, (uint64_t)(i * 8 + j));
                in[r[0] % 64] = r[1];
            }
            break;
        case 2: /* one power of two */
            memset(in, 0, 64);
            in[(i / 5) % 64] = (uint8_t)(1u << ((i / 320) % 8));
            break;
        case 3: /* high bytes only, low bytes zero: the quotient digits
                 * leave tiny remainders, the case that needs +L */
            memset(in, 0, 64);
            fill_random(in + 32 + (i / 5) % 32, 32 - (size_t)((i / 5) % 32), (uint64_t)i);
            break;
        default: /* all-ones runs */
            memset(in, 0xff, 64);
            in[(i / 5) % 64] = (uint8_t)i;
            break;
        }
        fws_ed25519_reduce(ours, in);
        crypto_core_ed25519_scalar_reduce(theirs, in);
        cr_assert_eq(memcmp(ours, theirs, 32), 0, "reduce case %d", i);
        n++;
    }
    /* k L + e for small k, e, built exactly by repeated addition. */
    static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                  0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                  0,    0,    0,    0,    0,    0,    0,    0,
                                  0,    0,    0,    0,    0,    0,    0,    0x10};
    uint8_t acc[64];
    memset(acc, 0, 64);
    for (int k = 0; k < 4000; k++) {
        unsigned c = 0;
        for (int j = 0; j < 64; j++) { /* acc += L << (8 * (k % 29)) */
            int src = j - k % 29;
            c += acc[j] + (src >= 0 && src < 32 ? L[src] : 0);
            acc[j] = (uint8_t)c;
            c >>= 8;
        }
        memcpy(in, acc, 64);
        in[0] ^= (uint8_t)(k & 3); /* + or - a little */
        fws_ed25519_reduce(ours, in);
        crypto_core_ed25519_scalar_reduce(theirs, in);
        cr_assert_eq(memcmp(ours, theirs, 32), 0, "k L + e, k %d", k);
    }
}

Test(ed25519_helpers, scalar_canonical_boundaries)
{
    static const uint8_t L[32] = {0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58,
                                  0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
                                  0,    0,    0,    0,    0,    0,    0,    0,
                                  0,    0,    0,    0,    0,    0,    0,    0x10};
    uint8_t s[32];
    memcpy(s, L, 32);
    cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 0, "L");
    s[0]--;
    cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 1, "L - 1");
    s[0] += 2;
    cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 0, "L + 1");
    /* every single byte of L one more / one less */
    for (int i = 0; i < 32; i++) {
        memcpy(s, L, 32);
        if (s[i] != 0xff) {
            s[i]++;
            cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 0, "byte %d up", i);
        }
        memcpy(s, L, 32);
        if (s[i] != 0) {
            s[i]--;
            cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 1, "byte %d down", i);
        }
    }
    memset(s, 0, 32);
    cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 1, "0");
    memset(s, 0xff, 32);
    cr_assert_eq(fws_ed25519_scalar_is_canonical(s), 0, "2^256 - 1");
}

Test(ed25519_helpers, point_canonical_and_small_order)
{
    uint8_t s[32];
    for (int k = 0; k < 19; k++) {
        for (int sign = 0; sign < 2; sign++) {
            noncanonical(s, k, sign);
            cr_assert_eq(fws_ed25519_point_is_canonical(s), 0, "p + %d", k);
            cr_assert_eq(fws_ed25519_has_small_order(s), k <= 1, "p + %d small order", k);
        }
    }
    memset(s, 0xff, 32);
    s[0] = 0xec; /* p - 1 with the sign bit */
    cr_assert_eq(fws_ed25519_point_is_canonical(s), 1);
    cr_assert_eq(fws_ed25519_has_small_order(s), 1);
    s[30] = 0xfe; /* below p - 1 */
    s[0] = 0xff;
    cr_assert_eq(fws_ed25519_point_is_canonical(s), 1);
    for (int y = 0; y < 7; y++) {
        for (int sign = 0; sign < 2; sign++) {
            unhex(s, small_order_y[y], 32);
            s[31] |= (uint8_t)(sign << 7);
            cr_assert_eq(fws_ed25519_has_small_order(s), 1, "small-order y %d", y);
            s[y * 4] ^= 0x10; /* a nearby value is not on the list */
            cr_assert_eq(fws_ed25519_has_small_order(s), 0, "near y %d", y);
        }
    }
    for (int i = 0; i < 1000; i++) {
        fill_random(s, 32, (uint64_t)(880000 + i));
        cr_assert_eq(fws_ed25519_has_small_order(s), 0);
        s[31] &= 0x7f;
        cr_assert_eq(fws_ed25519_point_is_canonical(s), 1);
    }
}

/* Width-w NAF, the classic right-to-left recoding, as the reference for
 * the number of additions: the verifier's top-first recoding (width-w MOF
 * windows) must produce exactly as many nonzero digits. */
static int reference_wnaf_weight(const uint8_t s[32], unsigned w)
{
    uint32_t k[9];
    int32_t d, win = (int32_t)1 << w;
    int weight = 0;
    for (int j = 0; j < 8; j++)
        k[j] = (uint32_t)s[4 * j] | (uint32_t)s[4 * j + 1] << 8 | (uint32_t)s[4 * j + 2] << 16 |
               (uint32_t)s[4 * j + 3] << 24;
    k[8] = 0;
    for (int i = 0; i < 256; i++) {
        if (k[0] & 1) {
            d = (int32_t)(k[0] & (uint32_t)(win - 1));
            if (d >= win / 2)
                d -= win;
            if (d > 0) {
                k[0] -= (uint32_t)d;
            } else {
                uint32_t add = (uint32_t)-d;
                for (int j = 0; j < 9 && add != 0; j++) {
                    k[j] += add;
                    add = k[j] < add;
                }
            }
            weight++;
        }
        for (int j = 0; j < 8; j++)
            k[j] = (k[j] >> 1) | (k[j + 1] << 31);
        k[8] >>= 1;
    }
    return weight;
}

Test(ed25519_helpers, recoded_digits_reconstruct_the_scalar)
{
    init_sodium();
    for (int i = 0; i < 600; i++) {
        uint8_t s[32], back[32], tmp[32];
        int8_t naf[254];
        unsigned w = 2 + (unsigned)(i % 5);
        fws_ed25519_recoder r;
        random_scalar(s, (uint64_t)(i + 5));
        if (i == 0)
            memset(s, 0, 32);
        if (i >= 500) { /* edge shapes: 2^253 - 1, 2^252 + random, runs */
            memset(s, 0, 32);
            switch (i % 4) {
            case 0: memset(s, 0xff, 31); s[31] = 0x1f; break;
            case 1: fill_random(s, 31, (uint64_t)i); s[31] = 0x10; break;
            case 2: memset(s, 0xaa, 31); s[31] = 0x0a; break;
            default: s[(i / 4) % 32] = (uint8_t)(1u << (i % 8)); s[31] &= 0x1f; break;
            }
        }
        fws_ed25519_recoder_init(&r, s);
        for (int j = 253; j >= 0; j--)
            naf[j] = (int8_t)fws_ed25519_digit(&r, j, (int)w);
        /* sum naf[i] 2^i mod L with libsodium scalar arithmetic (exact
         * for the random scalars below L; the edge shapes, up to 2^253,
         * are compared mod L), odd digits below 2^(w-1), and exactly as
         * many of them as the width-w NAF has. */
        memset(back, 0, 32);
        int weight = 0;
        for (int j = 253; j >= 0; j--) {
            uint8_t two[32] = {2}, d[32] = {0};
            crypto_core_ed25519_scalar_mul(tmp, back, two);
            memcpy(back, tmp, 32);
            int v = naf[j];
            if (v != 0) {
                cr_assert(v & 1, "even digit");
                cr_assert_lt(v < 0 ? -v : v, 1 << (w - 1));
                weight++;
                d[0] = (uint8_t)(v < 0 ? -v : v);
                if (v < 0)
                    crypto_core_ed25519_scalar_sub(tmp, back, d);
                else
                    crypto_core_ed25519_scalar_add(tmp, back, d);
                memcpy(back, tmp, 32);
            }
        }
        uint8_t wide[64] = {0}, s_mod_l[32];
        memcpy(wide, s, 32);
        crypto_core_ed25519_scalar_reduce(s_mod_l, wide);
        cr_assert_eq(memcmp(back, s_mod_l, 32), 0, "recoding w=%u case %d", w, i);
        cr_assert_eq(weight, reference_wnaf_weight(s, w), "weight w=%u case %d", w, i);
    }
}
