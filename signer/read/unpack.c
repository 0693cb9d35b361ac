/* SPDX-License-Identifier: MIT */
#include "unpack.h"
#include "diag.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <string.h>

static void name_of(const fws_component *k, char name[FWS_MAX_NAME + 1])
{
    memcpy(name, k->name, k->name_len);
    name[k->name_len] = 0;
}

static int dir_begin(void *user, int index, const fws_component *k)
{
    unpack_out *u = user;
    char name[FWS_MAX_NAME + 1];
    (void)index;
    name_of(k, name);
    return outdir_create(&u->dir, name);
}

static int dir_data(void *user, int index, const uint8_t *buf, size_t len)
{
    unpack_out *u = user;
    (void)index;
    return outdir_write(&u->dir, buf, len);
}

static la_ssize_t tar_write_cb(struct archive *a, void *user, const void *buf, size_t len)
{
    unpack_out *u = user;
    (void)a;
    return atomic_write(&u->tar, buf, len) ? -1 : (la_ssize_t)len;
}

static int tar_begin(void *user, int index, const fws_component *k)
{
    unpack_out *u = user;
    struct archive_entry *e = archive_entry_new();
    char name[FWS_MAX_NAME + 1];
    int rc;
    (void)index;
    name_of(k, name);
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, (la_int64_t)k->size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, (time_t)u->c->m.timestamp, 0);
    rc = archive_write_header(u->ar, e);
    archive_entry_free(e);
    if (rc != ARCHIVE_OK)
        diag_error("tar: %s", archive_error_string(u->ar));
    return rc == ARCHIVE_OK ? 0 : -1;
}

static int tar_data(void *user, int index, const uint8_t *buf, size_t len)
{
    unpack_out *u = user;
    (void)index;
    return archive_write_data(u->ar, buf, len) == (la_ssize_t)len ? 0 : -1;
}

int unpack_open(unpack_out *u, const char *output, int force, const container *c,
                component_sink *sink)
{
    size_t olen = strlen(output);
    int rc;
    memset(u, 0, sizeof *u);
    outdir_init(&u->dir);
    atomic_init(&u->tar);
    u->output = output;
    u->c = c;
    u->tar_mode = olen > 4 && !strcmp(output + olen - 4, ".tar");
    sink->user = u;
    if (!u->tar_mode) {
        sink->begin = dir_begin;
        sink->data = dir_data;
        return outdir_open(&u->dir, output, ".fwseal-unpack");
    }
    sink->begin = tar_begin;
    sink->data = tar_data;
    if ((rc = atomic_open(&u->tar, output, 0644, force ? ATOMIC_OVERWRITE : 0)))
        return rc;
    if (!(u->ar = archive_write_new()))
        xalloc_die(0);
    archive_write_set_format_pax_restricted(u->ar);
    if (archive_write_open(u->ar, u, NULL, tar_write_cb, NULL) != ARCHIVE_OK) {
        diag_error("%s: %s", output, archive_error_string(u->ar));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int unpack_commit(unpack_out *u, int force)
{
    if (!u->tar_mode)
        return outdir_commit(&u->dir, force);
    if (archive_write_close(u->ar) != ARCHIVE_OK) {
        diag_error("%s: %s", u->output, archive_error_string(u->ar));
        return FWS_EXIT_IO;
    }
    return atomic_commit(&u->tar);
}

void unpack_close(unpack_out *u)
{
    if (u->ar)
        archive_write_free(u->ar);
    u->ar = NULL;
    atomic_abort(&u->tar);
    outdir_close(&u->dir);
}
