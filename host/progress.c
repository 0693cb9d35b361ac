/* SPDX-License-Identifier: MIT */
#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024.0 * 1024.0)

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void progress_start(progress *p, const char *label, uint64_t total, int quiet)
{
    p->active = !quiet && isatty(STDERR_FILENO);
    p->label = label;
    p->unit = NULL;
    p->done = 0;
    p->total = total;
    p->start_ns = p->last_ns = now_ns();
}

static void draw(const progress *p, uint64_t t)
{
    double scale = p->unit ? 1.0 : MIB;
    const char *unit = p->unit ? p->unit : "MiB";
    int prec = p->unit ? 0 : 1;
    double secs = (double)(t - p->start_ns) / 1e9, rate = secs > 0 ? (double)p->done / secs : 0;
    fprintf(stderr, "\r%s: ", p->label);
    if (p->total && p->done <= p->total) {
        double left = rate > 0 ? (double)(p->total - p->done) / rate : 0;
        unsigned long eta = (unsigned long)(left + 0.5);
        fprintf(stderr, "%.*f/%.*f %s  %3d%%  %.*f %s/s  ETA %lu:%02lu", prec,
                (double)p->done / scale, prec, (double)p->total / scale, unit,
                (int)(100.0 * (double)p->done / (double)p->total), prec, rate / scale, unit,
                eta / 60, eta % 60);
    } else {
        fprintf(stderr, "%.*f %s  %.*f %s/s", prec, (double)p->done / scale, unit, prec,
                rate / scale, unit);
    }
    fputs("\033[K", stderr);
    fflush(stderr);
}

void progress_start_count(progress *p, const char *label, const char *unit, uint64_t total,
                          int quiet)
{
    progress_start(p, label, total, quiet);
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
    draw(p, t);
}

void progress_end(progress *p)
{
    if (p->active)
        fputs("\r\033[K", stderr);
    p->active = 0;
}
