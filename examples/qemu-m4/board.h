/* SPDX-License-Identifier: MIT */
/*
 * Board support for QEMU's mps2-an386 (Cortex-M4): what startup.c gives
 * the program besides reset.  Shared by the benchmark (bench.c), the
 * bare-metal bootloader (bootloader/) and its application (app/).
 *
 * Memory (QEMU hw/arm/mps2.c, AN386): 4 MiB of SSRAM at 0x00000000 used as
 * "flash" (code, constants, the initial .data image) and 4 MiB at
 * 0x20000000 used as RAM (.data, .bss, then the stack at the top of what
 * link.ld reserves).
 */
#ifndef BOARD_H
#define BOARD_H

#include <stdint.h>

/* The program's entry, called by the reset handler with .data and .bss
 * ready; its return value becomes QEMU's exit status (semihosting). */
int main(void);

/* Instruction counter.  Under "qemu-system-arm -icount shift=0" every
 * guest instruction advances virtual time by exactly 1 ns, and SysTick,
 * clocked by the 25 MHz CPU clock, ticks once per 40 ns: one tick is 40
 * instructions.  board_ticks() extends the 24-bit SysTick counter to 64
 * bits by counting wrap-arounds in the SysTick interrupt (one every 2^24
 * ticks).  Resolution: one tick; bench.c calibrates instructions per tick
 * on a loop of known length rather than trusting the 40. */
void board_ticks_start(void);
uint64_t board_ticks(void);
/* Stops SysTick and clears a pending tick, so that a program started
 * afterwards (the bootloader's application) gets no interrupt it did not
 * ask for. */
void board_ticks_stop(void);

/* Stack bounds from link.ld, for painting the stack to measure its use. */
extern uint32_t _stack_limit[]; /* lowest word of the stack */
extern uint32_t _estack[];      /* initial stack pointer (one past the top) */

#endif
