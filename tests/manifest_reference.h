/* SPDX-License-Identifier: MIT */
/* The manifest decoder before the table-driven rewrite, as a reference
 * (manifest_reference.c). */
#ifndef MANIFEST_REFERENCE_H
#define MANIFEST_REFERENCE_H

#include "fws_manifest.h"

int ref_manifest_decode(const uint8_t *buf, size_t len, fws_manifest *m, fws_diag *d);

#endif
