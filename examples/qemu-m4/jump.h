/* SPDX-License-Identifier: MIT */
/*
 * Starting another program on a Cortex-M (ARMv7-M): what a bootloader
 * does last.  Board support, independent of how the image was checked.
 */
#ifndef JUMP_H
#define JUMP_H

#include <stdint.h>

/** \brief Starts the program whose vector table is at vtor, as the core
 *  does at reset: stops SysTick (board_ticks_stop), points SCB->VTOR at the
 *  table, loads MSP from its first word and branches to its second (the
 *  reset handler, a Thumb address).  vtor must be 128-byte aligned (VTOR
 *  ignores the low 7 bits).  Interrupts are enabled again (PRIMASK = 0, as
 *  after reset) just before the branch.  Never returns.
 *
 *  The image must already have been verified: this function trusts the two
 *  words it reads. */
void board_jump(uint32_t vtor) __attribute__((noreturn));

#endif
