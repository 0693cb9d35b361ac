#include "outdir.h"
#include "diag.h"
#include "io.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *join(const char *a, const char *b)
{
    return xasprintf("%s/%s", a, b);
}

/* mkdir -p for the directories of a relative name under root. */
static int make_parents(const char *root, const char *name)
{
    char *path = join(root, name), *slash = path + strlen(root) + 1;
    int rc = 0;
    while ((slash = strchr(slash, '/')) != NULL) {
        *slash = 0;
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            diag_error("%s: cannot create directory: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        *slash++ = '/';
    }
    free(path);
    return rc;
}

void outdir_init(outdir *o)
{
    memset(o, 0, sizeof *o);
    o->fd = -1;
}

int outdir_open(outdir *o, const char *dir, const char *prefix)
{
    struct stat st;
    char *copy, *tmpl;
    outdir_init(o);
    if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
        diag_error("%s: exists and is not a directory", dir);
        return FWS_EXIT_IO;
    }
    o->dir = xstrdup(dir);
    o->dir_created = stat(dir, &st) != 0;
    copy = xstrdup(dir);
    tmpl = xasprintf("%s/%s-XXXXXX", o->dir_created ? dirname(copy) : dir, prefix);
    free(copy);
    if (!mkdtemp(tmpl)) {
        diag_error("%s: cannot create the output: %s", dir, strerror(errno));
        free(tmpl);
        return FWS_EXIT_IO;
    }
    o->staging = tmpl;
    return FWS_EXIT_OK;
}

int outdir_finish(outdir *o)
{
    int rc = 0;
    if (o->fd < 0)
        return 0;
    if (fsync(o->fd) < 0)
        rc = -1;
    if (close(o->fd) < 0)
        rc = -1;
    o->fd = -1;
    if (rc)
        diag_error("%s: cannot finish writing: %s", o->dir, strerror(errno));
    return rc;
}

int outdir_create(outdir *o, const char *name)
{
    char *path;
    if (outdir_finish(o) || make_parents(o->staging, name))
        return -1;
    path = join(o->staging, name);
    o->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (o->fd < 0)
        diag_error("%s: cannot create: %s", path, strerror(errno));
    free(path);
    if (o->fd < 0)
        return -1;
    o->names = xrealloc(o->names, (size_t)(o->n_names + 1) * sizeof *o->names);
    o->names[o->n_names++] = xstrdup(name);
    return 0;
}

int outdir_write(outdir *o, const void *buf, size_t len)
{
    if (io_write_all(o->fd, buf, len) < 0) {
        diag_error("%s: write failed: %s", o->staging, strerror(errno));
        return -1;
    }
    return 0;
}

int outdir_commit(outdir *o, int force)
{
    int i;
    if (outdir_finish(o))
        return FWS_EXIT_IO;
    if (o->dir_created) {
        mode_t um = umask(0);
        umask(um);
        chmod(o->staging, 0777 & ~um);   /* mkdtemp made it 0700 */
        if (rename(o->staging, o->dir) < 0) {
            diag_error("%s: cannot move the output into place: %s", o->dir, strerror(errno));
            return FWS_EXIT_IO;
        }
        return FWS_EXIT_OK;
    }
    for (i = 0; i < o->n_names && !force; i++) {
        char *path = join(o->dir, o->names[i]);
        struct stat st;
        int exists = lstat(path, &st) == 0;
        if (exists)
            diag_error("%s: already exists (use --force to replace it); nothing written", path);
        free(path);
        if (exists)
            return FWS_EXIT_IO;
    }
    for (i = 0; i < o->n_names; i++) {
        char *from, *to;
        int rc;
        if (make_parents(o->dir, o->names[i]))
            return FWS_EXIT_IO;
        from = join(o->staging, o->names[i]);
        to = join(o->dir, o->names[i]);
        rc = rename(from, to);
        if (rc < 0)
            diag_error("%s: cannot move into place: %s", to, strerror(errno));
        free(from);
        free(to);
        if (rc < 0)
            return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* Removes name below at and everything in it, through directory
 * descriptors and without following links: no shell ever sees a path.
 * 0, or -1 with errno. */
static int remove_tree(int at, const char *name)
{
    struct dirent *e;
    DIR *d;
    int fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), rc = 0;
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    if (!(d = fdopendir(fd))) {
        close(fd);
        return -1;
    }
    while ((e = readdir(d)) != NULL) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        if (unlinkat(fd, e->d_name, 0) < 0 && (errno != EISDIR || remove_tree(fd, e->d_name) < 0))
            rc = -1;
    }
    closedir(d);
    if (unlinkat(at, name, AT_REMOVEDIR) < 0)
        rc = -1;
    return rc;
}

void outdir_close(outdir *o)
{
    if (o->fd >= 0)
        close(o->fd);
    /* The staging directory may hold plaintext of a rejected container:
     * it goes in every case. */
    if (o->staging && remove_tree(AT_FDCWD, o->staging) < 0)
        diag_warn("%s: could not remove the staging directory: %s", o->staging, strerror(errno));
    for (int i = 0; i < o->n_names; i++)
        free(o->names[i]);
    free(o->names);
    free(o->staging);
    free(o->dir);
    outdir_init(o);
}
