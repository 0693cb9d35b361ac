#include "cli.h"
#include "keyfile.h"
#include "pdeflate.h"
#include "parse.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: error: ", diag_program());
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s%s%s --help'.\n", diag_program(), cmd ? " " : "", cmd ? cmd : "");
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

int cli_check_passphrase_src(const char *cmd, const fws_passphrase_src *pp)
{
    if (pp->file && pp->env)
        return cli_usage(cmd, "give --passphrase-file or --passphrase-env, not both");
    return FWS_EXIT_OK;
}

void cli_print_accepted(const char *path, uint16_t major, uint16_t minor, uint16_t patch,
                        uint32_t build, uint32_t counter, int n_signers,
                        const uint8_t (*ids)[FWS_KEYID_LEN])
{
    char id[2 * FWS_KEYID_LEN + 1];
    printf("%s: accepted: version %u.%u.%u+%u, counter %u, %d trusted signer%s (", path, major,
           minor, patch, build, counter, n_signers, n_signers == 1 ? "" : "s");
    for (int i = 0; i < n_signers; i++) {
        fws_key_id_hex(ids[i], id);
        printf("%s%s", i ? " " : "", id);
    }
    printf(")\n");
}
