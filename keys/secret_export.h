/* SPDX-License-Identifier: MIT */
/*
 * Secret-key export for the factory programmer (`fwseal secret`): the 32
 * secret bytes of a key file (an X25519 scalar, a PSK, or an Ed25519
 * seed) as
 *
 *   c    a C header: `static const uint8_t IDENT[32]` with a comment
 *        naming the type and the key id, marked SECRET;
 *   hex  64 lower-case hex digits and a newline;
 *   raw  the 32 bytes.
 *
 * Everything written is SECRET: the caller wipes its buffer.
 */
#ifndef FWS_SECRET_EXPORT_H
#define FWS_SECRET_EXPORT_H

#include <stddef.h>

#include "keyfile.h"

typedef enum { FWS_SECFMT_C, FWS_SECFMT_HEX, FWS_SECFMT_RAW } fws_secret_format;

/* Room for any export. */
#define FWS_SECRET_TEXT_MAX 1024

/* Parses "c" / "hex" / "raw"; 0 or -1. */
int fws_secret_format_parse(const char *s, fws_secret_format *f);

/* The identifier --format c uses without --name: fws_device_x25519_secret,
 * fws_device_psk or fws_ed25519_seed. */
const char *fws_secret_default_ident(fws_key_type t);

/* Formats key's secret (has_secret must be set) into out (cap bytes;
 * FWS_SECRET_TEXT_MAX is enough), *len its length; text formats are also
 * NUL-terminated.  ident: for c only, NULL for the default.  Returns 0, or
 * -1 for a key without a secret, an invalid identifier or a small buffer
 * (no message). */
int fws_secret_format_text(const fws_key *key, fws_secret_format fmt, const char *ident,
                           char *out, size_t cap, size_t *len);

#endif
