/* SPDX-License-Identifier: MIT */
/*
 * verifier/inflate.c against zlib on arbitrary streams.
 *
 * Input: byte 0 chooses the window (wbits 9 + (b & 7) % 7) and the wrapper
 * (bit 3 set: raw deflate, clear: zlib), byte 1 the split pattern (0 one
 * buffer, 1 byte by byte, else pseudo-random pieces, empty ones included);
 * the rest is the stream.
 *
 * Oracle: zlib's inflate() with the same windowBits (negative for raw),
 * run as tests/inflate_oracle.h describes.  Both must give the same
 * verdict (accepted / needs more input / rejected), the same error class,
 * the same number of bytes consumed and the same output (ours may stop
 * earlier on a rejection: it does not flush after an error).
 * Output is capped at FZ_OUT_CAP; a stream that reaches it is not compared.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "inflate.h"
#include "inflate_oracle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_OUT_CAP ((size_t)1 << 20)

/* Byte 1 of the input: 0 one buffer, 1 byte by byte, else pseudo-random
 * pieces (empty ones included) from that seed. */
typedef struct {
    uint8_t split;
    uint64_t g;
    int pushed;
} feeder;

static size_t next_piece(void *state, size_t left)
{
    feeder *f = state;
    uint64_t k;
    if (left == 0)   /* done, after at least one push (an empty stream gets one) */
        return f->pushed ? IO_STOP : (f->pushed = 1, 0);
    f->pushed = 1;
    if (f->split == 0)
        return left;
    if (f->split == 1)
        return 1;
    k = fz_rand(&f->g) % 10;
    return k == 0 ? 0 : k < 7 ? 1 + fz_rand(&f->g) % 16 : fz_rand(&f->g) % 5000;
}

static void fail_fuzz(const char *msg) { fz_fail("%s", msg); }

static const char *vname(int v)
{
    return v == IO_ACCEPT ? "accept" : v == IO_REJECT ? "reject" : "needs more input";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    io_result ours = {0}, theirs = {0};
    feeder f;
    unsigned wbits;
    int zw;
    if (size < 2)
        return 0;
    wbits = 9 + (data[0] & 7) % 7;
    zw = !(data[0] & 8);
    f.split = data[1];
    f.g = 0x9E3779B97F4A7C15ull * (data[1] + 1u);
    f.pushed = 0;
    ours.out_limit = theirs.out_limit = FZ_OUT_CAP;
    io_fail = fail_fuzz;
    io_run_ours(data + 2, size - 2, wbits, zw, next_piece, &f, &ours);
    io_run_zlib(data + 2, size - 2, wbits, zw, &theirs);
    if (!ours.capped && !theirs.capped) {
        int oc = io_our_class(ours.code);
        if (ours.verdict != theirs.verdict)
            fz_fail("wbits %u %s: ours %s (%s), zlib %s", wbits, zw ? "zlib" : "raw",
                    vname(ours.verdict), fws_inflate_error_name(ours.code), vname(theirs.verdict));
        if (ours.verdict == IO_REJECT && oc != theirs.code)
            fz_fail("wbits %u %s: ours rejects with %s, zlib with %s", wbits, zw ? "zlib" : "raw",
                    fws_inflate_error_name(ours.code), fws_inflate_error_name(theirs.code));
        if (ours.consumed != theirs.consumed)
            fz_fail("wbits %u %s: %s; ours consumed %zu bytes, zlib %zu", wbits,
                    zw ? "zlib" : "raw", vname(ours.verdict), ours.consumed, theirs.consumed);
        if (ours.verdict != IO_REJECT ? ours.len != theirs.len : ours.len > theirs.len)
            fz_fail("wbits %u %s: %s; ours output %zu bytes, zlib %zu", wbits,
                    zw ? "zlib" : "raw", vname(ours.verdict), ours.len, theirs.len);
        if (ours.len && memcmp(ours.out, theirs.out, ours.len))
            fz_fail("wbits %u %s: output differs from zlib's", wbits, zw ? "zlib" : "raw");
    }
    io_result_free(&ours);
    io_result_free(&theirs);
    return 0;
}
