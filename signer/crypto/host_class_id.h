/* SPDX-License-Identifier: MIT */
/* Device class ids from names (SPEC.md section 7), for `--class` in
 * fwseal and fwsv. */
#ifndef FWS_HOST_CLASS_ID_H
#define FWS_HOST_CLASS_ID_H

#include <stdint.h>

#include "fws_format.h"

/* 32 hex digits are the id itself; any other string is hashed:
 * SHA-256(FWS_LABEL_CLASS || string), first 16 bytes. */
void host_class_id(const char *arg, uint8_t out[FWS_CLASS_LEN]);

#endif
