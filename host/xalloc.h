/* SPDX-License-Identifier: MIT */
/*
 * Allocation that cannot be forgotten (git's and minisign's xmalloc): each
 * helper returns usable memory or prints "PROGRAM: error: out of memory"
 * and exits with FWS_EXIT_IO.  Output files are written through
 * host/atomic_file.h, so such an exit leaves no partial file under a final
 * name.  A zero-byte request returns a unique pointer, never NULL.
 */
#ifndef FWS_XALLOC_H
#define FWS_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* For allocators of their own (sodium_malloc, libarchive): reports n
 * bytes missing (0: an unknown amount) and exits. */
_Noreturn void xalloc_die(size_t n);

#endif
