/* SPDX-License-Identifier: MIT */
/*
 * Semihosting on Cortex-M: "BKPT 0xAB" with the operation in r0 and its
 * argument in r1.  SYS_EXIT_EXTENDED (0x20) takes a block {reason, code};
 * QEMU exits with code when reason is ADP_Stopped_ApplicationExit.  (The
 * 32-bit SYS_EXIT, 0x18, cannot carry a status: any reason but a normal
 * exit becomes status 1.)
 */
#include <stdint.h>

#include "semihost.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

void semihost_exit(int status)
{
    uint32_t block[2];
    block[0] = ADP_STOPPED_APPLICATION_EXIT;
    block[1] = (uint32_t)status;
    {
        register uint32_t r0 __asm__("r0") = SYS_EXIT_EXTENDED;
        register uint32_t *r1 __asm__("r1") = block;
        __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    }
    for (;;)
        ;
}
