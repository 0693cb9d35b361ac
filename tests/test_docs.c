/* SPDX-License-Identifier: MIT */
/* The documentation's commands, run as a reader would run them, from an
 * installed tree (make install into a temporary DESTDIR): every ```sh
 * block of README.md in order in a fresh directory, and the GitHub Actions
 * and GitLab CI jobs of docs/CI.md (parsed as YAML, their shell steps run
 * in a fresh firmware repository).  scripts/doc-blocks.py says how
 * blocks are marked; a block that needs a tool that is not here prints a
 * SKIP line. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static char *dir;

static void setup(void)
{
    char *err = NULL, *dest;
    dir = tmpdir_new();
    dest = path_fmt("%s/dest", dir);
    cr_assert_eq(make_install(dest, "/usr/local", &err), 0, "make install: %s", err);
    free(err);
    free(dest);
}
static void teardown(void)
{
    tmpdir_remove(dir);
    free(dir);
}
TestSuite(docs, .init = setup, .fini = teardown, .timeout = 300);

/* Runs doc-blocks.py MODE FILE; every "SKIP: ..." line it prints goes to
 * test_skip(). */
static void run_blocks(const char *mode, const char *file)
{
    run_result r = run("command -v python3 >/dev/null && python3 -c 'import yaml'");
    if (r.status != 0) {
        test_skip("python3 with PyYAML (python3-yaml) is not installed: %s not run", file);
        run_free(&r);
        return;
    }
    run_free(&r);
    r = run("mkdir -p '%s/work' && python3 '%s/scripts/doc-blocks.py' %s '%s/%s' "
            "--prefix '%s/dest/usr/local' --work '%s/work' --src '%s' 2>&1",
            dir, FWSEAL_SRC, mode, FWSEAL_SRC, file, dir, dir, FWSEAL_SRC);
    char *save, *line = strtok_r(r.out, "\n", &save);
    char *all = strdup("");
    for (; line; line = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(line, "SKIP: ", 6))
            test_skip("%s", line + 6);
        all = realloc(all, strlen(all) + strlen(line) + 2);
        strcat(strcat(all, line), "\n");
    }
    cr_assert_eq(r.status, 0, "%s: %s", file, all);
    free(all);
    run_free(&r);
}

Test(docs, readme_command_blocks_run_in_order)
{
    run_blocks("readme", "README.md");
}

Test(docs, ci_jobs_parse_and_run)
{
    run_blocks("ci", "docs/CI.md");
}
