/* SPDX-License-Identifier: MIT */
/* fwseal signatures: list a container's signature entries, or remove one. */
#include "cli.h"
#include "container_writer.h"
#include "detached.h"
#include "diag.h"
#include "json.h"
#include "keyfile.h"
#include "parse.h"
#include "sig_entry.h"
#include "sig_print.h"
#include "xalloc.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: fwseal signatures FILE [--json]\n"
    "       fwseal signatures FILE --remove KEYID\n"
    "\n"
    "Lists FILE's signature entries: type, the signing key's id, and for a\n"
    "delegated entry its generation, scope and root key ids.  The entries are not\n"
    "verified here (that needs the devices' trust: fwseal verify).  --remove\n"
    "takes the entry of key KEYID (16 hex digits) out of FILE, in place and\n"
    "atomically.\n"
    "\n"
    "options:\n"
    "  --remove KEYID   remove that key's entry\n"
    "  --json           machine-readable list\n"
    "  -h, --help       this text\n"
    "\n"
    "Exit status: 0 done, 2 usage (no entry by KEYID), 3 I/O or a malformed container.\n";

enum { OPT_REMOVE = 256, OPT_JSON };

/* FILE again without the entries of key id. */
static int remove_key(container *c, const uint8_t id[FWS_KEYID_LEN], const char *id_hex)
{
    uint8_t *block = xmalloc(SIG_BLOCK_MAX), have[FWS_KEYID_LEN];
    int kept = 0, rc;
    for (int i = 0; i < c->n_sigs; i++)
        if (sig_entry_key_id(&c->sigs[i], have) || memcmp(have, id, FWS_KEYID_LEN))
            c->sigs[kept++] = c->sigs[i];
    if (kept == c->n_sigs) {
        free(block);
        return cli_usage("signatures", "%s has no signature by key %s", c->path, id_hex);
    }
    printf("%s: removed %d entr%s of key %s, %d left\n", c->path, c->n_sigs - kept,
           c->n_sigs - kept == 1 ? "y" : "ies", id_hex, kept);
    c->n_sigs = (uint8_t)kept;
    rc = container_replace_signatures(c->path, c, block, sig_block_build(c, NULL, 0, block));
    free(block);
    return rc;
}

int cmd_signatures(int argc, char **argv)
{
    static const struct option opts[] = {{"remove", required_argument, 0, OPT_REMOVE},
                                         {"json", no_argument, 0, OPT_JSON},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *remove = NULL;
    uint8_t id[FWS_KEYID_LEN];
    container *c;
    int opt, json = 0, rc;
    optind = 0;
    while ((opt = cli_getopt("signatures", argc, argv, "h", opts)) != -1) {
        if (opt == CLI_OPT_ERROR)
            return FWS_EXIT_USAGE;
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return FWS_EXIT_OK;
        }
        if (opt == OPT_REMOVE)
            remove = optarg;
        else
            json = 1;
    }
    if (optind != argc - 1)
        return cli_usage("signatures", optind >= argc ? "missing FILE" : "exactly one FILE, please");
    if (remove && parse_hex(remove, strlen(remove), id, FWS_KEYID_LEN))
        return cli_usage("signatures", "--remove '%s': expected a key id of 16 hex digits", remove);
    if (remove && json)
        return cli_usage("signatures", "--remove and --json together");
    c = xmalloc(sizeof *c);
    if ((rc = detached_open("signatures", argv[optind], c))) {
        free(c);
        return rc;
    }
    if (remove)
        rc = remove_key(c, id, remove);
    else if (json)
        sig_print_json(c);
    else {
        printf("%s: %u signature entr%s\n", c->path, c->n_sigs, c->n_sigs == 1 ? "y" : "ies");
        sig_print_text(c, stdout, "  ");
    }
    container_close(c);
    free(c);
    return rc;
}
