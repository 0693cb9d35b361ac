/* SPDX-License-Identifier: MIT */
/*
 * fwseal example bootloader for QEMU mps2-an386 (Cortex-M4), built from
 * the two amalgamated files (fwseal_verify.c, fwseal_verify.h) with
 * -nostdlib: no libc, no heap.
 *
 * At reset:
 *   1. If the staging area holds a container, install it: stream it through
 *      fws_install_push into the scratch area (decrypt + inflate in the
 *      verifier, flash writes in the sink); only if fws_install_finish
 *      returns FWS_OK, copy it to the slot and store its boot record.
 *      Otherwise print the verifier's reason and keep the previous image.
 *   2. Verify the image in the slot in place (fws_boot_check with the
 *      stored boot record), as on every boot.
 *   3. Start it: VTOR, MSP, reset handler (board_jump).
 * Each step prints the instructions it took (SysTick under
 * "-icount shift=0", calibrated by icount.c).
 *
 * Compiled in, from files scripts/qemu-demo.sh generates in the build
 * directory (never committed):
 *   fws_device_config.h     `fwseal device-config --trust release.pub
 *                           --trust-root root.pub --class ... --max-chunk
 *                           1024 --max-window-bits 12 --max-size ...
 *                           --device-key device.pub`: the trusted key, the
 *                           root key that certifies signing keys, threshold,
 *                           class id, limits and the device's X25519 public
 *                           key
 *   device_secret.h         `fwseal secret device.key --format c`: this
 *                           device's X25519 secret key.  For the example
 *                           only: a product keeps it in a key store or a
 *                           secure element (fws_policy.unwrap).
 * and BL_COUNTER_FLOOR and BL_KEYGEN_FLOOR (-D).  The floors are constants
 * only because this demo does not persist anything across runs: a device
 * keeps them in flash (or OTP / a monotonic counter) and raises them
 * together after the new image has confirmed a good boot, never before
 * (examples/sim shows that).
 *
 * Everything the verifier needs lives in this file's static buffers; the
 * board support (UART, SysTick, flash, jump) is in the files one directory up.
 */
#include <stddef.h>
#include <stdint.h>

#include "fwseal_verify.h"

#include "board.h"
#include "flash.h"
#include "icount.h"
#include "jump.h"
#include "layout.h"
#include "uart.h"

#include "device_secret.h"
#include "fws_device_config.h"

#if !defined(BL_COUNTER_FLOOR) || !defined(BL_KEYGEN_FLOOR)
#error "build with -DBL_COUNTER_FLOOR=N -DBL_KEYGEN_FLOOR=G"
#endif

/* ---- What this device accepts ---- */

/* Largest chunk and inflate window (fws_device_config.h): together with
 * FWS_CFG_MAX_MANIFEST (set with -D for both this file and
 * fwseal_verify.c) they size the work area.  Containers must be packed
 * with --chunk-size and --window-bits within them; others are refused
 * from the signed manifest, before any payload byte is read. */
#define BL_MAX_CHUNK FWS_DEVICE_MAX_CHUNK
#define BL_MAX_WBITS FWS_DEVICE_MAX_WBITS
typedef char config_max_size_fits_the_slot[FWS_DEVICE_MAX_SIZE <= SLOT_SIZE ? 1 : -1];

static const fws_policy policy = {
    FWS_DEVICE_POLICY_FIELDS,
    .counter_floor = BL_COUNTER_FLOOR,
    .key_generation_floor = BL_KEYGEN_FLOOR,
    .x25519_secret = fws_device_x25519_secret,
};

/* The work area (signed region, kept signatures, one chunk, the inflate
 * window) and the context: all the verifier's RAM besides its stack.
 * After an install, the boot check borrows the work area for the boot
 * record and its read buffer. */
static uint8_t work[FWS_WORK_SIZE(BL_MAX_CHUNK, BL_MAX_WBITS)];
static fws_install_ctx ctx;

#define RECORD_MAX (FWS_HEADER_LEN + FWS_CFG_MAX_MANIFEST + FWS_CFG_SIG_BLOCK_MAX)
#define BOOT_SCRATCH 1024u
typedef char work_holds_record_and_scratch[sizeof work >= RECORD_MAX + BOOT_SCRATCH ? 1 : -1];
typedef char record_area_holds_record[RECORD_SIZE >= 8 + RECORD_MAX ? 1 : -1];

/* Reading the staged container: small pieces while the signed region and
 * the signatures come in (so that the signature check can be timed on its
 * own), then a flash page at a time.  The split never changes a verdict:
 * the verifier gives the same answer for any split. */
#define PIECE_HEAD 64u
#define PIECE_PAYLOAD 1024u

/* ---- Output ---- */

static uint32_t insn_per_tick; /* 0: not calibrated, print ticks */

static uint32_t load_le32(uint32_t addr)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)addr;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* "  what: ...N instructions" with the count in a fixed column. */
static void put_step(const char *what, uint64_t ticks)
{
    uint64_t v = insn_per_tick ? ticks * insn_per_tick : ticks, x;
    unsigned col = 2, width = 1;
    uart_puts("  ");
    for (; *what; what++, col++)
        uart_putc(*what);
    uart_putc(':');
    for (x = v; x >= 10; x /= 10)
        width++;
    width += (width - 1) / 3;
    for (col += 1 + width; col < 76; col++)
        uart_putc(' ');
    uart_put_u64(v);
    uart_puts(insn_per_tick ? " instructions\n" : " ticks\n");
}

static void put_version(const fws_measurements *m)
{
    uart_puts("version ");
    uart_put_u64(m->major);
    uart_putc('.');
    uart_put_u64(m->minor);
    uart_putc('.');
    uart_put_u64(m->patch);
    if (m->build) {
        uart_putc('+');
        uart_put_u64(m->build);
    }
    uart_puts(" (counter ");
    uart_put_u64(m->counter);
    uart_puts(")");
}

static void put_refusal(const char *what, int rc)
{
    uart_puts(what);
    uart_puts(rc < 0 ? "no boot record" : fws_status_name(rc));
    if (rc == FWS_E_INFLATE) {
        uart_puts(" (inflate detail ");
        uart_put_u64((uint64_t)fws_install_inflate_error(&ctx));
        uart_puts(")");
    }
    uart_puts("\n");
}

/* ---- Install: staging -> verifier -> scratch ---- */

/* n (at most SLOT_SIZE) rounded up to whole flash pages. */
static uint32_t page_round(uint32_t n)
{
    return (n + FLASH_PAGE - 1) / FLASH_PAGE * FLASH_PAGE;
}

/* The sink: this device takes one component, linked for the slot.  It
 * writes to the scratch area; nothing here is trusted until
 * fws_install_finish returns FWS_OK. */
static int scratch_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                         const uint8_t *data, size_t len)
{
    (void)user;
    if (index != 0 || !c->has_address || c->address != SLOT_ADDR || c->size > SLOT_SIZE)
        return 1; /* FWS_E_SINK: not an image for this slot */
    if (data == NULL && len == 0 && offset == 0) /* the component starts */
        return flash_erase(SCRATCH_ADDR, page_round((uint32_t)c->size));
    if (offset > c->size || len > c->size - offset)
        return 1;
    return flash_write(SCRATCH_ADDR + (uint32_t)offset, data, len);
}

static const fws_sink sink = {scratch_write, NULL};

/* Streams the container at c (len bytes) through the verifier.  Returns
 * its status; on FWS_OK *m describes the update, the scratch area holds
 * its image and *rec / *rec_len its boot record (in the work area). */
static int install_update(const uint8_t *c, uint32_t len, fws_measurements *m,
                          const uint8_t **rec, size_t *rec_len)
{
    uint32_t pos = 0, n;
    uint64_t t0;
    int rc, fin;

    rc = fws_install_init(&ctx, &policy, &sink, work, sizeof work);

    /* Header, manifest (format, limits, class, counter: checked when its
     * last byte arrives) and signature block (Ed25519, threshold: checked
     * when its last byte arrives, after which the boot record exists). */
    t0 = icount_ticks();
    while (rc == FWS_OK && pos < len && fws_install_boot_record(&ctx, rec, rec_len) == FWS_E_STATE) {
        n = len - pos < PIECE_HEAD ? len - pos : PIECE_HEAD;
        rc = fws_install_push(&ctx, c + pos, n);
        pos += n;
    }
    put_step("verify header+manifest+signatures", icount_ticks() - t0);

    /* Key capsules (X25519 + HKDF, key commitment), then each chunk:
     * hash, decrypt, inflate, sink; each component's size and digest at
     * its end; finish checks that nothing is missing. */
    if (rc == FWS_OK) {
        t0 = icount_ticks();
        while (rc == FWS_OK && pos < len) {
            n = len - pos < PIECE_PAYLOAD ? len - pos : PIECE_PAYLOAD;
            rc = fws_install_push(&ctx, c + pos, n);
            pos += n;
        }
        fin = fws_install_finish(&ctx, m);
        if (rc == FWS_OK)
            rc = fin;
        put_step("install (key unwrap, decrypt+inflate+write)", icount_ticks() - t0);
    } else {
        (void)fws_install_finish(&ctx, m); /* the error is sticky: same rc */
    }
    if (rc != FWS_OK)
        return rc;
    if (m->n_components != 1)
        return FWS_E_SINK; /* unreachable: the sink refuses index 1 */
    return fws_install_boot_record(&ctx, rec, rec_len);
}

/* Makes the verified update the image that boots: the old record is
 * erased first, the image copied, the new record written with its header
 * last.  A power cut in between leaves no valid record (the boot check
 * fails) while the scratch area still holds the verified image: a product
 * records the step in power-fail-safe metadata and finishes the copy at
 * the next reset (examples/sim), or swaps slots instead of copying. */
static void commit_update(const fws_measurements *m, const uint8_t *rec, size_t rec_len)
{
    uint8_t hdr[8];
    uint32_t size = (uint32_t)m->size[0], magic = RECORD_MAGIC, i;
    for (i = 0; i < 4; i++) {
        hdr[i] = (uint8_t)(magic >> (8 * i));
        hdr[4 + i] = (uint8_t)((uint32_t)rec_len >> (8 * i));
    }
    flash_erase(RECORD_ADDR, RECORD_SIZE);
    flash_erase(SLOT_ADDR, page_round(size));
    flash_write(SLOT_ADDR, (const uint8_t *)(uintptr_t)SCRATCH_ADDR, size);
    flash_write(RECORD_ADDR + 8, rec, rec_len);
    flash_write(RECORD_ADDR, hdr, sizeof hdr);
}

/* ---- Boot: record + slot -> fws_boot_check ---- */

static int read_slot(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)SLOT_ADDR;
    size_t i;
    (void)user;
    if (index != 0 || offset > SLOT_SIZE || len > SLOT_SIZE - offset)
        return 1;
    for (i = 0; i < len; i++)
        buf[i] = p[(size_t)offset + i];
    return 0;
}

#define NO_RECORD (-1) /* not an fws_status: nothing was ever installed */

/* Verifies the image in the slot against its stored boot record.  The
 * record is copied into RAM first (fws_boot_check reads it several times
 * and it must not change under it). */
static int boot_check(fws_measurements *m)
{
    uint8_t *record = work, *scratch = work + RECORD_MAX;
    const volatile uint8_t *src = (const volatile uint8_t *)(uintptr_t)(RECORD_ADDR + 8);
    uint32_t len, i;
    if (load_le32(RECORD_ADDR) != RECORD_MAGIC)
        return NO_RECORD;
    len = load_le32(RECORD_ADDR + 4);
    if (len > RECORD_MAX)
        return FWS_E_LIMIT_MANIFEST;
    for (i = 0; i < len; i++)
        record[i] = src[i];
    return fws_boot_check(&policy, record, len, read_slot, NULL, scratch, BOOT_SCRATCH, m);
}

/* ---- Reset ---- */

#define PAINT 0xA5A5A5A5u

int main(void)
{
    fws_measurements m;
    const uint8_t *rec;
    size_t rec_len;
    uint64_t t0;
    uint32_t *sp;
    volatile uint32_t *p;
    int rc, updated = 0, refused = 0;

    /* Paint the free stack, to report how much the run used. */
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (p = _stack_limit; p < (volatile uint32_t *)sp - 16; p++)
        *p = PAINT;

    uart_init();
    insn_per_tick = icount_calibrate();
    uart_puts("\nfwseal bootloader: QEMU mps2-an386 (Cortex-M4)\n  trusted key ");
    uart_put_hex(fws_device_trusted_id[0], sizeof fws_device_trusted_id[0]);
#if FWS_DEVICE_N_ROOTS
    uart_puts(", root key ");
    uart_put_hex(fws_device_roots_id[0], sizeof fws_device_roots_id[0]);
#endif
    uart_puts("\n  class ");
    uart_put_hex(fws_device_class_id, sizeof fws_device_class_id);
    uart_puts(", counter floor ");
    uart_put_u64(BL_COUNTER_FLOOR);
    uart_puts(", key-generation floor ");
    uart_put_u64(BL_KEYGEN_FLOOR);
    uart_puts("\n  limits: chunk ");
    uart_put_u64(BL_MAX_CHUNK);
    uart_puts(" bytes, inflate window ");
    uart_put_u64(1u << BL_MAX_WBITS);
    uart_puts(" bytes; work area ");
    uart_put_u64(sizeof work);
    uart_puts(" + context ");
    uart_put_u64(sizeof ctx);
    uart_puts(" bytes\n");
    if (insn_per_tick) {
        uart_puts("  timer: SysTick, 1 tick = ");
        uart_put_u64(insn_per_tick);
        uart_puts(" instructions (calibrated)\n");
    } else {
        uart_puts("  timer: not calibrated (QEMU without -icount shift=0): SysTick ticks\n");
    }

    /* 1. A staged update? */
    if (load_le32(STAGE_ADDR) == STAGE_MAGIC) {
        uint32_t len = load_le32(STAGE_ADDR + 4);
        uart_puts("update staged at ");
        uart_put_hex32(STAGE_ADDR);
        uart_puts(": ");
        uart_put_u64(len);
        uart_puts(" bytes\n");
        if (len > STAGE_SIZE - 8) {
            uart_puts("  refused: staged length above the staging area\n");
            refused = 1;
        } else {
            rc = install_update((const uint8_t *)(uintptr_t)(STAGE_ADDR + 8), len, &m, &rec,
                                &rec_len);
            if (rc == FWS_OK) {
                uart_puts("  verified update: ");
                put_version(&m);
                uart_puts(", ");
                uart_put_u64(m.size[0]);
                uart_puts(" bytes for ");
                uart_put_hex32(SLOT_ADDR);
                uart_puts("\n");
                t0 = icount_ticks();
                commit_update(&m, rec, rec_len);
                put_step("commit (copy to the slot, store the boot record)", icount_ticks() - t0);
                updated = 1;
            } else {
                put_refusal("  refused: ", rc);
                refused = 1;
            }
        }
        /* Consumed either way: a refused container would be refused again. */
        flash_erase(STAGE_ADDR, FLASH_PAGE);
    } else {
        uart_puts("no update staged\n");
    }

    /* 2. Verify the image in the slot, on every boot. */
    t0 = icount_ticks();
    rc = boot_check(&m);
    put_step("boot check in place (signatures, policy, SHA-256 of the slot)", icount_ticks() - t0);
    if (rc != FWS_OK) {
        put_refusal("boot check failed: ", rc);
        uart_puts("no image to boot: halting\n");
        return 1;
    }
    uart_puts(updated ? "booting new image: " : refused ? "booting previous image: " : "booting image: ");
    put_version(&m);
    uart_puts(", ");
    uart_put_u64(m.size[0]);
    uart_puts(" bytes at ");
    uart_put_hex32(SLOT_ADDR);
    uart_puts("\n");

    /* Stack the bootloader used (everything above, the verifier included). */
    for (p = _stack_limit; p < (volatile uint32_t *)sp && *p == PAINT; p++)
        ;
    uart_puts("  bootloader stack used: ");
    uart_put_u64((uint64_t)((uintptr_t)_estack - (uintptr_t)p));
    uart_puts(" of ");
    uart_put_u64((uint64_t)((uintptr_t)_estack - (uintptr_t)_stack_limit));
    uart_puts(" bytes\n");

    /* 3. Start it. */
    board_jump(SLOT_ADDR);
}
