/* SPDX-License-Identifier: MIT */
/*
 * fwseal rewrap: new capsules for an encrypted container, from the
 * distribution key's, without the signing key: one container for a few
 * recipients, or a fleet directory (head, payload, a capsule per device)
 * for the devices of a registry.
 */
#include "cli.h"
#include "host_class_id.h"
#include "parse.h"
#include "pdeflate.h"
#include "policy_args.h"
#include "registry_args.h"
#include "rewrap.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char rewrap_usage[] =
    "usage: fwseal rewrap IN.fws --key DIST.key --encrypt-to DEV.pub... -o OUT.fws [options]\n"
    "       fwseal rewrap IN.fws --key DIST.key --registry FILE [--class CLASS] [--lot LOT]\n"
    "                     [--shard I/N] --out-dir DIR [options]\n"
    "\n"
    "A container packed once for a distribution key (an X25519 recipient held by\n"
    "the update service) gets capsules for devices, without the signing key and\n"
    "without a change to its signed part or its payload.  The content key comes\n"
    "from DIST.key's capsule and must match the signed key commitment.\n"
    "\n"
    "With --encrypt-to: one container, OUT.fws, with the original capsules except\n"
    "the distribution key's (--keep-distribution-capsule keeps it) and one per\n"
    "new recipient, at most 32 in all.\n"
    "\n"
    "With --registry: a directory for a file server or CDN (docs/FLEET.md):\n"
    "  DIR/head                 header, manifest, signature block\n"
    "  DIR/capsules/<device-id> a capsule block for that device alone\n"
    "  DIR/payload              the payload chunks\n"
    "head || capsules/<id> || payload is the device's container ('fwseal\n"
    "assemble').  Every active X25519 device of the container's class gets a\n"
    "capsule (of --lot only, of shard I of N only); retired and compromised\n"
    "devices and PSK devices (the registry has no PSK) get none.  DIR must not\n"
    "exist: it appears complete, or not at all.\n"
    "\n"
    "With --trust, IN must pass the decision of 'fwseal verify --key DIST.key'\n"
    "first (signatures, threshold, every chunk, every digest): a container that\n"
    "does not verify is not spread.\n"
    "\n"
    "options:\n"
    "  --key FILE           the distribution key: X25519 secret key (or PSK)\n"
    "  --passphrase-file F  passphrase for --key from F (first line)\n"
    "  --passphrase-env VAR passphrase for --key from environment variable VAR\n"
    "  --trust PUB          check IN first against this Ed25519 key; repeatable\n"
    "  --threshold K        (with --trust) distinct signers required; default 1\n"
    "  --class CLASS        IN must be for this class\n"
    "  -e, --encrypt-to F   a new recipient: X25519 public key or PSK .key; repeatable\n"
    "  --keep-distribution-capsule   keep DIST.key's capsule in OUT.fws\n"
    "  -o, --output OUT     the re-wrapped container\n"
    "  --force              replace an existing OUT\n" REGISTRY_HELP
    "  --lot LOT            only the devices of this production lot\n"
    "  --shard I/N          only the I-th of N equal parts of the registry (0 <= I <\n"
    "                       N <= 65536): N machines, one shard each, cover every\n"
    "                       device once (docs/FLEET.md)\n"
    "  --out-dir DIR        the fleet directory (must not exist)\n"
    "  -j, --jobs N         threads making capsules, 1..32; default: the CPUs\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 written; 1 refused: IN is malformed, not encrypted, has no\n"
    "capsule for DIST.key (or one that does not open), does not verify against\n"
    "--trust, is for another class than --class, or would have more than 32\n"
    "capsules; 2 usage; 3 I/O, key file or registry problem\n";

enum { OPT_KEEP_DIST = 256, OPT_FORCE, OPT_LOT, OPT_SHARD, OPT_OUT_DIR };

typedef struct {
    policy_args pol;               /* --key, --trust, --threshold, --class, ... */
    registry_args reg;
    const char *in, *out, *out_dir, *lot;
    char *rcpt_paths[FWS_MAX_CAPSULES];
    int n_rcpt, keep_dist, force, jobs, have_shard;
    unsigned long long shard, shards;
    fws_key rcpt[FWS_MAX_CAPSULES];
} rewrap_args;

static int parse_shard(rewrap_args *a, const char *arg)
{
    const char *slash = strchr(arg, '/');
    char *i_part;
    int rc = 0;
    if (!slash)
        return cli_usage("rewrap", "--shard '%s': expected I/N", arg);
    i_part = xstrndup(arg, (size_t)(slash - arg));
    if (parse_u64(i_part, REG_MAX_SHARDS, &a->shard) ||
        parse_u64(slash + 1, REG_MAX_SHARDS, &a->shards) || !a->shards || a->shard >= a->shards)
        rc = cli_usage("rewrap", "--shard '%s': expected I/N with 0 <= I < N <= %d", arg,
                       REG_MAX_SHARDS);
    free(i_part);
    a->have_shard = 1;
    return rc;
}

static int option(rewrap_args *a, int opt, const char *arg)
{
    switch (opt) {
    case 'e':
        if (a->n_rcpt == FWS_MAX_CAPSULES)
            return cli_usage("rewrap", "at most %d --encrypt-to recipients", FWS_MAX_CAPSULES);
        a->rcpt_paths[a->n_rcpt++] = (char *)arg;
        return FWS_EXIT_OK;
    case OPT_KEEP_DIST: a->keep_dist = 1; return FWS_EXIT_OK;
    case 'o': a->out = arg; return FWS_EXIT_OK;
    case OPT_FORCE: a->force = 1; return FWS_EXIT_OK;
    case OPT_LOT:
        a->lot = arg;
        return registry_args_lot_name(&a->reg, "--lot", arg);
    case OPT_SHARD: return parse_shard(a, arg);
    case OPT_OUT_DIR: a->out_dir = arg; return FWS_EXIT_OK;
    case 'j': return cli_parse_jobs("rewrap", arg, &a->jobs);
    case ROPT_REGISTRY:
    case ROPT_LOCK_TIMEOUT: return registry_args_option(&a->reg, opt, arg);
    }
    return policy_args_option(&a->pol, opt, arg);
}

static int parse(rewrap_args *a, int argc, char **argv)
{
    static const struct option opts[] = {POLICY_LONG_OPTIONS,
                                         REGISTRY_LONG_OPTIONS,
                                         {"encrypt-to", required_argument, 0, 'e'},
                                         {"keep-distribution-capsule", no_argument, 0,
                                          OPT_KEEP_DIST},
                                         {"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"lot", required_argument, 0, OPT_LOT},
                                         {"shard", required_argument, 0, OPT_SHARD},
                                         {"out-dir", required_argument, 0, OPT_OUT_DIR},
                                         {"jobs", required_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int opt, rc;
    optind = 0;
    while ((opt = cli_getopt("rewrap", argc, argv, "e:o:j:h", opts)) != -1) {
        if (opt == 'h') {
            fputs(rewrap_usage, stdout);
            return -1;
        }
        if (opt == CLI_OPT_ERROR)
            return FWS_EXIT_USAGE;
        if ((rc = option(a, opt, optarg)))
            return rc;
    }
    if (optind >= argc)
        return cli_usage("rewrap", "missing IN.fws");
    if (optind + 1 < argc)
        return cli_usage("rewrap", "one IN.fws only ('%s' and '%s')", argv[optind],
                         argv[optind + 1]);
    a->in = argv[optind];
    if (!strcmp(a->in, "-"))
        return cli_usage("rewrap", "IN.fws must be a file, not standard input (it is read "
                                   "twice: to check it, then to copy it)");
    return FWS_EXIT_OK;
}

/* The combination of options: one of the two outputs. */
static int check_mode(const rewrap_args *a)
{
    int fleet = a->reg.path || a->out_dir || a->lot || a->have_shard;
    if (!a->pol.key_path)
        return cli_usage("rewrap", "missing --key DIST.key (the distribution key)");
    if (fleet && (a->n_rcpt || a->out || a->keep_dist || a->force))
        return cli_usage("rewrap", "--registry/--out-dir (a fleet directory) and "
                                   "--encrypt-to/-o (one container) do not mix");
    if (fleet && (!a->reg.path || !a->out_dir))
        return cli_usage("rewrap", "a fleet directory needs --registry FILE and --out-dir DIR");
    if (!fleet && (!a->n_rcpt || !a->out || !*a->out))
        return cli_usage("rewrap", "give --encrypt-to DEV.pub and -o OUT.fws, or --registry "
                                   "FILE and --out-dir DIR");
    if (!a->pol.n_trust && (a->pol.threshold != 1 || a->pol.min_counter || a->pol.any_class))
        return cli_usage("rewrap", "--threshold, --min-counter and --any-class need --trust");
    return FWS_EXIT_OK;
}

/* The new recipients: X25519 public keys, or PSK key files (secret). */
static int load_recipients(rewrap_args *a)
{
    for (int i = 0; i < a->n_rcpt; i++) {
        fws_key *k = &a->rcpt[i];
        int rc = fws_key_load_public(a->rcpt_paths[i], k);
        if (!rc && k->type == FWS_KEY_PSK)
            rc = fws_key_load(a->rcpt_paths[i], &a->pol.pp, k);
        if (rc)
            return rc;
        if (k->type == FWS_KEY_ED25519)
            return cli_usage("rewrap", "%s: --encrypt-to needs an X25519 public key or a PSK "
                                       "key file, this is an ed25519 key", a->rcpt_paths[i]);
    }
    return FWS_EXIT_OK;
}

/* The devices of the same class (lot, shard) that got no capsule, counted
 * in one read so that the numbers agree. */
static int report_skipped(const rewrap_args *a, registry *r, const reg_filter *sel)
{
    uint64_t n[2][3], retired, compromised, psk;
    int rc = registry_count_states(r, sel, n);
    if (rc)
        return rc;
    retired = n[0][REG_RETIRED] + n[1][REG_RETIRED];
    compromised = n[0][REG_COMPROMISED] + n[1][REG_COMPROMISED];
    psk = n[1][REG_ACTIVE];
    if (retired + compromised + psk)
        printf("%s: no capsule for %llu retired, %llu compromised and %llu PSK device%s "
               "(the registry holds no PSK: rewrap --encrypt-to psk.key)\n",
               a->out_dir, (unsigned long long)retired, (unsigned long long)compromised,
               (unsigned long long)psk, psk == 1 ? "" : "s");
    return FWS_EXIT_OK;
}

static int fleet(rewrap_args *a, rewrap *rw)
{
    reg_filter f = {0};
    rewrap_fleet_result res;
    registry *r;
    int rc;
    f.class_id = rewrap_class_id(rw);
    f.lot = a->lot;
    f.state_set = 1;
    f.state = REG_ACTIVE;
    f.x25519_only = 1;
    if (a->have_shard) {
        f.shard = a->shard;
        f.shards = a->shards;
    }
    if ((rc = registry_args_open(&a->reg, 0, &r)))
        return rc;
    rc = rewrap_write_fleet(rw, r, &f, a->out_dir, a->jobs, &res);
    if (!rc)
        printf("%s: head %llu bytes, payload %llu bytes, %llu capsule%s\n", a->out_dir,
               (unsigned long long)res.head_len, (unsigned long long)res.payload_len,
               (unsigned long long)res.capsules, res.capsules == 1 ? "" : "s");
    if (!rc)
        rc = report_skipped(a, r, &f);
    registry_close(r);
    return rc;
}

static int run_rewrap(rewrap_args *a)
{
    uint8_t class_id[FWS_CLASS_LEN];
    policy p;
    rewrap *rw;
    int rc;
    if (a->pol.n_trust) {
        if (!a->pol.class_arg && !a->pol.any_class)
            policy_args_option(&a->pol, POPT_ANY_CLASS, NULL);
        if ((rc = policy_args_load(&a->pol)))
            return rc;
        policy_args_to_policy(&a->pol, &p);
        p.jobs = a->jobs;
    } else {
        if ((rc = policy_args_load_key(&a->pol)))
            return rc;
        diag_warn("no --trust: %s is re-wrapped without checking its signatures", a->in);
    }
    if ((rc = load_recipients(a)) ||
        (rc = rewrap_open(&rw, a->in, &a->pol.device_key, a->pol.n_trust ? &p : NULL)))
        return rc;
    if (a->pol.class_arg) {
        host_class_id(a->pol.class_arg, class_id);
        if (memcmp(class_id, rewrap_class_id(rw), FWS_CLASS_LEN)) {
            diag_error("%s: rejected: the container is for another class than %s", a->in,
                       a->pol.class_arg);
            rewrap_close(rw);
            return FWS_EXIT_REJECT;
        }
    }
    if (a->out_dir)
        rc = fleet(a, rw);
    else if (!(rc = rewrap_write_container(rw, a->rcpt, (const char *const *)a->rcpt_paths,
                                           a->n_rcpt, a->keep_dist, a->out, a->force)))
        diag_note("wrote %s: %d new recipient%s", a->out, a->n_rcpt, a->n_rcpt == 1 ? "" : "s");
    rewrap_close(rw);
    return rc;
}

int cmd_rewrap(int argc, char **argv)
{
    rewrap_args *a = xcalloc(1, sizeof *a);
    int rc;
    policy_args_init(&a->pol, "rewrap", MAX_TRUSTED);
    registry_args_init(&a->reg, "rewrap");
    a->jobs = pdeflate_default_jobs();
    rc = parse(a, argc, argv);
    if (rc < 0)
        rc = FWS_EXIT_OK;
    else if (!rc && !(rc = check_mode(a)))
        rc = run_rewrap(a);
    policy_args_wipe(&a->pol);
    for (int i = 0; i < a->n_rcpt; i++)
        fws_key_wipe(&a->rcpt[i]);
    free(a);
    return rc;
}
