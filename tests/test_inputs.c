/* The pack command's input readers (signer/pack/input*.c), in process: spec
 * parsing, raw files and standard input, Intel HEX, archives.
 *
 * Oracles: the original bytes the fixtures were made from; Intel HEX made
 * by GNU objcopy, by a record writer in this file, and a record set typed
 * in from the format's usual worked example; archives made by libarchive's
 * writer, GNU tar and Info-ZIP zip. */
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

#include "cli.h"
#include "input.h"
#include "input_reader.h"
#include "testutil.h"

/* ---- capturing stderr around a call ---------------------------------- */

static int saved_fd2 = -1;
static char cap_path[64];

static void capture_begin(void)
{
    int fd;
    strcpy(cap_path, "/tmp/fwseal-inputs-err-XXXXXX");
    fd = mkstemp(cap_path);
    cr_assert(fd >= 0);
    fflush(stderr);
    saved_fd2 = dup(2);
    dup2(fd, 2);
    close(fd);
}

static char *capture_end(void)
{
    size_t len;
    uint8_t *buf;
    fflush(stderr);
    dup2(saved_fd2, 2);
    close(saved_fd2);
    buf = file_read(cap_path, &len);
    cr_assert(buf);
    buf[len] = 0;
    unlink(cap_path);
    return (char *)buf;
}

/* ---- collecting components ------------------------------------------- */

typedef struct {
    char *name, *origin;
    int has_address;
    uint64_t address;
    uint8_t *data;
    size_t len;
} comp;

typedef struct {
    comp c[64];
    size_t n;
    size_t chunk;       /* read size; 0: random 1..4096 */
    uint64_t seed;
    int skip_data;      /* don't read the data */
    int fail_at;        /* return 1 from the call with this index (1-based), 0: never */
    int short_not_end;  /* a short read was followed by more data */
    int read_error;     /* read returned -1 */
} collector;

static int collect(void *user, fws_component_src *src)
{
    collector *col = user;
    comp *c;
    size_t cap = 1 << 16;
    cr_assert(col->n < 64);
    c = &col->c[col->n++];
    c->name = strdup(src->name);
    c->origin = strdup(src->origin);
    c->has_address = src->has_address;
    c->address = src->address;
    c->data = malloc(cap);
    c->len = 0;
    if (col->fail_at && (int)col->n == col->fail_at)
        return 1;
    if (col->skip_data)
        return FWS_EXIT_OK;
    for (;;) {
        size_t want = col->chunk;
        long got;
        if (!want) {
            col->seed = col->seed * 6364136223846793005ull + 1442695040888963407ull;
            want = 1 + (size_t)((col->seed >> 33) % 4096);
        }
        if (c->len + want > cap) {
            while (c->len + want > cap)
                cap *= 2;
            c->data = realloc(c->data, cap);
        }
        got = src->read(src->ctx, c->data + c->len, want);
        if (got < 0) {
            col->read_error = 1;
            return FWS_EXIT_IO;
        }
        cr_assert_leq((size_t)got, want);
        c->len += (size_t)got;
        if ((size_t)got < want) {
            /* A short read means the end: the next one returns 0, twice. */
            uint8_t probe[16];
            if (src->read(src->ctx, probe, sizeof probe) != 0 ||
                src->read(src->ctx, probe, sizeof probe) != 0)
                col->short_not_end = 1;
            break;
        }
    }
    return FWS_EXIT_OK;
}

static void collector_free(collector *col)
{
    size_t i;
    for (i = 0; i < col->n; i++) {
        free(col->c[i].name);
        free(col->c[i].origin);
        free(col->c[i].data);
    }
    col->n = 0;
}

/* Visits spec with the collector; returns the status, *err gets stderr. */
static int visit(const char *spec, const fws_input_opts *opts, collector *col, char **err)
{
    int rc;
    char *e;
    capture_begin();
    rc = fws_input_visit(spec, opts, collect, col);
    e = capture_end();
    cr_assert_not(col->short_not_end, "a short read was not the end (%s)", spec);
    if (err)
        *err = e;
    else
        free(e);
    return rc;
}

/* Expects status rc and a message containing want (and the stderr to name
 * what as well, if not NULL). */
static void expect_error_ex(const char *spec, const fws_input_opts *opts, int rc,
                            const char *want, const char *what, int calls_ok)
{
    collector col = {0};
    char *err;
    int got = visit(spec, opts, &col, &err);
    cr_expect_eq(got, rc, "%s: status %d, expected %d; stderr: %s", spec, got, rc, err);
    cr_expect(strstr(err, want), "%s: stderr lacks '%s': %s", spec, want, err);
    cr_expect(strstr(err, "fwseal: error: "), "%s: %s", spec, err);
    if (what)
        cr_expect(strstr(err, what), "%s: stderr does not name '%s': %s", spec, what, err);
    if (!calls_ok)
        cr_expect_eq(col.n, 0, "%s: fn was called on an error", spec);
    collector_free(&col);
    free(err);
}

static void expect_error(const char *spec, const fws_input_opts *opts, int rc, const char *want,
                         const char *what)
{
    expect_error_ex(spec, opts, rc, want, what, 0);
}

static char *dir;

static void setup(void)
{
    dir = tmpdir_new();
}

static void teardown(void)
{
    tmpdir_remove(dir);
    free(dir);
}

static char *put(const char *name, const void *data, size_t len)
{
    char *p = path_fmt("%s/%s", dir, name);
    file_write(p, data, len);
    return p;
}

static char *put_text(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}

/* ---- spec syntax ----------------------------------------------------- */

TestSuite(inputs_spec, .init = setup, .fini = teardown);

Test(inputs_spec, raw_with_name_and_address)
{
    uint8_t data[1000];
    collector col = {0};
    char *f, *spec;
    fill_random(data, sizeof data, 1);
    f = put("fw.bin", data, sizeof data);
    spec = path_fmt("app=%s@0x8000000", f);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 1);
    cr_expect_str_eq(col.c[0].name, "app");
    cr_expect_str_eq(col.c[0].origin, f);
    cr_expect_eq(col.c[0].has_address, 1);
    cr_expect_eq(col.c[0].address, 0x8000000u);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    collector_free(&col);
    free(spec);

    spec = path_fmt("boot/stage-1.v2_x+y=%s", f);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_str_eq(col.c[0].name, "boot/stage-1.v2_x+y");
    cr_expect_eq(col.c[0].has_address, 0);
    collector_free(&col);
    free(spec);
    free(f);
}

Test(inputs_spec, addresses)
{
    static const struct {
        const char *text;
        uint64_t value;
    } good[] = {
        {"0", 0},
        {"4096", 4096},
        {"0x0", 0},
        {"0X1f", 0x1f},
        {"0xffffffffffffffff", UINT64_MAX},
        {"18446744073709551615", UINT64_MAX},
    };
    static const char *const bad[] = {
        "", "zz", "0x", "-1", "+1", " 1", "1 ", "0x1g", "18446744073709551616",
        "0x10000000000000000", "010", "1e3", "0b101",
    };
    uint8_t byte = 7;
    char *f = put("a.bin", &byte, 1);
    size_t i;
    for (i = 0; i < sizeof good / sizeof good[0]; i++) {
        collector col = {0};
        char *spec = path_fmt("a=%s@%s", f, good[i].text);
        cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK, "%s", spec);
        cr_expect_eq(col.c[0].has_address, 1);
        cr_expect_eq(col.c[0].address, good[i].value, "%s", spec);
        collector_free(&col);
        free(spec);
    }
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *spec = path_fmt("a=%s@%s", f, bad[i]);
        expect_error(spec, NULL, FWS_EXIT_USAGE, "bad address", NULL);
        free(spec);
    }
    free(f);
}

Test(inputs_spec, file_with_at_sign_needs_explicit_address)
{
    uint8_t data[3] = {1, 2, 3};
    collector col = {0};
    char *f = put("fw@2x.bin", data, 3), *spec;
    spec = path_fmt("a=%s@0x10", f);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x10);
    cr_expect_eq(col.c[0].len, 3);
    collector_free(&col);
    free(spec);
    spec = path_fmt("a=%s", f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "bad address '2x.bin'", NULL);
    free(spec);
    free(f);
}

Test(inputs_spec, usage_errors)
{
    uint8_t byte = 1;
    char *f = put("a.bin", &byte, 1), *spec;
    char long_name[80];

    expect_error("", NULL, FWS_EXIT_USAGE, "[NAME=]FILE[@ADDRESS]", NULL);
    expect_error("app=", NULL, FWS_EXIT_USAGE, "FILE is missing", NULL);
    expect_error("app=@0x10", NULL, FWS_EXIT_USAGE, "FILE is missing", NULL);
    spec = path_fmt("%s", f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "raw input needs a component name", f);
    free(spec);
    spec = path_fmt("%s@0x100", f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "raw input needs a component name", NULL);
    free(spec);
    expect_error("-", NULL, FWS_EXIT_USAGE, "raw input needs a component name", NULL);

    static const char *const bad_names[] = {"", "a b", "a//b", "/a", "a/", "../x", "x/..",
                                            ".", "a/./b", "a\\b", "a:b", "\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        spec = path_fmt("%s=%s", bad_names[i], f);
        expect_error(spec, NULL, FWS_EXIT_USAGE,
                     ": invalid component name (allowed: 1-64 bytes of A-Z a-z 0-9 . _ + - and "
                     "/ between segments)", NULL);
        free(spec);
    }
    /* 64 bytes is fine, 65 is not, 70 gets the length message. */
    memset(long_name, 'n', sizeof long_name);
    long_name[64] = 0;
    {
        collector col = {0};
        spec = path_fmt("%s=%s", long_name, f);
        cr_expect_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
        collector_free(&col);
        free(spec);
    }
    long_name[64] = 'n';
    long_name[70] = 0;
    spec = path_fmt("%s=%s", long_name, f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "' is 70 bytes, the maximum is 64", long_name);
    free(spec);
    long_name[65] = 0;
    spec = path_fmt("%s=%s", long_name, f);
    expect_error(spec, NULL, FWS_EXIT_USAGE, "is 65 bytes, the maximum is 64", NULL);
    free(spec);

    /* An @ADDRESS where the kind brings its own, or none. */
    expect_error("app=fw.hex@0x100", NULL, FWS_EXIT_USAGE, "carries its own addresses", NULL);
    expect_error("app=FW.IHX@1", NULL, FWS_EXIT_USAGE, "carries its own addresses", NULL);
    expect_error("fw.tar@0x100", NULL, FWS_EXIT_USAGE, "take no @ADDRESS", NULL);
    expect_error("x=fw.zip@0", NULL, FWS_EXIT_USAGE, "take no @ADDRESS", NULL);
    expect_error("fw.hex", NULL, FWS_EXIT_USAGE, "Intel HEX input needs a component name",
                 NULL);
    free(f);
}

Test(inputs_spec, kind_by_extension)
{
    static const struct {
        const char *file;
        enum fws_input_kind kind;
    } cases[] = {
        {"a.hex", FWS_INPUT_IHEX},       {"A.HEX", FWS_INPUT_IHEX},
        {"b.ihex", FWS_INPUT_IHEX},      {"c.Ihx", FWS_INPUT_IHEX},
        {"d.tar", FWS_INPUT_ARCHIVE},    {"d.tar.gz", FWS_INPUT_ARCHIVE},
        {"D.TGZ", FWS_INPUT_ARCHIVE},    {"d.tar.bz2", FWS_INPUT_ARCHIVE},
        {"d.tar.xz", FWS_INPUT_ARCHIVE}, {"d.Zip", FWS_INPUT_ARCHIVE},
        {"d.cpio", FWS_INPUT_ARCHIVE},   {"d.gz", FWS_INPUT_RAW},
        {"d.bin", FWS_INPUT_RAW},        {"hex", FWS_INPUT_RAW},
        {"d.hex.bin", FWS_INPUT_RAW},    {"d.tar.zst", FWS_INPUT_RAW},
        {".tar", FWS_INPUT_ARCHIVE},     {"x.elf", FWS_INPUT_RAW},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(fws_input_kind_of(cases[i].file), cases[i].kind, "%s", cases[i].file);
}

Test(inputs_spec, file_errors)
{
    char *spec = path_fmt("a=%s/missing.bin", dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "cannot open: No such file or directory",
                 "missing.bin");
    free(spec);
    spec = path_fmt("a=%s", dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "is a directory", dir);
    free(spec);
    spec = path_fmt("a=%s/missing.hex", dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "cannot open", "missing.hex");
    free(spec);
    spec = path_fmt("%s/missing.tar.gz", dir);
    expect_error(spec, NULL, FWS_EXIT_IO, "cannot open", "missing.tar.gz");
    free(spec);
    if (geteuid() != 0) { /* root reads anything */
        uint8_t b = 0;
        char *f = put("locked.bin", &b, 1);
        chmod(f, 0);
        spec = path_fmt("a=%s", f);
        expect_error(spec, NULL, FWS_EXIT_IO, "Permission denied", f);
        free(spec);
        free(f);
    }
}

Test(inputs_spec, fn_status_is_returned)
{
    uint8_t b = 1;
    char *f = put("a.bin", &b, 1), *spec = path_fmt("a=%s", f);
    collector col = {0};
    col.fail_at = 1;
    cr_expect_eq(visit(spec, NULL, &col, NULL), 1);
    cr_expect_eq(col.n, 1);
    collector_free(&col);
    free(spec);
    free(f);
}

/* ---- raw ------------------------------------------------------------- */

TestSuite(inputs_raw, .init = setup, .fini = teardown);

Test(inputs_raw, streamed_in_any_read_size)
{
    static const size_t sizes[] = {1, 2, 3, 100, 4095, 65535, 65536, 65537, 200001};
    static const size_t chunks[] = {1, 7, 4096, 65536, 1 << 20, 0};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        uint8_t *data = malloc(sizes[s]);
        char *f, *spec;
        fill_random(data, sizes[s], 100 + s);
        f = put("img.bin", data, sizes[s]);
        spec = path_fmt("img=%s", f);
        for (size_t k = 0; k < sizeof chunks / sizeof chunks[0]; k++) {
            collector col = {0};
            if (chunks[k] == 1 && sizes[s] > 70000)
                continue; /* slow, covered by smaller sizes */
            col.chunk = chunks[k];
            col.seed = s * 31 + k;
            cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
            cr_assert_eq(col.c[0].len, sizes[s], "size %zu chunk %zu", sizes[s], chunks[k]);
            cr_assert_arr_eq(col.c[0].data, data, sizes[s]);
            collector_free(&col);
        }
        free(spec);
        free(f);
        free(data);
    }
}

Test(inputs_raw, empty_file)
{
    char *f = put("empty.bin", "", 0), *spec = path_fmt("e=%s", f);
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    collector col = {0};
    expect_error(spec, NULL, FWS_EXIT_IO, ": empty input", f);
    opts.allow_empty = 1;
    cr_assert_eq(visit(spec, &opts, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 1);
    cr_expect_eq(col.c[0].len, 0);
    collector_free(&col);
    free(spec);
    free(f);
}

Test(inputs_raw, stdin_from_a_file)
{
    uint8_t data[100000];
    collector col = {0};
    char *f;
    int fd;
    fill_random(data, sizeof data, 5);
    f = put("in.bin", data, sizeof data);
    fd = open(f, O_RDONLY);
    cr_assert(fd >= 0);
    dup2(fd, 0); /* each Criterion test runs in its own process */
    close(fd);
    cr_assert_eq(visit("fw=-@0x2000", NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_str_eq(col.c[0].name, "fw");
    cr_expect_str_eq(col.c[0].origin, "standard input");
    cr_expect_eq(col.c[0].address, 0x2000);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    collector_free(&col);
    free(f);
}

Test(inputs_raw, stdin_from_a_pipe_in_pieces)
{
    static uint8_t data[300000];
    collector col = {0};
    int p[2];
    pid_t pid;
    fill_random(data, sizeof data, 6);
    cr_assert_eq(pipe(p), 0);
    pid = fork();
    cr_assert(pid >= 0);
    if (pid == 0) {
        size_t off = 0;
        close(p[0]);
        while (off < sizeof data) { /* uneven pieces: the reader sees short reads */
            size_t n = 1 + (off * 7919) % 3001;
            if (n > sizeof data - off)
                n = sizeof data - off;
            if (write(p[1], data + off, n) != (ssize_t)n)
                _exit(1);
            off += n;
        }
        _exit(0);
    }
    close(p[1]);
    dup2(p[0], 0);
    close(p[0]);
    col.chunk = 10000;
    cr_assert_eq(visit("fw=-", NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    waitpid(pid, NULL, 0);
    collector_free(&col);
}

Test(inputs_raw, empty_stdin)
{
    int fd = open("/dev/null", O_RDONLY);
    dup2(fd, 0);
    close(fd);
    expect_error("fw=-", NULL, FWS_EXIT_IO, "standard input: empty input", NULL);
}

/* ---- Intel HEX ------------------------------------------------------- */

TestSuite(inputs_ihex, .init = setup, .fini = teardown);

/* One record ":LLAAAATT<data>CC\n" appended to out (independent writer). */
static void rec(char **out, unsigned type, unsigned addr, const uint8_t *data, unsigned len)
{
    char line[600];
    unsigned sum = len + (addr >> 8) + (addr & 0xFF) + type, i, n;
    n = (unsigned)sprintf(line, ":%02X%04X%02X", len, addr & 0xFFFF, type);
    for (i = 0; i < len; i++) {
        n += (unsigned)sprintf(line + n, "%02X", data[i]);
        sum += data[i];
    }
    sprintf(line + n, "%02X\n", (0x100 - (sum & 0xFF)) & 0xFF);
    size_t old = *out ? strlen(*out) : 0;
    *out = realloc(*out, old + strlen(line) + 1);
    strcpy(*out + old, line);
}

static void rec_ela(char **out, unsigned upper)
{
    uint8_t b[2] = {(uint8_t)(upper >> 8), (uint8_t)upper};
    rec(out, 4, 0, b, 2);
}

static void rec_esa(char **out, unsigned seg)
{
    uint8_t b[2] = {(uint8_t)(seg >> 8), (uint8_t)seg};
    rec(out, 2, 0, b, 2);
}

static void rec_data(char **out, uint32_t addr, const uint8_t *d, unsigned len)
{
    rec_ela(out, addr >> 16);
    rec(out, 0, addr & 0xFFFF, d, len);
}

static int hex_visit(const char *text, const fws_input_opts *opts, collector *col, char **err)
{
    char *f = put_text("img.hex", text), *spec = path_fmt("img=%s", f);
    int rc = visit(spec, opts, col, err);
    free(spec);
    free(f);
    return rc;
}

static void hex_error(const char *text, const fws_input_opts *opts, const char *want,
                      const char *line)
{
    char *f = put_text("bad.hex", text), *spec = path_fmt("img=%s", f);
    expect_error(spec, opts, FWS_EXIT_IO, want, f);
    if (line) {
        collector col = {0};
        char *err;
        visit(spec, opts, &col, &err);
        cr_expect(strstr(err, line), "no '%s' in: %s", line, err);
        free(err);
    }
    free(spec);
    free(f);
}

Test(inputs_ihex, worked_example)
{
    /* The classic four-record example (bytes typed in from the records). */
    static const char text[] = ":10010000214601360121470136007EFE09D2190140\n"
                               ":100110002146017E17C20001FF5F16002148011928\n"
                               ":10012000194E79234623965778239EDA3F01B2CAA7\n"
                               ":100130003F0156702B5E712B722B732146013421C7\n"
                               ":00000001FF\n";
    static const uint8_t want[64] = {
        0x21, 0x46, 0x01, 0x36, 0x01, 0x21, 0x47, 0x01, 0x36, 0x00, 0x7E, 0xFE, 0x09,
        0xD2, 0x19, 0x01, 0x21, 0x46, 0x01, 0x7E, 0x17, 0xC2, 0x00, 0x01, 0xFF, 0x5F,
        0x16, 0x00, 0x21, 0x48, 0x01, 0x19, 0x19, 0x4E, 0x79, 0x23, 0x46, 0x23, 0x96,
        0x57, 0x78, 0x23, 0x9E, 0xDA, 0x3F, 0x01, 0xB2, 0xCA, 0x3F, 0x01, 0x56, 0x70,
        0x2B, 0x5E, 0x71, 0x2B, 0x72, 0x2B, 0x73, 0x21, 0x46, 0x01, 0x34, 0x21};
    collector col = {0};
    cr_assert_eq(hex_visit(text, NULL, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.n, 1);
    cr_expect_str_eq(col.c[0].name, "img");
    cr_expect(strstr(col.c[0].origin, "img.hex"));
    cr_expect_eq(col.c[0].has_address, 1);
    cr_expect_eq(col.c[0].address, 0x100);
    cr_assert_eq(col.c[0].len, 64);
    cr_expect_arr_eq(col.c[0].data, want, 64);
    collector_free(&col);
}

static void objcopy_roundtrip(size_t size, uint64_t seed, const char *extra)
{
    uint8_t *data = malloc(size);
    char *bin, *hex, *spec;
    collector col = {0};
    run_result r;
    fill_random(data, size, seed);
    bin = put("orig.bin", data, size);
    hex = path_fmt("%s/orig.hex", dir);
    r = run("objcopy -I binary -O ihex --change-addresses 0x8000000 %s '%s' '%s'", extra, bin,
            hex);
    cr_assert_eq(r.status, 0, "objcopy: %s", r.err);
    run_free(&r);
    spec = path_fmt("app=%s", hex);
    col.chunk = 0;
    col.seed = seed;
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x8000000u);
    cr_assert_eq(col.c[0].len, size, "size %zu", size);
    cr_assert_arr_eq(col.c[0].data, data, size);
    collector_free(&col);
    free(spec);
    free(hex);
    free(bin);
    free(data);
}

Test(inputs_ihex, objcopy_roundtrip)
{
    objcopy_roundtrip(1, 1, "");
    objcopy_roundtrip(16, 2, "");
    objcopy_roundtrip(1000, 3, "");
    objcopy_roundtrip(65536, 4, "");
    objcopy_roundtrip(65537, 5, "");      /* crosses a 64 KiB boundary: a second 04 record */
    objcopy_roundtrip(300000, 6, "");
}

Test(inputs_ihex, objcopy_crlf)
{
    /* Windows line endings and trailing blank lines after the EOF record. */
    uint8_t data[5000];
    char *bin, *hex, *spec, *text, *crlf;
    size_t len, i, o = 0;
    collector col = {0};
    run_result r;
    fill_random(data, sizeof data, 9);
    bin = put("o.bin", data, sizeof data);
    hex = path_fmt("%s/o.hex", dir);
    r = run("objcopy -I binary -O ihex --change-addresses 0x20000000 '%s' '%s'", bin, hex);
    cr_assert_eq(r.status, 0);
    run_free(&r);
    text = (char *)file_read(hex, &len);
    crlf = malloc(len * 2 + 16);
    for (i = 0; i < len; i++) {
        if (text[i] == '\n')
            crlf[o++] = '\r';
        crlf[o++] = text[i];
    }
    memcpy(crlf + o, "\r\n  \n\t\r\n", 8);
    o += 8;
    file_write(hex, crlf, o);
    spec = path_fmt("x=%s", hex);
    cr_assert_eq(visit(spec, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x20000000u);
    cr_assert_eq(col.c[0].len, sizeof data);
    cr_expect_arr_eq(col.c[0].data, data, sizeof data);
    collector_free(&col);
    free(spec);
    free(text);
    free(crlf);
    free(hex);
    free(bin);
}

/* Random images: records of random sizes, random gaps within the limit,
 * written in random order; compared with the image built here. */
Test(inputs_ihex, random_out_of_order)
{
    for (unsigned iter = 0; iter < 40; iter++) {
        uint64_t s = iter * 0x9E3779B97F4A7C15ull + 12345;
#define NEXT() (s = s * 6364136223846793005ull + 1442695040888963407ull, (unsigned)(s >> 33))
        uint32_t base = (NEXT() % 4 == 0) ? 0 : (uint32_t)(NEXT() & 0xFFFFF) << 11;
        size_t span = 1 + NEXT() % 200000, nrec = 0, i;
        uint8_t *img = malloc(span), *def = calloc(span, 1), fill = (uint8_t)NEXT();
        fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
        char **units = NULL, *text = NULL;
        collector col = {0};
        opts.hex_fill = fill;
        opts.hex_max_gap = 1 + NEXT() % 2000;
        fill_random(img, span, iter + 77);
        /* Lay records from 0 to span-1; skip gaps of at most max_gap. */
        for (size_t a = 0; a < span;) {
            unsigned len = 1 + NEXT() % 255;
            if (a + len > span)
                len = (unsigned)(span - a);
            units = realloc(units, (nrec + 1) * sizeof *units);
            units[nrec] = NULL;
            rec_data(&units[nrec], base + (uint32_t)a, img + a, len);
            nrec++;
            memset(def + a, 1, len);
            a += len;
            if (a < span && NEXT() % 3 == 0) {
                size_t gap = 1 + NEXT() % opts.hex_max_gap;
                if (a + gap >= span)
                    gap = span - a - 1;
                a += gap;
            }
        }
        for (i = 0; i < span; i++)
            if (!def[i])
                img[i] = fill;
        for (i = nrec; i > 1; i--) { /* shuffle */
            size_t j = NEXT() % i;
            char *t = units[i - 1];
            units[i - 1] = units[j];
            units[j] = t;
        }
        for (i = 0; i < nrec; i++) {
            size_t old = text ? strlen(text) : 0;
            text = realloc(text, old + strlen(units[i]) + 1);
            strcpy(text + old, units[i]);
            free(units[i]);
        }
        rec(&text, 1, 0, NULL, 0);
        col.chunk = 0;
        col.seed = iter;
        cr_assert_eq(hex_visit(text, &opts, &col, NULL), FWS_EXIT_OK, "iter %u", iter);
        cr_assert_eq(col.c[0].address, base, "iter %u", iter);
        cr_assert_eq(col.c[0].len, span, "iter %u", iter);
        cr_assert_arr_eq(col.c[0].data, img, span, "iter %u", iter);
        collector_free(&col);
        free(units);
        free(text);
        free(img);
        free(def);
#undef NEXT
    }
}

Test(inputs_ihex, gap_filled_within_limit)
{
    uint8_t a[16], b[16], want[16 + 4096 + 16];
    char *text = NULL;
    collector col = {0};
    fill_random(a, 16, 1);
    fill_random(b, 16, 2);
    /* second record first: order does not matter */
    rec_data(&text, 0x1010 + 4096, b, 16);
    rec_data(&text, 0x1000, a, 16);
    rec(&text, 1, 0, NULL, 0);
    memcpy(want, a, 16);
    memset(want + 16, 0xFF, 4096);
    memcpy(want + 16 + 4096, b, 16);
    cr_assert_eq(hex_visit(text, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x1000);
    cr_assert_eq(col.c[0].len, sizeof want);
    cr_expect_arr_eq(col.c[0].data, want, sizeof want);
    collector_free(&col);

    /* a custom fill byte */
    {
        fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
        opts.hex_fill = 0x00;
        memset(want + 16, 0x00, 4096);
        cr_assert_eq(hex_visit(text, &opts, &col, NULL), FWS_EXIT_OK);
        cr_expect_arr_eq(col.c[0].data, want, sizeof want);
        collector_free(&col);
    }
    free(text);

    /* one more byte of gap is too many */
    text = NULL;
    rec_data(&text, 0x1000, a, 16);
    rec_data(&text, 0x1010 + 4097, b, 16);
    rec(&text, 1, 0, NULL, 0);
    hex_error(text, NULL, "gap of 4097 bytes at 0x1010 exceeds the maximum gap of 4096 bytes",
              NULL);
    {
        fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
        opts.hex_max_gap = 0;
        free(text);
        text = NULL;
        rec_data(&text, 0x1000, a, 16);
        rec_data(&text, 0x1011, b, 16);
        rec(&text, 1, 0, NULL, 0);
        hex_error(text, &opts, "gap of 1 bytes at 0x1010 exceeds the maximum gap of 0 bytes",
                  NULL);
    }
    free(text);
}

Test(inputs_ihex, span_limit)
{
    uint8_t a[4] = {1, 2, 3, 4};
    char *text = NULL;
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    rec_data(&text, 0x08000000, a, 4);
    rec_data(&text, 0x1FFF7800, a, 4);
    rec(&text, 1, 0, NULL, 0);
    /* too large a gap is reported as a gap, before any allocation */
    hex_error(text, NULL, "gap of 402618364 bytes at 0x8000004 exceeds the maximum gap", NULL);
    opts.hex_max_gap = UINT64_MAX;
    hex_error(text, &opts, "spans 402618372 bytes, more than the 67108864 bytes", NULL);
    free(text);
}

Test(inputs_ihex, segment_addressing)
{
    uint8_t d[8] = {10, 11, 12, 13, 14, 15, 16, 17}, want[0x10000];
    char *text = NULL;
    collector col = {0};
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    /* hand-checked: segment 0x1200 -> base 0x12000 */
    static const char typed[] = ":020000021200EA\n"
                                ":0400100001020304E2\n"
                                ":00000001FF\n";
    static const uint8_t typed_want[4] = {1, 2, 3, 4};
    cr_assert_eq(hex_visit(typed, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x12010);
    cr_assert_eq(col.c[0].len, 4);
    cr_expect_arr_eq(col.c[0].data, typed_want, 4);
    collector_free(&col);

    /* a record at offset 0xFFFC of 8 bytes wraps inside its segment */
    rec_esa(&text, 0x1000);
    rec(&text, 0, 0xFFFC, d, 8);
    rec(&text, 1, 0, NULL, 0);
    opts.hex_max_gap = 0x10000;
    memset(want, 0xFF, sizeof want);
    memcpy(want, d + 4, 4);
    memcpy(want + 0xFFFC, d, 4);
    cr_assert_eq(hex_visit(text, &opts, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x10000);
    cr_assert_eq(col.c[0].len, 0x10000);
    cr_expect_arr_eq(col.c[0].data, want, sizeof want);
    collector_free(&col);
    free(text);

    /* switching between segment and linear bases */
    text = NULL;
    rec_esa(&text, 0xF000); /* 0xF0000 */
    rec(&text, 0, 0x0000, d, 4);
    rec_ela(&text, 0x000F); /* 0xF0000 again, linear */
    rec(&text, 0, 0x0004, d + 4, 4);
    rec(&text, 5, 0, d, 4); /* start linear address: ignored */
    rec(&text, 3, 0, d, 4); /* start segment address: ignored */
    rec(&text, 1, 0, NULL, 0);
    cr_assert_eq(hex_visit(text, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0xF0000);
    cr_assert_eq(col.c[0].len, 8);
    cr_expect_arr_eq(col.c[0].data, d, 8);
    collector_free(&col);
    free(text);
}

Test(inputs_ihex, linear_addressing)
{
    static const char typed[] = ":020000040800F2\n"
                                ":0400000001020304F2\n"
                                ":00000001FF\n";
    static const uint8_t want[4] = {1, 2, 3, 4};
    collector col = {0};
    cr_assert_eq(hex_visit(typed, NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0x08000000);
    cr_assert_eq(col.c[0].len, 4);
    cr_expect_arr_eq(col.c[0].data, want, 4);
    collector_free(&col);
    /* no 04 record at all: 16-bit addresses from 0 */
    cr_assert_eq(hex_visit(":0400000001020304F2\n:00000001FF\n", NULL, &col, NULL), FWS_EXIT_OK);
    cr_expect_eq(col.c[0].address, 0);
    cr_expect_arr_eq(col.c[0].data, want, 4);
    collector_free(&col);
}

Test(inputs_ihex, record_errors)
{
    static const char eof[] = ":00000001FF\n";
    static const struct {
        const char *text, *want, *line;
    } cases[] = {
        {":0100000041BF\n:00000001FF\n", "bad checksum: expected 0xBE, got 0xBF", "line 1:"},
        {":0100000041BE\n:0100010041BC\n", "bad checksum: expected 0xBD, got 0xBC", "line 2:"},
        {":0200000041BD\n:00000001FF\n", "bad record length", "line 1:"},
        {":0100000041BE\n:00000001FF\n:0100000041\n", "data after the end-of-file record",
         "line 3:"},
        {":0100000041\n:00000001FF\n", "bad record length", "line 1:"},
        {":01000000411BE\n:00000001FF\n", "bad record length: odd number of hex digits",
         "line 1:"},
        {":01000000G1BE\n:00000001FF\n", "non-hex character 'G' at column 10", "line 1:"},
        {":0100 00041BE\n:00000001FF\n", "non-hex character ' ' at column 6", "line 1:"},
        {"\n\n0100000041BE\n:00000001FF\n", "missing ':'", "line 3:"},
        {" :0100000041BE\n:00000001FF\n", "missing ':'", "line 1:"},
        {":0100000041BE\n:00000006FA\n:00000001FF\n", "unknown record type 0x06", "line 2:"},
        {":0100000041BE\n", "missing end-of-file record", "line 1"},
        {":0100000041BE\n\n\n", "missing end-of-file record", NULL},
        {":0100000041BE\n:00000001FF\n:00000001FF\n", "data after the end-of-file record",
         "line 3:"},
        {":00000001FF\n", "no data records", NULL},
        {":0000000000\n:00000001FF\n", "no data records", NULL},
        {":0100000141BD\n:00000001FF\n", "bad record length: a type 01 record has 0", "line 1:"},
        {":0100000241BC\n:00000001FF\n", "bad record length: a type 02 record has 2", "line 1:"},
        {":020000041000EA\n:0200000412", "bad record length", "line 2:"},
        {":0100000041BE\n:0100000042BD\n:00000001FF\n",
         "record at 0x0 overlaps bytes already defined at 0x0", "line 2:"},
        {"", "empty input", NULL},
        {"\x01\x02", "missing ':'", "line 1:"},
    };
    (void)eof;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        hex_error(cases[i].text, NULL, cases[i].want, cases[i].line);
}

Test(inputs_ihex, overlap_and_long_lines)
{
    uint8_t a[32], b[8];
    char *text = NULL, line[1200];
    fill_random(a, 32, 3);
    fill_random(b, 8, 4);
    rec_data(&text, 0x8001000, a, 32);
    rec_data(&text, 0x8002000, a, 32);
    rec_data(&text, 0x8001018, b, 8); /* last 8 bytes of the first record */
    rec(&text, 1, 0, NULL, 0);
    hex_error(text, NULL, "record at 0x8001018 overlaps bytes already defined at 0x8001018",
              "line 6:");
    free(text);
    text = NULL;
    rec_data(&text, 0x100, a, 32);
    rec_data(&text, 0xF8, b, 8);                /* 0xF8..0xFF: adjacent, fine */
    rec_data(&text, 0xFC, b, 8);              /* 0xFC..0x103: overlaps from 0x100 */
    rec(&text, 1, 0, NULL, 0);
    hex_error(text, NULL, "record at 0xFC overlaps bytes already defined at 0xFC", "line 6:");
    free(text);

    memset(line, 'A', sizeof line);
    line[0] = ':';
    line[sizeof line - 2] = '\n';
    line[sizeof line - 1] = 0;
    hex_error(line, NULL, "bad record length: line longer than", "line 1:");
}

Test(inputs_ihex, messages_name_the_file_and_line)
{
    char *f = put_text("named.hex", ":0100000041BE\n:0100000041BF\n:00000001FF\n");
    char *spec = path_fmt("img=%s", f), *want = path_fmt("%s: line 2: bad checksum", f);
    expect_error(spec, NULL, FWS_EXIT_IO, want, NULL);
    free(want);
    free(spec);
    free(f);
}

/* ---- archives -------------------------------------------------------- */

TestSuite(inputs_archive, .init = setup, .fini = teardown);

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
    char *p = path_fmt("%s/%s", dir, name);
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
    char *tree = path_fmt("%s/tree", dir), *tgz = path_fmt("%s/gnu.tgz", dir);
    char *zip = path_fmt("%s/info.zip", dir), *pa, *pb, *spec;
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
        cr_skip_test("skipped Info-ZIP: zip is not installed");
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
        q = path_fmt("%s/plain.tar.gz", dir);
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
        char *fifo = path_fmt("%s/%s", dir, kinds[i][0]);
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
