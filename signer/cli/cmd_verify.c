/* SPDX-License-Identifier: MIT */
/* fwseal verify: the decision a device would take, on the host. */
#include "cli.h"
#include "json.h"
#include "pdeflate.h"
#include "policy_args.h"
#include "reason.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: fwseal verify FILE --trust PUB [--trust PUB...] [options]\n"
    "\n"
    "Takes the decision a device would take: structure, class, anti-rollback\n"
    "counter, signatures and threshold, every chunk of the payload, and with\n"
    "--key (or for an unencrypted container) every component's size and digest.\n"
    "\n"
    "options:\n" POLICY_HELP
    "  --require-full       exit 1 unless every check ran: an encrypted container\n"
    "                       without --key has its component digests unchecked\n"
    "  -j, --jobs N         1: check on one thread; 2..32: read, inflate and hash\n"
    "                       the payload on three overlapping threads (same decision);\n"
    "                       default: the number of CPUs\n"
    "  --json               machine-readable result on stdout\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 accepted, 1 rejected, 2 usage, 3 I/O or key problem.\n";

static void print_json(const container *c, const policy_args *a, const verdict *v)
{
    json_writer j;
    char ver[64];
    json_init(&j, stdout);
    json_begin(&j, NULL, '{');
    json_str(&j, "file", c->path);
    json_bool(&j, "accepted", v->accepted);
    json_str(&j, "reason", v->reason ? v->reason : REASON(FWS_OK));
    json_str(&j, "message", v->accepted ? "" : v->message);
    if (c->stage >= STAGE_MANIFEST) {
        snprintf(ver, sizeof ver, "%u.%u.%u+%u", c->m.major, c->m.minor, c->m.patch, c->m.build);
        json_str(&j, "version", ver);
        json_u64(&j, "counter", c->m.counter);
        json_hex(&j, "class", c->m.class_id, FWS_CLASS_LEN);
        json_class_name(&j, &c->m);
        json_bool(&j, "encrypted", c->m.encrypted);
    }
    json_bool(&j, "class_checked", !a->any_class);
    json_u64(&j, "threshold", a->threshold);
    json_begin(&j, "signers", '[');
    for (int i = 0; i < v->n_signers; i++)
        json_hex(&j, NULL, v->signer_ids[i], FWS_KEYID_LEN);
    json_end(&j, ']');
    json_bool(&j, "payload_checked", v->payload_checked);
    json_bool(&j, "components_checked", v->components_checked);
    json_begin(&j, "components", '[');
    if (c->stage >= STAGE_MANIFEST)
        for (int i = 0; i < c->m.n_components; i++) {
            json_begin(&j, NULL, '{');
            json_strn(&j, "name", (const char *)c->m.comp[i].name, c->m.comp[i].name_len);
            json_u64(&j, "size", c->m.comp[i].size);
            json_component_digest(&j, &c->m, i);
            json_end(&j, '}');
        }
    json_end(&j, ']');
    json_end(&j, '}');
}

enum { OPT_JSON = 256, OPT_REQUIRE_FULL };

int cmd_verify(int argc, char **argv)
{
    static const struct option opts[] = {POLICY_LONG_OPTIONS,
                                         {"jobs", required_argument, 0, 'j'},
                                         {"json", no_argument, 0, OPT_JSON},
                                         {"require-full", no_argument, 0, OPT_REQUIRE_FULL},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    policy_args *a = xmalloc(sizeof *a);
    container *c = xmalloc(sizeof *c);
    policy p;
    verdict v;
    int opt, json = 0, require_full = 0, jobs = pdeflate_default_jobs(), rc;
    char name[FWS_MAX_META_VALUE + 1];

    policy_args_init(a, "verify", MAX_TRUSTED);
    optind = 0;
    while ((opt = cli_getopt("verify", argc, argv, "hj:", opts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            rc = FWS_EXIT_USAGE;
            goto done;
        } else if (opt == 'h') {
            fputs(usage_text, stdout);
            rc = FWS_EXIT_OK;
            goto done;
        } else if (opt == OPT_JSON) {
            json = 1;
        } else if (opt == OPT_REQUIRE_FULL) {
            require_full = 1;
        } else if (opt == 'j') {
            if ((rc = cli_parse_jobs("verify", optarg, &jobs)))
                goto done;
        } else if ((rc = policy_args_option(a, opt, optarg))) {
            goto done;
        }
    }
    if (optind != argc - 1) {
        rc = cli_usage("verify", optind >= argc ? "missing FILE" : "exactly one FILE, please");
        goto done;
    }
    if ((rc = policy_args_load(a)))
        goto done;
    policy_args_to_policy(a, &p);
    p.jobs = jobs;
    if ((rc = container_open(c, argv[optind])))
        goto done;
    decide(c, &p, NULL, &v);
    if (v.accepted && require_full && !v.components_checked) {
        v.accepted = 0;
        v.reason = "incomplete";
        snprintf(v.message, sizeof v.message,
                 "--require-full: the component digests could not be checked (encrypted: "
                 "pass --key)");
    }
    if (json) {
        print_json(c, a, &v);
    } else if (v.accepted) {
        cli_print_accepted(c->path, c->m.major, c->m.minor, c->m.patch, c->m.build, c->m.counter,
                           v.n_signers, (const uint8_t(*)[FWS_KEYID_LEN])v.signer_ids, !a->any_class);
        if (cli_class_name(&c->m, name, sizeof name) == 1)
            printf("%s: class %s\n", c->path, name);
        if (!v.components_checked)
            printf("%s: payload chunks authenticated; component digests not checked "
                   "(encrypted: pass --key to check them)\n", c->path);
        else
            printf("%s: %d component%s: sizes and %s digests match\n", c->path,
                   c->m.n_components, c->m.n_components == 1 ? "" : "s",
                   c->m.encrypted ? "keyed (HMAC-SHA256)" : "SHA-256");
    }
    if (!v.accepted)
        diag_note("%s: %s: %s", c->path, v.io_error ? "error" : "rejected",
                v.message);
    rc = v.accepted ? FWS_EXIT_OK : v.io_error ? FWS_EXIT_IO : FWS_EXIT_REJECT;
    container_close(c);
done:
    policy_args_wipe(a);
    free(a);
    free(c);
    return rc;
}
