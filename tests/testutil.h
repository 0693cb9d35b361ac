/* SPDX-License-Identifier: MIT */
/* Helpers for tests that drive the CLI and touch files. */
#ifndef FWS_TESTUTIL_H
#define FWS_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    int status;   /* exit status, or 128+signal */
    char *out;    /* captured stdout, NUL-terminated */
    char *err;    /* captured stderr, NUL-terminated */
} run_result;

/* Runs `sh -c CMD` with stdin from /dev/null; the caller frees with
 * run_free().  printf-style. */
run_result run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void run_free(run_result *r);

char *tmpdir_new(void); /* malloc'ed */
/* Removes a directory tree (rm -rf). */
void tmpdir_remove(const char *dir);

/* Reads a whole file into a malloc'ed buffer; returns NULL if missing. */
uint8_t *file_read(const char *path, size_t *len);
void file_write(const char *path, const void *data, size_t len);
int file_exists(const char *path);
/* Deterministic pseudo-random bytes (xorshift) for test inputs. */
void fill_random(uint8_t *buf, size_t len, uint64_t seed);
/* Path formatting into a malloc'ed string. */
char *path_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* 1 if ../shared/vectors exists; otherwise says, with test_skip(), that
 * WHAT does not run. */
int vectors_available(const char *what);

/* `make install DESTDIR=destdir PREFIX=prefix` of this tree (the build
 * the tests run from: nothing is compiled again), quietly; returns the
 * exit status, with make's messages in *err (malloc'ed) when err is not
 * NULL. */
int make_install(const char *destdir, const char *prefix, char **err);

/* Says that the current test, or a part of it, did not run, and why: one
 * line "SKIP suite::test: why" on stderr and in $FWS_SKIP_LOG (which
 * `make test` prints again at the end).  A test skipped as a whole with
 * cr_skip_test() gets the same line from a report hook in testutil.c. */
void test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Permission checks as the unprivileged user nobody (65534) between the
 * two calls, also when the tests run as root: the filesystem uid and gid
 * of this thread change, and with them root's override of file modes.
 * Files the code must reach need modes that let "others" in. */
void fs_unprivileged_begin(void);
void fs_unprivileged_end(void);
/* The shell prefix that runs a command as nobody when root ("" otherwise). */
const char *unprivileged_prefix(void);

/* Captures this process's stderr into a temporary file between the two
 * calls; the end returns what was written (malloc'ed, NUL-terminated).
 * Not nested. */
void stderr_capture_begin(void);
char *stderr_capture_end(void);

#endif
