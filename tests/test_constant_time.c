/* SPDX-License-Identifier: MIT */
/* The verifier's secret-dependent paths under Valgrind memcheck with the
 * secrets marked undefined (tests/ct/ct_secrets.c): any branch or memory
 * index that depends on a secret is reported.  A deliberately leaky
 * control proves the harness can see one. */
#include <criterion/criterion.h>
#include <string.h>

#include "testutil.h"

#define VALGRIND "valgrind --error-exitcode=1 --track-origins=yes"

Test(constant_time, secret_paths_have_no_secret_dependent_branches, .timeout = 120)
{
    run_result r = run(VALGRIND " %s", CT_BIN);
    cr_assert_eq(r.status, 0, "valgrind reports a secret-dependent branch or index:\n%s", r.err);
    cr_assert(strstr(r.err, "ERROR SUMMARY: 0 errors"), "%s", r.err);
    cr_assert(strstr(r.out, "constant-time paths ran"), "%s", r.out);
    run_free(&r);
}

Test(constant_time, the_harness_catches_a_leaky_comparison, .timeout = 120)
{
    run_result r = run(VALGRIND " %s control", CT_BIN);
    cr_assert_eq(r.status, 1, "the leaky control went unnoticed:\n%s", r.err);
    cr_assert(strstr(r.err, "depends on uninitialised value"), "%s", r.err);
    run_free(&r);
}
