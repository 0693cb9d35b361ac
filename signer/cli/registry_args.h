/* SPDX-License-Identifier: MIT */
/* The registry options of `fwseal lot`, `fwseal device` and `fwseal
 * rewrap`: --registry FILE and --lock-timeout SECONDS. */
#ifndef FWS_REGISTRY_ARGS_H
#define FWS_REGISTRY_ARGS_H

#include <getopt.h>

#include "cli.h"
#include "registry.h"

enum { ROPT_REGISTRY = 600, ROPT_LOCK_TIMEOUT };

#define REGISTRY_LONG_OPTIONS                                        \
    {"registry", required_argument, 0, ROPT_REGISTRY},               \
    {"lock-timeout", required_argument, 0, ROPT_LOCK_TIMEOUT}

#define REGISTRY_HELP                                                                   \
    "  --registry FILE      the device registry (an SQLite file)\n"                     \
    "  --lock-timeout S     how long to wait for a registry another process is\n"      \
    "                       writing, 0..3600 seconds; default 10\n"

#define REGISTRY_DEFAULT_WAIT_S 10

typedef struct {
    const char *cmd;
    const char *path;
    unsigned long long wait_s;
} registry_args;

void registry_args_init(registry_args *a, const char *cmd);
/* Handles one ROPT_* option; FWS_EXIT_OK or FWS_EXIT_USAGE. */
int registry_args_option(registry_args *a, int opt, const char *arg);
/* FWS_EXIT_OK if name is a lot name, else the usage error, in one
 * wording for every command: "WHAT 'NAME': not a lot name (the rule)". */
int registry_args_lot_name(const registry_args *a, const char *what, const char *name);
/* Opens the registry (a usage error without --registry); create: make a
 * new one if the file does not exist. */
int registry_args_open(const registry_args *a, int create, registry **r);

#endif
