/* SPDX-License-Identifier: MIT */
/*
 * The bootloader of the simulated A/B device: what a real bootloader does
 * at reset, written against the flash driver (flash.h), the flash map
 * (layout.h) and the two-file verifier (fwseal_verify.h) only.
 *
 * At every reset (sim_boot):
 *   1. If a staged container is waiting (a valid staging header whose id
 *      the metadata has not consumed) and the running image is not in its
 *      trial boot: stream it from staging through fws_install_* into the
 *      inactive slot (erased block by block as the sink reaches it; the
 *      old boot record is erased first, before the first byte is
 *      programmed; a container the policy refuses never touches the slot),
 *      then, after fws_install_finish == FWS_OK, program the boot record.
 *      One metadata write then both activates the new slot in trial state
 *      and consumes the staged container; a refusal is recorded (and the
 *      container consumed) the same way, and the old image keeps running.
 *   2. Pick the image: the active slot, unless it is a trial image that
 *      already had its SIM_TRIAL_BOOTS boots without a confirm (revert to
 *      the other slot).  Verify it in place (fws_boot_check over the slot:
 *      signatures, class, counter >= floor, certified keys' generations
 *      >= the key-generation floor, every component's SHA-256);
 *      if it fails, try the other slot.  A trial boot is counted in the
 *      metadata before the image starts.  Prints which image booted.
 *
 * The application's side: sim_confirm (only now do the floors rise, in one
 * metadata write: the counter floor to the verified counter of the running
 * image, the key-generation floor to its MIN_KEY_GENERATION if it carries
 * one) and sim_fail.
 *
 * Every metadata change is one power-fail safe write (layout.h): a cut at
 * any flash operation leaves either the old or the new metadata.
 */
#ifndef SIM_BOOTLOADER_H
#define SIM_BOOTLOADER_H

#include <stdint.h>

#include "flash.h"
#include "fwseal_verify.h"
#include "layout.h"

/* Exit statuses of the sim commands (flash.h adds 3, 42 and 70). */
#define SIM_EXIT_OK 0
#define SIM_EXIT_REFUSED 1      /* the command cannot do what was asked */
#define SIM_EXIT_USAGE 2
#define SIM_EXIT_NO_IMAGE 4     /* sim boot: nothing verifies */

/* sim_slot_check's result for a slot with no record at all. */
#define SIM_SLOT_EMPTY (-1)

typedef struct {
    uint32_t seq;
    uint8_t active;        /* 0, 1 or SIM_SLOT_NONE */
    uint8_t state;         /* SIM_STATE_* */
    uint8_t attempts;
    uint8_t last;          /* fws status of the last install, or SIM_LAST_NONE */
    uint32_t floor;        /* anti-rollback counter floor */
    uint32_t consumed;     /* id of the last staged container taken */
    uint32_t keygen_floor; /* key-generation floor (SPEC.md 4.2) */
} sim_meta;

typedef struct {
    uint8_t n_trusted, threshold, key_type, max_wbits;
    uint8_t n_roots, root_threshold;
    uint32_t max_chunk;
    uint64_t max_size;
    uint8_t class_id[FWS_CLASS_LEN];
    uint8_t secret[32];    /* SECRET: X25519 secret key or PSK */
    uint8_t pub[32];       /* X25519 public key */
    uint8_t trusted[SIM_ROM_MAX_TRUSTED][32];
    uint8_t roots[SIM_ROM_MAX_ROOTS][32];   /* Ed25519 keys that certify signing keys */
} sim_rom;

typedef struct {
    sim_flash *flash;
    sim_rom rom;
    sim_meta meta;         /* the current metadata */
    int have_meta;         /* 0: neither copy is valid */
    int meta_copy;         /* copy holding meta: 0 A, 1 B */
    int copy_valid[2];     /* for status */
    uint32_t copy_seq[2];
} sim_device;

/* A slot's boot record, read into RAM once, and what it measured. */
typedef struct {
    uint8_t record[SIM_RECORD_AREA];
    fws_measurements m;    /* valid when sim_slot_check returned FWS_OK */
} sim_slot_view;

/* NULL if r's keys, threshold and root threshold make a policy the
 * verifier takes (layout.h, ROM record), else what is wrong. */
const char *sim_rom_trust_error(const sim_rom *r);
void sim_rom_encode(const sim_rom *r, uint8_t out[SIM_ROM_LEN]);
void sim_meta_encode(const sim_meta *m, uint8_t out[SIM_META_LEN]);
int sim_meta_decode(const uint8_t in[SIM_META_LEN], sim_meta *m);
/* Staging header: 0 and *id, *size if valid, else -1. */
int sim_stage_header(sim_flash *f, uint32_t *id, uint32_t *size);
void sim_stage_encode(uint32_t id, uint32_t size, uint8_t out[SIM_STAGE_LEN]);

/* Reads the ROM (need_rom: an invalid ROM is an error) and the metadata.
 * Returns 0, or SIM_EXIT_IO after printing why. */
int sim_device_open(sim_device *d, sim_flash *f, int need_rom);
void sim_device_close(sim_device *d);   /* wipes the secrets */
/* Writes *m (seq set to the current + 1) into the copy that does not hold
 * the current metadata. */
void sim_meta_store(sim_device *d, sim_meta *m);

/* fws_boot_check of slot 0 (A) or 1 (B) in place, under the device's
 * policy and the current floors: FWS_OK, a fws status, or SIM_SLOT_EMPTY. */
int sim_slot_check(sim_device *d, int slot, sim_slot_view *v);

/* The commands; each returns a SIM_EXIT_* status. */
int sim_boot(sim_device *d);
int sim_confirm(sim_device *d);
int sim_fail(sim_device *d);

#endif
