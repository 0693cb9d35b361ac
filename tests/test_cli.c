/* The CLI's dispatch: help, unknown commands, exit statuses. */
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
