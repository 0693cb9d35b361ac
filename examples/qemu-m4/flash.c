/* SPDX-License-Identifier: MIT */
/*
 * "Flash" driver for the code SSRAM of QEMU mps2-an386: plain stores.
 * Volatile byte and word loops keep gcc from emitting memset/memcpy calls
 * (there is no libc).
 */
#include "flash.h"

int flash_erase(uint32_t addr, uint32_t len)
{
    volatile uint32_t *p = (volatile uint32_t *)(uintptr_t)addr;
    uint32_t i;
    if (addr % FLASH_PAGE || len % FLASH_PAGE)
        return -1;
    for (i = 0; i < len / 4; i++)
        p[i] = 0xFFFFFFFFu;
    return 0;
}

int flash_write(uint32_t addr, const uint8_t *data, size_t len)
{
    volatile uint8_t *p = (volatile uint8_t *)(uintptr_t)addr;
    size_t i;
    for (i = 0; i < len; i++)
        p[i] = data[i];
    return 0;
}
