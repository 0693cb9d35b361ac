/* SPDX-License-Identifier: MIT */
/*
 * `make size`, configuration "install": a minimal updater that streams an
 * encrypted, compressed container through fws_install_init/push/finish
 * with an X25519 device key (so X25519, HKDF-SHA256, ChaCha20 and inflate
 * are all linked) and stores the boot record.  Never run: built only to be
 * measured, linked with -nostdlib -nostartfiles -Wl,--gc-sections.
 */
#include <stddef.h>
#include <stdint.h>

#include "fws_verify.h"

#define MAX_CHUNK 4096
#define MAX_WBITS 12

void _start(void);

static const uint8_t trusted[1][32] = {{1}};
static const uint8_t class_id[FWS_CLASS_LEN] = {2};
static const uint8_t *volatile device_secret = (const uint8_t *)0x30000; /* key store */
static const uint8_t device_public[32] = {3};

/* Pretend radio/UART: the container arrives 256 bytes at a time. */
static const uint8_t *volatile incoming = (const uint8_t *)0x10000;
static volatile size_t incoming_len = 65536;

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

void _start(void)
{
    fws_policy *p = &policy;
    const uint8_t *rec;
    size_t off, len, n;
    int rc;

    p->trusted = trusted;
    p->n_trusted = 1;
    p->threshold = 1;
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
    result = rc;
    for (;;)
        ;
}
