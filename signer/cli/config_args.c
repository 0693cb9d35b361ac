/* SPDX-License-Identifier: MIT */
#include "config_args.h"
#include "parse.h"

#include <string.h>

void config_args_init(config_args *a, const char *cmd)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->threshold = 1;
    a->root_threshold = 1;
    a->max_wbits = FWS_MAX_WBITS;
    a->max_chunk = 4096;
    a->max_size = UINT64_MAX;
}

static int number(config_args *a, const char *opt, const char *arg, unsigned long long lo,
                  unsigned long long hi, unsigned long long *out)
{
    if (parse_u64(arg, hi, out) == 0 && *out >= lo)
        return FWS_EXIT_OK;
    return cli_usage(a->cmd, "%s '%s': expected %llu..%llu", opt, arg, lo, hi);
}

int config_args_option(config_args *a, int opt, const char *arg)
{
    a->policy_given |= opt != COPT_CLASS;
    switch (opt) {
    case COPT_TRUST:
        if (a->n_trust == FWS_CFG_MAX_TRUSTED)
            return cli_usage(a->cmd, "at most %d --trust keys (FWS_CFG_MAX_TRUSTED)",
                             FWS_CFG_MAX_TRUSTED);
        a->trust_paths[a->n_trust++] = arg;
        return FWS_EXIT_OK;
    case COPT_ROOT:
        if (a->n_roots == FWS_CFG_MAX_ROOTS)
            return cli_usage(a->cmd, "at most %d --trust-root keys (FWS_CFG_MAX_ROOTS)",
                             FWS_CFG_MAX_ROOTS);
        a->root_paths[a->n_roots++] = arg;
        return FWS_EXIT_OK;
    case COPT_THRESHOLD:
        return number(a, "--threshold", arg, 1, FWS_CFG_MAX_THRESHOLD, &a->threshold);
    case COPT_ROOT_THRESHOLD:
        a->have_root_threshold = 1;
        return number(a, "--root-threshold", arg, 1, FWS_CFG_MAX_ROOTS, &a->root_threshold);
    case COPT_CLASS:
        if (!*arg)
            return cli_usage(a->cmd, "--class must not be empty");
        a->class_arg = arg;
        return FWS_EXIT_OK;
    case COPT_ANY_CLASS:
        a->any_class = 1;
        return FWS_EXIT_OK;
    case COPT_MAX_WBITS:
        if (number(a, "--max-window-bits", arg, 0, FWS_MAX_WBITS, &a->max_wbits))
            return FWS_EXIT_USAGE;
        if (a->max_wbits && a->max_wbits < FWS_MIN_WBITS)
            return cli_usage(a->cmd, "--max-window-bits '%s': expected 0 or 9..15", arg);
        return FWS_EXIT_OK;
    case COPT_MAX_CHUNK:
        return number(a, "--max-chunk", arg, FWS_MIN_CHUNK, FWS_MAX_CHUNK, &a->max_chunk);
    case COPT_MAX_SIZE:
        return number(a, "--max-size", arg, 1, UINT64_MAX, &a->max_size);
    }
    return FWS_EXIT_USAGE;
}

int config_args_policy_given(const config_args *a)
{
    return a->policy_given;
}

static int load_signing_keys(config_args *a, const char *opt, const char *const *paths, int n,
                             fws_key *keys)
{
    int rc;
    for (int i = 0; i < n; i++) {
        if ((rc = fws_key_load_public(paths[i], &keys[i])))
            return rc;
        if (keys[i].type != FWS_KEY_ED25519)
            return cli_usage(a->cmd, "%s: %s needs an Ed25519 public key, this is a%s %s key",
                             paths[i], opt, keys[i].type == FWS_KEY_X25519 ? "n" : "",
                             fws_key_type_name(keys[i].type));
        for (int j = 0; j < i; j++)
            if (!memcmp(keys[i].id, keys[j].id, FWS_KEYID_LEN))
                return cli_usage(a->cmd, "%s: the same key is given twice to %s (also %s)",
                                 paths[i], opt, paths[j]);
    }
    return FWS_EXIT_OK;
}

int config_args_load(config_args *a, device_config *c)
{
    char msg[200];
    int rc;
    if (!a->class_arg && !a->any_class)
        return cli_usage(a->cmd, "missing --class CLASS (or --any-class for a device that "
                                 "takes every class)");
    if (a->class_arg && a->any_class)
        return cli_usage(a->cmd, "give --class or --any-class, not both");
    if (a->have_root_threshold && !a->n_roots)
        return cli_usage(a->cmd, "--root-threshold needs --trust-root keys");
    memset(c, 0, sizeof *c);
    c->trusted = a->trusted;
    c->trusted_names = a->trust_paths;
    c->n_trusted = a->n_trust;
    c->threshold = (int)a->threshold;
    c->roots = a->roots;
    c->root_names = a->root_paths;
    c->n_roots = a->n_roots;
    c->root_threshold = a->n_roots ? (int)a->root_threshold : 0;
    c->class_arg = a->class_arg;
    c->max_chunk = (uint32_t)a->max_chunk;
    c->max_wbits = (uint8_t)a->max_wbits;
    c->max_size = a->max_size;
    if (device_config_check(c, msg, sizeof msg))
        return cli_usage(a->cmd, "%s", msg);
    if ((rc = load_signing_keys(a, "--trust", a->trust_paths, a->n_trust, a->trusted)) ||
        (rc = load_signing_keys(a, "--trust-root", a->root_paths, a->n_roots, a->roots)))
        return rc;
    return FWS_EXIT_OK;
}
