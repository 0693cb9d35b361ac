/* SPDX-License-Identifier: MIT */
/* The two-file amalgamation (build/dist/fwseal_verify.{c,h}, written by
 * `make amalgamate`): tests/amalgamation/bootloader.c builds from those two
 * files alone, freestanding with nothing undefined, and its self-test
 * (SPEC.md's worked example: install, boot, tampered copies) passes when
 * linked and run on the host.  Cross compilers, when installed, must leave
 * only libgcc's documented arithmetic helpers undefined. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *dir;
static void setup(void)
{
    dir = tmpdir_new();
    char *c = path_fmt("%s/fwseal_verify.c", FWSEAL_DIST);
    cr_assert(file_exists(c), "%s missing: run 'make amalgamate' (make test does)", c);
    free(c);
    /* Only the two files and the program, in an empty directory. */
    run_result r = run("cp '%s/fwseal_verify.c' '%s/fwseal_verify.h' '%s/tests/amalgamation/bootloader.c' '%s'",
                       FWSEAL_DIST, FWSEAL_DIST, FWSEAL_SRC, dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}
static void teardown(void)
{
    tmpdir_remove(dir);
    free(dir);
}
TestSuite(amalgamation, .init = setup, .fini = teardown, .timeout = 120);

#define FREE_FLAGS "-std=c99 -pedantic -ffreestanding -nostdlib -Wall -Wextra -Wshadow " \
                   "-Wstrict-prototypes -Wmissing-prototypes -Wvla -Werror -I."

/* Compiles both files with cc (a compiler command with its target flags),
 * links them partially and returns nm -u's output (malloc'ed), or NULL if
 * the compiler is absent. */
static char *undefined_symbols(const char *cc, const char *opt, const char *extra)
{
    run_result r = run("command -v %s", cc);
    int have = r.status == 0;
    run_free(&r);
    if (!have)
        return NULL;
    r = run("cd '%s' && %s %s %s %s -c bootloader.c -o b.o && %s %s %s %s -c fwseal_verify.c -o f.o "
            "&& %s -nostdlib -r b.o f.o -o all.o && nm -u all.o | awk '{print $2}' | sort | tr '\\n' ' '",
            dir, cc, FREE_FLAGS, opt, extra, cc, FREE_FLAGS, opt, extra, cc);
    cr_assert_eq(r.status, 0, "%s %s %s: %s%s", cc, opt, extra, r.out, r.err);
    char *out = strdup(r.out);
    run_free(&r);
    return out;
}

Test(amalgamation, freestanding_host_nothing_undefined)
{
    static const char *opts[] = {"-O0", "-Os"};   /* -O2: hosted_selftest_runs */
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        char *u = undefined_symbols("cc", opts[i], "");
        cr_assert(u);
        cr_assert_str_eq(u, "", "cc %s: undefined: %s", opts[i], u);
        free(u);
    }
    /* Smaller tunables still build. */
    char *u = undefined_symbols("cc", "-Os", "-DFWS_CFG_MAX_MANIFEST=1024 -DFWS_CFG_MAX_TRUSTED=2 "
                                            "-DFWS_ED25519_WINDOW=3");
    cr_assert_str_eq(u, "", "%s", u);
    free(u);
    /* The memory-function switch defines them. */
    run_result r = run("cd '%s' && cc " FREE_FLAGS " -O2 -DFWS_PROVIDE_MEMFUNCS -c fwseal_verify.c "
                       "-o m.o && nm m.o | grep -c ' T mem'", dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "4\n");
    run_free(&r);
    u = undefined_symbols("clang", "-O2", "");
    if (u) {
        cr_assert_str_eq(u, "", "clang: undefined: %s", u);
        free(u);
    } else {
        test_skip("clang: not installed");
    }
}

/* libgcc's helpers every bare-metal toolchain links (documented in
 * bootloader.c); anything else is a failure. */
static void expect_only_helpers(const char *what, const char *u)
{
    char *copy = strdup(u), *save, *tok;
    for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
        cr_assert(!strcmp(tok, "__aeabi_uldivmod") || !strcmp(tok, "__aeabi_lmul") ||
                      !strcmp(tok, "__udivdi3") || !strcmp(tok, "__umoddi3") ||
                      !strncmp(tok, "__gnu_thumb1_case_", 18),
                  "%s: undefined symbol %s", what, tok);
    fprintf(stderr, "amalgamation: %s: undefined: %s\n", what, *u ? u : "(none)");
    free(copy);
}

Test(amalgamation, freestanding_cross_targets)
{
    static const struct { const char *cc, *what; } t[] = {
        {"arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb", "Cortex-M0+"},
        {"arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb", "Cortex-M4"},
        {"riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32", "RV32IMAC"},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        char first[64];
        sscanf(t[i].cc, "%63s", first);
        run_result r = run("command -v %s", first);
        int have = r.status == 0;
        run_free(&r);
        if (!have) {
            test_skip("%s: %s not installed", t[i].what, first);
            continue;
        }
        char *u = undefined_symbols(t[i].cc, "-Os", "");
        expect_only_helpers(t[i].what, u);
        free(u);
        if (i == 0) {   /* Thumb-1 switch tables go away with -fno-jump-tables */
            u = undefined_symbols(t[i].cc, "-Os", "-fno-jump-tables");
            cr_assert(!strstr(u, "__gnu_thumb1_case"), "%s", u);
            free(u);
        }
        /* A whole bare-metal image links against libgcc alone. */
        char size_tool[64];
        snprintf(size_tool, sizeof size_tool, "%.*ssize", (int)(strlen(first) - 3), first);
        r = run("cd '%s' && %s -Os -ffreestanding -nostdlib -Wl,-e,bl_selftest -Wl,--gc-sections "
                "-ffunction-sections -I. bootloader.c fwseal_verify.c -lgcc -o fw.elf && "
                "%s fw.elf | tail -1",
                dir, t[i].cc, size_tool);
        cr_assert_eq(r.status, 0, "%s: %s", t[i].what, r.err);
        fprintf(stderr, "amalgamation: %s bootloader image (text data bss dec): %s", t[i].what, r.out);
        run_free(&r);
    }
}

Test(amalgamation, hosted_selftest_runs)
{
    run_result r = run("cd '%s' && cc -std=c99 -O2 -Wall -Wextra -Werror -DBOOTLOADER_HOSTED -I. "
                       "bootloader.c fwseal_verify.c -o bl && ./bl",
                       dir);
    cr_assert_eq(r.status, 0, "self-test failed at step %d: %s", r.status, r.err);
    run_free(&r);
    r = run("cd '%s' && cc -std=c99 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all "
            "-DBOOTLOADER_HOSTED -I. bootloader.c fwseal_verify.c -o bls && ./bls",
            dir);
    cr_assert_eq(r.status, 0, "sanitized self-test: step %d: %s", r.status, r.err);
    run_free(&r);
}
