/* SPDX-License-Identifier: MIT */
#include "device_new.h"
#include "diag.h"
#include "host_class_id.h"
#include "outdir.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the registry keeps of a new device. */
typedef struct {
    char id[2 * FWS_KEYID_LEN + 1];
    uint8_t pub[32];
    uint8_t key_id[FWS_KEYID_LEN];
} new_device;

/* One staged file DIR/<id>/<name>. */
static int stage_file(outdir *od, const char *id, const char *name, mode_t mode,
                      const void *text, size_t len)
{
    char path[2 * FWS_KEYID_LEN + 64];
    snprintf(path, sizeof path, "%s/%s", id, name);
    return outdir_create_mode(od, path, mode) || outdir_write(od, text, len) ? FWS_EXIT_IO
                                                                            : FWS_EXIT_OK;
}

/* A fresh key pair, staged as DIR/<id>/device.key, device.pub and
 * fws_device_config.h. */
static int make_device(outdir *od, const device_new_opts *o, char *config_text, new_device *nd)
{
    char text[FWS_KEYFILE_TEXT_MAX];
    size_t len;
    fws_key k;
    int rc = FWS_EXIT_IO;
    if (fws_key_generate(FWS_KEY_X25519, &k)) {
        diag_error("cannot generate an X25519 key");
        return FWS_EXIT_IO;
    }
    fws_key_id_hex(k.id, nd->id);
    memcpy(nd->pub, k.pub, 32);
    memcpy(nd->key_id, k.id, FWS_KEYID_LEN);
    if (fws_keyfile_encode(&k, 1, NULL, NULL, 0, FWS_KDF_INTERACTIVE, text, &len) ||
        stage_file(od, nd->id, "device.key", 0600, text, len) ||
        fws_keyfile_encode(&k, 0, NULL, NULL, 0, FWS_KDF_INTERACTIVE, text, &len) ||
        stage_file(od, nd->id, "device.pub", 0644, text, len))
        goto out;
    if (o->config) {
        device_config c = *o->config;
        c.device = &k;
        c.device_id = nd->id;
        if (device_config_text(&c, config_text, DEVICE_CONFIG_TEXT_MAX, &len)) {
            diag_error("the device configuration does not fit in %d bytes",
                       DEVICE_CONFIG_TEXT_MAX);
            goto out;
        }
        if (stage_file(od, nd->id, "fws_device_config.h", 0644, config_text, len))
            goto out;
    }
    rc = outdir_finish(od) ? FWS_EXIT_IO : FWS_EXIT_OK;
out:
    sodium_memzero(text, sizeof text);
    fws_key_wipe(&k);
    return rc;
}

/* Whether count more devices fit in the lot now; again: under the write
 * lock, after an earlier look said they did. */
static int quota_allows(registry *r, const device_new_opts *o, int again)
{
    uint64_t quota, used;
    int rc = registry_lot_usage(r, o->lot, &quota, &used);
    if (rc)
        return rc;
    if (used > quota || o->count > quota - used) {
        diag_error("%s: lot '%s': quota exceeded: it has %llu of its %llu devices; %llu more "
                   "would exceed it%s; nothing added", registry_path(r), o->lot,
                   (unsigned long long)used, (unsigned long long)quota,
                   (unsigned long long)o->count,
                   again ? " (another process added devices since this one started)" : "");
        return FWS_EXIT_REJECT;
    }
    return FWS_EXIT_OK;
}

/* Under the exclusive lock: the quota again (another process may have
 * added devices since), the rows, the files into DIR, then the commit.
 * The exclusive lock keeps readers from refusing the COMMIT after the
 * files moved; a COMMIT that fails anyway (I/O) takes the files back. */
static int record(registry *r, const device_new_opts *o, outdir *od, const new_device *nd)
{
    reg_device *d = xcalloc(1, sizeof *d);
    char where[64];
    int rc;
    if ((rc = registry_begin_exclusive(r)))
        goto out;
    if ((rc = quota_allows(r, o, 1)))
        goto fail;
    snprintf(d->class_name, sizeof d->class_name, "%s", o->class_arg);
    host_class_id(o->class_arg, d->class_id);
    snprintf(d->lot, sizeof d->lot, "%s", o->lot);
    d->type = FWS_KEY_X25519;
    for (uint64_t i = 0; i < o->count; i++) {
        snprintf(d->id, sizeof d->id, "%s", nd[i].id);
        memcpy(d->pub, nd[i].pub, 32);
        memcpy(d->key_id, nd[i].key_id, FWS_KEYID_LEN);
        snprintf(where, sizeof where, "new device %llu", (unsigned long long)i + 1);
        if ((rc = registry_device_add(r, d, where)))
            goto fail;
    }
    if ((rc = registry_quota_check(r)) || (rc = outdir_commit_undoable(od, 0)))
        goto fail;
    if ((rc = registry_commit(r))) {
        outdir_undo(od);
        diag_error("%s: no device added; %s is as it was", registry_path(r), o->out_dir);
    }
    goto out;
fail:
    registry_rollback(r);
out:
    free(d);
    return rc;
}

int device_new(registry *r, const device_new_opts *o)
{
    new_device *nd = NULL;
    char *config_text = NULL;
    outdir od;
    int rc;
    outdir_init(&od);
    if ((rc = quota_allows(r, o, 0)) || (rc = outdir_open(&od, o->out_dir, ".fwseal-devices")))
        goto out;
    nd = xcalloc(o->count, sizeof *nd);
    config_text = xmalloc(DEVICE_CONFIG_TEXT_MAX);
    for (uint64_t i = 0; i < o->count; i++)
        if ((rc = make_device(&od, o, config_text, &nd[i])))
            goto out;
    if ((rc = record(r, o, &od, nd)))
        goto out;
    for (uint64_t i = 0; i < o->count; i++)
        printf("%s\n", nd[i].id);
    diag_note("%s: %llu device%s added to lot '%s'; their keys are in %s (NOT passphrase-"
              "protected: program them, then destroy them)", registry_path(r),
              (unsigned long long)o->count, o->count == 1 ? "" : "s", o->lot, o->out_dir);
out:
    outdir_close(&od);
    free(nd);
    free(config_text);
    return rc;
}
