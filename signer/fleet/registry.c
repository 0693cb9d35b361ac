/* SPDX-License-Identifier: MIT */
#include "registry.h"
#include "diag.h"
#include "tmpname.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* "FWSF": a fwseal fleet registry, in the database header (PRAGMA
 * application_id), so that no other SQLite file is mistaken for one. */
#define REG_APPLICATION_ID 0x46575346
/* Rows per read transaction of an iteration, held in memory (about 220
 * bytes each). */
#define REG_BATCH 1024

struct registry {
    sqlite3 *db;
    char *path;
    int wait_ms;
    int in_tx;
};

static const char schema[] =
    "CREATE TABLE lots ("
    "  name TEXT PRIMARY KEY NOT NULL,"
    "  quota INTEGER NOT NULL CHECK (quota >= 0),"
    "  created INTEGER NOT NULL);"
    "CREATE TABLE devices ("
    "  id TEXT NOT NULL UNIQUE,"
    "  key_type TEXT NOT NULL CHECK (key_type IN ('x25519', 'psk')),"
    "  public_key BLOB CHECK ((key_type = 'psk' AND public_key IS NULL) OR"
    "                         (key_type = 'x25519' AND length(public_key) = 32)),"
    "  key_id BLOB NOT NULL UNIQUE CHECK (length(key_id) = 8),"
    "  class_id BLOB NOT NULL CHECK (length(class_id) = 16),"
    "  class_name TEXT NOT NULL,"
    "  lot TEXT NOT NULL REFERENCES lots(name),"
    "  created INTEGER NOT NULL,"
    "  state TEXT NOT NULL CHECK (state IN ('active', 'retired', 'compromised')),"
    "  state_changed INTEGER);"
    "CREATE INDEX devices_by_lot ON devices(lot);"
    "CREATE INDEX devices_by_class ON devices(class_id);";

static const char *const state_names[] = {"active", "retired", "compromised"};

int registry_name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n < 1 || n > REG_NAME_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = name[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
            return 0;
    }
    return 1;
}

const char *registry_state_name(reg_state s)
{
    return (unsigned)s < 3 ? state_names[s] : "unknown";
}

int registry_state_parse(const char *s, reg_state *out)
{
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, state_names[i])) {
            *out = (reg_state)i;
            return 0;
        }
    return -1;
}

const char *registry_path(const registry *r)
{
    return r->path;
}

/* The message for an SQLite failure rc while doing `what`. */
static int fail_db(const char *path, sqlite3 *db, int rc, const char *what, int wait_ms)
{
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        diag_error("%s: the registry is locked by another process (waited %d.%03d s; "
                   "--lock-timeout sets how long)", path, wait_ms / 1000, wait_ms % 1000);
        break;
    case SQLITE_NOTADB:
        diag_error("%s: not a fwseal registry (not an SQLite database)", path);
        break;
    case SQLITE_CORRUPT:
        diag_error("%s: the registry is corrupt (%s while %s); restore it from a backup", path,
                   db ? sqlite3_errmsg(db) : sqlite3_errstr(rc), what);
        break;
    case SQLITE_FULL:
        diag_error("%s: disk full while %s; nothing was written", path, what);
        break;
    default:
        diag_error("%s: %s: %s", path, what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    }
    return FWS_EXIT_IO;
}

static int fail(registry *r, int rc, const char *what)
{
    return fail_db(r->path, r->db, rc, what, r->wait_ms);
}

static int exec(registry *r, const char *sql, const char *what)
{
    int rc = sqlite3_exec(r->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? FWS_EXIT_OK : fail(r, rc, what);
}

static int prepare(registry *r, const char *sql, sqlite3_stmt **st, const char *what)
{
    int rc = sqlite3_prepare_v2(r->db, sql, -1, st, NULL);
    return rc == SQLITE_OK ? FWS_EXIT_OK : fail(r, rc, what);
}

/* One integer from a query of one row (a pragma or a count). */
static int query_int(registry *r, const char *sql, const char *what, int64_t *v)
{
    sqlite3_stmt *st;
    int rc;
    if ((rc = prepare(r, sql, &st, what)))
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *v = sqlite3_column_int64(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? FWS_EXIT_OK : fail(r, rc, what);
}

/* ---- creating and opening ---- */

/* A new registry under a temporary name beside path, linked to path when
 * complete.  Another process may create path meanwhile: that registry is
 * then used. */
static int create_new(const char *path)
{
    char suffix[7], *tmp;
    sqlite3 *db = NULL;
    int rc, fd, status = FWS_EXIT_IO;
    tmpname_fill(suffix, 6);
    suffix[6] = 0;
    tmp = xasprintf("%s.tmp-%s", path, suffix);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        diag_error("%s: cannot create the registry: %s", path, strerror(errno));
        free(tmp);
        return FWS_EXIT_IO;
    }
    close(fd);
    rc = sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE, NULL);
    if (rc == SQLITE_OK) {
        char *sql = xasprintf("BEGIN; %s PRAGMA application_id = %d; PRAGMA user_version = %d; "
                              "COMMIT;", schema, REG_APPLICATION_ID, REG_SCHEMA_VERSION);
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
        free(sql);
    }
    if (rc != SQLITE_OK)
        fail_db(path, db, rc, "creating the registry", 0);
    rc = sqlite3_close(db) == SQLITE_OK && rc == SQLITE_OK ? 0 : -1;
    if (rc == 0 && link(tmp, path) == 0)
        status = FWS_EXIT_OK;
    else if (rc == 0 && errno == EEXIST)
        status = FWS_EXIT_OK;   /* made by another process meanwhile: that one is used */
    else if (rc == 0)
        diag_error("%s: cannot create the registry: %s", path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return status;
}

/* The file is a registry this code reads. */
static int check_schema(registry *r)
{
    int64_t app, version;
    int rc;
    if ((rc = query_int(r, "PRAGMA application_id", "reading the schema", &app)) ||
        (rc = query_int(r, "PRAGMA user_version", "reading the schema", &version)))
        return rc;
    if (app != REG_APPLICATION_ID) {
        diag_error("%s: not a fwseal registry (an SQLite database with application id 0x%08llx)",
                   r->path, (unsigned long long)(uint32_t)app);
        return FWS_EXIT_IO;
    }
    if (version != REG_SCHEMA_VERSION) {
        diag_error("%s: registry schema version %lld; this fwseal reads version %d only",
                   r->path, (long long)version, REG_SCHEMA_VERSION);
        return FWS_EXIT_IO;
    }
    return exec(r, "PRAGMA foreign_keys = ON", "opening the registry");
}

int registry_open(registry **out, const char *path, int create, int wait_ms)
{
    struct stat st;
    registry *r;
    int rc;
    *out = NULL;
    if (stat(path, &st) < 0) {
        if (errno != ENOENT || !create) {
            if (errno == ENOENT)
                diag_error("%s: no such registry (create one with 'fwseal lot create LOT --quota "
                           "N --registry %s')", path, path);
            else
                diag_error("%s: %s", path, strerror(errno));
            return FWS_EXIT_IO;
        }
        if ((rc = create_new(path)))
            return rc;
    } else if (!S_ISREG(st.st_mode)) {
        diag_error("%s: not a fwseal registry (not a regular file)", path);
        return FWS_EXIT_IO;
    }
    r = xcalloc(1, sizeof *r);
    r->path = xstrdup(path);
    r->wait_ms = wait_ms;
    rc = sqlite3_open_v2(path, &r->db, SQLITE_OPEN_READWRITE, NULL);
    if (rc != SQLITE_OK) {
        rc = fail(r, rc, "cannot open");
        registry_close(r);
        return rc;
    }
    sqlite3_extended_result_codes(r->db, 1);
    sqlite3_busy_timeout(r->db, wait_ms);
    if ((rc = check_schema(r))) {
        registry_close(r);
        return rc;
    }
    *out = r;
    return FWS_EXIT_OK;
}

void registry_close(registry *r)
{
    if (!r)
        return;
    if (r->in_tx)
        registry_rollback(r);
    sqlite3_close(r->db);
    free(r->path);
    free(r);
}

int registry_begin(registry *r)
{
    int rc = exec(r, "BEGIN IMMEDIATE", "taking the write lock");
    r->in_tx = rc == FWS_EXIT_OK;
    return rc;
}

int registry_begin_exclusive(registry *r)
{
    int rc = exec(r, "BEGIN EXCLUSIVE", "taking the write lock");
    r->in_tx = rc == FWS_EXIT_OK;
    return rc;
}

int registry_commit(registry *r)
{
    int rc = exec(r, "COMMIT", "committing");
    if (rc)
        registry_rollback(r);
    r->in_tx = 0;
    return rc;
}

void registry_rollback(registry *r)
{
    sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    r->in_tx = 0;
}

/* ---- lots ---- */

int registry_lot_create(registry *r, const char *lot, uint64_t quota)
{
    sqlite3_stmt *st;
    int64_t exists;
    int rc;
    if ((rc = registry_begin(r)))
        return rc;
    if ((rc = prepare(r, "SELECT count(*) FROM lots WHERE name = ?1", &st, "reading lots")))
        goto out;
    sqlite3_bind_text(st, 1, lot, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    exists = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    if (rc != SQLITE_ROW) {
        rc = fail(r, rc, "reading lots");
        goto out;
    }
    if (exists) {
        diag_error("%s: lot '%s' already exists", r->path, lot);
        rc = FWS_EXIT_REJECT;
        goto out;
    }
    if ((rc = prepare(r, "INSERT INTO lots (name, quota, created) VALUES (?1, ?2, ?3)", &st,
                      "creating the lot")))
        goto out;
    sqlite3_bind_text(st, 1, lot, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, (int64_t)quota);
    sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        rc = fail(r, rc, "creating the lot");
        goto out;
    }
    return registry_commit(r);
out:
    registry_rollback(r);
    return rc;
}

int registry_lot_usage(registry *r, const char *lot, uint64_t *quota, uint64_t *used)
{
    sqlite3_stmt *st;
    int rc = prepare(r, "SELECT quota, (SELECT count(*) FROM devices WHERE lot = ?1) "
                        "FROM lots WHERE name = ?1", &st, "reading the lot");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, lot, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *quota = (uint64_t)sqlite3_column_int64(st, 0);
        *used = (uint64_t)sqlite3_column_int64(st, 1);
        rc = FWS_EXIT_OK;
    } else if (rc == SQLITE_DONE) {
        diag_error("%s: no lot '%s' (create it with 'fwseal lot create %s --quota N')", r->path,
                   lot, lot);
        rc = FWS_EXIT_REJECT;
    } else {
        rc = fail(r, rc, "reading the lot");
    }
    sqlite3_finalize(st);
    return rc;
}

int registry_quota_check(registry *r)
{
    sqlite3_stmt *st;
    int rc = prepare(r, "SELECT l.name, l.quota, count(*) FROM devices d JOIN lots l "
                        "ON d.lot = l.name GROUP BY l.name HAVING count(*) > l.quota",
                     &st, "checking the quotas");
    int over = 0;
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        diag_error("%s: lot '%s': quota exceeded: %lld devices would exceed its quota of %lld; "
                   "nothing added", r->path, (const char *)sqlite3_column_text(st, 0),
                   (long long)sqlite3_column_int64(st, 2), (long long)sqlite3_column_int64(st, 1));
        over = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(r, rc, "checking the quotas");
    return over ? FWS_EXIT_REJECT : FWS_EXIT_OK;
}

int registry_lot_each(registry *r,
                      int (*fn)(void *user, const char *lot, uint64_t quota, uint64_t used,
                                int64_t created),
                      void *user)
{
    sqlite3_stmt *st;
    int rc = prepare(r, "SELECT name, quota, (SELECT count(*) FROM devices WHERE lot = name), "
                        "created FROM lots ORDER BY name", &st, "reading lots");
    if (rc)
        return rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (fn(user, (const char *)sqlite3_column_text(st, 0),
               (uint64_t)sqlite3_column_int64(st, 1), (uint64_t)sqlite3_column_int64(st, 2),
               sqlite3_column_int64(st, 3))) {
            rc = SQLITE_DONE;
            break;
        }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? FWS_EXIT_OK : fail(r, rc, "reading lots");
}

/* ---- devices ---- */

#define DEVICE_COLUMNS "id, key_type, public_key, key_id, class_id, class_name, lot, created, " \
                       "state, rowid"

/* A row of DEVICE_COLUMNS into d; the row id into *rowid. */
static void read_device(sqlite3_stmt *st, reg_device *d, int64_t *rowid)
{
    const void *b;
    memset(d, 0, sizeof *d);
    snprintf(d->id, sizeof d->id, "%s", (const char *)sqlite3_column_text(st, 0));
    d->type = !strcmp((const char *)sqlite3_column_text(st, 1), "psk") ? FWS_KEY_PSK
                                                                        : FWS_KEY_X25519;
    if ((b = sqlite3_column_blob(st, 2)) && sqlite3_column_bytes(st, 2) == 32)
        memcpy(d->pub, b, 32);
    if ((b = sqlite3_column_blob(st, 3)) && sqlite3_column_bytes(st, 3) == FWS_KEYID_LEN)
        memcpy(d->key_id, b, FWS_KEYID_LEN);
    if ((b = sqlite3_column_blob(st, 4)) && sqlite3_column_bytes(st, 4) == FWS_CLASS_LEN)
        memcpy(d->class_id, b, FWS_CLASS_LEN);
    snprintf(d->class_name, sizeof d->class_name, "%s", (const char *)sqlite3_column_text(st, 5));
    snprintf(d->lot, sizeof d->lot, "%s", (const char *)sqlite3_column_text(st, 6));
    d->created = sqlite3_column_int64(st, 7);
    registry_state_parse((const char *)sqlite3_column_text(st, 8), &d->state);
    if (rowid)
        *rowid = sqlite3_column_int64(st, 9);
}

/* The registered device with this id or this key id, if any. */
static int find_conflict(registry *r, const reg_device *d, reg_device *found, int *have)
{
    sqlite3_stmt *st;
    int rc = prepare(r, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?1 OR key_id = ?2",
                     &st, "reading devices");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, d->key_id, FWS_KEYID_LEN, SQLITE_STATIC);
    rc = sqlite3_step(st);
    *have = rc == SQLITE_ROW;
    if (*have)
        read_device(st, found, NULL);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? FWS_EXIT_OK : fail(r, rc, "reading devices");
}

int registry_device_add(registry *r, const reg_device *d, const char *where)
{
    reg_device other;
    sqlite3_stmt *st;
    char idhex[2 * FWS_KEYID_LEN + 1];
    int rc, have;
    if ((rc = find_conflict(r, d, &other, &have)))
        return rc;
    if (have) {
        fws_key_id_hex(d->key_id, idhex);
        if (!strcmp(other.id, d->id))
            diag_error("%s: device '%s' is already in the registry %s", where, d->id, r->path);
        else
            diag_error("%s: key %s of device '%s' is already registered, as device '%s' in %s",
                       where, idhex, d->id, other.id, r->path);
        return FWS_EXIT_REJECT;
    }
    if ((rc = prepare(r, "INSERT INTO devices (id, key_type, public_key, key_id, class_id, "
                         "class_name, lot, created, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                         "?8, 'active')", &st, "adding a device")))
        return rc;
    sqlite3_bind_text(st, 1, d->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->type == FWS_KEY_PSK ? "psk" : "x25519", -1, SQLITE_STATIC);
    if (d->type == FWS_KEY_PSK)
        sqlite3_bind_null(st, 3);
    else
        sqlite3_bind_blob(st, 3, d->pub, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, d->key_id, FWS_KEYID_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, d->class_id, FWS_CLASS_LEN, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, d->class_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, d->lot, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 8, d->created ? d->created : (int64_t)time(NULL));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc == SQLITE_CONSTRAINT_FOREIGNKEY) {
        diag_error("%s: no lot '%s' in %s (create it with 'fwseal lot create %s --quota N')",
                   where, d->lot, r->path, d->lot);
        return FWS_EXIT_REJECT;
    }
    return rc == SQLITE_DONE ? FWS_EXIT_OK : fail(r, rc, "adding a device");
}

int registry_device_get(registry *r, const char *id, reg_device *d)
{
    sqlite3_stmt *st;
    int rc = prepare(r, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?1", &st,
                     "reading devices");
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_device(st, d, NULL);
        rc = FWS_EXIT_OK;
    } else if (rc == SQLITE_DONE) {
        diag_error("%s: no device '%s'", r->path, id);
        rc = FWS_EXIT_REJECT;
    } else {
        rc = fail(r, rc, "reading devices");
    }
    sqlite3_finalize(st);
    return rc;
}

int registry_device_set_state(registry *r, const char *id, reg_state to, reg_state *from)
{
    reg_device d;
    sqlite3_stmt *st;
    int rc = registry_device_get(r, id, &d);
    if (rc)
        return rc;
    *from = d.state;
    if (d.state == to)
        return FWS_EXIT_OK;
    if (d.state == REG_COMPROMISED) {
        diag_error("%s: device '%s' is compromised: it stays so (a compromised key is never "
                   "trusted again; register the device anew with a new key)", r->path, id);
        return FWS_EXIT_REJECT;
    }
    if ((rc = prepare(r, "UPDATE devices SET state = ?2, state_changed = ?3 WHERE id = ?1", &st,
                      "changing a device's state")))
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, registry_state_name(to), -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (int64_t)time(NULL));
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? FWS_EXIT_OK : fail(r, rc, "changing a device's state");
}

/* ---- iteration ---- */

/* A device of a batch, held in memory: its class name is in the batch's
 * text. */
typedef struct {
    char id[REG_NAME_MAX + 1], lot[REG_NAME_MAX + 1];
    fws_key_type type;
    uint8_t pub[32], key_id[FWS_KEYID_LEN], class_id[FWS_CLASS_LEN];
    int64_t created;
    reg_state state;
    size_t class_at;               /* offset in the batch's text */
} iter_row;

struct reg_iter {
    registry *r;
    sqlite3_stmt *st;
    int64_t last, hi;              /* last row id read; rows up to hi */
    iter_row *rows;                /* the batch: REG_BATCH rows at most */
    int n_rows, next_row, done;
    char *text;                    /* the batch's class names */
    size_t text_len, text_cap;
    reg_device scratch;
};

/* The WHERE clause for f, with ?1.. for its values; binds are made by bind_filter. */
static char *filter_sql(const char *select, const reg_filter *f, const char *tail)
{
    return xasprintf("%s WHERE rowid > ?1 AND rowid <= ?2%s%s%s%s%s", select,
                     f->lot ? " AND lot = ?3" : "", f->class_id ? " AND class_id = ?4" : "",
                     f->state_set ? " AND state = ?5" : "",
                     f->x25519_only ? " AND key_type = 'x25519'" : "", tail);
}

static void bind_filter(sqlite3_stmt *st, const reg_filter *f, int64_t lo, int64_t hi)
{
    sqlite3_bind_int64(st, 1, lo);
    sqlite3_bind_int64(st, 2, hi);
    if (f->lot)
        sqlite3_bind_text(st, 3, f->lot, -1, SQLITE_TRANSIENT);
    if (f->class_id)
        sqlite3_bind_blob(st, 4, f->class_id, FWS_CLASS_LEN, SQLITE_TRANSIENT);
    if (f->state_set)
        sqlite3_bind_text(st, 5, registry_state_name(f->state), -1, SQLITE_STATIC);
}

/* floor(max * i / n) without overflow (n <= REG_MAX_SHARDS, i <= n). */
static int64_t shard_edge(uint64_t max, uint64_t i, uint64_t n)
{
    return (int64_t)(max / n * i + max % n * i / n);
}

/* The row ids f covers: (lo, hi]. */
static int row_range(registry *r, const reg_filter *f, int64_t *lo, int64_t *hi)
{
    int64_t max;
    int rc = query_int(r, "SELECT coalesce(max(rowid), 0) FROM devices", "reading devices", &max);
    if (rc)
        return rc;
    *lo = 0;
    *hi = max;
    if (f->shards) {
        /* Rows are never deleted: row ids are 1..max, and shard i of n
         * takes (max*i/n, max*(i+1)/n]. */
        *lo = shard_edge((uint64_t)max, f->shard, f->shards);
        *hi = shard_edge((uint64_t)max, f->shard + 1, f->shards);
    }
    return FWS_EXIT_OK;
}

int registry_count(registry *r, const reg_filter *f, uint64_t *n)
{
    sqlite3_stmt *st;
    int64_t lo, hi;
    char *sql = filter_sql("SELECT count(*) FROM devices", f, "");
    int rc = row_range(r, f, &lo, &hi);
    if (!rc)
        rc = prepare(r, sql, &st, "counting devices");
    free(sql);
    if (rc)
        return rc;
    bind_filter(st, f, lo, hi);
    rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? (uint64_t)sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? FWS_EXIT_OK : fail(r, rc, "counting devices");
}

int registry_count_states(registry *r, const reg_filter *f, uint64_t n[2][3])
{
    reg_filter g = *f;
    sqlite3_stmt *st = NULL;
    reg_state s;
    int64_t lo, hi;
    char *sql;
    int rc;
    g.state_set = 0;
    g.x25519_only = 0;
    memset(n, 0, 2 * sizeof *n);
    /* The row range and the counts from one snapshot. */
    if ((rc = exec(r, "BEGIN", "counting devices")))
        return rc;
    sql = filter_sql("SELECT key_type, state, count(*) FROM devices", &g,
                     " GROUP BY key_type, state");
    if (!(rc = row_range(r, &g, &lo, &hi)) && !(rc = prepare(r, sql, &st, "counting devices"))) {
        bind_filter(st, &g, lo, hi);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            if (!registry_state_parse((const char *)sqlite3_column_text(st, 1), &s))
                n[!strcmp((const char *)sqlite3_column_text(st, 0), "psk")][s] =
                    (uint64_t)sqlite3_column_int64(st, 2);
        rc = rc == SQLITE_DONE ? FWS_EXIT_OK : fail(r, rc, "counting devices");
    }
    sqlite3_finalize(st);
    free(sql);
    sqlite3_exec(r->db, rc ? "ROLLBACK" : "COMMIT", NULL, NULL, NULL);
    return rc;
}

int registry_iter_open(registry *r, const reg_filter *f, reg_iter **out)
{
    char *sql, tail[64];
    reg_iter *it = xcalloc(1, sizeof *it);
    int rc;
    it->r = r;
    snprintf(tail, sizeof tail, " ORDER BY rowid LIMIT %d", REG_BATCH);
    sql = filter_sql("SELECT " DEVICE_COLUMNS " FROM devices", f, tail);
    rc = row_range(r, f, &it->last, &it->hi);
    if (!rc)
        rc = sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &it->st, NULL) ==
                     SQLITE_OK
                 ? FWS_EXIT_OK
                 : fail(r, sqlite3_errcode(r->db), "reading devices");
    free(sql);
    if (rc) {
        free(it);
        return rc;
    }
    bind_filter(it->st, f, it->last, it->hi);
    it->rows = xmalloc(REG_BATCH * sizeof *it->rows);
    *out = it;
    return FWS_EXIT_OK;
}

/* The next batch into memory, in a read transaction of its own that ends
 * before the caller sees a row: a caller that then waits (a full pipe, a
 * busy worker pool) holds no lock.  0, or FWS_EXIT_IO after a message. */
static int read_batch(reg_iter *it)
{
    int rc = SQLITE_DONE;
    it->n_rows = it->next_row = 0;
    it->text_len = 0;
    sqlite3_bind_int64(it->st, 1, it->last);
    while (it->n_rows < REG_BATCH && (rc = sqlite3_step(it->st)) == SQLITE_ROW) {
        reg_device *d = &it->scratch;
        iter_row *w = &it->rows[it->n_rows++];
        size_t n;
        read_device(it->st, d, &it->last);
        memcpy(w->id, d->id, sizeof w->id);
        memcpy(w->lot, d->lot, sizeof w->lot);
        w->type = d->type;
        memcpy(w->pub, d->pub, sizeof w->pub);
        memcpy(w->key_id, d->key_id, sizeof w->key_id);
        memcpy(w->class_id, d->class_id, sizeof w->class_id);
        w->created = d->created;
        w->state = d->state;
        n = strlen(d->class_name) + 1;
        if (it->text_len + n > it->text_cap) {
            it->text_cap = 2 * (it->text_len + n);
            it->text = xrealloc(it->text, it->text_cap);
        }
        memcpy(it->text + it->text_len, d->class_name, n);
        w->class_at = it->text_len;
        it->text_len += n;
    }
    sqlite3_reset(it->st);   /* ends the read transaction */
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return fail(it->r, rc, "reading devices");
    /* The query's LIMIT is REG_BATCH: a short batch is the last. */
    it->done = it->n_rows < REG_BATCH;
    return FWS_EXIT_OK;
}

int registry_iter_next(reg_iter *it, reg_device *d)
{
    const iter_row *w;
    int rc;
    if (it->next_row == it->n_rows) {
        if (it->done)
            return 0;
        if ((rc = read_batch(it)))
            return -rc;
        if (!it->n_rows)
            return 0;
    }
    w = &it->rows[it->next_row++];
    memset(d, 0, sizeof *d);
    memcpy(d->id, w->id, sizeof d->id);
    memcpy(d->lot, w->lot, sizeof d->lot);
    d->type = w->type;
    memcpy(d->pub, w->pub, sizeof d->pub);
    memcpy(d->key_id, w->key_id, sizeof d->key_id);
    memcpy(d->class_id, w->class_id, sizeof d->class_id);
    snprintf(d->class_name, sizeof d->class_name, "%s", it->text + w->class_at);
    d->created = w->created;
    d->state = w->state;
    return 1;
}

void registry_iter_close(reg_iter *it)
{
    if (!it)
        return;
    sqlite3_finalize(it->st);
    free(it->rows);
    free(it->text);
    free(it);
}
