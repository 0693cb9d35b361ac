/* SPDX-License-Identifier: MIT */
/*
 * The two wirings of pl.h: direct calls on the
 * calling thread, and threads joined by bounded single-producer
 * single-consumer queues of event batches.
 */
#include "pl.h"
#include "reason.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Events with their DATA bytes copied in, handed over as one unit so that
 * the lock is taken once per batch, not once per chunk. */
typedef struct {
    pl_event ev[PL_SLOT_EVENTS];
    int n_ev;
    uint8_t *data;
    size_t used;
    char message[PL_MESSAGE_LEN];   /* of the batch's FAIL or DONE: one per stream */
} pl_batch;

/* A ring of PL_SLOTS batches.  The producer fills slot[tail] and publishes
 * it; the consumer reads slot[head] and releases it.  queued counts the
 * published batches not yet released, the one being read included, so a
 * batch is never filled while it is read. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t not_full, not_empty;
    pl_batch slot[PL_SLOTS];
    size_t cap;                     /* DATA bytes per batch */
    int queued;
    int consumer_gone;              /* the consumer will read no more: producer, stop */
    int producer_gone;              /* nothing more will be published */
    int tail, filling;              /* producer's own */
    int head, reading, next_ev;     /* consumer's own */
} pl_queue;

struct pl_link {
    pl_queue *q;                    /* NULL: direct calls */
    void (*read)(void *ctx, pl_event *e);
    int (*consume)(void *ctx, const pl_event *e);
    void *ctx;
    int ended;                      /* pull: FAIL or DONE came; push: stage 3 decided */
    pl_event last;                  /* pull: that FAIL or DONE */
};

/* What stage 3 gets if stage 2 returned without a last word (a bug): a
 * rejection rather than a hang or an acceptance. */
static const pl_event stopped_early = {
    .kind = PL_DONE, .reason = REASON_IO,
    .message = "internal error: the payload pipeline stopped before the end"};

static int is_last(pl_kind k)
{
    return k == PL_FAIL || k == PL_DONE;
}

static int q_init(pl_queue *q, size_t cap)
{
    int ok = 1;
    memset(q, 0, sizeof *q);
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_full, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    q->cap = cap;
    for (int i = 0; i < PL_SLOTS; i++)
        ok &= (q->slot[i].data = malloc(cap)) != NULL;
    return ok ? 0 : -1;
}

static void q_free(pl_queue *q)
{
    for (int i = 0; i < PL_SLOTS; i++)
        free(q->slot[i].data);
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_full);
    pthread_cond_destroy(&q->not_empty);
}

/* Producer: hands over slot[tail] if being filled.  Nonzero: consumer gone. */
static int q_publish(pl_queue *q)
{
    int gone;
    pthread_mutex_lock(&q->mu);
    if (q->filling) {
        q->tail = (q->tail + 1) % PL_SLOTS;
        q->queued++;
        q->filling = 0;
        pthread_cond_signal(&q->not_empty);
    }
    gone = q->consumer_gone;
    pthread_mutex_unlock(&q->mu);
    return gone;
}

/* Producer: waits for a free batch to fill.  Nonzero: consumer gone. */
static int q_open(pl_queue *q)
{
    int gone;
    pthread_mutex_lock(&q->mu);
    while (q->queued == PL_SLOTS && !q->consumer_gone)
        pthread_cond_wait(&q->not_full, &q->mu);
    gone = q->consumer_gone;
    pthread_mutex_unlock(&q->mu);
    if (!gone) {
        q->slot[q->tail].n_ev = 0;
        q->slot[q->tail].used = 0;
        q->filling = 1;
    }
    return gone;
}

static int q_push(pl_queue *q, const pl_event *e)
{
    size_t len = e->kind == PL_DATA ? e->len : 0;
    pl_batch *b = &q->slot[q->tail];
    pl_event *d;
    if (len > q->cap)
        abort();   /* a stage broke its max_data promise */
    if (q->filling && (b->n_ev == PL_SLOT_EVENTS || len > q->cap - b->used) && q_publish(q))
        return 1;
    if (!q->filling && q_open(q))
        return 1;
    b = &q->slot[q->tail];
    d = &b->ev[b->n_ev++];
    *d = *e;
    if (e->kind == PL_DATA) {
        memcpy(b->data + b->used, e->data, len);
        d->data = b->data + b->used;
        b->used += len;
    }
    if (!is_last(e->kind))
        return 0;
    if (e->message) {
        snprintf(b->message, sizeof b->message, "%s", e->message);
        d->message = b->message;
    }
    return q_publish(q);
}

/* Consumer: the next event; its data stays put until the next call. */
static void q_pull(pl_queue *q, pl_event *e)
{
    int have;
    if (q->reading && q->next_ev == q->slot[q->head].n_ev) {
        pthread_mutex_lock(&q->mu);
        q->head = (q->head + 1) % PL_SLOTS;
        q->queued--;
        q->reading = 0;
        pthread_cond_signal(&q->not_full);
        pthread_mutex_unlock(&q->mu);
    }
    if (!q->reading) {
        pthread_mutex_lock(&q->mu);
        while (!q->queued && !q->producer_gone)
            pthread_cond_wait(&q->not_empty, &q->mu);
        have = q->queued > 0;
        pthread_mutex_unlock(&q->mu);
        if (!have) {
            *e = stopped_early;
            return;
        }
        q->reading = 1;
        q->next_ev = 0;
    }
    *e = q->slot[q->head].ev[q->next_ev++];
}

static void q_close(pl_queue *q, int consumer)
{
    pthread_mutex_lock(&q->mu);
    if (consumer) {
        q->consumer_gone = 1;
        pthread_cond_broadcast(&q->not_full);
    } else {
        q->producer_gone = 1;
        pthread_cond_broadcast(&q->not_empty);
    }
    pthread_mutex_unlock(&q->mu);
}

void pl_pull(pl_link *in, pl_event *e)
{
    if (in->ended) {
        *e = in->last;
        return;
    }
    if (in->q)
        q_pull(in->q, e);
    else
        in->read(in->ctx, e);
    if (is_last(e->kind)) {
        in->ended = 1;
        in->last = *e;
    }
}

int pl_push(pl_link *out, const pl_event *e)
{
    if (!out->ended)
        out->ended = (out->q ? q_push(out->q, e) : out->consume(out->ctx, e)) != 0;
    return out->ended;
}

static void run_direct(const pl_stages *s)
{
    pl_link in = {.read = s->read, .ctx = s->read_ctx};
    pl_link out = {.consume = s->consume, .ctx = s->consume_ctx};
    s->transform(s->transform_ctx, &in, &out);
    if (!out.ended)
        s->consume(s->consume_ctx, &stopped_early);
}

typedef struct {
    const pl_stages *s;
    pl_queue q1, q2;                /* stage 1 -> 2, stage 2 -> 3 */
    /* The threads start work only once both exist, so that a failed
     * pthread_create leaves nothing read and the direct run can take over. */
    pthread_mutex_t gate_mu;
    pthread_cond_t gate_cv;
    int gate;                       /* 0 wait, 1 go, -1 give up */
} pl_pipeline;

static int gate_wait(pl_pipeline *p)
{
    int g;
    pthread_mutex_lock(&p->gate_mu);
    while (!p->gate)
        pthread_cond_wait(&p->gate_cv, &p->gate_mu);
    g = p->gate;
    pthread_mutex_unlock(&p->gate_mu);
    return g > 0;
}

static void gate_open(pl_pipeline *p, int g)
{
    pthread_mutex_lock(&p->gate_mu);
    p->gate = g;
    pthread_cond_broadcast(&p->gate_cv);
    pthread_mutex_unlock(&p->gate_mu);
}

static void *stage1_thread(void *arg)
{
    pl_pipeline *p = arg;
    pl_event e;
    if (gate_wait(p))
        do
            p->s->read(p->s->read_ctx, &e);
        while (!q_push(&p->q1, &e) && !is_last(e.kind));
    return NULL;
}

static void *stage2_thread(void *arg)
{
    pl_pipeline *p = arg;
    pl_link in = {.q = &p->q1}, out = {.q = &p->q2};
    if (gate_wait(p))
        p->s->transform(p->s->transform_ctx, &in, &out);
    q_close(&p->q1, 1);   /* stage 1 stops at its next hand-over */
    q_close(&p->q2, 0);
    return NULL;
}

void pl_run(const pl_stages *s, int jobs)
{
    size_t cap = s->max_data > PL_BATCH ? s->max_data : PL_BATCH;
    pl_pipeline *p = jobs >= 2 ? calloc(1, sizeof *p) : NULL;
    pthread_t t1, t2;
    int ready, ran = 0;

    if (!p) {
        run_direct(s);
        return;
    }
    p->s = s;
    pthread_mutex_init(&p->gate_mu, NULL);
    pthread_cond_init(&p->gate_cv, NULL);
    ready = q_init(&p->q1, cap) == 0;
    ready &= q_init(&p->q2, cap) == 0;   /* both initialised either way, for q_free */
    if (ready && pthread_create(&t2, NULL, stage2_thread, p) == 0) {
        if (pthread_create(&t1, NULL, stage1_thread, p) == 0) {
            pl_link in = {.q = &p->q2};
            pl_event e;
            gate_open(p, 1);
            do
                pl_pull(&in, &e);
            while (!s->consume(s->consume_ctx, &e) && !is_last(e.kind));
            q_close(&p->q2, 1);   /* decided: stage 2, then stage 1, stop */
            pthread_join(t1, NULL);
            ran = 1;
        } else {
            gate_open(p, -1);
        }
        pthread_join(t2, NULL);
    }
    q_free(&p->q1);
    q_free(&p->q2);
    pthread_mutex_destroy(&p->gate_mu);
    pthread_cond_destroy(&p->gate_cv);
    free(p);
    if (!ran)
        run_direct(s);
}
