/* The device-policy options shared by `verify` and `unpack`:
 * --trust, --threshold, --class, --min-counter, --key and passphrases. */
#ifndef FWS_POLICY_ARGS_H
#define FWS_POLICY_ARGS_H

#include <getopt.h>

#include "decide.h"
#include "passphrase.h"

#define MAX_TRUSTED 64

enum { POPT_TRUST = 300, POPT_THRESHOLD, POPT_CLASS, POPT_MIN_COUNTER, POPT_KEY, POPT_PP_FILE,
       POPT_PP_ENV };

#define POLICY_LONG_OPTIONS                                            \
    {"trust", required_argument, 0, POPT_TRUST},                       \
    {"threshold", required_argument, 0, POPT_THRESHOLD},               \
    {"class", required_argument, 0, POPT_CLASS},                       \
    {"min-counter", required_argument, 0, POPT_MIN_COUNTER},           \
    {"key", required_argument, 0, POPT_KEY},                           \
    {"passphrase-file", required_argument, 0, POPT_PP_FILE},           \
    {"passphrase-env", required_argument, 0, POPT_PP_ENV}

#define POLICY_HELP                                                                      \
    "  --trust PUB          trusted Ed25519 public key (.pub); repeatable, at least one\n" \
    "  --threshold K        distinct trusted signers required; default 1\n"              \
    "  --class CLASS        device class the container must be for (string or 32 hex)\n"  \
    "  --min-counter N      anti-rollback floor: reject a lower security counter\n"       \
    "  --key FILE           device X25519 secret key or PSK (.key) to decrypt\n"         \
    "  --passphrase-file F  passphrase for --key from F (first line)\n"                  \
    "  --passphrase-env VAR passphrase for --key from environment variable VAR\n"

typedef struct {
    const char *cmd;
    const char *trust_paths[MAX_TRUSTED];
    int n_trust;
    unsigned long long threshold;
    const char *class_arg;
    unsigned long long min_counter;
    const char *key_path;
    fws_passphrase_src pp;
    /* loaded */
    fws_key trusted[MAX_TRUSTED];
    fws_key device_key;
} policy_args;

void policy_args_init(policy_args *a, const char *cmd);
/* Handles one POPT_* option; returns FWS_EXIT_OK or FWS_EXIT_USAGE. */
int policy_args_option(policy_args *a, int opt, const char *arg);
/* Checks combinations, loads keys, fills p.  Returns an FWS_EXIT_*. */
int policy_args_load(policy_args *a, policy *p);
void policy_args_wipe(policy_args *a);

#endif
