/* SPDX-License-Identifier: MIT */
/* A one-line progress indicator on stderr for long work: shown only when
 * stderr is a terminal, redrawn at most ten times a second, erased at the
 * end.  Scripts and CI logs see nothing. */
#ifndef FWS_PROGRESS_H
#define FWS_PROGRESS_H

#include <stdint.h>

typedef struct {
    int active;
    const char *label;
    const char *unit;     /* NULL: bytes, shown in MiB; else a count of these */
    uint64_t done;
    uint64_t last_ns;
} progress;

void progress_start(progress *p, const char *label);
/* Counts things instead of bytes: "LABEL: 12345 UNIT". */
void progress_start_count(progress *p, const char *label, const char *unit);
/* Adds bytes (or things) done. */
void progress_add(progress *p, uint64_t bytes);
void progress_end(progress *p);

#endif
