/* SPDX-License-Identifier: MIT */
/* fwseal device: devices in the registry (new, import, list, retire,
 * compromise). */
#include "cli.h"
#include "config_args.h"
#include "csv_import.h"
#include "device_new.h"
#include "host_class_id.h"
#include "json.h"
#include "parse.h"
#include "registry_args.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char device_usage[] =
    "usage: fwseal device new --registry FILE --class CLASS --lot LOT [--count N]\n"
    "                         --out-dir DIR (--trust PUB... [policy options] | --no-config)\n"
    "       fwseal device import --registry FILE [--class CLASS] [--lot LOT] FILE.csv\n"
    "       fwseal device list --registry FILE [--class CLASS] [--lot LOT] [--state S] [--json]\n"
    "       fwseal device retire --registry FILE ID...\n"
    "       fwseal device compromise --registry FILE ID...\n"
    "\n"
    "  new         N fresh X25519 devices in LOT (its quota permitting): the registry\n"
    "              keeps their public keys; DIR/<id>/ gets device.key (mode 0600, NO\n"
    "              passphrase: the factory line programs it unattended, then destroys\n"
    "              it), device.pub and fws_device_config.h (the policy options below,\n"
    "              as 'fwseal device-config' takes them, and the device's key).  The\n"
    "              id is the key id in hex.  Prints the new ids.\n"
    "  import      devices whose keys were made on the device or in a secure element:\n"
    "              only public keys travel.  CSV with a header line; columns key\n"
    "              (X25519 public key, or a PSK's id), id, type (x25519|psk), class,\n"
    "              lot (docs/FLEET.md).  All lines or none.\n"
    "  list        the devices, tab-separated: id, type, key id, lot, state, created\n"
    "              (UTC), class\n"
    "  retire      the devices get no more capsules (taken out of service)\n"
    "  compromise  the devices' keys are known to others: never another capsule, and\n"
    "              the state cannot be undone\n"
    "\n"
    "options:\n" REGISTRY_HELP
    "  --class CLASS        the devices' class (new: required; import: for lines\n"
    "                       without one; list: only this class)\n"
    "  --lot LOT            the production lot (new: required; import: for lines\n"
    "                       without one; list: only this lot)\n"
    "  --count N            (new) how many devices, 1..1000000; default 1\n"
    "  --out-dir DIR        (new) where the devices' files go\n"
    "  --no-config          (new) no fws_device_config.h (no policy options given)\n"
    "  --state S            (list) only active, retired or compromised devices\n"
    "  --json               (list) one JSON array\n"
    "  -h, --help           show this help\n"
    "policy options for fws_device_config.h (new):\n" CONFIG_HELP
    "\n"
    "exit status: 0 done; 1 refused by the registry (a quota exceeded, no such lot\n"
    "or device, an id or key already registered, a compromised device); 2 usage;\n"
    "3 registry missing, locked, corrupt or of another schema version, a malformed\n"
    "CSV line (named), or I/O\n";

enum { OPT_LOT = 256, OPT_COUNT, OPT_OUT_DIR, OPT_NO_CONFIG, OPT_STATE, OPT_JSON };

typedef struct {
    const char *cmd;                /* "device new", ... */
    registry_args reg;
    config_args cfg;                /* new; --class of every subcommand lands here */
    const char *lot, *out_dir, *state_s;
    unsigned long long count;
    int no_config, json;
} device_args;

static const struct option device_options[] = {REGISTRY_LONG_OPTIONS,
                                                  CONFIG_LONG_OPTIONS,
                                                  {"lot", required_argument, 0, OPT_LOT},
                                                  {"count", required_argument, 0, OPT_COUNT},
                                                  {"out-dir", required_argument, 0, OPT_OUT_DIR},
                                                  {"no-config", no_argument, 0, OPT_NO_CONFIG},
                                                  {"state", required_argument, 0, OPT_STATE},
                                                  {"json", no_argument, 0, OPT_JSON},
                                                  {"help", no_argument, 0, 'h'},
                                                  {0, 0, 0, 0}};

/* Options into a; positional arguments stay in argv[optind..argc). */
static int parse(device_args *a, int argc, char **argv)
{
    int opt, rc = FWS_EXIT_OK;
    optind = 0;
    while (!rc && (opt = cli_getopt(a->cmd, argc, argv, "h", device_options)) != -1) {
        switch (opt) {
        case 'h': fputs(device_usage, stdout); return -1;
        case OPT_LOT:
            if ((rc = registry_args_lot_name(&a->reg, "--lot", optarg)))
                return rc;
            a->lot = optarg;
            break;
        case OPT_COUNT:
            if (parse_u64(optarg, DEVICE_NEW_MAX, &a->count) || !a->count)
                return cli_usage(a->cmd, "--count '%s': expected 1..%d", optarg, DEVICE_NEW_MAX);
            break;
        case OPT_OUT_DIR: a->out_dir = optarg; break;
        case OPT_NO_CONFIG: a->no_config = 1; break;
        case OPT_STATE: a->state_s = optarg; break;
        case OPT_JSON: a->json = 1; break;
        case ROPT_REGISTRY:
        case ROPT_LOCK_TIMEOUT: rc = registry_args_option(&a->reg, opt, optarg); break;
        case CLI_OPT_ERROR: return FWS_EXIT_USAGE;
        default: rc = config_args_option(&a->cfg, opt, optarg);
        }
    }
    return rc;
}

/* Options a subcommand does not take are refused by name. */
static int refuse(const device_args *a, int given, const char *opt)
{
    return given ? cli_usage(a->cmd, "%s does not apply to %s", opt, a->cmd) : FWS_EXIT_OK;
}

/* Given at all, not merely different from the default: --threshold 1
 * with --no-config is refused too. */
static int refuse_policy(const device_args *a)
{
    return refuse(a, config_args_policy_given(&a->cfg),
                  "the policy options (--trust, --max-chunk, ...)");
}

/* A class name the registry stores: REG_CLASS_MAX bytes at most (its
 * class id is a hash of all of it, so a cut name would not match). */
static int check_class_length(const device_args *a)
{
    size_t n = a->cfg.class_arg ? strlen(a->cfg.class_arg) : 0;
    if (n > REG_CLASS_MAX)
        return cli_usage(a->cmd, "--class: %zu bytes; the registry keeps class names of at "
                                 "most %d bytes", n, REG_CLASS_MAX);
    return FWS_EXIT_OK;
}

static int sub_new(device_args *a, int argc, char **argv)
{
    device_new_opts o = {0};
    device_config c;
    registry *r;
    int rc;
    if (optind < argc)
        return cli_usage(a->cmd, "unexpected argument '%s'", argv[optind]);
    if ((rc = refuse(a, a->state_s != NULL, "--state")) || (rc = refuse(a, a->json, "--json")))
        return rc;
    if (a->cfg.any_class)
        return cli_usage(a->cmd, "--any-class: a registered device has one class (--class)");
    if (!a->cfg.class_arg || !a->lot || !a->out_dir)
        return cli_usage(a->cmd, "missing %s", !a->cfg.class_arg ? "--class CLASS"
                                               : !a->lot         ? "--lot LOT"
                                                                 : "--out-dir DIR");
    if ((rc = check_class_length(a)) || (a->no_config && (rc = refuse_policy(a))))
        return rc;
    if (!a->no_config && !a->cfg.n_trust && !a->cfg.n_roots)
        return cli_usage(a->cmd, "each device gets an fws_device_config.h: give its policy "
                                 "(--trust PUB, and --threshold, --max-chunk ... as for "
                                 "'fwseal device-config'), or --no-config");
    if (!a->no_config && (rc = config_args_load(&a->cfg, &c)))
        return rc;
    o.class_arg = a->cfg.class_arg;
    o.lot = a->lot;
    o.count = a->count ? a->count : 1;
    o.out_dir = a->out_dir;
    o.config = a->no_config ? NULL : &c;
    if ((rc = registry_args_open(&a->reg, 0, &r)))
        return rc;
    rc = device_new(r, &o);
    registry_close(r);
    return rc;
}

static int sub_import(device_args *a, int argc, char **argv)
{
    csv_import_opts o = {a->cfg.class_arg, a->lot};
    registry *r;
    uint64_t n;
    int rc;
    if (optind >= argc)
        return cli_usage(a->cmd, "missing the FILE.csv to import ('-': standard input)");
    if (optind + 1 < argc)
        return cli_usage(a->cmd, "one FILE.csv only ('%s' and '%s')", argv[optind],
                         argv[optind + 1]);
    if ((rc = refuse(a, a->count != 0, "--count")) || (rc = refuse(a, !!a->out_dir, "--out-dir")) ||
        (rc = refuse(a, a->no_config, "--no-config")) ||
        (rc = refuse(a, a->state_s != NULL, "--state")) || (rc = refuse(a, a->json, "--json")) ||
        (rc = refuse_policy(a)) || (rc = check_class_length(a)))
        return rc;
    if ((rc = registry_args_open(&a->reg, 0, &r)))
        return rc;
    if (!(rc = csv_import(r, argv[optind], &o, &n)))
        diag_note("%s: %llu device%s imported from %s", a->reg.path, (unsigned long long)n,
                  n == 1 ? "" : "s", argv[optind]);
    registry_close(r);
    return rc;
}

static void print_device(json_writer *j, const reg_device *d)
{
    char idhex[2 * FWS_KEYID_LEN + 1], when[32];
    fws_key_id_hex(d->key_id, idhex);
    cli_utc_time(d->created, when);
    if (!j) {
        printf("%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d->id, fws_key_type_name(d->type), idhex, d->lot,
               registry_state_name(d->state), when, d->class_name);
        return;
    }
    json_begin(j, NULL, '{');
    json_str(j, "id", d->id);
    json_str(j, "type", fws_key_type_name(d->type));
    json_str(j, "key_id", idhex);
    if (d->type == FWS_KEY_X25519)
        json_hex(j, "public_key", d->pub, 32);
    else
        json_null(j, "public_key");
    json_str(j, "class", d->class_name);
    json_hex(j, "class_id", d->class_id, FWS_CLASS_LEN);
    json_str(j, "lot", d->lot);
    json_str(j, "state", registry_state_name(d->state));
    json_str(j, "created", when);
    json_end(j, '}');
}

static int sub_list(device_args *a, int argc, char **argv)
{
    uint8_t class_id[FWS_CLASS_LEN];
    reg_filter f = {0};
    reg_device *d;
    reg_iter *it;
    registry *r;
    json_writer j;
    int rc, got;
    if (optind < argc)
        return cli_usage(a->cmd, "unexpected argument '%s'", argv[optind]);
    if ((rc = refuse(a, a->count != 0, "--count")) || (rc = refuse(a, !!a->out_dir, "--out-dir")) ||
        (rc = refuse(a, a->no_config, "--no-config")) || (rc = refuse_policy(a)))
        return rc;
    if (a->state_s && registry_state_parse(a->state_s, &f.state))
        return cli_usage(a->cmd, "--state '%s': expected active, retired or compromised",
                         a->state_s);
    f.state_set = a->state_s != NULL;
    f.lot = a->lot;
    if (a->cfg.class_arg) {
        host_class_id(a->cfg.class_arg, class_id);
        f.class_id = class_id;
    }
    if ((rc = registry_args_open(&a->reg, 0, &r)))
        return rc;
    if ((rc = registry_iter_open(r, &f, &it))) {
        registry_close(r);
        return rc;
    }
    d = xmalloc(sizeof *d);
    if (a->json) {
        json_init(&j, stdout);
        json_begin(&j, NULL, '[');
    }
    while ((got = registry_iter_next(it, d)) > 0)
        print_device(a->json ? &j : NULL, d);
    if (a->json)
        json_end(&j, ']');
    rc = got < 0 ? -got : FWS_EXIT_OK;
    free(d);
    registry_iter_close(it);
    registry_close(r);
    return rc;
}

/* retire / compromise: every id or none. */
static int sub_state(device_args *a, int argc, char **argv, reg_state to)
{
    registry *r;
    reg_state from;
    int rc;
    if (optind >= argc)
        return cli_usage(a->cmd, "missing the device ID(s)");
    if ((rc = refuse(a, a->count != 0, "--count")) || (rc = refuse(a, !!a->out_dir, "--out-dir")) ||
        (rc = refuse(a, a->no_config, "--no-config")) ||
        (rc = refuse(a, a->state_s != NULL, "--state")) || (rc = refuse(a, a->json, "--json")) ||
        (rc = refuse(a, a->lot != NULL, "--lot")) ||
        (rc = refuse(a, a->cfg.class_arg != NULL, "--class")) || (rc = refuse_policy(a)))
        return rc;
    if ((rc = registry_args_open(&a->reg, 0, &r)))
        return rc;
    if (!(rc = registry_begin(r))) {
        for (int i = optind; !rc && i < argc; i++)
            if (!(rc = registry_device_set_state(r, argv[i], to, &from)) && from == to)
                diag_note("%s: device '%s' was already %s", a->reg.path, argv[i],
                          registry_state_name(to));
        if (rc)
            registry_rollback(r);
        else
            rc = registry_commit(r);
    }
    if (!rc)
        diag_note("%s: %d device%s %s", a->reg.path, argc - optind, argc - optind == 1 ? "" : "s",
                  registry_state_name(to));
    else if (rc == FWS_EXIT_REJECT)
        diag_note("%s: no device changed", a->reg.path);
    registry_close(r);
    return rc;
}

int cmd_device(int argc, char **argv)
{
    static const char *const subs[] = {"new", "import", "list", "retire", "compromise"};
    device_args *a;
    const char *guess;
    char cmd[32];
    int rc;
    if (argc == 2 && !strcmp(argv[1], CLI_LIST_OPTIONS)) {
        cli_list_options(device_options);
        return FWS_EXIT_OK;
    }
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(device_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? FWS_EXIT_USAGE : FWS_EXIT_OK;
    }
    size_t k;
    for (k = 0; k < 5 && strcmp(argv[1], subs[k]); k++)
        ;
    if (k == 5) {
        guess = cli_closest(argv[1], subs, 5);
        return cli_usage("device", "unknown subcommand '%s'%s%s%s (new, import, list, retire, "
                                   "compromise)", argv[1], guess ? "; did you mean " : "",
                         guess ? guess : "", guess ? "?" : "");
    }
    a = xcalloc(1, sizeof *a);
    snprintf(cmd, sizeof cmd, "device %s", subs[k]);
    a->cmd = cmd;
    registry_args_init(&a->reg, cmd);
    config_args_init(&a->cfg, cmd);
    rc = parse(a, argc - 1, argv + 1);
    if (rc < 0) {
        rc = FWS_EXIT_OK;
    } else if (!rc) {
        argc--, argv++;
        rc = k == 0   ? sub_new(a, argc, argv)
             : k == 1 ? sub_import(a, argc, argv)
             : k == 2 ? sub_list(a, argc, argv)
                      : sub_state(a, argc, argv, k == 3 ? REG_RETIRED : REG_COMPROMISED);
    }
    free(a);
    return rc;
}
