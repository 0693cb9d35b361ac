/*
 * An output directory written all or nothing: files are first written to
 * a hidden staging directory (inside DIR, or beside it when DIR does not
 * exist yet), and moved into DIR by outdir_commit() only after the caller
 * has accepted everything.  Used by `fwseal unpack` and `fwsv install`.
 *
 * Names are relative paths that passed the component name rules
 * (fws_component_name_valid(): no "..", no empty segment, no leading '/').
 */
#ifndef FWS_OUTDIR_H
#define FWS_OUTDIR_H

#include <stddef.h>

typedef struct {
    char *dir;          /* DIR as given */
    char *staging;      /* the staging directory, NULL before outdir_open */
    int dir_created;    /* DIR did not exist: the staging directory becomes DIR */
    int fd;             /* the file being written, or -1 */
    char **names;       /* files staged, in the order they were created */
    int n_names;
} outdir;

/* A closed outdir that outdir_close() accepts. */
void outdir_init(outdir *o);
/* Creates the staging directory for dir, named PREFIX-XXXXXX.  Refuses a
 * dir that exists and is not a directory.  Returns an FWS_EXIT_* status;
 * messages printed. */
int outdir_open(outdir *o, const char *dir, const char *prefix);
/* Starts staged file `name` (finishing the previous one); outdir_write()
 * appends to it.  0, or -1 after a message. */
int outdir_create(outdir *o, const char *name);
int outdir_write(outdir *o, const void *buf, size_t len);
/* Finishes the current file (fsync, close).  0, or -1 after a message. */
int outdir_finish(outdir *o);
/* Moves every staged file into DIR.  Without force an existing file in
 * DIR refuses the whole commit before anything moves.  Returns an
 * FWS_EXIT_* status; messages printed. */
int outdir_commit(outdir *o, int force);
/* Removes the staging directory and everything still in it; frees o. */
void outdir_close(outdir *o);

#endif
