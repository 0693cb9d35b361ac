/* SPDX-License-Identifier: MIT */
/*
 * Intel HEX input: checks every record (syntax, length, checksum, type, EOF
 * record, nothing after it) and hands the data records to input_image.c,
 * which builds the memory image (gaps, overlaps, span).
 *
 * Addresses (Intel's "Hexadecimal Object File Format Specification", rev A):
 * after an 02 record (segment base SBA = value * 16) byte i of a data record
 * at offset DRLO goes to SBA + ((DRLO + i) mod 64K); after an 04 record
 * (linear base = value << 16), or with no 02/04 record yet (base 0), to
 * (base + DRLO + i) mod 4G.
 */
#include "input_reader.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"


typedef struct {
    image_records rec;           /* f, origin, line, and the data record */
    int segment_mode;            /* last base record was 02 */
    uint64_t base;
    unsigned offset;             /* the data record's address field */
} hex_parser;

static uint64_t byte_address(const image_records *r, unsigned i)
{
    const hex_parser *p = (const hex_parser *)r;
    if (p->segment_mode)
        return p->base + ((p->offset + i) & 0xFFFFu);
    return (p->base + p->offset + i) & 0xFFFFFFFFu;
}

/* One record's syntax, length, checksum and type: the record's bytes
 * into b.  Returns the record type, or -1 after printing an error. */
static int decode_record(hex_parser *p, const char *line, size_t n, uint8_t *b)
{
    static const unsigned want[6] = {0, 0, 2, 4, 2, 4};
    size_t nbytes, i;
    unsigned sum = 0, type, count;
    if (line[0] != ':') {
        char c[8];
        fws_input_printable(line, 1, 1, c, sizeof c);
        diag_error("%s: line %lu: missing ':' at the start of the record (found '%s')",
                   p->rec.origin, p->rec.line, c);
        return -1;
    }
    if (fws_image_hex(&p->rec, line, n, 1, b, &nbytes) < 0)
        return -1;
    if (nbytes < 5) {
        diag_error("%s: line %lu: bad record length: %zu bytes, a record has at least 5 "
                   "(count, address, type, checksum)", p->rec.origin, p->rec.line, nbytes);
        return -1;
    }
    count = b[0];
    if (nbytes != count + 5u) {
        diag_error("%s: line %lu: bad record length: the count field says %u data bytes "
                   "but the record holds %zu", p->rec.origin, p->rec.line, count, nbytes - 5);
        return -1;
    }
    for (i = 0; i + 1 < nbytes; i++)
        sum += b[i];
    if (((sum + b[nbytes - 1]) & 0xFF) != 0) {
        diag_error("%s: line %lu: bad checksum: expected 0x%02X, got 0x%02X", p->rec.origin,
                   p->rec.line, (unsigned)(-sum & 0xFF), (unsigned)b[nbytes - 1]);
        return -1;
    }
    type = b[3];
    if (type > 5) {
        diag_error("%s: line %lu: unknown record type 0x%02X (known: 00 data, 01 end of "
                   "file, 02 extended segment address, 03 start segment address, "
                   "04 extended linear address, 05 start linear address)",
                   p->rec.origin, p->rec.line, type);
        return -1;
    }
    if (type != 0 && count != want[type]) {
        diag_error("%s: line %lu: bad record length: a type %02X record has %u data "
                   "bytes, this one has %u", p->rec.origin, p->rec.line, type, want[type], count);
        return -1;
    }
    return (int)type;
}

/* Next data record into p->data/len/offset.  Returns 1 for a data record,
 * 0 at a well-formed end of file, -1 after printing an error. */
static int hex_next(image_records *r)
{
    hex_parser *p = (hex_parser *)r;
    char line[FWS_IMAGE_LINE_CAP];
    uint8_t b[FWS_IMAGE_LINE_CAP / 2];
    for (;;) {
        long n = fws_image_line(&p->rec, line);
        int type;
        if (n <= 0)
            return (int)n;
        if ((type = decode_record(p, line, (size_t)n, b)) < 0)
            return -1;
        switch (type) {
        case 0:
            if (b[0] == 0)
                continue;
            memcpy(p->rec.data, b + 4, b[0]);
            p->rec.len = b[0];
            p->offset = (unsigned)b[1] << 8 | b[2];
            return 1;
        case 1:
            p->rec.seen_end = 1;
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

static void hex_rewind(image_records *r)
{
    hex_parser *p = (hex_parser *)r;
    p->rec.line = 0;
    p->rec.chars = 0;
    p->rec.seen_end = p->segment_mode = 0;
    p->base = 0;
}

int fws_input_ihex(const char *name, const char *file, const fws_input_opts *opts,
                   fws_component_fn fn, void *user)
{
    hex_parser p;
    memset(&p, 0, sizeof p);
    p.rec.next = hex_next;
    p.rec.address = byte_address;
    p.rec.rewind = hex_rewind;
    p.rec.end_record = "end-of-file record (type 01, \":00000001FF\")";
    p.rec.max_record = 521;
    return fws_input_image_file(name, file, &p.rec, opts, fn, user);
}
