/* SPDX-License-Identifier: MIT */
/*
 * Text image formats (Intel HEX, Motorola S-records) into one memory image,
 * streamed to the caller as a component at the lowest data address.  The
 * format's reader (input_ihex.c, input_srec.c) yields data records; this
 * file puts them in place.
 *
 * Two passes over the file, so memory is bounded by the image, not by the
 * number or shape of the records:
 *   1. every record is parsed and checked by the reader, and the lowest
 *      and highest data address found here; contiguous runs are kept
 *      (a bounded list) so a gap too large to allocate across can still
 *      be reported as a gap;
 *   2. span bytes (prefilled with the fill byte) plus a bitmap of defined
 *      bytes are allocated, the records read again and copied; a byte
 *      already defined is an overlap.  A gap (undefined run) longer than
 *      hex_max_gap is an error; shorter ones keep the fill byte.
 * If pass 2 does not see what pass 1 saw, the file changed in between.
 */
#include "input_reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "parse.h"
#include "xalloc.h"

#define RUNS_CAP 65536           /* contiguous runs remembered for diagnosis */

typedef struct {
    uint64_t start, end;
} run;

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Reads one line (without '\n') into buf.  Returns its length, -1 at the
 * end of the file, -2 if too long, -3 on a read error (printed). */
static long read_line(image_records *r, char *buf)
{
    long n = 0;
    int c;
    for (;;) {
        c = getc_unlocked(r->f);
        if (c == EOF) {
            if (ferror(r->f)) {
                diag_error("%s: read failed: %s", r->origin, strerror(errno));
                return -3;
            }
            if (n == 0)
                return -1;
            break;
        }
        r->chars++;
        if (c == '\n')
            break;
        if (n == FWS_IMAGE_LINE_CAP)
            return -2;
        buf[n++] = (char)c;
    }
    return n;
}

long fws_image_line(image_records *r, char *line)
{
    for (;;) {
        long n = read_line(r, line);
        if (n == -3)
            return -1;
        if (n == -1) {
            if (r->seen_end)
                return 0;
            if (r->chars == 0)
                diag_error("%s: empty input", r->origin);
            else
                diag_error("%s: line %lu: missing %s at the end of the file", r->origin,
                           r->line, r->end_record);
            return -1;
        }
        r->line++;
        if (n == -2) {
            diag_error("%s: line %lu: bad record length: line longer than %d characters "
                       "(a record has at most %u)", r->origin, r->line, FWS_IMAGE_LINE_CAP,
                       r->max_record);
            return -1;
        }
        while (n > 0 && is_space((unsigned char)line[n - 1]))
            n--;
        if (n == 0)
            continue; /* blank line */
        if (r->seen_end) {
            diag_error("%s: line %lu: data after the %s", r->origin, r->line, r->end_record);
            return -1;
        }
        return n;
    }
}

int fws_image_hex(image_records *r, const char *line, size_t n, size_t first, uint8_t *b,
                  size_t *nbytes)
{
    size_t i, digits = n - first;
    for (i = first; i < n; i++) {
        if (parse_hex_digit((unsigned char)line[i]) < 0) {
            char c[8];
            fws_input_printable(line + i, 1, 1, c, sizeof c);
            diag_error("%s: line %lu: non-hex character '%s' at column %zu", r->origin, r->line,
                       c, i + 1);
            return -1;
        }
    }
    if (digits % 2) {
        diag_error("%s: line %lu: bad record length: odd number of hex digits (%zu)", r->origin,
                   r->line, digits);
        return -1;
    }
    *nbytes = digits / 2;
    for (i = 0; i < *nbytes; i++)
        b[i] = (uint8_t)(parse_hex_digit((unsigned char)line[first + 2 * i]) << 4 |
                         parse_hex_digit((unsigned char)line[first + 1 + 2 * i]));
    return 0;
}

typedef struct {
    const uint8_t *image;
    size_t len, pos;
} image_ctx;

static long image_read(void *ctx, uint8_t *buf, size_t cap)
{
    image_ctx *m = ctx;
    size_t n = m->len - m->pos;
    if (cap > (1u << 30))
        cap = 1u << 30;
    if (n > cap)
        n = cap;
    memcpy(buf, m->image + m->pos, n);
    m->pos += n;
    return (long)n;
}

static int run_cmp(const void *a, const void *b)
{
    const run *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* The first gap larger than max_gap among sorted runs, or 0. */
static int runs_gap(run *runs, size_t n, uint64_t max_gap, uint64_t *at, uint64_t *size)
{
    uint64_t far;
    size_t i;
    if (n == 0)
        return 0;
    qsort(runs, n, sizeof *runs, run_cmp);
    far = runs[0].end;
    for (i = 1; i < n; i++) {
        if (runs[i].start > far && runs[i].start - far > max_gap) {
            *at = far;
            *size = runs[i].start - far;
            return 1;
        }
        if (runs[i].end > far)
            far = runs[i].end;
    }
    return 0;
}

/* One file of records on its way to a memory image. */
typedef struct {
    const char *origin;
    image_records *rec;
    const fws_input_opts *opts;
    uint64_t lo, hi;               /* lowest data address, one past the highest */
    uint64_t records;              /* data records of pass 1 */
    run *runs;                     /* contiguous runs seen by pass 1, for diagnosis */
    size_t nruns;
    int runs_ok;                   /* every run fitted in runs[] */
    uint8_t *image, *defined;      /* pass 2: hi - lo bytes, and a bit per byte */
} hex_image;

static void keep_run(hex_image *h, run r)
{
    if (h->nruns < RUNS_CAP)
        h->runs[h->nruns++] = r;
    else
        h->runs_ok = 0;
}

/* Pass 1: check every record, find the bounds, remember the runs.  0, or
 * -1 after a message. */
static int scan_bounds(hex_image *h)
{
    image_records *p = h->rec;
    run cur = {0, 0};
    int have_cur = 0, r;
    while ((r = p->next(p)) == 1) {
        h->records++;
        for (unsigned i = 0; i < p->len; i++) {
            uint64_t a = p->address(p, i);
            if (a < h->lo)
                h->lo = a;
            if (a + 1 > h->hi)
                h->hi = a + 1;
            if (have_cur && a == cur.end) {
                cur.end++;
                continue;
            }
            if (have_cur)
                keep_run(h, cur);
            cur.start = a;
            cur.end = a + 1;
            have_cur = 1;
        }
    }
    if (r < 0)
        return -1;
    if (h->records == 0) {
        diag_error("%s: no data records", h->origin);
        return -1;
    }
    keep_run(h, cur);
    return 0;
}

/* The span must fit in memory; a span too large is reported as the gap
 * that makes it so when the runs show one. */
static int check_span(const hex_image *h)
{
    uint64_t span = h->hi - h->lo, gap_at, gap_size;
    if (span <= FWS_INPUT_HEX_MAX_SPAN)
        return 0;
    if (h->runs_ok && runs_gap(h->runs, h->nruns, h->opts->hex_max_gap, &gap_at, &gap_size))
        diag_error("%s: gap of %llu bytes at 0x%llX exceeds the maximum gap of %llu bytes",
                   h->origin, (unsigned long long)gap_size, (unsigned long long)gap_at,
                   (unsigned long long)h->opts->hex_max_gap);
    else
        diag_error("%s: data from 0x%llX to 0x%llX spans %llu bytes, more than the %llu "
                   "bytes an image may span", h->origin, (unsigned long long)h->lo,
                   (unsigned long long)(h->hi - 1), (unsigned long long)span,
                   (unsigned long long)FWS_INPUT_HEX_MAX_SPAN);
    return -1;
}

/* Pass 2: the records again, into the image; a byte defined twice is an
 * overlap, and pass 2 must see what pass 1 saw. */
static int assemble(hex_image *h)
{
    size_t span = (size_t)(h->hi - h->lo);
    uint64_t records = 0;
    image_records *p = h->rec;
    int r = 0;
    h->image = xmalloc(span);
    h->defined = xcalloc((span + 7) / 8, 1);
    memset(h->image, h->opts->hex_fill, span);
    if (fseek(p->f, 0, SEEK_SET) != 0) {
        diag_error("%s: cannot read the file a second time: %s", h->origin, strerror(errno));
        return -1;
    }
    clearerr(p->f);
    p->rewind(p);
    while (records != UINT64_MAX && (r = p->next(p)) == 1) {
        records++;
        for (unsigned i = 0; i < p->len; i++) {
            uint64_t a = p->address(p, i);
            size_t k;
            if (a < h->lo || a >= h->hi) {
                records = UINT64_MAX;
                break;
            }
            k = (size_t)(a - h->lo);
            if (h->defined[k / 8] & (1u << (k % 8))) {
                diag_error("%s: line %lu: record at 0x%llX overlaps bytes already defined at "
                           "0x%llX", h->origin, p->line, (unsigned long long)p->address(p, 0),
                           (unsigned long long)a);
                return -1;
            }
            h->defined[k / 8] |= (uint8_t)(1u << (k % 8));
            h->image[k] = p->data[i];
        }
    }
    if (records != UINT64_MAX && r < 0)
        return -1;
    if (records != h->records) {
        diag_error("%s: the file changed while it was being read", h->origin);
        return -1;
    }
    return 0;
}

/* Gaps: runs of undefined bytes inside [lo, hi), each at most the
 * maximum gap (they keep the fill byte). */
static int check_gaps(const hex_image *h)
{
    const uint8_t *defined = h->defined;
    size_t k = 0, n = (size_t)(h->hi - h->lo);
    while (k < n) {
        size_t start;
        if (defined[k / 8] == 0xFF && k % 8 == 0) {
            k += 8;
            continue;
        }
        if (defined[k / 8] & (1u << (k % 8))) {
            k++;
            continue;
        }
        start = k;
        while (k < n && !(defined[k / 8] & (1u << (k % 8)))) {
            if (k % 8 == 0 && defined[k / 8] == 0 && k + 8 <= n)
                k += 8;
            else
                k++;
        }
        if ((uint64_t)(k - start) > h->opts->hex_max_gap) {
            diag_error("%s: gap of %llu bytes at 0x%llX exceeds the maximum gap of %llu bytes",
                       h->origin, (unsigned long long)(k - start),
                       (unsigned long long)(h->lo + start),
                       (unsigned long long)h->opts->hex_max_gap);
            return -1;
        }
    }
    return 0;
}

int fws_input_image(const char *name, image_records *rec, const fws_input_opts *opts,
                    fws_component_fn fn, void *user)
{
    hex_image h;
    int rc = FWS_EXIT_IO;

    memset(&h, 0, sizeof h);
    h.origin = rec->origin;
    h.rec = rec;
    h.opts = opts;
    h.lo = UINT64_MAX;
    h.runs_ok = 1;
    h.runs = xmalloc(RUNS_CAP * sizeof *h.runs);
    if (scan_bounds(&h) == 0 && check_span(&h) == 0 && assemble(&h) == 0 && check_gaps(&h) == 0) {
        image_ctx m = {h.image, (size_t)(h.hi - h.lo), 0};
        fws_component_src src = {name, 1, h.lo, rec->origin, image_read, &m, h.hi - h.lo};
        /* Only the image is needed while the caller reads it. */
        free(h.defined);
        free(h.runs);
        h.defined = NULL;
        h.runs = NULL;
        rc = fn(user, &src);
    }
    free(h.image);
    free(h.defined);
    free(h.runs);
    return rc;
}

int fws_input_image_file(const char *name, const char *file, image_records *rec,
                         const fws_input_opts *opts, fws_component_fn fn, void *user)
{
    char origin[512];
    int rc, fd;

    fws_input_printable(file, strlen(file), 0, origin, sizeof origin);
    fd = fws_input_open(file, origin);
    if (fd < 0)
        return FWS_EXIT_IO;
    rec->origin = origin;
    rec->f = fdopen(fd, "rb");
    if (!rec->f) {
        diag_error("%s: %s", origin, strerror(errno));
        close(fd);
        return FWS_EXIT_IO;
    }
    rc = fws_input_image(name, rec, opts, fn, user);
    fclose(rec->f);
    rec->f = NULL;
    return rc;
}
