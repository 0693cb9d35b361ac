/* SPDX-License-Identifier: MIT */
/*
 * What a device is built with, as C text: `fwseal device-config` (and the
 * fws_device_config.h that `fwseal device new` writes beside each
 * device's key) and `fwseal class-id`.
 *
 * The header fws_device_config.h holds everything fws_policy
 * (verifier/fws_verify.h) takes from the build: trusted keys and
 * threshold, root keys and root threshold, class id, limits, and with a
 * device key its public part.  Arrays are `static const`, numbers are
 * macros, and FWS_DEVICE_POLICY_FIELDS is a designated-initializer list:
 *
 *     #include "fwseal_verify.h"
 *     #include "fws_device_config.h"
 *     static const fws_policy policy = {
 *         FWS_DEVICE_POLICY_FIELDS,
 *         .counter_floor = floor_from_flash,       // state, not configuration
 *         .x25519_secret = fws_device_x25519_secret,   // fwseal secret --format c
 *     };
 *
 * The layout is fixed (docs/FLEET.md): one `#define NAME VALUE` per line,
 * arrays as `static const uint8_t NAME[..] = {` ... `};` with 0xHH bytes,
 * comments only between slash-star pairs, so a factory tool (the
 * simulator's `sim init --config`) can read the same file the bootloader
 * compiles.  Nothing in it is secret.
 */
#ifndef FWS_FLEET_DEVICE_CONFIG_H
#define FWS_FLEET_DEVICE_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "fws_format.h"
#include "keyfile.h"

typedef struct {
    const fws_key *trusted;        /* Ed25519 public keys, 0..8 */
    const char *const *trusted_names;   /* their files, for comments */
    int n_trusted;
    int threshold;
    const fws_key *roots;          /* Ed25519 root public keys, 0..4 */
    const char *const *root_names;
    int n_roots;
    int root_threshold;            /* 0 without roots */
    const char *class_arg;         /* the --class string; NULL: any class */
    uint32_t max_chunk;
    uint8_t max_wbits;
    uint64_t max_size;
    const fws_key *device;         /* X25519 or PSK (id only), or NULL */
    const char *device_id;         /* registry id, or NULL */
} device_config;

/* Longest text device_config_text() writes (8 trusted keys, 4 roots,
 * long file names in the comments). */
#define DEVICE_CONFIG_TEXT_MAX 65536

/* The checks fws_policy_valid() makes, with a message naming the option
 * that breaks one into msg (msg_len bytes).  0, or -1. */
int device_config_check(const device_config *c, char *msg, size_t msg_len);

/* fws_device_config.h into out (cap bytes), *len its length.  0, or -1
 * when out is too small. */
int device_config_text(const device_config *c, char *out, size_t cap, size_t *len);

/* `fwseal class-id`: the class id of class_arg (SPEC.md section 7) as 32
 * hex digits and a newline, or (c) a header with
 * `static const uint8_t IDENT[16]`.  0, or -1 when out is too small. */
int device_config_class_text(const char *class_arg, int c_format, const char *ident, char *out,
                             size_t cap, size_t *len);

#endif
