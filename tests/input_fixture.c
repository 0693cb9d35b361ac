/* SPDX-License-Identifier: MIT */
/* What the input reader tests share: a callback that collects every
 * component the readers hand out (reading it in random pieces), stderr
 * captured around each call, and a temporary directory per test. */
#include "input_fixture.h"

#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "testutil.h"


int collect(void *user, fws_component_src *src)
{
    collector *col = user;
    comp *c;
    size_t cap = 1 << 16;
    cr_assert(col->n < 64);
    c = &col->c[col->n++];
    c->name = strdup(src->name);
    c->origin = strdup(src->origin);
    c->has_address = src->has_address;
    c->address = src->address;
    c->data = malloc(cap);
    c->len = 0;
    if (col->fail_at && (int)col->n == col->fail_at)
        return 1;
    if (col->skip_data)
        return FWS_EXIT_OK;
    for (;;) {
        size_t want = col->chunk;
        long got;
        if (!want) {
            col->seed = col->seed * 6364136223846793005ull + 1442695040888963407ull;
            want = 1 + (size_t)((col->seed >> 33) % 4096);
        }
        if (c->len + want > cap) {
            while (c->len + want > cap)
                cap *= 2;
            c->data = realloc(c->data, cap);
        }
        got = src->read(src->ctx, c->data + c->len, want);
        if (got < 0) {
            col->read_error = 1;
            return FWS_EXIT_IO;
        }
        cr_assert_leq((size_t)got, want);
        c->len += (size_t)got;
        if ((size_t)got < want) {
            /* A short read means the end: the next one returns 0, twice. */
            uint8_t probe[16];
            if (src->read(src->ctx, probe, sizeof probe) != 0 ||
                src->read(src->ctx, probe, sizeof probe) != 0)
                col->short_not_end = 1;
            break;
        }
    }
    return FWS_EXIT_OK;
}

void collector_free(collector *col)
{
    size_t i;
    for (i = 0; i < col->n; i++) {
        free(col->c[i].name);
        free(col->c[i].origin);
        free(col->c[i].data);
    }
    col->n = 0;
}

/* Visits spec with the collector; returns the status, *err gets stderr. */
int visit(const char *spec, const fws_input_opts *opts, collector *col, char **err)
{
    int rc;
    char *e;
    stderr_capture_begin();
    rc = fws_input_visit(spec, opts, collect, col);
    e = stderr_capture_end();
    cr_assert_not(col->short_not_end, "a short read was not the end (%s)", spec);
    if (err)
        *err = e;
    else
        free(e);
    return rc;
}

/* Expects status rc and a message containing want (and the stderr to name
 * what as well, if not NULL). */
void expect_error_ex(const char *spec, const fws_input_opts *opts, int rc,
                            const char *want, const char *what, int calls_ok)
{
    collector col = {0};
    char *err;
    int got = visit(spec, opts, &col, &err);
    cr_expect_eq(got, rc, "%s: status %d, expected %d; stderr: %s", spec, got, rc, err);
    cr_expect(strstr(err, want), "%s: stderr lacks '%s': %s", spec, want, err);
    cr_expect(strstr(err, "fwseal: error: "), "%s: %s", spec, err);
    if (what)
        cr_expect(strstr(err, what), "%s: stderr does not name '%s': %s", spec, what, err);
    if (!calls_ok)
        cr_expect_eq(col.n, 0, "%s: fn was called on an error", spec);
    collector_free(&col);
    free(err);
}

void expect_error(const char *spec, const fws_input_opts *opts, int rc, const char *want,
                         const char *what)
{
    expect_error_ex(spec, opts, rc, want, what, 0);
}

char *input_dir;

void input_setup(void)
{
    input_dir = tmpdir_new();
}

void input_teardown(void)
{
    tmpdir_remove(input_dir);
    free(input_dir);
}

char *put(const char *name, const void *data, size_t len)
{
    char *p = path_fmt("%s/%s", input_dir, name);
    file_write(p, data, len);
    return p;
}

char *put_text(const char *name, const char *text)
{
    return put(name, text, strlen(text));
}
