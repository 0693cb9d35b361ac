/* SPDX-License-Identifier: MIT */
/*
 * fwseal verifier: the decision a device takes on a container (install)
 * or on an installed image (boot).  Freestanding C99, no heap, no mutable
 * globals, no recursion; every buffer belongs to the caller.
 *
 * Install (streaming):
 *
 *     static uint8_t work[FWS_WORK_SIZE(4096, 12)];
 *     fws_install_ctx ctx;
 *     fws_install_init(&ctx, &policy, &sink, work, sizeof work);
 *     while ((n = read_some(buf, sizeof buf)) > 0)
 *         if ((rc = fws_install_push(&ctx, buf, n)) != FWS_OK) break;
 *     if (rc == FWS_OK) rc = fws_install_finish(&ctx, &meas);
 *     // rc == FWS_OK: every check passed and the sink has every byte.
 *     // otherwise log fws_status_name(rc) and discard what the sink wrote.
 *
 * Pushing the container in any split, one byte at a time included, gives
 * the same result as one buffer.  The sink sees plaintext only after the
 * header, manifest, policy, signatures, key commitment and the hash of the
 * chunk that carries it have been checked; the final component digests
 * are checked before fws_install_finish returns FWS_OK, so a bootloader
 * must treat what the sink wrote as unverified until then.
 *
 * Checks run in the order of SPEC.md section 8, each as soon as the bytes
 * it needs have been pushed: a container this device cannot take (limits,
 * class, counter) is refused when the last manifest byte arrives, before
 * the signatures are even read; signatures and threshold at the end of
 * the signature block; the key at the end of the capsule block; each chunk
 * when its last byte arrives; each component's size and digest at its
 * last byte.
 *
 * Single fetch: every byte of the container is read once, from the
 * caller's buffer, and copied into the work area (or the context) where it
 * must be kept: the signed region, the signature entries, the capsule
 * entry being read, the current chunk.  Every check and every use reads
 * that copy, never the caller's input again, so input that changes under
 * the verifier (flash, DMA) cannot pass a check with one value and be used
 * with another.
 *
 * Boot (in place): fws_boot_check() takes the "boot record" (header,
 * manifest and the signature entries that verified, then for an encrypted
 * container the 32-byte digest key; the bootloader stores it beside the
 * installed image, fws_install_boot_record() returns it) and a reader for
 * each installed component, and checks signatures, policy and each
 * component's digest (SHA-256, or HMAC-SHA256 under the digest key when
 * encrypted: SPEC.md section 3.6) without decrypting.
 *
 * Secrets: the device's X25519 secret key and the PSK (policy fields) are
 * used in constant time and never copied into the work area; the content
 * key, the ChaCha20 state and every key-encryption key are wiped when
 * install ends (finish, or the first error).  Alternatively the unwrap
 * callback does the key agreement in a secure element.
 *
 * Sizes (measured: the QEMU bootloader prints them, tests/test_verifier.c
 * for the host): sizeof(fws_install_ctx) = 3,704 bytes with 4-byte
 * pointers (Cortex-M), 3,896 on LP64 hosts; the inflater's state with its
 * decoding tables is 2,052 of them.  Work area: FWS_WORK_SIZE(4096, 12) =
 * 17,065 bytes, FWS_WORK_SIZE(4096, 15) = 45,737, of which 8,192 + 633 are
 * the signed region and the rest of the boot record (kept signatures,
 * digest key; FWS_CFG_MAX_MANIFEST=1024 saves 7,168).  Worst-case stack along the
 * call graph (arm-none-eabi-gcc -Os, Cortex-M4): fws_install_push 1,344
 * (Ed25519 inside a push), fws_install_init 720, fws_boot_check 2,416 (it
 * keeps a decoded manifest on its own stack); plus the sink's and the
 * reader's own use.
 */
#ifndef FWS_VERIFY_H
#define FWS_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "chacha20.h"
#include "component_digest.h"
#include "fws_config.h"
#include "fws_format.h"
#include "fws_manifest.h"
#include "inflate.h"
#include "sha256.h"

/* Results.  0..FWS_FORMAT_ERRORS-1 are the format decoder's (see
 * fws_format.h: truncated, bad_magic, field_order, ...); the rest are the
 * verifier's.  fws_status_name() gives each a distinct stable name. */
typedef enum {
    FWS_E_LIMIT_MANIFEST = FWS_FORMAT_ERRORS, /* manifest above FWS_CFG_MAX_MANIFEST */
    FWS_E_LIMIT_CHUNK,        /* chunk size above the policy's max_chunk */
    FWS_E_LIMIT_WINDOW,       /* a component needs a window above max_wbits */
    FWS_E_WRONG_CLASS,        /* class id differs from the device's */
    FWS_E_ROLLBACK,           /* counter below the floor */
    FWS_E_UNTRUSTED,          /* no valid signature by a trusted key */
    FWS_E_THRESHOLD,          /* fewer than threshold distinct trusted signers */
    FWS_E_NO_CAPSULE,         /* encrypted, and no capsule for this device */
    FWS_E_KEY_COMMITMENT,     /* unwrapped key does not match the commitment */
    FWS_E_NO_KEY,             /* encrypted, and the policy has no key or callback */
    FWS_E_CHUNK_HASH,         /* a chunk's SHA-256 differs from the chain */
    FWS_E_INFLATE,            /* bad deflate data (fws_inflate_* detail in ctx) */
    FWS_E_SIZE,               /* a component's plaintext size differs */
    FWS_E_DIGEST,             /* a component's SHA-256 differs */
    FWS_E_SINK,               /* the sink callback refused */
    FWS_E_READ,               /* the boot reader callback failed */
    FWS_E_BUFFER,             /* work area too small for this policy */
    FWS_E_STATE,              /* API misuse: push after finish, boot record too early */
    FWS_E_POLICY,             /* invalid policy: no trusted or root key, threshold
                                 0 or above FWS_CFG_MAX_THRESHOLD (or above n_trusted
                                 without roots), n_trusted or n_roots above their
                                 FWS_CFG_ maximum, root_threshold not 1..n_roots,
                                 max_wbits not 0 or 9..15, max_chunk above 2^20,
                                 max_size 0 */
    FWS_E_POLICY_CLASS,       /* policy class_id is NULL: give the device's class,
                                 or FWS_CLASS_ANY to accept every class */
    FWS_E_LIMIT_SIZE,         /* a component's SIZE above the policy's max_size */
    FWS_E_KEY_REVOKED,        /* too few signers, and a genuine delegated key was
                                 refused: its generation is below the floor */
    FWS_E_KEYGEN_ABOVE_SIGNER,/* MIN_KEY_GENERATION above the generation of a
                                 delegated key that signed (self-revocation) */
    FWS_STATUS_END
} fws_status;

/* A short stable name for any status ("ok", "truncated", ..., "rollback",
 * "chunk_hash_mismatch"); "unknown_error" outside the range.  The names
 * of the verdicts shared with the host tool are the host's
 * (`fwseal verify --json` "reason"). */
const char *fws_status_name(int status);

/* Accept containers of every device class (policy.class_id).  A policy
 * must say so explicitly: a NULL class_id is refused (FWS_E_POLICY_CLASS),
 * so a forgotten field never means "install anything". */
extern const uint8_t fws_class_any[FWS_CLASS_LEN];
#define FWS_CLASS_ANY fws_class_any

/* What the device trusts and can do.  All pointers must stay valid for
 * the whole install or boot call.  The same policy must be given to
 * install and boot: boot applies the same limits, class, floor and
 * signature policy.  No field's zero value means "do not check": a zeroed
 * policy is refused (FWS_E_POLICY or FWS_E_POLICY_CLASS). */
typedef struct {
    const uint8_t (*trusted)[32];   /* Ed25519 public keys that sign releases */
    uint8_t n_trusted;              /* 0..FWS_CFG_MAX_TRUSTED (0 only with roots) */
    uint8_t threshold;              /* k distinct signing keys, trusted or certified,
                                       1..FWS_CFG_MAX_THRESHOLD (and n_trusted
                                       without roots) */
    /* Key rotation (SPEC.md 4.1): root keys that certify signing keys. */
    const uint8_t (*roots)[32];     /* Ed25519 root public keys, or NULL */
    uint8_t n_roots;                /* 0..FWS_CFG_MAX_ROOTS */
    uint8_t root_threshold;         /* distinct roots per delegation, 1..n_roots */
    uint32_t key_generation_floor;  /* refuse certified keys of a lower generation
                                       (raised, like counter_floor, only after a
                                       confirmed boot; 0 before the first) */
    const uint8_t *class_id;        /* 16 bytes, or FWS_CLASS_ANY; NULL is refused */
    uint32_t counter_floor;         /* reject counters below this (0 before the
                                       first confirmed update) */
    uint32_t max_chunk;             /* largest chunk the work area holds (<= 2^20) */
    uint64_t max_size;              /* largest installed SIZE of any component (the
                                       slot capacity), checked before anything is
                                       written; 0 is refused */
    uint8_t max_wbits;              /* largest inflate window (9..15); 0: no inflate,
                                       every zlib component is refused */
    /* Decryption (install only), any of: */
    const uint8_t *x25519_secret;   /* SECRET, 32 bytes, with its public key: */
    const uint8_t *x25519_public;   /* 32 bytes (bound into the KEK) */
    const uint8_t *psk;             /* SECRET, 32 bytes */
    /* ...or a secure element: given a capsule entry's type and 72-byte
     * body, writes K (unchecked; the verifier checks the commitment) and
     * returns 0, or returns nonzero if the capsule is not for it.  Called
     * for each X25519 or PSK capsule (in block order) that the keys above
     * did not already open, until one yields the committed key. */
    int (*unwrap)(void *user, uint8_t type, const uint8_t body[FWS_CAPSULE_BODY],
                  uint8_t key[FWS_KEY_LEN]);
    void *unwrap_user;
} fws_policy;

/* Receives each component's plaintext in order.  index is the component
 * (manifest order), c its decoded record (points into the context),
 * offset the position within the component.  Called once with len 0 and
 * data NULL when a component starts (also for a 0-byte component), then
 * with the component's bytes in order.  Return nonzero to stop
 * (FWS_E_SINK).  Bytes are provisional until fws_install_finish returns
 * FWS_OK (the component's digest is checked after its last byte). */
typedef struct {
    int (*write)(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                 const uint8_t *data, size_t len);
    void *user;
} fws_sink;

/* Secure-boot measurements, for measured boot and attestation.  Pointers
 * refer to the work area (install) or the boot record (boot).  digest[i]
 * is the signed DIGEST: SHA-256 of the image, or for an encrypted
 * container (keyed_digests 1) HMAC-SHA256 under the digest key (SPEC.md
 * section 3.6), which reveals nothing about the image to a verifier
 * without the key. */
typedef struct {
    uint16_t major, minor, patch;
    uint32_t build;
    uint32_t counter;
    uint64_t timestamp;
    const uint8_t *class_id;
    uint8_t n_components;
    uint8_t keyed_digests;
    const uint8_t *digest[FWS_MAX_COMPONENTS];   /* verified */
    uint64_t size[FWS_MAX_COMPONENTS];           /* plaintext bytes, verified */
    uint8_t n_signers;                           /* the first `threshold` that counted */
    uint8_t signer_id[FWS_MAX_SIGNATURES][FWS_KEYID_LEN];
    uint8_t signer_delegated;                    /* bit i: signer i was certified */
    uint32_t signer_generation[FWS_MAX_SIGNATURES];   /* its generation (else 0) */
    /* MIN_KEY_GENERATION (has_ 0: absent): after a confirmed boot, raise the
     * key-generation floor to it (never lower it). */
    uint8_t has_min_key_generation;
    uint32_t min_key_generation;
} fws_measurements;

/* The boot record's bytes after the signed region: the signature block of
 * the entries that verified, then (encrypted containers) the digest key. */
#define FWS_BOOT_TAIL_MAX (FWS_CFG_SIG_BLOCK_MAX + FWS_KEY_LEN)

/* Work area layout (install), in this order:
 *   signed region  FWS_HEADER_LEN + FWS_CFG_MAX_MANIFEST
 *                  (the signature entries kept for the boot record follow
 *                  the manifest directly, then the digest key, so the
 *                  boot record is one contiguous run of bytes)
 *   boot tail      FWS_BOOT_TAIL_MAX
 *   one chunk      max_chunk + FWS_HASH_LEN (chunk data and next hash)
 *   inflate window 2^max_wbits (none when max_wbits is 0)
 * Byte-addressed only: any alignment will do. */
#define FWS_WORK_SIZE(max_chunk, max_wbits)                                   \
    (FWS_HEADER_LEN + FWS_CFG_MAX_MANIFEST + FWS_BOOT_TAIL_MAX +              \
     (size_t)(max_chunk) + FWS_HASH_LEN +                                     \
     ((max_wbits) ? ((size_t)1 << (max_wbits)) : 0))

/* Smallest scratch buffer fws_boot_check accepts; larger is faster
 * (fewer reader calls). */
#define FWS_BOOT_SCRATCH 256

/* ---- Context: caller-allocated; every field is private to the verifier.
 * Defined here only so that sizeof works (static or stack allocation). */

/* Signature tally shared by install and boot: the distinct signing keys
 * whose entry verified, in block order, up to the threshold. */
typedef struct {
    uint8_t trusted_id[FWS_CFG_MAX_TRUSTED][FWS_KEYID_LEN];
    uint8_t root_id[FWS_CFG_MAX_ROOTS][FWS_KEYID_LEN];
    uint8_t n_signers;
    uint8_t revoked;           /* a genuine delegated key was below the floor */
    uint8_t delegated;         /* bit i: signer i was certified */
    uint8_t signer_id[FWS_CFG_MAX_THRESHOLD][FWS_KEYID_LEN];
    uint32_t signer_gen[FWS_CFG_MAX_THRESHOLD];
} fws_sig_tally;

/* Routing of authenticated plaintext to the components. */
typedef struct {
    uint8_t cur;               /* component receiving bytes */
    uint8_t started;           /* cur has been announced to the sink */
    uint8_t z_done;            /* cur's zlib stream ended */
    int status;                /* error raised inside the inflate sink */
    int inflate_err;           /* FWS_INFLATE_ERR_* detail of FWS_E_INFLATE */
    uint64_t in_done;          /* stored bytes of cur consumed */
    uint64_t out_done;         /* plaintext bytes of cur produced */
    const uint8_t *digest_key; /* DK (encrypted containers), else NULL */
    fws_digest_ctx digest;     /* over cur's plaintext */
    fws_inflate_ctx inf;
} fws_router;

struct fws_install_ctx {
    const fws_policy *policy;
    const fws_sink *sink;
    uint8_t *work;
    size_t work_len;
    int status;                /* sticky: first error, or FWS_OK */
    uint8_t state;             /* FWS_ST_* in install.c */
    uint8_t finished;
    uint8_t capsules;          /* the block being read: 0 signatures, 1 capsules */
    uint8_t block_count;       /* entries in the block being read */
    uint8_t entry_index;       /* entries of it read so far */
    uint8_t kept;              /* signature entries kept for the boot record */
    uint16_t kept_len;         /* their bytes */
    uint8_t cap_tried;         /* a capsule matched this device's key id */
    uint8_t key_ok;            /* key unwrapped and commitment matched */
    uint32_t need, have;       /* bytes the current step collects / has */
    uint8_t *dst;              /* where they go; NULL: skipped */
    uint32_t manifest_len;
    fws_entry_head eh;
    uint8_t entry[FWS_ENTRY_HEAD_LEN + FWS_CAPSULE_BODY];   /* capsule entry */
    uint8_t psk_id[FWS_KEYID_LEN];
    uint8_t x25519_id[FWS_KEYID_LEN];
    uint8_t expect[FWS_HASH_LEN];   /* hash of the next chunk */
    uint8_t key[FWS_KEY_LEN];  /* SECRET: content key */
    uint64_t payload_done;     /* payload bytes done */
    fws_manifest m;            /* decoded; points into the work area */
    fws_sig_tally tally;
    fws_chacha20_ctx chacha;   /* SECRET */
    fws_router r;
};
typedef struct fws_install_ctx fws_install_ctx;

/* ---- Install ---- */

/* Starts an install.  work: FWS_WORK_SIZE(p->max_chunk, p->max_wbits)
 * bytes (smaller: FWS_E_BUFFER).  p and s (s->write may be NULL: the bytes
 * are checked and dropped) must stay valid until finish.  Returns FWS_OK,
 * FWS_E_POLICY or FWS_E_BUFFER (then every push returns the same). */
int fws_install_init(fws_install_ctx *ctx, const fws_policy *p, const fws_sink *s,
                     uint8_t *work, size_t work_len);
/* Consumes all of data (data may be NULL when len is 0).  FWS_OK: so far
 * so good; any other value is final and sticky (later pushes return it
 * again; the secrets are already wiped).  Bytes after the last chunk:
 * FWS_E_TRAILING. */
int fws_install_push(fws_install_ctx *ctx, const uint8_t *data, size_t len);
/* End of input: the container must be complete (else FWS_E_TRUNCATED).
 * FWS_OK and *m filled (m may be NULL) only if every check passed.  Wipes
 * the content key either way.  Calling it again returns the same. */
int fws_install_finish(fws_install_ctx *ctx, fws_measurements *m);
/* The boot record to store beside the image: header || manifest || a
 * signature block holding only the entries that verified and counted ||
 * for an encrypted container the 32-byte digest key (SPEC.md section 8.1).
 * Points into the work area; stays valid until the work area is reused.
 * FWS_OK, the sticky error, or FWS_E_STATE before the end of the signature
 * block (unencrypted) or before the key was unwrapped (encrypted).  Store
 * it only after fws_install_finish returned FWS_OK. */
int fws_install_boot_record(const fws_install_ctx *ctx, const uint8_t **rec, size_t *len);
/* Detail of an FWS_E_INFLATE (an FWS_INFLATE_ERR_* value), else 0 (also 0
 * when the stream was well formed but did not end exactly at the
 * component's stored end). */
int fws_install_inflate_error(const fws_install_ctx *ctx);

/* ---- Boot ---- */

/* Reads len bytes at offset of installed component index. 0 = ok. */
typedef int (*fws_image_reader)(void *user, uint8_t index, uint64_t offset, uint8_t *buf,
                                size_t len);

/* Boot check: record is header || manifest || signature block || (when
 * the manifest has ENCRYPTION) the 32-byte digest key, as
 * fws_install_boot_record gave it, in RAM, and must not change during the
 * call.  Bytes after that are ignored (a record stored in a padded flash
 * sector; an unencrypted container as a whole).  The checks are install's
 * (same code): header and manifest, limits, class, counter, signatures and
 * threshold; then each component's SIZE bytes are read through read in
 * scratch-sized pieces and their digest (SHA-256, or HMAC-SHA256 under the
 * record's digest key) compared with DIGEST (FWS_E_DIGEST).  No
 * decryption, no inflate: the image is the installed plaintext.  A changed
 * digest key cannot help an attacker: the image must still hash to the
 * signed 256-bit DIGEST under it.  scratch: at least FWS_BOOT_SCRATCH bytes
 * (else FWS_E_BUFFER).  FWS_OK and *m filled (m may be NULL) only if all
 * pass. */
int fws_boot_check(const fws_policy *p, const uint8_t *record, size_t record_len,
                   fws_image_reader read, void *user, uint8_t *scratch, size_t scratch_len,
                   fws_measurements *m);

#endif
