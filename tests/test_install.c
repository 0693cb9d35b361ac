/* SPDX-License-Identifier: MIT */
/* `make install` into a temporary DESTDIR, and everything installed used
 * from there: the programs, the man pages (rendered without a warning),
 * the completions (covering every command and option the programs take),
 * the CMake package (a firmware project built with the host compiler and
 * with arm-none-eabi-gcc through a toolchain file), then `make uninstall`.
 * Also: the package's cache options cover every switch of the verifier's
 * headers, and add_subdirectory() of the source tree gives the same
 * target. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testutil.h"

static char *dir, *root;   /* the temporary directory; DESTDIR/usr/local */

static void setup(void)
{
    char *err = NULL;
    dir = tmpdir_new();
    root = path_fmt("%s/dest/usr/local", dir);
    char *dest = path_fmt("%s/dest", dir);
    int status = make_install(dest, "/usr/local", &err);
    cr_assert_eq(status, 0, "make install: %s", err);
    free(err);
    free(dest);
}
static void teardown(void)
{
    tmpdir_remove(dir);
    free(dir);
    free(root);
}
TestSuite(install, .init = setup, .fini = teardown, .timeout = 240);

static int have(const char *tool)
{
    run_result r = run("command -v %s >/dev/null", tool);
    int ok = r.status == 0;
    run_free(&r);
    return ok;
}

Test(install, layout_and_programs)
{
    static const struct {
        const char *path;
        mode_t mode;
    } files[] = {
        {"bin/fwseal", 0755}, {"bin/fwsv", 0755},
        {"share/man/man1/fwseal.1", 0644}, {"share/man/man1/fwsv.1", 0644},
        {"share/man/man5/fwseal-container.5", 0644},
        {"share/bash-completion/completions/fwseal", 0644},
        {"share/bash-completion/completions/fwsv", 0644},
        {"share/zsh/site-functions/_fwseal", 0644}, {"share/zsh/site-functions/_fwsv", 0644},
        {"share/fwseal_verifier/fwseal_verify.c", 0644},
        {"share/fwseal_verifier/fwseal_verify.h", 0644},
        {"share/fwseal_verifier/fwseal_verifierConfig.cmake", 0644},
        {"share/fwseal_verifier/fwseal_verifierConfigVersion.cmake", 0644},
        {"share/fwseal_verifier/fwseal_verifier-options.cmake", 0644},
        {"share/doc/fwseal/README.md", 0644}, {"share/doc/fwseal/SPEC.md", 0644},
        {"share/doc/fwseal/CHANGELOG.md", 0644}, {"share/doc/fwseal/LICENSE", 0644},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct stat st;
        char *p = path_fmt("%s/%s", root, files[i].path);
        cr_assert_eq(stat(p, &st), 0, "%s is not installed", p);
        cr_assert_eq(st.st_mode & 0777, files[i].mode, "%s: mode %o", p, st.st_mode & 0777);
        free(p);
    }
    /* the installed programs run from there: versions, a round trip */
    run_result r = run("cd '%s' && PATH='%s/bin':$PATH && fwseal --version && fwsv --version && "
                       "fwseal keygen --type ed25519 -o k --no-passphrase >/dev/null && "
                       "printf firmware > fw.bin && fwseal pack -o fw.fws --key k.key --version "
                       "1.0.0 --counter 1 --class c fw.bin >/dev/null && "
                       "fwsv check fw.fws --trust k.pub --class c",
                       dir, root);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
    /* and every file is gone after make uninstall */
    r = run("env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C '%s' %s uninstall "
            "DESTDIR='%s/dest' PREFIX=/usr/local && find '%s/dest' -type f",
            FWSEAL_SRC, FWSEAL_MAKE_VARS, dir, dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert_str_eq(r.out, "", "left after uninstall: %s", r.out);
    run_free(&r);
}

/* groff -ww (every warning) and man -l render each page with no message;
 * the FILES paths follow the prefix; fwseal(1) has a subsection for every
 * command of fwseal's table. */
Test(install, man_pages_render_without_warnings)
{
    static const char *const pages[] = {"man1/fwseal.1", "man1/fwsv.1", "man5/fwseal-container.5"};
    if (!have("groff")) {
        test_skip("groff is not installed: the man pages are not rendered");
        return;
    }
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        run_result r = run("groff -ww -man -Tutf8 -z '%s/share/man/%s' 2>&1", root, pages[i]);
        cr_assert_eq(r.status, 0, "%s: %s", pages[i], r.out);
        cr_assert_str_eq(r.out, "", "%s: groff warns: %s", pages[i], r.out);
        run_free(&r);
        if (have("man")) {
            r = run("MANWIDTH=80 man -l '%s/share/man/%s' 2>&1 >/dev/null", root, pages[i]);
            cr_assert_str_eq(r.out, "", "%s: man -l warns: %s", pages[i], r.out);
            run_free(&r);
        } else {
            test_skip("man is not installed: man -l not tried");
        }
    }
    run_result r = run("grep -c '/usr/local/share/doc/fwseal' '%s/share/man/man1/fwseal.1'", root);
    cr_assert(atoi(r.out) > 0, "the FILES paths do not follow PREFIX");
    run_free(&r);
    r = run("'%s/bin/fwseal' --list-commands | cut -f1", root);
    char *save, *cmd = strtok_r(r.out, "\n", &save);
    for (; cmd; cmd = strtok_r(NULL, "\n", &save)) {
        run_result g = run("grep -qx '.SS %s' '%s/docs/fwseal.1'", cmd, FWSEAL_SRC);
        cr_assert_eq(g.status, 0, "docs/fwseal.1 has no '.SS %s' subsection", cmd);
        run_free(&g);
    }
    run_free(&r);
}

/* Every long option of every command (but --help) is in its program's man
 * page, written as roff writes it ("\-\-name"). */
Test(install, man_pages_name_every_option)
{
    static const char *const progs[] = {"fwseal", "fwsv"};
    for (size_t p = 0; p < 2; p++) {
        run_result r = run("prog='%s/bin/%s'; page='%s/docs/%s.1'; "
                           "for c in $(\"$prog\" --list-commands | cut -f1); do "
                           "for o in $(\"$prog\" $c --list-options | sed 's/=$//'); do "
                           "[ \"$o\" = --help ] && continue; "
                           "grep -qF -- \"$(printf '%%s' \"$o\" | sed 's/-/\\\\-/g')\" \"$page\" || "
                           "echo \"$c $o\"; done; done",
                           root, progs[p], FWSEAL_SRC, progs[p]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert_str_eq(r.out, "", "options missing from docs/%s.1:\n%s", progs[p], r.out);
        run_free(&r);
    }
}

/* Every command and every long option the programs take (their own
 * tables, and every --option their --help mentions) is in both
 * completions; bash completes a command and an option; both parse. */
Test(install, completions_cover_every_command_and_option)
{
    static const char *const progs[] = {"fwseal", "fwsv"};
    for (size_t p = 0; p < 2; p++) {
        char *bash = path_fmt("%s/share/bash-completion/completions/%s", root, progs[p]);
        char *zsh = path_fmt("%s/share/zsh/site-functions/_%s", root, progs[p]);
        size_t blen, zlen;
        char *b = (char *)file_read(bash, &blen), *z = (char *)file_read(zsh, &zlen);
        cr_assert(b && z);
        b = realloc(b, blen + 1), b[blen] = 0;
        z = realloc(z, zlen + 1), z[zlen] = 0;
        run_result cmds = run("'%s/bin/%s' --list-commands | cut -f1", root, progs[p]);
        char *save, *cmd = strtok_r(cmds.out, "\n", &save);
        int n_cmds = 0;
        for (; cmd; cmd = strtok_r(NULL, "\n", &save), n_cmds++) {
            char want[128];
            snprintf(want, sizeof want, " %s ", cmd);
            cr_assert(strstr(b, cmd) && strstr(z, cmd), "%s: command %s not completed", progs[p],
                      cmd);
            /* the options from the table and those --help lists (lines that
             * start with an option) */
            run_result o = run("{ '%s/bin/%s' %s --list-options 2>/dev/null; '%s/bin/%s' %s --help "
                               "| grep -oE -- '^ +(-[a-zA-Z], )?--[a-z][a-z0-9-]*' | grep -o -- '--.*'; } | "
                               "sed 's/=$//' | sort -u",
                               root, progs[p], cmd, root, progs[p], cmd);
            char *save2, *opt = strtok_r(o.out, "\n", &save2);
            for (; opt; opt = strtok_r(NULL, "\n", &save2)) {
                char bw[160], zw[160];
                snprintf(bw, sizeof bw, "%s) opts=\"", cmd);
                char *line = strstr(b, bw), *end = line ? strchr(line, '\n') : NULL;
                cr_assert(line && end, "%s: no option list for %s", progs[p], cmd);
                snprintf(bw, sizeof bw, "%s", opt);
                char *hit = strstr(line, bw);
                cr_assert(hit && hit < end, "%s %s: option %s missing from the bash completion",
                          progs[p], cmd, opt);
                snprintf(zw, sizeof zw, "'*%s", opt);
                cr_assert(strstr(z, zw), "%s %s: option %s missing from the zsh completion",
                          progs[p], cmd, opt);
            }
            run_free(&o);
        }
        cr_assert_gt(n_cmds, 3);
        run_free(&cmds);
        run_result r = run("bash -n '%s'", bash);
        cr_assert_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        if (have("zsh")) {
            r = run("zsh -n '%s'", zsh);
            cr_assert_eq(r.status, 0, "%s", r.err);
            run_free(&r);
        } else {
            test_skip("zsh is not installed: the zsh completion is not parsed");
        }
        free(b), free(z), free(bash), free(zsh);
    }
    run_result r = run("bash -c 'source \"%s/share/bash-completion/completions/fwseal\"; "
                       "COMP_WORDS=(fwseal pa); COMP_CWORD=1; _fwseal; echo \"${COMPREPLY[@]}\"; "
                       "COMP_WORDS=(fwseal pack --output-f); COMP_CWORD=2; _fwseal; "
                       "echo \"${COMPREPLY[@]}\"'", root);
    cr_assert_str_eq(r.out, "pack\n--output-format\n", "%s %s", r.out, r.err);
    run_free(&r);
}

/* find_package(fwseal_verifier) from the installed prefix: the consumer
 * (tests/cmake) builds with the host compiler and runs, and builds for a
 * Cortex-M4 through a toolchain file; the switches given as cache options
 * reach the consumer; add_subdirectory() of the source tree gives the
 * same target. */
Test(install, cmake_package_builds_a_firmware_project)
{
    if (!have("cmake")) {
        test_skip("cmake is not installed: the CMake package is not tried");
        return;
    }
    run_result r = run("cd '%s' && cmake -S '%s/tests/cmake' -B host -DCMAKE_PREFIX_PATH='%s' "
                       "-DFWS_CFG_MAX_TRUSTED=4 -DCMAKE_C_FLAGS='-DEXPECT_MAX_TRUSTED=4' >/dev/null && "
                       "cmake --build host >/dev/null && ./host/consumer",
                       dir, FWSEAL_SRC, root);
    cr_assert_eq(r.status, 0, "host: %s%s", r.out, r.err);
    run_free(&r);
    r = run("cd '%s' && cmake -S '%s/tests/cmake' -B src -DFWSEAL_SOURCE_DIR='%s' "
            "-DFWS_CFG_DELEGATION=0 -DCMAKE_C_FLAGS='-DEXPECT_DELEGATION=0' >/dev/null && "
            "cmake --build src >/dev/null && ./src/consumer",
            dir, FWSEAL_SRC, FWSEAL_SRC);
    cr_assert_eq(r.status, 0, "add_subdirectory: %s%s", r.out, r.err);
    run_free(&r);
    /* a wrong switch value is named */
    r = run("cd '%s' && cmake -S '%s/tests/cmake' -B bad -DCMAKE_PREFIX_PATH='%s' "
            "-DFWS_CFG_MAX_TRUSTED=many 2>&1", dir, FWSEAL_SRC, root);
    cr_assert_neq(r.status, 0);
    cr_assert(strstr(r.out, "FWS_CFG_MAX_TRUSTED='many': expected a number"), "%s", r.out);
    run_free(&r);
    if (!have("arm-none-eabi-gcc")) {
        test_skip("arm-none-eabi-gcc is not installed: no cross build through the package");
        return;
    }
    r = run("cd '%s' && cmake -S '%s/tests/cmake' -B arm -DCMAKE_PREFIX_PATH='%s' "
            "-DCMAKE_TOOLCHAIN_FILE='%s/tests/cmake/arm-none-eabi.cmake' -DFWS_PROVIDE_MEMFUNCS=ON "
            ">/dev/null && cmake --build arm >/dev/null && arm-none-eabi-readelf -h arm/consumer",
            dir, FWSEAL_SRC, root, FWSEAL_SRC);
    cr_assert_eq(r.status, 0, "arm: %s%s", r.out, r.err);
    cr_assert(strstr(r.out, "Machine:                           ARM"), "%s", r.out);
    run_free(&r);
}

/* Every #ifndef switch of the verifier's headers is a cache option. */
Test(install, cmake_options_cover_every_switch)
{
    run_result r = run("cd '%s' && grep -ho '^#ifndef FWS_[A-Z0-9_]*' verifier/*.h | "
                       "cut -d' ' -f2 | grep -v '_H$' | sort -u", FWSEAL_SRC);
    char *save, *sw = strtok_r(r.out, "\n", &save);
    size_t len, n = 0;
    char *p = path_fmt("%s/share/fwseal_verifier/fwseal_verifier-options.cmake", root);
    char *opts = (char *)file_read(p, &len);
    opts = realloc(opts, len + 1), opts[len] = 0;
    for (; sw; sw = strtok_r(NULL, "\n", &save), n++) {
        char want[96];
        snprintf(want, sizeof want, "set(%s \"\" CACHE STRING", sw);
        cr_assert(strstr(opts, want), "%s is not a cache option of the CMake package", sw);
    }
    cr_assert_geq(n, 9);
    free(opts), free(p);
    run_free(&r);
}
