/* SPDX-License-Identifier: MIT */
/* The device-policy options of `fwseal device-config` and `fwseal device
 * new` (which writes an fws_device_config.h beside every device's key):
 * --trust, --threshold, --trust-root, --root-threshold, --class or
 * --any-class, --max-window-bits, --max-chunk, --max-size, parsed here and
 * loaded into a device_config. */
#ifndef FWS_CONFIG_ARGS_H
#define FWS_CONFIG_ARGS_H

#include <getopt.h>

#include "cli.h"
#include "device_config.h"
#include "fws_verify.h"

enum { COPT_TRUST = 500, COPT_THRESHOLD, COPT_ROOT, COPT_ROOT_THRESHOLD, COPT_CLASS,
       COPT_ANY_CLASS, COPT_MAX_WBITS, COPT_MAX_CHUNK, COPT_MAX_SIZE };

#define CONFIG_LONG_OPTIONS                                             \
    {"trust", required_argument, 0, COPT_TRUST},                        \
    {"threshold", required_argument, 0, COPT_THRESHOLD},                \
    {"trust-root", required_argument, 0, COPT_ROOT},                    \
    {"root-threshold", required_argument, 0, COPT_ROOT_THRESHOLD},      \
    {"class", required_argument, 0, COPT_CLASS},                        \
    {"any-class", no_argument, 0, COPT_ANY_CLASS},                      \
    {"max-window-bits", required_argument, 0, COPT_MAX_WBITS},          \
    {"max-chunk", required_argument, 0, COPT_MAX_CHUNK},                \
    {"max-size", required_argument, 0, COPT_MAX_SIZE}

#define CONFIG_HELP                                                                         \
    "  --trust PUB          Ed25519 public key the device trusts to sign releases;\n"      \
    "                       repeatable (0..8; at least one --trust or --trust-root)\n"     \
    "  --threshold K        distinct signers a release needs, 1..4; default 1\n"           \
    "  --trust-root PUB     Ed25519 root key that certifies signing keys (key\n"           \
    "                       rotation, format/SPEC.md 4.1); repeatable, 0..4\n"             \
    "  --root-threshold K   roots that must certify a signing key; default 1\n"            \
    "  --class CLASS        the device class (string or 32 hex digits), or:\n"             \
    "  --any-class          accept every class (FWS_CLASS_ANY; rare)\n"                    \
    "  --max-window-bits N  largest inflate window the device has RAM for: 9..15,\n"       \
    "                       or 0 for none (only stored components); default 15\n"          \
    "  --max-chunk N        largest chunk the device holds in RAM, 256..1048576;\n"        \
    "                       default 4096 (fwseal pack's default chunk size)\n"             \
    "  --max-size N         largest component the device installs (its slot); default\n"   \
    "                       no limit\n"

typedef struct {
    const char *cmd;
    const char *trust_paths[FWS_CFG_MAX_TRUSTED + 1];
    int n_trust;
    const char *root_paths[FWS_CFG_MAX_ROOTS + 1];
    int n_roots;
    unsigned long long threshold, root_threshold;
    int have_root_threshold;
    const char *class_arg;
    int any_class;
    unsigned long long max_wbits, max_chunk, max_size;
    int policy_given;              /* an option other than --class was given */
    /* loaded by config_args_load */
    fws_key trusted[FWS_CFG_MAX_TRUSTED];
    fws_key roots[FWS_CFG_MAX_ROOTS];
} config_args;

void config_args_init(config_args *a, const char *cmd);
/* Handles one COPT_* option; FWS_EXIT_OK or FWS_EXIT_USAGE. */
int config_args_option(config_args *a, int opt, const char *arg);
/* 1 if a policy option was given (any but --class, which the registry
 * commands take for themselves), even one that repeats its default. */
int config_args_policy_given(const config_args *a);
/* Checks the combination, loads the keys and fills *c (its pointers point
 * into a; device and device_id are left NULL).  FWS_EXIT_*; messages
 * printed. */
int config_args_load(config_args *a, device_config *c);

#endif
