/* SPDX-License-Identifier: MIT */
/*
 * Archive input (tar, zip, cpio; tar and cpio optionally compressed with
 * gzip, bzip2, xz or zstd): each regular file member becomes a component,
 * in archive order, its data streamed with archive_read_data().
 *
 * Three choices worth knowing:
 *
 * - Only the formats and filters we accept are enabled, not
 *   archive_read_support_format_all()/filter_all(): "all" includes mtree,
 *   whose reader opens the local files an mtree text names while it reads
 *   the headers, and filters (lrzip, grzip, lzop, ...) that libarchive runs
 *   as external programs.  The detected format is checked again on the
 *   first header.
 *
 * - Compressed streams are checked to their very end.  libarchive's gzip
 *   filter does not verify the gzip CRC-32 and length ("XXX TODO" in its
 *   source), and a tar reader stops at the end-of-archive blocks, before
 *   the trailer of the compressed stream, so a flipped byte in stored
 *   (incompressible) data would be signed silently.  Hence gzip is inflated
 *   here with zlib (which checks CRC-32 and ISIZE of every member), bzip2,
 *   xz and zstd are decompressed by a second libarchive reader in "raw"
 *   format (libbz2, liblzma and libzstd check their own CRCs), and after the
 *   last member the decompressed stream is read to its end so those checks
 *   run.  At most DRAIN_CAP bytes may follow the end of the archive.
 *   Uncompressed tar and cpio have no data checksum at all; zip members
 *   are checked against their CRC-32 by libarchive.
 *
 * - Uncompressed archives in regular files are opened with
 *   archive_read_open_fd(), which can seek, so a zip is read through its
 *   central directory (what unzip and most tools trust) rather than its
 *   local headers.
 *
 * Nothing is extracted, so a hostile member name cannot write anywhere;
 * names are still refused when they are absolute or climb with "..",
 * because the name becomes the component's name and `fwseal unpack` (or a
 * device) may later write it as a path.
 */
#include "input_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "diag.h"
#include "xalloc.h"

#define BLOCK 65536             /* read and decompression buffers */
#define MEMBER_AHEAD 65536      /* read ahead of each member (empty check) */
#define DRAIN_CAP ((unsigned long long)64 << 20)

enum { SRC_FD, SRC_GZIP, SRC_OUTER };

/* Where the archive's (decompressed) bytes come from. */
typedef struct {
    int fd;
    int kind;
    const char *shown;        /* archive file name, escaped */
    char err[256];            /* the last source error */
    int failed;               /* the archive reader saw a source error */
    uint8_t *in;              /* BLOCK bytes: compressed input */
    uint8_t *out;             /* BLOCK bytes: what the archive reader reads */
    size_t peek_len, peek_pos; /* bytes of `in` read while sniffing, not yet used */
    /* SRC_GZIP */
    z_stream z;
    int z_ready, z_done;
    int in_eof;
    /* SRC_OUTER */
    struct archive *outer;
} source;

static void src_fail(source *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void src_fail(source *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
}

/* The file's bytes: first what sniffing read, then read(2). */
static long fd_read(source *s, uint8_t *buf, size_t cap)
{
    ssize_t n;
    if (s->peek_pos < s->peek_len) {
        size_t k = s->peek_len - s->peek_pos;
        if (k > cap)
            k = cap;
        memmove(buf, s->in + s->peek_pos, k);
        s->peek_pos += k;
        return (long)k;
    }
    do
        n = read(s->fd, buf, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        src_fail(s, "read failed: %s", strerror(errno));
        return -1;
    }
    return (long)n;
}

/* Refills z.next_in from the file.  Returns 1, 0 at the end, -1. */
static int gz_fill(source *s)
{
    long n;
    if (s->peek_pos < s->peek_len) {
        s->z.next_in = s->in + s->peek_pos;
        s->z.avail_in = (uInt)(s->peek_len - s->peek_pos);
        s->peek_pos = s->peek_len;
        return 1;
    }
    n = fd_read(s, s->in, BLOCK);
    if (n < 0)
        return -1;
    if (n == 0) {
        s->in_eof = 1;
        return 0;
    }
    s->z.next_in = s->in;
    s->z.avail_in = (uInt)n;
    return 1;
}

/* After a gzip member: another member, trailing zeros, or the end. */
static int gz_after_member(source *s)
{
    for (;;) {
        if (s->z.avail_in == 0) {
            int r = gz_fill(s);
            if (r <= 0)
                return r < 0 ? -1 : 0; /* 0: the end */
        }
        if (s->z.next_in[0] == 0x1f)
            return 1; /* looks like the next member; inflate checks the rest */
        while (s->z.avail_in && s->z.next_in[0] == 0) {
            s->z.next_in++;
            s->z.avail_in--;
        }
        if (s->z.avail_in) {
            src_fail(s, "gzip: trailing garbage after the compressed data");
            return -1;
        }
    }
}

/* Decompressed bytes of a (multi-member) gzip file, CRC-checked by zlib. */
static long gz_read(source *s, uint8_t *buf, size_t cap)
{
    if (s->z_done)
        return 0;
    s->z.next_out = buf;
    s->z.avail_out = (uInt)(cap > BLOCK ? BLOCK : cap);
    while (s->z.avail_out == (uInt)(cap > BLOCK ? BLOCK : cap)) { /* until some output */
        int r;
        if (s->z.avail_in == 0 && !s->in_eof) {
            int f = gz_fill(s);
            if (f < 0)
                return -1;
        }
        if (s->z.avail_in == 0 && s->in_eof) {
            src_fail(s, "gzip: unexpected end of file (truncated)");
            return -1;
        }
        r = inflate(&s->z, Z_NO_FLUSH);
        if (r == Z_STREAM_END) {
            int next = gz_after_member(s);
            if (next < 0)
                return -1;
            if (next == 0) {
                s->z_done = 1;
                break;
            }
            if (inflateReset(&s->z) != Z_OK) {
                src_fail(s, "gzip: cannot reset the decompressor");
                return -1;
            }
            continue;
        }
        if (r == Z_BUF_ERROR && s->z.avail_in == 0)
            continue; /* needs input */
        if (r != Z_OK) {
            src_fail(s, "gzip: %s", s->z.msg ? s->z.msg : "corrupt data");
            return -1;
        }
    }
    return (long)((cap > BLOCK ? BLOCK : cap) - s->z.avail_out);
}

static la_ssize_t outer_read_cb(struct archive *outer, void *ctx, const void **buf)
{
    source *s = ctx;
    long n = fd_read(s, s->in, BLOCK); /* `out` holds what the outer reader decompressed */
    if (n < 0) {
        archive_set_error(outer, EIO, "%s", s->err);
        return -1;
    }
    *buf = s->in;
    return (la_ssize_t)n;
}

static long outer_read(source *s, uint8_t *buf, size_t cap)
{
    la_ssize_t n;
    do
        n = archive_read_data(s->outer, buf, cap);
    while (n == ARCHIVE_RETRY);
    if (n < 0) {
        const char *m = archive_error_string(s->outer);
        src_fail(s, "%s", m ? m : "decompression failed");
        return -1;
    }
    return (long)n;
}

/* The archive's bytes, decompressed.  0 at the end, -1 with s->err set. */
static long src_read(source *s, uint8_t *buf, size_t cap)
{
    switch (s->kind) {
    case SRC_GZIP:
        return gz_read(s, buf, cap);
    case SRC_OUTER:
        return outer_read(s, buf, cap);
    default:
        return fd_read(s, buf, cap);
    }
}

/* libarchive's read callback for the archive reader. */
static la_ssize_t inner_read_cb(struct archive *a, void *ctx, const void **buf)
{
    source *s = ctx;
    uint8_t *dst = s->out;
    long n = src_read(s, dst, BLOCK);
    if (n < 0) {
        s->failed = 1;
        archive_set_error(a, EIO, "%s", s->err);
        return -1;
    }
    *buf = dst;
    return (la_ssize_t)n;
}

/* The archive reader's message; a source error first, as libarchive may
 * have replaced it (format detection says "Unrecognized archive format"
 * when its first read failed). */
static long src_read(source *s, uint8_t *buf, size_t cap);

static const char *arc_msg(struct archive *a, source *s, const char *fallback)
{
    const char *m;
    if (!s->failed && s->kind != SRC_FD) {
        /* A corrupt compressed stream often shows first as garbage (bzip2
         * and xz check their CRCs only at the end of a block): read on,
         * bounded, to find the decompressor's own complaint. */
        unsigned long long total = 0;
        long n;
        while ((n = src_read(s, s->out, BLOCK)) > 0 && total <= DRAIN_CAP)
            total += (unsigned long long)n;
        if (n < 0)
            s->failed = 1;
    }
    m = s->failed ? s->err : archive_error_string(a);
    return m ? m : fallback;
}

/* Sniffs the compression and opens the archive reader `a` on it.  Returns
 * 0, or -1 after printing the error. */
static int src_open(source *s, struct archive *a)
{
    struct stat st;
    int seekable = fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode);
    long n;
    /* Read up to 6 bytes of magic. */
    while (s->peek_len < 6) {
        n = fd_read(s, s->in + s->peek_len, 6 - s->peek_len);
        if (n < 0) {
            diag_error("%s: %s", s->shown, s->err);
            return -1;
        }
        if (n == 0)
            break;
        s->peek_len += (size_t)n;
    }
    s->peek_pos = 0;
    if (s->peek_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        s->kind = SRC_GZIP;
        memset(&s->z, 0, sizeof s->z);
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
            diag_error("%s: cannot start the gzip decompressor", s->shown);
            return -1;
        }
        s->z_ready = 1;
    } else if ((s->peek_len >= 3 && memcmp(s->in, "BZh", 3) == 0) ||
               (s->peek_len >= 6 && memcmp(s->in, "\xfd" "7zXZ\0", 6) == 0) ||
               (s->peek_len >= 4 && memcmp(s->in, "\x28\xb5\x2f\xfd", 4) == 0)) {
        struct archive_entry *e;
        s->kind = SRC_OUTER;
        if (!(s->outer = archive_read_new()))
            xalloc_die(0);
        archive_read_support_filter_bzip2(s->outer);
        archive_read_support_filter_xz(s->outer);
        archive_read_support_filter_zstd(s->outer);
        archive_read_support_format_raw(s->outer);
        if (archive_read_open(s->outer, s, NULL, outer_read_cb, NULL) != ARCHIVE_OK ||
            archive_read_next_header(s->outer, &e) != ARCHIVE_OK) {
            const char *m = archive_error_string(s->outer);
            diag_error("%s: %s", s->shown, m ? m : "cannot decompress");
            return -1;
        }
    } else if (seekable) {
        s->kind = SRC_FD;
        if (lseek(s->fd, 0, SEEK_SET) != 0) {
            diag_error("%s: cannot seek: %s", s->shown, strerror(errno));
            return -1;
        }
        s->peek_len = 0;
        if (archive_read_open_fd(a, s->fd, BLOCK) != ARCHIVE_OK) {
            const char *m = archive_error_string(a);
            diag_error("%s: %s (fwseal reads tar, zip and cpio archives)", s->shown,
                      m ? m : "cannot read the archive");
            return -1;
        }
        return 0;
    } else {
        s->kind = SRC_FD;
    }
    if (archive_read_open(a, s, NULL, inner_read_cb, NULL) != ARCHIVE_OK) {
        const char *m = arc_msg(a, s, "cannot read the archive");
        diag_error("%s: %s%s", s->shown, m,
                  s->failed ? "" : " (fwseal reads tar, zip and cpio archives)");
        return -1;
    }
    return 0;
}

/* After the last member: read the compressed stream to its end so its
 * checks run.  Returns 0, or -1 after printing the error. */
static int src_drain(source *s)
{
    unsigned long long total = 0;
    if (s->kind == SRC_FD)
        return 0;
    for (;;) {
        long n = src_read(s, s->out, BLOCK);
        if (n < 0) {
            diag_error("%s: %s", s->shown, s->err);
            return -1;
        }
        if (n == 0)
            return 0;
        total += (unsigned long long)n;
        if (total > DRAIN_CAP) {
            diag_error("%s: more than %llu bytes follow the end of the archive", s->shown,
                      DRAIN_CAP);
            return -1;
        }
    }
}

static void src_close(source *s)
{
    if (s->z_ready)
        inflateEnd(&s->z);
    if (s->outer)
        archive_read_free(s->outer);
    free(s->in);
    free(s->out);
}

typedef struct {
    struct archive *a;
    source *s;
    const char *origin; /* "ARCHIVE:member" */
} member_ctx;

static long member_pull(void *ctx, uint8_t *buf, size_t cap)
{
    member_ctx *m = ctx;
    la_ssize_t n;
    if (cap > (1u << 30))
        cap = 1u << 30;
    do
        n = archive_read_data(m->a, buf, cap);
    while (n == ARCHIVE_RETRY);
    if (n < 0) {
        diag_error("%s: %s", m->origin, arc_msg(m->a, m->s, "read failed"));
        return -1;
    }
    return (long)n;
}

/* NULL if the member's path is safe, else why not.  Leading "./" are
 * removed first (by the caller). */
static const char *unsafe_reason(const char *path)
{
    const char *s = path, *seg;
    if (!*s)
        return "empty name";
    if (*s == '/')
        return "absolute path";
    for (;;) {
        size_t len;
        seg = s;
        while (*s && *s != '/')
            s++;
        len = (size_t)(s - seg);
        if (len == 0)
            return "empty path segment";
        if (len == 2 && seg[0] == '.' && seg[1] == '.')
            return "'..' path segment";
        if (!*s)
            return NULL;
        s++;
    }
}

static const char *type_word(mode_t type)
{
    switch (type) {
    case AE_IFLNK:
        return "a symbolic link";
    case AE_IFCHR:
        return "a character device";
    case AE_IFBLK:
        return "a block device";
    case AE_IFIFO:
        return "a FIFO";
    case AE_IFSOCK:
        return "a socket";
    default:
        return "not a regular file";
    }
}

static int format_ok(int format)
{
    switch (format & ARCHIVE_FORMAT_BASE_MASK) {
    case ARCHIVE_FORMAT_TAR:
    case ARCHIVE_FORMAT_ZIP:
    case ARCHIVE_FORMAT_CPIO:
        return 1;
    default:
        return 0;
    }
}

/* One archive being walked member by member. */
typedef struct {
    struct archive *a;
    source s;
    char shown[512];               /* the archive, for messages */
    char member[512];              /* the current member's path, escaped */
    char origin[1100];             /* "ARCHIVE:member" */
    char *cname;                   /* the component name: [NAME/]path */
    size_t nregular, nentries;
    uint64_t size;                 /* the current member's size from its header, or 0 */
} archive_walk;

/* The next member's header: 1 for a regular file to hand on (path set),
 * 0 for a directory, 2 at the end, -1 after a message.  Anything but
 * regular files and directories is refused, so no content is dropped. */
static int next_member(archive_walk *w, const char **path, size_t *skip)
{
    struct archive_entry *e;
    mode_t type;
    const char *why;
    int r = archive_read_next_header(w->a, &e);
    if (r == ARCHIVE_EOF)
        return 2;
    if (r == ARCHIVE_WARN) {
        diag_warn("%s: %s", w->shown, arc_msg(w->a, &w->s, "warning from libarchive"));
    } else if (r != ARCHIVE_OK) {
        diag_error("%s: %s%s", w->shown, arc_msg(w->a, &w->s, "corrupt archive"),
                   w->nentries == 0 && !w->s.failed ? " (fwseal reads tar, zip and cpio archives)"
                                                    : "");
        return -1;
    }
    if (w->nentries++ == 0 && !format_ok(archive_format(w->a))) {
        const char *fname = archive_format_name(w->a);
        diag_error("%s: %s is not a tar, zip or cpio archive", w->shown,
                   fname ? fname : "this format");
        return -1;
    }
    *path = archive_entry_pathname(e);
    if (!*path) {
        diag_error("%s: member #%zu has no readable name", w->shown, w->nentries);
        return -1;
    }
    for (*skip = 0; (*path)[*skip] == '.' && (*path)[*skip + 1] == '/';)
        *skip += 2;
    fws_input_printable(*path, strlen(*path), 1, w->member, sizeof w->member);
    if (archive_entry_hardlink(e)) {
        char target[512];
        const char *t = archive_entry_hardlink(e);
        fws_input_printable(t, strlen(t), 1, target, sizeof target);
        diag_error("%s: member '%s' is a hard link to '%s'; only regular files and "
                   "directories are accepted", w->shown, w->member, target);
        return -1;
    }
    type = archive_entry_filetype(e);
    w->size = archive_entry_size_is_set(e) && archive_entry_size(e) > 0
                  ? (uint64_t)archive_entry_size(e) : 0;
    if (type == AE_IFDIR)
        return 0;
    if (type != AE_IFREG) {
        diag_error("%s: member '%s' is %s; only regular files and directories are "
                   "accepted", w->shown, w->member, type_word(type));
        return -1;
    }
    if ((why = unsafe_reason(*path + *skip))) {
        diag_error("%s: member '%s': unsafe member name (%s)", w->shown, w->member, why);
        return -1;
    }
    return 1;
}

/* The component name of member `rel` ([NAME/]rel) into w->cname, and its
 * origin for messages.  0, or -1 after a message. */
static int name_member(archive_walk *w, const char *name, const char *rel)
{
    char tail[512], where[1200];
    size_t clen = (name ? strlen(name) + 1 : 0) + strlen(rel);
    fws_input_printable(rel, strlen(rel), 1, tail, sizeof tail);
    snprintf(w->origin, sizeof w->origin, "%s:%s", w->shown, tail);
    free(w->cname);
    w->cname = name ? xasprintf("%s/%s", name, rel) : xstrdup(rel);
    snprintf(where, sizeof where, "%s: member '%s'", w->shown, w->member);
    return fws_input_name_ok(w->cname, clen, where) ? 0 : -1;
}

/* Streams the current member to fn. */
static int visit_member(archive_walk *w, uint8_t *ahead, const fws_input_opts *opts,
                        fws_component_fn fn, void *user)
{
    member_ctx m = {w->a, &w->s, w->origin};
    fws_input_stream st;
    fws_component_src src = {w->cname, 0, 0, w->origin, fws_input_stream_read, &st, w->size};
    int r;
    memset(&st, 0, sizeof st);
    st.pull = member_pull;
    st.pctx = &m;
    r = fws_input_stream_start(&st, ahead, MEMBER_AHEAD);
    if (r < 0)
        return FWS_EXIT_IO;
    if (r == 0 && !opts->allow_empty) {
        diag_error("%s: empty input (pass --allow-empty for a 0-byte component)", w->origin);
        return FWS_EXIT_IO;
    }
    return fn(user, &src);
}

int fws_input_archive(const char *name, const char *file, const fws_input_opts *opts,
                      fws_component_fn fn, void *user)
{
    archive_walk *w = xcalloc(1, sizeof *w);
    uint8_t *ahead = xmalloc(MEMBER_AHEAD);
    const char *path;
    size_t skip;
    int rc = FWS_EXIT_IO, r;

    fws_input_printable(file, strlen(file), 0, w->shown, sizeof w->shown);
    w->s.shown = w->shown;
    w->s.fd = fws_input_open(file, w->shown);
    if (w->s.fd < 0)
        goto out;
    if (!(w->a = archive_read_new()))
        xalloc_die(0);
    w->s.in = xmalloc(BLOCK);
    w->s.out = xmalloc(BLOCK);
    archive_read_support_format_tar(w->a);
    archive_read_support_format_gnutar(w->a);
    archive_read_support_format_zip(w->a);
    archive_read_support_format_cpio(w->a);
    archive_read_support_format_empty(w->a);
    if (src_open(&w->s, w->a) != 0)
        goto out;
    while ((r = next_member(w, &path, &skip)) != 2) {
        if (r < 0)
            goto out;
        if (r == 0)
            continue;
        w->nregular++;
        if (name_member(w, name, path + skip))
            goto out;
        if ((rc = visit_member(w, ahead, opts, fn, user)) != FWS_EXIT_OK)
            goto out;
        rc = FWS_EXIT_IO;
    }
    if (w->nentries == 0 && archive_format(w->a) == ARCHIVE_FORMAT_EMPTY)
        diag_error("%s: empty input", w->shown);
    else if (w->nregular == 0)
        diag_error("%s: archive has no regular files", w->shown);
    else if (src_drain(&w->s) == 0)
        rc = FWS_EXIT_OK;
out:
    free(w->cname);
    free(ahead);
    if (w->a)
        archive_read_free(w->a);
    src_close(&w->s);
    if (w->s.fd >= 0)
        close(w->s.fd);
    free(w);
    return rc;
}
