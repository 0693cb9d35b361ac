/* SPDX-License-Identifier: MIT */
/* A component on its way into the payload, as the input readers
 * (input.h) hand it to their caller (pack.c, which streams it through
 * compress.h), and the options the readers take. */
#ifndef FWS_COMPONENT_SRC_H
#define FWS_COMPONENT_SRC_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name;        /* component name, already validated */
    int has_address;
    uint64_t address;
    const char *origin;      /* for messages, e.g. "fw.tar.gz:boot/app.bin" or "app.hex";
                                control characters already escaped */
    /* Reads up to cap bytes; returns the number read (0 at the end), or -1 after printing an error
       with diag_error() naming the origin and the problem (the caller then exits FWS_EXIT_IO).
       Returns fewer than cap bytes only at the end of the component; after 0 or -1 it keeps
       returning the same.  Valid only during the fws_component_fn call. */
    long (*read)(void *ctx, uint8_t *buf, size_t cap);
    void *ctx;
    uint64_t size_hint;      /* the bytes read will yield when known (progress), else 0 */
} fws_component_src;

typedef struct {
    uint64_t hex_max_gap;    /* Intel HEX, S-records, ELF: gaps up to this many bytes are
                                filled; larger → error */
    uint8_t hex_fill;        /* fill byte for gaps (0xFF, as erased NOR flash) */
    int allow_empty;         /* 1: empty raw files and empty archive members are 0-byte components */
} fws_input_opts;
#define FWS_INPUT_OPTS_DEFAULT { 4096, 0xFF, 0 }

/* Largest span of an Intel HEX or S-record image (lowest to one past the
 * highest data address), in bytes. */
#define FWS_INPUT_HEX_MAX_SPAN ((uint64_t)64 << 20)

typedef int (*fws_component_fn)(void *user, fws_component_src *src);  /* returns FWS_EXIT_OK to go on */

#endif
