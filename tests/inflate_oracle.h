/* SPDX-License-Identifier: MIT */
/* The verifier's inflate (verifier/inflate.h) and zlib's, run the same way
 * on the same bytes: shared by tests/test_inflate.c and the fuzz harness
 * tests/fuzz/fuzz_inflate.c, which compare the two results.
 *
 * zlib is given output space only up to the window size and then one byte
 * per call, so that a back-reference may reach min(output so far, 2^wbits)
 * back, exactly our window's rule: with a larger output buffer zlib would
 * also accept distances reaching into its output buffer beyond the window.
 * Compared: the verdict (accepted / needs more input / rejected), the error
 * class (zlib's message mapped to our codes), the bytes consumed, and the
 * output (ours may be a prefix of zlib's on a rejection: we do not flush
 * after an error). */
#ifndef FWS_INFLATE_ORACLE_H
#define FWS_INFLATE_ORACLE_H

#include <stddef.h>
#include <stdint.h>

enum { IO_MORE = 0, IO_ACCEPT = 1, IO_REJECT = -1 };

typedef struct {
    int verdict;        /* IO_* */
    int code;           /* our return value, or the class of zlib's error */
    size_t consumed;    /* input bytes used */
    uint8_t *out;       /* malloc'ed; io_result_free() */
    size_t len, cap;
    size_t out_limit;   /* nonzero: more output stops the run and sets capped */
    int capped;
    size_t pieces, max_piece;   /* sink calls (ours) and the largest one */
    size_t abort_after; /* our sink refuses its call number abort_after (0: never) */
} io_result;

/* How a run of ours splits the input: the size of the next push given the
 * bytes left (larger is clipped, 0 is an empty push), or IO_STOP. */
#define IO_STOP ((size_t)-1)
typedef size_t (*io_next_piece)(void *state, size_t left);

/* Called with a message on a failure of the code under test that no
 * verdict explains (a non-sticky error, a bad consumed count, ...); must
 * not return.  Default: print and abort.  Criterion tests point it at a
 * cr_assert_fail, the fuzz harness at fz_fail. */
extern void (*io_fail)(const char *msg);

void io_run_ours(const uint8_t *s, size_t n, unsigned wbits, int zw, io_next_piece next,
                 void *state, io_result *r);
void io_run_zlib(const uint8_t *s, size_t n, unsigned wbits, int zw, io_result *r);
/* zlib's error message as our error code (both distance errors are
 * FWS_INFLATE_ERR_DIST_START; compare with io_our_class()). */
int io_zlib_class(const char *msg);
int io_our_class(int code);
void io_result_free(io_result *r);

#endif
