/* SPDX-License-Identifier: MIT */
/* verifier/sha256: FIPS 180 vectors typed in, and libsodium's
 * crypto_hash_sha256 as the oracle for every length 0..1100 under random
 * update() splits, plus large inputs. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"
#include "testutil.h"

static void unhex(uint8_t *out, const char *hex, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        cr_assert(sscanf(hex + 2 * i, "%2x", &v) == 1, "bad hex in test");
        out[i] = (uint8_t)v;
    }
    cr_assert(hex[2 * n] == 0, "hex length is not %zu bytes", n);
}

/* xorshift64 for split points (data comes from fill_random). */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Hashes in[0..len) with update() calls of random sizes up to max_step
 * (1 = byte at a time). */
static void sha256_split(uint8_t out[32], const uint8_t *in, size_t len, size_t max_step,
                         uint64_t *rng)
{
    fws_sha256_ctx ctx;
    size_t off = 0;
    fws_sha256_init(&ctx);
    while (off < len) {
        size_t n = max_step == 1 ? 1 : (size_t)(next_rand(rng) % (max_step + 1));
        if (n > len - off)
            n = len - off;
        fws_sha256_update(&ctx, in + off, n); /* n may be 0: must be a no-op */
        off += n;
    }
    fws_sha256_final(&ctx, out);
}

static void check_fips(const char *msg, size_t repeat, const char *hex)
{
    uint8_t want[32], got[32];
    fws_sha256_ctx ctx;
    size_t mlen = strlen(msg);
    unhex(want, hex, 32);
    fws_sha256_init(&ctx);
    for (size_t i = 0; i < repeat; i++)
        fws_sha256_update(&ctx, msg, mlen);
    fws_sha256_final(&ctx, got);
    cr_assert(memcmp(got, want, 32) == 0, "SHA-256 of \"%.20s\" x %zu", msg, repeat);
    if (repeat == 1) {
        fws_sha256(got, msg, mlen);
        cr_assert(memcmp(got, want, 32) == 0, "one-shot SHA-256 of \"%.20s\"", msg);
    }
}

/* FIPS 180-2 Appendix B (and the 896-bit message of the NIST examples). */
Test(sha256, fips180_vectors)
{
    check_fips("abc", 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_fips("", 1, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_fips("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
               "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_fips("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
               "klmnopqrlmnopqrsmnopqrstnopqrstu",
               1, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    /* One million 'a': as 1 000 000 one-byte updates and as 10 000 x 100. */
    check_fips("a", 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    check_fips("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
               "aaaaaaaaaaaaa",
               10000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

Test(sha256, null_empty_input)
{
    uint8_t want[32], got[32];
    unhex(want, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 32);
    fws_sha256(got, NULL, 0);
    cr_assert(memcmp(got, want, 32) == 0);
}

/* Every length 0..1100 (all block-boundary and padding cases: 55, 56, 63,
 * 64, 119, 120 ...) against libsodium: one-shot, random splits, and
 * byte-at-a-time. */
Test(sha256, every_length_vs_libsodium)
{
    enum { MAXLEN = 1100 };
    uint8_t *buf = malloc(MAXLEN), want[32], got[32];
    uint64_t rng = 0x123456789abcdefull;
    cr_assert(sodium_init() >= 0);
    for (size_t len = 0; len <= MAXLEN; len++) {
        fill_random(buf, len, 1000 + len);
        crypto_hash_sha256(want, buf, len);
        fws_sha256(got, buf, len);
        cr_assert(memcmp(got, want, 32) == 0, "one-shot, len %zu", len);
        sha256_split(got, buf, len, 1 + len % 150, &rng);
        cr_assert(memcmp(got, want, 32) == 0, "random splits, len %zu", len);
        sha256_split(got, buf, len, 1, &rng);
        cr_assert(memcmp(got, want, 32) == 0, "1-byte updates, len %zu", len);
    }
    free(buf);
}

/* Few large inputs, including lengths just around a power of two, with
 * large random splits (several blocks straight from the input). */
Test(sha256, large_inputs_vs_libsodium)
{
    const size_t lens[] = {(1u << 20) - 1, 1u << 20, (1u << 20) + 55, 3000017, 16u << 20};
    uint8_t *buf = malloc(16u << 20), want[32], got[32];
    uint64_t rng = 42;
    cr_assert(sodium_init() >= 0);
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        fill_random(buf, lens[i], 77 + i);
        crypto_hash_sha256(want, buf, lens[i]);
        fws_sha256(got, buf, lens[i]);
        cr_assert(memcmp(got, want, 32) == 0, "one-shot, len %zu", lens[i]);
        sha256_split(got, buf, lens[i], 100000, &rng);
        cr_assert(memcmp(got, want, 32) == 0, "random splits, len %zu", lens[i]);
    }
    free(buf);
}

/* final() wipes the context: it may have hashed a secret key block. */
Test(sha256, final_wipes_context)
{
    fws_sha256_ctx ctx;
    uint8_t out[32], zero[sizeof ctx];
    memset(zero, 0, sizeof zero);
    fws_sha256_init(&ctx);
    fws_sha256_update(&ctx, "secret key material, 37 bytes long..", 37);
    fws_sha256_final(&ctx, out);
    cr_assert(memcmp(&ctx, zero, sizeof ctx) == 0);
}
