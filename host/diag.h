/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics and exit statuses for the host programs (fwseal, fwsv) and
 * the libraries under them (keys/, signer/).  Messages go to stderr as
 * "PROGRAM: error: ..." and name the file, the field and the problem; the
 * program name is set once by main() (default "fwseal").
 *
 * The bottom of the host code: includes nothing above libc.
 */
#ifndef FWS_DIAG_H
#define FWS_DIAG_H

/* Exit statuses, documented in README.md and docs/fwseal.1. */
#define FWS_EXIT_OK 0     /* accepted / done */
#define FWS_EXIT_REJECT 1 /* verification failed, container rejected */
#define FWS_EXIT_USAGE 2  /* bad command line or argument value */
#define FWS_EXIT_IO 3     /* I/O, bad input file, key file, environment */

/* The name messages start with; name must stay valid (argv[0] or a
 * literal).  Not thread-safe: call it before starting threads. */
void diag_set_program(const char *name);
const char *diag_program(void);

/* "PROGRAM: error: <msg>\n" / "PROGRAM: warning: <msg>\n" on stderr. */
void diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "PROGRAM: <msg>\n" on stderr, for verdicts ("FILE: rejected: ..."). */
void diag_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The text of the last diag_error() ("" if none), for --json errors. */
const char *diag_last_error(void);

/* The end of a program: flushes and closes stdout; output that did not
 * reach it (a full disk, a closed pipe) is an error, never a silent
 * success: returns FWS_EXIT_IO then, else status. */
int diag_close_stdout(int status);

#endif
