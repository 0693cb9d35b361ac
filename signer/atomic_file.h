/*
 * Output files that appear under their final name only when complete.
 *
 * Data goes to an unnamed file in the target's directory (O_TMPFILE), is
 * fsync'ed, and gets its name only in atomic_commit(): if the process dies
 * first, even by SIGKILL, nothing is left.  Where the filesystem lacks
 * O_TMPFILE, a temporary "NAME.tmp-XXXXXX" is used and renamed into place;
 * any failure or atomic_abort() unlinks it, but SIGKILL can leave it (never
 * a truncated file under the final name).  The path "-" writes to
 * standard output instead (not atomic: the caller streams).
 */
#ifndef FWS_ATOMIC_FILE_H
#define FWS_ATOMIC_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct {
    char *path;   /* final name */
    char *tmp;    /* temporary name, NULL for stdout */
    int fd;
    int no_replace;
    int anonymous;    /* O_TMPFILE, not yet linked */
    mode_t mode;  /* applied at commit */
} atomic_file;

/* Opens a temporary file for `path` with permissions `mode` (umask
 * applied only to widen nothing: the file is created 0600 and chmod'ed to
 * mode & ~umask at commit).  If `overwrite` is 0 and `path` exists, fails
 * with a message.  Returns an FWS_EXIT_* status; prints its own errors. */
int atomic_open(atomic_file *f, const char *path, mode_t mode, int overwrite);
/* Writes everything or prints "PATH: <strerror>" and returns FWS_EXIT_IO. */
int atomic_write(atomic_file *f, const void *buf, size_t len);
/* fsyncs and renames into place; on failure the temporary is removed. */
int atomic_commit(atomic_file *f);
/* Removes the temporary file; safe to call after commit or twice. */
void atomic_abort(atomic_file *f);

/* Writes a whole buffer to a file descriptor, retrying on EINTR/short
 * writes.  Returns 0, or -1 with errno set. */
int write_all(int fd, const void *buf, size_t len);
/* pread/pwrite of a whole buffer at offset off, retrying likewise.
 * Returns 0, or -1 with errno set (EIO when the file ends first). */
int pread_all(int fd, void *buf, size_t len, uint64_t off);
int pwrite_all(int fd, const void *buf, size_t len, uint64_t off);

#endif
