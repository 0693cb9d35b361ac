/* SPDX-License-Identifier: MIT */
/* fwseal tbs: the bytes to be signed, for a signer on another machine. */
#include "atomic_file.h"
#include "cli.h"
#include "detached.h"
#include "xalloc.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: fwseal tbs FILE [-o OUT]\n"
    "\n"
    "Writes the signed region of FILE (its header and manifest: exactly the bytes\n"
    "every signature covers) to OUT, or to standard output, and prints its SHA-256\n"
    "and what it says (version, counter, class, components), so that a signer on\n"
    "an offline machine can check what they sign.  Sign it there with\n"
    "`openssl pkeyutl -sign -rawin -inkey KEY.pem -in TBS -out SIG` or any Ed25519\n"
    "signer, then `fwseal attach FILE --sig SIG --pub KEY.pub`.\n"
    "\n"
    "options:\n"
    "  -o, --output OUT   write the bytes to OUT (the summary goes to standard output)\n"
    "  --force            replace an existing OUT\n"
    "  -h, --help         this text\n"
    "\n"
    "Exit status: 0 written, 2 usage, 3 I/O or a malformed container.\n";

enum { OPT_FORCE = 256 };

/* One line per fact: what a signer checks before signing. */
static void summary(FILE *f, const container *c)
{
    const fws_manifest *m = &c->m;
    uint8_t h[32];
    char hex[65], cls[33];
    crypto_hash_sha256(h, c->signed_region, c->signed_len);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    sodium_bin2hex(cls, sizeof cls, m->class_id, FWS_CLASS_LEN);
    fprintf(f, "tbs sha256: %s (%zu bytes)\n", hex, c->signed_len);
    fprintf(f, "%s: version %u.%u.%u+%u, counter %u, class %s, %u component%s, %s, %u "
               "signature%s so far\n",
            c->path, m->major, m->minor, m->patch, m->build, m->counter, cls, m->n_components,
            m->n_components == 1 ? "" : "s", m->encrypted ? "encrypted" : "not encrypted",
            c->n_sigs, c->n_sigs == 1 ? "" : "s");
    for (int i = 0; i < m->n_components; i++)
        fprintf(f, "  %.*s: %llu bytes\n", m->comp[i].name_len, (const char *)m->comp[i].name,
                (unsigned long long)m->comp[i].size);
}

int cmd_tbs(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *out = "-";
    container *c;
    atomic_file af;
    int opt, force = 0, rc;
    optind = 0;
    while ((opt = cli_getopt("tbs", argc, argv, "o:h", opts)) != -1) {
        if (opt == CLI_OPT_ERROR)
            return FWS_EXIT_USAGE;
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return FWS_EXIT_OK;
        }
        if (opt == 'o')
            out = optarg;
        else
            force = 1;
    }
    if (optind != argc - 1)
        return cli_usage("tbs", optind >= argc ? "missing FILE" : "exactly one FILE, please");
    if (!strcmp(out, "-") && isatty(STDOUT_FILENO))
        return cli_usage("tbs", "refusing to write binary to a terminal: use -o FILE or redirect");
    c = xmalloc(sizeof *c);
    if ((rc = detached_open("tbs", argv[optind], c))) {
        free(c);
        return rc;
    }
    if (!(rc = atomic_open(&af, out, 0644, force ? ATOMIC_OVERWRITE : 0))) {
        if ((rc = atomic_write(&af, c->signed_region, c->signed_len)) || (rc = atomic_commit(&af)))
            atomic_abort(&af);
    }
    if (!rc)
        summary(strcmp(out, "-") ? stdout : stderr, c);
    container_close(c);
    free(c);
    return rc;
}
