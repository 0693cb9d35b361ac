/* SPDX-License-Identifier: MIT */
#include "csv_import.h"
#include "diag.h"
#include "host_class_id.h"
#include "parse.h"
#include "xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES 4096
#define MAX_FIELDS 8

enum { COL_ID, COL_TYPE, COL_KEY, COL_CLASS, COL_LOT, N_COLS };
static const char *const col_names[N_COLS] = {"id", "type", "key", "class", "lot"};

typedef struct {
    const char *path;
    unsigned long line;
    int col[N_COLS];             /* field index of each column, or -1 */
    int n_header;                /* fields of the header line; 0 before it */
    int n_fields;
    char *field[MAX_FIELDS];
} csv;

static int bad(const csv *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(const csv *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error("%s: line %lu: %s; nothing imported", c->path, c->line, msg);
    return FWS_EXIT_IO;
}

/* Splits line (no newline) into c->field in place. */
static int split(csv *c, char *line)
{
    char *p = line;
    c->n_fields = 0;
    for (;;) {
        char *start = p, *out = p;
        if (c->n_fields == MAX_FIELDS)
            return bad(c, "more than %d fields", MAX_FIELDS);
        if (*p == '"') {
            for (p++; *p != '"' || p[1] == '"'; p++) {
                if (!*p)
                    return bad(c, "field %d: a quote is not closed", c->n_fields + 1);
                p += *p == '"';
                *out++ = *p;
            }
            p++;
            if (*p && *p != ',')
                return bad(c, "field %d: text after the closing quote", c->n_fields + 1);
        } else {
            for (; *p && *p != ','; p++)
                if (*p == '"')
                    return bad(c, "field %d: a quote inside an unquoted field",
                               c->n_fields + 1);
            out = p;
        }
        c->field[c->n_fields++] = start;
        if (!*p) {
            *out = 0;
            return FWS_EXIT_OK;
        }
        *out = 0;
        p++;
    }
}

static int header(csv *c)
{
    for (int k = 0; k < N_COLS; k++)
        c->col[k] = -1;
    for (int i = 0; i < c->n_fields; i++) {
        int k;
        for (k = 0; k < N_COLS && strcmp(c->field[i], col_names[k]); k++)
            ;
        if (k == N_COLS)
            return bad(c, "unknown column '%s' (the columns are id, type, key, class, lot)",
                       c->field[i]);
        if (c->col[k] >= 0)
            return bad(c, "column '%s' twice", c->field[i]);
        c->col[k] = i;
    }
    if (c->col[COL_KEY] < 0)
        return bad(c, "no 'key' column in the header line");
    return FWS_EXIT_OK;
}

static const char *value(const csv *c, int k)
{
    return c->col[k] >= 0 ? c->field[c->col[k]] : "";
}

/* The key column into d: type, public key or PSK id, key id. */
static int key_field(const csv *c, reg_device *d)
{
    static const uint8_t scalar[32] = {1};
    const char *type = value(c, COL_TYPE), *key = value(c, COL_KEY);
    uint8_t z[32];
    if (!*type || !strcmp(type, "x25519")) {
        d->type = FWS_KEY_X25519;
        if (parse_hex(key, strlen(key), d->pub, 32))
            return bad(c, "key: '%.80s' is not 64 hex digits (an X25519 public key)", key);
        /* X25519 with any scalar gives zero for exactly the small-order
         * points: no capsule could be made for such a key. */
        if (crypto_scalarmult(z, scalar, d->pub) != 0)
            return bad(c, "key: a small-order point, not a device's X25519 public key");
        fws_key_compute_id(FWS_KEY_X25519, d->pub, d->key_id);
    } else if (!strcmp(type, "psk")) {
        d->type = FWS_KEY_PSK;
        if (parse_hex(key, strlen(key), d->key_id, FWS_KEYID_LEN))
            return bad(c, "key: '%.80s' is not 16 hex digits (a PSK id: 'fwseal keygen' prints "
                          "it)", key);
    } else {
        return bad(c, "type: '%.80s' is not x25519 or psk", type);
    }
    return FWS_EXIT_OK;
}

/* One device line into d. */
static int device_line(const csv *c, const csv_import_opts *o, reg_device *d)
{
    const char *id = value(c, COL_ID), *cls = value(c, COL_CLASS), *lot = value(c, COL_LOT);
    int rc;
    if (c->n_fields != c->n_header)
        return bad(c, "%d field%s, the header line has %d", c->n_fields,
                   c->n_fields == 1 ? "" : "s", c->n_header);
    memset(d, 0, sizeof *d);
    if ((rc = key_field(c, d)))
        return rc;
    if (*id && !registry_name_valid(id))
        return bad(c, "id: '%.80s' is not a device id (1..%d of A-Z a-z 0-9 . _ -, starting "
                      "with a letter or digit)", id, REG_NAME_MAX);
    if (*id)
        snprintf(d->id, sizeof d->id, "%s", id);
    else
        fws_key_id_hex(d->key_id, d->id);
    if (!*cls && !(cls = o->class_arg))
        return bad(c, "no class (a 'class' column or --class)");
    if (strlen(cls) > REG_CLASS_MAX)
        return bad(c, "class: longer than %d bytes", REG_CLASS_MAX);
    snprintf(d->class_name, sizeof d->class_name, "%s", cls);
    host_class_id(cls, d->class_id);
    if (!*lot && !(lot = o->lot))
        return bad(c, "no lot (a 'lot' column or --lot)");
    if (!registry_name_valid(lot))
        return bad(c, "lot: '%.80s' is not a lot name", lot);
    snprintf(d->lot, sizeof d->lot, "%s", lot);
    return FWS_EXIT_OK;
}

/* The next line of f into buf (newline and \r removed): 1, 0 at the
 * end, or FWS_EXIT_IO negated after a message. */
static int next_line(csv *c, FILE *f, char *buf, size_t cap)
{
    size_t len;
    if (!fgets(buf, (int)cap, f)) {
        if (ferror(f)) {
            diag_error("%s: read error: %s", c->path, strerror(errno));
            return -FWS_EXIT_IO;
        }
        return 0;
    }
    c->line++;
    len = strlen(buf);
    if (len && buf[len - 1] == '\n')
        buf[--len] = 0;
    else if (!feof(f))
        return -bad(c, "longer than %d bytes", LINE_MAX_BYTES);
    if (len && buf[len - 1] == '\r')
        buf[--len] = 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)buf[i] < 0x20 && buf[i] != '\t')
            return -bad(c, "a control character (byte %zu): not a CSV text file", i + 1);
    return 1;
}

/* A device line, checked and held in memory until every line is read. */
typedef struct {
    unsigned long line;
    char id[REG_NAME_MAX + 1], lot[REG_NAME_MAX + 1];
    fws_key_type type;
    uint8_t pub[32], key_id[FWS_KEYID_LEN], class_id[FWS_CLASS_LEN];
    const char *class_name;        /* in the batch's class list */
} csv_row;

typedef struct {
    csv_row *rows;
    size_t n, cap;
    char **classes;                /* distinct class names, each kept once in a row */
    size_t n_classes;
} csv_rows;

/* d's class name, kept: lines mostly repeat the one before. */
static const char *keep_class(csv_rows *t, const char *name)
{
    if (t->n_classes && !strcmp(t->classes[t->n_classes - 1], name))
        return t->classes[t->n_classes - 1];
    t->classes = xrealloc(t->classes, (t->n_classes + 1) * sizeof *t->classes);
    return t->classes[t->n_classes++] = xstrdup(name);
}

static void add_row(csv_rows *t, const csv *c, const reg_device *d)
{
    csv_row *w;
    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 256;
        t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
    }
    w = &t->rows[t->n++];
    w->line = c->line;
    memcpy(w->id, d->id, sizeof w->id);
    memcpy(w->lot, d->lot, sizeof w->lot);
    w->type = d->type;
    memcpy(w->pub, d->pub, sizeof w->pub);
    memcpy(w->key_id, d->key_id, sizeof w->key_id);
    memcpy(w->class_id, d->class_id, sizeof w->class_id);
    w->class_name = keep_class(t, d->class_name);
}

static void free_rows(csv_rows *t)
{
    for (size_t i = 0; i < t->n_classes; i++)
        free(t->classes[i]);
    free(t->classes);
    free(t->rows);
}

/* Every line of f, checked, into t: no lock is held while the file is
 * read (standard input may be slow). */
static int read_lines(csv *c, FILE *f, const csv_import_opts *o, csv_rows *t)
{
    char *buf = xmalloc(LINE_MAX_BYTES + 2);
    reg_device *d = xmalloc(sizeof *d);
    int rc, got;
    while ((got = next_line(c, f, buf, LINE_MAX_BYTES + 2)) > 0) {
        if (!*buf || *buf == '#')
            continue;
        if ((rc = split(c, buf)))
            goto out;
        if (!c->n_header) {
            if ((rc = header(c)))
                goto out;
            c->n_header = c->n_fields;
            continue;
        }
        if ((rc = device_line(c, o, d)))
            goto out;
        add_row(t, c, d);
    }
    rc = got < 0 ? -got : FWS_EXIT_OK;
    if (!rc && !t->n) {
        diag_error("%s: no device lines%s", c->path, c->n_header ? "" : " (not even a header)");
        rc = FWS_EXIT_IO;
    }
out:
    free(buf);
    free(d);
    return rc;
}

/* The rows into the open transaction. */
static int insert_rows(registry *r, const csv *c, const csv_rows *t)
{
    reg_device *d = xcalloc(1, sizeof *d);
    char where[512];
    int rc = FWS_EXIT_OK;
    for (size_t i = 0; i < t->n && !rc; i++) {
        const csv_row *w = &t->rows[i];
        memcpy(d->id, w->id, sizeof d->id);
        memcpy(d->lot, w->lot, sizeof d->lot);
        d->type = w->type;
        memcpy(d->pub, w->pub, sizeof d->pub);
        memcpy(d->key_id, w->key_id, sizeof d->key_id);
        memcpy(d->class_id, w->class_id, sizeof d->class_id);
        snprintf(d->class_name, sizeof d->class_name, "%s", w->class_name);
        snprintf(where, sizeof where, "%s: line %lu", c->path, w->line);
        rc = registry_device_add(r, d, where);
    }
    free(d);
    return rc;
}

int csv_import(registry *r, const char *path, const csv_import_opts *o, uint64_t *n)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    csv_rows t = {0};
    csv c;
    int rc;
    *n = 0;
    if (!f) {
        diag_error("%s: cannot open: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    memset(&c, 0, sizeof c);
    c.path = f == stdin ? "<stdin>" : path;
    /* The whole file first, then the write lock for the inserts only. */
    rc = read_lines(&c, f, o, &t);
    if (f != stdin)
        fclose(f);
    if (!rc && !(rc = registry_begin(r))) {
        if (!(rc = insert_rows(r, &c, &t)) && !(rc = registry_quota_check(r)))
            rc = registry_commit(r);
        else
            registry_rollback(r);
    }
    if (!rc)
        *n = t.n;
    free_rows(&t);
    return rc;
}
