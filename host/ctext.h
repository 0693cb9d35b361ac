/* SPDX-License-Identifier: MIT */
/*
 * Text of generated C headers (`fwseal pubkey --format c`, `fwseal secret
 * --format c`, `fwseal class-id`, `fwseal device-config`), written into a
 * caller's buffer: out holds cap bytes, *used grows, the text stays
 * NUL-terminated.  Each function returns 0, or -1 once the buffer is full
 * (the caller reports it).
 */
#ifndef FWS_CTEXT_H
#define FWS_CTEXT_H

#include <stddef.h>
#include <stdint.h>

/* printf, appended. */
int ctext_put(char *out, size_t cap, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* n bytes as "0x12, 0x34, ...": each run of 8 starts on a new line
 * indented by indent, the last byte is followed by a newline. */
int ctext_bytes(char *out, size_t cap, size_t *used, const char *indent, const uint8_t *b,
                size_t n);

/* "static const uint8_t IDENTSUFFIX[n] = {...};" on lines of 8 bytes. */
int ctext_c_array(char *out, size_t cap, size_t *used, const char *ident, const char *suffix,
                  const uint8_t *b, size_t n);

/* s between double quotes, safe inside a C comment and a C string:
 * printable ASCII as it is except '\\' and '"' (escaped) and the '/' of
 * a star-slash (written \057); every other byte as an octal escape. */
int ctext_quoted(char *out, size_t cap, size_t *used, const char *s);

/* The include guard for ident: upper case, "_H" appended; guard holds
 * strlen(ident) + 3 bytes. */
void ctext_guard(const char *ident, char *guard);

#endif
