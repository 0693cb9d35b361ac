/* SPDX-License-Identifier: MIT */
/*
 * Chain-loading on ARMv7-M: SCB->VTOR (0xE000ED08) selects the vector
 * table exceptions use; the started program finds the core as after a
 * reset, except that VTOR already points at its own table.
 */
#include <stdint.h>

#include "board.h"
#include "jump.h"

#define SCB_VTOR (*(volatile uint32_t *)0xE000ED08u)

void board_jump(uint32_t vtor)
{
    const volatile uint32_t *table = (const volatile uint32_t *)(uintptr_t)vtor;
    uint32_t sp = table[0], entry = table[1];

    /* No interrupt of ours may reach the new program through its table. */
    __asm__ volatile("cpsid i" ::: "memory");
    board_ticks_stop();
    SCB_VTOR = vtor;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    /* From here on this function's stack is gone: MSP is the program's.
     * Everything needed is in registers. */
    __asm__ volatile("msr msp, %0\n\t"
                     "cpsie i\n\t"
                     "bx %1"
                     :
                     : "r"(sp), "r"(entry)
                     : "memory");
    for (;;)
        ;
}
