/* SPDX-License-Identifier: MIT */
/* Prints n lines "scalar point X25519(scalar, point) rc" (hex) for inputs
 * from a fixed xorshift stream, computed by the amalgamated verifier as
 * compiled (tests/test_ct_mul64.c builds it with FWS_CFG_CT_MUL64=1 and
 * checks each line with libsodium). */
#include <stdio.h>
#include <stdlib.h>

#include "fwseal_verify.h"

static uint64_t x = 0x9E3779B97F4A7C15ull;

static void fill(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b[i] = (uint8_t)x;
    }
}

static void hex(const uint8_t *b)
{
    for (int i = 0; i < 32; i++)
        printf("%02x", b[i]);
    putchar(' ');
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;
    uint8_t s[32], p[32], out[32];
    for (int i = 0; i < n; i++) {
        fill(s, sizeof s);
        fill(p, sizeof p);
        if (i % 7 == 0) /* every carry path: limbs at their maxima */
            for (int k = 0; k < 31; k++)
                p[k] = 0xff;
        int rc = fws_x25519(out, s, p);
        hex(s);
        hex(p);
        hex(out);
        printf("%d\n", rc);
    }
    return 0;
}
