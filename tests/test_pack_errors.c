/* SPDX-License-Identifier: MIT */
/* Every bad input to pack (and the container-level refusals of verify)
 * gets a specific message, a documented exit status, and leaves no file
 * behind: neither the output nor a temporary. */
#include <archive.h>
#include <archive_entry.h>
#include <criterion/criterion.h>
#include <dirent.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"

static fixture fx;
static void setup(void)
{
    fx_init(&fx);
    uint8_t buf[4000];
    fill_text(buf, sizeof buf, 1);
    free(fx_write(&fx, "a.bin", buf, sizeof buf));
}
static void teardown(void) { fx_free(&fx); }
TestSuite(pack_errors, .init = setup, .fini = teardown, .timeout = 60);

/* Only the fixture's own files may be in the directory. */
static void assert_nothing_written(void)
{
    DIR *d = opendir(fx.dir);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        cr_assert(!strstr(n, "out") && !strstr(n, ".tmp-") && !strstr(n, ".fwseal-"),
                  "left behind: %s", n);
    }
    closedir(d);
}

static void expect_pack_error(const char *args, int status, const char *msg)
{
    run_result r = fx_pack(&fx, "out.fws", args);
    cr_assert_eq(r.status, status, "pack %s: status %d, expected %d: %s", args, r.status, status,
                 r.err);
    cr_assert(strstr(r.err, msg), "pack %s: message lacks '%s': %s", args, msg, r.err);
    run_free(&r);
    assert_nothing_written();
}

static void put(const char *name, const char *text)
{
    free(fx_write(&fx, name, text, strlen(text)));
}

Test(pack_errors, missing_unreadable_and_empty_inputs)
{
    expect_pack_error("app=missing.bin", 3, "missing.bin: cannot open: No such file or directory");
    put("empty.bin", "");
    expect_pack_error("app=empty.bin", 3, "empty.bin: empty input");
    run_result r = run("cd '%s' && mkdir adir", fx.dir);
    run_free(&r);
    expect_pack_error("app=adir", 3, "adir");
    /* As nobody even under root, which reads any file: the key and the
     * directory readable by nobody, the input not. */
    put("secret.bin", "x");
    r = run("cd '%s' && chmod 000 secret.bin && chmod 0777 . && cp sign1.key nobody.key && "
            "chmod 0644 nobody.key",
            fx.dir);
    run_free(&r);
    r = run("cd '%s' && %s%s pack -o out.fws --key nobody.key --version 1.0.0 --counter 1 "
            "--class test/class app=secret.bin",
            fx.dir, unprivileged_prefix(), FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "secret.bin: cannot open: Permission denied"), "%s", r.err);
    run_free(&r);
    assert_nothing_written();
}

Test(pack_errors, intel_hex_problems)
{
    put("sum.hex", ":0400000001020304F1\n:00000001FF\n");
    expect_pack_error("app=sum.hex", 3, "sum.hex: line 1: bad checksum: expected 0xF2, got 0xF1");
    put("ovl.hex", ":0400000001020304F2\n:0400020001020304F0\n:00000001FF\n");
    expect_pack_error("app=ovl.hex", 3, "ovl.hex: line 2: record at 0x2 overlaps");
    /* 8 KiB gap between two records, the default limit is 4096 bytes */
    put("gap.hex", ":0400000001020304F2\n:0420000001020304D2\n:00000001FF\n");
    expect_pack_error("app=gap.hex", 3, "exceeds the maximum gap of 4096 bytes");
    run_result r = fx_pack(&fx, "ok.fws", "--hex-max-gap 8192 app=gap.hex");
    cr_assert_eq(r.status, 0, "a larger --hex-max-gap accepts it: %s", r.err);
    run_free(&r);
    fx_remove(&fx, "ok.fws");
    put("noeof.hex", ":0400000001020304F2\n");
    expect_pack_error("app=noeof.hex", 3, "noeof.hex");
    expect_pack_error("app=sum.hex@0x100", 2, "sum.hex");
}

static void archive_with(const char *path, const char *member, int type)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_pax_restricted(a);
    archive_write_open_filename(a, path);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, member);
    archive_entry_set_filetype(e, (unsigned)type);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_size(e, type == AE_IFREG ? 3 : 0);
    if (type == AE_IFLNK)
        archive_entry_set_symlink(e, "/etc/passwd");
    archive_write_header(a, e);
    if (type == AE_IFREG)
        archive_write_data(a, "abc", 3);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
}

Test(pack_errors, archive_problems)
{
    char *p = fx_path(&fx, "dirs.tar");
    archive_with(p, "onlydir/", AE_IFDIR);
    free(p);
    expect_pack_error("dirs.tar", 3, "dirs.tar: archive has no regular files");
    p = fx_path(&fx, "trav.tar");
    archive_with(p, "../x", AE_IFREG);
    free(p);
    expect_pack_error("trav.tar", 3, "unsafe member name");
    p = fx_path(&fx, "link.tar");
    archive_with(p, "evil", AE_IFLNK);
    free(p);
    expect_pack_error("link.tar", 3, "evil");
    uint8_t junk[3000];
    fill_random(junk, sizeof junk, 3);
    memcpy(junk, "\x1f\x8b\x08\x00", 4);   /* a gzip header, then garbage */
    free(fx_write(&fx, "corrupt.tar.gz", junk, sizeof junk));
    expect_pack_error("corrupt.tar.gz", 3, "corrupt.tar.gz");
}

Test(pack_errors, names_versions_counters)
{
    expect_pack_error("nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn=a.bin", 2,
                      "is 65 bytes, the maximum is 64");
    expect_pack_error("app=a.bin app=a.bin", 2, "component name 'app' (from a.bin) clashes with 'app'");
    /* Names that cannot be files of one tree (SPEC.md 3.3). */
    expect_pack_error("App=a.bin app=a.bin", 2, "'app' (from a.bin) clashes with 'App'");
    expect_pack_error("a=a.bin A/b=a.bin", 2, "'A/b' (from a.bin) clashes with 'a'");
    expect_pack_error("x/y/z=a.bin x/Y=a.bin", 2, "'x/Y' (from a.bin) clashes with 'x/y/z'");
    expect_pack_error("bad..name/../x=a.bin", 2, "invalid component name");
    expect_pack_error("--version 1.2 app=a.bin", 2, "expected MAJOR.MINOR.PATCH[+BUILD]");
    expect_pack_error("--version 1.2.99999 app=a.bin", 2, "patch 99999 is out of range");
    expect_pack_error("--version 1.2.3+4294967296 app=a.bin", 2, "build 4294967296 is out of range");
    expect_pack_error("--counter 4294967296 app=a.bin", 2, "--counter '4294967296': expected");
    expect_pack_error("--counter -1 app=a.bin", 2, "--counter '-1'");
    expect_pack_error("--chunk-size 1000 app=a.bin", 2, "--chunk-size '1000'");
    expect_pack_error("--window-bits 8 app=a.bin", 2, "--window-bits '8'");
    expect_pack_error("--level 10 app=a.bin", 2, "--level '10'");
    expect_pack_error("--meta 'bad key=1' app=a.bin", 2, "--meta key 'bad key'");
    expect_pack_error("--meta a=1 --meta a=2 app=a.bin", 2, "--meta key 'a' is given twice");
    expect_pack_error("", 2, "no INPUT given");
}

Test(pack_errors, key_problems)
{
    expect_pack_error("--key dev.key app=a.bin", 2, "dev.key: signing needs an Ed25519 secret key");
    expect_pack_error("--encrypt-to sign2.pub app=a.bin", 2,
                      "--encrypt-to needs an X25519 public key or a PSK key file");
    /* truncated key file */
    size_t len;
    char *p = fx_path(&fx, "sign1.key");
    uint8_t *k = file_read(p, &len);
    free(fx_write(&fx, "trunc.key", k, len / 2));
    expect_pack_error("--key trunc.key app=a.bin", 3, "trunc.key");
    free(k);
    free(p);
    /* wrong passphrase */
    run_result r = run("cd '%s' && FWS_PP=right %s keygen --type ed25519 -o locked "
                       "--passphrase-env FWS_PP", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && FWS_PP=wrong %s pack -o out.fws --key locked.key --passphrase-env FWS_PP "
            "--version 1.0.0 --counter 1 --class c app=a.bin", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "wrong passphrase"), "%s", r.err);
    run_free(&r);
    assert_nothing_written();
    /* permissions wider than 0600: warned about, still used */
    r = run("cd '%s' && chmod 644 sign1.key", fx.dir);
    run_free(&r);
    r = fx_pack(&fx, "ok.fws", "app=a.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.err, "warning") && strstr(r.err, "sign1.key"), "%s", r.err);
    run_free(&r);
}

Test(pack_errors, output_directory_missing)
{
    expect_pack_error("app=a.bin -o nodir/out.fws", 3, "nodir/out.fws: cannot create");
}

Test(pack_errors, full_disk_leaves_nothing)
{
    uint8_t *big = malloc(1 << 20);
    fill_random(big, 1 << 20, 4);
    free(fx_write(&fx, "big.bin", big, 1 << 20));
    free(big);
    /* ulimit -f: writes past 200 KiB fail with EFBIG (SIGXFSZ ignored). */
    run_result r = run("cd '%s' && trap '' XFSZ && ulimit -f 400 && %s pack -o out.fws "
                       "--key sign1.key --version 1.0.0 --counter 1 --class c --level 0 app=big.bin",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "status %d: %s", r.status, r.err);
    cr_assert(strstr(r.err, "File too large"), "%s", r.err);
    run_free(&r);
    assert_nothing_written();
}

Test(pack_errors, verify_refuses_damaged_files_by_name)
{
    run_result r = fx_pack(&fx, "good.fws", "app=a.bin");
    cr_assert_eq(r.status, 0);
    run_free(&r);
    size_t len;
    char *p = fx_path(&fx, "good.fws");
    uint8_t *c = file_read(p, &len), *longer = malloc(len + 1);
    free(fx_write(&fx, "cut.fws", c, len - 10));
    memcpy(longer, c, len);
    longer[len] = 0;
    free(fx_write(&fx, "long.fws", longer, len + 1));
    free(fx_write(&fx, "tiny.fws", c, 10));
    struct { const char *file, *msg; } cases[] = {
        {"cut.fws", "cut.fws: rejected: truncated: the file ends at offset"},
        {"long.fws", "long.fws: rejected: trailing bytes after the last chunk at offset"},
        {"tiny.fws", "tiny.fws: rejected: truncated: the file ends at offset 10 inside the header"},
        {"a.bin", "a.bin: rejected: header: not a fwseal container (bad magic)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        r = fx_verify(&fx, cases[i].file, "");
        cr_assert_eq(r.status, 1, "%s: %s", cases[i].file, r.err);
        cr_assert(strstr(r.err, cases[i].msg), "%s", r.err);
        run_free(&r);
    }
    r = fx_verify(&fx, "nothere.fws", "");
    cr_assert_eq(r.status, 3);
    cr_assert(strstr(r.err, "nothere.fws: cannot open"), "%s", r.err);
    run_free(&r);
    free(c);
    free(longer);
    free(p);
}

Test(pack_errors, usage_errors_and_help)
{
    const char *cmds[] = {"keygen", "pubkey", "pack", "inspect", "verify", "unpack"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        run_result r = run("%s %s --help", FWSEAL_BIN, cmds[i]);
        cr_assert_eq(r.status, 0, "%s --help", cmds[i]);
        cr_assert(strstr(r.out, "usage: fwseal"), "%s --help: %s", cmds[i], r.out);
        run_free(&r);
    }
    run_result r = run("cd '%s' && %s verify good.fws", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "missing --trust"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s verify x.fws --trust sign1.pub --class test/class --threshold 2", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--threshold 2 is more than the 1 trusted keys"), "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s verify x.fws --trust dev.pub --class test/class", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2);
    cr_assert(strstr(r.err, "--trust needs an Ed25519 public key"), "%s", r.err);
    run_free(&r);
}

/* Progress goes to a terminal only: `script` gives pack a pty. */
Test(pack_errors, progress_only_on_a_terminal, .timeout = 60)
{
    uint8_t *big = malloc(24 << 20);
    fill_text(big, 24 << 20, 5);
    free(fx_write(&fx, "big.bin", big, 24 << 20));
    free(big);
    run_result r = run("cd '%s' && script -qec '%s pack -o tty.fws --key sign1.key --level 1 "
                       "--version 1.0.0 --counter 1 --class c app=big.bin' /dev/null",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "big.bin: ") && strstr(r.out, " MiB"), "no progress on a tty: %s", r.out);
    run_free(&r);
    r = fx_pack(&fx, "notty.fws", "--level 1 app=big.bin");
    cr_assert_eq(r.status, 0);
    cr_assert(!strstr(r.err, "MiB"), "progress without a terminal: %s", r.err);
    run_free(&r);
    fx_remove(&fx, "tty.fws");
    fx_remove(&fx, "notty.fws");
}

/* An existing PSK imports from 32 raw bytes or 64 hex digits; any other
 * length is refused with the file's name, and no key file appears. */
Test(pack_errors, psk_import_and_wrong_length)
{
    uint8_t raw[33];
    fill_random(raw, sizeof raw, 6);
    free(fx_write(&fx, "short.psk", raw, 31));
    free(fx_write(&fx, "long.psk", raw, 33));
    free(fx_write(&fx, "raw.psk", raw, 32));
    char hex[66];
    for (int i = 0; i < 32; i++)
        sprintf(hex + 2 * i, "%02x", raw[i]);
    hex[64] = '\n';
    free(fx_write(&fx, "hex.psk", hex, 65));
    const char *bad[] = {"short.psk", "long.psk"};
    for (int i = 0; i < 2; i++) {
        run_result r = run("cd '%s' && %s keygen --type psk --import %s -o outpsk --no-passphrase",
                           fx.dir, FWSEAL_BIN, bad[i]);
        cr_assert_eq(r.status, 3, "%s: %s", bad[i], r.err);
        cr_assert(strstr(r.err, "a PSK is exactly 32 bytes, or 64 hex digits"), "%s", r.err);
        cr_assert(strstr(r.err, bad[i]));
        run_free(&r);
        assert_nothing_written();
    }
    run_result r = run("cd '%s' && %s keygen --type psk --import raw.psk -o p1 --no-passphrase && "
                       "%s keygen --type psk --import hex.psk -o p2 --no-passphrase && "
                       "%s pubkey p1.key --format hex; %s pubkey p2.key --format hex",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "p2.key: a psk has no public key"), "%s", r.err);
    run_free(&r);
    /* Both imports are the same key: a container for p1 opens with p2. */
    r = fx_pack(&fx, "psk.fws", "--encrypt-to p1.key cfg=a.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "psk.fws", "--key p2.key");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "digests match"), "%s", r.out);
    run_free(&r);
    fx_remove(&fx, "psk.fws");
}
