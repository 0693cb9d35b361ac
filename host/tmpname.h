/* SPDX-License-Identifier: MIT */
/* Unpredictable names for temporary files and directories. */
#ifndef FWS_TMPNAME_H
#define FWS_TMPNAME_H

#include <stddef.h>

/* Fills out[0..n) with characters of [a-z0-5], from getrandom() (a
 * guessable name only costs the caller another try: it creates its file or
 * directory exclusively).  No NUL is added. */
void tmpname_fill(char *out, size_t n);

#endif
