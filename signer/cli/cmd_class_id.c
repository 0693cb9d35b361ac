/* SPDX-License-Identifier: MIT */
/*
 * fwseal class-id: the 16-byte device class id of a string (SPEC.md
 * section 7), as hex or a C header.
 */
#include "atomic_file.h"
#include "cli.h"
#include "device_config.h"
#include "pubkey_export.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char class_id_usage[] =
    "usage: fwseal class-id STRING [--format c|hex] [-o OUT] [--name IDENT] [--force]\n"
    "\n"
    "Prints the device class id that 'fwseal pack --class STRING' puts into the\n"
    "manifest and a device compares with its own: the first 16 bytes of\n"
    "SHA-256(\"fwseal-v1 class-id\" || STRING), or STRING itself when it is 32\n"
    "hex digits (format/SPEC.md section 7).\n"
    "\n"
    "options:\n"
    "  --format F        hex  32 hex digits and a newline (default)\n"
    "                    c    a C header with 'static const uint8_t IDENT[16]'\n"
    "  -o, --output OUT  write to OUT instead of standard output\n"
    "  --name IDENT      C identifier for --format c (default fws_class_id)\n"
    "  --force           replace an existing OUT\n"
    "  -h, --help        show this help\n"
    "\n"
    "exit status: 0 written, 2 usage, 3 I/O\n";

enum { OPT_FORMAT = 256, OPT_NAME, OPT_FORCE };

int cmd_class_id(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, OPT_FORMAT},
                                         {"output", required_argument, 0, 'o'},
                                         {"name", required_argument, 0, OPT_NAME},
                                         {"force", no_argument, 0, OPT_FORCE},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *fmt = "hex", *out = "-", *name = NULL;
    char *text;
    size_t len = 0, cap;
    int force = 0, opt, rc, c_format;
    atomic_file af;

    optind = 0;
    while ((opt = cli_getopt("class-id", argc, argv, "o:h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(class_id_usage, stdout); return FWS_EXIT_OK;
        case OPT_FORMAT: fmt = optarg; break;
        case 'o': out = optarg; break;
        case OPT_NAME: name = optarg; break;
        case OPT_FORCE: force = 1; break;
        default: return FWS_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage("class-id", "missing the class STRING (e.g. acme.example/thermostat-v2)");
    if (argc - optind > 1)
        return cli_usage("class-id", "one class STRING only ('%s' and '%s'; quote a string "
                                     "with spaces)", argv[optind], argv[optind + 1]);
    if (!*argv[optind])
        return cli_usage("class-id", "the class STRING must not be empty");
    if (strcmp(fmt, "c") && strcmp(fmt, "hex"))
        return cli_usage("class-id", "--format: '%s' is not c or hex", fmt);
    c_format = !strcmp(fmt, "c");
    if (name && !c_format)
        return cli_usage("class-id", "--name applies to --format c only");
    if (name && !fws_pubkey_ident_valid(name))
        return cli_usage("class-id", "--name: '%s' is not a C identifier (letters, digits, _; "
                                     "at most %d characters; not a keyword)",
                         name, FWS_PUBKEY_IDENT_MAX);
    if (!*out)
        return cli_usage("class-id", "-o: empty file name");
    /* Room for every byte of STRING as an octal escape in the comment. */
    cap = 4 * strlen(argv[optind]) + 1024;
    text = xmalloc(cap);
    if (device_config_class_text(argv[optind], c_format, name ? name : "fws_class_id", text, cap,
                                 &len)) {
        diag_error("cannot format the class id");
        rc = FWS_EXIT_IO;
    } else if (!(rc = atomic_open(&af, out, 0644, force ? ATOMIC_OVERWRITE : 0)) &&
               ((rc = atomic_write(&af, text, len)) || (rc = atomic_commit(&af)))) {
        atomic_abort(&af);
    }
    free(text);
    return rc;
}
