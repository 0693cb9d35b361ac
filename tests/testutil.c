/* SPDX-License-Identifier: MIT */
#include "testutil.h"

#include <criterion/criterion.h>
#include <criterion/hooks.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/fsuid.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp_fd(FILE *f)
{
    size_t cap = 4096, len = 0, n;
    char *buf = malloc(cap);
    rewind(f);
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[len] = 0;
    return buf;
}

run_result run(const char *fmt, ...)
{
    run_result r = {0, NULL, NULL};
    char *cmd, *full, outp[] = "/tmp/fwseal-run-XXXXXX", errp[] = "/tmp/fwseal-run-XXXXXX";
    va_list ap;
    int ofd = mkstemp(outp), efd = mkstemp(errp), st;
    FILE *out, *err;
    if (ofd < 0 || efd < 0)
        abort();
    va_start(ap, fmt);
    if (vasprintf(&cmd, fmt, ap) < 0)
        abort();
    va_end(ap);
    if (asprintf(&full, "exec </dev/null >'%s' 2>'%s'; %s", outp, errp, cmd) < 0)
        abort();
    st = system(full);
    if (WIFEXITED(st))
        r.status = WEXITSTATUS(st);
    else if (WIFSIGNALED(st))
        r.status = 128 + WTERMSIG(st);
    else
        r.status = -1;
    out = fdopen(ofd, "rb");
    err = fdopen(efd, "rb");
    r.out = slurp_fd(out);
    r.err = slurp_fd(err);
    fclose(out);
    fclose(err);
    unlink(outp);
    unlink(errp);
    free(cmd);
    free(full);
    return r;
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *tmpdir_new(void)
{
    const char *base = getenv("TMPDIR");
    char *t;
    if (asprintf(&t, "%s/fwseal-test-XXXXXX", base ? base : "/tmp") < 0 || !mkdtemp(t))
        abort();
    return t;
}

void tmpdir_remove(const char *dir)
{
    run_result r = run("rm -rf '%s'", dir);
    run_free(&r);
}

uint8_t *file_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    *len = (size_t)n;
    return buf;
}

void file_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f))
        abort();
}

int file_exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

void fill_random(uint8_t *buf, size_t len, uint64_t seed)
{
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 1;
    size_t i;
    for (i = 0; i < len; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        buf[i] = (uint8_t)(x >> 24);
    }
}

char *path_fmt(const char *fmt, ...)
{
    char *p;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&p, fmt, ap) < 0)
        abort();
    va_end(ap);
    return p;
}

int vectors_available(const char *what)
{
    struct stat st;
    if (stat(VECTORS_DIR, &st) == 0)
        return 1;
    test_skip("%s: %s not present", what, VECTORS_DIR);
    return 0;
}

/* One write per line, O_APPEND: lines from parallel test processes stay whole. */
static void skip_line(const char *suite, const char *test, const char *why)
{
    char *line;
    const char *log = getenv("FWS_SKIP_LOG");
    if (asprintf(&line, "SKIP %s::%s: %s\n", suite, test, why) < 0)
        abort();
    fputs(line, stderr);
    fflush(stderr);
    if (log && *log) {
        int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            ssize_t n = write(fd, line, strlen(line)); /* on stderr already if this fails */
            (void)n;
            close(fd);
        }
    }
    free(line);
}

void test_skip(const char *fmt, ...)
{
    char *why;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&why, fmt, ap) < 0)
        abort();
    va_end(ap);
    skip_line(criterion_current_suite ? criterion_current_suite->name : "?",
              criterion_current_test ? criterion_current_test->name : "?", why);
    free(why);
}

/* Criterion reports cr_skip_test() nowhere in its default output. */
ReportHook(POST_TEST)(struct criterion_test_stats *stats)
{
    if (stats->test_status == CR_STATUS_SKIPPED)
        skip_line(stats->test->category, stats->test->name,
                  stats->message && *stats->message ? stats->message : "skipped");
}

static int capture_saved = -1;
static char capture_name[64];

void stderr_capture_begin(void)
{
    int fd;
    fflush(stderr);
    strcpy(capture_name, "/tmp/fwseal-test-stderr-XXXXXX");
    fd = mkstemp(capture_name);
    if (fd < 0) {
        perror("stderr_capture_begin");
        abort();
    }
    capture_saved = dup(2);
    dup2(fd, 2);
    close(fd);
}

char *stderr_capture_end(void)
{
    size_t n;
    char *s;
    fflush(stderr);
    dup2(capture_saved, 2);
    close(capture_saved);
    capture_saved = -1;
    s = (char *)file_read(capture_name, &n);
    unlink(capture_name);
    if (!s) {
        perror("stderr_capture_end");
        abort();
    }
    s[n] = 0;
    return s;
}

/* setfsuid(2): changing the filesystem uid from 0 drops CAP_DAC_OVERRIDE
 * and CAP_DAC_READ_SEARCH from the effective set; back to 0 restores them. */
void fs_unprivileged_begin(void)
{
    if (geteuid() != 0)
        return;
    setfsgid(65534);
    setfsuid(65534);
    if ((uid_t)setfsuid((uid_t)-1) != 65534)
        abort();
}

void fs_unprivileged_end(void)
{
    if (geteuid() != 0)
        return;
    setfsuid(0);
    setfsgid(0);
}

const char *unprivileged_prefix(void)
{
    return geteuid() == 0 ? "setpriv --reuid=65534 --regid=65534 --clear-groups " : "";
}

int make_install(const char *destdir, const char *prefix, char **err)
{
    /* The parent make's jobserver and flags are not the sub-make's. */
    run_result r = run("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' %s install "
                       "DESTDIR='%s' PREFIX='%s' 2>&1",
                       FWSEAL_SRC, FWSEAL_MAKE_VARS, destdir, prefix);
    int status = r.status;
    if (err)
        *err = strdup(r.out);
    run_free(&r);
    return status;
}
