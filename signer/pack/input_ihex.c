/*
 * Intel HEX input: decodes a .hex file into one memory image, which is then
 * streamed to the caller as a component at the lowest data address.
 *
 * Two passes over the file, so memory is bounded by the image, not by the
 * number or shape of the records:
 *   1. parse and check every record (syntax, length, checksum, type, EOF
 *      record, nothing after it), and find the lowest and highest data
 *      address; also remember contiguous runs (bounded list) so a gap too
 *      large to allocate across can still be reported as a gap;
 *   2. allocate span bytes (prefilled with the fill byte) plus a bitmap of
 *      defined bytes, parse again and copy the data; a byte already defined
 *      is an overlap.  A gap (undefined run) longer than hex_max_gap is an
 *      error; shorter ones keep the fill byte.
 * If pass 2 does not see what pass 1 saw, the file changed in between.
 *
 * Addresses (Intel's "Hexadecimal Object File Format Specification", rev A):
 * after an 02 record (segment base SBA = value * 16) byte i of a data record
 * at offset DRLO goes to SBA + ((DRLO + i) mod 64K); after an 04 record
 * (linear base = value << 16), or with no 02/04 record yet (base 0), to
 * (base + DRLO + i) mod 4G.
 */
#include "input_reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

#define LINE_CAP 1024            /* longest line read, whitespace included */
#define RUNS_CAP 65536           /* contiguous runs remembered for diagnosis */

typedef struct {
    uint64_t start, end;
} run;

typedef struct {
    FILE *f;
    const char *origin;
    unsigned long line;
    uint64_t chars;              /* bytes read so far */
    int seen_eof;                /* an 01 record was read */
    int segment_mode;            /* last base record was 02 */
    uint64_t base;
    /* the data record returned by hex_next() */
    uint8_t data[255];
    unsigned len;
    unsigned offset;
} hex_parser;

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Reads one line (without '\n') into buf.  Returns its length, -1 at the
 * end of the file, -2 if too long, -3 on a read error (printed). */
static long read_line(hex_parser *p, char *buf)
{
    long n = 0;
    int c;
    for (;;) {
        c = getc_unlocked(p->f);
        if (c == EOF) {
            if (ferror(p->f)) {
                diag_error("%s: read failed: %s", p->origin, strerror(errno));
                return -3;
            }
            if (n == 0)
                return -1;
            break;
        }
        p->chars++;
        if (c == '\n')
            break;
        if (n == LINE_CAP)
            return -2;
        buf[n++] = (char)c;
    }
    return n;
}

static uint64_t byte_address(const hex_parser *p, unsigned i)
{
    if (p->segment_mode)
        return p->base + ((p->offset + i) & 0xFFFFu);
    return (p->base + p->offset + i) & 0xFFFFFFFFu;
}

/* Next data record into p->data/len/offset.  Returns 1 for a data record,
 * 0 at a well-formed end of file, -1 after printing an error. */
static int hex_next(hex_parser *p)
{
    char line[LINE_CAP];
    uint8_t b[(LINE_CAP - 1) / 2];
    for (;;) {
        long n = read_line(p, line);
        size_t digits, nbytes, i;
        unsigned sum = 0, type, count;
        if (n == -3)
            return -1;
        if (n == -1) {
            if (p->seen_eof)
                return 0;
            if (p->chars == 0)
                diag_error("%s: empty input", p->origin);
            else
                diag_error("%s: line %lu: missing end-of-file record (type 01, "
                          "\":00000001FF\") at the end of the file",
                          p->origin, p->line);
            return -1;
        }
        p->line++;
        if (n == -2) {
            diag_error("%s: line %lu: bad record length: line longer than %d characters "
                      "(a record has at most 521)", p->origin, p->line, LINE_CAP);
            return -1;
        }
        while (n > 0 && is_space((unsigned char)line[n - 1]))
            n--;
        if (n == 0)
            continue; /* blank line */
        if (p->seen_eof) {
            diag_error("%s: line %lu: data after the end-of-file record", p->origin, p->line);
            return -1;
        }
        if (line[0] != ':') {
            char c[8];
            fws_input_printable(line, 1, 1, c, sizeof c);
            diag_error("%s: line %lu: missing ':' at the start of the record (found '%s')",
                      p->origin, p->line, c);
            return -1;
        }
        for (i = 1; i < (size_t)n; i++) {
            if (hexval((unsigned char)line[i]) < 0) {
                char c[8];
                fws_input_printable(line + i, 1, 1, c, sizeof c);
                diag_error("%s: line %lu: non-hex character '%s' at column %zu", p->origin,
                          p->line, c, i + 1);
                return -1;
            }
        }
        digits = (size_t)n - 1;
        if (digits % 2) {
            diag_error("%s: line %lu: bad record length: odd number of hex digits (%zu)",
                      p->origin, p->line, digits);
            return -1;
        }
        nbytes = digits / 2;
        if (nbytes < 5) {
            diag_error("%s: line %lu: bad record length: %zu bytes, a record has at least 5 "
                      "(count, address, type, checksum)", p->origin, p->line, nbytes);
            return -1;
        }
        for (i = 0; i < nbytes; i++)
            b[i] = (uint8_t)(hexval((unsigned char)line[1 + 2 * i]) << 4 |
                             hexval((unsigned char)line[2 + 2 * i]));
        count = b[0];
        if (nbytes != count + 5u) {
            diag_error("%s: line %lu: bad record length: the count field says %u data bytes "
                      "but the record holds %zu", p->origin, p->line, count, nbytes - 5);
            return -1;
        }
        for (i = 0; i + 1 < nbytes; i++)
            sum += b[i];
        if (((sum + b[nbytes - 1]) & 0xFF) != 0) {
            diag_error("%s: line %lu: bad checksum: expected 0x%02X, got 0x%02X", p->origin,
                      p->line, (unsigned)(-sum & 0xFF), (unsigned)b[nbytes - 1]);
            return -1;
        }
        type = b[3];
        if (type > 5) {
            diag_error("%s: line %lu: unknown record type 0x%02X (known: 00 data, 01 end of "
                      "file, 02 extended segment address, 03 start segment address, "
                      "04 extended linear address, 05 start linear address)",
                      p->origin, p->line, type);
            return -1;
        }
        {
            static const unsigned want[6] = {0, 0, 2, 4, 2, 4};
            if (type != 0 && count != want[type]) {
                diag_error("%s: line %lu: bad record length: a type %02X record has %u data "
                          "bytes, this one has %u", p->origin, p->line, type, want[type], count);
                return -1;
            }
        }
        switch (type) {
        case 0:
            if (count == 0)
                continue;
            memcpy(p->data, b + 4, count);
            p->len = count;
            p->offset = (unsigned)b[1] << 8 | b[2];
            return 1;
        case 1:
            p->seen_eof = 1;
            continue;
        case 2:
            p->segment_mode = 1;
            p->base = (uint64_t)((unsigned)b[4] << 8 | b[5]) << 4;
            continue;
        case 4:
            p->segment_mode = 0;
            p->base = (uint64_t)((unsigned)b[4] << 8 | b[5]) << 16;
            continue;
        default: /* 03, 05: start address, not part of the image */
            continue;
        }
    }
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

int fws_input_ihex(const char *name, const char *file, const fws_input_opts *opts,
                   fws_component_fn fn, void *user)
{
    char origin[512];
    hex_parser p;
    FILE *f = NULL;
    run *runs = NULL;
    size_t nruns = 0;
    int runs_ok = 1, r, rc = FWS_EXIT_IO, fd;
    uint64_t lo = UINT64_MAX, hi = 0, records = 0, records2 = 0, span, gap_at, gap_size;
    uint8_t *image = NULL, *defined = NULL;
    run cur = {0, 0};
    int have_cur = 0;

    fws_input_printable(file, strlen(file), 0, origin, sizeof origin);
    fd = fws_input_open(file, origin);
    if (fd < 0)
        return FWS_EXIT_IO;
    f = fdopen(fd, "rb");
    if (!f) {
        diag_error("%s: %s", origin, strerror(errno));
        close(fd);
        return FWS_EXIT_IO;
    }
    runs = xmalloc(RUNS_CAP * sizeof *runs);

    /* Pass 1: check, bounds, runs. */
    memset(&p, 0, sizeof p);
    p.f = f;
    p.origin = origin;
    while ((r = hex_next(&p)) == 1) {
        unsigned i;
        records++;
        for (i = 0; i < p.len; i++) {
            uint64_t a = byte_address(&p, i);
            if (a < lo)
                lo = a;
            if (a + 1 > hi)
                hi = a + 1;
            if (have_cur && a == cur.end) {
                cur.end++;
                continue;
            }
            if (have_cur) {
                if (nruns < RUNS_CAP)
                    runs[nruns++] = cur;
                else
                    runs_ok = 0;
            }
            cur.start = a;
            cur.end = a + 1;
            have_cur = 1;
        }
    }
    if (r < 0)
        goto done;
    if (records == 0) {
        diag_error("%s: no data records", origin);
        goto done;
    }
    if (nruns < RUNS_CAP)
        runs[nruns++] = cur;
    else
        runs_ok = 0;
    span = hi - lo;
    if (span > FWS_INPUT_HEX_MAX_SPAN) {
        if (runs_ok && runs_gap(runs, nruns, opts->hex_max_gap, &gap_at, &gap_size))
            diag_error("%s: gap of %llu bytes at 0x%llX exceeds the maximum gap of %llu bytes",
                      origin, (unsigned long long)gap_size, (unsigned long long)gap_at,
                      (unsigned long long)opts->hex_max_gap);
        else
            diag_error("%s: data from 0x%llX to 0x%llX spans %llu bytes, more than the %llu "
                      "bytes an Intel HEX image may span", origin, (unsigned long long)lo,
                      (unsigned long long)(hi - 1), (unsigned long long)span,
                      (unsigned long long)FWS_INPUT_HEX_MAX_SPAN);
        goto done;
    }

    /* Pass 2: assemble. */
    image = xmalloc((size_t)span);
    defined = xcalloc((size_t)(span + 7) / 8, 1);
    memset(image, opts->hex_fill, (size_t)span);
    if (fseek(f, 0, SEEK_SET) != 0) {
        diag_error("%s: cannot read the file a second time: %s", origin, strerror(errno));
        goto done;
    }
    clearerr(f);
    memset(&p, 0, sizeof p);
    p.f = f;
    p.origin = origin;
    while ((r = hex_next(&p)) == 1) {
        unsigned i;
        records2++;
        for (i = 0; i < p.len; i++) {
            uint64_t a = byte_address(&p, i);
            size_t k;
            if (a < lo || a >= hi) {
                records2 = UINT64_MAX;
                break;
            }
            k = (size_t)(a - lo);
            if (defined[k / 8] & (1u << (k % 8))) {
                diag_error("%s: line %lu: record at 0x%llX overlaps bytes already defined at "
                          "0x%llX", origin, p.line, (unsigned long long)byte_address(&p, 0),
                          (unsigned long long)a);
                goto done;
            }
            defined[k / 8] |= (uint8_t)(1u << (k % 8));
            image[k] = p.data[i];
        }
        if (records2 == UINT64_MAX)
            break;
    }
    if (r < 0)
        goto done;
    if (records2 != records) {
        diag_error("%s: the file changed while it was being read", origin);
        goto done;
    }
    /* Gaps: runs of undefined bytes inside [lo, hi). */
    {
        size_t k = 0, n = (size_t)span;
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
            if ((uint64_t)(k - start) > opts->hex_max_gap) {
                diag_error("%s: gap of %llu bytes at 0x%llX exceeds the maximum gap of %llu "
                          "bytes", origin, (unsigned long long)(k - start),
                          (unsigned long long)(lo + start), (unsigned long long)opts->hex_max_gap);
                goto done;
            }
        }
    }
    free(defined);
    defined = NULL;
    free(runs);
    runs = NULL;
    fclose(f);
    f = NULL;
    {
        image_ctx m = {image, (size_t)span, 0};
        fws_component_src src;
        src.name = name;
        src.has_address = 1;
        src.address = lo;
        src.origin = origin;
        src.read = image_read;
        src.ctx = &m;
        rc = fn(user, &src);
    }
done:
    free(image);
    free(defined);
    free(runs);
    if (f)
        fclose(f);
    return rc;
}
