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
 * All or nothing: the files are staged beside DIR, the lot's quota is
 * checked again under the registry's write lock, the devices are added,
 * the files moved into DIR, and only then is the registry transaction
 * committed.  Two processes adding to one lot are serialised by that
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
 * not exist or its quota would be exceeded (nothing written). */
int device_new(registry *r, const device_new_opts *o);

#endif
