/* SPDX-License-Identifier: MIT */
#include "atomic_file.h"
#include "diag.h"
#include "io.h"
#include "tmpname.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The directory part of path ("." when there is none), malloc'ed. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

int atomic_open_unnamed(const char *dir)
{
    char *tmpl;
    int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd >= 0)
        return fd;
    tmpl = xasprintf("%s/.fwseal-tmp-XXXXXX", dir);
    fd = mkstemp(tmpl);
    if (fd >= 0)
        unlink(tmpl);
    else
        diag_error("%s: cannot create a temporary file: %s", dir, strerror(errno));
    free(tmpl);
    return fd;
}

int atomic_open_scratch(atomic_file *f, const char *dir)
{
    atomic_init(f);
    if ((f->fd = atomic_open_unnamed(dir)) < 0)
        return FWS_EXIT_IO;
    f->path = xasprintf("%s (temporary file)", dir);
    f->anonymous = 1;   /* never named: atomic_abort() closes it */
    return FWS_EXIT_OK;
}

int atomic_fd(const atomic_file *f)
{
    return f->fd;
}

void atomic_init(atomic_file *f)
{
    memset(f, 0, sizeof *f);
    f->fd = -1;
}

int atomic_open(atomic_file *f, const char *path, mode_t mode, int flags)
{
    struct stat st;
    size_t n;
    char *dir;
    mode_t um;
    int overwrite = flags & ATOMIC_OVERWRITE;
    atomic_init(f);
    if (!strcmp(path, "-")) {
        f->fd = STDOUT_FILENO;
        return FWS_EXIT_OK;
    }
    if (!overwrite && lstat(path, &st) == 0) {
        diag_error("%s: already exists (use --force to overwrite)", path);
        return FWS_EXIT_IO;
    }
    n = strlen(path);
    f->path = xstrdup(path);
    f->tmp = xmalloc(n + 16);
    dir = dir_of(path);
    memcpy(f->tmp, path, n);
    memcpy(f->tmp + n, ".tmp-XXXXXX", 12);
    /* An unnamed file first: if the process dies, even by SIGKILL, it
     * vanishes.  Filesystems without O_TMPFILE get a named temporary. */
    f->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (f->fd >= 0) {
        f->anonymous = 1;
    } else if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) {
        diag_error("%s: cannot create: %s", path, strerror(errno));
        free(dir);
        atomic_abort(f);
        return FWS_EXIT_IO;
    } else {
        f->fd = mkstemp(f->tmp);   /* always 0600 */
        if (f->fd < 0) {
            diag_error("%s: cannot create: %s", path, strerror(errno));
            free(dir);
            atomic_abort(f);
            return FWS_EXIT_IO;
        }
    }
    free(dir);
    um = umask(0);
    umask(um);
    f->mode = flags & ATOMIC_EXACT_MODE ? mode & 0777 : mode & ~um & 0777;
    f->no_replace = !overwrite;
    return FWS_EXIT_OK;
}

int atomic_write(atomic_file *f, const void *buf, size_t len)
{
    if (io_write_all(f->fd, buf, len) < 0) {
        diag_error("%s: write failed: %s", f->path ? f->path : "<stdout>", strerror(errno));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* Gives the unnamed file the temporary name f->tmp (made unique). */
static int name_anonymous(atomic_file *f)
{
    char proc[64];
    size_t n = strlen(f->tmp) - 6;
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
    for (int tries = 0; tries < 100; tries++) {
        tmpname_fill(f->tmp + n, 6);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW) == 0) {
            f->anonymous = 0;   /* from now on it has a name to remove */
            return 0;
        }
        if (errno != EEXIST)
            return -1;
    }
    return -1;
}

int atomic_commit(atomic_file *f)
{
    char proc[64];
    if (!f->tmp) {   /* stdout */
        f->fd = -1;
        return FWS_EXIT_OK;
    }
    if (fchmod(f->fd, f->mode) < 0 || fsync(f->fd) < 0) {
        diag_error("%s: cannot finish writing: %s", f->path, strerror(errno));
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    if (f->anonymous && f->no_replace) {
        /* linkat fails if the name appeared meanwhile: never clobber. */
        snprintf(proc, sizeof proc, "/proc/self/fd/%d", f->fd);
        if (linkat(AT_FDCWD, proc, AT_FDCWD, f->path, AT_SYMLINK_FOLLOW) < 0) {
            diag_error("%s: cannot create: %s", f->path, strerror(errno));
            atomic_abort(f);
            return FWS_EXIT_IO;
        }
        f->anonymous = 0;
        free(f->tmp);
        f->tmp = NULL;
        atomic_abort(f);   /* closes the descriptor, frees the names */
        return FWS_EXIT_OK;
    }
    if (f->anonymous && name_anonymous(f) < 0) {
        diag_error("%s: cannot name the output: %s", f->path, strerror(errno));
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    if (close(f->fd) < 0) {
        f->fd = -1;
        diag_error("%s: cannot finish writing: %s", f->path, strerror(errno));
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    f->fd = -1;
    if (f->no_replace) {
        /* link() fails if the name appeared meanwhile: never clobber. */
        if (link(f->tmp, f->path) < 0) {
            diag_error("%s: cannot create: %s", f->path, strerror(errno));
            atomic_abort(f);
            return FWS_EXIT_IO;
        }
        unlink(f->tmp);
    } else if (rename(f->tmp, f->path) < 0) {
        diag_error("%s: cannot rename into place: %s", f->path, strerror(errno));
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    free(f->tmp);
    f->tmp = NULL;
    free(f->path);
    f->path = NULL;
    return FWS_EXIT_OK;
}

void atomic_abort(atomic_file *f)
{
    if (f->tmp || f->anonymous) {
        if (f->fd >= 0)
            close(f->fd);
        if (f->tmp && !f->anonymous)
            unlink(f->tmp);
    }
    free(f->tmp);
    f->tmp = NULL;
    f->anonymous = 0;
    f->fd = -1;
    free(f->path);
    f->path = NULL;
}
