/* SPDX-License-Identifier: MIT */
/*
 * Delegation records (format/SPEC.md 4.1): root keys certify a signing key,
 * its key generation and its scope (a class, or any class).  A .cert file
 * is two lines, like a key file (docs/KEYS.md):
 *
 *   fwseal delegation: subject <key id> generation <N> scope <class|any>
 *   <base64 of the record: subject 32 | generation u32le | scope 16 |
 *    n x (root key id 8 | root signature 64)>
 *
 * The first line is for people; the record is what counts, and loading
 * checks it against the line.
 */
#ifndef FWS_CERT_H
#define FWS_CERT_H

#include <stddef.h>
#include <stdint.h>

#include "fws_format.h"
#include "signer.h"

typedef struct {
    uint8_t rec[FWS_CERT_LEN(FWS_MAX_ROOT_SIGS)];
    size_t len;
    fws_cert c;                    /* decoded, points into rec: never copy the struct */
} fws_cert_record;

/* The message each root signs: FWS_LABEL_DELEGATION || the first 52 bytes. */
#define FWS_CERT_MESSAGE_LEN (sizeof FWS_LABEL_DELEGATION - 1 + FWS_CERT_SIGNED_LEN)
void fws_cert_message(const uint8_t *rec, uint8_t msg[FWS_CERT_MESSAGE_LEN]);

/* Builds a record: subject, generation, scope (NULL: any class), signed by
 * each root (1..4 signers, distinct keys).  FWS_EXIT_OK or a signer's
 * error. */
int fws_cert_issue(fws_signer *roots, int n_roots, const uint8_t subject[32], uint32_t generation,
                   const uint8_t *scope, fws_cert_record *out);

/* Loads and checks a .cert file (format, length, first line).  Prints a
 * specific error and returns FWS_EXIT_IO. */
int fws_cert_load(const char *path, fws_cert_record *out);

/* The file's text (NUL-terminated, malloc'ed). */
char *fws_cert_text(const fws_cert_record *r);

/* 0 if root i's signature in the record verifies under pub, else -1. */
int fws_cert_root_verifies(const fws_cert_record *r, uint8_t i, const uint8_t pub[32]);

#endif
