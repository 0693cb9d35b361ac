/* SPDX-License-Identifier: MIT */
/* The CLI's dispatch and option parsing: help, unknown commands and
 * options, exit statuses. */
#include <criterion/criterion.h>
#include <string.h>

#include "testutil.h"

Test(cli, help_lists_every_command)
{
    run_result r = run("%s --help", FWSEAL_BIN);
    cr_assert_eq(r.status, 0);
    const char *cmds[] = {"keygen", "pubkey", "pack", "inspect", "verify", "unpack"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        cr_assert(strstr(r.out, cmds[i]), "help lacks %s", cmds[i]);
    run_free(&r);
}

Test(cli, unknown_command_is_usage_error)
{
    run_result r = run("%s frobnicate", FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "unknown command 'frobnicate'"), "%s", r.err);
    run_free(&r);
}

Test(cli, no_arguments_is_usage_error)
{
    run_result r = run("%s", FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "usage: fwseal"));
    run_free(&r);
}

/* Every command, fwsv's too, reports a bad option the same way: what is
 * wrong, a suggestion for a near miss, and the --help hint; exit 2. */
Test(cli, option_errors_have_one_format)
{
    static const struct {
        const char *bin, *args, *want;
    } cases[] = {
        {FWSEAL_BIN, "keygen --froce -o k", "unknown option '--froce' (did you mean --force?)\n"
                                            "Try 'fwseal keygen --help'."},
        {FWSEAL_BIN, "pubkey k.pub --fromat hex", "unknown option '--fromat' (did you mean --format?)"},
        {FWSEAL_BIN, "pack --verison 1.0.0", "unknown option '--verison' (did you mean --version?)"},
        {FWSEAL_BIN, "inspect f --jsno", "unknown option '--jsno' (did you mean --json?)"},
        {FWSEAL_BIN, "verify f --trust", "option '--trust' requires an argument\n"
                                         "Try 'fwseal verify --help'."},
        {FWSEAL_BIN, "unpack f -j", "option '-j' requires an argument"},
        {FWSEAL_BIN, "unpack f --force=yes", "option '--force' takes no argument"},
        {FWSEAL_BIN, "keygen --pass x -o k", "option '--pass' is ambiguous (--passphrase-file, "
                                             "--passphrase-env, --passphrase, --password)"},
        {FWSEAL_BIN, "keygen --passphrase=secret -o k", "never taken from the command line"},
        {FWSEAL_BIN, "inspect -x f", "unknown option '-x'\nTry 'fwseal inspect --help'."},
        {FWSEAL_BIN, "keygen --bogus -o k", "unknown option '--bogus'\n"},
        {FWSEAL_BIN, "pakc", "unknown command 'pakc' (did you mean pack?)"},
        {FWSV_BIN, "check f --trust s.pub --max-chunck 4096",
         "fwsv: error: unknown option '--max-chunck' (did you mean --max-chunk?)\n"
         "Try 'fwsv check --help'."},
        {FWSV_BIN, "instal f", "fwsv: error: unknown command 'instal' (did you mean install?)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = run("%s %s", cases[i].bin, cases[i].args);
        cr_assert_eq(r.status, 2, "%s: %d %s", cases[i].args, r.status, r.err);
        cr_assert(strstr(r.err, cases[i].want), "%s: want '%s' in: %s", cases[i].args,
                  cases[i].want, r.err);
        cr_assert(strstr(r.err, "error: "), "%s: %s", cases[i].args, r.err);
        run_free(&r);
    }
}
