/* SPDX-License-Identifier: MIT */
/* The staged output directory (host/outdir.c) under `fwseal unpack` and
 * `fwsv install`: any output path is only a path (quotes, semicolons,
 * spaces, newlines and a leading '-' run nothing and remove nothing), no
 * symbolic link inside DIR is followed, nothing is written unless every
 * move can be made, and the staging directory never outlives the run,
 * after a rejection either. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "fixture.h"
#include "outdir.h"

static fixture fx;
static void setup(void)
{
    uint8_t a[3000], b[700];
    fx_init(&fx);
    fill_text(a, sizeof a, 1);
    fill_random(b, sizeof b, 2);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    free(fx_write(&fx, "b.bin", b, sizeof b));
    free(fx_pack_bytes(&fx, "plain.fws", "app=a.bin cfg=b.bin", &(size_t){0}));
}
static void teardown(void) { fx_free(&fx); }
TestSuite(outdir, .init = setup, .fini = teardown, .timeout = 120);

/* The two tools that write an output directory, the same way. */
static const char *const tools[] = {"unpack", "install"};

/* Runs `fwseal unpack` or `fwsv install` of FILE in the fixture's
 * directory with -o "$FWS_OUT" (out, passed through the environment so
 * that no shell quoting is involved) and extra args. */
static run_result write_out(const char *tool, const char *file, const char *out,
                            const char *args)
{
    run_result r;
    setenv("FWS_OUT", out, 1);
    if (!strcmp(tool, "unpack"))
        r = run("cd '%s' && %s unpack %s --trust sign1.pub --class test/class -o \"$FWS_OUT\" %s", fx.dir,
                FWSEAL_BIN, file, args);
    else
        r = run("cd '%s' && %s install %s --trust sign1.pub --class test/class -o \"$FWS_OUT\" %s", fx.dir,
                FWSV_BIN, file, args);
    unsetenv("FWS_OUT");
    return r;
}

/* Every entry under the fixture's directory (or sub), its type, link
 * target and, for files, contents: equal strings mean an equal tree. */
static char *tree(const char *sub)
{
    run_result r = run("cd '%s/%s' && find . -mindepth 1 -printf '%%y %%p %%l\\n' | sort && "
                       "find . -type f -exec sha256sum {} + | sort",
                       fx.dir, sub);
    cr_assert_eq(r.status, 0, "%s", r.err);
    free(r.err);
    return r.out;
}

/* No staging directory of either tool is left anywhere in the fixture. */
static void expect_no_staging(const char *what)
{
    run_result r = run("cd '%s' && find . -name '.fwseal-unpack-*' -o -name '.fwsv-install-*'",
                       fx.dir);
    cr_assert_str_eq(r.out, "", "%s: staging left behind: %s", what, r.out);
    run_free(&r);
}

/* out holds app and cfg, byte for byte. */
static void expect_components(const char *out, const char *what)
{
    run_result r;
    setenv("FWS_OUT", out, 1);
    r = run("cd '%s' && cmp -- \"$FWS_OUT/app\" a.bin && cmp -- \"$FWS_OUT/cfg\" b.bin", fx.dir);
    unsetenv("FWS_OUT");
    cr_assert_eq(r.status, 0, "%s: %s%s", what, r.out, r.err);
    run_free(&r);
}

static const char *const odd_names[] = {
    "x';touch PWNED;'", "y\";touch PWNED;\"", "semi;colon", "with space", "new\nline",
    "-dash", "quote'd", "$(touch PWNED)", "`touch PWNED`",
};

/* A path is data: into a new and into an existing directory, whatever its
 * characters, the components arrive, no command runs, nothing is left. */
Test(outdir, odd_output_paths_run_nothing)
{
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < sizeof odd_names / sizeof odd_names[0]; i++) {
            const char *name = odd_names[i];
            char *pwned = fx_path(&fx, "PWNED");
            for (int existing = 0; existing < 2; existing++) {
                run_result r;
                if (existing) {
                    setenv("FWS_OUT", name, 1);
                    r = run("cd '%s' && rm -rf -- \"$FWS_OUT\" && mkdir -- \"$FWS_OUT\"", fx.dir);
                    unsetenv("FWS_OUT");
                    cr_assert_eq(r.status, 0, "%s", r.err);
                    run_free(&r);
                }
                r = write_out(tools[t], "plain.fws", name, "");
                cr_assert_eq(r.status, 0, "%s -o %s (%s): %d %s", tools[t], name,
                             existing ? "existing" : "new", r.status, r.err);
                run_free(&r);
                expect_components(name, name);
                cr_assert(!file_exists(pwned), "%s -o %s ran a command", tools[t], name);
                expect_no_staging(name);
                /* Again: the files are there now, so it is refused, and
                 * the staging directory is removed all the same. */
                r = write_out(tools[t], "plain.fws", name, "");
                cr_assert_eq(r.status, 3, "%s -o %s again: %d %s", tools[t], name, r.status,
                             r.err);
                run_free(&r);
                cr_assert(!file_exists(pwned), "%s -o %s ran a command", tools[t], name);
                expect_no_staging(name);
                setenv("FWS_OUT", name, 1);
                r = run("cd '%s' && rm -rf -- \"$FWS_OUT\"", fx.dir);
                unsetenv("FWS_OUT");
                run_free(&r);
            }
            free(pwned);
        }
}

/* The reported injection: a path that closes a quote and names another
 * directory must not remove that directory. */
Test(outdir, a_quote_in_the_path_removes_nothing_else)
{
    for (size_t t = 0; t < 2; t++) {
        char *name, *victim = fx_path(&fx, "victim/keep.txt");
        run_result r = run("cd '%s' && mkdir -p victim && echo keep > victim/keep.txt", fx.dir);
        run_free(&r);
        name = path_fmt("out' %s/victim '", fx.dir);
        setenv("FWS_OUT", name, 1);
        r = run("cd '%s' && mkdir -p -- \"$FWS_OUT\"", fx.dir);
        unsetenv("FWS_OUT");
        run_free(&r);
        r = write_out(tools[t], "plain.fws", name, "");
        cr_assert_eq(r.status, 0, "%s: %d %s", tools[t], r.status, r.err);
        run_free(&r);
        cr_assert(file_exists(victim), "%s -o \"%s\" removed the victim directory", tools[t],
                  name);
        expect_components(name, name);
        expect_no_staging(name);
        r = run("cd '%s' && rm -rf \"out' \"", fx.dir);
        run_free(&r);
        free(name);
        free(victim);
    }
}

/* A rejected container into an existing directory with a quote in its
 * name: nothing written, and the staging directory, which held the
 * plaintext of the chunks before the bad one, is gone. */
Test(outdir, staging_is_removed_after_a_rejection)
{
    size_t len;
    char *p = fx_path(&fx, "plain.fws");
    uint8_t *c = file_read(p, &len);
    c[len - 3] ^= 1;
    free(fx_write(&fx, "bad.fws", c, len));
    for (size_t t = 0; t < 2; t++) {
        run_result r = run("cd '%s' && mkdir -p \"it's\"", fx.dir);
        run_free(&r);
        r = write_out(tools[t], "bad.fws", "it's", "");
        cr_assert_eq(r.status, 1, "%s: %d %s", tools[t], r.status, r.err);
        run_free(&r);
        r = run("cd '%s' && ls -A \"it's\"", fx.dir);
        cr_assert_str_eq(r.out, "", "%s left: %s", tools[t], r.out);
        run_free(&r);
        expect_no_staging(tools[t]);
    }
    free(c);
    free(p);
}

/* A symbolic link inside DIR is never followed: a component below it is
 * refused (exit 3) and nothing is written anywhere. */
Test(outdir, symlinked_directory_inside_dir_is_refused)
{
    free(fx_pack_bytes(&fx, "sym.fws", "first=a.bin sub/evil=b.bin", &(size_t){0}));
    for (size_t t = 0; t < 2; t++) {
        run_result r = run("cd '%s' && rm -rf out elsewhere && mkdir out elsewhere && "
                           "ln -s ../elsewhere out/sub", fx.dir);
        run_free(&r);
        char *before = tree(".");
        r = write_out(tools[t], "sym.fws", "out", "");
        cr_assert_eq(r.status, 3, "%s: %d %s", tools[t], r.status, r.err);
        cr_assert(strstr(r.err, "out/sub") && strstr(r.err, "symbolic link"), "%s: %s",
                  tools[t], r.err);
        run_free(&r);
        r = write_out(tools[t], "sym.fws", "out", "--force");
        cr_assert_eq(r.status, 3, "%s --force: %d %s", tools[t], r.status, r.err);
        run_free(&r);
        char *after = tree(".");
        cr_assert_str_eq(after, before, "%s wrote something", tools[t]);
        free(before);
        free(after);
        expect_no_staging(tools[t]);
    }
}

/* The partial case: out/a is a file and a later component is a/b.  Every
 * target and parent is checked before the first move, so out/ stays
 * exactly as it was, with --force too. */
Test(outdir, a_later_conflict_leaves_dir_as_it_was)
{
    free(fx_pack_bytes(&fx, "part.fws", "first=a.bin a/b=b.bin", &(size_t){0}));
    for (size_t t = 0; t < 2; t++) {
        run_result r = run("cd '%s' && rm -rf out && mkdir out && echo old > out/a && "
                           "mkdir out/d && echo keep > out/d/k", fx.dir);
        run_free(&r);
        char *before = tree("out");
        for (int force = 0; force < 2; force++) {
            r = write_out(tools[t], "part.fws", "out", force ? "--force" : "");
            cr_assert_eq(r.status, 3, "%s: %d %s", tools[t], r.status, r.err);
            cr_assert(strstr(r.err, "out/a") && strstr(r.err, "not a directory"), "%s: %s",
                      tools[t], r.err);
            cr_assert(strstr(r.err, "nothing written"), "%s: %s", tools[t], r.err);
            run_free(&r);
            char *after = tree("out");
            cr_assert_str_eq(after, before, "%s%s changed out/", tools[t],
                             force ? " --force" : "");
            free(after);
            expect_no_staging(tools[t]);
        }
        free(before);
    }
}

/* A directory where a component's file goes is refused up front as well,
 * with --force too (a rename cannot replace it). */
Test(outdir, a_directory_in_a_files_place_is_refused)
{
    for (size_t t = 0; t < 2; t++) {
        run_result r = run("cd '%s' && rm -rf out && mkdir -p out/cfg", fx.dir);
        run_free(&r);
        char *before = tree("out");
        r = write_out(tools[t], "plain.fws", "out", "--force");
        cr_assert_eq(r.status, 3, "%s: %d %s", tools[t], r.status, r.err);
        cr_assert(strstr(r.err, "out/cfg"), "%s: %s", tools[t], r.err);
        run_free(&r);
        char *after = tree("out");
        cr_assert_str_eq(after, before, "%s changed out/", tools[t]);
        free(after);
        free(before);
        expect_no_staging(tools[t]);
    }
}

/* A move that fails after every check passed (here: a staged file removed
 * behind outdir's back, as a change to DIR during the commit would) undoes
 * the moves before it: DIR ends as it was, a file --force replaced
 * included, and the message says nothing was written. */
Test(outdir, a_failed_move_is_rolled_back)
{
    static const char *const names[2][3] = {{"new", "sub/two", "three"},
                                            {"one", "sub/two", "three"}};
    char *dir = fx_path(&fx, "roll");
    run_result r = run("cd '%s' && mkdir -p roll/keep && echo old > roll/one", fx.dir);
    run_free(&r);
    char *before = tree("roll");
    for (int force = 0; force < 2; force++) {
        outdir o;
        char *err;
        int rc;
        cr_assert_eq(outdir_open(&o, dir, ".test-stage"), FWS_EXIT_OK);
        for (int i = 0; i < 3; i++) {
            cr_assert_eq(outdir_create(&o, names[force][i]), 0);
            cr_assert_eq(outdir_write(&o, names[force][i], strlen(names[force][i])), 0);
        }
        cr_assert_eq(outdir_finish(&o), 0);
        cr_assert_eq(unlinkat(o.files_fd, "three", 0), 0);
        stderr_capture_begin();
        rc = outdir_commit(&o, force);
        err = stderr_capture_end();
        cr_assert_eq(rc, FWS_EXIT_IO, "force %d: %s", force, err);
        cr_assert(strstr(err, "three: cannot move into place") && strstr(err, "nothing written"),
                  "%s", err);
        outdir_close(&o);
        char *after = tree("roll");
        cr_assert_str_eq(after, before, "force %d: roll/ changed", force);
        free(after);
        free(err);
        expect_no_staging("rollback");
        r = run("cd '%s' && find . -name '.test-stage-*'", fx.dir);
        cr_assert_str_eq(r.out, "", "staging left: %s", r.out);
        run_free(&r);
    }
    free(before);
    free(dir);
}

/* outdir_commit_undoable(), then outdir_undo() (a registry commit that
 * failed after the files moved): DIR ends as it was, a replaced file put
 * back, a DIR the commit created gone; without outdir_undo() the commit
 * stands. */
Test(outdir, an_undoable_commit_is_taken_back)
{
    static const char *const names[] = {"one", "sub/two", "three"};
    char *dir = fx_path(&fx, "undo"), *fresh = fx_path(&fx, "fresh");
    run_result r = run("cd '%s' && mkdir -p undo/keep && echo old > undo/one", fx.dir);
    run_free(&r);
    char *before = tree("undo");
    for (int keep = 0; keep < 2; keep++)
        for (int created = 0; created < 2; created++) {
            outdir o;
            cr_assert_eq(outdir_open(&o, created ? fresh : dir, ".test-stage"), FWS_EXIT_OK);
            for (int i = 0; i < 3; i++) {
                cr_assert_eq(outdir_create(&o, names[i]), 0);
                cr_assert_eq(outdir_write(&o, "new", 3), 0);
            }
            cr_assert_eq(outdir_commit_undoable(&o, 1), FWS_EXIT_OK);
            if (!keep)
                outdir_undo(&o);
            outdir_close(&o);
            r = run("cd '%s' && find . -name '.test-stage-*'", fx.dir);
            cr_assert_str_eq(r.out, "", "staging left: %s", r.out);
            run_free(&r);
            if (created) {
                cr_assert_eq(file_exists(fresh), keep, "keep %d: fresh/", keep);
                r = run("rm -rf '%s'", fresh);
                run_free(&r);
                continue;
            }
            char *after = tree("undo");
            if (keep)
                cr_assert(strstr(after, "f ./sub/two") && strstr(after, "f ./three"), "%s",
                          after);
            else
                cr_assert_str_eq(after, before, "undo/ changed");
            free(after);
        }
    free(before);
    free(fresh);
    free(dir);
}
