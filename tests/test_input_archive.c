/* SPDX-License-Identifier: MIT */
/* The archive reader (signer/pack/input_archive.c).  Oracles: the original
 * bytes; archives made by libarchive's writer, GNU tar and Info-ZIP zip. */
#include <criterion/criterion.h>

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"
#include "input_fixture.h"
#include "testutil.h"

/* ---- archives -------------------------------------------------------- */

TestSuite(inputs_archive, .init = input_setup, .fini = input_teardown);

enum { M_FILE, M_DIR, M_SYMLINK, M_HARDLINK, M_FIFO };

typedef struct {
    const char *path;
    int type;
    const uint8_t *data;
    size_t len;
    const char *link;
} member;

/* Writes an archive with libarchive's writer.  format: "pax", "ustar",
 * "zip", "cpio", "7zip"; filter: NULL, "gzip", "bzip2", "xz". */
static char *make_archive(const char *name, const char *format, const char *filter,
                          const member *m, size_t n)
{
    char *p = path_fmt("%s/%s", input_dir, name);
    struct archive *a = archive_write_new();
    size_t i;
    cr_assert(a);
    if (!strcmp(format, "pax"))
        archive_write_set_format_pax_restricted(a);
    else if (!strcmp(format, "ustar"))
        archive_write_set_format_ustar(a);
    else if (!strcmp(format, "zip"))
        archive_write_set_format_zip(a);
    else if (!strcmp(format, "cpio"))
        archive_write_set_format_cpio_newc(a);
    else if (!strcmp(format, "7zip"))
        archive_write_set_format_7zip(a);
    if (filter && !strcmp(filter, "gzip"))
        archive_write_add_filter_gzip(a);
    else if (filter && !strcmp(filter, "bzip2"))
        archive_write_add_filter_bzip2(a);
    else if (filter && !strcmp(filter, "xz"))
        archive_write_add_filter_xz(a);
    cr_assert_eq(archive_write_open_filename(a, p), ARCHIVE_OK, "%s", archive_error_string(a));
    for (i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, m[i].path);
        archive_entry_set_mtime(e, 1700000000, 0);
        archive_entry_set_ino(e, (la_int64_t)i + 1);
        switch (m[i].type) {
        case M_FILE:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, (la_int64_t)m[i].len);
            break;
        case M_DIR:
            archive_entry_set_filetype(e, AE_IFDIR);
            archive_entry_set_perm(e, 0755);
            archive_entry_set_size(e, 0);
            break;
        case M_SYMLINK:
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_perm(e, 0777);
            archive_entry_set_symlink(e, m[i].link);
            archive_entry_set_size(e, 0);
            break;
        case M_HARDLINK:
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_hardlink(e, m[i].link);
            archive_entry_set_size(e, 0);
            break;
        case M_FIFO:
            archive_entry_set_filetype(e, AE_IFIFO);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_size(e, 0);
            break;
        }
        cr_assert_geq(archive_write_header(a, e), ARCHIVE_WARN, "%s",
                      archive_error_string(a));
        if (m[i].type == M_FILE && m[i].len)
            cr_assert_eq(archive_write_data(a, m[i].data, m[i].len), (la_ssize_t)m[i].len);
        archive_entry_free(e);
    }
    cr_assert_eq(archive_write_close(a), ARCHIVE_OK, "%s", archive_error_string(a));
    archive_write_free(a);
    return p;
}

static void check_members(const collector *col, const char *prefix, const member *m, size_t n,
                          const char *archive)
{
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        const char *path = m[i].path;
        char *want;
        if (m[i].type != M_FILE)
            continue;
        cr_assert_lt(k, col->n, "missing component for %s", path);
        while (path[0] == '.' && path[1] == '/')
            path += 2;
        want = prefix ? path_fmt("%s/%s", prefix, path) : strdup(path);
        cr_expect_str_eq(col->c[k].name, want);
        cr_expect_eq(col->c[k].has_address, 0);
        cr_assert_eq(col->c[k].len, m[i].len, "%s", want);
        if (m[i].len)
            cr_expect_arr_eq(col->c[k].data, m[i].data, m[i].len, "%s", want);
        {
            char *origin = path_fmt("%s:%s", archive, path);
            cr_expect_str_eq(col->c[k].origin, origin);
            free(origin);
        }
        free(want);
        k++;
    }
    cr_expect_eq(col->n, k, "extra components");
}

static void archive_roundtrip(const char *name, const char *format, const char *filter)
{
    static uint8_t big[300000], small[1000], one[1];
    member m[] = {
        {"boot.bin", M_FILE, small, sizeof small, NULL},
        {"./app/", M_DIR, NULL, 0, NULL},
        {"./app/main.bin", M_FILE, big, sizeof big, NULL},
        {"radio", M_DIR, NULL, 0, NULL},
        {"radio/fw/v1.2+x_y-z.img", M_FILE, one, 1, NULL},
    };
    collector col = {0};
    char *p;
    fill_random(big, sizeof big, 11);
    fill_random(small, sizeof small, 12);
    one[0] = 0x5A;
    p = make_archive(name, format, filter, m, 5);
    col.chunk = 0;
    col.seed = 3;
    cr_assert_eq(visit(p, NULL, &col, NULL), FWS_EXIT_OK, "%s", name);
    check_members(&col, NULL, m, 5, p);
    collector_free(&col);
    {
        char *spec = path_fmt("fw=%s", p);
        col.chunk = 4096;
        cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK, "%s", name);
        check_members(&col, "fw", m, 5, p);
        collector_free(&col);
        free(spec);
    }
    free(p);
}

Test(inputs_archive, tar) { archive_roundtrip("fw.tar", "pax", NULL); }
Test(inputs_archive, ustar) { archive_roundtrip("fw.TAR", "ustar", NULL); }
Test(inputs_archive, tar_gz) { archive_roundtrip("fw.tar.gz", "pax", "gzip"); }
Test(inputs_archive, tgz) { archive_roundtrip("fw.tgz", "ustar", "gzip"); }
Test(inputs_archive, tar_bz2) { archive_roundtrip("fw.tar.bz2", "pax", "bzip2"); }
Test(inputs_archive, tar_xz) { archive_roundtrip("fw.tar.xz", "pax", "xz"); }
Test(inputs_archive, zip) { archive_roundtrip("fw.zip", "zip", NULL); }
Test(inputs_archive, cpio) { archive_roundtrip("fw.cpio", "cpio", NULL); }

/* Archives made by other tools: GNU tar ("./" prefixes, directory entries)
 * and Info-ZIP. */
Test(inputs_archive, gnu_tar_and_info_zip)
{
    static uint8_t a[5000], b[70000];
    run_result r;
    char *tree = path_fmt("%s/tree", input_dir), *tgz = path_fmt("%s/gnu.tgz", input_dir);
    char *zip = path_fmt("%s/info.zip", input_dir), *pa, *pb, *spec;
    collector col = {0};
    fill_random(a, sizeof a, 21);
    fill_random(b, sizeof b, 22);
    r = run("mkdir -p '%s/sub/deeper' '%s/emptydir'", tree, tree);
    run_free(&r);
    pa = path_fmt("%s/a.bin", tree);
    pb = path_fmt("%s/sub/deeper/b.bin", tree);
    file_write(pa, a, sizeof a);
    file_write(pb, b, sizeof b);
    r = run("tar --sort=name -C '%s' -czf '%s' .", tree, tgz);
    cr_assert_eq(r.status, 0, "tar: %s", r.err);
    run_free(&r);
    spec = path_fmt("pkg=%s", tgz);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 2);
    cr_expect_str_eq(col.c[0].name, "pkg/a.bin");
    cr_expect_str_eq(col.c[1].name, "pkg/sub/deeper/b.bin");
    cr_assert_eq(col.c[0].len, sizeof a);
    cr_assert_eq(col.c[1].len, sizeof b);
    cr_expect_arr_eq(col.c[0].data, a, sizeof a);
    cr_expect_arr_eq(col.c[1].data, b, sizeof b);
    collector_free(&col);
    free(spec);

    r = run("cd '%s' && zip -qr '%s' a.bin sub emptydir", tree, zip);
    if (r.status == 127) {
        run_free(&r);
        cr_skip_test("zip not installed: the Info-ZIP archive was not read");
    }
    cr_assert_eq(r.status, 0, "zip: %s", r.err);
    run_free(&r);
    cr_assert_eq(visit(zip, NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 2);
    cr_expect_str_eq(col.c[0].name, "a.bin");
    cr_expect_str_eq(col.c[1].name, "sub/deeper/b.bin");
    cr_expect_arr_eq(col.c[0].data, a, sizeof a);
    cr_assert_eq(col.c[1].len, sizeof b);
    cr_expect_arr_eq(col.c[1].data, b, sizeof b);
    collector_free(&col);
    free(pa);
    free(pb);
    free(zip);
    free(tgz);
    free(tree);
}

Test(inputs_archive, unread_members_are_skipped_and_fn_status_stops)
{
    static uint8_t x[10000], y[20], z[30];
    member m[] = {{"x", M_FILE, x, sizeof x, NULL},
                  {"y", M_FILE, y, sizeof y, NULL},
                  {"z", M_FILE, z, sizeof z, NULL}};
    collector col = {0};
    char *p;
    fill_random(x, sizeof x, 1);
    fill_random(y, sizeof y, 2);
    fill_random(z, sizeof z, 3);
    p = make_archive("s.tar.gz", "pax", "gzip", m, 3);
    col.skip_data = 1;
    cr_assert_eq(visit(p, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.n, 3);
    cr_expect_str_eq(col.c[2].name, "z");
    collector_free(&col);
    col.skip_data = 0;
    col.fail_at = 2;
    cr_expect_eq(visit(p, NULL, &col, NULL), 1);
    cr_expect_eq(col.n, 2);
    collector_free(&col);
    free(p);
}

static void archive_error(const char *name, const char *format, const char *filter,
                          const member *m, size_t n, const char *want, const char *what)
{
    char *p = make_archive(name, format, filter, m, n);
    /* members before the bad one have been visited already: streaming */
    expect_error_ex(p, NULL, FWS_EXIT_IO, want, p, 1);
    if (what) {
        collector col = {0};
        char *err;
        visit(p, NULL, &col, &err);
        cr_expect(strstr(err, what), "no '%s' in: %s", what, err);
        collector_free(&col);
        free(err);
    }
    free(p);
}

Test(inputs_archive, member_errors)
{
    static const uint8_t d[4] = {1, 2, 3, 4};
    member dotdot[] = {{"ok.bin", M_FILE, d, 4, NULL}, {"../x", M_FILE, d, 4, NULL}};
    member dotdot2[] = {{"a/../../x", M_FILE, d, 4, NULL}};
    member dotdot3[] = {{"./..", M_FILE, d, 4, NULL}};
    member absolute[] = {{"/etc/x", M_FILE, d, 4, NULL}};
    member empty_seg[] = {{"a//b", M_FILE, d, 4, NULL}};
    member symlink[] = {{"ok.bin", M_FILE, d, 4, NULL}, {"link", M_SYMLINK, NULL, 0, "ok.bin"}};
    member hardlink[] = {{"ok.bin", M_FILE, d, 4, NULL},
                         {"hard", M_HARDLINK, NULL, 0, "ok.bin"}};
    member fifo[] = {{"pipe", M_FIFO, NULL, 0, NULL}};
    member bad_char[] = {{"a b.bin", M_FILE, d, 4, NULL}};
    member ctrl_char[] = {{"a\033[2Jb", M_FILE, d, 4, NULL}};
    member long_name[] = {{"0123456789/0123456789/0123456789/0123456789/0123456789/0123456789",
                           M_FILE, d, 4, NULL}};

    archive_error("dd.tar", "pax", NULL, dotdot, 2, "unsafe member name", "'../x'");
    archive_error("dd2.tar", "pax", NULL, dotdot2, 1, "unsafe member name", "'a/../../x'");
    archive_error("dd3.tar", "pax", NULL, dotdot3, 1, "unsafe member name", NULL);
    archive_error("dd.zip", "zip", NULL, dotdot, 2, "unsafe member name", "'../x'");
    archive_error("dd.cpio", "cpio", NULL, dotdot, 2, "unsafe member name", "'../x'");
    archive_error("abs.tar", "pax", NULL, absolute, 1, "unsafe member name", "'/etc/x'");
    archive_error("abs.zip", "zip", NULL, absolute, 1, "unsafe member name", "'/etc/x'");
    archive_error("es.tar", "pax", NULL, empty_seg, 1, "unsafe member name", "'a//b'");
    archive_error("sl.tar", "pax", NULL, symlink, 2, "member 'link' is a symbolic link", NULL);
    archive_error("sl.zip", "zip", NULL, symlink, 2, "member 'link' is a symbolic link", NULL);
    archive_error("sl.cpio", "cpio", NULL, symlink, 2, "member 'link' is a symbolic link",
                  NULL);
    archive_error("hl.tar", "pax", NULL, hardlink, 2, "member 'hard' is a hard link", NULL);
    archive_error("ff.tar", "pax", NULL, fifo, 1, "member 'pipe' is a FIFO", NULL);
    archive_error("bc.tar", "pax", NULL, bad_char, 1, "invalid component name", "'a b.bin'");
    archive_error("cc.tar", "pax", NULL, ctrl_char, 1, "invalid component name",
                  "a\\x1b[2Jb");
    archive_error("ln.tar", "pax", NULL, long_name, 1, "is 65 bytes, the maximum is 64", NULL);
    /* the control character is escaped, never printed raw */
    {
        char *p = make_archive("cc2.tar", "pax", NULL, ctrl_char, 1), *err;
        collector col = {0};
        visit(p, NULL, &col, &err);
        cr_expect_null(strchr(err, '\033'), "raw ESC in: %s", err);
        free(err);
        free(p);
    }
    /* with a NAME= prefix the combined name must still fit */
    {
        member m[] = {{"0123456789/0123456789/0123456789/0123456789/01234567890", M_FILE, d, 4,
                       NULL}};
        char *p = make_archive("pl.tar", "pax", NULL, m, 1), *spec = path_fmt("abcdefghi=%s", p);
        expect_error(spec, NULL, FWS_EXIT_IO, "is 65 bytes, the maximum is 64", NULL);
        free(spec);
        free(p);
    }
}

Test(inputs_archive, empty_archives_and_members)
{
    static const uint8_t d[4] = {1, 2, 3, 4};
    member dirs[] = {{"a/", M_DIR, NULL, 0, NULL}, {"a/b/", M_DIR, NULL, 0, NULL}};
    member empty_member[] = {{"ok.bin", M_FILE, d, 4, NULL}, {"zero.bin", M_FILE, NULL, 0, NULL}};
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    collector col = {0};
    char *p;

    archive_error("none.tar", "pax", NULL, NULL, 0, "archive has no regular files", NULL);
    archive_error("none.tar.gz", "pax", "gzip", NULL, 0, "archive has no regular files", NULL);
    archive_error("none.zip", "zip", NULL, NULL, 0, "archive has no regular files", NULL);
    archive_error("none.cpio", "cpio", NULL, NULL, 0, "archive has no regular files", NULL);
    archive_error("dirs.tar", "pax", NULL, dirs, 2, "archive has no regular files", NULL);
    archive_error("em.tar", "pax", NULL, empty_member, 2, "empty input", ":zero.bin");

    p = make_archive("em2.zip", "zip", NULL, empty_member, 2);
    opts.allow_empty = 1;
    cr_assert_eq(visit(p, &opts, &col, NULL), FWS_EXIT_OK);
    check_members(&col, NULL, empty_member, 2, p);
    collector_free(&col);
    free(p);

    p = put("zero.tar", "", 0);
    expect_error(p, NULL, FWS_EXIT_IO, "empty input", p);
    free(p);
}

Test(inputs_archive, corrupt_archives)
{
    static uint8_t big[200000];
    member m[] = {{"big.bin", M_FILE, big, sizeof big, NULL}};
    uint8_t *buf, garbage[3000];
    size_t len;
    char *p, *q;
    fill_random(big, sizeof big, 31);

    /* a truncated tar: the member's data stops early */
    p = make_archive("t.tar", "pax", NULL, m, 1);
    buf = file_read(p, &len);
    q = put("trunc.tar", buf, len / 2);
    expect_error_ex(q, NULL, FWS_EXIT_IO, "runcated", q, 1);
    free(q);
    free(buf);
    free(p);

    /* A flipped byte in the middle of the compressed stream.  The data is
     * random, so deflate stores it: only the gzip CRC-32 (or bzip2's block
     * CRC, xz's CRC-64, zip's CRC-32) can tell.  The error may come after
     * the member was streamed; the status says so. */
    {
        static const struct {
            const char *name, *format, *filter, *want;
        } flips[] = {
            {"flip.tar.gz", "pax", "gzip", "gzip: incorrect data check"},
            {"flip.tar.bz2", "pax", "bzip2", "bzip"},
            {"flip.tar.xz", "pax", "xz", "Lzma"},
            {"flip.zip", "zip", NULL, "CRC"},
            {"flipgz.cpio", "cpio", "gzip", "gzip: incorrect data check"},
        };
        for (size_t i = 0; i < sizeof flips / sizeof flips[0]; i++) {
            collector col = {0};
            char *err, *orig = path_fmt("orig-%s", flips[i].name);
            int rc;
            p = make_archive(orig, flips[i].format, flips[i].filter, m, 1);
            buf = file_read(p, &len);
            buf[len / 2] ^= 0x55;
            q = put(flips[i].name, buf, len);
            rc = visit(q, NULL, &col, &err);
            cr_expect_eq(rc, FWS_EXIT_IO, "%s: %d %zu %s", flips[i].name, rc, col.n, err);
            cr_expect(strstr(err, flips[i].name), "%s", err);
            cr_expect(strstr(err, flips[i].want), "%s", err);
            collector_free(&col);
            free(err);
            free(q);
            free(buf);
            free(p);
            free(orig);
        }
    }

    /* a truncated gzip stream: the error comes from src->read, naming the member */
    p = make_archive("t2.tar.gz", "pax", "gzip", m, 1);
    buf = file_read(p, &len);
    q = put("trunc.tgz", buf, len - 2000);
    {
        collector col = {0};
        char *err;
        int rc = visit(q, NULL, &col, &err);
        cr_expect_eq(rc, FWS_EXIT_IO, "%s", err);
        cr_expect(strstr(err, "trunc.tgz"), "%s", err);
        cr_expect(col.read_error || col.n == 0, "truncation not reported");
        if (col.n)
            cr_expect(strstr(err, "trunc.tgz:big.bin: "), "%s", err);
        collector_free(&col);
        free(err);
    }
    free(q);
    free(buf);
    free(p);

    /* not an archive at all */
    fill_random(garbage, sizeof garbage, 32);
    q = put("garbage.tar", garbage, sizeof garbage);
    expect_error(q, NULL, FWS_EXIT_IO, "Unrecognized archive format", q);
    free(q);
    q = put_text("text.zip", "this is not a zip file\n");
    expect_error(q, NULL, FWS_EXIT_IO, "fwseal reads tar, zip and cpio", q);
    free(q);
    /* a gzip of something that is not a tar */
    {
        run_result r;
        q = path_fmt("%s/plain.tar.gz", input_dir);
        r = run("head -c 3000 /dev/zero | tr '\\0' 'x' | gzip > '%s'", q);
        run_free(&r);
        expect_error_ex(q, NULL, FWS_EXIT_IO, "", q, 1);
        free(q);
    }
}

Test(inputs_archive, other_formats_refused)
{
    static const uint8_t d[4] = {1, 2, 3, 4};
    member m[] = {{"ok.bin", M_FILE, d, 4, NULL}};
    char *p = make_archive("seven.zip", "7zip", NULL, m, 1);
    expect_error(p, NULL, FWS_EXIT_IO, "fwseal reads tar, zip and cpio", p);
    free(p);
    /* an mtree text naming a local file: never opened */
    p = put_text("m.tar", "#mtree\n./passwd type=file contents=/etc/passwd\n");
    expect_error(p, NULL, FWS_EXIT_IO, "fwseal reads tar, zip and cpio", p);
    free(p);
}

/* gzip framing: concatenated members and trailing zeros are gzip; other
 * trailing bytes and truncation are errors. */
Test(inputs_archive, gzip_framing)
{
    static uint8_t x[50000];
    member m[] = {{"x.bin", M_FILE, x, sizeof x, NULL}};
    uint8_t *buf, *two;
    size_t len;
    char *p, *q;
    collector col = {0};
    fill_random(x, sizeof x, 41);
    p = make_archive("g.tar.gz", "pax", "gzip", m, 1);
    buf = file_read(p, &len);
    two = malloc(2 * len + 100);

    memcpy(two, buf, len);
    memcpy(two + len, buf, len); /* a second member after the first */
    q = put("two.tar.gz", two, 2 * len);
    cr_assert_eq(visit(q, NULL, &col, NULL), FWS_EXIT_OK);
    check_members(&col, NULL, m, 1, q);
    collector_free(&col);
    free(q);

    memset(two + len, 0, 100);
    q = put("zeros.tar.gz", two, len + 100);
    cr_assert_eq(visit(q, NULL, &col, NULL), FWS_EXIT_OK);
    check_members(&col, NULL, m, 1, q);
    collector_free(&col);
    free(q);

    memcpy(two + len, "junk", 4);
    q = put("junk.tar.gz", two, len + 4);
    expect_error_ex(q, NULL, FWS_EXIT_IO, "gzip: trailing garbage after the compressed data", q,
                    1);
    free(q);

    q = put("short.tar.gz", buf, len - 4); /* the length field is cut */
    expect_error_ex(q, NULL, FWS_EXIT_IO, "gzip: unexpected end of file", q, 1);
    free(q);

    memcpy(two, buf, len);
    two[len - 1] ^= 1; /* ISIZE */
    q = put("isize.tar.gz", two, len);
    expect_error_ex(q, NULL, FWS_EXIT_IO, "gzip: incorrect length check", q, 1);
    free(q);
    free(two);
    free(buf);
    free(p);
}

/* A FIFO named *.tar / *.tgz: read without seeking. */
Test(inputs_archive, fifo)
{
    static uint8_t x[100000];
    member m[] = {{"d/", M_DIR, NULL, 0, NULL}, {"d/x.bin", M_FILE, x, sizeof x, NULL}};
    static const char *const kinds[][3] = {{"f.tar", "pax", NULL},
                                           {"f.tgz", "pax", "gzip"},
                                           {"f.tar.xz", "ustar", "xz"},
                                           {"f.cpio", "cpio", NULL}};
    fill_random(x, sizeof x, 51);
    for (size_t i = 0; i < 4; i++) {
        char *p = make_archive("src.bin", kinds[i][1], kinds[i][2], m, 2);
        char *fifo = path_fmt("%s/%s", input_dir, kinds[i][0]);
        collector col = {0};
        pid_t pid;
        cr_assert_eq(mkfifo(fifo, 0600), 0);
        pid = fork();
        cr_assert(pid >= 0);
        if (pid == 0) {
            size_t len;
            uint8_t *buf = file_read(p, &len);
            int fd = open(fifo, O_WRONLY);
            if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
                _exit(1);
            _exit(0);
        }
        cr_assert_eq(visit(fifo, NULL, &col, NULL), FWS_EXIT_OK, "%s", fifo);
        check_members(&col, NULL, m, 2, fifo);
        waitpid(pid, NULL, 0);
        collector_free(&col);
        free(fifo);
        free(p);
    }
}
