/* SPDX-License-Identifier: MIT */
/*
 * `make size`, configuration "bootloader": what a bootloader that both
 * installs updates and checks the installed image at every start links.
 * An encrypted, compressed container is streamed through
 * fws_install_init/push/finish with an X25519 device key (X25519, HKDF,
 * ChaCha20, inflate), its boot record kept, and the image is checked in
 * place with fws_boot_check (signatures incl. delegated keys, policy,
 * keyed or plain digests).  Never run: built only to be measured, linked
 * with -nostdlib -nostartfiles -Wl,--gc-sections.
 */
#include <stddef.h>
#include <stdint.h>

#include "fws_verify.h"

#define MAX_CHUNK 4096
#define MAX_WBITS 12

void _start(void);

static const uint8_t trusted[1][32] = {{1}};
static const uint8_t roots[1][32] = {{4}};
static const uint8_t class_id[FWS_CLASS_LEN] = {2};
static const uint8_t *volatile device_secret = (const uint8_t *)0x30000; /* key store */
static const uint8_t device_public[32] = {3};

/* Pretend radio/UART: the container arrives 256 bytes at a time. */
static const uint8_t *volatile incoming = (const uint8_t *)0x10000;
static volatile size_t incoming_len = 65536;
/* Pretend flash: the installed image. */
static const uint8_t *volatile image_addr = (const uint8_t *)0x40000;

static uint8_t work[FWS_WORK_SIZE(MAX_CHUNK, MAX_WBITS)];
static fws_install_ctx ctx;
static fws_policy policy; /* static, not a zeroed local: that would call memset */
static fws_sink sink;
static fws_measurements meas;
static volatile uint32_t flash_sink;
static volatile int result;

/* "Writes" plaintext to flash. */
static int write_flash(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                       const uint8_t *data, size_t len)
{
    size_t i;
    (void)user;
    (void)index;
    (void)c;
    (void)offset;
    for (i = 0; i < len; i++)
        flash_sink = data[i];
    return 0;
}

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
    const uint8_t *rec;
    size_t off, len, n;
    int rc;

    p->trusted = trusted;
    p->n_trusted = 1;
    p->threshold = 1;
    p->roots = roots;
    p->n_roots = 1;
    p->root_threshold = 1;
    p->class_id = class_id;
    p->counter_floor = 1;
    p->max_chunk = MAX_CHUNK;
    p->max_size = 0x40000;
    p->max_wbits = MAX_WBITS;
    p->x25519_secret = device_secret;
    p->x25519_public = device_public;
    sink.write = write_flash;

    rc = fws_install_init(&ctx, p, &sink, work, sizeof work);
    len = incoming_len;
    for (off = 0; rc == FWS_OK && off < len; off += n) {
        n = len - off < 256 ? len - off : 256;
        rc = fws_install_push(&ctx, incoming + off, n);
    }
    if (rc == FWS_OK)
        rc = fws_install_finish(&ctx, &meas);
    if (rc == FWS_OK)
        rc = fws_install_boot_record(&ctx, &rec, &n);
    /* Every start: the boot record (copied to RAM) against the image in
     * place; the work area is free again after the install. */
    if (rc == FWS_OK)
        rc = fws_boot_check(p, rec, n, read_image, 0, work + FWS_WORK_SIZE(0, 0),
                            FWS_WORK_SIZE(MAX_CHUNK, MAX_WBITS) - FWS_WORK_SIZE(0, 0), &meas);
    result = rc;
    for (;;)
        ;
}
