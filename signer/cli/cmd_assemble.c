/* SPDX-License-Identifier: MIT */
/* fwseal assemble: head || capsule || payload from a fleet directory. */
#include "assemble.h"
#include "cli.h"

#include <getopt.h>
#include <stdio.h>

static const char assemble_usage[] =
    "usage: fwseal assemble HEAD CAPSULE PAYLOAD -o OUT [--force]\n"
    "\n"
    "Concatenates a fleet directory's pieces ('fwseal rewrap --out-dir DIR':\n"
    "DIR/head, DIR/capsules/<device-id>, DIR/payload) into the container that\n"
    "device downloads, as a file server serving the three byte ranges would.\n"
    "The pieces are checked on the way: HEAD is a header, manifest and\n"
    "signature block and nothing else, CAPSULE one capsule block, PAYLOAD the\n"
    "payload the manifest describes, chunk by chunk.  Signatures and capsules\n"
    "are the device's to judge ('fwseal verify', 'fwsv check').\n"
    "\n"
    "options:\n"
    "  -o, --output OUT   the container ('-': standard output, written only once\n"
    "                     every check passed; staged in $TMPDIR or /tmp)\n"
    "  --force            replace an existing OUT\n"
    "  -h, --help         show this help\n"
    "\n"
    "exit status: 0 written, 1 the pieces do not make a container, 2 usage,\n"
    "3 I/O\n";

enum { OPT_FORCE = 256 };

int cmd_assemble(int argc, char **argv)
{
    static const struct option opts[] = {{"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *out = NULL;
    int force = 0, opt;
    optind = 0;
    while ((opt = cli_getopt("assemble", argc, argv, "o:h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(assemble_usage, stdout); return FWS_EXIT_OK;
        case 'o': out = optarg; break;
        case OPT_FORCE: force = 1; break;
        default: return FWS_EXIT_USAGE;
        }
    }
    if (argc - optind != 3)
        return cli_usage("assemble", "expected HEAD CAPSULE PAYLOAD, got %d file%s",
                         argc - optind, argc - optind == 1 ? "" : "s");
    if (!out || !*out)
        return cli_usage("assemble", "missing -o OUT");
    return assemble(argv[optind], argv[optind + 1], argv[optind + 2], out, force);
}
