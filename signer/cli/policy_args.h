/* SPDX-License-Identifier: MIT */
/* The device-policy options that `fwseal verify`, `fwseal unpack` and
 * fwsv's check/install/boot share: --trust, --threshold, --class,
 * --min-counter, --key and the passphrase sources, parsed and loaded once
 * here; each tool then fills its own policy from the loaded fields. */
#ifndef FWS_POLICY_ARGS_H
#define FWS_POLICY_ARGS_H

#include <getopt.h>

#include "cli.h"
#include "decide.h"
#include "passphrase.h"

#define MAX_TRUSTED 64

enum { POPT_TRUST = 300, POPT_THRESHOLD, POPT_CLASS, POPT_MIN_COUNTER, POPT_KEY, POPT_PP_FILE,
       POPT_PP_ENV, POPT_ANY_CLASS, POPT_TRUST_ROOT, POPT_ROOT_THRESHOLD, POPT_MIN_KEYGEN };

#define POLICY_LONG_OPTIONS                                            \
    {"trust", required_argument, 0, POPT_TRUST},                       \
    {"threshold", required_argument, 0, POPT_THRESHOLD},               \
    {"class", required_argument, 0, POPT_CLASS},                       \
    {"any-class", no_argument, 0, POPT_ANY_CLASS},                     \
    {"min-counter", required_argument, 0, POPT_MIN_COUNTER},           \
    {"trust-root", required_argument, 0, POPT_TRUST_ROOT},             \
    {"root-threshold", required_argument, 0, POPT_ROOT_THRESHOLD},     \
    {"min-key-generation", required_argument, 0, POPT_MIN_KEYGEN},     \
    {"key", required_argument, 0, POPT_KEY},                           \
    CLI_PASSPHRASE_OPTIONS(POPT_PP_FILE, POPT_PP_ENV)

#define POLICY_HELP                                                                      \
    "  --trust PUB          trusted Ed25519 signing key (.pub); repeatable\n"           \
    "  --trust-root PUB     root key that certifies signing keys (key rotation);\n"     \
    "                       repeatable; at least one --trust or --trust-root\n"         \
    "  --root-threshold K   distinct roots a certificate needs; default 1\n"            \
    "  --min-key-generation N  key-generation floor: refuse certified keys of a\n"      \
    "                       lower generation (revoked)\n"                                \
    "  --threshold K        distinct signers (trusted or certified) required; default 1\n" \
    "  --class CLASS        device class the container must be for (string or 32 hex);\n" \
    "                       required, unless:\n"                                          \
    "  --any-class          accept every device class (the output says it was not\n"   \
    "                       checked)\n"                                                   \
    "  --min-counter N      anti-rollback floor: reject a lower security counter\n"       \
    "  --key FILE           device X25519 secret key or PSK (.key) to decrypt\n"         \
    "  --passphrase-file F  passphrase for --key from F (first line)\n"                  \
    "  --passphrase-env VAR passphrase for --key from environment variable VAR\n"

typedef struct {
    const char *cmd;               /* for usage messages */
    int max_trusted;               /* at most MAX_TRUSTED */
    const char *trust_paths[MAX_TRUSTED], *root_paths[MAX_TRUSTED];
    int n_trust, n_roots;
    unsigned long long root_threshold, min_keygen;
    unsigned long long threshold;
    const char *class_arg;
    int any_class;
    unsigned long long min_counter;
    const char *key_path;
    fws_passphrase_src pp;
    /* loaded by policy_args_load */
    fws_key trusted[MAX_TRUSTED], roots[MAX_TRUSTED];
    int check_class;
    uint8_t class_id[FWS_CLASS_LEN];
    fws_key device_key;            /* X25519 or PSK secret when key_path is set */
} policy_args;

void policy_args_init(policy_args *a, const char *cmd, int max_trusted);
/* Handles one POPT_* option; returns FWS_EXIT_OK or FWS_EXIT_USAGE. */
int policy_args_option(policy_args *a, int opt, const char *arg);
/* Checks combinations, loads the keys and the class id.  Returns an
 * FWS_EXIT_*; messages printed. */
int policy_args_load(policy_args *a);
/* Without any --trust (which policy_args_load requires): loads only --key
 * (required: FWS_EXIT_USAGE without it). */
int policy_args_load_key(policy_args *a);
/* The host decision's policy from a loaded a (p points into a). */
void policy_args_to_policy(const policy_args *a, policy *p);
void policy_args_wipe(policy_args *a);

#endif
