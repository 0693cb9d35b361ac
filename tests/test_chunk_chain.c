/* SPDX-License-Identifier: MIT */
/* The chunk chain (signer/pack/chunk_chain.c) computed forwards from
 * midstates and finished backwards, against the definition of SPEC.md
 * section 6 computed naively with libsodium. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chunk_chain.h"
#include "testutil.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

/* SPEC.md section 6, computed naively backwards with libsodium. */
static void naive_chain(const uint8_t *p, uint64_t len, uint32_t c, uint8_t *h, uint64_t n)
{
    for (uint64_t i = n; i-- > 0;) {
        crypto_hash_sha256_state st;
        uint64_t l = len - i * c < c ? len - i * c : c;
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, p + i * c, l);
        if (i + 1 < n)
            crypto_hash_sha256_update(&st, h + (i + 1) * 32, 32);
        crypto_hash_sha256_final(&st, h + i * 32);
    }
}

/* The chain over p[0..len) fed in random pieces, against naive_chain():
 * H_0, every hash read back at once, and a range from the middle. */
static void check_chain(const uint8_t *p, uint64_t len, uint32_t c, uint8_t *want, const char *what)
{
    uint64_t n = 0, expect_n = (len + c - 1) / c, at = 0;
    uint8_t h0[32], zero[32] = {0};
    uint8_t *got = malloc(expect_n * 32 + 1);
    FILE *file = tmpfile();
    chunk_chain ch;
    cr_assert(file && got);
    chunk_chain_init(&ch, c, fileno(file));
    while (at < len) {
        uint64_t k = rnd() % 3 == 0 ? rnd() % 5000 : rnd() % 70;
        if (k > len - at)
            k = len - at;
        cr_assert_eq(chunk_chain_absorb(&ch, p + at, (size_t)k), 0);
        at += k;
    }
    cr_assert_eq(chunk_chain_finish(&ch, h0, &n), 0);
    cr_assert_eq(n, expect_n, "%s: %llu chunks, expected %llu", what, (unsigned long long)n,
                 (unsigned long long)expect_n);
    naive_chain(p, len, c, want, n);
    cr_assert(!memcmp(h0, n ? want : zero, 32), "%s: H_0", what);
    cr_assert_eq(chunk_chain_hashes(&ch, 0, n, got), 0);
    cr_assert(n == 0 || !memcmp(got, want, n * 32), "%s: len %llu chunk %u", what,
              (unsigned long long)len, c);
    if (n > 5) {   /* a range from the middle, as the container writer reads them */
        cr_assert_eq(chunk_chain_hashes(&ch, 3, n - 4, got), 0);
        cr_assert(!memcmp(got, want + 3 * 32, (n - 4) * 32), "%s: range", what);
    }
    free(got);
    chunk_chain_free(&ch);
    fclose(file);
}

Test(chunk_chain, matches_the_backward_definition)
{
    enum { MAX = 40000 };
    uint8_t *p = malloc(MAX), *want = malloc((MAX / 256 + 2) * 32);
    fill_random(p, MAX, 5);
    for (int t = 0; t < 600; t++) {
        char what[32];
        uint32_t c = 64 * (4 + rnd() % 61);                 /* 256..4096 */
        uint64_t len = t < 40 ? (uint64_t)c * (t % 8) + (t / 8 % 3 == 0 ? 0 : t / 8 % 3 == 1 ? 1 : c - 1)
                              : rnd() % MAX;
        if (len > MAX)
            len = MAX;
        snprintf(what, sizeof what, "case %d", t);
        check_chain(p, len, c, want, what);
    }
    free(p);
    free(want);
}

/* More chunks than the chain buffers (CHUNK_CHAIN_BUF_ENTRIES): the midstates
 * spill to the file and the backward pass goes block by block. */
Test(chunk_chain, spills_to_its_file_in_blocks)
{
    const uint64_t chunks[] = {CHUNK_CHAIN_BUF_ENTRIES - 1, CHUNK_CHAIN_BUF_ENTRIES, CHUNK_CHAIN_BUF_ENTRIES + 1,
                               2 * CHUNK_CHAIN_BUF_ENTRIES, 2 * CHUNK_CHAIN_BUF_ENTRIES + 1, 5000};
    const uint64_t max = 5001 * 256;
    uint8_t *p = malloc(max), *want = malloc(5002 * 32);
    fill_random(p, max, 6);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++)
        for (int tail = 0; tail < 3; tail++) {   /* last chunk full, 1 byte, 255 bytes */
            char what[48];
            uint64_t len = chunks[i] * 256 + (tail == 0 ? 0 : tail == 1 ? 1 : 255);
            snprintf(what, sizeof what, "%llu chunks + %d", (unsigned long long)chunks[i], tail);
            check_chain(p, len, 256, want, what);
        }
    free(p);
    free(want);
}
