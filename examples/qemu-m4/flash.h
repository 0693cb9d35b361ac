/* SPDX-License-Identifier: MIT */
/*
 * The bootloader's "flash" on QEMU mps2-an386: the 4 MiB code SSRAM at
 * 0x00000000, which the guest can write like RAM.  On a real part this
 * file is the flash driver (erase a page to 0xFF, program words or
 * half-words, wait for the controller); the bootloader only calls these
 * two functions, so porting it means rewriting them.
 */
#ifndef FLASH_H
#define FLASH_H

#include <stddef.h>
#include <stdint.h>

/* Erase granularity of the pretend flash (a typical Cortex-M4 sector is
 * 2..128 KiB; the SSRAM has none, so erase simply writes 0xFF). */
#define FLASH_PAGE 4096u

/** \brief Erases len bytes from addr (both multiples of FLASH_PAGE) to
 *  0xFF.  Returns 0, or -1 if not aligned. */
int flash_erase(uint32_t addr, uint32_t len);
/** \brief Programs len bytes at addr from data (which must not be in the
 *  range being written).  Returns 0. */
int flash_write(uint32_t addr, const uint8_t *data, size_t len);

#endif
