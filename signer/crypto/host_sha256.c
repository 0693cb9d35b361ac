/* SPDX-License-Identifier: MIT */
#include "host_sha256.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define HAVE_SHANI_CODE 1
#include <cpuid.h>
#include <immintrin.h>
#endif

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static uint32_t ror(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static uint32_t load_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

void host_sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t n)
{
    uint32_t w[64];
    for (; n; n--, p += 64) {
        uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
        for (int i = 0; i < 16; i++)
            w[i] = load_be32(p + 4 * i);
        for (int i = 16; i < 64; i++) {
            uint32_t s0 = ror(w[i - 15], 7) ^ ror(w[i - 15], 18) ^ (w[i - 15] >> 3);
            uint32_t s1 = ror(w[i - 2], 17) ^ ror(w[i - 2], 19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16] + s0 + w[i - 7] + s1;
        }
        for (int i = 0; i < 64; i++) {
            uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
            uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
            k = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        h[0] += a;
        h[1] += b;
        h[2] += c;
        h[3] += d;
        h[4] += e;
        h[5] += f;
        h[6] += g;
        h[7] += k;
    }
}

#ifdef HAVE_SHANI_CODE
/* The SHA extensions keep the state as two registers, ABEF and CDGH, and
 * run two rounds per sha256rnds2.  The message schedule for rounds 16..63
 * is four words at a time: W[t..t+3] = msg2(msg1(W[t-16..], W[t-12..]) +
 * W[t-7..t-4], W[t-4..]). */
__attribute__((target("sha,sse4.1,ssse3"))) static void blocks_shani(uint32_t h[8],
                                                                    const uint8_t *p, size_t n)
{
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);    /* D C B A */
    __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);   /* H G F E */
    __m128i s0;
    t = _mm_shuffle_epi32(t, 0xB1);                 /* C D A B */
    s1 = _mm_shuffle_epi32(s1, 0x1B);               /* E F G H */
    s0 = _mm_alignr_epi8(t, s1, 8);                 /* A B E F */
    s1 = _mm_blend_epi16(s1, t, 0xF0);              /* C D G H */
    for (; n; n--, p += 64) {
        __m128i abef = s0, cdgh = s1, m[4], w;
#pragma GCC unroll 16
        for (int j = 0; j < 16; j++) {
            if (j < 4) {
                m[j] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * j)),
                                        bswap);
            } else {
                __m128i x = _mm_sha256msg1_epu32(m[(j - 4) & 3], m[(j - 3) & 3]);
                x = _mm_add_epi32(x, _mm_alignr_epi8(m[(j - 1) & 3], m[(j - 2) & 3], 4));
                m[j & 3] = _mm_sha256msg2_epu32(x, m[(j - 1) & 3]);
            }
            w = _mm_add_epi32(m[j & 3], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * j]));
            s1 = _mm_sha256rnds2_epu32(s1, s0, w);
            w = _mm_shuffle_epi32(w, 0x0E);
            s0 = _mm_sha256rnds2_epu32(s0, s1, w);
        }
        s0 = _mm_add_epi32(s0, abef);
        s1 = _mm_add_epi32(s1, cdgh);
    }
    t = _mm_shuffle_epi32(s0, 0x1B);                /* F E B A */
    s1 = _mm_shuffle_epi32(s1, 0xB1);               /* D C H G */
    s0 = _mm_blend_epi16(t, s1, 0xF0);              /* D C B A */
    s1 = _mm_alignr_epi8(s1, t, 8);                 /* H G F E */
    _mm_storeu_si128((__m128i *)(void *)&h[0], s0);
    _mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

static int cpu_has_shani(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSE4_1) || !(c & bit_SSSE3))
        return 0;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b >> 29) & 1;
}
#endif

static void (*blocks_fn)(uint32_t *, const uint8_t *, size_t) = host_sha256_blocks_portable;
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;

static void pick(void)
{
#ifdef HAVE_SHANI_CODE
    if (cpu_has_shani())
        blocks_fn = blocks_shani;
#endif
}

void host_sha256_blocks(uint32_t h[8], const uint8_t *p, size_t n)
{
    pthread_once(&pick_once, pick);
    blocks_fn(h, p, n);
}

int host_sha256_accelerated(void)
{
    pthread_once(&pick_once, pick);
    return blocks_fn != host_sha256_blocks_portable;
}

void host_sha256_init(host_sha256 *s)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, iv, sizeof iv);
    s->len = 0;
}

uint64_t host_sha256_get_state(const host_sha256 *s, uint8_t mid[32])
{
    memcpy(mid, s->h, 32);
    return s->len;
}

void host_sha256_set_state(host_sha256 *s, const uint8_t mid[32], uint64_t len)
{
    memcpy(s->h, mid, 32);
    s->len = len;
}

void host_sha256_update(host_sha256 *s, const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t fill = (size_t)(s->len % 64), n;
    s->len += len;
    if (fill) {
        n = 64 - fill < len ? 64 - fill : len;
        memcpy(s->buf + fill, p, n);
        p += n;
        len -= n;
        if (fill + n < 64)
            return;
        host_sha256_blocks(s->h, s->buf, 1);
    }
    if (len >= 64) {
        host_sha256_blocks(s->h, p, len / 64);
        p += len & ~(size_t)63;
        len &= 63;
    }
    if (len)
        memcpy(s->buf, p, len);
}

void host_sha256_final(host_sha256 *s, uint8_t out[32])
{
    size_t fill = (size_t)(s->len % 64);
    uint64_t bits = s->len * 8;
    s->buf[fill++] = 0x80;
    if (fill > 56) {
        memset(s->buf + fill, 0, 64 - fill);
        host_sha256_blocks(s->h, s->buf, 1);
        fill = 0;
    }
    memset(s->buf + fill, 0, 56 - fill);
    for (int i = 0; i < 8; i++)
        s->buf[56 + i] = (uint8_t)(bits >> (56 - 8 * i));
    host_sha256_blocks(s->h, s->buf, 1);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}
