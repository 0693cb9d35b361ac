/* SPDX-License-Identifier: MIT */
/*
 * Target switches and size/speed choices for the verifier, in one place.
 * Override any of them with -D or by editing this file; each says what it
 * costs.
 */
#ifndef FWS_CONFIG_H
#define FWS_CONFIG_H

/* Largest manifest accepted (<= 8192, the format's limit).  Costs this
 * many bytes of work area; a device that ships small manifests can save
 * RAM by lowering it, and rejects larger ones with FWS_E_LIMIT_MANIFEST. */
#ifndef FWS_CFG_MAX_MANIFEST
#define FWS_CFG_MAX_MANIFEST 8192
#endif

/* Most trusted keys a policy may list (a 32-bit mask tracks distinct
 * signers, so at most 32).  Costs 8 bytes of fws_install_ctx per key (the
 * key ids), and one SHA-512 per key at install/boot start. */
#ifndef FWS_CFG_MAX_TRUSTED
#define FWS_CFG_MAX_TRUSTED 8
#endif
#if FWS_CFG_MAX_TRUSTED < 1 || FWS_CFG_MAX_TRUSTED > 32
#error "FWS_CFG_MAX_TRUSTED must be 1..32"
#endif
#if FWS_CFG_MAX_MANIFEST < 1 || FWS_CFG_MAX_MANIFEST > 8192
#error "FWS_CFG_MAX_MANIFEST must be 1..8192"
#endif

/* Cortex-M3 and X25519: the M3's long multiplies (UMULL, UMLAL) finish
 * early on small operands, so their time depends on secret values; the
 * M4, M33 and M0+ (single-cycle or fixed 32-cycle MUL) do not.  1 builds
 * every 32x32->64 product of the field arithmetic from four 16x16->32
 * MULs instead: constant time on M3, at about 2x the time of X25519 and
 * Ed25519 and 150 more bytes of code.  Leave it 0 elsewhere; on an M3
 * that only verifies signatures and decrypts with a PSK (no secret goes
 * through the field arithmetic then) it is not needed either. */
#ifndef FWS_CFG_CT_MUL64
#define FWS_CFG_CT_MUL64 0
#endif
#if FWS_CFG_CT_MUL64 != 0 && FWS_CFG_CT_MUL64 != 1
#error "FWS_CFG_CT_MUL64 must be 0 or 1"
#endif

/* Step numbers of the state machines (install, inflate) are this far
 * apart.  On Thumb-1 (Cortex-M0/M0+) GCC's jump tables for a dense switch
 * call libgcc helpers (__gnu_thumb1_case_*); numbers 4 apart make every
 * switch too sparse for a table, so the verifier links no helper but the
 * 64-bit multiply there (make size checks).  Elsewhere a table is smaller
 * (about 50 bytes on Cortex-M4) and needs no helper.  Not a tunable. */
#if defined(__thumb__) && !defined(__thumb2__)
#define FWS_CFG_STEP_SPACING 4
#else
#define FWS_CFG_STEP_SPACING 1
#endif

/* Key rotation (SPEC.md 4.1): 1 accepts signing keys certified by root
 * keys (policy.roots); about 500 bytes of code.  0 leaves it out: delegated
 * entries never count, and a policy with roots is refused. */
#ifndef FWS_CFG_DELEGATION
#define FWS_CFG_DELEGATION 1
#endif
#if FWS_CFG_DELEGATION != 0 && FWS_CFG_DELEGATION != 1
#error "FWS_CFG_DELEGATION must be 0 or 1"
#endif

/* Most root keys a policy may list (8 bytes of context each, one SHA-512
 * each at install/boot start). */
#ifndef FWS_CFG_MAX_ROOTS
#define FWS_CFG_MAX_ROOTS 4
#endif
#if FWS_CFG_MAX_ROOTS < 1 || FWS_CFG_MAX_ROOTS > 32
#error "FWS_CFG_MAX_ROOTS must be 1..32"
#endif

/* Largest threshold a policy may ask for.  The first `threshold` entries
 * that count are kept for the boot record (later ones are not even
 * verified), so this sets the work area's room for them: 75 bytes each,
 * 407 with delegation (an entry with four root signatures). */
#ifndef FWS_CFG_MAX_THRESHOLD
#define FWS_CFG_MAX_THRESHOLD 4
#endif
#if FWS_CFG_MAX_THRESHOLD < 1 || FWS_CFG_MAX_THRESHOLD > 8
#error "FWS_CFG_MAX_THRESHOLD must be 1..8"
#endif

/* Room for the entries kept for the boot record: count byte, then
 * FWS_CFG_MAX_THRESHOLD entries of the largest kind.  Not a tunable. */
#define FWS_CFG_SIG_BLOCK_MAX \
    (1 + FWS_CFG_MAX_THRESHOLD * (FWS_CFG_DELEGATION ? 3 + 404 : 3 + 72))

#endif
