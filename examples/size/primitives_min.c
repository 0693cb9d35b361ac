/* SPDX-License-Identifier: MIT */
/*
 * `make size`, configuration "primitives": the smallest program that links
 * Ed25519 verification (and the SHA-512 it uses) and nothing else.  It has
 * its own target in the size budget (Ed25519 verify + SHA-512 at most
 * 6 KiB on Cortex-M4, -Os).  Never run: built only to be measured.
 *
 * The inputs come from addresses the compiler cannot see through (volatile
 * pointers), so no call is folded away.
 */
#include <stddef.h>
#include <stdint.h>

#include "ed25519_verify.h"

void _start(void);

/* Pretend "flash": where a bootloader would find the signed bytes. */
static const uint8_t *volatile signed_region = (const uint8_t *)0x10000;
static const uint8_t *volatile signature = (const uint8_t *)0x10400;
static const uint8_t *volatile public_key = (const uint8_t *)0x10440;
static volatile size_t signed_len = 512;
static volatile int result;

void _start(void)
{
    result = fws_ed25519_verify(signature, signed_region, signed_len, public_key);
    for (;;)
        ;
}
