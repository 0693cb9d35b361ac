/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4) for the host tool's hot paths: the plaintext digest
 * of every component and the payload's chunk chain (SPEC.md section 6).
 *
 * On x86-64 CPUs with the SHA extensions (SHA-NI: Intel since Goldmont and
 * Ice Lake, AMD since Zen) the compression function runs on them, about
 * five times the speed of portable C (libsodium's included); elsewhere a
 * portable implementation runs.  The choice is made once, at the first
 * call, from CPUID.  Both give the same digests (tests/test_host_sha256.c
 * checks both against libsodium).
 *
 * A caller can keep the 32-byte midstate after a whole number of 64-byte
 * blocks and finish the hash later with more data, as BearSSL's
 * br_sha256_state()/br_sha256_set_state() allow (the chunk chain does, so
 * its backward pass never re-reads the payload).
 *
 * No secrets go through here (firmware plaintext and ciphertext only), but
 * the code is data-independent anyway.  State: 104 bytes, caller-owned;
 * thread-safe (each thread uses its own state).
 */
#ifndef FWS_HOST_SHA256_H
#define FWS_HOST_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];     /* chaining value */
    uint64_t len;      /* bytes absorbed; len % 64 of them wait in buf */
    uint8_t buf[64];
} host_sha256;

void host_sha256_init(host_sha256 *s);
void host_sha256_update(host_sha256 *s, const void *data, size_t len);
/* Writes the digest; s must be initialised again before reuse. */
void host_sha256_final(host_sha256 *s, uint8_t out[32]);

/* The midstate: after a whole number of 64-byte blocks (bytes absorbed a
 * multiple of 64), the chaining value as 32 opaque bytes (host word order:
 * for this process's own temporary storage) into mid; returns the bytes
 * absorbed. */
uint64_t host_sha256_get_state(const host_sha256 *s, uint8_t mid[32]);
/* Resumes from a midstate taken after len bytes (a multiple of 64). */
void host_sha256_set_state(host_sha256 *s, const uint8_t mid[32], uint64_t len);

/* The compression function over n whole 64-byte blocks at p. */
void host_sha256_blocks(uint32_t h[8], const uint8_t *p, size_t n);

/* For tests: the portable compression function, whatever the CPU, and
 * whether host_sha256_blocks() uses the SHA extensions (1) or not (0). */
void host_sha256_blocks_portable(uint32_t h[8], const uint8_t *p, size_t n);
int host_sha256_accelerated(void);

#endif
