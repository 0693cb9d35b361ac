/* SPDX-License-Identifier: MIT */
#include "fleet_wrap.h"
#include "diag.h"
#include "host_capsule.h"
#include "io.h"
#include "progress.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Devices per batch handed to a worker. */
#define BATCH 1024

typedef struct {
    int n;
    struct {
        char id[REG_NAME_MAX + 1];
        uint8_t pub[32];
    } dev[BATCH];
} batch;

/* Batches go from the reader to the workers through `full`, and come
 * back through `empty`; 2 * jobs + 1 of them exist in all. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    batch **full, **empty;
    int n_full, n_empty, cap;
    int done;                      /* the reader has no more */
    int failed;                    /* stop: a worker or the reader failed */
    char error[512];               /* the first failure's message */
    int dir_fd;
    const char *dir_name;
    const uint8_t *key;            /* SECRET */
    uint64_t written;
} pool;

int fleet_capsule_block(uint8_t out[FLEET_CAPSULE_FILE_LEN], const uint8_t key[FWS_KEY_LEN],
                        const uint8_t pub[32])
{
    out[0] = 1;
    fws_entry_head_encode(out + 1, FWS_CAPSULE_X25519, FWS_CAPSULE_BODY);
    return host_capsule_wrap_x25519(out + 1 + FWS_ENTRY_HEAD_LEN, key, pub);
}

/* Stops every thread; the message of the first failure is kept (an empty
 * one when it was printed already). */
static void fail(pool *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(pool *p, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&p->lock);
    if (!p->failed) {
        va_start(ap, fmt);
        vsnprintf(p->error, sizeof p->error, fmt, ap);
        va_end(ap);
        p->failed = 1;
    }
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

/* One device: its capsule file.  0, or -1 after fail(). */
static int write_capsule(pool *p, const char *id, const uint8_t pub[32])
{
    uint8_t block[FLEET_CAPSULE_FILE_LEN];
    int fd, err;
    if (fleet_capsule_block(block, p->key, pub)) {
        fail(p, "device '%s': its key in the registry is a small-order X25519 point", id);
        return -1;
    }
    fd = openat(p->dir_fd, id, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 || io_write_all(fd, block, sizeof block) < 0 || close(fd) < 0) {
        err = errno;
        if (fd >= 0)
            close(fd);
        fail(p, "%s/%s: cannot write: %s", p->dir_name, id, strerror(err));
        return -1;
    }
    return 0;
}

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        batch *b;
        uint64_t n = 0;
        pthread_mutex_lock(&p->lock);
        while (!p->n_full && !p->done && !p->failed)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->failed || !p->n_full) {
            pthread_mutex_unlock(&p->lock);
            return NULL;
        }
        b = p->full[--p->n_full];
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
        for (int i = 0; i < b->n; i++, n++)
            if (write_capsule(p, b->dev[i].id, b->dev[i].pub))
                break;
        pthread_mutex_lock(&p->lock);
        p->written += n;
        p->empty[p->n_empty++] = b;
        pthread_cond_broadcast(&p->changed);
        pthread_mutex_unlock(&p->lock);
    }
}

/* The reader: fills empty batches from the registry and queues them.
 * registry_iter_next() holds no read transaction between calls, so the
 * wait for a free batch holds no writer off. */
static int read_devices(pool *p, reg_iter *it, progress *pr)
{
    reg_device *d = xmalloc(sizeof *d);
    batch *b = NULL;
    uint64_t shown = 0;
    int got, rc = FWS_EXIT_OK;
    for (;;) {
        if (!b) {
            pthread_mutex_lock(&p->lock);
            while (!p->n_empty && !p->failed)
                pthread_cond_wait(&p->changed, &p->lock);
            b = p->failed ? NULL : p->empty[--p->n_empty];
            progress_add(pr, p->written - shown);
            shown = p->written;
            pthread_mutex_unlock(&p->lock);
            if (!b)
                break;
            b->n = 0;
        }
        got = registry_iter_next(it, d);
        if (got < 0) {
            rc = -got;
            fail(p, "%s", "");   /* registry_iter_next() said why */
        }
        if (got > 0) {
            memcpy(b->dev[b->n].id, d->id, sizeof b->dev[b->n].id);
            memcpy(b->dev[b->n].pub, d->pub, 32);
            b->n++;
        }
        if (got <= 0 || b->n == BATCH) {
            pthread_mutex_lock(&p->lock);
            p->full[p->n_full++] = b;
            b = NULL;
            pthread_cond_broadcast(&p->changed);
            pthread_mutex_unlock(&p->lock);
        }
        if (got <= 0)
            break;
    }
    free(d);
    return rc;
}

int fleet_wrap(reg_iter *it, int dir_fd, const char *dir_name, const uint8_t key[FWS_KEY_LEN],
               int jobs, uint64_t *written)
{
    pthread_t threads[FLEET_WRAP_MAX_JOBS];
    batch *batches;
    progress pr;
    pool p;
    int n_batches, started = 0, rc, err = 0;

    /* threads[] holds FLEET_WRAP_MAX_JOBS. */
    jobs = jobs < 1 ? 1 : jobs > FLEET_WRAP_MAX_JOBS ? FLEET_WRAP_MAX_JOBS : jobs;
    n_batches = 2 * jobs + 1;

    memset(&p, 0, sizeof p);
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.changed, NULL);
    p.dir_fd = dir_fd;
    p.dir_name = dir_name;
    p.key = key;
    batches = xcalloc((size_t)n_batches, sizeof *batches);
    p.full = xcalloc((size_t)n_batches, sizeof *p.full);
    p.empty = xcalloc((size_t)n_batches, sizeof *p.empty);
    for (int i = 0; i < n_batches; i++)
        p.empty[p.n_empty++] = &batches[i];
    for (; started < jobs; started++)
        if ((err = pthread_create(&threads[started], NULL, worker, &p)) != 0)
            break;
    if (!started) {
        diag_error("cannot start a thread: %s", strerror(err));
        rc = FWS_EXIT_IO;
    } else {
        if (started < jobs)
            diag_warn("only %d of %d threads started (%s); going on with those", started, jobs,
                      strerror(err));
        progress_start_count(&pr, "rewrap", "capsules", 0, 0);
        rc = read_devices(&p, it, &pr);
        pthread_mutex_lock(&p.lock);
        p.done = 1;
        pthread_cond_broadcast(&p.changed);
        pthread_mutex_unlock(&p.lock);
        progress_end(&pr);
    }
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    if (p.failed && !rc)
        rc = FWS_EXIT_IO;
    if (p.failed && p.error[0])
        diag_error("%s", p.error);
    *written = p.written;
    free(batches);
    free(p.full);
    free(p.empty);
    pthread_cond_destroy(&p.changed);
    pthread_mutex_destroy(&p.lock);
    return rc;
}
