/* SPDX-License-Identifier: MIT */
/*
 * The factory's side of the simulated device (`sim init`): the ROM record
 * from the two files fwseal writes for a device's programmer,
 *
 *   fws_device_config.h   `fwseal device-config` (or `fwseal device new`):
 *                         trusted keys, threshold, root keys and root
 *                         threshold, class id, limits, and
 *                         the device key's public part and id;
 *   the device's secret   `fwseal secret --format hex` (64 hex digits) or
 *                         `--format raw` (32 bytes).
 *
 * The header is read as the text it is, in the fixed layout
 * `fwseal device-config` writes (docs/FLEET.md): `#define NAME VALUE`
 * lines and `static const uint8_t NAME[..] = { 0x.., ... };` arrays.  So
 * the ROM holds exactly what a bootloader compiling that header would.
 */
#ifndef SIM_PROVISION_H
#define SIM_PROVISION_H

#include "bootloader.h"

/* Fills r (zeroed by the caller) from the header at config_path: trusted
 * keys, threshold, root keys (--trust-root) and root threshold, class id,
 * limits.  With secret_path, also the device's key: its type and public
 * key from the header, which must name one, and its secret from
 * secret_path, checked against it (X25519: the public key; PSK: the id).
 * Without, the device has no key (it takes unencrypted containers only).
 * The simulated device holds one class, at most 8 trusted and 4 root
 * keys, and at most its own limits (layout.h): other headers are refused.
 * Returns 0, or SIM_EXIT_USAGE / SIM_EXIT_IO after a message. */
int sim_provision(const char *config_path, const char *secret_path, sim_rom *r);

#endif
