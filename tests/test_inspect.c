/* SPDX-License-Identifier: MIT */
/* fwseal inspect: on damaged files it says how far it got, in JSON and in
 * the human output; its JSON stays valid UTF-8 whatever META holds. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "tamper.h"

static fixture fx;
static uint8_t *good;
static size_t good_len;

static void setup(void)
{
    fx_init(&fx);
    good = fx_pack_good_two(&fx, &good_len);
}
static void teardown(void)
{
    free(good);
    fx_free(&fx);
}
TestSuite(inspect, .init = setup, .fini = teardown, .timeout = 60);

static run_result inspect_json(size_t len)
{
    free(fx_write(&fx, "d.fws", good, len));
    return run("cd '%s' && %s inspect d.fws --json", fx.dir, FWSEAL_BIN);
}

Test(inspect, damaged_files_show_what_parsed)
{
    layout l;
    layout_of(good, good_len, &l);
    struct { size_t len; const char *stopped; const char *present, *absent; } cases[] = {
        {8, "\"stopped_in\":\"header\"", "\"file_size\":8", "\"header\":"},
        {16 + l.manifest_len - 1, "\"stopped_in\":\"manifest\"", "\"manifest_length\"", "\"manifest\":"},
        {l.sig_block + 10, "\"stopped_in\":\"signatures\"", "\"components\"", "\"signatures\":"},
        {l.cap_block, "\"stopped_in\":\"capsules\"", "\"signatures\"", "\"capsules\":"},
        {good_len - 1, "\"stopped_in\":\"payload\"", "\"capsules\"", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = inspect_json(cases[i].len);
        cr_assert_eq(r.status, 1, "case %zu: %d", i, r.status);
        cr_assert(strstr(r.out, "\"well_formed\":false"), "%s", r.out);
        cr_assert(strstr(r.out, cases[i].stopped), "case %zu: %s", i, r.out);
        cr_assert(strstr(r.out, cases[i].present), "case %zu lacks %s: %s", i, cases[i].present, r.out);
        if (cases[i].absent)
            cr_assert(!strstr(r.out, cases[i].absent), "case %zu has %s", i, cases[i].absent);
        cr_assert(strstr(r.err, "d.fws: damaged:"), "%s", r.err);
        run_free(&r);
    }
    run_result r = inspect_json(good_len);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "\"well_formed\":true"));
    cr_assert(strstr(r.out, "\"meta\":{\"class\":\"test/class\",\"note\":\"hi\"}"), "%s",
              r.out);
    cr_assert(strstr(r.out, "\"chunks\":"), "%s", r.out);
    run_free(&r);
    /* Human output names the stage too. */
    free(fx_write(&fx, "d.fws", good, 30));
    r = run("cd '%s' && %s inspect d.fws", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.out, "format:      version 1"), "%s", r.out);
    cr_assert(strstr(r.out, "status:      damaged: truncated"), "%s", r.out);
    run_free(&r);
}

/* META values may hold any bytes; --json output stays valid UTF-8. */
Test(inspect, json_is_utf8_whatever_the_meta_bytes)
{
    run_result r = run("cd '%s' && %s pack -o meta.fws --key sign1.key --version 1.0.0 --counter 1 "
                       "--class c --meta \"bin=$(printf 'a\\377\\300\\200b\\342\\202\\254')\" app=in.bin "
                       ">/dev/null && %s inspect meta.fws --json",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* 0xff, and the overlong 0xc0 0x80, are replaced; the euro sign stays */
    cr_assert(strstr(r.out, "\"bin\":\"a\\ufffd\\ufffd\\ufffdb\xe2\x82\xac\""), "%s", r.out);
    for (const char *p = r.out; *p; p++)
        cr_assert((unsigned char)*p != 0xff && (unsigned char)*p != 0xc0, "raw invalid byte");
    run_free(&r);
}

/* META comes from unverified input: human output shows printable ASCII and
 * escapes the rest (a terminal never receives raw control or 8-bit bytes);
 * JSON keeps valid UTF-8 and maps the rest. */
Test(inspect, meta_bytes_are_escaped_for_the_terminal)
{
    run_result r = run("cd '%s' && %s pack -o m.fws --key sign1.key --version 1.0.0 --counter 1 "
                       "--class test/class --meta \"$(printf 'note=caf\\303\\251 \\033[31mred\\\\')\" "
                       "app=in.bin && %s inspect m.fws",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "note = caf\\xc3\\xa9 \\x1b[31mred\\x5c"), "%s", r.out);
    for (const char *p = r.out; *p; p++)
        cr_assert((*p >= 0x20 && *p < 0x7f) || *p == '\n', "raw byte 0x%02x in the output",
                  (unsigned char)*p);
    run_free(&r);
}
