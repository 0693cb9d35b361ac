/* SPDX-License-Identifier: MIT */
/* The host's SHA-256 (signer/crypto/host_sha256.c): SHA-NI or portable,
 * both against libsodium, in any split of the input. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "host_sha256.h"
#include "testutil.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 11);
}

Test(sha256_host, matches_libsodium_any_split)
{
    uint8_t buf[2200], a[32], b[32];
    fill_random(buf, sizeof buf, 11);
    cr_log_info("SHA extensions in use: %s", host_sha256_accelerated() ? "yes" : "no");
    for (size_t len = 0; len <= 2100; len++) {
        host_sha256 s;
        size_t cut1 = len ? rnd() % (len + 1) : 0, cut2 = cut1 + (len - cut1 ? rnd() % (len - cut1 + 1) : 0);
        host_sha256_init(&s);
        host_sha256_update(&s, buf, cut1);
        host_sha256_update(&s, buf + cut1, cut2 - cut1);
        host_sha256_update(&s, buf + cut2, len - cut2);
        host_sha256_final(&s, a);
        crypto_hash_sha256(b, buf, len);
        cr_assert(!memcmp(a, b, 32), "length %zu (cuts %zu, %zu)", len, cut1, cut2);
    }
}

Test(sha256_host, portable_and_dispatched_blocks_agree)
{
    uint8_t buf[64 * 40];
    for (int i = 0; i < 500; i++) {
        uint32_t h1[8], h2[8];
        size_t n = rnd() % 40 + 1;
        fill_random(buf, n * 64, (uint64_t)i + 100);
        for (int k = 0; k < 8; k++)
            h1[k] = h2[k] = rnd();
        host_sha256_blocks_portable(h1, buf, n);
        host_sha256_blocks(h2, buf, n);
        cr_assert(!memcmp(h1, h2, sizeof h1), "case %d, %zu blocks", i, n);
    }
}
