/* SPDX-License-Identifier: MIT */
#include "policy_args.h"
#include "cli.h"
#include "host_class_id.h"
#include "parse.h"

#include <string.h>

void policy_args_init(policy_args *a, const char *cmd, int max_trusted)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->max_trusted = max_trusted < MAX_TRUSTED ? max_trusted : MAX_TRUSTED;
    a->threshold = 1;
}

int policy_args_option(policy_args *a, int opt, const char *arg)
{
    switch (opt) {
    case POPT_TRUST:
        if (a->n_trust == a->max_trusted)
            return cli_usage(a->cmd, "at most %d --trust keys", a->max_trusted);
        a->trust_paths[a->n_trust++] = arg;
        return FWS_EXIT_OK;
    case POPT_TRUST_ROOT:
        if (a->n_roots == a->max_trusted)
            return cli_usage(a->cmd, "at most %d --trust-root keys", a->max_trusted);
        a->root_paths[a->n_roots++] = arg;
        return FWS_EXIT_OK;
    case POPT_ROOT_THRESHOLD:
        if (parse_u64(arg, FWS_MAX_ROOT_SIGS, &a->root_threshold) || a->root_threshold == 0)
            return cli_usage(a->cmd, "--root-threshold '%s': expected 1..%d", arg,
                             FWS_MAX_ROOT_SIGS);
        return FWS_EXIT_OK;
    case POPT_MIN_KEYGEN:
        if (parse_u64(arg, 0xFFFFFFFFull, &a->min_keygen))
            return cli_usage(a->cmd, "--min-key-generation '%s': expected 0..4294967295", arg);
        return FWS_EXIT_OK;
    case POPT_THRESHOLD:
        if (parse_u64(arg, FWS_MAX_SIGNATURES, &a->threshold) || a->threshold == 0)
            return cli_usage(a->cmd, "--threshold '%s': expected 1..%d", arg, FWS_MAX_SIGNATURES);
        return FWS_EXIT_OK;
    case POPT_CLASS:
        if (!*arg)
            return cli_usage(a->cmd, "--class must not be empty");
        a->class_arg = arg;
        return FWS_EXIT_OK;
    case POPT_ANY_CLASS:
        a->any_class = 1;
        return FWS_EXIT_OK;
    case POPT_MIN_COUNTER:
        if (parse_u64(arg, 0xFFFFFFFFull, &a->min_counter))
            return cli_usage(a->cmd, "--min-counter '%s': expected 0..4294967295", arg);
        return FWS_EXIT_OK;
    case POPT_KEY:
        a->key_path = arg;
        return FWS_EXIT_OK;
    case POPT_PP_FILE:
        a->pp.file = arg;
        return FWS_EXIT_OK;
    case POPT_PP_ENV:
        a->pp.env = arg;
        return FWS_EXIT_OK;
    }
    return FWS_EXIT_USAGE;   /* cli_getopt() has said why */
}

static int load_device_key(policy_args *a)
{
    fws_key *k = &a->device_key;
    int rc;
    if ((rc = fws_key_load(a->key_path, &a->pp, k)))
        return rc;
    if (!k->has_secret || (k->type != FWS_KEY_X25519 && k->type != FWS_KEY_PSK)) {
        diag_error("%s: --key needs the device's X25519 secret key or a PSK, this is %s %s key",
                   a->key_path, k->has_secret ? "an" : "a",
                   k->has_secret ? fws_key_type_name(k->type) : "public");
        return FWS_EXIT_USAGE;
    }
    return FWS_EXIT_OK;
}

/* Ed25519 public keys from paths into keys. */
static int load_ed25519(const char *opt, const char *const *paths, int n, fws_key *keys)
{
    int rc;
    for (int i = 0; i < n; i++) {
        if ((rc = fws_key_load_public(paths[i], &keys[i])))
            return rc;
        if (keys[i].type != FWS_KEY_ED25519) {
            diag_error("%s: %s needs an Ed25519 public key, this is a %s key", paths[i], opt,
                       fws_key_type_name(keys[i].type));
            return FWS_EXIT_USAGE;
        }
    }
    return FWS_EXIT_OK;
}

int policy_args_load(policy_args *a)
{
    int rc;
    if (!a->n_trust && !a->n_roots)
        return cli_usage(a->cmd, "missing --trust PUB (or --trust-root PUB): which keys does "
                                 "the device trust?");
    if (a->root_threshold > (unsigned long long)a->n_roots)
        return cli_usage(a->cmd, "--root-threshold %llu is more than the %d --trust-root keys "
                                 "given", a->root_threshold, a->n_roots);
    if ((a->root_threshold || a->min_keygen) && !a->n_roots)
        return cli_usage(a->cmd, "--%s without --trust-root",
                         a->root_threshold ? "root-threshold" : "min-key-generation");
    if (a->n_roots && !a->root_threshold)
        a->root_threshold = 1;
    if (!a->class_arg && !a->any_class)
        return cli_usage(a->cmd,
                         "missing --class CLASS (or --any-class to accept every device class)");
    if (a->class_arg && a->any_class)
        return cli_usage(a->cmd, "give --class or --any-class, not both");
    if (!a->n_roots && a->threshold > (unsigned long long)a->n_trust)
        return cli_usage(a->cmd, "--threshold %llu is more than the %d trusted keys given",
                         a->threshold, a->n_trust);
    if ((rc = cli_check_passphrase_src(a->cmd, &a->pp)) ||
        (rc = load_ed25519("--trust", a->trust_paths, a->n_trust, a->trusted)) ||
        (rc = load_ed25519("--trust-root", a->root_paths, a->n_roots, a->roots)))
        return rc;
    if (a->key_path && (rc = load_device_key(a)))
        return rc;
    if (a->class_arg) {
        a->check_class = 1;
        host_class_id(a->class_arg, a->class_id);
    }
    return FWS_EXIT_OK;
}

int policy_args_load_key(policy_args *a)
{
    int rc;
    if (!a->key_path)
        return cli_usage(a->cmd, "missing --key FILE");
    if ((rc = cli_check_passphrase_src(a->cmd, &a->pp)))
        return rc;
    return load_device_key(a);
}

void policy_args_to_policy(const policy_args *a, policy *p)
{
    memset(p, 0, sizeof *p);
    p->trusted = a->trusted;
    p->n_trusted = a->n_trust;
    p->threshold = (int)a->threshold;
    p->roots = a->roots;
    p->n_roots = a->n_roots;
    p->root_threshold = (int)a->root_threshold;
    p->key_generation_floor = (uint32_t)a->min_keygen;
    p->min_counter = (uint32_t)a->min_counter;
    p->check_class = a->check_class;
    memcpy(p->class_id, a->class_id, FWS_CLASS_LEN);
    p->device_key = a->key_path ? &a->device_key : NULL;
}

void policy_args_wipe(policy_args *a)
{
    for (int i = 0; i < a->n_trust; i++)
        fws_key_wipe(&a->trusted[i]);
    for (int i = 0; i < a->n_roots; i++)
        fws_key_wipe(&a->roots[i]);
    fws_key_wipe(&a->device_key);
}
