/* SPDX-License-Identifier: MIT */
/* pack → verify → unpack → identical bytes, across sizes, inputs,
 * compression settings, recipients and signers. */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fixture fx;
static void setup(void) { fx_init(&fx); }
static void teardown(void) { fx_free(&fx); }

/* Unpacks OUT with ARGS into a fresh directory and checks NAME == data. */
static void expect_component(const char *container, const char *unpack_args, const char *name,
                             const uint8_t *data, size_t len)
{
    static int n;
    char dir[64];
    snprintf(dir, sizeof dir, "out%d", n++);
    run_result r = run("cd '%s' && %s unpack %s --trust sign1.pub --class test/class %s -o %s", fx.dir, FWSEAL_BIN,
                       container, unpack_args, dir);
    cr_assert_eq(r.status, 0, "unpack %s: %s", container, r.err);
    run_free(&r);
    char *p = path_fmt("%s/%s/%s", fx.dir, dir, name);
    size_t got_len;
    uint8_t *got = file_read(p, &got_len);
    cr_assert(got, "missing %s", p);
    cr_assert_eq(got_len, len, "%s: %zu bytes, expected %zu", name, got_len, len);
    cr_assert(len == 0 || !memcmp(got, data, len), "%s differs", name);
    free(got);
    free(p);
}

static void roundtrip_bytes(const uint8_t *data, size_t len, const char *pack_args)
{
    char *in = fx_write(&fx, "in.bin", data, len), args[512];
    snprintf(args, sizeof args, "%s app=in.bin", pack_args);
    run_result r = fx_pack(&fx, "c.fws", args);
    cr_assert_eq(r.status, 0, "pack %s: %s", pack_args, r.err);
    run_free(&r);
    r = fx_verify(&fx, "c.fws", "");
    cr_assert_eq(r.status, 0, "verify: %s", r.err);
    run_free(&r);
    expect_component("c.fws", "", "app", data, len);
    free(in);
}

TestSuite(roundtrip, .init = setup, .fini = teardown, .timeout = 120);

Test(roundtrip, sizes_around_the_chunk_size)
{
    const size_t sizes[] = {0, 1, 255, 256, 257, 4095, 4096, 4097, 8192 + 1};
    uint8_t *buf = malloc(9000);
    fill_random(buf, 9000, 1);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        roundtrip_bytes(buf, sizes[i], "--allow-empty --level 0 --chunk-size 256");
        roundtrip_bytes(buf, sizes[i], "--allow-empty --level 6 --chunk-size 4096");
    }
    free(buf);
}

Test(roundtrip, every_level_and_window)
{
    uint8_t buf[20000];
    char args[128];
    fill_text(buf, sizeof buf, 2);
    for (int level = 0; level <= 9; level++)
        for (int wbits = 9; wbits <= 15; wbits += (level == 0 ? 7 : 1)) {
            snprintf(args, sizeof args, "--level %d --window-bits %d --chunk-size 512", level,
                     wbits);
            roundtrip_bytes(buf, sizeof buf, args);
        }
}

Test(roundtrip, multi_component_with_addresses)
{
    uint8_t a[3000], b[5000], c[1];
    fill_random(a, sizeof a, 3);
    fill_text(b, sizeof b, 4);
    c[0] = 0x5a;
    free(fx_write(&fx, "a.bin", a, sizeof a));
    free(fx_write(&fx, "b.bin", b, sizeof b));
    free(fx_write(&fx, "c.bin", c, sizeof c));
    run_result r = fx_pack(&fx, "m.fws",
                           "--chunk-size 1024 boot=a.bin@0x08000000 app=b.bin@0x08010000 "
                           "radio/fw=c.bin@7");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s inspect m.fws --json", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0);
    cr_assert(strstr(r.out, "\"name\":\"boot\""));
    cr_assert(strstr(r.out, "\"address\":134217728"), "%s", r.out);
    cr_assert(strstr(r.out, "\"name\":\"radio/fw\""));
    cr_assert(strstr(r.out, "\"address\":7"));
    run_free(&r);
    expect_component("m.fws", "", "boot", a, sizeof a);
    expect_component("m.fws", "", "app", b, sizeof b);
    expect_component("m.fws", "", "radio/fw", c, sizeof c);
}

Test(roundtrip, intel_hex_input)
{
    uint8_t img[6000];
    fill_random(img, sizeof img, 5);
    free(fx_write(&fx, "img.bin", img, sizeof img));
    run_result r = run("cd '%s' && objcopy -I binary -O ihex --change-addresses 0x08004000 "
                       "img.bin img.hex", fx.dir);
    cr_assert_eq(r.status, 0, "objcopy: %s", r.err);
    run_free(&r);
    r = fx_pack(&fx, "h.fws", "app=img.hex");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s inspect h.fws", fx.dir, FWSEAL_BIN);
    cr_assert(strstr(r.out, "address 0x8004000"), "%s", r.out);
    run_free(&r);
    expect_component("h.fws", "", "app", img, sizeof img);
}

static void write_archive(const char *path, int zip, const char **names, uint8_t **data,
                          const size_t *lens, int n)
{
    struct archive *a = archive_write_new();
    if (zip) {
        archive_write_set_format_zip(a);
    } else {
        archive_write_set_format_pax_restricted(a);
        archive_write_add_filter_gzip(a);
    }
    cr_assert_eq(archive_write_open_filename(a, path), ARCHIVE_OK);
    for (int i = 0; i < n; i++) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, names[i]);
        archive_entry_set_size(e, (la_int64_t)lens[i]);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(a, e);
        archive_write_data(a, data[i], lens[i]);
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
}

static void archive_roundtrip(int zip)
{
    const char *names[] = {"boot.bin", "app/main.bin", "cfg.txt"};
    size_t lens[] = {1000, 70000, 12};
    uint8_t *data[3];
    for (int i = 0; i < 3; i++) {
        data[i] = malloc(lens[i]);
        fill_text(data[i], lens[i], (uint64_t)(10 + i));
    }
    char *arch = fx_path(&fx, zip ? "bundle.zip" : "bundle.tar.gz");
    write_archive(arch, zip, names, data, lens, 3);
    run_result r = fx_pack(&fx, "a.fws", zip ? "fw=bundle.zip" : "bundle.tar.gz");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    for (int i = 0; i < 3; i++) {
        char name[64];
        snprintf(name, sizeof name, "%s%s", zip ? "fw/" : "", names[i]);
        expect_component("a.fws", "", name, data[i], lens[i]);
        free(data[i]);
    }
    free(arch);
}

Test(roundtrip, tar_gz_input) { archive_roundtrip(0); }
Test(roundtrip, zip_input) { archive_roundtrip(1); }

Test(roundtrip, encrypted_to_x25519_and_psk_recipients)
{
    uint8_t buf[10000];
    fill_text(buf, sizeof buf, 6);
    free(fx_write(&fx, "in.bin", buf, sizeof buf));
    run_result r = fx_pack(&fx, "e.fws", "--encrypt-to dev.pub --encrypt-to psk.key app=in.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    expect_component("e.fws", "--key dev.key", "app", buf, sizeof buf);
    expect_component("e.fws", "--key psk.key", "app", buf, sizeof buf);
    /* Without a matching key: refused, nothing written. */
    r = run("cd '%s' && %s unpack e.fws --trust sign1.pub --class test/class --key dev2.key -o nope", fx.dir,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "no key capsule"), "%s", r.err);
    run_free(&r);
    char *nope = fx_path(&fx, "nope");
    cr_assert(!file_exists(nope));
    free(nope);
    r = run("cd '%s' && %s unpack e.fws --trust sign1.pub --class test/class -o nope", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "encrypted: give the device key with --key"), "%s", r.err);
    run_free(&r);
}

Test(roundtrip, several_signers_and_thresholds)
{
    uint8_t buf[3000];
    fill_random(buf, sizeof buf, 7);
    free(fx_write(&fx, "in.bin", buf, sizeof buf));
    run_result r = fx_pack(&fx, "s.fws", "--key sign2.key app=in.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "s.fws", "--trust sign2.pub --class test/class --trust sign3.pub --threshold 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "s.fws", "--trust sign2.pub --class test/class --trust sign3.pub --threshold 3");
    cr_assert_eq(r.status, 1, "%s", r.err);
    cr_assert(strstr(r.err, "only 2 distinct trusted keys signed, the threshold is 3"), "%s",
              r.err);
    run_free(&r);
    expect_component("s.fws", "--trust sign2.pub --class test/class --threshold 2", "app", buf, sizeof buf);
}

Test(roundtrip, tar_output)
{
    uint8_t buf[5000];
    fill_text(buf, sizeof buf, 8);
    free(fx_write(&fx, "in.bin", buf, sizeof buf));
    run_result r = fx_pack(&fx, "t.fws", "app=in.bin cfg=in.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s unpack t.fws --trust sign1.pub --class test/class -o out.tar && mkdir x && "
            "tar -xf out.tar -C x && cmp x/app in.bin && cmp x/cfg in.bin",
            fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
}

Test(roundtrip, stdin_input_and_stdout_output)
{
    uint8_t buf[7000];
    fill_random(buf, sizeof buf, 9);
    free(fx_write(&fx, "in.bin", buf, sizeof buf));
    run_result r = run("cd '%s' && %s pack -o - --key sign1.key --version 1.0.0 --counter 1 "
                       "--class test/class app=- < in.bin > piped.fws && "
                       "%s verify - --trust sign1.pub --class test/class < piped.fws",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    expect_component("piped.fws", "", "app", buf, sizeof buf);
}

Test(roundtrip, reproducible_with_source_date_epoch)
{
    uint8_t buf[30000];
    fill_text(buf, sizeof buf, 10);
    free(fx_write(&fx, "in.bin", buf, sizeof buf));
    run_result r = run("cd '%s' && export SOURCE_DATE_EPOCH=1700000000 && "
                       "%s pack -o r1.fws --key sign1.key --key sign2.key --version 2.0.0 "
                       "--counter 9 --class test/class --meta a=b app=in.bin && "
                       "%s pack -o r2.fws --key sign1.key --key sign2.key --version 2.0.0 "
                       "--counter 9 --class test/class --meta a=b app=in.bin && cmp r1.fws r2.fws",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "not reproducible: %s%s", r.out, r.err);
    run_free(&r);
    r = run("cd '%s' && %s inspect r1.fws --json", fx.dir, FWSEAL_BIN);
    cr_assert(strstr(r.out, "\"timestamp\":1700000000"), "%s", r.out);
    run_free(&r);
}
