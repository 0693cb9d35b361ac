/* SPDX-License-Identifier: MIT */
/*
 * Intel HEX output: data records of 32 bytes (type 00), an extended
 * linear address record (type 04) before the first record and whenever
 * the upper 16 address bits change, and the end-of-file record (type 01).
 * A record never crosses a 64 KiB boundary, so every byte's address is
 * the 04 base plus the record's offset, as input_ihex.c reads it back.
 */
#include "flash_output.h"
#include "diag.h"
#include "io.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IO_BUF (64 * 1024)
#define HEX_RECORD 32

int flash_format_parse(const char *s, enum flash_format *f)
{
    if (!strcmp(s, "fws"))
        *f = FLASH_FORMAT_FWS;
    else if (!strcmp(s, "ihex"))
        *f = FLASH_FORMAT_IHEX;
    else if (!strcmp(s, "bin"))
        *f = FLASH_FORMAT_BIN;
    else
        return -1;
    return 0;
}

/* One record into line; returns its length. */
static size_t hex_record(char *line, unsigned type, unsigned offset, const uint8_t *data,
                         size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    unsigned sum = (unsigned)n + (offset >> 8) + (offset & 0xFF) + type;
    size_t o = 0;
    uint8_t head[4] = {(uint8_t)n, (uint8_t)(offset >> 8), (uint8_t)offset, (uint8_t)type};
    line[o++] = ':';
    for (size_t i = 0; i < 4; i++) {
        line[o++] = digits[head[i] >> 4];
        line[o++] = digits[head[i] & 15];
    }
    for (size_t i = 0; i < n; i++) {
        line[o++] = digits[data[i] >> 4];
        line[o++] = digits[data[i] & 15];
        sum += data[i];
    }
    sum = -sum & 0xFF;
    line[o++] = digits[sum >> 4];
    line[o++] = digits[sum & 15];
    line[o++] = '\n';
    return o;
}

typedef struct {
    atomic_file *out;
    const flash_output_opts *o;
    uint64_t addr;              /* the next byte's address */
    uint64_t base;              /* the last 04 record's base, or UINT64_MAX */
    uint8_t rec[HEX_RECORD];
    size_t fill;
    char *text;                 /* IO_BUF of records waiting to be written */
    size_t text_len;
} hex_writer;

static int hex_put_line(hex_writer *w, unsigned type, unsigned offset, const uint8_t *d, size_t n)
{
    if (w->text_len + 80 > IO_BUF) {
        if (atomic_write(w->out, w->text, w->text_len))
            return FWS_EXIT_IO;
        w->text_len = 0;
    }
    w->text_len += hex_record(w->text + w->text_len, type, offset, d, n);
    return FWS_EXIT_OK;
}

/* The record being filled, with a 04 record first when its upper address
 * bits differ from the last one's. */
static int hex_flush(hex_writer *w)
{
    uint64_t start = w->addr - w->fill;
    if (!w->fill)
        return FWS_EXIT_OK;
    if (start >> 16 != w->base) {
        uint8_t ela[2] = {(uint8_t)(start >> 24), (uint8_t)(start >> 16)};
        w->base = start >> 16;
        if (hex_put_line(w, 4, 0, ela, 2))
            return FWS_EXIT_IO;
    }
    if (hex_put_line(w, 0, (unsigned)(start & 0xFFFF), w->rec, w->fill))
        return FWS_EXIT_IO;
    w->fill = 0;
    return FWS_EXIT_OK;
}

static int hex_bytes(hex_writer *w, const uint8_t *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        w->rec[w->fill++] = d[i];
        w->addr++;
        /* a full record, or the end of a 64 KiB segment */
        if ((w->fill == HEX_RECORD || (w->addr & 0xFFFF) == 0) && hex_flush(w))
            return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int flash_output_write(atomic_file *out, int container_fd, uint64_t len,
                       const flash_output_opts *o)
{
    uint64_t total = o->pad_to > len ? o->pad_to : len, off;
    uint8_t *buf;
    hex_writer w;
    int rc = FWS_EXIT_IO;

    if (o->pad_to && len > o->pad_to) {
        diag_error("the container is %llu bytes, larger than --output-pad-to %llu",
                   (unsigned long long)len, (unsigned long long)o->pad_to);
        return FWS_EXIT_USAGE;
    }
    if (o->format == FLASH_FORMAT_IHEX &&
        (o->address > 0xFFFFFFFFull || total > 0x100000000ull - o->address)) {
        diag_error("--address 0x%llx: %llu bytes from there reach past 4 GiB, the end of "
                   "Intel HEX's address space", (unsigned long long)o->address,
                   (unsigned long long)total);
        return FWS_EXIT_USAGE;
    }
    memset(&w, 0, sizeof w);
    w.out = out;
    w.o = o;
    w.addr = o->address;
    w.base = UINT64_MAX;
    w.text = xmalloc(IO_BUF);
    buf = xmalloc(IO_BUF);
    for (off = 0; off < total;) {
        size_t n = total - off < IO_BUF ? (size_t)(total - off) : IO_BUF, from_file = 0;
        if (off < len) {
            from_file = len - off < n ? (size_t)(len - off) : n;
            if (io_pread_all(container_fd, buf, from_file, off) < 0) {
                diag_error("temporary container file: read failed: %s", strerror(errno));
                goto out;
            }
        }
        memset(buf + from_file, 0xFF, n - from_file);
        if (o->format == FLASH_FORMAT_IHEX ? hex_bytes(&w, buf, n) : atomic_write(out, buf, n))
            goto out;
        off += n;
    }
    if (o->format == FLASH_FORMAT_IHEX) {
        if (hex_flush(&w) || hex_put_line(&w, 1, 0, NULL, 0) ||
            atomic_write(out, w.text, w.text_len))
            goto out;
    }
    rc = FWS_EXIT_OK;
out:
    free(buf);
    free(w.text);
    return rc;
}
