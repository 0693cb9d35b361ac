/* SPDX-License-Identifier: MIT */
/*
 * Streaming inflate (RFC 1951 deflate, optionally inside the RFC 1950 zlib
 * wrapper) for the verifier: no heap, no recursion, no libc, all state in a
 * caller-owned fws_inflate_ctx, and a caller-supplied sliding window of
 * exactly 2^wbits bytes (wbits 9..15, taken from the signed manifest), so a
 * device with little RAM pays only for the window the image was made with.
 *
 * Input is pushed in pieces split at any byte boundary (even in the middle
 * of a Huffman code): the decoder is an explicit state machine over a 32-bit
 * bit buffer whose steps (a code with its extra bits, a stored length, ...)
 * wait for all their bits, and the bytes counted as consumed are exactly
 * those a decoder pulling a byte only when the next step needs it would
 * consume (whole bytes pulled ahead are given back when the stream ends or
 * fails), so pushing one byte at a time gives exactly the same output, the
 * same verdict and the same consumed count as one big buffer.
 *
 * Decisions follow zlib 1.2.13's inflate() bit for bit (the tests compare
 * verdict, error class, output and bytes consumed against zlib on every
 * single-bit flip of many streams):
 *  - zlib header: (CMF*256 + FLG) % 31 == 0, CM == 8, CINFO + 8 <= wbits;
 *    FDICT is refused (no preset dictionaries) after its 4-byte DICTID has
 *    been read, which is when zlib returns Z_NEED_DICT.
 *  - Huffman codes: over-subscribed code lengths are refused; incomplete
 *    ones are refused except a literal/length or distance code with a single
 *    one-bit code (the unused code is then an invalid symbol if it occurs)
 *    and an empty distance code (any distance is then invalid).  An empty
 *    code-length code is accepted and, as in zlib, reads every length as 0,
 *    one bit each, which always ends in FWS_INFLATE_ERR_NO_EOB.
 *  - A back-reference may reach at most min(bytes output so far, 2^wbits)
 *    back.  (zlib run with a one-byte output buffer decides exactly this; a
 *    larger output buffer lets zlib reach farther than its window.)
 *  - Padding bits before a stored block and after the final block are
 *    ignored, as in zlib.
 *
 * Output: bytes are written into the window (circular) and handed to the
 * sink when the window fills, before the Adler-32 trailer is checked, and
 * at the end of every push call, in order, in pieces of at most 2^wbits
 * bytes.  Output reaches the sink before the stream is known to be good (the
 * Adler-32 is checked last); the caller must treat anything written as
 * provisional until FWS_INFLATE_DONE.  In fwseal the compressed bytes are
 * authenticated (signed chunk hashes) before they get here, so the inflater
 * only ever sees input from the signer, but it is written to be safe on any
 * input: every table index and every window access is bounded.
 *
 * Sizes: sizeof(fws_inflate_ctx) is FWS_INFLATE_CTX_SIZE_ILP32 (2052) bytes
 * with 4-byte pointers (Cortex-M, RV32; inflate.c checks it at compile
 * time), 2064 on LP64 hosts; plus the caller's 2^wbits-byte window.  Most
 * of the context is the two codes' lookup tables (9-bit for literals and
 * lengths, 1 KiB; 7-bit for distances, 256 bytes), which buy the speed:
 * the bit-serial decoder they replaced needed 1,076 bytes of context and
 * 128 instructions per output byte.
 * Stack: fws_inflate_push needs 184 bytes on Cortex-M4 (-Os, -fstack-usage:
 * 88 for push, 96 for the code builder; 196 measured) plus whatever the
 * sink uses.  Code (-Os, `make size`): 2,517 bytes on Cortex-M4 (2,615
 * Cortex-M0+, 2,945 RV32IMAC), not counting fws_inflate_error_name (24
 * bytes of code, 84 of table and 342 of names), which a device need not
 * link.  No division and no libgcc helpers are used.  No input is secret:
 * the running time depends on the data.
 *
 * Speed: the literal/length and distance codes are decoded with the lookup
 * tables and the bit buffer in registers (codes longer than the tables go
 * on bit by bit, canonically, as in Mark Adler's puff).  Cortex-M4 (-Os,
 * `make bench-device`): 49.7 instructions per output byte for 16 KiB of
 * machine code compressed by zlib -9 with a 4 KiB window; measured on the
 * same core: 44 for random data (stored blocks, copied a byte at a time
 * through the bit buffer), 47 for fixed-code blocks, 44 for text, 21 for
 * runs of zeros.  About 150 MB/s of output on a desktop x86-64.
 */
#ifndef FWS_INFLATE_H
#define FWS_INFLATE_H

#include <stddef.h>
#include <stdint.h>

#define FWS_INFLATE_MIN_WBITS 9
#define FWS_INFLATE_MAX_WBITS 15
/* sizeof(fws_inflate_ctx) with 4-byte pointers (ARM, RV32). */
#define FWS_INFLATE_CTX_SIZE_ILP32 2052
/* Bytes of window the caller supplies for a given wbits. */
#define FWS_INFLATE_WINDOW_SIZE(wbits) ((size_t)1 << (wbits))

/* Results.  OK: every byte of input used, more is needed.  DONE: the final
 * block ended and (zlib wrapper) the Adler-32 matched.  Errors are negative
 * and sticky: once returned, every later push returns the same value. */
#define FWS_INFLATE_OK 0
#define FWS_INFLATE_DONE 1
#define FWS_INFLATE_ERR_PARAM (-1)        /* wbits out of 9..15, NULL window */
#define FWS_INFLATE_ERR_HEADER (-2)       /* zlib (CMF*256+FLG) % 31 != 0 */
#define FWS_INFLATE_ERR_METHOD (-3)       /* zlib CM != 8 (deflate) */
#define FWS_INFLATE_ERR_DICT (-4)         /* zlib FDICT set */
#define FWS_INFLATE_ERR_WINDOW (-5)       /* zlib CINFO needs more than 2^wbits */
#define FWS_INFLATE_ERR_BLOCK_TYPE (-6)   /* BTYPE 3 */
#define FWS_INFLATE_ERR_STORED_LEN (-7)   /* stored LEN != ~NLEN */
#define FWS_INFLATE_ERR_TOO_MANY (-8)     /* HLIT > 286 or HDIST > 30 */
#define FWS_INFLATE_ERR_CL_CODE (-9)      /* code-length code over-subscribed/incomplete */
#define FWS_INFLATE_ERR_REPEAT (-10)      /* repeat with no previous length or past the end */
#define FWS_INFLATE_ERR_NO_EOB (-11)      /* dynamic block without an end-of-block code */
#define FWS_INFLATE_ERR_LITLEN_CODE (-12) /* literal/length lengths bad/incomplete */
#define FWS_INFLATE_ERR_DIST_CODE (-13)   /* distance lengths bad/incomplete */
#define FWS_INFLATE_ERR_LITLEN_SYM (-14)  /* symbol 286/287 or an unused code */
#define FWS_INFLATE_ERR_DIST_SYM (-15)    /* symbol 30/31 or an unused code */
#define FWS_INFLATE_ERR_DIST_START (-16)  /* distance > output so far (< 2^wbits) */
#define FWS_INFLATE_ERR_DIST_WINDOW (-17) /* distance > 2^wbits (window full) */
#define FWS_INFLATE_ERR_ADLER (-18)       /* zlib Adler-32 trailer mismatch */
#define FWS_INFLATE_ERR_SINK (-19)        /* the sink returned nonzero */
#define FWS_INFLATE_ERR_MIN (-19)         /* lowest error value */

/** \brief Receives output in order.  data[0..len) is valid only during the
 *  call (it points into the window); len is 1..2^wbits.  Return 0 to go on,
 *  nonzero to abort (push then returns FWS_INFLATE_ERR_SINK). */
typedef int (*fws_inflate_sink)(void *user, const uint8_t *data, size_t len);

/** \brief Decoder state.  Caller-owned; opaque: touch only through the
 *  functions below. */
typedef struct {
    /* (Small fields first: Thumb's short loads and stores reach them.) */
    uint8_t bits;       /* valid bits in hold (at most 32) */
    uint8_t mode;       /* state-machine step */
    uint8_t last;       /* BFINAL of the current block */
    uint8_t zlib;       /* 1: RFC 1950 wrapper expected */
    uint8_t wbits;      /* log2 of the window size */
    uint8_t extra;      /* extra bits pending for a distance */
    uint8_t full;       /* the window has wrapped: all of it is history */
    int16_t status;     /* FWS_INFLATE_OK, _DONE or the error */
    uint16_t length;    /* match length / stored bytes left / count */
    uint16_t dist;      /* match distance */
    uint16_t nlen;      /* HLIT + 257 */
    uint16_t ndist;     /* HDIST + 1 */
    uint16_t ncode;     /* HCLEN + 4 */
    uint16_t have;      /* lengths read so far */
    uint8_t *window;    /* caller's buffer, 2^wbits bytes */
    uint32_t wmask;     /* 2^wbits - 1 */
    uint32_t wpos;      /* next write index in window */
    uint32_t wflush;    /* first index not yet given to the sink */
    uint32_t hold;      /* bit buffer, next bit in bit 0 */
    uint32_t adler;     /* Adler-32 of the output handed to the sink */
    uint32_t check;     /* trailer or stored LEN being read */
    const uint8_t *next, *end; /* unread input, during a push */
    /* Literal/length code: longest length, count per length (15), where
     * the codes longer than the table start (2), 9-bit lookup table (512),
     * symbols in canonical order (288); the table doubles as the code
     * lengths of a dynamic header while they are read. */
    uint16_t lcode[18 + 512 + 288];
    /* Distance code (or code-length code): the same with a 7-bit table. */
    uint16_t dcode[18 + 128 + 32];
} fws_inflate_ctx;

/** \brief Starts a stream.  window: 2^wbits bytes (wbits 9..15), owned by
 *  the caller and used until the stream ends; its content on entry does not
 *  matter.  zlib_wrapper: 1 for an RFC 1950 stream (2-byte header, deflate
 *  data, big-endian Adler-32), 0 for raw deflate.  Returns FWS_INFLATE_OK,
 *  or FWS_INFLATE_ERR_PARAM (and every push then returns it). */
int fws_inflate_init(fws_inflate_ctx *ctx, uint8_t *window, unsigned wbits, int zlib_wrapper);

/** \brief Decodes in[0..len) (in may be NULL when len is 0), handing output
 *  to sink (NULL discards it, e.g. when only the verdict or the Adler-32
 *  matters).  Returns
 *   - FWS_INFLATE_OK: all len bytes used, the stream is not finished
 *     (a truncated stream only ever gets OK: the caller decides when the
 *     input has ended and rejects it then);
 *   - FWS_INFLATE_DONE: the final block ended and, with the wrapper, the
 *     Adler-32 matched; every output byte has been given to the sink;
 *     *consumed counts the input bytes used, up to and including the byte
 *     holding the last bit of the stream (or of the trailer), so
 *     len - *consumed bytes trail the stream and the caller can refuse them.
 *     Later pushes return DONE again and consume nothing;
 *   - a negative FWS_INFLATE_ERR_*: the stream is bad (or the sink
 *     aborted); *consumed counts the bytes read up to the fault.
 *  consumed may be NULL. */
int fws_inflate_push(fws_inflate_ctx *ctx, const uint8_t *in, size_t len, size_t *consumed,
                     fws_inflate_sink sink, void *user);

/** \brief Adler-32 of the output so far (of all output after DONE); also
 *  meaningful for raw deflate. */
uint32_t fws_inflate_adler32(const fws_inflate_ctx *ctx);

/** \brief A short constant name for a result ("ok", "done",
 *  "stored-length", ...); "unknown" for values not listed above. */
const char *fws_inflate_error_name(int err);

#endif
