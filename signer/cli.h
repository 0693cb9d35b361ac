/* Diagnostics and exit statuses shared by every host command. */
#ifndef FWS_CLI_H
#define FWS_CLI_H

#include <stdio.h>

/* Exit statuses, documented in README.md and docs/fwseal.1. */
#define FWS_EXIT_OK 0     /* accepted / done */
#define FWS_EXIT_REJECT 1 /* verification failed, container rejected */
#define FWS_EXIT_USAGE 2  /* bad command line or argument value */
#define FWS_EXIT_IO 3     /* I/O, bad input file, key file, environment */

/* "fwseal: error: <msg>" on stderr.  Messages name the file, the field and
 * the problem.  Returns nothing; callers return their exit status. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the error and a hint to run `fwseal CMD --help`; returns
 * FWS_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses a decimal (no leading zeros) or 0x-hex unsigned integer no larger
 * than max.  Returns 0 on success, -1 on syntax error or overflow. */
int cli_parse_u64(const char *s, unsigned long long max, unsigned long long *out);

/* Parses the value of -j/--jobs: 1..PDEF_MAX_JOBS threads.  Returns
 * FWS_EXIT_OK with *jobs set, or FWS_EXIT_USAGE (message printed). */
int cli_parse_jobs(const char *cmd, const char *arg, int *jobs);

/* Matches option `lng` (and `shrt`, may be NULL) taking a value, as
 * "--opt VALUE" or "--opt=VALUE".  Returns 1 and sets *val when matched, 0
 * when argv[*i] is another option, -1 (usage error printed) when the value
 * is missing. */
int cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *lng,
                  const char *shrt, const char **val);

/* Each command: argv[0] is the command name; returns an exit status. */
int cmd_keygen(int argc, char **argv);
int cmd_pubkey(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_unpack(int argc, char **argv);

#endif
