/* SPDX-License-Identifier: MIT */
/* A small streaming JSON writer for --json output (stable keys; see
 * README "JSON output"). */
#ifndef FWS_JSON_H
#define FWS_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "fws_manifest.h"

typedef struct {
    FILE *f;
    int depth;
    int first[16];
} json_writer;

void json_init(json_writer *j, FILE *f);
/* key is NULL inside arrays. */
void json_begin(json_writer *j, const char *key, char bracket);   /* '{' or '[' */
void json_end(json_writer *j, char bracket);                      /* '}' or ']' */
void json_str(json_writer *j, const char *key, const char *s);
void json_strn(json_writer *j, const char *key, const char *s, size_t n);
void json_hex(json_writer *j, const char *key, const uint8_t *b, size_t n);
void json_u64(json_writer *j, const char *key, uint64_t v);
void json_bool(json_writer *j, const char *key, int v);
void json_null(json_writer *j, const char *key);

/* For a --json command that failed (usage or I/O): {"error": message,
 * "exit": status} on stdout, unless a JSON value was already written there,
 * so that a consumer such as jq never reads empty input. */
void json_error_document(const char *message, int status);

/* A load address as "address" (a number, or null without one) and
 * "address_hex" ("0x..." or null): JSON readers that use doubles lose
 * addresses above 2^53. */
void json_address(json_writer *j, int has_address, uint64_t address);

/* "class_name": the class string in META when it hashes to the manifest's
 * class id (cli_class_name()), else null. */
void json_class_name(json_writer *j, const fws_manifest *m);

/* Component i's digest as "digest" and "digest_type" ("sha256" or, in an
 * encrypted container, "hmac-sha256"), and "sha256": the digest, or null
 * when it is keyed. */
void json_component_digest(json_writer *j, const fws_manifest *m, int i);

#endif
