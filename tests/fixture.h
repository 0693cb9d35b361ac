/* SPDX-License-Identifier: MIT */
/* A temporary directory with throw-away keys, and shortcuts to drive the
 * fwseal CLI in it.  Keys: sign1..sign3 (Ed25519), dev, dev2 (X25519),
 * psk, psk2 (PSK); all without passphrase. */
#ifndef FWS_FIXTURE_H
#define FWS_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "testutil.h"

typedef struct {
    char *dir;
} fixture;

void fx_init(fixture *f);
void fx_free(fixture *f);
/* DIR/NAME, malloc'ed. */
char *fx_path(const fixture *f, const char *name);
/* Removes DIR/NAME. */
void fx_remove(const fixture *f, const char *name);
/* Writes data to DIR/NAME and returns the path (malloc'ed). */
char *fx_write(const fixture *f, const char *name, const void *data, size_t len);
/* `fwseal pack -o DIR/OUT --key DIR/sign1.key --version 1.0.0 --counter 1
 *  --class test/class ARGS` run in DIR (ARGS may name files relative to DIR). */
run_result fx_pack(const fixture *f, const char *out, const char *args);
/* fx_pack, which must succeed; returns DIR/OUT's bytes (malloc'ed). */
uint8_t *fx_pack_bytes(const fixture *f, const char *out, const char *args, size_t *len);
/* good.fws: two components (app, cfg) of the same 9,000 text bytes
 * (in.bin), 1 KiB chunks, META note=hi; its bytes. */
uint8_t *fx_pack_good_two(const fixture *f, size_t *len);
/* `fwseal verify DIR/FILE --trust DIR/sign1.pub --class test/class ARGS` in DIR. */
run_result fx_verify(const fixture *f, const char *file, const char *args);
/* `fwseal ARGS` in DIR (printf-style ARGS, which may name files relative
 * to DIR and use shell syntax). */
run_result fx_fwseal(const fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fx_fwseal, which must exit 0. */
void fx_fwseal_ok(const fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* fx_fwseal, which must exit with status, print want on stderr and
 * nothing on stdout. */
void fx_fwseal_fails(const fixture *f, int status, const char *want, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A command line fwseal must refuse: its status and a part of the
 * message. */
typedef struct {
    int status;
    const char *message, *args;
} fx_refusal;
/* fx_fwseal_fails for each case, with "PREFIX ARGS". */
void fx_fwseal_refusals(const fixture *f, const char *prefix, const fx_refusal *cases, size_t n);
/* Compressible test data: text-like lines with a seed. */
void fill_text(uint8_t *buf, size_t len, uint64_t seed);
/* Text-like data with a binary stretch (len > 5000): matches everywhere,
 * across block boundaries too.  malloc'ed. */
uint8_t *mixed_input(size_t len, uint64_t seed);

#endif
