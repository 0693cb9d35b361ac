/* SPDX-License-Identifier: MIT */
/* A SoftHSM2 token of the test's own (SOFTHSM2_CONF pointing into the
 * fixture's directory, never the system's): token "release", user PIN in
 * DIR/pin (0600). */
#ifndef FWS_HSM_FIXTURE_H
#define FWS_HSM_FIXTURE_H

#include "fixture.h"

/* 1 with the token ready and $HSM_MODULE, $HSM_URI set for the test's
 * commands; 0 (after test_skip) when SoftHSM2 is not installed. */
int hsm_init(const fixture *f);
/* The SoftHSM2 module's path. */
const char *hsm_module(void);
/* "pkcs11:token=release;object=LABEL?module-path=...&pin-source=file:DIR/pin"
 * (malloc'ed). */
char *hsm_uri(const fixture *f, const char *label);

#endif
