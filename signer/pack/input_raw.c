/* SPDX-License-Identifier: MIT */
/*
 * Raw binary input: a file or standard input, streamed as one component.
 * The first block is read ahead so an empty input is refused (or, with
 * allow_empty, passed on as a 0-byte component) before the caller starts.
 */
#include "input_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "xalloc.h"

#define RAW_AHEAD 65536

typedef struct {
    int fd;
    const char *origin;
} raw_ctx;

static long raw_pull(void *ctx, uint8_t *buf, size_t cap)
{
    raw_ctx *r = ctx;
    ssize_t n;
    if (cap > (1u << 30))
        cap = 1u << 30;
    do
        n = read(r->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        diag_error("%s: read failed: %s", r->origin, strerror(errno));
        return -1;
    }
    return (long)n;
}

int fws_input_raw(const char *name, const char *file, int has_address, uint64_t address,
                  const fws_input_opts *opts, fws_component_fn fn, void *user)
{
    char origin[512];
    raw_ctx r;
    fws_input_stream st;
    fws_component_src src;
    uint8_t *ahead;
    struct stat sb;
    int is_stdin = strcmp(file, "-") == 0, rc;

    if (is_stdin)
        strcpy(origin, "standard input");
    else
        fws_input_printable(file, strlen(file), 0, origin, sizeof origin);
    r.origin = origin;
    r.fd = is_stdin ? STDIN_FILENO : fws_input_open(file, origin);
    if (r.fd < 0)
        return FWS_EXIT_IO;
    ahead = xmalloc(RAW_AHEAD);
    memset(&st, 0, sizeof st);
    st.pull = raw_pull;
    st.pctx = &r;
    switch (fws_input_stream_start(&st, ahead, RAW_AHEAD)) {
    case -1:
        rc = FWS_EXIT_IO;
        goto done;
    case 0:
        if (!opts->allow_empty) {
            diag_error("%s: empty input (pass --allow-empty for a 0-byte component)", origin);
            rc = FWS_EXIT_IO;
            goto done;
        }
        break;
    default:
        break;
    }
    src.name = name;
    src.has_address = has_address;
    src.address = address;
    src.origin = origin;
    src.read = fws_input_stream_read;
    src.ctx = &st;
    src.size_hint = fstat(r.fd, &sb) == 0 && S_ISREG(sb.st_mode) ? (uint64_t)sb.st_size : 0;
    rc = fn(user, &src);
done:
    free(ahead);
    if (!is_stdin && r.fd >= 0)
        close(r.fd);
    return rc;
}
