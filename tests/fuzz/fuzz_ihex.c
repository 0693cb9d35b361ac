/* SPDX-License-Identifier: MIT */
/*
 * The Intel HEX reader (signer/pack/input_ihex.c) through fws_input_visit
 * ("app=FILE.hex"), on arbitrary text written to a temporary file,
 * compared with a reference decoder written here from the rules in
 * signer/pack/input.h and Intel's specification: the same accept/reject
 * decision, and on acceptance the same image (lowest address, length,
 * every data byte, the fill byte in the gaps).
 *
 * Input: mode byte, then the file.  Mode bits 0-1 choose hex_max_gap
 * (0, 1, 16, 4096), bit 2 the fill byte (0x00 instead of 0xFF).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_common.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LINE_CAP 1024   /* the reader's documented longest line */

static char path[64], spec[80];

static void remove_tmp(void)
{
    if (path[0])
        unlink(path);
}

typedef struct {
    uint64_t addr;
    uint8_t val;
} cell;

static int cell_cmp(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int hexv(uint8_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int trailing_space(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Reference decoder.  Returns 1 and fills *out and *out_n (sorted) if
 * the file is acceptable, else 0. */
static int reference(const uint8_t *t, size_t len, uint64_t max_gap, cell **out, size_t *out_n)
{
    size_t pos = 0, n = 0, cap = 0;
    cell *cells = NULL;
    int seen_eof = 0, segment = 0;
    uint64_t base = 0;
    *out = NULL;
    while (pos < len) {
        const uint8_t *nl = memchr(t + pos, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - (t + pos)) : len - pos, nb, i;
        const uint8_t *l = t + pos;
        uint8_t b[LINE_CAP / 2];
        unsigned sum = 0;
        pos += ll + (nl ? 1 : 0);
        if (ll > LINE_CAP)
            goto bad;
        while (ll > 0 && trailing_space(l[ll - 1]))
            ll--;
        if (ll == 0)
            continue;
        if (seen_eof || l[0] != ':' || (ll - 1) % 2)
            goto bad;
        for (i = 1; i < ll; i++)
            if (hexv(l[i]) < 0)
                goto bad;
        nb = (ll - 1) / 2;
        if (nb < 5)
            goto bad;
        for (i = 0; i < nb; i++)
            b[i] = (uint8_t)(hexv(l[1 + 2 * i]) << 4 | hexv(l[2 + 2 * i]));
        if (nb != b[0] + 5u)
            goto bad;
        for (i = 0; i < nb; i++)
            sum += b[i];
        if (sum & 0xFF)
            goto bad;
        switch (b[3]) {
        case 0: {
            unsigned drlo = (unsigned)b[1] << 8 | b[2];
            for (i = 0; i < b[0]; i++) {
                uint64_t a = segment ? base + ((drlo + i) & 0xFFFF)
                                     : (base + drlo + i) & 0xFFFFFFFFu;
                if (n == cap) {
                    cap = cap * 2 + 256;
                    cells = realloc(cells, cap * sizeof *cells);
                }
                cells[n].addr = a;
                cells[n++].val = b[4 + i];
            }
            break;
        }
        case 1:
            if (b[0] != 0)
                goto bad;
            seen_eof = 1;
            break;
        case 2:
        case 4:
            if (b[0] != 2)
                goto bad;
            segment = b[3] == 2;
            base = (uint64_t)((unsigned)b[4] << 8 | b[5]) << (segment ? 4 : 16);
            break;
        case 3:
        case 5:
            if (b[0] != 4)
                goto bad;
            break;
        default:
            goto bad;
        }
    }
    if (!seen_eof || n == 0)
        goto bad;
    qsort(cells, n, sizeof *cells, cell_cmp);
    if (cells[n - 1].addr - cells[0].addr + 1 > FWS_INPUT_HEX_MAX_SPAN)
        goto bad;
    for (size_t i = 1; i < n; i++) {
        if (cells[i].addr == cells[i - 1].addr)
            goto bad;   /* overlap */
        if (cells[i].addr - cells[i - 1].addr - 1 > max_gap)
            goto bad;
    }
    *out = cells;
    *out_n = n;
    return 1;
bad:
    free(cells);
    return 0;
}

typedef struct {
    int calls;
    uint64_t address;
    int has_address;
    uint8_t *img;
    size_t len, cap;
} got;

static int component(void *user, fws_component_src *src)
{
    got *g = user;
    uint8_t buf[4096];
    long r;
    g->calls++;
    if (strcmp(src->name, "app"))
        fz_fail("ihex: component named '%s'", src->name);
    g->has_address = src->has_address;
    g->address = src->address;
    while ((r = src->read(src->ctx, buf, sizeof buf)) > 0) {
        if ((size_t)r > sizeof buf)
            fz_fail("ihex: read returned %ld for %zu", r, sizeof buf);
        if (g->len + (size_t)r > g->cap) {
            g->cap = (g->len + (size_t)r) * 2;
            g->img = realloc(g->img, g->cap);
        }
        memcpy(g->img + g->len, buf, (size_t)r);
        g->len += (size_t)r;
    }
    if (r < 0)
        return FWS_EXIT_IO;
    if (src->read(src->ctx, buf, sizeof buf) != 0)
        fz_fail("ihex: read after the end is not 0");
    return FWS_EXIT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t gaps[4] = {0, 1, 16, 4096};
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    cell *cells;
    size_t n = 0;
    got g;
    FILE *f;
    int rc, want;

    if (!path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        int fd;
        snprintf(path, sizeof path, "%s/fwseal-fuzz-XXXXXX.hex", dir);
        fd = mkstemps(path, 4);
        if (fd < 0)
            fz_fail("mkstemps %s", path);
        close(fd);
        snprintf(spec, sizeof spec, "app=%s", path);
        atexit(remove_tmp);
    }
    if (size < 1)
        return 0;
    opts.hex_max_gap = gaps[data[0] & 3];
    opts.hex_fill = (data[0] & 4) ? 0x00 : 0xFF;
    f = fopen(path, "wb");
    if (!f || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) || fclose(f))
        fz_fail("cannot write %s", path);

    memset(&g, 0, sizeof g);
    fz_quiet(1);
    rc = fws_input_visit(spec, &opts, component, &g);
    fz_quiet(0);
    want = reference(data + 1, size - 1, opts.hex_max_gap, &cells, &n);
    if (rc != FWS_EXIT_OK && rc != FWS_EXIT_IO)
        fz_fail("ihex: status %d", rc);
    if (want != (rc == FWS_EXIT_OK))
        fz_fail("ihex: the reader %s, the reference decoder %s (gap %llu)",
                rc == FWS_EXIT_OK ? "accepts" : "rejects", want ? "accepts" : "rejects",
                (unsigned long long)opts.hex_max_gap);
    if (want) {
        uint64_t lo = cells[0].addr, span = cells[n - 1].addr - lo + 1;
        if (g.calls != 1 || !g.has_address || g.address != lo || g.len != span)
            fz_fail("ihex: %d component(s) at 0x%llx of %zu bytes; the reference: 0x%llx, %llu",
                    g.calls, (unsigned long long)g.address, g.len, (unsigned long long)lo,
                    (unsigned long long)span);
        for (size_t i = 0, k = 0; i < span; i++) {
            uint8_t v = opts.hex_fill;
            if (k < n && cells[k].addr - lo == i)
                v = cells[k++].val;
            if (g.img[i] != v)
                fz_fail("ihex: byte 0x%llx is %02x, the reference says %02x",
                        (unsigned long long)(lo + i), g.img[i], v);
        }
    }
    free(cells);
    free(g.img);
    return 0;
}
