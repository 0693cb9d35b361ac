/* SPDX-License-Identifier: MIT */
#include "pack.h"
#include "compress.h"
#include "container_writer.h"
#include "diag.h"
#include "host_digest.h"
#include "spool.h"
#include "xalloc.h"

#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    char name[FWS_MAX_NAME + 1];
    compress_result res;
    int has_address;
    uint64_t address;
} comp_info;

typedef struct {
    const pack_job *job;
    compress_opts opts;
    spool payload;
    comp_info comps[FWS_MAX_COMPONENTS];
    int n;
} pack_state;

/* Each component the input readers find: names do not clash (SPEC.md
 * 3.3), at most FWS_MAX_COMPONENTS; its bytes go into the payload at once. */
static int on_component(void *user, fws_component_src *src)
{
    pack_state *ps = user;
    comp_info *c;
    int rc;
    for (int i = 0; i < ps->n; i++)
        if (fws_component_names_clash((const uint8_t *)ps->comps[i].name,
                                      strlen(ps->comps[i].name), (const uint8_t *)src->name,
                                      strlen(src->name))) {
            diag_error("component name '%s' (from %s) clashes with '%s': names must differ in "
                       "more than letter case, and a name cannot be the directory of another",
                       src->name, src->origin, ps->comps[i].name);
            return FWS_EXIT_USAGE;
        }
    if (ps->n == FWS_MAX_COMPONENTS) {
        diag_error("%s: too many components: the maximum is %d", src->origin, FWS_MAX_COMPONENTS);
        return FWS_EXIT_USAGE;
    }
    c = &ps->comps[ps->n];
    snprintf(c->name, sizeof c->name, "%s", src->name);
    c->has_address = src->has_address;
    c->address = src->address;
    if ((rc = compress_component(src, &ps->opts, (uint8_t)ps->n, &ps->payload, &c->res)))
        return rc;
    ps->n++;
    return FWS_EXIT_OK;
}

/* The spool goes beside the output (same filesystem, same space), or to
 * $TMPDIR for standard output. */
static char *spool_dir_for(const char *output)
{
    char *copy, *dir;
    if (!strcmp(output, "-"))
        return xstrdup(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    copy = xstrdup(output);
    dir = xstrdup(dirname(copy));
    free(copy);
    return dir;
}

static void describe_components(const pack_state *ps, fws_manifest *m)
{
    const pack_job *job = ps->job;
    m->n_components = (uint8_t)ps->n;
    for (int i = 0; i < ps->n; i++) {
        fws_component *c = &m->comp[i];
        c->name = (const uint8_t *)ps->comps[i].name;
        c->name_len = (uint8_t)strlen(ps->comps[i].name);
        c->size = ps->comps[i].res.size;
        c->stored_size = ps->comps[i].res.stored_size;
        c->digest = ps->comps[i].res.digest;
        c->method = job->level ? FWS_COMP_ZLIB : FWS_COMP_NONE;
        c->wbits = job->level ? (uint8_t)job->wbits : 0;
        c->has_address = ps->comps[i].has_address;
        c->address = ps->comps[i].address;
    }
}

/* Bytes written so far to f: its size, or 0 on standard output. */
static uint64_t written(const atomic_file *f)
{
    off_t n = lseek(atomic_fd(f), 0, SEEK_CUR);
    return n > 0 && atomic_fd(f) != STDOUT_FILENO ? (uint64_t)n : 0;
}

int pack_container(const pack_job *job, fws_manifest *m, pack_result *res)
{
    pack_state *ps = xcalloc(1, sizeof *ps);
    container_keys keys = {job->signers,    job->certs,          job->n_signers,
                           job->recipients, job->n_recipients, NULL};
    uint8_t content_key[FWS_KEY_LEN], digest_key[FWS_KEY_LEN];
    char *spool_dir;
    atomic_file out, scratch;
    int rc, i, flash = job->flash.format != FLASH_FORMAT_FWS;

    ps->job = job;
    ps->opts = (compress_opts){job->level, job->wbits, job->jobs, NULL, job->pad_to, job->quiet};
    spool_init(&ps->payload);
    atomic_init(&scratch);
    if ((rc = atomic_open(&out, job->output, 0644, job->force ? ATOMIC_OVERWRITE : 0))) {
        free(ps);
        return rc;
    }
    if (job->n_recipients) {
        randombytes_buf(content_key, sizeof content_key);
        keys.content_key = content_key;
        host_digest_key(digest_key, content_key);
        ps->opts.digest_key = digest_key;
    }
    spool_dir = spool_dir_for(job->output);
    rc = spool_open(&ps->payload, spool_dir, keys.content_key, m->chunk_size);
    if (!rc && flash)
        rc = atomic_open_scratch(&scratch, spool_dir);
    for (i = 0; !rc && i < job->n_inputs; i++)
        rc = fws_input_visit(job->inputs[i], &job->in_opts, on_component, ps);
    if (!rc) {
        describe_components(ps, m);
        memset(res, 0, sizeof *res);
        rc = container_write(flash ? &scratch : &out, m, &keys, &ps->payload, res->tbs_hash);
    }
    if (!rc) {
        res->container_len = written(flash ? &scratch : &out);
        if (flash)
            rc = flash_output_write(&out, atomic_fd(&scratch), res->container_len, &job->flash);
        res->output_len = written(&out);
    }
    if (!rc && job->before_commit)
        rc = job->before_commit(job->before_commit_user, m, res->tbs_hash);
    if (!rc)
        rc = atomic_commit(&out);
    else
        atomic_abort(&out);
    atomic_abort(&scratch);
    if (!rc) {
        res->n_components = ps->n;
        res->payload_len = spool_len(&ps->payload);
        for (i = 0; i < ps->n; i++) {
            pack_component *c = &res->comp[i];
            memcpy(c->name, ps->comps[i].name, sizeof c->name);
            c->size = ps->comps[i].res.size;
            c->stored_size = ps->comps[i].res.stored_size;
            c->has_address = ps->comps[i].has_address;
            c->address = ps->comps[i].address;
        }
    }
    spool_close(&ps->payload);
    sodium_memzero(content_key, sizeof content_key);
    sodium_memzero(digest_key, sizeof digest_key);
    free(spool_dir);
    free(ps);
    return rc;
}
