#include "atomic_file.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int write_all(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int atomic_open(atomic_file *f, const char *path, mode_t mode, int overwrite)
{
    struct stat st;
    size_t n;
    memset(f, 0, sizeof *f);
    f->fd = -1;
    if (!strcmp(path, "-")) {
        f->fd = STDOUT_FILENO;
        return FWS_EXIT_OK;
    }
    if (!overwrite && lstat(path, &st) == 0) {
        cli_error("%s: already exists (use --force to overwrite)", path);
        return FWS_EXIT_IO;
    }
    n = strlen(path);
    f->path = strdup(path);
    f->tmp = malloc(n + 16);
    if (!f->path || !f->tmp) {
        cli_error("out of memory");
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    memcpy(f->tmp, path, n);
    memcpy(f->tmp + n, ".tmp-XXXXXX", 12);
    f->fd = mkstemp(f->tmp);   /* always 0600 */
    if (f->fd < 0) {
        cli_error("%s: cannot create: %s", path, strerror(errno));
        free(f->tmp);
        f->tmp = NULL;
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    {
        mode_t um = umask(0);
        umask(um);
        f->mode = mode & ~um & 0777;
    }
    f->no_replace = !overwrite;
    return FWS_EXIT_OK;
}

int atomic_write(atomic_file *f, const void *buf, size_t len)
{
    if (write_all(f->fd, buf, len) < 0) {
        cli_error("%s: write failed: %s", f->path ? f->path : "<stdout>", strerror(errno));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int atomic_commit(atomic_file *f)
{
    if (!f->tmp) {   /* stdout */
        f->fd = -1;
        return FWS_EXIT_OK;
    }
    if (fchmod(f->fd, f->mode) < 0 || fsync(f->fd) < 0) {
        cli_error("%s: cannot finish writing: %s", f->path, strerror(errno));
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    if (close(f->fd) < 0) {
        f->fd = -1;
        cli_error("%s: cannot finish writing: %s", f->path, strerror(errno));
        atomic_abort(f);
        return FWS_EXIT_IO;
    }
    f->fd = -1;
    if (f->no_replace) {
        /* link() fails if the name appeared meanwhile: never clobber. */
        if (link(f->tmp, f->path) < 0) {
            cli_error("%s: cannot create: %s", f->path, strerror(errno));
            atomic_abort(f);
            return FWS_EXIT_IO;
        }
        unlink(f->tmp);
    } else if (rename(f->tmp, f->path) < 0) {
        cli_error("%s: cannot rename into place: %s", f->path, strerror(errno));
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
    if (f->tmp) {
        if (f->fd >= 0)
            close(f->fd);
        unlink(f->tmp);
        free(f->tmp);
        f->tmp = NULL;
    }
    f->fd = -1;
    free(f->path);
    f->path = NULL;
}
