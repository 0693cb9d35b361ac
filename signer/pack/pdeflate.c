/* SPDX-License-Identifier: MIT */
#include "pdeflate.h"
#include "diag.h"
#include "xalloc.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* A block on its way: read into `in` behind its dictionary, compressed by
 * a worker (or inline) into `out`, written out in order, then free.  Block
 * seq lives in slot seq % nslots; slots are reused in order. */
enum { SLOT_FREE, SLOT_QUEUED, SLOT_DONE };

typedef struct {
    uint8_t *in;         /* dictionary, ending at PDEFLATE_DICT, then PDEFLATE_BLOCK bytes */
    size_t dict_len;     /* bytes of dictionary just before in + PDEFLATE_DICT */
    size_t len;          /* block bytes at in + PDEFLATE_DICT */
    int last;
    uint8_t *out;
    size_t out_cap, out_len;
    uLong adler;         /* Adler-32 of the block alone */
    int err;             /* 1: deflate failed, 2: zlib out of memory */
    int state;           /* SLOT_*; under mu when workers run */
} pdeflate_slot;

typedef struct {
    const pdeflate_params *p;
    pdeflate_slot *slots;
    uint64_t nslots;
    pthread_t *threads;
    int nthreads;
    pthread_mutex_t mu;
    pthread_cond_t work;   /* workers wait here for queued blocks */
    pthread_cond_t done;   /* the calling thread waits here for finished ones */
    uint64_t queued;       /* blocks below this sequence number are queued */
    uint64_t taken;        /* next block a worker takes */
    int stop;
} pdeflate_pool;

/* Deflates one block with a fresh deflate state.  Returns 0 or the err
 * code for the slot. */
static int compress_block(pdeflate_slot *s, int level, int wbits)
{
    z_stream z;
    int zrc, flush = s->last ? Z_FINISH : Z_SYNC_FLUSH;
    const uint8_t *data = s->in + PDEFLATE_DICT;

    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, level, Z_DEFLATED, -wbits, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return 2;
    if (s->dict_len && deflateSetDictionary(&z, data - s->dict_len, (uInt)s->dict_len) != Z_OK) {
        deflateEnd(&z);
        return 1;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)s->len;
    s->out_len = 0;
    for (;;) {
        if (s->out_cap - s->out_len < 64) {
            /* Incompressible data can exceed the first guess. */
            s->out = xrealloc(s->out, s->out_cap * 2);
            s->out_cap *= 2;
        }
        z.next_out = s->out + s->out_len;
        z.avail_out = (uInt)(s->out_cap - s->out_len);
        zrc = deflate(&z, flush);
        s->out_len = s->out_cap - z.avail_out;
        if (zrc == Z_STREAM_ERROR) {
            deflateEnd(&z);
            return 1;
        }
        if (s->last ? zrc == Z_STREAM_END : z.avail_out != 0)
            break;
    }
    deflateEnd(&z);
    s->adler = adler32(adler32(0L, Z_NULL, 0), data, (uInt)s->len);
    return 0;
}

static void *worker(void *arg)
{
    pdeflate_pool *P = arg;
    pthread_mutex_lock(&P->mu);
    for (;;) {
        pdeflate_slot *s;
        int err;
        while (!P->stop && P->taken == P->queued)
            pthread_cond_wait(&P->work, &P->mu);
        if (P->stop)
            break;
        s = &P->slots[P->taken++ % P->nslots];
        pthread_mutex_unlock(&P->mu);
        err = compress_block(s, P->p->level, P->p->wbits);
        pthread_mutex_lock(&P->mu);
        s->err = err;
        s->state = SLOT_DONE;
        pthread_cond_signal(&P->done);
    }
    pthread_mutex_unlock(&P->mu);
    return NULL;
}

static void start_workers(pdeflate_pool *P)
{
    P->threads = xcalloc((size_t)P->p->jobs, sizeof *P->threads);
    for (int i = 0; i < P->p->jobs; i++) {
        if (pthread_create(&P->threads[P->nthreads], NULL, worker, P))
            break;   /* go on with the threads we have, or inline */
        P->nthreads++;
    }
}

static void stop_workers(pdeflate_pool *P)
{
    pthread_mutex_lock(&P->mu);
    P->stop = 1;
    pthread_cond_broadcast(&P->work);
    pthread_mutex_unlock(&P->mu);
    for (int i = 0; i < P->nthreads; i++)
        pthread_join(P->threads[i], NULL);
    P->nthreads = 0;
    free(P->threads);
    P->threads = NULL;
}

static pdeflate_slot *slot_of(pdeflate_pool *P, uint64_t seq)
{
    return &P->slots[seq % P->nslots];
}

/* The slot for block seq, with its buffers allocated. */
static pdeflate_slot *slot_get(pdeflate_pool *P, uint64_t seq)
{
    pdeflate_slot *s = slot_of(P, seq);
    if (!s->in) {
        s->in = xmalloc(PDEFLATE_DICT + PDEFLATE_BLOCK);
        s->out_cap = PDEFLATE_BLOCK + (PDEFLATE_BLOCK >> 10) + 256;
        s->out = xmalloc(s->out_cap);
    }
    s->dict_len = s->len = 0;
    s->last = 0;
    s->err = 0;
    return s;
}

static void submit(pdeflate_pool *P, uint64_t seq)
{
    pdeflate_slot *s = slot_of(P, seq);
    if (!s->last && P->p->jobs > 1 && !P->threads)
        start_workers(P);
    if (!P->nthreads) {
        s->err = compress_block(s, P->p->level, P->p->wbits);
        s->state = SLOT_DONE;
        return;
    }
    pthread_mutex_lock(&P->mu);
    s->state = SLOT_QUEUED;
    P->queued = seq + 1;
    pthread_cond_signal(&P->work);
    pthread_mutex_unlock(&P->mu);
}

static int is_done(pdeflate_pool *P, uint64_t seq, int wait)
{
    pdeflate_slot *s = slot_of(P, seq);
    int done;
    if (!P->nthreads)
        return s->state == SLOT_DONE;
    pthread_mutex_lock(&P->mu);
    while (wait && s->state != SLOT_DONE)
        pthread_cond_wait(&P->done, &P->mu);
    done = s->state == SLOT_DONE;
    pthread_mutex_unlock(&P->mu);
    return done;
}

typedef struct {
    pdeflate_write_fn write_fn;
    void *write_ctx;
    uLong adler;
    uint64_t out;
} pdeflate_sink;

/* Hands block seq's output on (it is done) and frees its slot. */
static int emit(pdeflate_pool *P, uint64_t seq, pdeflate_sink *k)
{
    pdeflate_slot *s = slot_of(P, seq);
    s->state = SLOT_FREE;
    if (s->err) {
        diag_error("%s: zlib deflate failed%s", P->p->what, s->err == 2 ? ": out of memory" : "");
        return FWS_EXIT_IO;
    }
    k->adler = adler32_combine(k->adler, s->adler, (z_off_t)s->len);
    k->out += s->out_len;
    return k->write_fn(k->write_ctx, s->out, s->out_len) ? FWS_EXIT_IO : FWS_EXIT_OK;
}

/* Fills a block from the input.  Returns 0 or -1 (printed). */
static int fill(pdeflate_slot *s, pdeflate_read_fn read_fn, void *read_ctx, uint64_t *in_len)
{
    while (s->len < PDEFLATE_BLOCK) {
        long n = read_fn(read_ctx, s->in + PDEFLATE_DICT + s->len, PDEFLATE_BLOCK - s->len);
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        s->len += (size_t)n;
        *in_len += (uint64_t)n;
    }
    return 0;
}

int pdeflate(const pdeflate_params *p, pdeflate_read_fn read_fn, void *read_ctx,
             pdeflate_write_fn write_fn, void *write_ctx, uint64_t *in_len, uint64_t *out_len)
{
    pdeflate_pool P;
    pdeflate_sink k = {write_fn, write_ctx, 1, 0};
    uint64_t r = 0, w = 0, total_in = 0, i;
    size_t dict_max = (size_t)1 << p->wbits < PDEFLATE_DICT ? (size_t)1 << p->wbits : PDEFLATE_DICT;
    unsigned hdr = (unsigned)(Z_DEFLATED | (p->wbits - 8) << 4) << 8;
    uint8_t head[2], tail[4];
    pdeflate_slot *cur, *nxt;
    int rc = FWS_EXIT_IO;

    memset(&P, 0, sizeof P);
    P.p = p;
    P.nslots = p->jobs > 1 ? 2 * (uint64_t)p->jobs + 1 : 2;
    P.slots = xcalloc((size_t)P.nslots, sizeof *P.slots);
    pthread_mutex_init(&P.mu, NULL);
    pthread_cond_init(&P.work, NULL);
    pthread_cond_init(&P.done, NULL);

    /* The zlib header as zlib writes it: CINFO = wbits - 8, FLEVEL from
     * the level, no preset dictionary, FCHECK. */
    hdr |= (unsigned)(p->level < 2 ? 0 : p->level < 6 ? 1 : p->level == 6 ? 2 : 3) << 6;
    hdr += 31 - hdr % 31;
    head[0] = (uint8_t)(hdr >> 8);
    head[1] = (uint8_t)hdr;
    if (write_fn(write_ctx, head, 2))
        goto out;
    k.out = 2;

    cur = slot_get(&P, r);
    if (fill(cur, read_fn, read_ctx, &total_in))
        goto out;
    for (;;) {
        if (cur->len < PDEFLATE_BLOCK) {
            cur->last = 1;
            submit(&P, r++);
            break;
        }
        /* One block of look-ahead: a full block is the last one only if
         * nothing follows it.  Block r + 1 needs a slot: write out the
         * oldest blocks until one is free. */
        while (r + 2 - w > P.nslots) {
            is_done(&P, w, 1);
            if (emit(&P, w++, &k))
                goto out;
        }
        nxt = slot_get(&P, r + 1);
        nxt->dict_len = dict_max;
        memcpy(nxt->in + PDEFLATE_DICT - dict_max, cur->in + PDEFLATE_DICT + cur->len - dict_max,
               dict_max);
        if (fill(nxt, read_fn, read_ctx, &total_in))
            goto out;
        cur->last = nxt->len == 0;
        submit(&P, r++);
        if (cur->last)
            break;
        cur = nxt;
        while (w < r && is_done(&P, w, 0))
            if (emit(&P, w++, &k))
                goto out;
    }
    while (w < r) {
        is_done(&P, w, 1);
        if (emit(&P, w++, &k))
            goto out;
    }
    for (i = 0; i < 4; i++)
        tail[i] = (uint8_t)(k.adler >> (24 - 8 * i));
    if (write_fn(write_ctx, tail, 4))
        goto out;
    k.out += 4;
    if (in_len)
        *in_len = total_in;
    if (out_len)
        *out_len = k.out;
    rc = FWS_EXIT_OK;
out:
    stop_workers(&P);
    for (i = 0; i < P.nslots; i++) {
        free(P.slots[i].in);
        free(P.slots[i].out);
    }
    free(P.slots);
    pthread_mutex_destroy(&P.mu);
    pthread_cond_destroy(&P.work);
    pthread_cond_destroy(&P.done);
    return rc;
}

int pdeflate_default_jobs(void)
{
    long n = 0;
#ifdef CPU_COUNT
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0)
        n = CPU_COUNT(&set);
#endif
    if (n < 1)
        n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    return n > PDEFLATE_MAX_JOBS ? PDEFLATE_MAX_JOBS : (int)n;
}
