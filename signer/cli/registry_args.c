/* SPDX-License-Identifier: MIT */
#include "registry_args.h"
#include "parse.h"

#include <string.h>

void registry_args_init(registry_args *a, const char *cmd)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->wait_s = REGISTRY_DEFAULT_WAIT_S;
}

int registry_args_option(registry_args *a, int opt, const char *arg)
{
    switch (opt) {
    case ROPT_REGISTRY:
        if (!*arg)
            return cli_usage(a->cmd, "--registry: empty file name");
        a->path = arg;
        return FWS_EXIT_OK;
    case ROPT_LOCK_TIMEOUT:
        if (parse_u64(arg, 3600, &a->wait_s))
            return cli_usage(a->cmd, "--lock-timeout '%s': expected 0..3600 seconds", arg);
        return FWS_EXIT_OK;
    }
    return FWS_EXIT_USAGE;
}

int registry_args_lot_name(const registry_args *a, const char *what, const char *name)
{
    if (registry_name_valid(name))
        return FWS_EXIT_OK;
    return cli_usage(a->cmd, "%s '%s': not a lot name (1..%d of A-Z a-z 0-9 . _ -, starting "
                             "with a letter or digit)", what, name, REG_NAME_MAX);
}

int registry_args_open(const registry_args *a, int create, registry **r)
{
    if (!a->path)
        return cli_usage(a->cmd, "missing --registry FILE");
    return registry_open(r, a->path, create, (int)a->wait_s * 1000);
}
