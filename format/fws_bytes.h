/* SPDX-License-Identifier: MIT */
/*
 * Byte-order and memory helpers shared by format/ and verifier/.
 *
 * Freestanding C99: these replace memcpy/memset/memcmp so that neither
 * format/ nor verifier/ calls into a libc.  Everything is static inline so
 * each translation unit stays self-contained and the amalgamation needs no
 * extra file.
 */
#ifndef FWS_BYTES_H
#define FWS_BYTES_H

#include <stddef.h>
#include <stdint.h>

static inline uint16_t fws_load16_le(const uint8_t *p)
{
    return (uint16_t)(p[0] | ((uint16_t)p[1] << 8));
}

static inline uint32_t fws_load32_le(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t fws_load64_le(const uint8_t *p)
{
    return (uint64_t)fws_load32_le(p) | ((uint64_t)fws_load32_le(p + 4) << 32);
}

static inline uint32_t fws_load32_be(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline uint64_t fws_load64_be(const uint8_t *p)
{
    return ((uint64_t)fws_load32_be(p) << 32) | (uint64_t)fws_load32_be(p + 4);
}

static inline void fws_store16_le(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void fws_store32_le(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void fws_store64_le(uint8_t *p, uint64_t v)
{
    fws_store32_le(p, (uint32_t)v);
    fws_store32_le(p + 4, (uint32_t)(v >> 32));
}

static inline void fws_store32_be(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static inline void fws_store64_be(uint8_t *p, uint64_t v)
{
    fws_store32_be(p, (uint32_t)(v >> 32));
    fws_store32_be(p + 4, (uint32_t)v);
}

static inline void fws_copy(void *dst, const void *src, size_t n)
{
    uint8_t *d = (uint8_t *)dst;
    const uint8_t *s = (const uint8_t *)src;
    while (n--)
        *d++ = *s++;
}

static inline void fws_zero(void *dst, size_t n)
{
    uint8_t *d = (uint8_t *)dst;
    while (n--)
        *d++ = 0;
}

/* Wipes a secret.  The volatile pointer keeps the compiler from removing
 * stores to a buffer that is never read again. */
static inline void fws_wipe(void *dst, size_t n)
{
    volatile uint8_t *d = (volatile uint8_t *)dst;
    while (n--)
        *d++ = 0;
}

/* Constant-time equality: 1 if equal, 0 if not; time depends only on n. */
static inline int fws_ct_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    uint32_t diff = 0;
    size_t i;
    for (i = 0; i < n; i++)
        diff |= (uint32_t)(a[i] ^ b[i]);
    return (int)(1u & ((diff - 1u) >> 8));
}

/* Variable-time equality for public data only. */
static inline int fws_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

#endif
