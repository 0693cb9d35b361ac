/* SPDX-License-Identifier: MIT */
/*
 * `make bench-device`: instruction counts of the verifier's primitives and
 * of the two decisions (boot check, full install) on a Cortex-M core under
 * QEMU with "-icount shift=0", where one SysTick tick is a fixed number of
 * instructions (calibrated below): mps2-an386 (Cortex-M4, the board files
 * of this directory), mps2-an505 (Cortex-M33) and microbit (Cortex-M0), the
 * latter two with the UART and memory map of examples/bench-device/.
 *
 * Every measured result is checked against what libsodium and zlib
 * computed on the host (bench_data.h, from gen_bench_data.c), so a broken
 * build cannot be measured silently: a mismatch prints FAIL and the run
 * exits with status 1.  Each operation also gets its stack use measured by
 * painting the stack beforehand (a cross-check of `make size`'s static
 * figures).  Lines starting with '@' give the figures to
 * scripts/bench-device.sh, which puts the boards side by side.
 *
 * BENCH_BOARD names the board; BENCH_SMALL_RAM (the micro:bit's 16 KiB)
 * leaves out what needs more RAM than it has: ChaCha20's 4 KiB buffer and
 * the install with its work area.
 */
#include <stddef.h>
#include <stdint.h>

#include "board.h"
#include "uart.h"

#include "chacha20.h"
#include "ed25519_verify.h"
#include "fe25519.h"
#include "fws_bytes.h"
#include "fws_verify.h"
#include "inflate.h"
#include "sha256.h"
#include "sha512.h"
#include "x25519.h"

#include "bench_data.h"

#define STR(x) #x
#define XSTR(x) STR(x)
#define PAINT 0xA5A5A5A5u
#define CALIB_LOOPS 1000000u
#define NAME_WIDTH 50

#ifndef BENCH_BOARD
#define BENCH_BOARD "QEMU mps2-an386 (Cortex-M4)"
#endif

/* Instructions per tick as a fraction: calib_insns in calib_ticks (the
 * micro:bit's SysTick ticks every 62.5 instructions). */
static uint64_t calib_ticks, calib_insns;
static int failures;

/* ticks -> instructions, rounded. */
static uint64_t insns_of(uint64_t ticks)
{
    return (ticks * calib_insns + calib_ticks / 2) / calib_ticks;
}

/* ---- Measurement ---- */

typedef void (*bench_op)(void *arg);

/* Runs op(arg) once; returns the ticks it took and the stack it used
 * below this function's frame in *stack.  The harness itself (the call
 * through op, two reads of the counter) costs a few dozen instructions,
 * under one tick: it is not subtracted. */
static uint64_t measure(bench_op op, void *arg, uint32_t *stack)
{
    uint32_t *sp;
    volatile uint32_t *p;
    uint64_t t0, t1;

    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (p = _stack_limit; p < (volatile uint32_t *)sp - 16; p++)
        *p = PAINT;
    t0 = board_ticks();
    op(arg);
    t1 = board_ticks();
    for (p = _stack_limit; p < (volatile uint32_t *)sp && *p == PAINT; p++)
        ;
    if (stack)
        *stack = (uint32_t)((uintptr_t)sp - (uintptr_t)p);
    return t1 - t0;
}

static void op_nothing(void *arg)
{
    (void)arg;
}

/* Exactly 2 instructions per iteration (SUBS, BNE).  Unified syntax also
 * on Thumb-1, where GCC wraps inline assembly in the divided one. */
static void op_calibrate(void *arg)
{
    uint32_t n = *(const uint32_t *)arg;
    __asm__ volatile(".syntax unified\n1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
}

/* ---- Output ---- */

static void put_name(const char *name)
{
    unsigned n = 0;
    uart_puts("  ");
    for (; name[n]; n++)
        uart_putc(name[n]);
    uart_putc(':');
    while (n++ < NAME_WIDTH)
        uart_putc(' ');
}

/* What the checked call returned, printed after FAIL (with its name for
 * the verifier's fws_status values). */
static int got;
static const char *got_name;

/* One line: "name: N instructions[, X.Y per byte][, stack S] ok"; with
 * a key, also "@key N" or "@key X.Y" (per unit) for the script. */
static void report_key(const char *key, const char *name, uint64_t ticks, uint32_t per,
                       const char *unit, uint32_t stack, int ok)
{
    uint64_t insns = insns_of(ticks);
    put_name(name);
    {
        /* right-align the count in 11 columns, thousands separated */
        uint64_t v = insns;
        unsigned digits = 1, width;
        while (v >= 10) {
            v /= 10;
            digits++;
        }
        width = digits + (digits - 1) / 3;
        while (width++ < 11)
            uart_putc(' ');
    }
    uart_put_u64(insns);
    uart_puts(" instructions");
    if (per) {
        uint64_t x10 = (insns * 10 + per / 2) / per;
        uart_puts(", ");
        uart_put_u64(x10 / 10);
        uart_putc('.');
        uart_putc((char)('0' + (int)(x10 % 10)));
        uart_puts(" per ");
        uart_puts(unit);
    }
    if (stack) {
        uart_puts(", stack ");
        uart_put_u64(stack);
    }
    if (ok) {
        uart_puts("  ok\n");
    } else {
        uart_puts("  FAIL (returned ");
        if (got < 0) {
            uart_putc('-');
            uart_put_u64((uint64_t)-(int64_t)got);
        } else {
            uart_put_u64((uint64_t)got);
        }
        if (got_name) {
            uart_puts(", ");
            uart_puts(got_name);
        }
        uart_puts(")\n");
        failures++;
    }
    if (key && ok) {
        uart_putc('@');
        uart_puts(key);
        uart_putc(' ');
        if (per) {
            uint64_t x10 = (insns * 10 + per / 2) / per;
            uart_put_u64_width(x10 / 10, 0);
            uart_putc('.');
            uart_putc((char)('0' + (int)(x10 % 10)));
        } else {
            uart_put_u64_width(insns, 0);
        }
        uart_putc('\n');
    }
}

static void report(const char *name, uint64_t ticks, uint32_t per, const char *unit,
                   uint32_t stack, int ok)
{
    report_key(0, name, ticks, per, unit, stack, ok);
}

static void section(const char *title)
{
    uart_puts("\n");
    uart_puts(title);
    uart_puts("\n");
}

/* ---- Ed25519 ---- */

typedef struct {
    const uint8_t *sig, *msg, *pub;
    size_t len;
    int rc;
} ed_args;

static void op_ed25519(void *arg)
{
    ed_args *a = arg;
    a->rc = fws_ed25519_verify(a->sig, a->msg, a->len, a->pub);
}

/* Field operations, N at a time, to see what Ed25519's time is made of. */
#define FE_REPS 1000
typedef struct {
    fws_fe25519 a, b;
} fe_args;

static void op_fe_mul(void *arg)
{
    fe_args *f = arg;
    int i;
    for (i = 0; i < FE_REPS; i++)
        fws_fe25519_mul(f->a, f->a, f->b);
}

static void op_fe_sq(void *arg)
{
    fe_args *f = arg;
    int i;
    for (i = 0; i < FE_REPS; i++)
        fws_fe25519_sq(f->a, f->a);
}

static void op_fe_add(void *arg)
{
    fe_args *f = arg;
    int i;
    for (i = 0; i < FE_REPS; i++) {
        fws_fe25519_add(f->b, f->a, f->a);
        fws_fe25519_sub(f->a, f->b, f->a);
    }
}

static void op_fe_invert(void *arg)
{
    fe_args *f = arg;
    fws_fe25519_invert(f->a, f->a);
}

/* ---- Hashes, cipher ---- */

typedef struct {
    const uint8_t *in;
    uint8_t *out;
    size_t len;
} buf_args;

static void op_sha256(void *arg)
{
    buf_args *a = arg;
    fws_sha256(a->out, a->in, a->len);
}

static void op_sha512(void *arg)
{
    buf_args *a = arg;
    fws_sha512(a->out, a->in, a->len);
}

#ifndef BENCH_SMALL_RAM
static fws_chacha20_ctx chacha;

static void op_chacha20(void *arg)
{
    buf_args *a = arg;
    fws_chacha20_init(&chacha, bench_chacha_key, bench_chacha_nonce, 0);
    if (fws_chacha20_xor(&chacha, a->out, a->in, a->len) != 0)
        a->len = 0;
}
#endif

/* ---- Inflate ---- */

static fws_inflate_ctx inflater;
static uint8_t window[1u << BENCH_WBITS];

typedef struct {
    fws_inflate_sink sink;
    void *user;
    int rc;
    size_t consumed;
} inflate_args;

static void op_inflate(void *arg)
{
    inflate_args *a = arg;
    a->rc = fws_inflate_init(&inflater, window, BENCH_WBITS, 1);
    if (a->rc == FWS_INFLATE_OK)
        a->rc = fws_inflate_push(&inflater, bench_zlib, BENCH_ZLIB_LEN, &a->consumed, a->sink,
                                 a->user);
}

static int sink_sha256(void *user, const uint8_t *data, size_t len)
{
    fws_sha256_update(user, data, len);
    return 0;
}

static int sink_count(void *user, const uint8_t *data, size_t len)
{
    (void)data;
    *(size_t *)user += len;
    return 0;
}

/* ---- X25519 ---- */

typedef struct {
    uint8_t out[32];
    int rc;
} x_args;

static void op_x25519(void *arg)
{
    x_args *a = arg;
    a->rc = fws_x25519(a->out, bench_x25519_scalar, bench_x25519_point);
}

/* ---- The decisions: boot check and install ---- */

static fws_measurements meas;
static uint8_t scratch[1024];

#ifndef BENCH_SMALL_RAM
static fws_policy policy;

static int read_image(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    const uint8_t *img = index == 0 ? bench_app : bench_cfg;
    uint64_t size = index == 0 ? BENCH_APP_LEN : BENCH_CFG_LEN;
    (void)user;
    if (index > 1 || offset > size || len > size - offset)
        return -1;
    fws_copy(buf, img + offset, len);
    return 0;
}
#endif

/* The 64 KiB image: the 16 KiB app four times over (as the host made it). */
static int read_image64(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    size_t i;
    (void)user;
    if (index != 0 || offset > BENCH_IMG64_LEN || len > BENCH_IMG64_LEN - offset)
        return -1;
    for (i = 0; i < len; i++)
        buf[i] = bench_app[(size_t)(offset + i) % BENCH_APP_LEN];
    return 0;
}

typedef struct {
    const fws_policy *policy;
    const uint8_t *record;
    size_t record_len;
    fws_image_reader read;
    int rc;
} boot_args;

static void op_boot(void *arg)
{
    boot_args *a = arg;
    a->rc = fws_boot_check(a->policy, a->record, a->record_len, a->read, 0, scratch,
                           sizeof scratch, &meas);
}

#ifndef BENCH_SMALL_RAM
static uint8_t work[FWS_WORK_SIZE(BENCH_CHUNK, BENCH_WBITS)];
static fws_install_ctx install;

/* Install sink: counts bytes (timed run) or hashes each component
 * (checking run, compared with the host's digests). */
typedef struct {
    int hash;
    uint64_t bytes[2];
    fws_sha256_ctx sha[2];
} sink_state;

static int sink_install(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                        const uint8_t *data, size_t len)
{
    sink_state *s = user;
    (void)c;
    if (index > 1 || offset != s->bytes[index])
        return -1;
    if (s->hash)
        fws_sha256_update(&s->sha[index], data, len);
    s->bytes[index] += len;
    return 0;
}

typedef struct {
    const uint8_t *container;
    size_t len, piece;
    fws_sink sink;
    int rc;
} install_args;

static void op_install(void *arg)
{
    install_args *a = arg;
    size_t off, n;
    int rc = fws_install_init(&install, &policy, &a->sink, work, sizeof work);
    for (off = 0; rc == FWS_OK && off < a->len; off += n) {
        n = a->len - off < a->piece ? a->len - off : a->piece;
        rc = fws_install_push(&install, a->container + off, n);
    }
    if (rc == FWS_OK)
        rc = fws_install_finish(&install, &meas);
    a->rc = rc;
}

static uint8_t ram_copy[BENCH_CONTAINER_LEN];
static uint8_t buf_out[BENCH_BLOCK];
#else
static uint8_t ram_copy[sizeof bench_delegated64];
#endif

/* Calibration: the harness's own cost, then loops of known length; the
 * two loops must agree to a tick (SysTick counts instructions only under
 * -icount). */
static int calibrate(void)
{
    uint32_t n = CALIB_LOOPS, half = CALIB_LOOPS / 2;
    uint64_t ticks, ticks_half, empty = 0;
    int k;
    for (k = 0; k < 8; k++)
        empty += measure(op_nothing, 0, 0);
    ticks = measure(op_calibrate, &n, 0);
    ticks_half = measure(op_calibrate, &half, 0);
    calib_ticks = ticks;
    calib_insns = 2ull * CALIB_LOOPS;
    uart_puts("timer: SysTick; ");
    uart_put_u64(calib_insns);
    uart_puts(" instructions took ");
    uart_put_u64(ticks);
    uart_puts(" ticks: 1 tick = ");
    uart_put_u64_width(calib_insns / (ticks ? ticks : 1), 0);
    if (ticks && calib_insns % ticks) {
        uart_putc('.');
        uart_put_u64_width((calib_insns * 10 / ticks) % 10, 0);
    }
    uart_puts(" instructions (the resolution);\n       an empty measurement reads ");
    uart_put_u64(empty);
    uart_puts(" ticks in 8 runs (not subtracted)\n");
    if (ticks == 0 || ticks_half == 0 || (ticks > 2 * ticks_half + 2) ||
        (ticks + 2 < 2 * ticks_half)) {
        uart_puts("FAIL: the calibration is not exact: is QEMU running with -icount shift=0?\n");
        return -1;
    }
    return 0;
}

int main(void)
{
    uint32_t stack;
    uint64_t t;
    uint8_t digest[64];

    uart_init();
    board_ticks_start();

    uart_puts("\nfwseal verifier benchmark: " BENCH_BOARD ", -icount shift=0\n");
    uart_puts("inputs: " BENCH_INPUT_NAME " (16 KiB of it as the app image), keys from fixed seeds\n");
    if (calibrate() != 0)
        return 1;
    uart_puts("stack: bytes used below the caller, measured by painting the stack\n");

    section("Ed25519 (signature over header || manifest, the signed region)");
    {
        ed_args a;
        static uint8_t flipped[BENCH_SIGNED_LEN];
        a.sig = bench_container + BENCH_SIG_OFFSET;
        a.msg = bench_container;
        a.pub = bench_pk;
        a.len = BENCH_SIGNED_LEN;
        a.rc = 99;
        t = measure(op_ed25519, &a, &stack);
        got = a.rc;
        report_key("ed25519", "ed25519_verify(" XSTR(BENCH_SIGNED_LEN) "-byte signed region)", t,
                   0, 0, stack, a.rc == 0);
        fws_copy(flipped, bench_container, BENCH_SIGNED_LEN);
        flipped[BENCH_SIGNED_LEN / 2] ^= 1;
        a.msg = flipped;
        a.rc = 99;
        t = measure(op_ed25519, &a, &stack);
        got = a.rc;
        report("ed25519_verify, one message bit flipped (-1)", t, 0, 0, stack, a.rc == -1);
    }
    {
        buf_args b;
        b.in = bench_container;
        b.out = digest;
        b.len = 64 + BENCH_SIGNED_LEN;
        t = measure(op_sha512, &b, &stack);
        report("  of which SHA-512(R || A || " XSTR(BENCH_SIGNED_LEN) " bytes)", t, 0, 0, stack, 1);
    }
    {
        fe_args f;
        fws_fe25519_frombytes(f.a, bench_x25519_point);
        fws_fe25519_frombytes(f.b, bench_x25519_scalar);
        t = measure(op_fe_mul, &f, &stack);
        report_key("fe_mul", "  fe25519_mul (each, mean of 1000)", t, FE_REPS, "mul", 0, 1);
        t = measure(op_fe_sq, &f, &stack);
        report_key("fe_sq", "  fe25519_sq (each, mean of 1000)", t, FE_REPS, "sq", 0, 1);
        t = measure(op_fe_add, &f, &stack);
        report("  fe25519_add + fe25519_sub (mean of 1000)", t, FE_REPS, "pair", 0, 1);
        t = measure(op_fe_invert, &f, &stack);
        report("  fe25519_invert", t, 0, 0, stack, 1);
    }

    section("Hashes and cipher (the first 4 KiB of the app image)");
    {
        buf_args b;
        b.in = bench_app;
        b.out = digest;
        b.len = BENCH_BLOCK;
        t = measure(op_sha256, &b, &stack);
        report_key("sha256", "sha256(4096 bytes)", t, BENCH_BLOCK, "byte", stack,
                   fws_equal(digest, bench_sha256_block, 32));
        b.len = 64;
        t = measure(op_sha256, &b, &stack);
        report("sha256(64 bytes)", t, 64, "byte", stack, 1);
        b.len = BENCH_BLOCK;
        t = measure(op_sha512, &b, &stack);
        report_key("sha512", "sha512(4096 bytes)", t, BENCH_BLOCK, "byte", stack,
                   fws_equal(digest, bench_sha512_block, 64));
#ifndef BENCH_SMALL_RAM
        b.out = buf_out;
        t = measure(op_chacha20, &b, &stack);
        fws_sha256(digest, buf_out, BENCH_BLOCK);
        report_key("chacha20", "chacha20_xor(4096 bytes, incl. init)", t, BENCH_BLOCK, "byte",
                   stack, b.len == BENCH_BLOCK && fws_equal(digest, bench_chacha_block_sha256, 32));
#endif
    }

    section("Inflate (zlib level 9, 4 KiB window)");
    {
        inflate_args a;
        fws_sha256_ctx h;
        size_t out = 0;
        a.sink = sink_count;
        a.user = &out;
        t = measure(op_inflate, &a, &stack);
        got = a.rc;
        report_key("inflate",
                   "inflate(" XSTR(BENCH_ZLIB_LEN) " -> 16384 bytes), counting sink", t,
                   BENCH_APP_LEN, "output byte", stack,
                   a.rc == FWS_INFLATE_DONE && a.consumed == BENCH_ZLIB_LEN && out == BENCH_APP_LEN);
        fws_sha256_init(&h);
        a.sink = sink_sha256;
        a.user = &h;
        t = measure(op_inflate, &a, &stack);
        fws_sha256_final(&h, digest);
        got = a.rc;
        report("inflate + SHA-256 of the output (the check)", t, BENCH_APP_LEN, "output byte",
               stack, a.rc == FWS_INFLATE_DONE && fws_equal(digest, bench_app_sha256, 32));
    }

    section("X25519");
    {
        x_args a;
        a.rc = 99;
        t = measure(op_x25519, &a, &stack);
        got = a.rc;
        report_key("x25519", "x25519 (one scalar multiplication)", t, 0, 0, stack,
                   a.rc == 0 && fws_equal(a.out, bench_x25519_shared, 32));
    }

    section("Boot check of a 64 KiB image (one component, SHA-256; 1 KiB scratch)");
    {
        static fws_policy direct, delegated;
        boot_args a;
        direct.trusted = (const uint8_t(*)[32])bench_pk;
        direct.n_trusted = 1;
        direct.threshold = 1;
        direct.class_id = bench_class;
        direct.counter_floor = 9;
        direct.max_size = BENCH_IMG64_LEN;
        direct.max_chunk = BENCH_CHUNK;
        /* field by field: a struct copy would call memcpy */
        delegated.threshold = 1;
        delegated.class_id = bench_class;
        delegated.counter_floor = 9;
        delegated.max_size = BENCH_IMG64_LEN;
        delegated.max_chunk = BENCH_CHUNK;
        delegated.roots = (const uint8_t(*)[32])bench_root64_pk;
        delegated.n_roots = 1;
        delegated.root_threshold = 1;
        delegated.key_generation_floor = 1;
        a.read = read_image64;

        a.policy = &direct;
        a.record = bench_record64;
        a.record_len = sizeof bench_record64;
        a.rc = -99;
        t = measure(op_boot, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report_key("boot64", "fws_boot_check, direct signature", t, 0, 0, stack,
                   a.rc == FWS_OK && meas.n_components == 1 && meas.size[0] == BENCH_IMG64_LEN &&
                       fws_equal(meas.digest[0], bench_img64_sha256, 32));

        a.policy = &delegated;
        a.record = bench_delegated64;
        a.record_len = sizeof bench_delegated64;
        a.rc = -99;
        t = measure(op_boot, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report_key("boot64_delegated",
                   "fws_boot_check, delegated signature (1 root)", t, 0, 0, stack,
                   a.rc == FWS_OK && meas.n_signers == 1 && meas.signer_delegated == 1 &&
                       meas.signer_generation[0] == 1);

        /* The same record judged without the root: refused. */
        a.policy = &direct;
        a.rc = -99;
        t = measure(op_boot, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report("fws_boot_check, delegated, root not trusted (untrusted)", t, 0, 0, stack,
               a.rc == FWS_E_UNTRUSTED);

        /* A delegated entry whose root signature does not verify. */
        fws_copy(ram_copy, bench_delegated64, sizeof bench_delegated64);
        ram_copy[sizeof bench_delegated64 - 64 - 30] ^= 1; /* inside the root signature */
        a.policy = &delegated;
        a.record = ram_copy;
        a.rc = -99;
        t = measure(op_boot, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report("fws_boot_check, delegated, root signature flipped", t, 0, 0, stack,
               a.rc == FWS_E_UNTRUSTED);
    }

#ifndef BENCH_SMALL_RAM
    section("Decisions (1 trusted key; image: 16 KiB app + 1 KiB config)");
    policy.trusted = (const uint8_t(*)[32])bench_pk;
    policy.n_trusted = 1;
    policy.threshold = 1;
    policy.class_id = bench_class;
    policy.counter_floor = BENCH_COUNTER;
    policy.max_chunk = BENCH_CHUNK;
    policy.max_size = BENCH_APP_LEN;
    policy.max_wbits = BENCH_WBITS;
    policy.x25519_secret = bench_device_sk;
    policy.x25519_public = bench_device_pk;
    {
        boot_args a;
        a.policy = &policy;
        a.read = read_image;
        a.record = bench_record;
        a.record_len = BENCH_RECORD_LEN;
        a.rc = -99;
        t = measure(op_boot, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report_key("boot17", "fws_boot_check (encrypted: keyed digests)", t, 0, 0, stack,
                   a.rc == FWS_OK && meas.counter == BENCH_COUNTER && meas.n_components == 2);
        fws_copy(ram_copy, bench_record, BENCH_RECORD_LEN);
        ram_copy[FWS_HEADER_LEN + 20] ^= 1;
        a.record = ram_copy;
        a.rc = -99;
        t = measure(op_boot, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report("fws_boot_check, manifest bit flipped (untrusted)", t, 0, 0, stack,
               a.rc == FWS_E_UNTRUSTED);
    }
    {
        install_args a;
        sink_state s;
        fws_zero(&s, sizeof s);
        a.container = bench_container;
        a.len = BENCH_CONTAINER_LEN;
        a.piece = 512;
        a.sink.write = sink_install;
        a.sink.user = &s;
        a.rc = -99;
        t = measure(op_install, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report_key("install",
                   "fws_install (" XSTR(BENCH_CONTAINER_LEN) "-byte container, 512 B pushes)", t,
                   0, 0, stack,
                   a.rc == FWS_OK && s.bytes[0] == BENCH_APP_LEN && s.bytes[1] == BENCH_CFG_LEN);
        fws_zero(&s, sizeof s);
        s.hash = 1;
        fws_sha256_init(&s.sha[0]);
        fws_sha256_init(&s.sha[1]);
        a.rc = -99;
        (void)measure(op_install, &a, 0);
        fws_sha256_final(&s.sha[0], digest);
        fws_sha256_final(&s.sha[1], digest + 32);
        put_name("install output == host plaintext (SHA-256)");
        if (a.rc == FWS_OK && fws_equal(digest, bench_app_sha256, 32) &&
            fws_equal(digest + 32, bench_cfg_sha256, 32)) {
            uart_puts("ok\n");
        } else {
            uart_puts("FAIL\n");
            failures++;
        }
        fws_copy(ram_copy, bench_container, BENCH_CONTAINER_LEN);
        ram_copy[BENCH_CONTAINER_LEN - 100] ^= 1; /* a payload byte */
        a.container = ram_copy;
        fws_zero(&s, sizeof s);
        a.rc = -99;
        t = measure(op_install, &a, &stack);
        got = a.rc;
        got_name = fws_status_name(a.rc);
        report("fws_install, payload bit flipped (chunk hash)", t, 0, 0, stack,
               a.rc == FWS_E_CHUNK_HASH);
    }
#endif

    uart_puts(failures ? "\nbench: FAILED checks: " : "\nbench: all results checked: ");
    uart_put_u64((uint64_t)failures);
    uart_puts(" failure(s)\n");
    return failures ? 1 : 0;
}
