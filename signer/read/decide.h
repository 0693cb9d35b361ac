/* SPDX-License-Identifier: MIT */
/*
 * The host's independent implementation of a device's decision (SPEC.md
 * section 8) on libsodium and zlib: policy, signatures and threshold,
 * key unwrap and commitment, chunk chain, decryption, inflate, digests.
 * `fwseal verify` and `fwseal unpack` both run it; unpack passes a sink.
 * The payload is checked in three stages (chunk chain and decryption;
 * inflate; sizes, digests and sink) that run in turn or, with policy.jobs
 * >= 2, overlapped on three threads (pl.h), with the same decision either
 * way: the first failure in stream order wins.
 */
#ifndef FWS_DECIDE_H
#define FWS_DECIDE_H

#include "container_reader.h"
#include "keyfile.h"

typedef struct {
    const fws_key *trusted;        /* signing keys (direct entries) */
    int n_trusted;
    int threshold;                 /* k distinct signers, direct or certified */
    const fws_key *roots;          /* root keys that certify signing keys (SPEC 4.1) */
    int n_roots;
    int root_threshold;
    uint32_t key_generation_floor; /* certified keys of a lower generation are refused */
    int check_class;
    uint8_t class_id[FWS_CLASS_LEN];
    uint32_t min_counter;
    const fws_key *device_key;     /* X25519 or PSK secret, or NULL */
    int jobs;                      /* 0, 1: one thread; 2 or more: the three-stage
                                    * pipeline of pl.h (same decision) */
} policy;

/* Plaintext of each component in order, after every earlier check passed
 * for the bytes it carries.  Return nonzero to stop (decision = error).
 * Called on decide()'s thread, with the same bytes in the same pieces
 * whatever policy.jobs. */
typedef struct {
    int (*begin)(void *user, int index, const fws_component *c);
    int (*data)(void *user, int index, const uint8_t *buf, size_t len);
    void *user;
} component_sink;

typedef struct {
    int accepted;
    const char *reason;            /* machine name of the first failed check */
    char message[600];
    int n_signers;                 /* the first k distinct signers, in block order */
    uint8_t signer_ids[FWS_MAX_SIGNATURES][FWS_KEYID_LEN];
    uint32_t signer_generation[FWS_MAX_SIGNATURES];   /* certified signers' (else 0) */
    unsigned signer_delegated;     /* bit i: signer i was certified by roots */
    int payload_checked;           /* chunk chain verified to the end */
    int components_checked;        /* digests verified (plaintext available) */
    int io_error;                  /* the failure was reading, not the content */
} verdict;

/* Sets the verdict to a rejection with reason and a formatted message. */
void decide_reject(verdict *v, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* SPEC.md section 4: the first `threshold` distinct signers of the block
 * (trusted keys, or keys the roots certified), then MIN_KEY_GENERATION
 * against them.  0, or -1 with the verdict's reason set (decide_sig.c). */
int decide_signatures(const container *c, const policy *p, verdict *v);

/* Runs every check on an opened container and fills *v: accepted, or the
 * reason and message of the first failed check (io_error set when the
 * container could not be read or the sink failed).  The sink (may be
 * NULL) receives plaintext only after every earlier check passed. */
void decide(container *c, const policy *p, const component_sink *sink, verdict *v);

#endif
