/* SPDX-License-Identifier: MIT */
/* Hex digits to bytes for the simulated bootloader (examples/sim), which is
 * built from the amalgamated verifier alone: its command line and key files
 * carry keys, ids and messages in hex.  (The host programs use
 * host/parse.h.) */
#ifndef FWS_EXAMPLES_HEX_DECODE_H
#define FWS_EXAMPLES_HEX_DECODE_H

#include <stddef.h>
#include <stdint.h>

static inline int ex_hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly 2*n hex digits s[0..len) -> n bytes.  0, or -1. */
static inline int ex_hex_decode(const char *s, size_t len, uint8_t *out, size_t n)
{
    if (len != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = ex_hexval(s[2 * i]), lo = ex_hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

#endif
