/* SPDX-License-Identifier: MIT */
/* The documents that cite tests as proof (docs/THREAT_MODEL.md) cite tests
 * that exist: every `suite::test` there must be in this binary's list. */
#include <criterion/criterion.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

/* Every Test(suite, name ...) in tests/test_*.c, as "\nsuite::name\n".
 * (From the sources: a Criterion binary cannot list itself from inside a
 * test.) */
static char *test_names(void)
{
    glob_t g;
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap), *pattern = path_fmt("%s/tests/test_*.c", FWSEAL_SRC);
    out[0] = 0;
    cr_assert_eq(glob(pattern, 0, NULL, &g), 0, "%s", pattern);
    for (size_t i = 0; i < g.gl_pathc; i++) {
        size_t len;
        char *src = (char *)file_read(g.gl_pathv[i], &len), suite[64], name[128];
        cr_assert(src);
        src[len] = 0;
        for (char *t = strstr(src, "\nTest("); t; t = strstr(t + 1, "\nTest("))
            if (sscanf(t, "\nTest(%63[A-Za-z0-9_], %127[A-Za-z0-9_]", suite, name) == 2) {
                if (n + strlen(suite) + strlen(name) + 5 > cap)
                    out = realloc(out, cap *= 2);
                n += (size_t)snprintf(out + n, cap - n, "\n%s::%s\n", suite, name);
            }
        free(src);
    }
    globfree(&g);
    free(pattern);
    return out;
}

Test(threat_model, cites_tests_that_exist)
{
    size_t len;
    char *names = test_names(), *path = path_fmt("%s/docs/THREAT_MODEL.md", FWSEAL_SRC);
    char *doc = (char *)file_read(path, &len);
    int cited = 0;
    cr_assert(doc, "%s missing", path);
    doc[len] = 0;
    for (char *p = strchr(doc, '`'); p; p = strchr(p + 1, '`')) {
        char *end = strchr(p + 1, '`'), want[160];
        if (!end)
            break;
        size_t l = (size_t)(end - p - 1);
        char *sep = memmem(p + 1, l, "::", 2);
        /* `suite::name`; wildcards (`mutation::*`), elisions (`..._x`) and
         * the placeholder `suite::test` aside */
        if (sep && l < 120 && strncmp(p + 1, "suite::", 7) && !memchr(p + 1, ' ', l) && !memchr(p + 1, '*', l) &&
            !memmem(p + 1, l, "...", 3)) {
            snprintf(want, sizeof want, "\n%.*s\n", (int)l, p + 1);
            cr_expect(strstr(names, want), "%s cites `%.*s`, which is not a test", path, (int)l,
                      p + 1);
            cited++;
        }
        p = end;
    }
    cr_assert_gt(cited, 50, "only %d tests cited: the parser missed them", cited);
    free(doc);
    free(path);
    free(names);
}
