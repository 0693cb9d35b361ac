/* SPDX-License-Identifier: MIT */
/* Numbers and hex strings from command lines, files and environment
 * variables. */
#ifndef FWS_PARSE_H
#define FWS_PARSE_H

#include <stddef.h>
#include <stdint.h>

/* Parses a decimal (no leading zeros: "010" is refused, not read as
 * octal) or 0x-hex unsigned integer no larger than max.  Returns 0 on
 * success, -1 on a syntax error or overflow. */
int parse_u64(const char *s, unsigned long long max, unsigned long long *out);

/* The value of hex digit c (either case), or -1. */
int parse_hex_digit(int c);
/* Exactly 2*n hex digits s[0..len) -> n bytes.  0, or -1. */
int parse_hex(const char *s, size_t len, uint8_t *out, size_t n);

#endif
