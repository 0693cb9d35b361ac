/* SPDX-License-Identifier: MIT */
/*
 * The output side of `fwseal unpack`: the sink decide() hands each
 * verified component to, writing DIR/NAME through a staged output
 * directory (host/outdir.h) or the members of OUT.tar through an atomic
 * file.  Nothing appears under the output's name before unpack_commit(),
 * which the caller runs only for an accepted container.
 */
#ifndef FWS_UNPACK_H
#define FWS_UNPACK_H

#include "atomic_file.h"
#include "decide.h"
#include "outdir.h"

struct archive;

typedef struct {
    const char *output;
    int tar_mode;          /* output ends in ".tar" */
    outdir dir;            /* directory mode */
    struct archive *ar;    /* tar mode */
    atomic_file tar;
    const container *c;    /* for the members' mtime: the signed timestamp */
} unpack_out;

/* Prepares output (DIR or OUT.tar; force: replace existing files) for
 * container c and fills *sink.  Returns an FWS_EXIT_* status; messages
 * printed.  unpack_close() is needed whatever it returns. */
int unpack_open(unpack_out *u, const char *output, int force, const container *c,
                component_sink *sink);
/* Puts the output into place.  FWS_EXIT_OK or FWS_EXIT_IO (printed). */
int unpack_commit(unpack_out *u, int force);
/* Removes whatever was not committed. */
void unpack_close(unpack_out *u);

#endif
