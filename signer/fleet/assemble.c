/* SPDX-License-Identifier: MIT */
#include "assemble.h"
#include "atomic_file.h"
#include "container_reader.h"
#include "diag.h"
#include "io.h"
#include "reason.h"
#include "xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { HEAD, CAPSULE, PAYLOAD, N_PARTS };

/* The three files as one stream; what is read is also written to out. */
typedef struct {
    FILE *f[N_PARTS];
    const char *name[N_PARTS];
    uint64_t size[N_PARTS];
    int cur;
    atomic_file *out;
    int out_failed;
} pieces;

static ssize_t pieces_read(void *cookie, char *buf, size_t len)
{
    pieces *p = cookie;
    while (p->cur < N_PARTS) {
        size_t n = fread(buf, 1, len, p->f[p->cur]);
        if (n) {
            if (atomic_write(p->out, buf, n)) {
                p->out_failed = 1;
                errno = EIO;
                return -1;
            }
            return (ssize_t)n;
        }
        if (ferror(p->f[p->cur]))
            return -1;
        p->cur++;
    }
    return 0;
}

static int open_pieces(pieces *p, const char *const names[N_PARTS])
{
    struct stat st;
    for (int i = 0; i < N_PARTS; i++) {
        p->name[i] = names[i];
        p->f[i] = fopen(names[i], "rb");
        if (!p->f[i] || fstat(fileno(p->f[i]), &st) < 0) {
            diag_error("%s: cannot read: %s", names[i], strerror(errno));
            return FWS_EXIT_IO;
        }
        if (!S_ISREG(st.st_mode)) {
            diag_error("%s: cannot read: not a regular file", names[i]);
            return FWS_EXIT_IO;
        }
        p->size[i] = (uint64_t)st.st_size;
    }
    return FWS_EXIT_OK;
}

/* Where the stream stands against the end of piece i after its block. */
static int piece_ends(const pieces *p, const container *c, int i, const char *block)
{
    uint64_t end = 0;
    for (int k = 0; k <= i; k++)
        end += p->size[k];
    if (c->pos == end)
        return FWS_EXIT_OK;
    if (c->pos < end)
        diag_error("%s: %llu bytes after the %s: not a %s from 'fwseal rewrap --out-dir'",
                   p->name[i], (unsigned long long)(end - c->pos), block,
                   i == HEAD ? "head" : "capsule file");
    else
        diag_error("%s: ends inside the %s (%llu bytes short)", p->name[i], block,
                   (unsigned long long)(c->pos - end));
    return FWS_EXIT_REJECT;
}

static int check_stream(pieces *p, container *c)
{
    const uint8_t *data;
    uint64_t offset, want;
    size_t len;
    int got;
    if (container_parse_to(c, STAGE_SIGNATURES)) {
        diag_error("%s: %s", p->name[HEAD], c->err);
        goto failed;
    }
    if ((got = piece_ends(p, c, HEAD, "signature block")))
        return got;
    if (container_parse_to(c, STAGE_CAPSULES)) {
        diag_error("%s: %s (offsets from the start of %s)", p->name[CAPSULE], c->err,
                   p->name[HEAD]);
        goto failed;
    }
    if ((got = piece_ends(p, c, CAPSULE, "capsule block")))
        return got;
    want = fws_stored_payload_len(c->m.payload_len, c->m.chunk_size);
    if (p->size[PAYLOAD] != want) {
        diag_error("%s: %llu bytes, the manifest in %s says %llu", p->name[PAYLOAD],
                   (unsigned long long)p->size[PAYLOAD], p->name[HEAD], (unsigned long long)want);
        return FWS_EXIT_REJECT;
    }
    while ((got = container_next_chunk(c, &data, &len, &offset)) == 1)
        ;
    if (got == 0)
        return FWS_EXIT_OK;
    diag_error("%s: %s (offsets from the start of %s)", p->name[PAYLOAD], c->err, p->name[HEAD]);
failed:
    return p->out_failed ? FWS_EXIT_IO
           : !strcmp(c->reason, REASON_IO) ? FWS_EXIT_IO : FWS_EXIT_REJECT;
}

/* The staged container onto standard output, once every check passed. */
static int copy_to_stdout(const atomic_file *staged)
{
    char buf[65536];
    int fd = atomic_fd(staged);
    ssize_t n;
    if (lseek(fd, 0, SEEK_SET) < 0) {
        diag_error("the staged container: %s", strerror(errno));
        return FWS_EXIT_IO;
    }
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            diag_error("the staged container: read failed: %s", strerror(errno));
            return FWS_EXIT_IO;
        }
        if (io_write_all(STDOUT_FILENO, buf, (size_t)n) < 0) {
            diag_error("standard output: write failed: %s", strerror(errno));
            return FWS_EXIT_IO;
        }
    }
    return FWS_EXIT_OK;
}

int assemble(const char *head, const char *capsule, const char *payload, const char *out,
             int force)
{
    static const cookie_io_functions_t io = {.read = pieces_read};
    const char *const names[N_PARTS] = {head, capsule, payload};
    container *c = xcalloc(1, sizeof *c);
    atomic_file af;
    pieces p;
    FILE *stream = NULL;
    const char *tmpdir = getenv("TMPDIR");
    int rc, to_stdout = !strcmp(out, "-");
    memset(&p, 0, sizeof p);
    atomic_init(&af);
    p.out = &af;
    /* Standard output cannot be taken back: the container is staged in an
     * unnamed file and copied there only after every check passed. */
    if ((rc = open_pieces(&p, names)) ||
        (rc = to_stdout ? atomic_open_scratch(&af, tmpdir && *tmpdir ? tmpdir : "/tmp")
                        : atomic_open(&af, out, 0644, force ? ATOMIC_OVERWRITE : 0)))
        goto out;
    if (!(stream = fopencookie(&p, "rb", io))) {
        diag_error("cannot read the pieces: %s", strerror(errno));
        rc = FWS_EXIT_IO;
        goto out;
    }
    container_open_stream(c, stream, head);
    rc = check_stream(&p, c);
    container_close(c);   /* closes stream */
    if (!rc)
        rc = to_stdout ? copy_to_stdout(&af) : atomic_commit(&af);
out:
    atomic_abort(&af);
    for (int i = 0; i < N_PARTS; i++)
        if (p.f[i])
            fclose(p.f[i]);
    free(c);
    return rc;
}
