/* SPDX-License-Identifier: MIT */
/*
 * A bootloader-like program built from the two amalgamated files alone
 * (build/dist/fwseal_verify.c and fwseal_verify.h, `make amalgamate`):
 *
 *   update: push a container from "flash" into the verifier in small
 *           pieces, write the verified plaintext into a RAM "slot", keep
 *           the boot record;
 *   boot:   check the boot record and the slot in place.
 *
 * The container is SPEC.md's worked example (section 10), typed in from
 * its hex: one component "app" = "hello world\n", counter 7, class
 * "acme.example/thermostat-v2", signed by the Ed25519 key whose seed is
 * 00 01 .. 1f (public key below).
 *
 * Everything except main() is freestanding: no libc call, no static
 * mutable state (the buffers are main's locals); tests build it with
 * -std=c99 -ffreestanding -nostdlib -c and check with nm that nothing is
 * undefined.  Undefined symbols to expect: none on x86-64.  On 32-bit
 * targets the compiler may call libgcc's arithmetic helpers, which every
 * bare-metal toolchain links: __aeabi_uldivmod / __udivdi3 / __umoddi3
 * (64-bit division in format/header.c's fws_chunk_count), __aeabi_lmul
 * (32x32->64 multiplies in the field arithmetic on Cortex-M0+, which has
 * no long multiply), __gnu_thumb1_case_* (switch tables at -Os on
 * Thumb-1; -fno-jump-tables avoids them).  No memcpy/memset: if a
 * compiler emits them for the integrator's own code, build
 * fwseal_verify.c with -DFWS_PROVIDE_MEMFUNCS.
 *
 * With -DBOOTLOADER_HOSTED, main() runs the self-test and returns 0 when
 * every verdict is the expected one (it uses no libc either).
 */
#include "fwseal_verify.h"

int bl_selftest(void);

static const uint8_t example[287] = {
    0x46, 0x57, 0x53, 0x45, 0x41, 0x4c, 0x01, 0x00, 0xb6, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x0a, 0x00, 0x01, 0x00, 0x02, 0x00,
    0x03, 0x00, 0x04, 0x00, 0x00, 0x00, 0x02, 0x00, 0x04, 0x00, 0x07, 0x00,
    0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0xf5, 0xf1, 0xbb, 0xb4, 0x5e, 0xa9,
    0xcc, 0xeb, 0x97, 0xe5, 0xdd, 0x81, 0x21, 0x2c, 0xdb, 0x71, 0x04, 0x00,
    0x08, 0x00, 0x00, 0xf1, 0x53, 0x65, 0x00, 0x00, 0x00, 0x00, 0x05, 0x00,
    0x2c, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
    0x00, 0x00, 0xa9, 0x48, 0x90, 0x4f, 0x2f, 0x0f, 0x47, 0x9b, 0x8f, 0x81,
    0x97, 0x69, 0x4b, 0x30, 0x18, 0x4b, 0x0d, 0x2e, 0xd1, 0xc1, 0xcd, 0x2a,
    0x1e, 0xc0, 0xfb, 0x85, 0xd2, 0x99, 0xa1, 0x92, 0xa4, 0x47, 0x07, 0x00,
    0x4c, 0x00, 0x01, 0x49, 0x00, 0x01, 0x00, 0x03, 0x00, 0x61, 0x70, 0x70,
    0x02, 0x00, 0x08, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x03, 0x00, 0x20, 0x00, 0xa9, 0x48, 0x90, 0x4f, 0x2f, 0x0f, 0x47, 0x9b,
    0x8f, 0x81, 0x97, 0x69, 0x4b, 0x30, 0x18, 0x4b, 0x0d, 0x2e, 0xd1, 0xc1,
    0xcd, 0x2a, 0x1e, 0xc0, 0xfb, 0x85, 0xd2, 0x99, 0xa1, 0x92, 0xa4, 0x47,
    0x04, 0x00, 0x08, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x05, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x01, 0x48, 0x00, 0xed, 0x42,
    0x42, 0xea, 0xd4, 0xac, 0x69, 0x48, 0xd7, 0xe2, 0x22, 0x73, 0x15, 0x2a,
    0xd4, 0xac, 0x2b, 0x83, 0xa2, 0x8a, 0xe0, 0x19, 0x92, 0xce, 0xc7, 0xcd,
    0x1b, 0x1f, 0x65, 0x3f, 0x2e, 0x33, 0x3c, 0x2b, 0xe5, 0x05, 0xe7, 0xeb,
    0xd9, 0xdc, 0x9c, 0x0a, 0x11, 0xb5, 0x80, 0x67, 0x34, 0x6e, 0x00, 0xa6,
    0x50, 0x24, 0x0f, 0xb7, 0x85, 0xe8, 0x08, 0xb9, 0x06, 0xb6, 0xdf, 0x72,
    0xf5, 0x97, 0x30, 0x6f, 0x36, 0x66, 0x27, 0x42, 0x71, 0x07, 0x00, 0x68,
    0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x77, 0x6f, 0x72, 0x6c, 0x64, 0x0a,
};

/* Ed25519 public key of the seed 00 01 .. 1f. */
static const uint8_t release_key[1][32] = {{
    0x03, 0xa1, 0x07, 0xbf, 0xf3, 0xce, 0x10, 0xbe, 0x1d, 0x70, 0xdd, 0x18,
    0xe7, 0x4b, 0xc0, 0x99, 0x67, 0xe4, 0xd6, 0x30, 0x9b, 0xa5, 0x0d, 0x5f,
    0x1d, 0xdc, 0x86, 0x64, 0x12, 0x55, 0x31, 0xb8,
}};

/* First 16 bytes of SHA-256("fwseal-v1 class-id" || "acme.example/thermostat-v2"). */
static const uint8_t device_class[16] = {0xf5, 0xf1, 0xbb, 0xb4, 0x5e, 0xa9, 0xcc, 0xeb,
                                         0x97, 0xe5, 0xdd, 0x81, 0x21, 0x2c, 0xdb, 0x71};

#define BL_CHUNK 256
#define BL_SLOT 64
#define BL_RECORD 512

typedef struct {
    uint8_t *mem;
    size_t cap, used;
} slot;

static int slot_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                      const uint8_t *data, size_t len)
{
    slot *s = (slot *)user;
    size_t i;
    (void)c;
    if (index != 0 || offset > s->cap || len > s->cap - (size_t)offset)
        return 1;   /* this device has one slot */
    for (i = 0; i < len; i++)
        s->mem[(size_t)offset + i] = data[i];
    s->used = (size_t)offset + len;
    return 0;
}

static int slot_read(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    const slot *s = (const slot *)user;
    size_t i;
    if (index != 0 || offset > s->used || len > s->used - (size_t)offset)
        return 1;
    for (i = 0; i < len; i++)
        buf[i] = s->mem[(size_t)offset + i];
    return 0;
}

static void bl_policy(fws_policy *p, uint32_t floor)
{
    uint8_t *b = (uint8_t *)p;
    size_t i;
    for (i = 0; i < sizeof *p; i++)   /* no memset, no struct copy */
        b[i] = 0;
    p->trusted = release_key;
    p->n_trusted = 1;
    p->threshold = 1;
    p->class_id = device_class;
    p->counter_floor = floor;
    p->max_chunk = BL_CHUNK;
    p->max_size = BL_SLOT;
    p->max_wbits = 0;   /* this device cannot inflate */
}

/* The update path: returns the verifier's status; on FWS_OK the slot holds
 * the image and record[0..*record_len) the boot record. */
static int bl_update(const fws_policy *p, const uint8_t *img, size_t len, size_t feed,
                     fws_install_ctx *ctx, uint8_t *work, size_t work_len, slot *s,
                     uint8_t *record, size_t *record_len)
{
    fws_sink sink;
    fws_measurements m;
    const uint8_t *rec;
    size_t pos = 0, n, i;
    int rc;
    sink.write = slot_write;
    sink.user = s;
    s->used = 0;
    rc = fws_install_init(ctx, p, &sink, work, work_len);
    while (rc == FWS_OK && pos < len) {
        n = len - pos < feed ? len - pos : feed;
        rc = fws_install_push(ctx, img + pos, n);
        pos += n;
    }
    if (rc != FWS_OK) {
        fws_install_finish(ctx, &m);
        return rc;
    }
    rc = fws_install_finish(ctx, &m);
    if (rc != FWS_OK)
        return rc;
    if (m.counter != 7 || m.n_components != 1 || m.size[0] != 12 || m.n_signers != 1)
        return -1;
    rc = fws_install_boot_record(ctx, &rec, record_len);
    if (rc != FWS_OK || *record_len > BL_RECORD)
        return -1;
    for (i = 0; i < *record_len; i++)
        record[i] = rec[i];
    return FWS_OK;
}

static int bl_boot(const fws_policy *p, const uint8_t *record, size_t record_len, slot *s)
{
    uint8_t scratch[FWS_BOOT_SCRATCH];
    fws_measurements m;
    return fws_boot_check(p, record, record_len, slot_read, s, scratch, sizeof scratch, &m);
}

/* Every verdict this device must reach; 0 if all are right, else the
 * number of the first wrong one. */
int bl_selftest(void)
{
    static const uint8_t hello[12] = {'h', 'e', 'l', 'l', 'o', ' ', 'w', 'o', 'r', 'l', 'd', '\n'};
    uint8_t work[FWS_WORK_SIZE(BL_CHUNK, 0)];
    uint8_t mem[BL_SLOT], record[BL_RECORD], copy[sizeof example];
    fws_install_ctx ctx;
    fws_policy p;
    slot s;
    size_t record_len, i, feed;
    s.mem = mem;
    s.cap = sizeof mem;
    s.used = 0;

    bl_policy(&p, 7);
    for (feed = 1; feed <= sizeof example; feed += feed < 8 ? 3 : 97) {
        if (bl_update(&p, example, sizeof example, feed, &ctx, work, sizeof work, &s, record,
                      &record_len) != FWS_OK)
            return 1;
        if (s.used != sizeof hello)
            return 2;
        for (i = 0; i < sizeof hello; i++)
            if (mem[i] != hello[i])
                return 3;
    }
    /* The boot record: header, manifest, one signature entry. */
    if (record_len != 16 + 182 + 1 + 75)
        return 4;
    if (bl_boot(&p, record, record_len, &s) != FWS_OK)
        return 5;
    mem[3] ^= 1;   /* a flipped bit in the installed image */
    if (bl_boot(&p, record, record_len, &s) != FWS_E_DIGEST)
        return 6;
    mem[3] ^= 1;

    for (i = 0; i < sizeof example; i++)
        copy[i] = example[i];
    copy[sizeof example - 1] ^= 0x80;   /* payload */
    if (bl_update(&p, copy, sizeof copy, 16, &ctx, work, sizeof work, &s, record, &record_len) !=
        FWS_E_CHUNK_HASH || s.used != 0)
        return 7;
    copy[sizeof example - 1] ^= 0x80;
    copy[0x100] ^= 0x01;   /* signature */
    if (bl_update(&p, copy, sizeof copy, 16, &ctx, work, sizeof work, &s, record, &record_len) !=
        FWS_E_UNTRUSTED)
        return 8;
    copy[0x100] ^= 0x01;
    copy[0x22] ^= 0x08;    /* counter 7 -> 15, under the signature */
    if (bl_update(&p, copy, sizeof copy, 16, &ctx, work, sizeof work, &s, record, &record_len) !=
        FWS_E_UNTRUSTED)
        return 9;
    copy[0x22] ^= 0x08;
    if (bl_update(&p, copy, sizeof copy - 1, 16, &ctx, work, sizeof work, &s, record,
                  &record_len) != FWS_E_TRUNCATED)
        return 10;

    bl_policy(&p, 8);   /* the device has seen counter 8 */
    if (bl_update(&p, example, sizeof example, 16, &ctx, work, sizeof work, &s, record,
                  &record_len) != FWS_E_ROLLBACK)
        return 11;
    return 0;
}

#ifdef BOOTLOADER_HOSTED
int main(void)
{
    return bl_selftest();
}
#endif
