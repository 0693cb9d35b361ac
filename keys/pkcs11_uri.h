/* SPDX-License-Identifier: MIT */
/*
 * PKCS#11 URIs (RFC 7512) naming a key in a token:
 *
 *   pkcs11:token=release;object=fw-2026?module-path=/usr/lib/softhsm/libsofthsm2.so
 *         &pin-source=file:/run/secrets/pin
 *
 * Path attributes select the token (token, manufacturer, serial, model,
 * slot-id) and the key (object = CKA_LABEL, id = CKA_ID, type); query
 * attributes say how to reach it (module-path, or module-name found in the
 * system's PKCS#11 module directory; pin-source = file:PATH, a path, or
 * env:VARIABLE).  Values are percent-decoded.  pin-value is refused: a
 * PIN on the command line shows in `ps` and shell history.  Without
 * module-path, the environment variable FWSEAL_PKCS11_MODULE names the
 * module; without pin-source, FWSEAL_PKCS11_PIN holds the PIN (else the
 * terminal is asked).
 */
#ifndef FWS_PKCS11_URI_H
#define FWS_PKCS11_URI_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    char *token, *manufacturer, *serial, *model;   /* token selection, NULL: any */
    char *object;                                  /* CKA_LABEL of the key */
    uint8_t *id;                                   /* CKA_ID, id_len bytes */
    size_t id_len;
    char *type;                                    /* "private", "public", ... */
    int has_slot_id;
    unsigned long slot_id;
    char *module_path, *module_name, *pin_source;
} fws_pkcs11_uri;

/* Parses uri into *u (zeroed first; free with fws_pkcs11_uri_free).  0, or
 * -1 with a reason in err (the attribute and what is wrong). */
int fws_pkcs11_uri_parse(const char *uri, fws_pkcs11_uri *u, char *err, size_t err_len);
void fws_pkcs11_uri_free(fws_pkcs11_uri *u);

#endif
