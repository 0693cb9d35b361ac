/* SPDX-License-Identifier: MIT */
/*
 * Whole-buffer reads and writes on file descriptors: each call retries on
 * EINTR and short counts until the buffer is done.  Nothing is printed:
 * the caller names the file in its message.
 */
#ifndef FWS_IO_H
#define FWS_IO_H

#include <stddef.h>
#include <stdint.h>

/* Writes len bytes.  Returns 0, or -1 with errno set. */
int io_write_all(int fd, const void *buf, size_t len);
/* Reads until cap bytes or the end of the file; *got gets the count.
 * Returns 0, or -1 with errno set. */
int io_read_full(int fd, void *buf, size_t cap, size_t *got);
/* pread/pwrite of a whole buffer at offset off.  Returns 0, or -1 with
 * errno set (EIO when the file ends first). */
int io_pread_all(int fd, void *buf, size_t len, uint64_t off);
int io_pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

#endif
