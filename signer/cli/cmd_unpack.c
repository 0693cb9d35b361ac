/* SPDX-License-Identifier: MIT */
/* fwseal unpack: verify, decrypt, inflate and write each component to
 * DIR/NAME or as a member of OUT.tar (read/unpack.h), only after every
 * check passed. */
#include "cli.h"
#include "pdeflate.h"
#include "policy_args.h"
#include "unpack.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: fwseal unpack FILE --trust PUB [--trust PUB...] [--key KEY] -o DIR|OUT.tar\n"
    "\n"
    "Verifies FILE exactly as 'fwseal verify' does, then writes each component\n"
    "to DIR/NAME (DIR is created if needed) or, when the output ends in .tar,\n"
    "as members of a tar archive.  Nothing is written unless every check passes.\n"
    "\n"
    "options:\n" POLICY_HELP
    "  -o, --output DIR|OUT.tar  where to write the components\n"
    "  --force              replace existing files\n"
    "  -j, --jobs N         1: check and write on one thread; 2..32: read, inflate and\n"
    "                       hash the payload on three overlapping threads (same output);\n"
    "                       default: the number of CPUs\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 written, 1 rejected, 2 usage, 3 I/O or key problem.\n";

typedef struct {
    policy_args policy;
    const char *output;
    int force, jobs;
} unpack_args;

/* The options; -1 after --help. */
static int parse_args(unpack_args *a, int argc, char **argv)
{
    static const struct option opts[] = {POLICY_LONG_OPTIONS,
                                         {"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, 'f'},
                                         {"jobs", required_argument, 0, 'j'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int opt, rc;
    optind = 0;
    while ((opt = cli_getopt("unpack", argc, argv, "o:hj:", opts)) != -1) {
        if (opt == CLI_OPT_ERROR) {
            return FWS_EXIT_USAGE;
        } else if (opt == 'h') {
            fputs(usage_text, stdout);
            return -1;
        } else if (opt == 'o') {
            a->output = optarg;
        } else if (opt == 'f') {
            a->force = 1;
        } else if (opt == 'j') {
            if ((rc = cli_parse_jobs("unpack", optarg, &a->jobs)))
                return rc;
        } else if ((rc = policy_args_option(&a->policy, opt, optarg))) {
            return rc;
        }
    }
    if (optind != argc - 1)
        return cli_usage("unpack", optind >= argc ? "missing FILE" : "exactly one FILE, please");
    if (!a->output)
        return cli_usage("unpack", "missing -o DIR|OUT.tar");
    if (!strcmp(a->output, "-"))
        return cli_usage("unpack", "-o -: unpack writes only verified output; give DIR or OUT.tar");
    return FWS_EXIT_OK;
}

/* Decides on c with the output as the sink, then puts it into place. */
static int unpack_to(container *c, const unpack_args *a, const policy *p)
{
    unpack_out u;
    component_sink sink;
    verdict v;
    int rc = unpack_open(&u, a->output, a->force, c, &sink);
    if (rc)
        goto out;
    decide(c, p, &sink, &v);
    if (v.accepted && !v.components_checked) {
        rc = cli_usage("unpack", "%s is encrypted: give the device key with --key", c->path);
        goto out;
    }
    if (!v.accepted) {
        diag_note("%s: %s: %s; nothing written", c->path, v.io_error ? "error" : "rejected",
                  v.message);
        rc = v.io_error ? FWS_EXIT_IO : FWS_EXIT_REJECT;
        goto out;
    }
    if (!(rc = unpack_commit(&u, a->force)))
        printf("%s: verified; wrote %u component%s to %s\n", c->path, c->m.n_components,
               c->m.n_components == 1 ? "" : "s", a->output);
out:
    unpack_close(&u);
    return rc;
}

int cmd_unpack(int argc, char **argv)
{
    unpack_args *a = xcalloc(1, sizeof *a);
    container *c = xmalloc(sizeof *c);
    policy p;
    int rc;

    policy_args_init(&a->policy, "unpack", MAX_TRUSTED);
    a->jobs = pdeflate_default_jobs();
    rc = parse_args(a, argc, argv);
    if (rc < 0)
        rc = FWS_EXIT_OK;
    else if (!rc && !(rc = policy_args_load(&a->policy))) {
        policy_args_to_policy(&a->policy, &p);
        p.jobs = a->jobs;
        if (!(rc = container_open(c, argv[optind]))) {
            rc = unpack_to(c, a, &p);
            container_close(c);
        }
    }
    policy_args_wipe(&a->policy);
    free(a);
    free(c);
    return rc;
}
