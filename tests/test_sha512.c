/* SPDX-License-Identifier: MIT */
/* SHA-512: FIPS 180-4 vectors typed in, and libsodium's crypto_hash_sha512
 * as the oracle for every length 0..1100 under random update splits. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha512.h"
#include "testutil.h"

static void sha512_hex(char out[129], const void *msg, size_t len)
{
    uint8_t d[64];
    fws_sha512(d, msg, len);
    for (int i = 0; i < 64; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

Test(sha512, fips_vectors)
{
    char hex[129];

    sha512_hex(hex, "abc", 3);
    cr_assert_str_eq(hex, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                          "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
    sha512_hex(hex, "", 0);
    cr_assert_str_eq(hex, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                          "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    sha512_hex(hex, NULL, 0);
    cr_assert_str_eq(hex, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                          "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e");
    /* The 896-bit (two-block) message. */
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    cr_assert_eq(strlen(m896), 112);
    sha512_hex(hex, m896, 112);
    cr_assert_str_eq(hex, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                          "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909");
}

Test(sha512, million_a_in_odd_pieces)
{
    /* One million 'a' fed in 997-byte pieces (FIPS 180-2 appendix C.3). */
    static uint8_t piece[997];
    fws_sha512_ctx ctx;
    uint8_t d[64];
    char hex[129];
    size_t left = 1000000;

    memset(piece, 'a', sizeof piece);
    fws_sha512_init(&ctx);
    while (left > 0) {
        size_t n = left < sizeof piece ? left : sizeof piece;
        fws_sha512_update(&ctx, piece, n);
        left -= n;
    }
    fws_sha512_final(&ctx, d);
    for (int i = 0; i < 64; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
    cr_assert_str_eq(hex, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
                          "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b");
}

Test(sha512, every_length_random_splits_vs_libsodium)
{
    enum { MAXLEN = 1100 };
    uint8_t msg[MAXLEN], ours[64], ref[64], onceout[64];
    uint64_t rng = 0x5eed5a512ull;

    cr_assert_eq(sodium_init() >= 0, 1);
    fill_random(msg, sizeof msg, 512);
    for (size_t len = 0; len <= MAXLEN; len++) {
        crypto_hash_sha512(ref, msg, len);
        fws_sha512(onceout, msg, len);
        cr_assert_eq(memcmp(onceout, ref, 64), 0, "one-shot, length %zu", len);
        /* Three random splittings per length, including empty updates. */
        for (int rep = 0; rep < 3; rep++) {
            fws_sha512_ctx ctx;
            size_t off = 0;
            fws_sha512_init(&ctx);
            while (off < len) {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                size_t n = (size_t)(rng % 300);
                if (n > len - off)
                    n = len - off;
                fws_sha512_update(&ctx, msg + off, n);
                off += n;
            }
            fws_sha512_update(&ctx, NULL, 0);
            fws_sha512_final(&ctx, ours);
            cr_assert_eq(memcmp(ours, ref, 64), 0, "split %d, length %zu", rep, len);
        }
    }
}

Test(sha512, byte_at_a_time_equals_one_shot)
{
    uint8_t msg[300], a[64], b[64];
    fws_sha512_ctx ctx;

    fill_random(msg, sizeof msg, 77);
    fws_sha512_init(&ctx);
    for (size_t i = 0; i < sizeof msg; i++)
        fws_sha512_update(&ctx, msg + i, 1);
    fws_sha512_final(&ctx, a);
    crypto_hash_sha512(b, msg, sizeof msg);
    cr_assert_eq(memcmp(a, b, 64), 0);
}

Test(sha512, output_may_overlap_input)
{
    uint8_t buf[128], ref[64];
    fill_random(buf, sizeof buf, 9);
    crypto_hash_sha512(ref, buf, sizeof buf);
    fws_sha512(buf, buf, sizeof buf);
    cr_assert_eq(memcmp(buf, ref, 64), 0);
}

Test(sha512, final_wipes_context)
{
    fws_sha512_ctx ctx;
    uint8_t d[64], zero[sizeof ctx];
    fws_sha512_init(&ctx);
    fws_sha512_update(&ctx, "secret", 6);
    fws_sha512_final(&ctx, d);
    memset(zero, 0, sizeof zero);
    cr_assert_eq(memcmp(&ctx, zero, sizeof ctx), 0);
}
