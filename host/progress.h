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
    uint64_t done;
    uint64_t last_ns;
} progress;

void progress_start(progress *p, const char *label);
void progress_add(progress *p, uint64_t bytes);
void progress_end(progress *p);

#endif
