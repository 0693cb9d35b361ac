/* SPDX-License-Identifier: MIT */
/*
 * An output directory written all or nothing, for `fwseal unpack` and
 * `fwsv install`.
 *
 * Files are written to a hidden staging directory (DIR/PREFIX-XXXXXX, or
 * beside DIR when DIR does not exist yet) and moved into DIR by
 * outdir_commit() only after the caller has accepted everything.  Paths
 * are never handed to a shell: every step is a system call on directory
 * descriptors (openat, mkdirat, renameat, unlinkat), so a quote, a
 * semicolon or a newline in DIR is only a character of a name.
 *
 * Inside DIR no symbolic link is followed: each directory on the way to a
 * file is opened with O_NOFOLLOW, and a component below a link, or below
 * something that is not a directory, is refused before anything moves.
 * (DIR itself, as the caller named it, may be a link to a directory.)
 * Every target and parent is checked before the first move; a move that
 * fails anyway (DIR changed meanwhile) undoes the moves before it, so DIR
 * ends as it was.  The staging directory, which may hold plaintext of a
 * container that was then rejected, is removed by outdir_close() in every
 * case.
 *
 * Names are relative paths that passed the component name rules
 * (fws_component_name_valid(): segments of [A-Za-z0-9._+-], no empty,
 * "." or ".." segment, no leading '/').
 */
#ifndef FWS_OUTDIR_H
#define FWS_OUTDIR_H

#include <stddef.h>
#include <sys/types.h>

typedef struct {
    char *dir;          /* DIR as given, for messages */
    char *stage_path;   /* the staging directory's path, for messages */
    char *stage_name;   /* its name in parent_fd */
    char *base;         /* DIR's last segment, when DIR is to be created */
    int parent_fd;      /* DIR when it exists, else the directory DIR goes into */
    int stage_fd;       /* the staging directory: files in "f/", replaced ones in "r/" */
    int files_fd;       /* stage "f/": the tree that goes into DIR */
    int dir_created;    /* DIR did not exist: "f/" becomes DIR */
    int bulk;           /* outdir_open_new(): files written through outdir_tree_fd() */
    int fd;             /* the file being written, or -1 */
    char **names;       /* files staged, in the order they were created */
    int n_names;
    void *undo;         /* outdir_commit_undoable(): how to take the moves back */
    int tree_moved;     /* outdir_commit_undoable() renamed "f/" to DIR */
} outdir;

/* A closed outdir that outdir_close() accepts. */
void outdir_init(outdir *o);
/* Creates the staging directory for dir, named PREFIX-XXXXXX.  Refuses a
 * dir that exists and is not a directory.  Returns an FWS_EXIT_* status;
 * messages printed. */
int outdir_open(outdir *o, const char *dir, const char *prefix);
/* For a new DIR of many files (`fwseal rewrap --out-dir`): refuses a DIR
 * that exists, then stages like outdir_open().  The caller writes the
 * files itself below outdir_tree_fd() (openat, from any thread, no fsync
 * per file; outdir_create() is not used), and outdir_commit() syncs the
 * filesystem once and renames the whole tree into place: memory and the
 * commit's cost do not grow with the number of files.  Returns an
 * FWS_EXIT_* status; messages printed. */
int outdir_open_new(outdir *o, const char *dir, const char *prefix);
/* The staged tree's directory (DIR-to-be), for outdir_open_new(). */
int outdir_tree_fd(const outdir *o);
/* Starts staged file `name` (finishing the previous one); outdir_write()
 * appends to it.  0, or -1 after a message. */
int outdir_create(outdir *o, const char *name);
/* The same with the file's mode (outdir_create: 0644; secret keys: 0600),
 * less the umask. */
int outdir_create_mode(outdir *o, const char *name, mode_t mode);
int outdir_write(outdir *o, const void *buf, size_t len);
/* Finishes the current file (fsync, close).  0, or -1 after a message. */
int outdir_finish(outdir *o);
/* Moves every staged file into DIR, all or nothing.  Without force an
 * existing file refuses the commit; with force it is replaced.  A
 * directory where a file goes, and a link or a non-directory where a
 * directory goes, refuse it either way.  Returns FWS_EXIT_OK, or
 * FWS_EXIT_IO with DIR as it was (messages printed). */
int outdir_commit(outdir *o, int force);
/* The same, but the moves can still be taken back by outdir_undo() until
 * outdir_close(): for a commit that another one must follow (`device
 * new`'s registry transaction), so that a failure of the second leaves
 * DIR as it was too. */
int outdir_commit_undoable(outdir *o, int force);
/* Takes back the moves of outdir_commit_undoable(), newest first: the
 * files leave DIR again (back into the stage, which outdir_close()
 * removes), replaced files are put back.  What cannot be undone is
 * warned about, by name. */
void outdir_undo(outdir *o);
/* Removes the staging directory and everything still in it; frees o. */
void outdir_close(outdir *o);

#endif
