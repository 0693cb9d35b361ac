/* SPDX-License-Identifier: MIT */
/*
 * pl, the payload pipeline: how the three stages of a container decision
 * (decide.c) are connected: one after another on the calling thread, or as
 * a pipeline of three threads joined by two small bounded queues, so that
 * reading, authenticating and decrypting the payload (stage 1), inflating
 * it (stage 2) and hashing and handing out the plaintext (stage 3) overlap.
 *
 * The stages speak in events (pl_event).  Stage 1 produces the payload's
 * authenticated bytes as DATA and then one DONE.  Stage 2 pulls those
 * and pushes, per component, BEGIN, the plaintext as DATA and END, and
 * last DONE, or FAIL where it gives up.  Stage 3 consumes them in order
 * and alone writes the verdict.
 *
 * Both wirings deliver the same events, with the same DATA boundaries, in
 * the same order, so no stage can tell which one runs it and the decision
 * cannot depend on it.  Reading ahead is safe: stage 1 may find a bad
 * chunk long before stage 2 gets there, but that finding is only an event
 * queued behind the data before it, and whichever error stage 3 meets
 * first in stream order decides.  When stage 3 has decided, pl_push()
 * returns nonzero upstream, and each stage stops at its next hand-over.
 *
 * Threads: stage 1 and stage 2 get a thread each, stage 3 runs on the
 * calling thread (so sink callbacks run where decide() was called and
 * need no locking).  A queue moves batches: up to PL_SLOT_EVENTS events
 * whose DATA bytes are copied into one buffer of max(PL_BATCH, max_data)
 * bytes; PL_SLOTS batches per queue.  Memory: 2 x 4 x 256 KiB plus the
 * event arrays, about 2.3 MiB whatever the input size (8 MiB for 1 MiB
 * chunks).  If a thread or the memory cannot be had, the stages run on the
 * calling thread instead: same decision, no parallelism.
 */
#ifndef FWS_PL_H
#define FWS_PL_H

#include <stddef.h>
#include <stdint.h>

#define PL_BATCH (256 * 1024)   /* DATA bytes per queued batch */
#define PL_SLOTS 4              /* batches per queue */
#define PL_SLOT_EVENTS 512      /* events per batch (inflate with a 512-byte window: 512 B each) */
#define PL_MESSAGE_LEN 600      /* longest message carried by FAIL and DONE, NUL included */

typedef enum {
    PL_DATA,    /* bytes of the stream: data, len */
    PL_BEGIN,   /* component index starts */
    PL_END,     /* component index has all its bytes: has_trailer, trailer_adler, bad_padding */
    PL_FAIL,    /* stage 2 stops here: reason, message, io_error */
    PL_DONE     /* the payload ended: reason NULL, or reason and message of its failure */
} pl_kind;

typedef struct {
    pl_kind kind;
    int index;                  /* BEGIN, END, DATA of stage 2: the component */
    const uint8_t *data;        /* DATA: valid until the receiver's next pl_pull */
    size_t len;
    int has_trailer;            /* END: zlib component, trailer_adler is its Adler-32 trailer */
    uint32_t trailer_adler;
    int bad_padding;            /* END: a non-zero stored byte after the zlib stream's end */
    int io_error;               /* FAIL: the cause was reading or writing, not the content */
    const char *reason;         /* FAIL, DONE: a static machine name */
    const char *message;        /* FAIL, DONE: valid as long as data */
} pl_event;

/* The end of a queue or a direct call, as a stage sees it. */
typedef struct pl_link pl_link;

/* The next event from upstream.  After DONE or FAIL the same event again. */
void pl_pull(pl_link *in, pl_event *e);
/* Hands an event downstream; nonzero once stage 3 has decided: stop. */
int pl_push(pl_link *out, const pl_event *e);

typedef struct {
    /* Stage 1: the next event, DATA until one DONE. */
    void (*read)(void *ctx, pl_event *e);
    void *read_ctx;
    /* Stage 2: pulls from in, pushes to out, last a FAIL or DONE unless
     * pl_push said stop. */
    void (*transform)(void *ctx, pl_link *in, pl_link *out);
    void *transform_ctx;
    /* Stage 3: takes one event; nonzero when decided (at FAIL and DONE). */
    int (*consume)(void *ctx, const pl_event *e);
    void *consume_ctx;
    size_t max_data;            /* the largest DATA event stage 1 or 2 makes */
} pl_stages;

/* Runs the stages to a decision: on the calling thread when jobs < 2,
 * else as the three-thread pipeline (more jobs add nothing: inflate is
 * one stream). */
void pl_run(const pl_stages *s, int jobs);

#endif
