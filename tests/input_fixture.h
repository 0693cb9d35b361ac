/* SPDX-License-Identifier: MIT */
/* The input reader tests' shared fixture (tests/test_input*.c). */
#ifndef FWS_INPUT_FIXTURE_H
#define FWS_INPUT_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "input.h"

typedef struct {
    char *name, *origin;
    int has_address;
    uint64_t address;
    uint8_t *data;
    size_t len;
} comp;

typedef struct {
    comp c[64];
    size_t n;
    size_t chunk;       /* read size; 0: random 1..4096 */
    uint64_t seed;
    int skip_data;      /* don't read the data */
    int fail_at;        /* return 1 from the call with this index (1-based), 0: never */
    int short_not_end;  /* a short read was followed by more data */
    int read_error;     /* read returned -1 */
} collector;

/* fws_component_fn: records the component, reading its bytes in col->chunk
 * (0: random) pieces unless col->skip_data; fails the call col->fail_at. */
int collect(void *user, fws_component_src *src);
void collector_free(collector *col);
/* Visits spec with the collector; returns the status, *err gets stderr. */
int visit(const char *spec, const fws_input_opts *opts, collector *col, char **err);
/* Expects status rc and a message containing want (and the stderr to name
 * what as well, if not NULL); fn may have been called when calls_ok. */
void expect_error_ex(const char *spec, const fws_input_opts *opts, int rc, const char *want,
                     const char *what, int calls_ok);
void expect_error(const char *spec, const fws_input_opts *opts, int rc, const char *want,
                  const char *what);

/* The suites' .init/.fini: a fresh input_dir per test. */
extern char *input_dir;
void input_setup(void);
void input_teardown(void);
/* Writes input_dir/NAME; returns the path (malloc'ed). */
char *put(const char *name, const void *data, size_t len);
char *put_text(const char *name, const char *text);

#endif
