/* SPDX-License-Identifier: MIT */
/*
 * Instruction counts from SysTick under "qemu-system-arm -icount shift=0"
 * (board.h): one tick is a fixed number of instructions (40 on
 * mps2-an386), checked here on a loop of known length instead of being
 * assumed.
 */
#ifndef ICOUNT_H
#define ICOUNT_H

#include <stdint.h>

/** \brief Starts SysTick and measures instructions per tick on a loop of
 *  200,000 instructions.  Returns it (40 under -icount shift=0), or 0 if
 *  the loop's count is not exact to one tick (QEMU run without -icount:
 *  SysTick then follows host time and counts mean nothing). */
uint32_t icount_calibrate(void);
/** \brief Ticks since icount_calibrate(); multiply a difference by its
 *  result for instructions. */
uint64_t icount_ticks(void);

#endif
