/* SPDX-License-Identifier: MIT */
/*
 * fwseal class-id: the 16-byte device class id of a string (SPEC.md
 * section 7), as hex or a C header.
 */
#include "cli.h"
#include "device_config.h"
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

int cmd_class_id(int argc, char **argv)
{
    static const struct option opts[] = {CLI_EXPORT_OPTIONS,
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    cli_export ex;
    char *text;
    size_t len = 0, cap;
    int opt, rc, c_format;

    cli_export_init(&ex);
    optind = 0;
    while ((opt = cli_getopt("class-id", argc, argv, "o:h", opts)) != -1) {
        if (opt == 'h') {
            fputs(class_id_usage, stdout);
            return FWS_EXIT_OK;
        }
        if (!cli_export_option(&ex, opt, optarg))
            return FWS_EXIT_USAGE;
    }
    if (optind >= argc)
        return cli_usage("class-id", "missing the class STRING (e.g. acme.example/thermostat-v2)");
    if (argc - optind > 1)
        return cli_usage("class-id", "one class STRING only ('%s' and '%s'; quote a string "
                                     "with spaces)", argv[optind], argv[optind + 1]);
    if (!*argv[optind])
        return cli_usage("class-id", "the class STRING must not be empty");
    if (ex.format && strcmp(ex.format, "c") && strcmp(ex.format, "hex"))
        return cli_usage("class-id", "--format: '%s' is not c or hex", ex.format);
    c_format = ex.format && !strcmp(ex.format, "c");
    if ((rc = cli_export_check("class-id", &ex, c_format)))
        return rc;
    /* Room for every byte of STRING as an octal escape in the comment. */
    cap = 4 * strlen(argv[optind]) + 1024;
    text = xmalloc(cap);
    if (device_config_class_text(argv[optind], c_format, ex.name ? ex.name : "fws_class_id", text,
                                 cap, &len)) {
        diag_error("cannot format the class id");
        rc = FWS_EXIT_IO;
    } else {
        rc = cli_export_write(&ex, text, len, 0644, 0);
    }
    free(text);
    return rc;
}
