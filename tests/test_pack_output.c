/* SPDX-License-Identifier: MIT */
/* What `fwseal pack` writes and says: never over an existing file without
 * --force, never binary to a terminal, the container as Intel HEX or a
 * padded binary for flashing, --json (pack, keygen), --profile, the class
 * string in META as inspect and verify show it, progress on a terminal
 * only. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"
#include "testutil.h"

static fixture fx;
static void setup(void)
{
    uint8_t data[20000];
    fx_init(&fx);
    fill_text(data, sizeof data, 3);
    free(fx_write(&fx, "app.bin", data, sizeof data));
}
static void teardown(void)
{
    fx_free(&fx);
}
TestSuite(pack_output, .init = setup, .fini = teardown, .timeout = 60);

#define PACK "%s pack --key sign1.key --version 1.0.0 --counter 1 --class test/class "

Test(pack_output, refuses_to_overwrite_without_force)
{
    run_result r = run("cd '%s' && " PACK "-o out.fws app.bin && " PACK "-o out.fws app.bin",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%d %s", r.status, r.err);
    cr_assert(strstr(r.err, "out.fws: already exists (use --force to overwrite)"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && cp out.fws before && " PACK "-o out.fws --level 0 app.bin; cmp out.fws "
            "before && " PACK "-f -o out.fws --level 0 app.bin && ! cmp -s out.fws before",
            fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

Test(pack_output, refuses_binary_on_a_terminal)
{
    run_result r = run("command -v script >/dev/null");
    if (r.status != 0) {
        run_free(&r);
        cr_skip_test("script(1) not installed: no pseudo-terminal");
    }
    run_free(&r);
    r = run("cd '%s' && script -qec '" PACK "-o - app.bin; echo status=$?' /dev/null", fx.dir,
            FWSEAL_BIN);
    cr_assert(strstr(r.out, "refusing to write a binary container to a terminal"), "%s", r.out);
    cr_assert(strstr(r.out, "status=2"), "%s", r.out);
    run_free(&r);
    /* Intel HEX is text: fine on a terminal */
    r = run("cd '%s' && script -qec '" PACK "-o - --output-format ihex --address 0 app.bin' "
            "/dev/null", fx.dir, FWSEAL_BIN);
    cr_assert(strstr(r.out, ":00000001FF"), "%s", r.out);
    run_free(&r);
}

/* The container as Intel HEX at --address, padded to the slot: reading the
 * HEX back (fwseal's own reader) gives the container, then 0xFF; bin gives
 * the same bytes. */
Test(pack_output, flash_formats_wrap_the_same_container)
{
    run_result r = run("cd '%s' && export SOURCE_DATE_EPOCH=1 && "
                       PACK "-o c.fws app.bin && "
                       PACK "-o c.hex --output-format ihex --address 0x0801FFF0 "
                       "--output-pad-to 65536 app.bin && "
                       PACK "-o c.bin --output-format bin --output-pad-to 65536 app.bin && "
                       PACK "-o h.fws --level 0 slot=c.hex && "
                       "%s unpack h.fws --trust sign1.pub --class test/class -o u && "
                       "%s inspect --json h.fws",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN,
                       FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"address\":134348784,\"address_hex\":\"0x801fff0\""), "%s", r.out);
    run_free(&r);
    size_t n_fws, n_slot, n_bin;
    char *p1 = fx_path(&fx, "c.fws"), *p2 = fx_path(&fx, "u/slot"), *p3 = fx_path(&fx, "c.bin");
    uint8_t *fws = file_read(p1, &n_fws), *slot = file_read(p2, &n_slot),
            *bin = file_read(p3, &n_bin);
    cr_assert_eq(n_slot, 65536);
    cr_assert_eq(n_bin, 65536);
    cr_assert(!memcmp(slot, fws, n_fws), "the HEX does not hold the container");
    cr_assert(!memcmp(bin, slot, n_bin), "bin and ihex differ");
    for (size_t i = n_fws; i < n_slot; i++)
        cr_assert_eq(slot[i], 0xFF, "padding byte %zu", i);
    free(fws), free(slot), free(bin), free(p1), free(p2), free(p3);
    /* the 64 KiB boundary got its extended linear address record */
    r = run("cd '%s' && grep -c '^:02000004' c.hex && head -1 c.hex", fx.dir);
    cr_assert(strstr(r.out, "2\n:020000040801F1"), "%s", r.out);
    run_free(&r);
}

Test(pack_output, flash_option_errors)
{
    static const struct {
        const char *args, *want;
        int status;
    } cases[] = {
        {"-o x --address 0x100 app.bin", "--address is for --output-format ihex", 2},
        {"-o x --output-format ihex app.bin", "--output-format ihex needs --address", 2},
        {"-o x --output-pad-to 4096 app.bin", "--output-pad-to is for --output-format ihex or bin",
         2},
        {"-o x --output-format elf app.bin", "--output-format 'elf': expected fws, ihex or bin", 2},
        {"-o x --output-format ihex --address 0x1ffffffff app.bin", "--address '0x1ffffffff'", 2},
        {"-o x --output-format bin --output-pad-to 0 app.bin", "--output-pad-to '0'", 2},
        {"-o x --output-format bin --output-pad-to 1000 app.bin",
         " bytes, larger than --output-pad-to 1000", 2},
        {"-o x --output-format ihex --address 0xFFFFFF00 app.bin",
         "bytes from there reach past 4 GiB, the end of Intel HEX's address space", 2},
        {"-o - --json app.bin", "--json prints on standard output", 2},
        {"-o x --profile rtos app.bin", "--profile 'rtos': expected mcu or linux", 2},
        {"-o x --meta class=x app.bin", "--meta class: reserved", 2},
        {"-o x --class \"$(head -c 1100 /dev/zero | tr '\\0' c)\" app.bin",
         "--class: 1100 bytes, more than the 1024 a META value holds", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = run("cd '%s' && " PACK "%s", fx.dir, FWSEAL_BIN, cases[i].args);
        cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].args, r.status, r.err);
        cr_assert(strstr(r.err, cases[i].want), "%s: want '%s' in %s", cases[i].args,
                  cases[i].want, r.err);
        run_free(&r);
        cr_assert(!file_exists(fx_path(&fx, "x")), "%s left an output", cases[i].args);
    }
}

Test(pack_output, json_and_class_name)
{
    run_result r = run("cd '%s' && %s pack -o j.fws --key sign1.key --key sign2.key --version "
                       "1.0.0 --counter 1 --class acme.example/thermostat-v2 -e dev.pub --json "
                       "app.bin boot=app.bin@0x08000000",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "{\"output\":\"j.fws\",\"output_format\":\"fws\",\"output_size\":"),
              "%s", r.out);
    cr_assert(strstr(r.out, "\"encrypted\":true,\"components\":[{\"name\":\"app.bin\",\"size\":20000,"),
              "%s", r.out);
    cr_assert(strstr(r.out, "\"address\":null,\"address_hex\":null}"), "%s", r.out);
    cr_assert(strstr(r.out, "\"address\":134217728,\"address_hex\":\"0x8000000\"}"), "%s", r.out);
    cr_assert(strstr(r.out, "\"signers\":[\"") && strstr(r.out, "\"recipients\":[\""), "%s",
              r.out);
    struct stat st;
    char *p = fx_path(&fx, "j.fws");
    cr_assert_eq(stat(p, &st), 0);
    char want[64];
    snprintf(want, sizeof want, "\"output_size\":%lld,\"container_size\":%lld,",
             (long long)st.st_size, (long long)st.st_size);
    cr_assert(strstr(r.out, want), "want %s: %s", want, r.out);
    free(p);
    run_free(&r);
    /* inspect and verify show the class string */
    r = run("cd '%s' && %s inspect j.fws && %s inspect --json j.fws && %s verify j.fws --trust "
            "sign1.pub --class acme.example/thermostat-v2 --key dev.key && %s verify --json j.fws "
            "--trust sign1.pub --any-class",
            fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, " (acme.example/thermostat-v2)\n"), "%s", r.out);
    cr_assert(strstr(r.out, "\"class_name\":\"acme.example/thermostat-v2\""), "%s", r.out);
    cr_assert(strstr(r.out, "j.fws: class acme.example/thermostat-v2\n"), "%s", r.out);
    run_free(&r);
    /* given as its 32-hex-digit id, the class has no string to record */
    r = run("cd '%s' && %s pack -o h.fws --key sign1.key --version 1.0.0 --counter 1 --class "
            "000102030405060708090a0b0c0d0e0f app.bin >/dev/null && %s inspect --json h.fws",
            fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert(strstr(r.out, "\"class_name\":null") && strstr(r.out, "\"meta\":{}"), "%s", r.out);
    run_free(&r);
    /* a META class that is not the id's string is shown as such, never as
     * the class */
    r = run("cd '%s' && %s pack -o m.fws --key sign1.key --version 1.0.0 --counter 1 --class "
            "000102030405060708090a0b0c0d0e0f --meta class=acme/other app.bin >/dev/null && "
            "%s inspect m.fws && %s inspect --json m.fws", fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "class:       000102030405060708090a0b0c0d0e0f (acme/other: META class "
                            "does not hash to this id)\n"), "%s", r.out);
    cr_assert(strstr(r.out, "\"class_name\":null"), "%s", r.out);
    run_free(&r);
}

Test(pack_output, keygen_json)
{
    run_result r = run("cd '%s' && %s keygen --type x25519 -o kj --no-passphrase --json && "
                       "%s keygen --type psk -o pj --no-passphrase --json",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "{\"type\":\"x25519\",\"secret_key\":\"kj.key\",\"public_key\":"
                            "\"kj.pub\",\"key_id\":\""), "%s", r.out);
    cr_assert(strstr(r.out, "\"public_key\":null") && strstr(r.out, "\"encrypted\":false}"), "%s",
              r.out);
    run_free(&r);
}

/* --profile sets the window and chunk; explicit options win. */
Test(pack_output, profiles)
{
    static const struct {
        const char *args, *want;
    } cases[] = {
        {"--profile mcu", "\"chunk_size\":4096,"},
        {"--profile mcu", "\"window_bits\":12,"},
        {"--profile linux", "\"chunk_size\":65536,"},
        {"--profile linux", "\"window_bits\":15,"},
        {"--window-bits 10 --profile mcu", "\"window_bits\":10,"},
        {"--profile mcu --chunk-size 1024", "\"chunk_size\":1024,"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = run("cd '%s' && " PACK "-f -o p.fws %s app.bin >/dev/null && %s inspect "
                           "--json p.fws", fx.dir, FWSEAL_BIN, cases[i].args, FWSEAL_BIN);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert(strstr(r.out, cases[i].want), "%s: want %s: %s", cases[i].args, cases[i].want,
                  r.out);
        run_free(&r);
    }
    /* a device with a 4 KiB window takes the mcu profile's container */
    run_result r = run("cd '%s' && %s check p.fws --trust sign1.pub --class test/class "
                       "--max-window-bits 12", fx.dir, FWSV_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
}

/* Progress: on a terminal done/total, percent, rate and ETA; nothing with
 * --quiet, and nothing on a pipe. */
Test(pack_output, progress_only_on_a_terminal, .timeout = 120)
{
    run_result r = run("command -v script >/dev/null");
    if (r.status != 0) {
        run_free(&r);
        cr_skip_test("script(1) not installed: no pseudo-terminal");
    }
    run_free(&r);
    uint8_t *big = malloc(24 << 20);
    fill_random(big, 24 << 20, 5);
    free(fx_write(&fx, "big.bin", big, 24 << 20));
    free(big);
    r = run("cd '%s' && script -qec '" PACK "-o t.fws -j 1 -l 9 big.bin' /dev/null", fx.dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.out);
    cr_assert(strstr(r.out, "big.bin: ") && strstr(r.out, "/24.0 MiB") && strstr(r.out, "%") &&
              strstr(r.out, "MiB/s") && strstr(r.out, "ETA "), "%s", r.out);
    run_free(&r);
    r = run("cd '%s' && script -qec '" PACK "-f -q -o t.fws -j 1 -l 9 big.bin' /dev/null", fx.dir,
            FWSEAL_BIN);
    cr_assert(!strstr(r.out, "ETA"), "%s", r.out);
    run_free(&r);
    r = run("cd '%s' && " PACK "-f -o t.fws -j 1 -l 9 big.bin", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0);
    cr_assert(!strchr(r.err, '\r') && !strstr(r.out, "ETA"), "%s", r.err);
    run_free(&r);
}
