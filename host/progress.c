/* SPDX-License-Identifier: MIT */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void progress_start(progress *p, const char *label)
{
    p->active = isatty(STDERR_FILENO);
    p->label = label;
    p->unit = NULL;
    p->done = 0;
    p->last_ns = now_ns();
}

void progress_start_count(progress *p, const char *label, const char *unit)
{
    progress_start(p, label);
    p->unit = unit;
}

void progress_add(progress *p, uint64_t bytes)
{
    uint64_t t;
    p->done += bytes;
    if (!p->active)
        return;
    t = now_ns();
    if (t - p->last_ns < 100000000u)
        return;
    p->last_ns = t;
    if (p->unit)
        fprintf(stderr, "\r%s: %llu %s\033[K", p->label, (unsigned long long)p->done, p->unit);
    else
        fprintf(stderr, "\r%s: %.1f MiB\033[K", p->label,
                (double)p->done / (1024.0 * 1024.0));
    fflush(stderr);
}

void progress_end(progress *p)
{
    if (p->active)
        fputs("\r\033[K", stderr);
    p->active = 0;
}
