/* SPDX-License-Identifier: MIT */
/*
 * One zlib stream (RFC 1950) compressed on several threads, as pigz does,
 * so that the device's single inflate reads it unchanged.
 *
 * The input is cut into PDEFLATE_BLOCK-byte blocks.  Each block is deflated
 * on its own (raw deflate, the stream's level and window bits), primed
 * with the min(32 KiB, 2^wbits) input bytes before it as a preset
 * dictionary (deflateSetDictionary), and ended with Z_SYNC_FLUSH, which
 * byte-aligns it behind an empty stored block; the last block ends with
 * Z_FINISH.  The blocks' outputs are concatenated behind one zlib header,
 * and the Adler-32 of the whole input, combined from the blocks'
 * (adler32_combine), closes the stream.
 *
 * Why one inflate reads it: a block may refer back only into its
 * dictionary, which is exactly the input the decoder has just produced,
 * and never farther than the window (deflate with 2^wbits bytes of window
 * emits no distance beyond it); the sync flushes are ordinary empty stored
 * blocks.  The header's CINFO is wbits - 8, as zlib's own.
 *
 * Reproducible: block boundaries, dictionaries and each block's deflate
 * state depend only on the input (each block gets a fresh deflate state,
 * never one reused from another block, whose stale window bytes could
 * tilt a match choice), so the output is byte-identical whatever the
 * number of jobs.  Size: within about 0.1 % of a single deflate stream at
 * the same level (the flush markers and the restarted Huffman blocks).
 *
 * Threads: the caller's thread reads the input (read_fn) and hands out
 * the output in order (write_fn): both callbacks run only on the calling
 * thread, so they may hash, encrypt and write without locks while up to
 * `jobs` worker threads compress.  jobs == 1 runs no thread at all, and
 * neither does an input of one block.
 *
 * Memory: (2 * jobs + 1) slots of about 290 KiB (a block, its dictionary,
 * its output) plus one deflate state (about 270 KiB at window bits 15)
 * per job, whatever the input size: 1.4 MiB at 2 jobs, 28 MiB at
 * PDEFLATE_MAX_JOBS.  Slots are allocated as they are first needed.
 */
#ifndef FWS_PDEFLATE_H
#define FWS_PDEFLATE_H

#include <stddef.h>
#include <stdint.h>

#define PDEFLATE_BLOCK (128 * 1024)   /* input bytes per block */
#define PDEFLATE_DICT (32 * 1024)     /* largest preset dictionary (the deflate window) */
#define PDEFLATE_MAX_JOBS 32

/* Reads up to cap bytes into buf: returns the count (short reads allowed),
 * 0 at the end of the input, or -1 after printing an error. */
typedef long (*pdeflate_read_fn)(void *ctx, uint8_t *buf, size_t cap);
/* Takes the next len bytes of the zlib stream: returns 0, or non-zero
 * after printing an error. */
typedef int (*pdeflate_write_fn)(void *ctx, const uint8_t *data, size_t len);

typedef struct {
    int level;          /* 1..9 */
    int wbits;          /* 9..15 */
    int jobs;           /* 1..PDEFLATE_MAX_JOBS compressing threads */
    const char *what;   /* for messages, e.g. the input's name */
} pdeflate_params;

/* Compresses everything read_fn gives into one zlib stream handed to
 * write_fn; *in_len and *out_len (either may be NULL) get the byte counts.
 * Returns FWS_EXIT_OK or FWS_EXIT_IO (errors printed, by the callbacks or
 * here).  On failure write_fn may have received part of a stream. */
int pdeflate(const pdeflate_params *p, pdeflate_read_fn read_fn, void *read_ctx,
             pdeflate_write_fn write_fn, void *write_ctx, uint64_t *in_len, uint64_t *out_len);

/* The number of CPUs this process may run on, clamped to 1..PDEFLATE_MAX_JOBS:
 * the default for --jobs. */
int pdeflate_default_jobs(void);

#endif
