#include "cli.h"
#include "parallel_deflate.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("fwseal: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    fputs("fwseal: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fputs("fwseal: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'fwseal %s --help'.\n", cmd);
    return FWS_EXIT_USAGE;
}

int cli_parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;
    int hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (!s || !*s || !isdigit((unsigned char)s[0]))
        return -1;
    if (!hex && s[0] == '0' && s[1])   /* "010" is not octal 8 here */
        return -1;
    errno = 0;
    v = strtoull(s, &end, hex ? 16 : 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

int cli_parse_jobs(const char *cmd, const char *arg, int *jobs)
{
    unsigned long long v;
    if (cli_parse_u64(arg, PDEF_MAX_JOBS, &v) || v < 1)
        return cli_usage(cmd, "--jobs '%s': expected 1..%d", arg, PDEF_MAX_JOBS);
    *jobs = (int)v;
    return FWS_EXIT_OK;
}

int cli_opt_value(const char *cmd, int argc, char **argv, int *i, const char *lng,
                     const char *shrt, const char **val)
{
    const char *a = argv[*i];
    size_t n = strlen(lng);
    if (!strncmp(a, lng, n) && a[n] == '=') {
        *val = a + n + 1;
        return 1;
    }
    if (strcmp(a, lng) && (!shrt || strcmp(a, shrt)))
        return 0;
    if (*i + 1 >= argc) {
        cli_usage(cmd, "%s needs a value", a);
        return -1;
    }
    *val = argv[++*i];
    return 1;
}
