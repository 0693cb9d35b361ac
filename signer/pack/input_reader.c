/* SPDX-License-Identifier: MIT */
/*
 * The helpers the input readers share: escaping names for messages, name
 * checks, opening files, and a read-ahead stream that knows "empty" before
 * the caller sees the component.
 */
#include "input_reader.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "fws_manifest.h"

#define NAME_MAX_BYTES FWS_MAX_NAME

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
