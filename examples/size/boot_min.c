/* SPDX-License-Identifier: MIT */
/*
 * `make size`, configuration "boot": a minimal bootloader that checks an
 * installed image in place with fws_boot_check (signatures, policy, each
 * component's SHA-256) and nothing else: no X25519, no ChaCha20, no
 * inflate.  Never run: built only to be measured, linked with
 * -nostdlib -nostartfiles -Wl,--gc-sections so what remains is what the
 * boot check really needs.
 */
#include <stddef.h>
#include <stdint.h>

#include "fws_verify.h"

#ifndef FWS_BOOT_SCRATCH
#define FWS_BOOT_SCRATCH 512
#endif

void _start(void);

/* The device's trust anchors (values do not matter for the size). */
static const uint8_t trusted[1][32] = {{1}};
static const uint8_t class_id[FWS_CLASS_LEN] = {2};

/* Pretend flash: the boot record kept beside the image, and the image. */
static const uint8_t *volatile record_addr = (const uint8_t *)0x10000;
static volatile size_t record_len = 1024;
static const uint8_t *volatile image_addr = (const uint8_t *)0x20000;

static uint8_t scratch[FWS_BOOT_SCRATCH];
static fws_policy policy; /* static, not a zeroed local: that would call memset */
static fws_measurements meas;
static volatile int result;

/* Reads installed component bytes from (memory-mapped) flash. */
static int read_image(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    const uint8_t *src = image_addr + (size_t)offset;
    size_t i;
    (void)user;
    (void)index;
    for (i = 0; i < len; i++)
        buf[i] = src[i];
    return 0;
}

void _start(void)
{
    fws_policy *p = &policy;
    p->trusted = trusted;
    p->n_trusted = 1;
    p->threshold = 1;
    p->class_id = class_id;
    p->counter_floor = 1;
    p->max_size = 0x40000;
    result = fws_boot_check(p, record_addr, record_len, read_image, 0, scratch, sizeof scratch,
                            &meas);
    for (;;)
        ;
}
