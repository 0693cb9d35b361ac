/* SPDX-License-Identifier: MIT */
/*
 * The last step of the pack data path for tools that program flash: the
 * finished container, as an Intel HEX file at the staging slot's address
 * or as a raw binary, optionally padded with 0xFF (erased NOR flash) to the
 * slot's whole size, as MCUboot's imgtool does.  The container's bytes are
 * unchanged; only their wrapping differs.
 */
#ifndef FWS_FLASH_OUTPUT_H
#define FWS_FLASH_OUTPUT_H

#include <stdint.h>

#include "atomic_file.h"

enum flash_format { FLASH_FORMAT_FWS, FLASH_FORMAT_IHEX, FLASH_FORMAT_BIN };

typedef struct {
    enum flash_format format;   /* IHEX or BIN */
    uint64_t address;           /* IHEX: where the container's first byte goes */
    uint64_t pad_to;            /* 0, or the slot size: 0xFF up to it */
} flash_output_opts;

/* Parses "fws", "ihex" or "bin"; 0, or -1. */
int flash_format_parse(const char *s, enum flash_format *f);

/* Writes the len bytes of the container in container_fd (read with pread
 * from offset 0) to out as o says.  Returns an FWS_EXIT_* status:
 * FWS_EXIT_USAGE when the container is larger than o->pad_to or, in Intel
 * HEX, would reach past 4 GiB (the format's 32-bit addresses); messages
 * name the problem. */
int flash_output_write(atomic_file *out, int container_fd, uint64_t len,
                       const flash_output_opts *o);

#endif
