/* SPDX-License-Identifier: MIT */
/*
 * An Ed25519 key in a PKCS#11 token (PKCS#11 3.0: CKK_EC_EDWARDS,
 * CKM_EDDSA, CKM_EC_EDWARDS_KEY_PAIR_GEN), named by an RFC 7512 URI
 * (pkcs11_uri.h).  The module is loaded with dlopen(); no OpenSSL engine.
 * The public key is read from CKA_EC_POINT, raw (32 bytes) or as the DER
 * OCTET STRING some tokens store (04 20 || 32 bytes).
 *
 * Errors name the URI and the problem (module, token, PIN, object, key
 * type) and return FWS_EXIT_USAGE for a URI syntax error, FWS_EXIT_IO
 * otherwise.
 */
#ifndef FWS_PKCS11_TOKEN_H
#define FWS_PKCS11_TOKEN_H

#include <stddef.h>
#include <stdint.h>

typedef struct pkcs11_token pkcs11_token;

/* Loads the module, finds the token and opens a session; logs in as the
 * user when login is 1 (PIN from pin-source, FWSEAL_PKCS11_PIN or the
 * terminal). */
int pkcs11_token_open(const char *uri, int login, pkcs11_token **t);

/* The Ed25519 key the URI names: its public key; need_private 1 also finds
 * the private key for pkcs11_token_sign. */
int pkcs11_token_find_key(pkcs11_token *t, int need_private, uint8_t pub[32]);

/* Pure Ed25519 (CKM_EDDSA without parameters) by the key found. */
int pkcs11_token_sign(pkcs11_token *t, const uint8_t *msg, size_t len, uint8_t sig[64]);

/* A new Ed25519 key pair in the token, labelled object= (and id= when
 * given), the private key sensitive and not extractable; refuses when the
 * token already has a key with that label or id. */
int pkcs11_token_generate(pkcs11_token *t, uint8_t pub[32]);

/* "token=LABEL object=LABEL" for logs (owned by t). */
const char *pkcs11_token_describe(const pkcs11_token *t);

void pkcs11_token_close(pkcs11_token *t);

#endif
