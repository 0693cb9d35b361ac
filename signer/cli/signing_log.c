/* SPDX-License-Identifier: MIT */
#include "signing_log.h"
#include "diag.h"
#include "io.h"
#include "json.h"
#include "keyfile.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Longest record line; the last line is found within this many bytes. */
#define RECORD_MAX 4096
#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"

const char *signing_log_path(const char *path)
{
    const char *env = getenv("FWSEAL_LOG");
    return path ? path : (env && *env) ? env : NULL;
}

static void line_hash(const char *line, size_t len, char hex[65])
{
    uint8_t h[32];
    crypto_hash_sha256(h, (const uint8_t *)line, len);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* The value of "key": in a record line (a string without the quotes, or
 * a number), copied to out; -1 if absent. */
static int field(const char *line, size_t len, const char *key, char *out, size_t cap)
{
    char pat[32];
    const char *p, *end = line + len;
    size_t n;
    snprintf(pat, sizeof pat, "\"%s\":", key);
    p = memmem(line, len, pat, strlen(pat));
    if (!p)
        return -1;
    p += strlen(pat);
    if (p < end && *p == '"') {
        const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
        if (!q)
            return -1;
        p++;
        n = (size_t)(q - p);
    } else {
        n = strspn(p, "0123456789");
        if (p + n > end)
            return -1;
    }
    if (n >= cap)
        return -1;
    memcpy(out, p, n);
    out[n] = 0;
    return 0;
}

/* A line is a record: an object with a sequence number and a previous hash. */
static int is_record(const char *line, size_t len, unsigned long long *seq, char prev[65])
{
    char s[24];
    if (len < 2 || line[0] != '{' || line[len - 1] != '}' ||
        field(line, len, "seq", s, sizeof s) || !*s || field(line, len, "prev", prev, 65) ||
        strlen(prev) != 64)
        return 0;
    *seq = strtoull(s, NULL, 10);
    return 1;
}

/* The last line of the open log: its hash and sequence number (0 and the
 * zero hash for an empty log).  -1 with a message for a torn last line. */
static int last_record(int fd, const char *path, char hash[65], unsigned long long *seq)
{
    char buf[RECORD_MAX + 1], prev[65];
    struct stat st;
    size_t n, want, start;
    if (fstat(fd, &st)) {
        diag_error("%s: %s", path, strerror(errno));
        return -1;
    }
    if (st.st_size == 0) {
        strcpy(hash, ZERO_HASH);
        *seq = 0;
        return 0;
    }
    want = st.st_size < RECORD_MAX ? (size_t)st.st_size : RECORD_MAX;
    if (io_pread_all(fd, buf, want, (uint64_t)st.st_size - want)) {
        diag_error("%s: read error: %s", path, strerror(errno));
        return -1;
    }
    n = want;
    buf[n] = 0;
    if (buf[n - 1] != '\n') {
        diag_error("%s: the last record is torn (no end of line): a signing was interrupted; "
                   "`fwseal log verify %s` shows where, nothing was appended", path, path);
        return -1;
    }
    buf[--n] = 0;
    start = n;
    while (start > 0 && buf[start - 1] != '\n')
        start--;
    if ((start == 0 && want == RECORD_MAX) || !is_record(buf + start, n - start, seq, prev)) {
        diag_error("%s: the last line is not a signing record: nothing was appended", path);
        return -1;
    }
    line_hash(buf + start, n - start, hash);
    return 0;
}

static void utc_now(char out[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One record (without its newline), malloc'ed. */
static char *record(unsigned long long seq, const char *prev, const signing_event *e,
                    const uint8_t key_id[FWS_KEYID_LEN], const char *backend, const char *signer,
                    size_t *len)
{
    char *buf = NULL, ver[64], now[32];
    FILE *f = open_memstream(&buf, len);
    json_writer j;
    if (!f)
        xalloc_die(0);
    utc_now(now);
    snprintf(ver, sizeof ver, "%u.%u.%u+%u", e->m->major, e->m->minor, e->m->patch, e->m->build);
    json_init(&j, f);
    json_begin(&j, NULL, '{');
    json_u64(&j, "seq", seq);
    json_str(&j, "time", now);
    json_str(&j, "command", e->command);
    json_str(&j, "file", e->file);
    json_hex(&j, "tbs_sha256", e->tbs_hash, 32);
    json_hex(&j, "key_id", key_id, FWS_KEYID_LEN);
    json_str(&j, "backend", backend);
    json_str(&j, "signer", signer);
    json_str(&j, "version", ver);
    json_u64(&j, "counter", e->m->counter);
    json_hex(&j, "class", e->m->class_id, FWS_CLASS_LEN);
    json_str(&j, "prev", prev);
    json_end(&j, '}');
    if (fclose(f))
        xalloc_die(0);
    while (*len && buf[*len - 1] == '\n')   /* the writer ends an object with one */
        buf[--*len] = 0;
    return buf;
}

int signing_log_append(const char *path, const signing_event *e, const fws_signer *signers,
                       int n_signers, const uint8_t *attached_key_id)
{
    char prev[65];
    unsigned long long seq;
    int fd, rc = FWS_EXIT_IO, n = attached_key_id ? 1 : n_signers;
    if (!path)
        return FWS_EXIT_OK;
    fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        diag_error("%s: cannot open the signing log: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    if (flock(fd, LOCK_EX)) {
        diag_error("%s: cannot lock the signing log: %s", path, strerror(errno));
        goto out;
    }
    if (last_record(fd, path, prev, &seq))
        goto out;
    for (int i = 0; i < n; i++) {
        size_t len;
        char *line = attached_key_id
                         ? record(seq + 1, prev, e, attached_key_id, "attach", "attached", &len)
                         : record(seq + 1, prev, e, signers[i].id,
                                  fws_signer_kind_name(signers[i].kind), signers[i].label, &len);
        line = xrealloc(line, len + 1);
        line[len] = '\n';
        if (io_write_all(fd, line, len + 1)) {
            diag_error("%s: cannot append to the signing log: %s", path, strerror(errno));
            free(line);
            goto out;
        }
        line_hash(line, len, prev);
        seq++;
        free(line);
    }
    if (fsync(fd)) {
        diag_error("%s: cannot sync the signing log: %s", path, strerror(errno));
        goto out;
    }
    rc = FWS_EXIT_OK;
out:
    close(fd);   /* releases the lock */
    return rc;
}

/* Calls fn for each line (without its newline); stops on nonzero. */
typedef int (*line_fn)(void *user, unsigned long lineno, const char *line, size_t len, int torn);

static int each_line(const char *path, line_fn fn, void *user)
{
    FILE *f = fopen(path, "re");
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long lineno = 0;
    int rc = 0;
    if (!f) {
        diag_error("%s: cannot open the signing log: %s", path, strerror(errno));
        return -1;
    }
    while (!rc && (n = getline(&line, &cap, f)) > 0) {
        int torn = line[n - 1] != '\n';
        rc = fn(user, ++lineno, line, (size_t)n - !torn, torn);
    }
    free(line);
    fclose(f);
    return rc;
}

typedef struct {
    const char *path;
    char prev[65];
    unsigned long long seq;
    unsigned long records;
} chain_state;

static int check_line(void *user, unsigned long lineno, const char *line, size_t len, int torn)
{
    chain_state *c = user;
    char prev[65];
    unsigned long long seq;
    if (torn) {
        diag_note("%s: line %lu: torn record (no end of line): a signing was interrupted",
                  c->path, lineno);
        return 1;
    }
    if (!is_record(line, len, &seq, prev)) {
        diag_note("%s: line %lu: not a signing record", c->path, lineno);
        return 1;
    }
    if (strcmp(prev, c->prev) || seq != c->seq + 1) {
        diag_note("%s: line %lu: broken chain: %s", c->path, lineno,
                  strcmp(prev, c->prev) ? "its prev is not the hash of the record before it "
                                          "(a record was edited, removed or reordered)"
                                        : "its sequence number does not follow");
        return 1;
    }
    line_hash(line, len, c->prev);
    c->seq = seq;
    c->records++;
    return 0;
}

int signing_log_verify(const char *path)
{
    chain_state c = {path, ZERO_HASH, 0, 0};
    int rc = each_line(path, check_line, &c);
    if (rc < 0)
        return FWS_EXIT_IO;
    if (rc)
        return FWS_EXIT_REJECT;
    printf("%s: %lu record%s, hash chain intact; head %s\n", path, c.records,
           c.records == 1 ? "" : "s", c.prev);
    return FWS_EXIT_OK;
}

typedef struct {
    const char *tbs;
    int has_counter;
    uint32_t counter;
    unsigned long found;
} find_state;

static int find_line(void *user, unsigned long lineno, const char *line, size_t len, int torn)
{
    find_state *s = user;
    char v[80];
    (void)lineno;
    if (torn)
        return 0;
    if (s->tbs && (field(line, len, "tbs_sha256", v, sizeof v) || strcmp(v, s->tbs)))
        return 0;
    if (s->has_counter &&
        (field(line, len, "counter", v, sizeof v) || strtoul(v, NULL, 10) != s->counter))
        return 0;
    printf("%.*s\n", (int)len, line);
    s->found++;
    return 0;
}

int signing_log_find(const char *path, const char *tbs_hex, int has_counter, uint32_t counter)
{
    find_state s = {tbs_hex, has_counter, counter, 0};
    if (each_line(path, find_line, &s) < 0)
        return FWS_EXIT_IO;
    return s.found ? FWS_EXIT_OK : FWS_EXIT_REJECT;
}
