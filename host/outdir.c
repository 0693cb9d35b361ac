/* SPDX-License-Identifier: MIT */
#include "outdir.h"
#include "diag.h"
#include "io.h"
#include "tmpname.h"
#include "xalloc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILES "f"      /* in the stage: the tree of files that goes into DIR */
#define REPLACED "r"   /* in the stage: files --force replaced, kept until the commit is done */
#define SEG_MAX 256    /* longest name segment handled (the name rules allow 64) */

/* A directory below at, never through a symbolic link. */
static int open_dir_at(int at, const char *name)
{
    return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* The segment of name at *seg up to the next '/' into part; *seg moves
 * past it.  0 when that was the last segment (the file's own name), 1 for
 * a directory on the way, -1 for a segment too long to be a name. */
static int next_segment(const char **seg, char part[SEG_MAX])
{
    const char *slash = strchr(*seg, '/');
    size_t n = slash ? (size_t)(slash - *seg) : strlen(*seg);
    if (n >= SEG_MAX)
        return -1;
    memcpy(part, *seg, n);
    part[n] = 0;
    *seg += n + (slash != NULL);
    return slash != NULL;
}

/* renameat that never replaces what is at the target: RENAME_NOREPLACE
 * where kernel and filesystem have it, else a look just before. */
static int rename_noreplace(int from_fd, const char *from, int to_fd, const char *to)
{
    struct stat st;
#ifdef RENAME_NOREPLACE
    if (renameat2(from_fd, from, to_fd, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    if (fstatat(to_fd, to, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(from_fd, from, to_fd, to);
}

/* Removes name below at and everything in it, without following links.
 * 0, or -1 with errno. */
static int remove_tree(int at, const char *name)
{
    struct dirent *e;
    DIR *d;
    int fd = open_dir_at(at, name), rc = 0;
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

void outdir_init(outdir *o)
{
    memset(o, 0, sizeof *o);
    o->parent_fd = o->stage_fd = o->files_fd = o->fd = -1;
}

/* DIR does not exist: the directory it goes into, and its last segment. */
static int open_parent_of_dir(outdir *o, const char *dir)
{
    size_t n = strlen(dir);
    char *parent;
    const char *slash;
    while (n > 1 && dir[n - 1] == '/')
        n--;
    parent = xstrndup(dir, n);
    slash = strrchr(parent, '/');
    o->base = xstrdup(slash ? slash + 1 : parent);
    if (slash)
        parent[slash == parent ? 1 : slash - parent] = 0;
    else
        strcpy(parent, ".");
    if (!*o->base || !strcmp(o->base, ".") || !strcmp(o->base, "..")) {
        diag_error("%s: cannot create the output: not a directory name", dir);
        free(parent);
        return -1;
    }
    o->parent_fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->parent_fd < 0)
        diag_error("%s: cannot create the output: %s", dir, strerror(errno));
    o->stage_path = parent;   /* completed by make_stage() */
    return o->parent_fd < 0 ? -1 : 0;
}

/* The stage: PREFIX-XXXXXX (0700) in parent_fd, with "f" and "r" in it. */
static int make_stage(outdir *o, const char *prefix)
{
    char *where = o->stage_path ? o->stage_path : o->dir;
    for (int tries = 0; tries < 100 && !o->stage_name; tries++) {
        char suffix[7];
        tmpname_fill(suffix, 6);
        suffix[6] = 0;
        o->stage_name = xasprintf("%s-%s", prefix, suffix);
        if (mkdirat(o->parent_fd, o->stage_name, 0700) < 0) {
            int err = errno;
            free(o->stage_name);
            o->stage_name = NULL;
            if (err != EEXIST) {
                diag_error("%s: cannot create the output: %s", o->dir, strerror(err));
                return -1;
            }
        }
    }
    if (!o->stage_name) {
        diag_error("%s: cannot create the output: no free temporary name", o->dir);
        return -1;
    }
    o->stage_path = xasprintf("%s/%s", where, o->stage_name);
    if (where != o->dir)
        free(where);
    /* "f" gets the umask's mode: it becomes DIR when DIR is created. */
    if ((o->stage_fd = open_dir_at(o->parent_fd, o->stage_name)) < 0 ||
        mkdirat(o->stage_fd, FILES, 0777) < 0 || mkdirat(o->stage_fd, REPLACED, 0700) < 0 ||
        (o->files_fd = open_dir_at(o->stage_fd, FILES)) < 0) {
        diag_error("%s: cannot create the output: %s", o->stage_path, strerror(errno));
        return -1;
    }
    return 0;
}

int outdir_open(outdir *o, const char *dir, const char *prefix)
{
    struct stat st;
    outdir_init(o);
    o->dir = xstrdup(dir);
    /* DIR itself may be a link to a directory: the caller named it. */
    o->parent_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (o->parent_fd < 0) {
        int err = errno;
        if ((err == ENOTDIR || err == ENOENT) && lstat(dir, &st) == 0) {
            diag_error("%s: exists and is not a directory", dir);
            return FWS_EXIT_IO;
        }
        if (err != ENOENT) {
            diag_error("%s: cannot open: %s", dir, strerror(err));
            return FWS_EXIT_IO;
        }
        o->dir_created = 1;
        if (open_parent_of_dir(o, dir))
            return FWS_EXIT_IO;
    }
    return make_stage(o, prefix) ? FWS_EXIT_IO : FWS_EXIT_OK;
}

int outdir_open_new(outdir *o, const char *dir, const char *prefix)
{
    struct stat st;
    outdir_init(o);
    if (lstat(dir, &st) == 0) {
        diag_error("%s: already exists (give a new directory: it is written whole, then "
                   "renamed into place)", dir);
        return FWS_EXIT_IO;
    }
    if (errno != ENOENT) {
        diag_error("%s: %s", dir, strerror(errno));
        return FWS_EXIT_IO;
    }
    o->dir = xstrdup(dir);
    o->dir_created = 1;
    o->bulk = 1;
    if (open_parent_of_dir(o, dir))
        return FWS_EXIT_IO;
    return make_stage(o, prefix) ? FWS_EXIT_IO : FWS_EXIT_OK;
}

int outdir_tree_fd(const outdir *o)
{
    return o->files_fd;
}

/* The directory holding name's last segment below at: each directory on
 * the way opened without following a link, and created (0755) first when
 * create.  Returns a descriptor the caller closes, the last segment in
 * leaf; or -1 with errno. */
static int open_parent(int at, const char *name, int create, char leaf[SEG_MAX])
{
    const char *seg = name;
    int fd = fcntl(at, F_DUPFD_CLOEXEC, 0), more;
    while (fd >= 0 && (more = next_segment(&seg, leaf)) != 0) {
        int next = -1;
        if (more > 0 && (!create || mkdirat(fd, leaf, 0755) == 0 || errno == EEXIST))
            next = open_dir_at(fd, leaf);
        else if (more < 0)
            errno = ENAMETOOLONG;
        close(fd);
        fd = next;
    }
    return fd;
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
    return outdir_create_mode(o, name, 0644);
}

int outdir_create_mode(outdir *o, const char *name, mode_t mode)
{
    char leaf[SEG_MAX];
    int pfd;
    if (outdir_finish(o))
        return -1;
    pfd = open_parent(o->files_fd, name, 1, leaf);
    if (pfd >= 0) {
        o->fd = openat(pfd, leaf, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        close(pfd);
    }
    if (o->fd < 0) {
        diag_error("%s/%s: cannot create: %s", o->stage_path, name, strerror(errno));
        return -1;
    }
    o->names = xrealloc(o->names, (size_t)(o->n_names + 1) * sizeof *o->names);
    o->names[o->n_names++] = xstrdup(name);
    return 0;
}

int outdir_write(outdir *o, const void *buf, size_t len)
{
    if (io_write_all(o->fd, buf, len) < 0) {
        diag_error("%s: write failed: %s", o->stage_path, strerror(errno));
        return -1;
    }
    return 0;
}

/* ---- the commit into an existing DIR ---- */

/* Whether name can go into DIR: every directory on the way is a directory
 * (not a link to one), and the file's place holds no directory, and
 * without force nothing at all.  0, or -1 after a message. */
static int check_target(const outdir *o, const char *name, int force)
{
    const char *seg = name;
    char part[SEG_MAX];
    struct stat st;
    int fd = fcntl(o->parent_fd, F_DUPFD_CLOEXEC, 0), more = 1, rc = 0;
    while (fd >= 0 && more > 0) {
        int next;
        if ((more = next_segment(&seg, part)) < 0) {
            errno = ENAMETOOLONG;
            rc = -1;
            break;
        }
        if (fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) < 0) {
            if (errno != ENOENT)
                rc = -1;   /* below a missing directory nothing exists */
            break;
        }
        if (S_ISLNK(st.st_mode) && more) {
            diag_error("%s/%.*s: is a symbolic link (links inside the output directory are not "
                       "followed); nothing written", o->dir, (int)(seg - name - 1), name);
            rc = -2;
        } else if (!S_ISDIR(st.st_mode) && more) {
            diag_error("%s/%.*s: exists and is not a directory; nothing written", o->dir,
                       (int)(seg - name - 1), name);
            rc = -2;
        } else if (S_ISDIR(st.st_mode) && !more) {
            diag_error("%s/%s: is a directory; nothing written", o->dir, name);
            rc = -2;
        } else if (!more && !force) {
            diag_error("%s/%s: already exists (use --force to replace it); nothing written",
                       o->dir, name);
            rc = -2;
        }
        if (rc || !more)
            break;
        next = open_dir_at(fd, part);
        close(fd);
        fd = next;
    }
    if (fd < 0 || rc == -1) {
        diag_error("%s/%s: %s; nothing written", o->dir, name, strerror(errno));
        rc = -1;
    }
    if (fd >= 0)
        close(fd);
    return rc ? -1 : 0;
}

/* What a failed commit undoes, latest first. */
typedef enum { UNDO_MKDIR, UNDO_NEW_FILE, UNDO_REPLACED } undo_kind;
typedef struct {
    undo_kind kind;
    int fd;                /* the directory the entry is in */
    char name[SEG_MAX];    /* the entry */
    char backup[24];       /* UNDO_REPLACED: the old file's name in the stage's "r" */
} undo;

typedef struct {
    undo *u;
    int n;
    int replaced_fd;       /* the stage's "r" */
} journal;

static void remember(journal *j, undo_kind kind, int fd, const char *name, const char *backup)
{
    undo *u;
    j->u = xrealloc(j->u, (size_t)(j->n + 1) * sizeof *j->u);
    u = &j->u[j->n++];
    u->kind = kind;
    u->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    snprintf(u->name, sizeof u->name, "%s", name);
    snprintf(u->backup, sizeof u->backup, "%s", backup ? backup : "");
}

/* Puts everything back as it was before the commit, newest move first;
 * closes the journal. */
static void roll_back(const outdir *o, journal *j, int undo_all)
{
    for (int i = j->n - 1; i >= 0; i--) {
        undo *u = &j->u[i];
        int rc = 0;
        if (undo_all && u->fd >= 0) {
            if (u->kind == UNDO_MKDIR)
                rc = unlinkat(u->fd, u->name, AT_REMOVEDIR);
            else if (u->kind == UNDO_NEW_FILE)
                rc = unlinkat(u->fd, u->name, 0);
            else
                rc = renameat(j->replaced_fd, u->backup, u->fd, u->name);
            if (rc < 0)
                diag_warn("%s: could not undo a move (%s): %s", o->dir, u->name, strerror(errno));
        }
        if (u->fd >= 0)
            close(u->fd);
    }
    free(j->u);
    j->u = NULL;
    j->n = 0;
}

/* Moves staged file i into DIR: missing directories created, a file
 * --force replaces kept in the stage until the end, each step in the
 * journal.  Without force nothing is ever replaced, whatever appeared
 * since the check.  0, or -1 after a message. */
static int place(const outdir *o, int i, int force, journal *j)
{
    const char *name = o->names[i], *seg = name;
    char part[SEG_MAX], backup[24];
    int fd = fcntl(o->parent_fd, F_DUPFD_CLOEXEC, 0), from = -1, more = 0, rc = -1;
    struct stat st;
    while (fd >= 0 && (more = next_segment(&seg, part)) > 0) {
        int next;
        if (mkdirat(fd, part, 0755) == 0)
            remember(j, UNDO_MKDIR, fd, part, NULL);
        else if (errno != EEXIST)
            break;
        next = open_dir_at(fd, part);
        close(fd);
        fd = next;
    }
    if (fd >= 0 && more < 0)
        errno = ENAMETOOLONG;
    if (fd < 0 || more < 0 || (from = open_parent(o->files_fd, name, 0, part)) < 0)
        goto out;
    if (force && fstatat(fd, part, &st, AT_SYMLINK_NOFOLLOW) == 0) {
        snprintf(backup, sizeof backup, "%d", i);
        if (renameat(fd, part, j->replaced_fd, backup) < 0)
            goto out;
        remember(j, UNDO_REPLACED, fd, part, backup);
    }
    if (rename_noreplace(from, part, fd, part) < 0)
        goto out;
    remember(j, UNDO_NEW_FILE, fd, part, NULL);
    rc = 0;
out:
    if (rc)
        diag_error("%s/%s: cannot move into place: %s; nothing written", o->dir, name,
                   strerror(errno));
    if (fd >= 0)
        close(fd);
    if (from >= 0)
        close(from);
    return rc;
}

/* The commit; with keep, the journal of a successful one is kept in o
 * for outdir_undo(). */
static int commit(outdir *o, int force, int keep)
{
    journal j = {NULL, 0, -1};
    int i;
    if (outdir_finish(o))
        return FWS_EXIT_IO;
    if (o->bulk && syncfs(o->files_fd) < 0) {
        diag_error("%s: cannot write the output to disk: %s", o->stage_path, strerror(errno));
        return FWS_EXIT_IO;
    }
    if (o->dir_created) {
        if (rename_noreplace(o->stage_fd, FILES, o->parent_fd, o->base) < 0) {
            diag_error("%s: cannot move the output into place: %s", o->dir, strerror(errno));
            return FWS_EXIT_IO;
        }
        if (o->bulk && fsync(o->parent_fd) < 0)
            diag_warn("%s: renamed into place, but its directory could not be synced: %s",
                      o->dir, strerror(errno));
        o->tree_moved = keep;
        return FWS_EXIT_OK;
    }
    /* Everything is checked before the first move... */
    for (i = 0; i < o->n_names; i++)
        if (check_target(o, o->names[i], force))
            return FWS_EXIT_IO;
    /* ... and what fails anyway (DIR changed meanwhile) is undone. */
    if ((j.replaced_fd = open_dir_at(o->stage_fd, REPLACED)) < 0) {
        diag_error("%s: %s", o->stage_path, strerror(errno));
        return FWS_EXIT_IO;
    }
    for (i = 0; i < o->n_names; i++)
        if (place(o, i, force, &j))
            break;
    if (keep && i == o->n_names) {
        o->undo = xmalloc(sizeof j);
        memcpy(o->undo, &j, sizeof j);
        return FWS_EXIT_OK;
    }
    roll_back(o, &j, i < o->n_names);
    close(j.replaced_fd);
    return i < o->n_names ? FWS_EXIT_IO : FWS_EXIT_OK;
}

int outdir_commit(outdir *o, int force)
{
    return commit(o, force, 0);
}

int outdir_commit_undoable(outdir *o, int force)
{
    return commit(o, force, 1);
}

/* Drops the journal of outdir_commit_undoable(); undo_all: takes the
 * moves back first. */
static void settle(outdir *o, int undo_all)
{
    journal *j = o->undo;
    if (o->tree_moved && undo_all &&
        rename_noreplace(o->parent_fd, o->base, o->stage_fd, FILES) < 0)
        diag_warn("%s: could not take the output back (remove it): %s", o->dir, strerror(errno));
    o->tree_moved = 0;
    if (!j)
        return;
    roll_back(o, j, undo_all);
    close(j->replaced_fd);
    free(j);
    o->undo = NULL;
}

void outdir_undo(outdir *o)
{
    settle(o, 1);
}

void outdir_close(outdir *o)
{
    settle(o, 0);   /* a commit not undone stands */
    if (o->fd >= 0)
        close(o->fd);
    if (o->files_fd >= 0)
        close(o->files_fd);
    if (o->stage_fd >= 0)
        close(o->stage_fd);
    /* The stage may hold plaintext of a rejected container: it goes in
     * every case. */
    if (o->stage_name && remove_tree(o->parent_fd, o->stage_name) < 0)
        diag_warn("%s: could not remove the staging directory: %s", o->stage_path,
                  strerror(errno));
    if (o->parent_fd >= 0)
        close(o->parent_fd);
    for (int i = 0; i < o->n_names; i++)
        free(o->names[i]);
    free(o->names);
    free(o->stage_name);
    free(o->stage_path);
    free(o->base);
    free(o->dir);
    outdir_init(o);
}
