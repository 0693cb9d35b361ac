/* SPDX-License-Identifier: MIT */
/*
 * Shared by the libFuzzer harnesses in tests/fuzz/ (and by
 * fuzz_corpus_tool.c, which makes their seeds): the fixed test keys, the
 * device policy built from a mode byte, the install run that compares the
 * verifier with the host's independent decide(), and the "fixer" that
 * repairs what a mutation breaks but a fuzzer cannot repair (signatures,
 * chunk hashes, key commitment, Adler-32, digests) so that mutated
 * manifests and payloads reach the code behind those checks.
 *
 * Everything here is test code: it aborts (so libFuzzer reports a crash)
 * with a message on stderr when the two implementations disagree or an
 * API contract is broken.
 */
#ifndef FWS_FUZZ_COMMON_H
#define FWS_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "fws_verify.h"
#include "keyfile.h"

/* Test keys, all derived from fixed seeds (fz_seed): sign1 and sign2 are
 * trusted Ed25519 keys, sign3 is a well-formed key nobody trusts; dev is
 * the device's X25519 key, psk its pre-shared key. */
enum { FZ_SIGN1, FZ_SIGN2, FZ_SIGN3, FZ_DEV, FZ_PSK, FZ_NKEYS };
extern const char *const fz_key_name[FZ_NKEYS];   /* "sign1", ..., "psk" */

/* The device class the seeds are made for (fwseal pack --class). */
#define FZ_CLASS_STRING "fuzz.example/device"
/* Seeds carry counter 5: floor 3 passes, floor 6 is a rollback. */
#define FZ_SEED_COUNTER 5

typedef struct {
    fws_key key[FZ_NKEYS];               /* host view (fws_key_from_seed) */
    uint8_t trusted[2][32];              /* sign1, sign2 public keys */
    uint8_t class_id[FWS_CLASS_LEN];
} fz_keys;

/* The 32 secret bytes of key k (deterministic). */
void fz_seed(int k, uint8_t out[32]);
/* Initialises every key (libsodium must be initialised; does it). */
void fz_keys_init(fz_keys *k);

/* ---- the mode byte: which policy the device and the host apply ---- */
#define FZ_MODE_KEY_MASK 0x03   /* 0 X25519, 1 PSK, 2 no key, 3 X25519 via unwrap callback */
#define FZ_MODE_CLASS 0x04      /* check the class (else FWS_CLASS_ANY) */
#define FZ_MODE_THRESH2 0x08    /* threshold 2 (sign1 and sign2) */
#define FZ_MODE_SMALL 0x10      /* device limits: chunk 1024, window 2^10 */
#define FZ_MODE_FLOOR 0x20      /* counter floor 6 (seeds have 5) instead of 3 */
#define FZ_MODE_BIG 0x40        /* device limit: chunk 2^20 (the format's), else 2^16 */
#define FZ_MODE_ROOTS 0x80      /* also trust root sign3 (root threshold 1) with
                                   key-generation floor FZ_DELEGATED_GENERATION */

/* The delegation fz_sig_block writes: sign2 certified by root sign3 with
 * this generation (one less with FZ_WHO_REVOKED), scoped to
 * FZ_CLASS_STRING. */
#define FZ_DELEGATED_GENERATION 2

/* Fills a device policy for mode (pointers into k and static storage). */
void fz_device_policy(const fz_keys *k, uint8_t mode, fws_policy *p);

/* Runs install on c[0..len) pushed in the split pattern chosen by split
 * (0: one buffer, 1: one byte at a time, else pseudo-random pieces seeded
 * by split), checking the sink contract; then, unless the device refused
 * on a limit the host does not have, runs the host's decide() with the
 * same policy and aborts if the accept/reject decisions or the plaintexts
 * differ.  An accepted install is also boot-checked from its boot record
 * and the plaintext it wrote (must pass).  Returns the install status. */
int fz_check_install(const fz_keys *k, const uint8_t *c, size_t len, uint8_t split,
                     uint8_t mode);

/* ---- container layout, tolerant of any bytes ---- */
typedef struct {
    size_t m_len;        /* manifest bytes present (header's M, clamped to the input) */
    size_t sig_off, cap_off, pay_off;   /* block starts (clamped to len) */
    size_t len;
} fz_layout;
void fz_layout_of(const uint8_t *c, size_t len, fz_layout *l);

/* Offsets (within the manifest) of the fields the fixer rewrites, found by
 * a bounds-checked walk that tolerates broken manifests; SIZE_MAX when
 * absent. */
typedef struct {
    size_t payload;          /* PAYLOAD value: P u64, C u32, H0[32] */
    size_t commitment;       /* ENCRYPTION value + 1 */
    uint8_t n;               /* component records found (<= 16) */
    struct {
        size_t size, digest, stored, compression;
    } comp[FWS_MAX_COMPONENTS];
} fz_fields;
void fz_fields_of(const uint8_t *m, size_t m_len, fz_fields *f);

/* What fz_fix repairs. */
#define FZ_FIX_KEY 0x01       /* key commitment := that of the capsule the device opens */
#define FZ_FIX_COMP 0x02      /* zlib FCHECK and Adler-32; SIZE and DIGEST of each component */
#define FZ_FIX_CHAIN 0x04     /* chunk hash chain and H0 */
#define FZ_FIX_SIZES 0x08     /* P := the payload bytes present; last STORED_SIZE takes the rest */
#define FZ_FIX_SIGN2 0x10     /* also sign with sign2 */
#define FZ_FIX_KEEP_SIGS 0x20 /* keep the signature block as it is (no re-signing) */
#define FZ_FIX_SIGN3 0x40     /* add an entry by the untrusted sign3 first */
#define FZ_FIX_DELEGATED 0x80 /* sign with a delegated entry by sign2 (certified by sign3)
                                 instead of sign1's */

/* Repairs c[0..len) as fix says and re-signs its signed region with sign1
 * or the delegation (replacing the signature block).  mode selects the device key used to
 * open a capsule.  Returns a malloc'ed container and its length in *out_len. */
uint8_t *fz_fix(const fz_keys *k, const uint8_t *c, size_t len, uint8_t fix, uint8_t mode,
                size_t *out_len);

/* Builds a signature block over signed[0..signed_len): first, when who has
 * FZ_WHO_DELEGATED, a delegated entry by sign2 certified by root sign3;
 * then entries by the keys whose FZ_SIGN* bit (1 << k) is in who, in key
 * order.  out holds FZ_SIG_BLOCK_MAX bytes.  Returns its length. */
#define FZ_WHO_DELEGATED 0x100u
#define FZ_WHO_REVOKED 0x200u
#define FZ_SIG_BLOCK_MAX (1 + FWS_ENTRY_HEAD_LEN + FWS_SIG_DELEGATED_BODY(1) + \
                          3 * (FWS_ENTRY_HEAD_LEN + FWS_SIG_ED25519_BODY))
size_t fz_sig_block(const fz_keys *k, unsigned who, const uint8_t *signed_region,
                    size_t signed_len, uint8_t *out);

/* Silences the host code's diag_error() messages (they go to stderr) while
 * a harness calls it: swaps the stdio stream, not file descriptor 2, so
 * sanitizer and libFuzzer reports still appear. */
void fz_quiet(int on);

/* Reports a finding and aborts. */
void fz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* xorshift64* */
uint64_t fz_rand(uint64_t *s);

#endif
