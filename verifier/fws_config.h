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

/* Room for the verified Ed25519 entries kept for the boot record:
 * count byte + 8 entries of 3 + 72 bytes (at most 8 entries in a block,
 * SPEC.md section 9).  Not a tunable. */
#define FWS_CFG_SIG_BLOCK_MAX (1 + 8 * 75)

#endif
