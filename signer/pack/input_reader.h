/* SPDX-License-Identifier: MIT */
/*
 * What the input readers (input_raw.c, input_ihex.c, input_archive.c)
 * share, in input_reader.c: messages about untrusted names, name checks,
 * opening files, a read-ahead stream; and each reader's entry point, which
 * input.c dispatches to.  Callers outside the readers use input.h only.
 */
#ifndef FWS_INPUT_READER_H
#define FWS_INPUT_READER_H

#include <stdio.h>

#include "component_src.h"

/* Copies s[0..len) into out (NUL-terminated, at most outcap bytes), with
 * control characters, '\\' and (if escape_high) bytes >= 0x80 written as
 * \xNN; a too-long result ends in "...".  For untrusted names in
 * messages. */
void fws_input_printable(const char *s, size_t len, int escape_high, char *out, size_t outcap);

/* Checks a component name; prints the error (prefixed by `where` if not
 * NULL) and returns 0 if invalid, 1 if valid. */
int fws_input_name_ok(const char *name, size_t len, const char *where);

/* Opens FILE for reading ("FILE: <strerror>", "FILE: is a directory").
 * Returns the fd, or -1 after printing the error. */
int fws_input_open(const char *path, const char *shown);

/* Streams a file descriptor (raw reader), or an archive member, with a
 * first block read ahead so empty input is known before fn is called. */
typedef struct {
    long (*pull)(void *pctx, uint8_t *buf, size_t cap); /* may return short; 0 end; -1 printed */
    void *pctx;
    uint8_t *ahead;
    size_t ahead_len, ahead_pos;
    int state;              /* 0 open, 1 ended, -1 failed */
} fws_input_stream;

/* Reads the first block; returns 1 if there is data, 0 if empty, -1 on a
 * read error (printed). */
int fws_input_stream_start(fws_input_stream *st, uint8_t *ahead, size_t ahead_cap);
long fws_input_stream_read(void *st, uint8_t *buf, size_t cap);

/* Records of a text image format (Intel HEX, S-records), read by
 * input_image.c into one memory image: next() yields the next data record
 * into data/len (after checking it completely), address() gives the
 * address of its byte i, rewind() resets the reader's state for a second
 * pass (the file position is reset by the caller). */
typedef struct image_records image_records;
struct image_records {
    int (*next)(image_records *r);    /* 1 a data record, 0 the end, -1 after a message */
    uint64_t (*address)(const image_records *r, unsigned i);
    void (*rewind)(image_records *r);
    FILE *f;
    const char *origin;
    const char *end_record;           /* "end-of-file record (type 01, ...)", for messages */
    unsigned max_record;              /* longest record in characters, for messages */
    unsigned long line;               /* of the current record, for messages */
    uint64_t chars;                   /* characters read so far */
    int seen_end;                     /* the end record was read: only blank lines may follow */
    uint8_t data[255];
    unsigned len;
};

/* Longest line the text readers take, whitespace included. */
#define FWS_IMAGE_LINE_CAP 1024
/* The next non-blank line of r->f (at most FWS_IMAGE_LINE_CAP), trailing
 * whitespace removed, into line; counts lines and characters.  Returns its
 * length, 0 at a well-formed end of file (after the end record), -1 after
 * a message (empty file, missing end record, a line too long, data after
 * the end record). */
long fws_image_line(image_records *r, char *line);
/* line[first..n) as hex digit pairs into b (*nbytes of them); -1 after a
 * message for a non-hex character or an odd number of digits. */
int fws_image_hex(image_records *r, const char *line, size_t n, size_t first, uint8_t *b,
                  size_t *nbytes);

/* Builds the image from rec's records (gaps up to opts->hex_max_gap filled
 * with opts->hex_fill, overlaps and larger gaps refused, span at most
 * FWS_INPUT_HEX_MAX_SPAN) and hands it to fn as component `name` at its
 * lowest address. */
int fws_input_image(const char *name, image_records *rec, const fws_input_opts *opts,
                    fws_component_fn fn, void *user);
/* fws_input_image() on FILE: opens it (rec->f, rec->origin set here; the
 * reader's callbacks and messages already in rec), and closes it. */
int fws_input_image_file(const char *name, const char *file, image_records *rec,
                         const fws_input_opts *opts, fws_component_fn fn, void *user);

int fws_input_raw(const char *name, const char *file, int has_address, uint64_t address,
                  const fws_input_opts *opts, fws_component_fn fn, void *user);
int fws_input_ihex(const char *name, const char *file, const fws_input_opts *opts,
                   fws_component_fn fn, void *user);
int fws_input_archive(const char *name, const char *file, const fws_input_opts *opts,
                      fws_component_fn fn, void *user);
int fws_input_srec(const char *name, const char *file, const fws_input_opts *opts,
                   fws_component_fn fn, void *user);
int fws_input_elf(const char *name, const char *file, const fws_input_opts *opts,
                  fws_component_fn fn, void *user);

#endif
