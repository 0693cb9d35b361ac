/* SPDX-License-Identifier: MIT */
/*
 * fwseal device-config: the C header a bootloader builds its fws_policy
 * from (trusted keys, threshold, roots, class id, limits).
 */
#include "cli.h"
#include "config_args.h"
#include "device_config.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char device_config_usage[] =
    "usage: fwseal device-config --trust PUB [--trust PUB...] --class CLASS\n"
    "                            [options] [-o fws_device_config.h]\n"
    "\n"
    "Writes one C header with everything a device's fws_policy takes from the\n"
    "build: the trusted keys and threshold, root keys and root threshold, the\n"
    "class id and the limits, as static const arrays, macros, and\n"
    "FWS_DEVICE_POLICY_FIELDS, a designated-initializer list:\n"
    "\n"
    "    static const fws_policy policy = { FWS_DEVICE_POLICY_FIELDS,\n"
    "        .counter_floor = FLOOR, .x25519_secret = fws_device_x25519_secret };\n"
    "\n"
    "The header holds no secret; 'fwseal secret --format c' writes the device's.\n"
    "\n"
    "options:\n" CONFIG_HELP
    "  --device-key FILE    also the device's own key (an X25519 .pub/.key, or a\n"
    "                       PSK .key: its id only): its key id, and for X25519\n"
    "                       the public key in .x25519_public\n"
    "  -o, --output OUT     write to OUT instead of standard output\n"
    "  --force              replace an existing OUT\n"
    "  -h, --help           show this help\n"
    "\n"
    "exit status: 0 written, 2 usage, 3 I/O or key file problem\n";

enum { OPT_DEVICE_KEY = 256 };

int cmd_device_config(int argc, char **argv)
{
    static const struct option opts[] = {CONFIG_LONG_OPTIONS,
                                         {"device-key", required_argument, 0, OPT_DEVICE_KEY},
                                         {"output", required_argument, 0, 'o'},
                                         {"force", no_argument, 0, CLI_OPT_FORCE},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    config_args *a = xmalloc(sizeof *a);
    const char *device_path = NULL;
    char *text = NULL;
    int opt, rc = FWS_EXIT_OK;
    device_config c;
    fws_key device;
    cli_export ex;
    size_t len;

    config_args_init(a, "device-config");
    cli_export_init(&ex);
    optind = 0;
    while (!rc && (opt = cli_getopt("device-config", argc, argv, "o:h", opts)) != -1) {
        if (opt == 'h') {
            fputs(device_config_usage, stdout);
            goto done;
        } else if (opt == 'o' || opt == CLI_OPT_FORCE) {
            cli_export_option(&ex, opt, optarg);
        } else if (opt == OPT_DEVICE_KEY) {
            device_path = optarg;
        } else {
            rc = opt == CLI_OPT_ERROR ? FWS_EXIT_USAGE : config_args_option(a, opt, optarg);
        }
    }
    if (rc)
        goto done;
    if (optind < argc) {
        rc = cli_usage("device-config", "unexpected argument '%s' (keys go after --trust)",
                       argv[optind]);
        goto done;
    }
    if ((rc = cli_export_check("device-config", &ex, 0)) || (rc = config_args_load(a, &c)))
        goto done;
    if (device_path) {
        if ((rc = fws_key_load_public(device_path, &device)))
            goto done;
        if (device.type == FWS_KEY_ED25519) {
            rc = cli_usage("device-config", "%s: --device-key needs the device's X25519 key or "
                                            "PSK, this is an Ed25519 key", device_path);
            goto done;
        }
        c.device = &device;
    }
    text = xmalloc(DEVICE_CONFIG_TEXT_MAX);
    if (device_config_text(&c, text, DEVICE_CONFIG_TEXT_MAX, &len)) {
        diag_error("the device configuration does not fit in %d bytes", DEVICE_CONFIG_TEXT_MAX);
        rc = FWS_EXIT_IO;
        goto done;
    }
    rc = cli_export_write(&ex, text, len, 0644, 0);
done:
    free(text);
    free(a);
    return rc;
}
