/* SPDX-License-Identifier: MIT */
#include "rewrap.h"
#include "atomic_file.h"
#include "diag.h"
#include "fleet_wrap.h"
#include "host_capsule.h"
#include "host_sha256.h"
#include "io.h"
#include "outdir.h"
#include "reason.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Header, manifest and a full signature block. */
#define HEAD_MAX                                 \
    (FWS_HEADER_LEN + FWS_MAX_MANIFEST + 1 +     \
     FWS_MAX_SIGNATURES * (FWS_ENTRY_HEAD_LEN + FWS_MAX_ENTRY_BODY))
#define CAPSULE_BLOCK_MAX (1 + FWS_MAX_CAPSULES * (FWS_ENTRY_HEAD_LEN + FWS_MAX_ENTRY_BODY))

struct rewrap {
    char *path;
    fws_key dist;                  /* SECRET */
    uint8_t key[FWS_KEY_LEN];      /* K, SECRET */
    uint8_t head_hash[FWS_HASH_LEN];
    uint8_t class_id[FWS_CLASS_LEN];
};

/* A block's entries as stored after count: type | body_len | body. */
static size_t put_entries(uint8_t *out, const block_entry *e, int n)
{
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        fws_entry_head_encode(out + len, e[i].type, e[i].len);
        memcpy(out + len + FWS_ENTRY_HEAD_LEN, e[i].body, e[i].len);
        len += FWS_ENTRY_HEAD_LEN + e[i].len;
    }
    return len;
}

/* header || manifest || signature block, as the file has them (the block
 * decoder takes only the one encoding of each entry). */
static size_t head_bytes(const container *c, uint8_t *out)
{
    memcpy(out, c->signed_region, c->signed_len);
    out[c->signed_len] = c->n_sigs;
    return c->signed_len + 1 + put_entries(out + c->signed_len + 1, c->sigs, c->n_sigs);
}

/* SHA-256 of the head bytes: what the copy pass compares with the check. */
static void hash_head(const uint8_t *head, size_t len, uint8_t out[FWS_HASH_LEN])
{
    host_sha256 st;
    host_sha256_init(&st);
    host_sha256_update(&st, head, len);
    host_sha256_final(&st, out);
}

static void head_hash(const container *c, uint8_t out[FWS_HASH_LEN])
{
    uint8_t *head = xmalloc(HEAD_MAX);
    hash_head(head, head_bytes(c, head), out);
    free(head);
}

static int is_dist_capsule(const fws_key *dist, const block_entry *e)
{
    uint8_t type = dist->type == FWS_KEY_PSK ? FWS_CAPSULE_PSK : FWS_CAPSULE_X25519;
    return e->type == type && e->len == FWS_CAPSULE_BODY &&
           !memcmp(e->body, dist->id, FWS_KEYID_LEN);
}

/* K from the distribution key's capsule, checked against the signed
 * commitment. */
static int recover_key(rewrap *rw, const container *c)
{
    uint8_t commitment[FWS_HASH_LEN];
    char idhex[2 * FWS_KEYID_LEN + 1];
    int seen = 0;
    for (int i = 0; i < c->n_caps; i++) {
        const block_entry *e = &c->caps[i];
        if (!is_dist_capsule(&rw->dist, e))
            continue;
        seen = 1;
        if (rw->dist.type == FWS_KEY_PSK)
            host_capsule_unwrap_psk(rw->key, e->body, rw->dist.secret);
        else if (host_capsule_unwrap_x25519(rw->key, e->body, rw->dist.secret, rw->dist.pub))
            continue;
        host_key_commitment(commitment, rw->key);
        if (sodium_memcmp(commitment, c->m.key_commitment, FWS_HASH_LEN) == 0)
            return FWS_EXIT_OK;
    }
    sodium_memzero(rw->key, sizeof rw->key);
    fws_key_id_hex(rw->dist.id, idhex);
    if (!seen)
        diag_error("%s: no capsule for the distribution key %s (%s): it is not a recipient of "
                   "this container", rw->path, idhex, fws_key_type_name(rw->dist.type));
    else
        diag_error("%s: the capsule for the distribution key %s does not yield the key the "
                   "manifest commits to (a damaged or transplanted capsule)", rw->path, idhex);
    return FWS_EXIT_REJECT;
}

/* The first read: structure, encryption, K. */
static int check_structure(rewrap *rw)
{
    container *c = xmalloc(sizeof *c);
    int rc = container_open(c, rw->path);
    if (rc) {
        free(c);
        return rc;
    }
    if (container_parse(c)) {
        diag_error("%s: %s", rw->path, c->err);
        rc = !strcmp(c->reason, REASON_IO) ? FWS_EXIT_IO : FWS_EXIT_REJECT;
    } else if (!c->m.encrypted) {
        diag_error("%s: not encrypted: there is no content key to re-wrap (pack it with "
                   "--encrypt-to the distribution key)", rw->path);
        rc = FWS_EXIT_REJECT;
    } else if (!(rc = recover_key(rw, c))) {
        head_hash(c, rw->head_hash);
        memcpy(rw->class_id, c->m.class_id, FWS_CLASS_LEN);
    }
    container_close(c);
    free(c);
    return rc;
}

/* The second read, with a policy: the decision `fwseal verify` takes. */
static int check_decision(rewrap *rw, const policy *verify)
{
    container *c = xmalloc(sizeof *c);
    uint8_t hash[FWS_HASH_LEN];
    policy p = *verify;
    verdict v;
    int rc = container_open(c, rw->path);
    if (rc) {
        free(c);
        return rc;
    }
    p.device_key = &rw->dist;
    decide(c, &p, NULL, &v);
    if (!v.accepted) {
        diag_error("%s: rejected: %s; refusing to re-wrap a container that does not verify",
                   rw->path, v.message);
        rc = v.io_error ? FWS_EXIT_IO : FWS_EXIT_REJECT;
    } else {
        head_hash(c, hash);
        if (memcmp(hash, rw->head_hash, sizeof hash)) {
            diag_error("%s: changed while being read", rw->path);
            rc = FWS_EXIT_IO;
        }
    }
    container_close(c);
    free(c);
    return rc;
}

int rewrap_open(rewrap **out, const char *in_path, const fws_key *dist, const policy *verify)
{
    rewrap *rw = xcalloc(1, sizeof *rw);
    int rc;
    rw->path = xstrdup(in_path);
    rw->dist = *dist;
    if (!(rc = check_structure(rw)) && verify)
        rc = check_decision(rw, verify);
    if (rc) {
        rewrap_close(rw);
        return rc;
    }
    *out = rw;
    return FWS_EXIT_OK;
}

const uint8_t *rewrap_class_id(const rewrap *rw)
{
    return rw->class_id;
}

void rewrap_close(rewrap *rw)
{
    if (!rw)
        return;
    free(rw->path);
    sodium_memzero(rw, sizeof *rw);
    free(rw);
}

/* ---- the copy pass ---- */

/* Opens the container again, parsed up to the payload; its head (into
 * head, *head_len) must be the one checked. */
static int open_copy(rewrap *rw, container *c, uint8_t *head, size_t *head_len)
{
    uint8_t hash[FWS_HASH_LEN];
    int rc = container_open(c, rw->path);
    if (rc)
        return rc;
    if (container_parse(c)) {
        diag_error("%s: changed while being read: %s", rw->path, c->err);
        return FWS_EXIT_IO;
    }
    *head_len = head_bytes(c, head);
    hash_head(head, *head_len, hash);
    if (memcmp(hash, rw->head_hash, sizeof hash)) {
        diag_error("%s: changed while being read", rw->path);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

typedef int (*copy_fn)(void *user, const uint8_t *buf, size_t len);

/* The payload as stored, each chunk checked against the chain. */
static int copy_payload(rewrap *rw, container *c, copy_fn write, void *user, uint64_t *len)
{
    const uint8_t *stored;
    size_t n;
    int got, rc;
    *len = 0;
    while ((got = container_next_stored_chunk(c, &stored, &n)) == 1) {
        if ((rc = write(user, stored, n)))
            return rc;
        *len += n;
    }
    if (got < 0) {
        diag_error("%s: rejected: %s; nothing written", rw->path, c->err);
        return !strcmp(c->reason, REASON_IO) ? FWS_EXIT_IO : FWS_EXIT_REJECT;
    }
    return FWS_EXIT_OK;
}

static int write_atomic(void *user, const uint8_t *buf, size_t len)
{
    return atomic_write(user, buf, len);
}

/* The new capsule block: the original capsules (without the distribution
 * key's unless keep_dist), then one per new recipient. */
static int capsule_block(rewrap *rw, const container *c, const fws_key *rcpt,
                         const char *const *names, int n, int keep_dist, uint8_t *out,
                         size_t *len)
{
    block_entry *e = xmalloc(FWS_MAX_CAPSULES * sizeof *e);
    char idhex[2 * FWS_KEYID_LEN + 1];
    int count = 0, rc = FWS_EXIT_OK;
    for (int i = 0; i < c->n_caps; i++)
        if (keep_dist || !is_dist_capsule(&rw->dist, &c->caps[i]))
            e[count++] = c->caps[i];
    for (int i = 0; i < n && !rc; i++) {
        uint8_t type = rcpt[i].type == FWS_KEY_PSK ? FWS_CAPSULE_PSK : FWS_CAPSULE_X25519;
        int have = 0;
        fws_key_id_hex(rcpt[i].id, idhex);
        for (int j = 0; j < count; j++)
            have |= e[j].type == type && !memcmp(e[j].body, rcpt[i].id, FWS_KEYID_LEN);
        if (have) {
            diag_note("%s: recipient %s already has a capsule: kept as it is", rw->path, idhex);
            continue;
        }
        if (count == FWS_MAX_CAPSULES) {
            diag_error("%s: more than %d capsules: a container holds at most %d (for a fleet, "
                       "--registry and --out-dir give each device its own)", rw->path,
                       FWS_MAX_CAPSULES, FWS_MAX_CAPSULES);
            rc = FWS_EXIT_REJECT;
            break;
        }
        e[count].type = type;
        e[count].len = FWS_CAPSULE_BODY;
        if (type == FWS_CAPSULE_PSK) {
            host_capsule_wrap_psk(e[count].body, rw->key, rcpt[i].secret, rcpt[i].id);
        } else if (host_capsule_wrap_x25519(e[count].body, rw->key, rcpt[i].pub)) {
            /* The key file loader refuses such keys already: a bad file. */
            diag_error("%s: recipient %s is a small-order X25519 point, not a usable public "
                       "key; refusing to encrypt to it", names[i], idhex);
            rc = FWS_EXIT_IO;
            break;
        }
        count++;
    }
    if (!rc && !count) {
        diag_error("%s: no capsule would be left (the distribution key's was the only one)",
                   rw->path);
        rc = FWS_EXIT_USAGE;
    }
    if (!rc) {
        out[0] = (uint8_t)count;
        *len = 1 + put_entries(out + 1, e, count);
    }
    sodium_memzero(e, FWS_MAX_CAPSULES * sizeof *e);
    free(e);
    return rc;
}

int rewrap_write_container(rewrap *rw, const fws_key *recipients, const char *const *names,
                           int n, int keep_dist, const char *out_path, int force)
{
    container *c = xcalloc(1, sizeof *c);
    uint8_t *head = xmalloc(HEAD_MAX), *caps = xmalloc(CAPSULE_BLOCK_MAX);
    size_t head_len, caps_len;
    uint64_t payload_len;
    atomic_file af;
    int rc;
    atomic_init(&af);
    if ((rc = open_copy(rw, c, head, &head_len)) ||
        (rc = capsule_block(rw, c, recipients, names, n, keep_dist, caps, &caps_len)) ||
        (rc = atomic_open(&af, out_path, 0644, force ? ATOMIC_OVERWRITE : 0)) ||
        (rc = atomic_write(&af, head, head_len)) || (rc = atomic_write(&af, caps, caps_len)) ||
        (rc = copy_payload(rw, c, write_atomic, &af, &payload_len)) || (rc = atomic_commit(&af)))
        atomic_abort(&af);
    container_close(c);
    free(c);
    free(head);
    free(caps);
    return rc;
}

/* ---- the fleet directory ---- */

typedef struct {
    int fd;
    const char *name;
} out_file;

static int write_fd(void *user, const uint8_t *buf, size_t len)
{
    out_file *f = user;
    if (io_write_all(f->fd, buf, len) < 0) {
        diag_error("%s: write failed: %s", f->name, strerror(errno));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* Closes f; a close that fails (a delayed write error) fails the file. */
static int close_out(out_file *f)
{
    int rc = close(f->fd);
    f->fd = -1;
    if (rc < 0) {
        diag_error("%s: %s", f->name, strerror(errno));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* NAME created in the staged tree of DIR; f->fd open on it. */
static int create_in(const outdir *od, const char *dir, const char *name, out_file *f,
                     char **path)
{
    *path = xasprintf("%s/%s", dir, name);
    f->name = *path;
    f->fd = openat(outdir_tree_fd(od), name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                   0644);
    if (f->fd < 0) {
        diag_error("%s: cannot create: %s", *path, strerror(errno));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* head and payload: the shared files. */
static int write_shared(rewrap *rw, const outdir *od, const char *dir, rewrap_fleet_result *res)
{
    container *c = xcalloc(1, sizeof *c);
    uint8_t *head = xmalloc(HEAD_MAX);
    size_t head_len;
    out_file f = {-1, NULL};
    char *path = NULL;
    int rc;
    if (!(rc = open_copy(rw, c, head, &head_len)) &&
        !(rc = create_in(od, dir, "head", &f, &path)) && !(rc = write_fd(&f, head, head_len)) &&
        !(rc = close_out(&f))) {
        res->head_len = head_len;
        free(path);
        path = NULL;
        if (!(rc = create_in(od, dir, "payload", &f, &path)))
            rc = copy_payload(rw, c, write_fd, &f, &res->payload_len);
    }
    if (f.fd >= 0 && rc)
        close(f.fd);   /* failed already: said why */
    else if (f.fd >= 0)
        rc = close_out(&f);
    free(path);
    container_close(c);
    free(c);
    free(head);
    return rc;
}

int rewrap_write_fleet(rewrap *rw, registry *r, const reg_filter *f, const char *out_dir,
                       int jobs, rewrap_fleet_result *res)
{
    reg_iter *it = NULL;
    char *caps_name = NULL;
    int caps_fd = -1, rc;
    outdir od;
    memset(res, 0, sizeof *res);
    outdir_init(&od);
    if ((rc = outdir_open_new(&od, out_dir, ".fwseal-rewrap")) ||
        (rc = write_shared(rw, &od, out_dir, res)))
        goto out;
    caps_name = xasprintf("%s/capsules", out_dir);
    if (mkdirat(outdir_tree_fd(&od), "capsules", 0755) < 0 ||
        (caps_fd = openat(outdir_tree_fd(&od), "capsules",
                          O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
        diag_error("%s: cannot create: %s", caps_name, strerror(errno));
        rc = FWS_EXIT_IO;
        goto out;
    }
    if ((rc = registry_iter_open(r, f, &it)) ||
        (rc = fleet_wrap(it, caps_fd, caps_name, rw->key, jobs, &res->capsules)))
        goto out;
    rc = outdir_commit(&od, 0);
out:
    registry_iter_close(it);
    if (caps_fd >= 0)
        close(caps_fd);
    free(caps_name);
    outdir_close(&od);
    return rc;
}
