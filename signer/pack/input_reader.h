/* SPDX-License-Identifier: MIT */
/*
 * What the input readers (input_raw.c, input_ihex.c, input_archive.c)
 * share, in input_reader.c: messages about untrusted names, name checks,
 * opening files, a read-ahead stream; and each reader's entry point, which
 * input.c dispatches to.  Callers outside the readers use input.h only.
 */
#ifndef FWS_INPUT_READER_H
#define FWS_INPUT_READER_H

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

int fws_input_raw(const char *name, const char *file, int has_address, uint64_t address,
                  const fws_input_opts *opts, fws_component_fn fn, void *user);
int fws_input_ihex(const char *name, const char *file, const fws_input_opts *opts,
                   fws_component_fn fn, void *user);
int fws_input_archive(const char *name, const char *file, const fws_input_opts *opts,
                      fws_component_fn fn, void *user);

#endif
