/* SPDX-License-Identifier: MIT */
/* Importing an existing pre-shared key (devices already provisioned with
 * one): a file holding exactly 32 raw bytes, or 64 hex digits optionally
 * followed by a newline. */
#ifndef FWS_PSK_IMPORT_H
#define FWS_PSK_IMPORT_H

#include <stdint.h>

/* Prints a message naming the file and returns FWS_EXIT_IO on any other
 * content (wrong length, non-hex text); FWS_EXIT_OK with psk filled. */
/* path "-" reads standard input. */
int fws_psk_import_file(const char *path, uint8_t psk[32]);

#endif
