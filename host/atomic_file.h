/* SPDX-License-Identifier: MIT */
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
#include <sys/types.h>

typedef struct {
    char *path;   /* final name */
    char *tmp;    /* temporary name, NULL for stdout */
    int fd;
    int no_replace;
    int anonymous;    /* O_TMPFILE, not yet linked */
    mode_t mode;  /* applied at commit */
} atomic_file;

#define ATOMIC_OVERWRITE 1    /* replace an existing file (--force) */
#define ATOMIC_EXACT_MODE 2   /* give the file `mode` whatever the umask (secret keys) */

/* A closed file that atomic_abort() accepts, for cleanup paths reached
 * before atomic_open(). */
void atomic_init(atomic_file *f);
/* Opens a temporary file for `path`, created 0600 and given `mode` &
 * ~umask at commit (`mode` exactly with ATOMIC_EXACT_MODE).  Without
 * ATOMIC_OVERWRITE an existing `path` fails with a message, and so does a
 * file that appears there before the commit.  Returns an FWS_EXIT_*
 * status; prints its own errors. */
int atomic_open(atomic_file *f, const char *path, mode_t mode, int flags);
/* An unnamed read-write file in dir (O_TMPFILE where the filesystem
 * allows, so that nothing is left even if the process is killed; else
 * created and unlinked at once): its descriptor, or -1 with a message. */
int atomic_open_unnamed(const char *dir);
/* A scratch file for intermediate output (an unnamed file in dir, as
 * above), written with atomic_write(), read back through atomic_fd(), and
 * only ever closed by atomic_abort(): it never gets a name. */
int atomic_open_scratch(atomic_file *f, const char *dir);
int atomic_fd(const atomic_file *f);
/* Writes everything or prints "PATH: <strerror>" and returns FWS_EXIT_IO. */
int atomic_write(atomic_file *f, const void *buf, size_t len);
/* fsyncs and renames into place; on failure the temporary is removed. */
int atomic_commit(atomic_file *f);
/* Removes the temporary file; safe to call after commit or twice. */
void atomic_abort(atomic_file *f);

#endif
