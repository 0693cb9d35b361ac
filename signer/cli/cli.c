/* SPDX-License-Identifier: MIT */
#include "cli.h"
#include "host_class_id.h"
#include "atomic_file.h"
#include "keyfile.h"
#include "parse.h"
#include "pdeflate.h"
#include "pubkey_export.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cli_usage(const char *cmd, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error("%s", msg);
    fprintf(stderr, "Try '%s%s%s --help'.\n", diag_program(), cmd ? " " : "", cmd ? cmd : "");
    return FWS_EXIT_USAGE;
}

int cli_parse_jobs(const char *cmd, const char *arg, int *jobs)
{
    unsigned long long v;
    if (parse_u64(arg, PDEFLATE_MAX_JOBS, &v) || v < 1)
        return cli_usage(cmd, "--jobs '%s': expected 1..%d", arg, PDEFLATE_MAX_JOBS);
    *jobs = (int)v;
    return FWS_EXIT_OK;
}

int cli_check_passphrase_src(const char *cmd, const fws_passphrase_src *pp)
{
    if (pp->file && pp->env)
        return cli_usage(cmd, "give --passphrase-file or --passphrase-env, not both");
    return FWS_EXIT_OK;
}

void cli_print_accepted(const char *path, uint16_t major, uint16_t minor, uint16_t patch,
                        uint32_t build, uint32_t counter, int n_signers,
                        const uint8_t (*ids)[FWS_KEYID_LEN], int class_checked)
{
    char id[2 * FWS_KEYID_LEN + 1];
    printf("%s: accepted: version %u.%u.%u+%u, counter %u, %d trusted signer%s (", path, major,
           minor, patch, build, counter, n_signers, n_signers == 1 ? "" : "s");
    for (int i = 0; i < n_signers; i++) {
        fws_key_id_hex(ids[i], id);
        printf("%s%s", i ? " " : "", id);
    }
    printf(")%s\n", class_checked ? "" : "; class NOT checked (--any-class)");
}

int cli_class_name(const fws_manifest *m, char *buf, size_t cap)
{
    size_t pos = 0;
    const uint8_t *key, *val;
    uint8_t kl, id[FWS_CLASS_LEN];
    uint16_t vl;
    while (m->meta && fws_meta_next(m->meta, m->meta_len, &pos, &key, &kl, &val, &vl)) {
        if (kl != strlen(CLI_META_CLASS) || memcmp(key, CLI_META_CLASS, kl))
            continue;
        snprintf(buf, cap, "%.*s", (int)vl, (const char *)val);
        if (strlen(buf) != vl)
            return -1;   /* a NUL inside: not what pack wrote */
        host_class_id(buf, id);
        return memcmp(id, m->class_id, FWS_CLASS_LEN) ? -1 : 1;
    }
    return 0;
}

/* Optimal string alignment distance (Levenshtein with transpositions);
 * names are short, longer words count as far from everything. */
static size_t distance(const char *a, const char *b)
{
    enum { MAX = 64 };
    size_t la = strlen(a), lb = strlen(b), d[MAX + 1][MAX + 1], i, j;
    if (la > MAX || lb > MAX)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++)
        for (j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *cli_closest(const char *word, const char *const *names, size_t n)
{
    /* A typo: about one edit in three characters, at least one. */
    size_t limit = strlen(word) / 3 ? strlen(word) / 3 : 1, best = limit + 1;
    const char *found = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t d = distance(word, names[i]);
        if (d < best) {
            best = d;
            found = names[i];
        }
    }
    return found;
}

/* The long option argv element `arg` ("--name" or "--name=value") names,
 * without "--" and "=value", into buf. */
static const char *long_name(const char *arg, char *buf, size_t cap)
{
    size_t n = strcspn(arg + 2, "=");
    snprintf(buf, cap, "%.*s", (int)n, arg + 2);
    return buf;
}

/* The message for a '?' from getopt_long. */
static int bad_option(const char *cmd, char **argv, const struct option *longs)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    const char *names[64], *guess;
    char name[128], list[256] = "";
    size_t n = 0, prefixed = 0;
    if (strncmp(arg, "--", 2) || !arg[2])
        return cli_usage(cmd, "unknown option '-%c'", optopt ? optopt : '?');
    long_name(arg, name, sizeof name);
    for (const struct option *o = longs; o->name && n < 64; o++) {
        names[n++] = o->name;
        /* getopt's "doesn't allow an argument" (of --name=value) sets
         * optopt to the option's value; any other '?' of a long option
         * leaves it 0. */
        if (optopt && o->val == optopt && strchr(arg, '=') && !strncmp(o->name, name, strlen(name)))
            return cli_usage(cmd, "option '--%s' takes no argument", o->name);
        if (*name && !strncmp(o->name, name, strlen(name))) {
            size_t used = strlen(list);
            snprintf(list + used, sizeof list - used, "%s--%s", prefixed++ ? ", " : "", o->name);
        }
    }
    if (prefixed > 1)
        return cli_usage(cmd, "option '--%s' is ambiguous (%s)", name, list);
    guess = cli_closest(name, names, n);
    if (guess)
        return cli_usage(cmd, "unknown option '--%s' (did you mean --%s?)", name, guess);
    return cli_usage(cmd, "unknown option '--%s'", name);
}

/* The hidden `--list-options` (scripts/completions.sh): every long option
 * of the table but the refused ones, "--name" or "--name=" when it takes a
 * value, one a line. */
void cli_list_options(const struct option *longs)
{
    _Static_assert(CLI_REFUSED_OPTION == optional_argument, "see cli.h");
    for (const struct option *o = longs; o->name; o++)
        if (o->has_arg != CLI_REFUSED_OPTION)
            printf("--%s%s\n", o->name, o->has_arg == required_argument ? "=" : "");
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shorts,
               const struct option *longs)
{
    char optstring[64];
    int opt;
    if (optind == 0 && argc == 2 && !strcmp(argv[1], CLI_LIST_OPTIONS)) {
        cli_list_options(longs);
        exit(FWS_EXIT_OK);
    }
    snprintf(optstring, sizeof optstring, ":%s", shorts);
    opterr = 0;
    opt = getopt_long(argc, argv, optstring, longs, NULL);
    if (opt == ':') {
        const char *arg = optind > 0 ? argv[optind - 1] : "";
        char name[128];
        if (!strncmp(arg, "--", 2))
            cli_usage(cmd, "option '--%s' requires an argument", long_name(arg, name, sizeof name));
        else
            cli_usage(cmd, "option '-%c' requires an argument", optopt);
        return CLI_OPT_ERROR;
    }
    if (opt == '?') {
        bad_option(cmd, argv, longs);
        return CLI_OPT_ERROR;
    }
    return opt;
}

void cli_utc_time(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
        snprintf(out, 32, "%lld", (long long)t);
}

void cli_export_init(cli_export *e)
{
    memset(e, 0, sizeof *e);
    e->out = "-";
}

int cli_export_option(cli_export *e, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_FORMAT: e->format = arg; return 1;
    case 'o': e->out = arg; return 1;
    case CLI_OPT_NAME: e->name = arg; return 1;
    case CLI_OPT_FORCE: e->force = 1; return 1;
    }
    return 0;
}

int cli_export_check(const char *cmd, const cli_export *e, int c_format)
{
    if (!*e->out)
        return cli_usage(cmd, "-o: empty file name");
    if (e->name && !c_format)
        return cli_usage(cmd, "--name applies to --format c only");
    if (e->name && !fws_pubkey_ident_valid(e->name))
        return cli_usage(cmd, "--name: '%s' is not a C identifier (letters, digits, _; at most "
                              "%d characters; not a keyword)", e->name, FWS_PUBKEY_IDENT_MAX);
    return FWS_EXIT_OK;
}

int cli_export_write(const cli_export *e, const void *text, size_t len, unsigned mode, int exact)
{
    atomic_file af;
    int rc = atomic_open(&af, e->out, (mode_t)mode,
                         (exact ? ATOMIC_EXACT_MODE : 0) | (e->force ? ATOMIC_OVERWRITE : 0));
    if (rc)
        return rc;
    if ((rc = atomic_write(&af, text, len)) || (rc = atomic_commit(&af)))
        atomic_abort(&af);
    return rc;
}
