/* SPDX-License-Identifier: MIT */
/*
 * Memory map of the bootloader example on QEMU mps2-an386 (see
 * bootloader/link.ld for the picture; app/link.ld and
 * scripts/qemu-demo.sh use the same addresses).  All of it is in the
 * 4 MiB code SSRAM at 0x00000000, which stands in for on-chip flash.
 */
#ifndef LAYOUT_H
#define LAYOUT_H

/* The image that boots: the application is linked to run here (its
 * vector table is the slot's first 128-byte-aligned word). */
#define SLOT_ADDR 0x00100000u
#define SLOT_SIZE 0x00080000u

/* Where an update is installed (decrypted, inflated) first.  Only after
 * fws_install_finish() returned FWS_OK is it copied to the slot, so a
 * refused update, even one refused at its last chunk, never touches the
 * image that boots. */
#define SCRATCH_ADDR 0x00180000u

/* The boot record of the image in the slot (header || manifest ||
 * verified signature entries, from fws_install_boot_record), behind an
 * 8-byte header: u32le RECORD_MAGIC, u32le length.  The header is written
 * last, so a record is valid only when complete. */
#define RECORD_ADDR 0x00020000u
#define RECORD_SIZE 0x00004000u
#define RECORD_MAGIC 0x52425746u /* "FWBR" */

/* Staging: where the update agent (here QEMU's -device loader) leaves a
 * downloaded container, behind u32le STAGE_MAGIC, u32le length. */
#define STAGE_ADDR 0x00200000u
#define STAGE_SIZE 0x00200000u
#define STAGE_MAGIC 0x50555746u /* "FWUP" */

#endif
