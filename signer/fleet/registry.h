/* SPDX-License-Identifier: MIT */
/*
 * The device registry: an SQLite database file (no server) of production
 * lots with their quotas, and of devices: id, key (an X25519 public key,
 * or only the id of a PSK), class, lot, creation time and state (active,
 * retired, compromised).  Schema and rules in docs/FLEET.md.
 *
 * Every write is one transaction (all of it or nothing), and writes that
 * check a quota take the write lock first (BEGIN IMMEDIATE), so two
 * processes adding devices to one lot are serialised and never exceed its
 * quota together.  A locked registry is waited for up to the open's
 * wait_ms, then reported.  Every function prints its own message, naming
 * the registry file, and returns an FWS_EXIT_* status: FWS_EXIT_IO for a
 * registry that is missing, locked, corrupt, of another schema version or
 * not a registry at all; FWS_EXIT_REJECT when the registry refuses the
 * request (no such lot or device, an id or key already registered, a
 * quota exceeded).
 */
#ifndef FWS_REGISTRY_H
#define FWS_REGISTRY_H

#include <stdint.h>

#include "fws_format.h"
#include "keyfile.h"

#define REG_SCHEMA_VERSION 1
#define REG_NAME_MAX 64          /* device ids and lot names */
#define REG_CLASS_MAX 1024       /* class names, bytes */
#define REG_MAX_SHARDS 65536

typedef struct registry registry;

typedef enum { REG_ACTIVE = 0, REG_RETIRED = 1, REG_COMPROMISED = 2 } reg_state;

typedef struct {
    char id[REG_NAME_MAX + 1];
    fws_key_type type;           /* FWS_KEY_X25519 or FWS_KEY_PSK */
    uint8_t pub[32];             /* X25519 public key; zero for a PSK */
    uint8_t key_id[FWS_KEYID_LEN];
    uint8_t class_id[FWS_CLASS_LEN];
    char class_name[REG_CLASS_MAX + 1];
    char lot[REG_NAME_MAX + 1];
    int64_t created;             /* seconds since 1970, UTC */
    reg_state state;
} reg_device;

/* Which devices an iteration or a count covers; zero fields do not
 * filter. */
typedef struct {
    const char *lot;
    const uint8_t *class_id;
    int state_set;               /* filter on state */
    reg_state state;
    int x25519_only;
    uint64_t shard, shards;      /* shards > 0: the shard-th of `shards` equal row ranges */
} reg_filter;

/* 1 if name is a valid device id or lot name: 1..64 of [A-Za-z0-9._-],
 * starting with a letter or digit (safe as a file name). */
int registry_name_valid(const char *name);
const char *registry_state_name(reg_state s);
/* "active" / "retired" / "compromised"; 0 or -1. */
int registry_state_parse(const char *s, reg_state *out);

/* Opens the registry at path; with create, makes a new empty one when
 * path does not exist (built under a temporary name and linked into
 * place, so a registry is never seen half made).  wait_ms: how long a
 * locked registry is waited for. */
int registry_open(registry **out, const char *path, int create, int wait_ms);
void registry_close(registry *r);
const char *registry_path(const registry *r);

/* A write transaction: the write lock is taken now (waiting up to
 * wait_ms).  Nothing is written until registry_commit(). */
int registry_begin(registry *r);
/* The same, keeping readers out as well (BEGIN EXCLUSIVE, waiting up to
 * wait_ms for those there are): COMMIT then cannot be refused because a
 * reader holds the file (a paused `device list`, a running rewrap), only
 * by an I/O error.  For a commit that must follow other work that is hard
 * to take back (`device new` moves files first). */
int registry_begin_exclusive(registry *r);
int registry_commit(registry *r);
void registry_rollback(registry *r);

/* A new lot (its own transaction).  REJECT if it exists. */
int registry_lot_create(registry *r, const char *lot, uint64_t quota);
/* The lot's quota and the number of its devices.  REJECT (with a
 * message) if there is no such lot. */
int registry_lot_usage(registry *r, const char *lot, uint64_t *quota, uint64_t *used);
/* Inside a transaction: REJECT naming every lot whose devices now exceed
 * its quota. */
int registry_quota_check(registry *r);
/* Calls fn for every lot in name order: its name, quota, number of
 * devices and creation time.  fn returns 0 to go on. */
int registry_lot_each(registry *r,
                      int (*fn)(void *user, const char *lot, uint64_t quota, uint64_t used,
                                int64_t created),
                      void *user);

/* Inside a transaction: adds d (state active, created now).  where names
 * the source in messages ("devices.csv: line 7"); REJECT when the id or
 * the key is already registered, or the lot does not exist. */
int registry_device_add(registry *r, const reg_device *d, const char *where);
/* The device with this id; REJECT (with a message) if there is none. */
int registry_device_get(registry *r, const char *id, reg_device *d);
/* Inside a transaction: sets a device's state.  REJECT if there is no
 * such device, or for a compromised device made anything else. */
int registry_device_set_state(registry *r, const char *id, reg_state to, reg_state *from);

/* Devices matching f, in registration order, read in batches of 1024
 * rows into memory, each batch a short read transaction that is over
 * before registry_iter_next() returns its first row: a caller that waits
 * between rows (a full pipe, busy workers) never holds writers off. */
typedef struct reg_iter reg_iter;
int registry_iter_open(registry *r, const reg_filter *f, reg_iter **out);
/* 1 with *d filled, 0 at the end, or FWS_EXIT_IO negated (-3) after a
 * message. */
int registry_iter_next(reg_iter *it, reg_device *d);
void registry_iter_close(reg_iter *it);
/* Number of devices matching f. */
int registry_count(registry *r, const reg_filter *f, uint64_t *n);
/* Devices matching f but for its state and x25519_only, by key type (0
 * X25519, 1 PSK) and state, in one query of one read transaction: the
 * numbers agree with each other whatever other processes add meanwhile. */
int registry_count_states(registry *r, const reg_filter *f, uint64_t n[2][3]);

#endif
