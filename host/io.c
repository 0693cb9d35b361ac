/* SPDX-License-Identifier: MIT */
#include "io.h"

#include <errno.h>
#include <unistd.h>

/* The loops behind the four calls: positional ones (pread/pwrite at off)
 * and plain ones (read/write at the file position). */
static int write_loop(int fd, const unsigned char *p, size_t len, int positional, uint64_t off)
{
    while (len) {
        ssize_t n = positional ? pwrite(fd, p, len, (off_t)off) : write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return 0;
}

static int read_loop(int fd, unsigned char *p, size_t cap, int positional, uint64_t off,
                     size_t *got)
{
    size_t done = 0;
    while (done < cap) {
        ssize_t n = positional ? pread(fd, p + done, cap - done, (off_t)(off + done))
                               : read(fd, p + done, cap - done);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *got = done;
            return -1;
        }
        if (n == 0)
            break;
        done += (size_t)n;
    }
    *got = done;
    return 0;
}

int io_write_all(int fd, const void *buf, size_t len)
{
    return write_loop(fd, buf, len, 0, 0);
}

int io_pwrite_all(int fd, const void *buf, size_t len, uint64_t off)
{
    return write_loop(fd, buf, len, 1, off);
}

int io_read_full(int fd, void *buf, size_t cap, size_t *got)
{
    return read_loop(fd, buf, cap, 0, 0, got);
}

int io_pread_all(int fd, void *buf, size_t len, uint64_t off)
{
    size_t got;
    if (read_loop(fd, buf, len, 1, off, &got))
        return -1;
    if (got < len) {
        errno = EIO;
        return -1;
    }
    return 0;
}
