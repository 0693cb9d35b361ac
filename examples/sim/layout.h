/* SPDX-License-Identifier: MIT */
/*
 * The flash map of the simulated A/B device, and the byte layout of the
 * three small records the bootloader keeps in it.  Everything here is
 * plain numbers (<stdint.h> only), so tests/test_sim.c reads the same map
 * to check the flash independently of the simulator.
 *
 *   0x000000  ROM        1 block   provisioning: trusted keys, threshold,
 *                                  root keys, root threshold, class id,
 *                                  limits, device key (a real
 *                                  device compiles fws_device_config.h
 *                                  into the bootloader or keeps it in OTP;
 *                                  written once by `sim init`, never by
 *                                  the bootloader)
 *   0x001000  META A     1 block   metadata, copy A  \ two copies, each in its
 *   0x002000  META B     1 block   metadata, copy B  / own erase block
 *   0x003000  SLOT A    64 blocks  record area (3 blocks) + image (61 blocks)
 *   0x043000  SLOT B    64 blocks  same
 *   0x083000  STAGING   64 blocks  header page + the incoming container
 *   0x0C3000  end (780 KiB)
 *
 * Flash is NOR: 4 KiB erase blocks (erase sets 0xFF), programming clears
 * bits only and never crosses a 256-byte page (flash.h enforces both).
 *
 * All integers are little-endian.  Every record ends with a SHA-256 of
 * the bytes before it, so a torn write (power lost while programming or
 * erasing) reads as "invalid", never as a different valid record.
 */
#ifndef SIM_LAYOUT_H
#define SIM_LAYOUT_H

#include <stdint.h>

#define SIM_BLOCK 0x1000u            /* erase block */
#define SIM_PAGE 0x100u              /* largest program operation */

#define SIM_ROM_ADDR 0x000000u
#define SIM_META_A_ADDR 0x001000u
#define SIM_META_B_ADDR 0x002000u
#define SIM_SLOT_A_ADDR 0x003000u
#define SIM_SLOT_B_ADDR 0x043000u
#define SIM_SLOT_SIZE 0x040000u      /* 256 KiB */
#define SIM_STAGING_ADDR 0x083000u
#define SIM_STAGING_SIZE 0x040000u
#define SIM_FLASH_SIZE 0x0C3000u     /* 780 KiB, 195 blocks */

/* ---- A slot ----
 * slot + 0                 the boot record: header || manifest || the
 *                          signature entries that verified at install
 *                          (fws_install_boot_record), written after the
 *                          image, so a torn install leaves no valid record
 * slot + SIM_IMAGE_OFFSET  the installed components, back to back in
 *                          manifest order (component i starts at the sum
 *                          of the SIZEs before it), plaintext as the
 *                          verifier's sink delivered it. */
#define SIM_RECORD_AREA 0x3000u      /* 12 KiB: >= 16 + 8192 + 601 */
#define SIM_IMAGE_OFFSET SIM_RECORD_AREA
#define SIM_IMAGE_CAPACITY (SIM_SLOT_SIZE - SIM_IMAGE_OFFSET)   /* 244 KiB */

/* ---- Metadata record (64 bytes, at the start of META A and META B) ----
 * Written power-fail safe: the new record (sequence + 1) goes into the
 * copy that does not hold the current one (erase its block, program 64
 * bytes); the reader takes the valid copy with the highest sequence.  A
 * cut while writing leaves the target copy invalid and the other intact. */
#define SIM_META_MAGIC "SIMMETA1"    /* 8 bytes, no NUL */
#define SIM_META_LEN 64
#define SIM_META_SEQ 8               /* u32: higher is newer */
#define SIM_META_ACTIVE 12           /* u8: 0 slot A, 1 slot B, 0xFF none */
#define SIM_META_STATE 13            /* u8: SIM_STATE_* */
#define SIM_META_ATTEMPTS 14         /* u8: boots of the trial image so far */
#define SIM_META_LAST 15             /* u8: fws status of the last install, 0xFF none */
#define SIM_META_FLOOR 16            /* u32: anti-rollback counter floor */
#define SIM_META_CONSUMED 20         /* u32: id of the last staged container taken */
#define SIM_META_KEYGEN_FLOOR 24     /* u32: key-generation floor (SPEC.md 4.2); raised
                                        with the counter floor, in the same write */
#define SIM_META_SUM 32              /* SHA-256 of bytes 0..31 (28..31 zero) */

#define SIM_SLOT_NONE 0xFFu
#define SIM_STATE_CONFIRMED 0u
#define SIM_STATE_TRIAL 1u
#define SIM_LAST_NONE 0xFFu
/* Boots a trial image gets without a confirm: the bootloader counts the
 * attempt before it starts the image, so a crash, a hang or a power cut
 * in the application all count. */
#define SIM_TRIAL_BOOTS 1u

/* ---- Staging header (64 bytes at STAGING; the container at + SIM_PAGE) ----
 * `sim stage` (the OTA client) erases, programs the container, then the
 * header last.  The id is the metadata's CONSUMED + 1 at staging time; the
 * bootloader takes a staged container only if its id differs from
 * CONSUMED, and records the id in the same metadata write that activates
 * the new slot (or records the refusal), so "installed" and "consumed"
 * happen in one atomic step. */
#define SIM_STAGE_MAGIC "SIMSTAGE"
#define SIM_STAGE_LEN 64
#define SIM_STAGE_ID 8               /* u32 */
#define SIM_STAGE_SIZE 12            /* u32: container bytes */
#define SIM_STAGE_SUM 32             /* SHA-256 of bytes 0..31 */
#define SIM_STAGE_DATA SIM_PAGE
#define SIM_STAGE_CAPACITY (SIM_STAGING_SIZE - SIM_STAGE_DATA)

/* ---- ROM (provisioning) record, 528 bytes at ROM ----
 *   0    magic "SIMROM03"
 *   8    u8  n_trusted        0..8 (0 only with roots)
 *   9    u8  threshold        1..4 signers, trusted or certified (and at most
 *                             n_trusted without roots)
 *   10   u8  key type         SIM_KEY_*
 *   11   u8  max_wbits        0 or 9..SIM_MAX_WBITS
 *   12   u32 max_chunk        256..SIM_MAX_CHUNK
 *   16   16  class id
 *   32   32  X25519 secret or PSK
 *   64   32  X25519 public key
 *   96   8 x 32 trusted Ed25519 keys (the first n_trusted; the rest zero)
 *   352  u64 max_size         1..SIM_IMAGE_CAPACITY
 *   360  u8  n_roots          0..4
 *   361  u8  root_threshold   1..n_roots (0 without roots)
 *   362  6   zero
 *   368  4 x 32 root Ed25519 keys (the first n_roots; the rest zero)
 *   496  SHA-256 of bytes 0..495 */
#define SIM_ROM_MAGIC "SIMROM03"
#define SIM_ROM_LEN 528
#define SIM_ROM_N_TRUSTED 8
#define SIM_ROM_THRESHOLD 9
#define SIM_ROM_KEY_TYPE 10
#define SIM_ROM_MAX_WBITS 11
#define SIM_ROM_MAX_CHUNK 12
#define SIM_ROM_CLASS 16
#define SIM_ROM_SECRET 32
#define SIM_ROM_PUBLIC 64
#define SIM_ROM_TRUSTED 96
#define SIM_ROM_MAX_SIZE 352
#define SIM_ROM_N_ROOTS 360
#define SIM_ROM_ROOT_THRESHOLD 361
#define SIM_ROM_ROOTS 368
#define SIM_ROM_SUM 496
#define SIM_ROM_MAX_TRUSTED 8
#define SIM_ROM_MAX_ROOTS 4
#define SIM_ROM_MAX_THRESHOLD 4

#define SIM_KEY_NONE 0u
#define SIM_KEY_X25519 1u
#define SIM_KEY_PSK 2u

/* What the device can take (its RAM): the most the policy limits in the
 * ROM (from fws_device_config.h) may say. */
#define SIM_MAX_CHUNK 4096u
#define SIM_MAX_WBITS 15u

#endif
