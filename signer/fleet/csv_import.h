/* SPDX-License-Identifier: MIT */
/*
 * `fwseal device import`: devices whose keys were made on the device or in
 * a secure element, so that only their public parts travel.  The file is
 * CSV (docs/FLEET.md): a header line naming the columns, then one device
 * per line.
 *
 *   key    required: an X25519 public key (64 hex digits), or for type psk
 *          the PSK's id (16 hex digits; the PSK itself never travels)
 *   id     the device id (default: the key id in hex)
 *   type   x25519 (default) or psk
 *   class  the device class (default: --class)
 *   lot    the production lot (default: --lot); it must exist, and counts
 *          against its quota
 *
 * Lines starting with '#' and empty lines are skipped; a field may be
 * double-quoted ("" is a quote inside one).  The file is read and
 * checked whole before the registry's write lock is taken (a slow
 * producer on standard input holds no other writer off), then everything
 * is one transaction: a bad line (named with its number), a duplicate, a
 * missing lot or an exceeded quota leaves the registry as it was.
 * Memory: about 200 bytes a device line.
 */
#ifndef FWS_CSV_IMPORT_H
#define FWS_CSV_IMPORT_H

#include <stdint.h>

#include "registry.h"

typedef struct {
    const char *class_arg;      /* default class, or NULL */
    const char *lot;            /* default lot, or NULL */
} csv_import_opts;

/* Imports path ('-': standard input) into r; *n gets the number of
 * devices added.  FWS_EXIT_IO for an unreadable or malformed file (the
 * line and column named), FWS_EXIT_REJECT when the registry refuses. */
int csv_import(registry *r, const char *path, const csv_import_opts *o, uint64_t *n);

#endif
