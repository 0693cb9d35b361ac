/* SPDX-License-Identifier: MIT */
/* The command layer's helpers: usage errors, option values, and the
 * commands main() dispatches to. */
#ifndef FWS_CLI_H
#define FWS_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "fws_format.h"
#include "fws_manifest.h"
#include "passphrase.h"

/* Prints "PROGRAM: error: <msg>" and a hint to run `PROGRAM CMD --help`
 * (`PROGRAM --help` when cmd is NULL); returns FWS_EXIT_USAGE. */
int cli_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parses the value of -j/--jobs: 1..PDEFLATE_MAX_JOBS threads.  Returns
 * FWS_EXIT_OK with *jobs set, or FWS_EXIT_USAGE (message printed). */
int cli_parse_jobs(const char *cmd, const char *arg, int *jobs);

/* getopt_long() with one message format for every command.  shorts is
 * getopt's optstring without a leading ':'; set optind = 0 before the
 * first call.  Returns the option's value (optarg set), -1 after the last
 * option (the operands are argv[optind..argc)), or CLI_OPT_ERROR after
 * printing one of
 *   unknown option '--frce' (did you mean --force?)
 *   option '--pass' is ambiguous (--passphrase-file, --passphrase-env)
 *   option '--output' requires an argument
 *   option '--force' takes no argument
 * and the --help hint; the command then returns FWS_EXIT_USAGE. */
#define CLI_OPT_ERROR (-2)
/* `PROGRAM CMD --list-options` alone prints CMD's long options, one a
 * line ("--name", "--name=" when it takes a value), and exits 0: the
 * shell completions are generated from the same tables (scripts/
 * completions.sh).  `PROGRAM --list-commands` prints "NAME<TAB>summary"
 * lines.  Neither is in --help. */
#define CLI_LIST_OPTIONS "--list-options"
#define CLI_LIST_COMMANDS "--list-commands"
/* The has_arg of an option a table holds only to refuse it with a helpful
 * message (`keygen --password`): never listed, so never completed.  No
 * real option takes an optional argument. */
#define CLI_REFUSED_OPTION 2 /* optional_argument */
struct option;
/* Prints those lines for one table (a command with actions lists each
 * action's table). */
void cli_list_options(const struct option *longs);
int cli_getopt(const char *cmd, int argc, char **argv, const char *shorts,
               const struct option *longs);

/* The name of names[0..n) closest to word (edit distance, a transposition
 * counting one), or NULL when none is close enough to be a typo of it. */
const char *cli_closest(const char *word, const char *const *names, size_t n);

/* The passphrase sources, in every command that reads a secret key. */
#define CLI_PASSPHRASE_OPTIONS(file_val, env_val)                \
    {"passphrase-file", required_argument, 0, (file_val)},       \
    {"passphrase-env", required_argument, 0, (env_val)}

/* A passphrase comes from one place: --passphrase-file and
 * --passphrase-env together are a usage error.  FWS_EXIT_OK or
 * FWS_EXIT_USAGE (message printed). */
int cli_check_passphrase_src(const char *cmd, const fws_passphrase_src *pp);

/* The line both `fwseal verify` and `fwsv` print for an accepted
 * container: "PATH: accepted: version X.Y.Z+B, counter N, K trusted
 * signer(s) (KEYID ...)". */
void cli_print_accepted(const char *path, uint16_t major, uint16_t minor, uint16_t patch,
                        uint32_t build, uint32_t counter, int n_signers,
                        const uint8_t (*ids)[FWS_KEYID_LEN], int class_checked);

/* The META key under which `fwseal pack` records the --class string. */
#define CLI_META_CLASS "class"

/* The class string `fwseal pack` records as the signed META entry "class"
 * into buf: 1 when it is there and hashes to the manifest's class id, 0
 * when there is none, -1 when it does not match the id (buf then holds
 * it anyway).  The decision uses only the id; this is for people. */
int cli_class_name(const fws_manifest *m, char *buf, size_t cap);
/* The options of the commands that write a text export (secret,
 * class-id, device-config): --format F, -o/--output OUT (default "-"),
 * --name IDENT, --force. */
enum { CLI_OPT_FORMAT = 700, CLI_OPT_NAME, CLI_OPT_FORCE };
#define CLI_EXPORT_OPTIONS                                       \
    {"format", required_argument, 0, CLI_OPT_FORMAT},            \
    {"output", required_argument, 0, 'o'},                       \
    {"name", required_argument, 0, CLI_OPT_NAME},                \
    {"force", no_argument, 0, CLI_OPT_FORCE}
typedef struct {
    const char *format, *out, *name;
    int force;
} cli_export;
/* out = "-", the rest unset. */
void cli_export_init(cli_export *e);
/* 1 if opt is one of CLI_EXPORT_OPTIONS (then stored), else 0. */
int cli_export_option(cli_export *e, int opt, const char *arg);
/* The checks on -o and --name (a C identifier, for --format c only);
 * FWS_EXIT_OK or FWS_EXIT_USAGE (message printed). */
int cli_export_check(const char *cmd, const cli_export *e, int c_format);
/* Writes text to e->out (atomically; "-": standard output) with mode
 * (exactly that mode when exact: secrets), never over an existing file
 * without --force.  FWS_EXIT_*. */
int cli_export_write(const cli_export *e, const void *text, size_t len, unsigned mode, int exact);

/* Seconds since 1970 as "2024-05-01T12:00:00Z" (UTC) into out. */
void cli_utc_time(int64_t t, char out[32]);

/* Each command: argv[0] is the command name; returns an exit status. */
int cmd_keygen(int argc, char **argv);
int cmd_pubkey(int argc, char **argv);
int cmd_pack(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_tbs(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_attach(int argc, char **argv);
int cmd_signatures(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_secret(int argc, char **argv);
int cmd_class_id(int argc, char **argv);
int cmd_device_config(int argc, char **argv);
int cmd_lot(int argc, char **argv);
int cmd_device(int argc, char **argv);
int cmd_rewrap(int argc, char **argv);
int cmd_assemble(int argc, char **argv);

#endif
