/* SPDX-License-Identifier: MIT */
/*
 * Public-key export for the people and programs that need it:
 *
 *   c    a C header for a bootloader: `static const uint8_t IDENT[32]` (the
 *        key) and `IDENT_id[8]` (its key id), with an include guard and a
 *        comment giving type and id.  Needs C99 (<stdint.h>).
 *   hex  64 lower-case hex digits and a newline.
 *   pem  RFC 8410 SubjectPublicKeyInfo ("-----BEGIN PUBLIC KEY-----"), which
 *        `openssl pkey -pubin` reads.
 *   pub  a fwseal public key file (NAME.pub), e.g. for a key in a token.
 *
 * A psk has no public key: every function here refuses it.
 */
#ifndef FWS_PUBKEY_EXPORT_H
#define FWS_PUBKEY_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"

typedef enum { FWS_PUBFMT_C, FWS_PUBFMT_HEX, FWS_PUBFMT_PEM, FWS_PUBFMT_PUB } fws_pubkey_format;

/* Longest identifier accepted for --name. */
#define FWS_PUBKEY_IDENT_MAX 64
/* Room for any export: the C header with a maximal identifier is < 1 KiB. */
#define FWS_PUBKEY_TEXT_MAX 2048
/* DER length of an RFC 8410 SubjectPublicKeyInfo. */
#define FWS_SPKI_DER_LEN 44

/* Parses "c" / "hex" / "pem" / "pub"; 0 or -1. */
int fws_pubkey_format_parse(const char *s, fws_pubkey_format *f);

/* 1 if s is a C identifier ([A-Za-z_][A-Za-z0-9_]*, at most
 * FWS_PUBKEY_IDENT_MAX characters, not a C keyword); 0 otherwise. */
int fws_pubkey_ident_valid(const char *s);

/* The SubjectPublicKeyInfo DER of an ed25519/x25519 public key:
 * 30 2a 30 05 06 03 2b 65 70|6e 03 21 00 <32 bytes>.  Returns 0, or -1 for a
 * psk. */
int fws_pubkey_spki_der(fws_key_type t, const uint8_t pub[32], uint8_t out[FWS_SPKI_DER_LEN]);

/*
 * Formats key's public key (key->type, key->pub, key->id) into out (cap
 * bytes, FWS_PUBKEY_TEXT_MAX is always enough), NUL-terminated; *len is the
 * length without the NUL.  ident is used by the c format only; NULL means
 * "fwseal_<type>_pub".  Returns 0, or -1 for a psk, an invalid identifier or
 * a too small buffer (no message: the caller says why).
 */
int fws_pubkey_format_text(const fws_key *key, fws_pubkey_format fmt, const char *ident,
                           char *out, size_t cap, size_t *len);

/* A set of Ed25519 root keys and its threshold as one C header for a
 * bootloader: `static const uint8_t IDENT[n][32]`, IDENT_COUNT and
 * IDENT_THRESHOLD (upper case), ready for fws_policy's roots.  Returns 0,
 * or -1 (invalid identifier or threshold, buffer too small). */
int fws_pubkey_set_c(const fws_key *keys, int n, unsigned threshold, const char *ident, char *out,
                     size_t cap, size_t *len);

#endif
