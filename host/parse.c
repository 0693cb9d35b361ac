/* SPDX-License-Identifier: MIT */
#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;
    int hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (!s || !*s || !isdigit((unsigned char)s[0]))
        return -1;
    if (!hex && s[0] == '0' && s[1])
        return -1;
    errno = 0;
    v = strtoull(s, &end, hex ? 16 : 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int parse_hex_digit(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int parse_hex(const char *s, size_t len, uint8_t *out, size_t n)
{
    if (len != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = parse_hex_digit((unsigned char)s[2 * i]);
        int lo = parse_hex_digit((unsigned char)s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
