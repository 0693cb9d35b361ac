/* SPDX-License-Identifier: MIT */
/* Output that never reached stdout is an error: every command that writes
 * there exits 3 when stdout is a full disk (/dev/full), with a message,
 * instead of 0 with the output lost.  And with --json, an error still
 * prints one JSON object ({"error": ..., "exit": N}), so that jq never
 * reads empty input. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fixture fx;
static void setup(void)
{
    fx_init(&fx);
    run_result r = run("cd '%s' && printf 'abc' > a.bin && "
                       "%s pack -o x.fws --key sign1.key --version 1.0.0 --counter 1 "
                       "--class test/class --log l.log app=a.bin >/dev/null && "
                       "%s cert issue --root sign2.key --subject sign1.pub --generation 1 "
                       "-o c.cert >/dev/null",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}
static void teardown(void) { fx_free(&fx); }
TestSuite(stdout_checks, .init = setup, .fini = teardown);

Test(stdout_checks, output_lost_on_a_full_disk_is_exit_3)
{
    static const char *const cmds[] = {
        FWSEAL_BIN " inspect x.fws",
        FWSEAL_BIN " inspect x.fws --json",
        FWSEAL_BIN " verify x.fws --trust sign1.pub --class test/class",
        FWSEAL_BIN " verify x.fws --trust sign1.pub --class test/class --json",
        FWSEAL_BIN " verify x.fws --trust sign2.pub --class test/class --json",   /* rejected */
        FWSEAL_BIN " signatures x.fws",
        FWSEAL_BIN " signatures x.fws --json",
        FWSEAL_BIN " tbs x.fws",
        FWSEAL_BIN " pubkey sign1.pub",
        FWSEAL_BIN " cert show c.cert",
        FWSEAL_BIN " log verify l.log",
        FWSEAL_BIN " log find l.log --counter 1",
        FWSEAL_BIN " --help",
        FWSEAL_BIN " --version",
        FWSEAL_BIN " pack --help",
        FWSV_BIN " check x.fws --trust sign1.pub --class test/class",
        FWSV_BIN " --help",
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        run_result r = run("cd '%s' && %s > /dev/full", fx.dir, cmds[i]);
        cr_expect_eq(r.status, 3, "%s > /dev/full: exit %d, not 3: %s", cmds[i], r.status, r.err);
        cr_expect(strstr(r.err, "No space left on device"),
                  "%s > /dev/full: %s", cmds[i], r.err);
        run_free(&r);
        /* the control: the same command to a real file is not an error */
        r = run("cd '%s' && %s > out.txt", fx.dir, cmds[i]);
        cr_expect(r.status == 0 || (r.status == 1 && strstr(cmds[i], "sign2.pub")),
                  "%s: exit %d: %s", cmds[i], r.status, r.err);
        run_free(&r);
    }
}

Test(stdout_checks, json_errors_are_json)
{
    static const struct {
        const char *args;
        int status;
        const char *error;
    } cases[] = {
        {"verify missing.fws --trust sign1.pub --class test/class --json", 3,
         "\"error\":\"missing.fws: cannot open: No such file or directory\""},
        {"verify x.fws --json --bogus", 2, "\"error\":\"unknown option '--bogus'\""},
        {"verify x.fws --json --trust nokey.pub --class test/class", 3, "nokey.pub"},
        {"inspect --json", 2, "\"error\":\""},
        {"signatures x.fws --json --remove 0011223344556677", 2, "\"error\":\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char want_exit[32];
        run_result r = run("cd '%s' && %s %s", fx.dir, FWSEAL_BIN, cases[i].args);
        snprintf(want_exit, sizeof want_exit, "\"exit\":%d}\n", cases[i].status);
        cr_expect_eq(r.status, cases[i].status, "%s: exit %d: %s", cases[i].args, r.status, r.err);
        cr_expect(r.out[0] == '{' && strstr(r.out, cases[i].error) && strstr(r.out, want_exit),
                  "%s: stdout is not the JSON error object: [%s]", cases[i].args, r.out);
        cr_expect_eq(strchr(r.out, '\n'), r.out + strlen(r.out) - 1, "one line: [%s]", r.out);
        run_free(&r);
    }
    /* A command that printed its own JSON (a rejection, a damaged file)
     * prints no second object. */
    run_result r = run("cd '%s' && head -c 40 x.fws > cut.fws && %s inspect cut.fws --json", fx.dir,
                       FWSEAL_BIN);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.out, "\"well_formed\":false") && !strstr(r.out, "\"exit\":"), "%s", r.out);
    run_free(&r);
}
