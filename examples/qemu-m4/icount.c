/* SPDX-License-Identifier: MIT */
#include "icount.h"

#include "board.h"

#define CALIB_LOOPS 100000u

/* Exactly 2 instructions per iteration (SUBS, BNE). */
static void spin(uint32_t n)
{
    __asm__ volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

uint32_t icount_calibrate(void)
{
    uint64_t t0, ticks;
    uint32_t per;
    board_ticks_start();
    /* Until SysTick's first reload, CVR reads 0 (a count of 2^24 - 1):
     * let it start counting before the first reading. */
    spin(1000);
    t0 = board_ticks();
    spin(CALIB_LOOPS);
    ticks = board_ticks() - t0;
    if (ticks == 0)
        return 0;
    per = (uint32_t)((2ull * CALIB_LOOPS + ticks / 2) / ticks);
    /* Exact to one tick, plus the few instructions of the calls. */
    if (ticks * per < 2ull * CALIB_LOOPS || ticks * per > 2ull * CALIB_LOOPS + 2ull * per)
        return 0;
    return per;
}

uint64_t icount_ticks(void)
{
    return board_ticks();
}
