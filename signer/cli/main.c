/* SPDX-License-Identifier: MIT */
/* fwseal: dispatches `fwseal <command> [options]` from one table. */
#include "cli.h"
#include "json.h"
#include "version.h"

#include <sodium.h>
#include <string.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

static const struct command commands[] = {
    {"keygen", cmd_keygen, "generate or import a key (ed25519, x25519, psk)"},
    {"pubkey", cmd_pubkey, "export a public key as a C header, hex or PEM"},
    {"pack", cmd_pack, "compress, encrypt and sign components into a container"},
    {"inspect", cmd_inspect, "show a container's header, manifest, signers and recipients"},
    {"verify", cmd_verify, "take the decision a device would take on a container"},
    {"unpack", cmd_unpack, "verify, decrypt and write out a container's components"},
    {"tbs", cmd_tbs, "write the bytes to be signed, for a signer elsewhere"},
    {"sign", cmd_sign, "add signatures to a container, in place"},
    {"attach", cmd_attach, "add a signature made elsewhere, after checking it"},
    {"signatures", cmd_signatures, "list a container's signatures, or remove one"},
    {"log", cmd_log, "check the signing log's hash chain, or find who signed what"},
    {"cert", cmd_cert, "issue or show a delegation certificate (key rotation)"},
    {"secret", cmd_secret, "export a device's secret key for the factory programmer"},
    {"class-id", cmd_class_id, "print the class id of a device class name"},
    {"device-config", cmd_device_config, "write the C header a device's fws_policy is built from"},
    {"lot", cmd_lot, "create and list production lots and their quotas"},
    {"device", cmd_device, "add, import, list, retire devices in the registry"},
    {"rewrap", cmd_rewrap, "new capsules for a container: a few recipients, or a whole fleet"},
    {"assemble", cmd_assemble, "head + capsule + payload of a fleet directory into a container"},
};

#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    size_t i;
    fputs("usage: fwseal <command> [options]\n       fwseal --version\n\ncommands:\n", out);
    for (i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-14s %s\n", commands[i].name, commands[i].summary);
    fputs("\n'fwseal <command> --help' describes a command.\n"
          "exit status: 0 ok, 1 rejected, 2 usage, 3 I/O or environment\n",
          out);
}

/* Whether the command line asks for --json (before a "--"). */
static int wants_json(int argc, char **argv)
{
    for (int i = 2; i < argc && strcmp(argv[i], "--"); i++)
        if (!strcmp(argv[i], "--json"))
            return 1;
    return 0;
}

/* Every command ends here: a --json caller gets a JSON object even for a
 * usage or I/O error, and output lost on the way to stdout is exit 3. */
static int finish(int status, int json)
{
    if (json && (status == FWS_EXIT_USAGE || status == FWS_EXIT_IO))
        json_error_document(diag_last_error(), status);
    return diag_close_stdout(status);
}

int main(int argc, char **argv)
{
    const char *names[N_COMMANDS], *guess;
    size_t i;
    if (argc < 2) {
        usage(stderr);
        return FWS_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return diag_close_stdout(FWS_EXIT_OK);
    }
    if (!strcmp(argv[1], CLI_LIST_COMMANDS)) {
        for (i = 0; i < N_COMMANDS; i++)
            printf("%s\t%s\n", commands[i].name, commands[i].summary);
        return diag_close_stdout(FWS_EXIT_OK);
    }
    if (!strcmp(argv[1], "--version")) {
        printf("fwseal %s (container format %d)\n", FWSEAL_VERSION, FWS_FORMAT_VERSION);
        return diag_close_stdout(FWS_EXIT_OK);
    }
    if (sodium_init() < 0) {
        diag_error("libsodium failed to initialise");
        return FWS_EXIT_IO;
    }
    for (i = 0; i < N_COMMANDS; i++)
        if (!strcmp(argv[1], commands[i].name))
            return finish(commands[i].run(argc - 1, argv + 1), wants_json(argc, argv));
    for (i = 0; i < N_COMMANDS; i++)
        names[i] = commands[i].name;
    if ((guess = cli_closest(argv[1], names, N_COMMANDS)))
        diag_error("unknown command '%s' (did you mean %s?)", argv[1], guess);
    else
        diag_error("unknown command '%s'", argv[1]);
    usage(stderr);
    return FWS_EXIT_USAGE;
}
