/* SPDX-License-Identifier: MIT */
/* A one-line progress indicator on stderr for long work: shown only when
 * stderr is a terminal (and not silenced), redrawn at most ten times a
 * second, erased at the end.  With the total known it shows done/total,
 * percent, rate and time left:
 *     app.elf: 12.0/48.0 MiB  25%  31.2 MiB/s  ETA 0:01
 * otherwise the bytes done and the rate; counts of things likewise.  Scripts and CI logs see nothing. */
#ifndef FWS_PROGRESS_H
#define FWS_PROGRESS_H

#include <stdint.h>

typedef struct {
    int active;
    const char *label;
    const char *unit; /* NULL: bytes, shown in MiB; else a count of these */
    uint64_t done, total;
    uint64_t start_ns, last_ns;
} progress;

/* total: the bytes expected, or 0 when unknown; quiet: show nothing. */
void progress_start(progress *p, const char *label, uint64_t total, int quiet);
/* Counts things instead of bytes: "LABEL: 12345/20000 UNIT ...". */
void progress_start_count(progress *p, const char *label, const char *unit, uint64_t total,
                          int quiet);
/* Adds bytes (or things) done. */
void progress_add(progress *p, uint64_t bytes);
void progress_end(progress *p);

#endif
