/*
 * Input readers, step 1 of the pack data path: parses one command-line
 * input spec ([NAME=]FILE[@ADDRESS], see input.h), picks the reader by the
 * file's extension and hands the components to the caller.  Also the
 * helpers the readers share: escaping names for messages, name checks,
 * opening files, and a read-ahead stream that knows "empty" before the
 * caller sees the component.
 */
#include "input_reader.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "parse.h"
#include "xalloc.h"
#include "fws_manifest.h"

#define NAME_MAX_BYTES FWS_MAX_NAME

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

void fws_input_printable(const char *s, size_t len, int escape_high, char *out, size_t outcap)
{
    static const char digits[] = "0123456789abcdef";
    size_t o = 0, i;
    if (outcap == 0)
        return;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        int esc = c < 0x20 || c == 0x7f || c == '\\' || (escape_high && c >= 0x80);
        size_t need = esc ? 4 : 1;
        if (o + need + 4 > outcap) { /* keep room for "..." and the NUL */
            if (o + 4 <= outcap) {
                memcpy(out + o, "...", 3);
                o += 3;
            }
            break;
        }
        if (esc) {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = digits[c >> 4];
            out[o++] = digits[c & 15];
        } else {
            out[o++] = (char)c;
        }
    }
    out[o] = 0;
}

int fws_input_name_ok(const char *name, size_t len, const char *where)
{
    char shown[256];
    if (fws_component_name_valid((const uint8_t *)name, len))
        return 1;
    fws_input_printable(name, len, 1, shown, sizeof shown);
    if (len > NAME_MAX_BYTES)
        diag_error("%s%scomponent name '%s' is %zu bytes, the maximum is %d", where ? where : "",
                  where ? ": " : "", shown, len, NAME_MAX_BYTES);
    else
        diag_error("%s%s%s: invalid component name (allowed: 1-64 bytes of A-Z a-z 0-9 . _ + - "
                  "and / between segments)",
                  where ? where : "", where ? ": " : "", len ? shown : "''");
    return 0;
}

int fws_input_open(const char *path, const char *shown)
{
    struct stat st;
    int fd;
    do
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        diag_error("%s: cannot open: %s", shown, strerror(errno));
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        diag_error("%s: %s", shown, strerror(errno));
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        diag_error("%s: is a directory, not a file", shown);
        close(fd);
        return -1;
    }
    return fd;
}

int fws_input_stream_start(fws_input_stream *st, uint8_t *ahead, size_t ahead_cap)
{
    long n = st->pull(st->pctx, ahead, ahead_cap);
    st->ahead = ahead;
    st->ahead_pos = 0;
    st->ahead_len = 0;
    if (n < 0) {
        st->state = -1;
        return -1;
    }
    st->ahead_len = (size_t)n;
    st->state = n == 0 ? 1 : 0;
    return n > 0;
}

long fws_input_stream_read(void *ctx, uint8_t *buf, size_t cap)
{
    fws_input_stream *st = ctx;
    size_t got = 0;
    if (st->state < 0)
        return -1;
    if (cap > (size_t)LONG_MAX)
        cap = (size_t)LONG_MAX;
    if (st->ahead_pos < st->ahead_len) {
        size_t n = st->ahead_len - st->ahead_pos;
        if (n > cap)
            n = cap;
        memcpy(buf, st->ahead + st->ahead_pos, n);
        st->ahead_pos += n;
        got = n;
    }
    /* Fill the caller's buffer: a short count means the end. */
    while (got < cap && st->state == 0) {
        long n = st->pull(st->pctx, buf + got, cap - got);
        if (n < 0) {
            st->state = -1;
            return -1;
        }
        if (n == 0)
            st->state = 1;
        got += (size_t)n;
    }
    return (long)got;
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
