/* SPDX-License-Identifier: MIT */
/*
 * Input readers, step 1 of the pack data path: parses one command-line
 * input spec ([NAME=]FILE[@ADDRESS], see input.h), picks the reader by the
 * file's extension and hands the components to the caller.
 */
#include "input.h"
#include "input_reader.h"

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "parse.h"
#include "xalloc.h"

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

enum fws_input_kind fws_input_kind_of(const char *file)
{
    static const char *const hex[] = {".hex", ".ihex", ".ihx"};
    static const char *const arc[] = {".tar", ".tar.gz", ".tgz", ".tar.bz2",
                                      ".tar.xz", ".zip", ".cpio"};
    size_t len = strlen(file), i;
    for (i = 0; i < sizeof hex / sizeof hex[0]; i++)
        if (ends_with(file, len, hex[i]))
            return FWS_INPUT_IHEX;
    for (i = 0; i < sizeof arc / sizeof arc[0]; i++)
        if (ends_with(file, len, arc[i]))
            return FWS_INPUT_ARCHIVE;
    return FWS_INPUT_RAW;
}

/* "0x" + hex digits, or decimal digits without a leading zero (strtoull
 * with base 0 would read "010" as octal 8: refuse it instead). */
static int address_syntax_ok(const char *s)
{
    size_t i;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (!s[2])
            return 0;
        for (i = 2; s[i]; i++)
            if (!isxdigit((unsigned char)s[i]))
                return 0;
        return 1;
    }
    if (!s[0] || (s[0] == '0' && s[1]))
        return 0;
    for (i = 0; s[i]; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int fws_input_visit(const char *spec, const fws_input_opts *opts, fws_component_fn fn, void *user)
{
    static const fws_input_opts defaults = FWS_INPUT_OPTS_DEFAULT;
    char shown[512], *copy, *name = NULL, *file, *at;
    int has_address = 0, rc;
    unsigned long long address = 0;
    enum fws_input_kind kind;

    if (!opts)
        opts = &defaults;
    if (!spec || !*spec) {
        diag_error("empty input: expected [NAME=]FILE[@ADDRESS]");
        return FWS_EXIT_USAGE;
    }
    fws_input_printable(spec, strlen(spec), 0, shown, sizeof shown);
    copy = xstrdup(spec);
    file = copy;
    {
        char *eq = strchr(copy, '=');
        if (eq) {
            *eq = 0;
            name = copy;
            file = eq + 1;
        }
    }
    at = strrchr(file, '@');
    if (at) {
        *at = 0;
        if (!address_syntax_ok(at + 1) || parse_u64(at + 1, ULLONG_MAX, &address) != 0) {
            char a[128];
            fws_input_printable(at + 1, strlen(at + 1), 0, a, sizeof a);
            diag_error("input '%s': bad address '%s' (decimal or 0x-hex, at most "
                      "0xffffffffffffffff; a FILE containing '@' needs an explicit @ADDRESS)",
                      shown, a);
            free(copy);
            return FWS_EXIT_USAGE;
        }
        has_address = 1;
    }
    if (!*file) {
        diag_error("input '%s': FILE is missing: expected [NAME=]FILE[@ADDRESS]", shown);
        free(copy);
        return FWS_EXIT_USAGE;
    }
    if (name && !fws_input_name_ok(name, strlen(name), NULL)) {
        free(copy);
        return FWS_EXIT_USAGE;
    }

    kind = strcmp(file, "-") == 0 ? FWS_INPUT_RAW : fws_input_kind_of(file);
    switch (kind) {
    case FWS_INPUT_RAW:
        if (!name) {
            diag_error("input '%s': raw input needs a component name: NAME=%s[@ADDRESS]", shown,
                      shown);
            rc = FWS_EXIT_USAGE;
            break;
        }
        rc = fws_input_raw(name, file, has_address, address, opts, fn, user);
        break;
    case FWS_INPUT_IHEX:
        if (!name) {
            diag_error("input '%s': Intel HEX input needs a component name: NAME=%s", shown, shown);
            rc = FWS_EXIT_USAGE;
        } else if (has_address) {
            diag_error("input '%s': an Intel HEX file carries its own addresses; drop the "
                      "@ADDRESS", shown);
            rc = FWS_EXIT_USAGE;
        } else {
            rc = fws_input_ihex(name, file, opts, fn, user);
        }
        break;
    default:
        if (has_address) {
            diag_error("input '%s': archive members take no @ADDRESS; drop it", shown);
            rc = FWS_EXIT_USAGE;
        } else {
            rc = fws_input_archive(name, file, opts, fn, user);
        }
        break;
    }
    free(copy);
    return rc;
}
