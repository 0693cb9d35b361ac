/* SPDX-License-Identifier: MIT */
/*
 * Input readers, step 1 of the pack data path: parses one command-line
 * input spec ([NAME=]FILE[@ADDRESS], see input.h), picks the reader by the
 * file's extension and hands the components to the caller.
 */
#include "input.h"
#include "input_reader.h"

#include <ctype.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "diag.h"
#include "fws_manifest.h"
#include "io.h"
#include "parse.h"
#include "xalloc.h"

static int ends_with(const char *s, size_t len, const char *suffix)
{
    size_t n = strlen(suffix);
    return len >= n && strncasecmp(s + len - n, suffix, n) == 0;
}

/* The extensions of each kind but raw. */
static const struct {
    const char *ext;
    enum fws_input_kind kind;
} extensions[] = {
    {".hex", FWS_INPUT_IHEX},      {".ihex", FWS_INPUT_IHEX},     {".ihx", FWS_INPUT_IHEX},
    {".srec", FWS_INPUT_SREC},     {".s19", FWS_INPUT_SREC},      {".s28", FWS_INPUT_SREC},
    {".s37", FWS_INPUT_SREC},      {".mot", FWS_INPUT_SREC},      {".elf", FWS_INPUT_ELF},
    {".axf", FWS_INPUT_ELF},       {".tar", FWS_INPUT_ARCHIVE},   {".tar.gz", FWS_INPUT_ARCHIVE},
    {".tgz", FWS_INPUT_ARCHIVE},   {".tar.bz2", FWS_INPUT_ARCHIVE},
    {".tar.xz", FWS_INPUT_ARCHIVE}, {".zip", FWS_INPUT_ARCHIVE},  {".cpio", FWS_INPUT_ARCHIVE},
};
#define N_EXTENSIONS (sizeof extensions / sizeof extensions[0])

enum fws_input_kind fws_input_kind_of(const char *file)
{
    size_t len = strlen(file);
    for (size_t i = 0; i < N_EXTENSIONS; i++)
        if (ends_with(file, len, extensions[i].ext))
            return extensions[i].kind;
    return FWS_INPUT_RAW;
}

/* The component name an input without NAME= gets: FILE's base name, less
 * the extension of an image format (app.elf -> app; radio.bin stays
 * radio.bin).  malloc'ed; NULL after a message when it is not a valid
 * name. */
static char *default_name(const char *file, enum fws_input_kind kind, const char *shown)
{
    const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
    size_t len = strlen(base);
    char *name;
    if (kind == FWS_INPUT_IHEX || kind == FWS_INPUT_SREC || kind == FWS_INPUT_ELF)
        for (size_t i = 0; i < N_EXTENSIONS; i++)
            if (extensions[i].kind == kind && ends_with(base, len, extensions[i].ext)) {
                len -= strlen(extensions[i].ext);
                break;
            }
    name = xstrndup(base, len);
    if (!fws_component_name_valid((const uint8_t *)name, len)) {
        char n[256];
        fws_input_printable(name, len, 1, n, sizeof n);
        diag_error("input '%s': the file name '%s' is not a valid component name (1-64 bytes "
                   "of A-Z a-z 0-9 . _ + -): give one, NAME=%s", shown, n, shown);
        free(name);
        return NULL;
    }
    return name;
}

/* A raw input that is an ELF file: the user probably meant its segments. */
static void warn_if_elf(const char *file, const char *shown)
{
    uint8_t magic[4];
    size_t got = 0;
    int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return;
    if (io_read_full(fd, magic, sizeof magic, &got) == 0 && got == 4 &&
        !memcmp(magic, "\x7f" "ELF", 4))
        diag_warn("%s: an ELF file, packed as raw bytes; name it .elf (or .axf) to pack its "
                  "loadable segments instead", shown);
    close(fd);
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
    char shown[512], *copy, *name = NULL, *named = NULL, *file, *at;
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
    if (!name && kind != FWS_INPUT_ARCHIVE) {
        if (!strcmp(file, "-")) {
            diag_error("input '%s': standard input needs a component name: NAME=-[@ADDRESS]",
                       shown);
            free(copy);
            return FWS_EXIT_USAGE;
        }
        if (!(name = named = default_name(file, kind, shown))) {
            free(copy);
            return FWS_EXIT_USAGE;
        }
    }
    switch (kind) {
    case FWS_INPUT_RAW:
        if (strcmp(file, "-"))
            warn_if_elf(file, shown);
        rc = fws_input_raw(name, file, has_address, address, opts, fn, user);
        break;
    case FWS_INPUT_IHEX:
    case FWS_INPUT_SREC:
    case FWS_INPUT_ELF:
        if (has_address) {
            diag_error("input '%s': %s carries its own addresses; drop the @ADDRESS", shown,
                       kind == FWS_INPUT_IHEX ? "an Intel HEX file"
                       : kind == FWS_INPUT_SREC ? "an S-record file" : "an ELF file");
            rc = FWS_EXIT_USAGE;
        } else {
            rc = kind == FWS_INPUT_IHEX   ? fws_input_ihex(name, file, opts, fn, user)
                 : kind == FWS_INPUT_SREC ? fws_input_srec(name, file, opts, fn, user)
                                          : fws_input_elf(name, file, opts, fn, user);
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
    free(named);
    free(copy);
    return rc;
}
