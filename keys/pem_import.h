/* SPDX-License-Identifier: MIT */
/*
 * Importing OpenSSL private keys: PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----")
 * holding an Ed25519 (OID 1.3.101.112) or X25519 (OID 1.3.101.110) key, as
 * written by `openssl genpkey -algorithm ed25519|x25519` (RFC 8410).
 *
 * The DER is parsed strictly: exactly the 48-byte OneAsymmetricKey v1
 * structure with no attributes and no public key,
 *
 *   30 2e                          SEQUENCE (46)
 *      02 01 00                    INTEGER version 0
 *      30 05 06 03 2b 65 70|6e     SEQUENCE { OID id-Ed25519 | id-X25519 }
 *      04 22 04 20 <32 bytes>      OCTET STRING { OCTET STRING privateKey }
 *
 * Anything else (RSA, EC, Ed448, encrypted PKCS#8, OpenSSH, a public key,
 * a v2 key with an embedded public key) is rejected with a message that
 * says what the file is.
 */
#ifndef FWS_PEM_IMPORT_H
#define FWS_PEM_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "keyfile.h"

/* Largest PEM file read, in bytes. */
#define FWS_PEM_MAX 65536

/*
 * Parses PEM text (len bytes, need not be NUL-terminated) from `name` (for
 * messages).  On success sets *type (FWS_KEY_ED25519 or FWS_KEY_X25519) and
 * the 32-byte private key: the Ed25519 seed or the X25519 scalar, SECRET
 * (caller wipes).  Returns FWS_EXIT_OK, or FWS_EXIT_IO after a specific
 * error.  All temporary copies of the key are wiped.
 */
int fws_pem_import_parse(const char *name, const char *text, size_t len, fws_key_type *type,
                         uint8_t secret[32]);

/* Reads `path` ("-": standard input; at most FWS_PEM_MAX bytes) and
 * parses it as above. */
int fws_pem_import_file(const char *path, fws_key_type *type, uint8_t secret[32]);

#endif
