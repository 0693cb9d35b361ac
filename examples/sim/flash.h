/* SPDX-License-Identifier: MIT */
/*
 * A NOR flash simulated over a file, with power-cut injection.
 *
 * NOR rules, enforced: erase works on whole blocks and sets them to 0xFF;
 * program clears bits only (the flash ANDs the data in); one program
 * operation stays within one page.  Programming a 1 over a 0, a program
 * that crosses a page, or an access outside the chip is a bug in the
 * bootloader: the simulator prints "sim: BUG: ..." and exits with
 * SIM_EXIT_FLASH_BUG.
 *
 * Every erase and every program is one operation, counted from 1 in each
 * process.  With a cut at operation N (SIM_POWER_CUT=N in the environment,
 * or sim_flash.cut_at set after open), operations 1..N-1 complete and the
 * power fails during operation N: the operation is left half done (torn),
 * then the process exits with SIM_EXIT_POWER_CUT without running any more
 * of the bootloader.  How the operation tears is drawn from a PRNG seeded
 * by SIM_SEED (default 1) and N, so a cut is reproducible:
 *   program: only a prefix of the bytes is written; or a prefix and one
 *            byte with some of its bits; or a random subset of the bits
 *            that were to be cleared, across the whole range;
 *   erase:   only a prefix of the block is erased; or a random subset of
 *            its 0 bits reads back as 1.
 * A torn byte is always between the old and the intended value, bit by
 * bit: every bit is either the old one or the new one.  With cut_before
 * set, power fails just before operation N starts: nothing of it happens.
 *
 * Reads are not operations and never fail (a read outside the chip is a
 * bug).  Host I/O errors on the backing file end the process with status
 * SIM_EXIT_IO.  Writes go straight to the file (pwrite), so what another
 * process finds after a cut is exactly what was programmed before it.
 */
#ifndef SIM_FLASH_H
#define SIM_FLASH_H

#include <stddef.h>
#include <stdint.h>

#define SIM_EXIT_IO 3
#define SIM_EXIT_POWER_CUT 42
#define SIM_EXIT_FLASH_BUG 70

typedef struct {
    int fd;
    const char *path;
    uint32_t size;        /* bytes, a multiple of block */
    uint32_t block;       /* erase block */
    uint32_t page;        /* largest program; programs never cross a page */
    uint64_t ops;         /* operations started so far */
    uint64_t erases, programs;   /* operations completed */
    uint64_t cut_at;      /* operation that loses power; 0: never */
    int cut_before;       /* 1: the cut comes before cut_at starts (nothing torn) */
    uint64_t seed;        /* tearing PRNG seed */
} sim_flash;

/* Opens (create: creates or truncates, filling with 0xFF, as a new chip
 * comes erased) the backing file of size bytes.  Reads SIM_POWER_CUT and
 * SIM_SEED.  Returns 0, or -1 after printing why (missing file, wrong
 * size, bad SIM_POWER_CUT). */
int sim_flash_open(sim_flash *f, const char *path, uint32_t size, uint32_t block, uint32_t page,
                   int create);
void sim_flash_close(sim_flash *f);

void sim_flash_read(sim_flash *f, uint32_t addr, void *buf, size_t len);
/* addr: the start of a block. */
void sim_flash_erase(sim_flash *f, uint32_t addr);
/* data[0..len) ANDed into addr..; within one page; len >= 1. */
void sim_flash_program(sim_flash *f, uint32_t addr, const void *data, size_t len);

#endif
