/* SPDX-License-Identifier: MIT */
/*
 * Motorola S-record input (.srec .s19 .s28 .s37 .mot): checks every
 * record and hands the data records to input_image.c, which builds the
 * memory image (gaps, overlaps, span) as for Intel HEX.
 *
 * A record is "S", a type digit, then hex pairs: a count (the bytes that
 * follow), an address of 2, 3 or 4 bytes, data, and a checksum, the ones'
 * complement of the low byte of the sum of count, address and data.
 *   S0        header (address 0000); only as the first record; ignored
 *   S1 S2 S3  data at a 16-, 24- or 32-bit address; one kind per file, and
 *             a record may not run past the end of its address space
 *   S5 S6     count of the data records so far (16 or 24 bits): checked
 *   S7 S8 S9  end: start address (32, 24 or 16 bits), required, matching
 *             the data records (S3-S7, S2-S8, S1-S9); only blank lines after
 *   S4        reserved: refused
 */
#include "input_reader.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"

typedef struct {
    image_records rec;
    int data_type;            /* 1, 2 or 3 once a data record was read, else 0 */
    uint64_t address;         /* the data record's address */
    uint64_t n_data;          /* data records so far */
    uint64_t n_records;       /* records so far, this one included */
} srec_parser;

/* Address bytes of each record type S0..S9 (S4: reserved). */
static const unsigned addr_len[10] = {2, 2, 3, 4, 0, 2, 3, 4, 3, 2};

static uint64_t srec_address(const image_records *r, unsigned i)
{
    return ((const srec_parser *)r)->address + i;
}

/* One record: syntax, count, checksum; its bytes into b, *type set.
 * 0, or -1 after a message. */
static int decode_srec(srec_parser *p, const char *line, size_t n, uint8_t *b, size_t *nbytes,
                       unsigned *type)
{
    unsigned sum = 0;
    size_t i;
    if (line[0] != 'S') {
        char c[8];
        fws_input_printable(line, 1, 1, c, sizeof c);
        diag_error("%s: line %lu: missing 'S' at the start of the record (found '%s')",
                   p->rec.origin, p->rec.line, c);
        return -1;
    }
    if (n < 2 || line[1] < '0' || line[1] > '9' || line[1] == '4') {
        char c[8];
        fws_input_printable(line + 1, n > 1, 1, c, sizeof c);
        diag_error("%s: line %lu: unknown record type 'S%s' (known: S0 header, S1 S2 S3 "
                   "data, S5 S6 count, S7 S8 S9 end)", p->rec.origin, p->rec.line, c);
        return -1;
    }
    *type = (unsigned)(line[1] - '0');
    if (fws_image_hex(&p->rec, line, n, 2, b, nbytes) < 0)
        return -1;
    if (*nbytes < 1 || *nbytes != b[0] + 1u) {
        diag_error("%s: line %lu: bad record length: the count field says %u bytes follow "
                   "but the record holds %zu", p->rec.origin, p->rec.line, *nbytes ? b[0] : 0,
                   *nbytes ? *nbytes - 1 : 0);
        return -1;
    }
    if (b[0] < addr_len[*type] + 1) {
        diag_error("%s: line %lu: bad record length: an S%u record has at least %u bytes "
                   "after the count, this one has %u", p->rec.origin, p->rec.line, *type,
                   addr_len[*type] + 1, b[0]);
        return -1;
    }
    for (i = 0; i + 1 < *nbytes; i++)
        sum += b[i];
    if (((sum + b[*nbytes - 1]) & 0xFF) != 0xFF) {
        diag_error("%s: line %lu: bad checksum: expected 0x%02X, got 0x%02X", p->rec.origin,
                   p->rec.line, (unsigned)(~sum & 0xFF), (unsigned)b[*nbytes - 1]);
        return -1;
    }
    return 0;
}

static uint64_t field(const uint8_t *b, unsigned len)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < len; i++)
        v = v << 8 | b[i];
    return v;
}

/* The rules between records (see the top of the file) for a record of
 * `type` whose fields are b[1..).  1: a data record for the image; 0: go
 * on; -1 after a message. */
static int srec_rules(srec_parser *p, unsigned type, const uint8_t *b, unsigned dlen)
{
    uint64_t a = field(b + 1, addr_len[type]);
    switch (type) {
    case 0:
        if (p->n_records != 1) {
            diag_error("%s: line %lu: an S0 header record may only be the first record",
                       p->rec.origin, p->rec.line);
            return -1;
        }
        return 0;
    case 1: case 2: case 3:
        if (p->data_type && p->data_type != (int)type) {
            diag_error("%s: line %lu: an S%u data record in a file of S%d records (one "
                       "address size per file)", p->rec.origin, p->rec.line, type, p->data_type);
            return -1;
        }
        if (a + dlen > (uint64_t)1 << (8 * addr_len[type])) {
            diag_error("%s: line %lu: the record at 0x%llX runs past the end of the %u-bit "
                       "address space of S%u records", p->rec.origin, p->rec.line,
                       (unsigned long long)a, 8 * addr_len[type], type);
            return -1;
        }
        p->data_type = (int)type;
        p->address = a;
        p->n_data++;
        return dlen ? 1 : 0;
    case 5: case 6:
        if (dlen || a != (p->n_data & ((1ull << (8 * addr_len[type])) - 1))) {
            diag_error("%s: line %lu: the S%u record counts %llu data records, the file has "
                       "%llu so far", p->rec.origin, p->rec.line, type, (unsigned long long)a,
                       (unsigned long long)p->n_data);
            return -1;
        }
        return 0;
    default: /* 7, 8, 9 */
        if (dlen) {
            diag_error("%s: line %lu: bad record length: an S%u end record has no data",
                       p->rec.origin, p->rec.line, type);
            return -1;
        }
        if (p->data_type && (int)(10 - type) != p->data_type) {
            diag_error("%s: line %lu: an S%u end record ends S%d data records (expected "
                       "S%d)", p->rec.origin, p->rec.line, type, p->data_type,
                       10 - p->data_type);
            return -1;
        }
        p->rec.seen_end = 1;
        return 0;
    }
}

static int srec_next(image_records *r)
{
    srec_parser *p = (srec_parser *)r;
    char line[FWS_IMAGE_LINE_CAP];
    uint8_t b[FWS_IMAGE_LINE_CAP / 2];
    for (;;) {
        long n = fws_image_line(r, line);
        size_t nbytes;
        unsigned type, dlen;
        int k;
        if (n <= 0)
            return (int)n;
        if (decode_srec(p, line, (size_t)n, b, &nbytes, &type) < 0)
            return -1;
        dlen = b[0] - addr_len[type] - 1;
        p->n_records++;
        if ((k = srec_rules(p, type, b, dlen)) < 0)
            return -1;
        if (k == 1) {
            memcpy(r->data, b + 1 + addr_len[type], dlen);
            r->len = dlen;
            return 1;
        }
    }
}

static void srec_rewind(image_records *r)
{
    srec_parser *p = (srec_parser *)r;
    r->line = 0;
    r->chars = 0;
    r->seen_end = 0;
    p->data_type = 0;
    p->n_data = 0;
    p->n_records = 0;
}

int fws_input_srec(const char *name, const char *file, const fws_input_opts *opts,
                   fws_component_fn fn, void *user)
{
    srec_parser p;
    memset(&p, 0, sizeof p);
    p.rec.next = srec_next;
    p.rec.address = srec_address;
    p.rec.rewind = srec_rewind;
    p.rec.end_record = "end record (S7, S8 or S9)";
    p.rec.max_record = 2 + 2 * 256;
    return fws_input_image_file(name, file, &p.rec, opts, fn, user);
}
