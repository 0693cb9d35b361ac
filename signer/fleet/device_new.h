/* SPDX-License-Identifier: MIT */
/*
 * `fwseal device new`: N devices for a production lot.  Each gets a fresh
 * X25519 key pair; the registry records its public key, and the factory
 * programmer gets, in DIR/<device-id>/,
 *
 *   device.key           the secret key, an ordinary fwseal key file, mode
 *                        0600 and NOT passphrase-protected: the factory line
 *                        programs it unattended (`fwseal secret`), then the
 *                        directory should be destroyed
 *   device.pub           its public key
 *   fws_device_config.h  the device's policy and its own public key
 *                        (`fwseal device-config --device-key`), unless the
 *                        caller gives no configuration
 *
 * The device id is the key id in hex, so a device finds its capsule
 * (`fwseal rewrap --out-dir`) under the id it can compute from its own key.
 *
 * All or nothing: the files are staged in a hidden directory inside DIR
 * (beside it when DIR does not exist yet: host/outdir.h), the registry is
 * locked against writers and readers (BEGIN EXCLUSIVE, so that no reader
 * can refuse the commit later), the lot's quota is checked again, the
 * devices are added, the files moved into DIR, and only then is the
 * transaction committed; a commit that fails anyway takes the files back
 * out of DIR.  Two processes adding to one lot are serialised by that
 * lock: together they never exceed its quota.
 */
#ifndef FWS_DEVICE_NEW_H
#define FWS_DEVICE_NEW_H

#include <stdint.h>

#include "device_config.h"
#include "registry.h"

#define DEVICE_NEW_MAX 1000000

typedef struct {
    const char *class_arg;
    const char *lot;
    uint64_t count;                /* 1..DEVICE_NEW_MAX */
    const char *out_dir;
    const device_config *config;   /* policy for fws_device_config.h, or NULL */
} device_new_opts;

/* Prints each new device id on stdout.  FWS_EXIT_REJECT when the lot does
 * not exist or its quota would be exceeded, FWS_EXIT_IO for a registry
 * that stays locked or cannot be written (nothing written either way).
 * o->class_arg is at most REG_CLASS_MAX bytes (the caller checks). */
int device_new(registry *r, const device_new_opts *o);

#endif
