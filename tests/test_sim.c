/* SPDX-License-Identifier: MIT */
/* examples/sim: the simulated A/B device (build/sim), driven as a user
 * would, with containers from `fwseal pack`.  What it boots is checked
 * independently of the simulator: the metadata copies are parsed here
 * from the flash file (layout.h, SHA-256 from libsodium), and the image
 * of the slot it says it booted is read back from the flash file and
 * compared with the firmware that was packed.
 *
 * The power-fail test cuts power at every flash operation of an update
 * (and of staging, confirming and reverting), reboots, and checks that the
 * device boots the old or the new image, intact, with a floor never lower
 * than before.  The key-rotation tests do the same for a device that
 * trusts a root key only, whose key-generation floor must move with the
 * counter floor, in one write, at confirm. */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../examples/sim/layout.h"
#include "fixture.h"

#ifndef SIM_BIN
#define SIM_BIN FWSEAL_BUILD "/sim"
#endif

#define FW_LEN 65536

static fixture fx;
static uint8_t fw1[FW_LEN], fw2[FW_LEN], fw3[FW_LEN];
static char *flash_path;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    cr_assert(file_exists(SIM_BIN), "%s missing: build it (make test does)", SIM_BIN);
    fx_init(&fx);
    fill_random(fw1, sizeof fw1, 1);   /* incompressible */
    fill_text(fw2, sizeof fw2, 2);     /* compressible */
    fill_text(fw3, sizeof fw3, 3);
    free(fx_write(&fx, "fw1.bin", fw1, sizeof fw1));
    free(fx_write(&fx, "fw2.bin", fw2, sizeof fw2));
    free(fx_write(&fx, "fw3.bin", fw3, sizeof fw3));
    flash_path = fx_path(&fx, "dev.flash");
    /* What the factory programmer gets: the device's configuration header
     * and its secret (fwseal device-config, fwseal secret). */
    run_result r = run("cd '%s' && %s device-config --trust sign1.pub --class test/class "
                       "--device-key dev.pub -o dev.h && %s secret dev.key --format hex "
                       "-o dev.secret", fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}
static void teardown(void)
{
    free(flash_path);
    fx_free(&fx);
}
TestSuite(sim, .init = setup, .fini = teardown, .timeout = 180);

/* ---- driving the simulator ---- */

/* Runs SIM_BIN with ARGS (split at spaces) in the fixture directory.  A
 * direct posix_spawn, not `sh -c`: the power-fail sweep starts a few
 * thousand processes. */
static char *slurp(const char *path)
{
    size_t len;
    uint8_t *b = file_read(path, &len);
    cr_assert(b);
    char *s = realloc(b, len + 1);
    cr_assert(s);
    s[len] = 0;
    return s;
}

static run_result sim(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static run_result sim(const char *fmt, ...)
{
    run_result r = {0, NULL, NULL};
    posix_spawn_file_actions_t fa;
    char *args, *argv[32], *save = NULL;
    int n = 0, st;
    pid_t pid;
    va_list ap;
    va_start(ap, fmt);
    cr_assert(vasprintf(&args, fmt, ap) >= 0);
    va_end(ap);
    argv[n++] = (char *)SIM_BIN;
    for (char *tok = strtok_r(args, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        cr_assert(n < 31);
        argv[n++] = tok;
    }
    argv[n] = NULL;
    char *out = fx_path(&fx, ".sim-out"), *err = fx_path(&fx, ".sim-err");
    cr_assert_eq(posix_spawn_file_actions_init(&fa), 0);
    cr_assert_eq(posix_spawn_file_actions_addchdir_np(&fa, fx.dir), 0);
    cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0), 0);
    cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC,
                                                  0600), 0);
    cr_assert_eq(posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC,
                                                  0600), 0);
    cr_assert_eq(posix_spawn(&pid, SIM_BIN, &fa, NULL, argv, environ), 0);
    cr_assert_eq(waitpid(pid, &st, 0), pid);
    posix_spawn_file_actions_destroy(&fa);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    r.out = slurp(out);
    r.err = slurp(err);
    free(out);
    free(err);
    free(args);
    return r;
}

/* Runs a sim command that must exit with want; returns its stdout
 * (malloc'ed). */
static char *sim_ok(int want, const char *args)
{
    run_result r = sim("%s", args);
    cr_assert_eq(r.status, want, "sim %s: status %d, want %d\n%s%s", args, r.status, want, r.out,
                 r.err);
    char *out = strdup(r.out);
    run_free(&r);
    return out;
}

static void pack(const char *out, const char *version, unsigned counter, const char *fw,
                 const char *extra)
{
    run_result r = run("cd '%s' && %s pack -o %s --key sign1.key --version %s --counter %u "
                       "--class test/class --chunk-size 1024 -e dev.pub %s app=%s",
                       fx.dir, FWSEAL_BIN, out, version, counter, extra, fw);
    cr_assert_eq(r.status, 0, "pack %s: %s", out, r.err);
    run_free(&r);
}

static void init_device(void)
{
    free(sim_ok(0, "init --flash dev.flash --config dev.h --key dev.secret"));
}

static void stage(const char *container)
{
    char args[256];
    snprintf(args, sizeof args, "stage --flash dev.flash %s", container);
    free(sim_ok(0, args));
}

/* ---- reading the flash independently ---- */

static uint8_t *flash_read(void)
{
    size_t len;
    uint8_t *f = file_read(flash_path, &len);
    cr_assert(f && len == SIM_FLASH_SIZE);
    return f;
}

static void flash_write(const uint8_t *f)
{
    file_write(flash_path, f, SIM_FLASH_SIZE);
}

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

typedef struct {
    int valid;
    uint32_t seq, floor, consumed, keygen;
    uint8_t active, state, attempts;
} meta;

static meta meta_copy(const uint8_t *rec)
{
    meta m = {0};
    uint8_t sum[32];
    crypto_hash_sha256(sum, rec, SIM_META_SUM);
    if (memcmp(rec, SIM_META_MAGIC, 8) || memcmp(sum, rec + SIM_META_SUM, 32))
        return m;
    m.valid = 1;
    m.seq = le32(rec + SIM_META_SEQ);
    m.floor = le32(rec + SIM_META_FLOOR);
    m.consumed = le32(rec + SIM_META_CONSUMED);
    m.keygen = le32(rec + SIM_META_KEYGEN_FLOOR);
    m.active = rec[SIM_META_ACTIVE];
    m.state = rec[SIM_META_STATE];
    m.attempts = rec[SIM_META_ATTEMPTS];
    return m;
}

/* len bytes of the flash file at addr. */
static void flash_pread(uint32_t addr, void *buf, size_t len)
{
    FILE *f = fopen(flash_path, "rb");
    cr_assert(f);
    cr_assert_eq(fseek(f, (long)addr, SEEK_SET), 0);
    cr_assert_eq(fread(buf, 1, len, f), len);
    fclose(f);
}

/* The metadata the device goes by: the valid copy with the highest seq. */
static meta meta_now(void)
{
    uint8_t ra[SIM_META_LEN], rb[SIM_META_LEN];
    flash_pread(SIM_META_A_ADDR, ra, sizeof ra);
    flash_pread(SIM_META_B_ADDR, rb, sizeof rb);
    meta a = meta_copy(ra), b = meta_copy(rb);
    cr_assert(a.valid || b.valid, "no valid metadata copy");
    return !b.valid || (a.valid && a.seq > b.seq) ? a : b;
}

typedef struct {
    char slot;
    unsigned major, minor, patch, build, counter;
    char how[32];
} booted;

/* Parses "sim: booted slot X: version A.B.C+D counter N (HOW)". */
static booted parse_booted(const char *out)
{
    booted b = {0};
    const char *line = strstr(out, "sim: booted slot ");
    cr_assert(line, "no 'booted' line in:\n%s", out);
    cr_assert_eq(sscanf(line, "sim: booted slot %c: version %u.%u.%u+%u counter %u (%31[a-z])",
                        &b.slot, &b.major, &b.minor, &b.patch, &b.build, &b.counter, b.how),
                 7, "%s", line);
    cr_assert(!strstr(line + 1, "sim: booted slot "), "two booted lines:\n%s", out);
    return b;
}

/* The image in slot (from the flash file) is exactly fw. */
static void assert_slot_holds(char slot, const uint8_t *fw)
{
    static uint8_t img[FW_LEN];
    flash_pread((slot == 'A' ? SIM_SLOT_A_ADDR : SIM_SLOT_B_ADDR) + SIM_IMAGE_OFFSET, img,
                FW_LEN);
    cr_assert(!memcmp(img, fw, FW_LEN), "slot %c does not hold the expected image", slot);
}

/* sim boot must exit 0 and boot (slot, major, counter, how); checks the
 * image bytes and returns stdout. */
static char *boot_expect(char slot, unsigned major, unsigned counter, const char *how,
                         const uint8_t *fw)
{
    char *out = sim_ok(0, "boot --flash dev.flash");
    booted b = parse_booted(out);
    cr_assert(b.slot == slot && b.major == major && b.counter == counter && !strcmp(b.how, how),
              "want slot %c v%u counter %u (%s), got:\n%s", slot, major, counter, how, out);
    assert_slot_holds(slot, fw);
    return out;
}

static unsigned stat_ops(const char *err)
{
    unsigned ops;
    const char *p = strstr(err, "sim: flash operations: ");
    cr_assert(p, "no stats in %s", err);
    cr_assert_eq(sscanf(p, "sim: flash operations: %u", &ops), 1);
    return ops;
}

/* v1 (counter c1) installed and confirmed in slot A. */
static void device_with_v1(unsigned c1)
{
    pack("v1.fws", "1.0.0", c1, "fw1.bin", "");
    init_device();
    stage("v1.fws");
    free(boot_expect('A', 1, c1, "trial", fw1));
    free(sim_ok(0, "confirm --flash dev.flash"));
    cr_assert_eq(meta_now().floor, c1);
}

/* ---- the rules ---- */

Test(sim, happy_path_floors_rise_on_confirm)
{
    pack("v1.fws", "1.0.0", 3, "fw1.bin", "");
    pack("v2.fws", "2.0.0", 7, "fw2.bin", "");
    init_device();
    meta m = meta_now();
    cr_assert(m.valid && m.active == SIM_SLOT_NONE && m.floor == 0);
    char *out = sim_ok(4, "boot --flash dev.flash");
    cr_assert(strstr(out, "sim: no bootable image"), "%s", out);
    free(out);

    stage("v1.fws");
    out = boot_expect('A', 1, 3, "trial", fw1);
    cr_assert(strstr(out, "installing staged update #1"), "%s", out);
    free(out);
    cr_assert_eq(meta_now().floor, 0, "the floor rose before the confirm");
    out = sim_ok(0, "confirm --flash dev.flash");
    cr_assert(strstr(out, "floor 0 -> 3"), "%s", out);
    free(out);
    m = meta_now();
    cr_assert(m.floor == 3 && m.state == SIM_STATE_CONFIRMED && m.active == 0);
    free(boot_expect('A', 1, 3, "confirmed", fw1));

    stage("v2.fws");
    free(boot_expect('B', 2, 7, "trial", fw2));
    cr_assert_eq(meta_now().floor, 3);
    free(sim_ok(0, "confirm --flash dev.flash"));
    cr_assert_eq(meta_now().floor, 7);
    free(boot_expect('B', 2, 7, "confirmed", fw2));
    free(boot_expect('B', 2, 7, "confirmed", fw2));

    /* Both metadata copies valid, consecutive sequence numbers. */
    uint8_t *f = flash_read();
    meta a = meta_copy(f + SIM_META_A_ADDR), b = meta_copy(f + SIM_META_B_ADDR);
    free(f);
    cr_assert(a.valid && b.valid && (a.seq == b.seq + 1 || b.seq == a.seq + 1));

    /* v1 is now below the floor: status shows slot A rejected. */
    out = sim_ok(0, "status --flash dev.flash");
    cr_assert(strstr(out, "slot A:   rejected: rollback"), "%s", out);
    cr_assert(strstr(out, "slot B:   version 2.0.0+0 counter 7, 1 component, verified"), "%s",
              out);
    free(out);
}

Test(sim, unconfirmed_image_reverts)
{
    device_with_v1(1);
    pack("v2.fws", "2.0.0", 2, "fw2.bin", "");

    /* The application reports failure. */
    stage("v2.fws");
    free(boot_expect('B', 2, 2, "trial", fw2));
    char *out = sim_ok(0, "fail --flash dev.flash");
    cr_assert(strstr(out, "the next boot reverts to slot A"), "%s", out);
    free(out);
    out = boot_expect('A', 1, 1, "confirmed", fw1);
    cr_assert(strstr(out, "slot B failed its trial boot: reverting to slot A"), "%s", out);
    free(out);
    cr_assert_eq(meta_now().floor, 1);
    out = sim_ok(0, "confirm --flash dev.flash");   /* nothing on trial */
    cr_assert(strstr(out, "slot A is already confirmed (floor 1)"), "%s", out);
    free(out);
    free(sim_ok(1, "fail --flash dev.flash"));

    /* The application never confirms (crash, hang, power loss): the next
     * boot reverts by itself. */
    pack("v3.fws", "3.0.0", 3, "fw3.bin", "");
    stage("v3.fws");
    free(boot_expect('B', 3, 3, "trial", fw3));
    /* An update staged while B is on trial waits for the verdict. */
    pack("v2b.fws", "2.1.0", 2, "fw2.bin", "");
    stage("v2b.fws");
    out = boot_expect('A', 1, 1, "confirmed", fw1);
    cr_assert(strstr(out, "waits: slot B is on trial"), "%s", out);
    cr_assert(strstr(out, "was not confirmed after 1 trial boot: reverting to slot A"), "%s", out);
    free(out);
    cr_assert_eq(meta_now().floor, 1, "a reverted image raised the floor");
    /* Now the waiting update installs. */
    free(boot_expect('B', 2, 2, "trial", fw2));
}

/* Each bad container is refused at install, consumed, and v1 keeps
 * booting with its floor. */
Test(sim, refusals_keep_the_old_image)
{
    static const struct {
        const char *name, *want;
    } cases[] = {
        {"rollback.fws", "rollback"},       {"class.fws", "wrong_class"},
        {"tampered.fws", "chunk_hash_mismatch"}, {"untrusted.fws", "untrusted"},
        {"other-dev.fws", "no_capsule"},    {"toolarge.fws", "size_above_device_limit"},
        {"garbage.fws", "bad_magic"},
    };
    device_with_v1(5);
    pack("rollback.fws", "0.9.0", 4, "fw2.bin", "");
    run_result r = run("cd '%s' && %s pack -o class.fws --key sign1.key --version 2.0.0 "
                       "--counter 6 --class other/class -e dev.pub app=fw2.bin && "
                       "%s pack -o untrusted.fws --key sign2.key --version 2.0.0 --counter 6 "
                       "--class test/class -e dev.pub app=fw2.bin && "
                       "%s pack -o other-dev.fws --key sign1.key --version 2.0.0 --counter 6 "
                       "--class test/class -e dev2.pub app=fw2.bin",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* 300 KiB of text: a small container, an image larger than a slot. */
    uint8_t *big = malloc(300 * 1024);
    fill_text(big, 300 * 1024, 9);
    free(fx_write(&fx, "big.bin", big, 300 * 1024));
    free(big);
    pack("toolarge.fws", "2.0.0", 6, "big.bin", "");
    pack("tampered.fws", "2.0.0", 6, "fw2.bin", "");
    size_t len;
    char *p = fx_path(&fx, "tampered.fws");
    uint8_t *c = file_read(p, &len);
    c[len - 10] ^= 0x01;   /* in the last chunk: earlier chunks already reached the slot */
    file_write(p, c, len);
    free(c);
    free(p);
    free(fx_write(&fx, "garbage.fws", "this is not a container, and it is long enough to say so.",
                  58));

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char want[128];
        stage(cases[i].name);
        char *out = boot_expect('A', 1, 5, "confirmed", fw1);
        snprintf(want, sizeof want, "refused: %s\n", cases[i].want);
        cr_assert(strstr(out, want), "%s: want '%s' in:\n%s", cases[i].name, want, out);
        free(out);
        meta m = meta_now();
        cr_assert(m.floor == 5 && m.active == 0 && m.state == SIM_STATE_CONFIRMED);
        /* Consumed: the next boot does not try again. */
        out = boot_expect('A', 1, 5, "confirmed", fw1);
        cr_assert(!strstr(out, "installing"), "%s", out);
        free(out);
    }
    char *out = sim_ok(0, "status --flash dev.flash");
    cr_assert(strstr(out, "staging:  empty"), "%s", out);
    free(out);
}

Test(sim, image_verified_in_place_on_every_boot)
{
    device_with_v1(2);
    pack("v2.fws", "2.0.0", 2, "fw2.bin", "");   /* same counter: A stays above the floor */
    stage("v2.fws");
    free(boot_expect('B', 2, 2, "trial", fw2));
    free(sim_ok(0, "confirm --flash dev.flash"));

    /* One flipped bit in the confirmed image B: A boots as a fallback. */
    uint8_t *f = flash_read();
    f[SIM_SLOT_B_ADDR + SIM_IMAGE_OFFSET + 1000] ^= 0x10;
    flash_write(f);
    char *out = sim_ok(0, "boot --flash dev.flash");
    booted b = parse_booted(out);
    cr_assert(strstr(out, "slot B: rejected: digest_mismatch"), "%s", out);
    cr_assert(b.slot == 'A' && b.major == 1 && !strcmp(b.how, "fallback"), "%s", out);
    free(out);
    assert_slot_holds('A', fw1);

    /* And in A as well: nothing verifies. */
    f[SIM_SLOT_A_ADDR + SIM_IMAGE_OFFSET + FW_LEN - 1] ^= 0x01;
    flash_write(f);
    out = sim_ok(4, "boot --flash dev.flash");
    cr_assert(strstr(out, "sim: no bootable image"), "%s", out);
    cr_assert(!strstr(out, "booted"), "%s", out);
    free(out);

    /* A damaged boot record (a signature byte) is as bad as a damaged image. */
    f[SIM_SLOT_A_ADDR + SIM_IMAGE_OFFSET + FW_LEN - 1] ^= 0x01;
    f[SIM_SLOT_A_ADDR + 16 + 46] ^= 0x01;   /* the manifest's timestamp, under the signature */
    flash_write(f);
    free(f);
    out = sim_ok(4, "boot --flash dev.flash");
    cr_assert(strstr(out, "slot A: rejected: untrusted"), "%s", out);
    free(out);
}

Test(sim, trial_image_damaged_reverts)
{
    device_with_v1(1);
    pack("v2.fws", "2.0.0", 2, "fw2.bin", "");
    stage("v2.fws");
    free(boot_expect('B', 2, 2, "trial", fw2));
    uint8_t *f = flash_read();
    f[SIM_SLOT_B_ADDR + SIM_IMAGE_OFFSET] ^= 0x80;
    flash_write(f);
    free(f);
    /* Whether or not the trial boot was used up: B does not verify. */
    char *out = boot_expect('A', 1, 1, "confirmed", fw1);
    free(out);
    cr_assert_eq(meta_now().active, 0);
}

/* Provisioning from fwseal device-config and fwseal secret: two trusted
 * keys with threshold 2, a PSK as the device key (its raw secret); a
 * container of several components (one of them empty) lands back to back
 * in the slot. */
Test(sim, config_threshold_psk_components)
{
    uint8_t radio[5000];
    fill_random(radio, sizeof radio, 11);
    free(fx_write(&fx, "radio.bin", radio, sizeof radio));
    free(fx_write(&fx, "empty.bin", "", 0));
    run_result r = run("cd '%s' && %s pack -o two.fws --key sign1.key --key sign2.key "
                       "--version 4.0.0 --counter 4 --class test/class -e psk.key --allow-empty "
                       "boot=fw2.bin@0x08000000 radio=radio.bin empty=empty.bin app=fw1.bin && "
                       "%s pack -o one.fws --key sign1.key --version 5.0.0 --counter 5 "
                       "--class test/class -e psk.key app=fw3.bin && "
                       "%s device-config --trust sign1.pub --trust sign2.pub --threshold 2 "
                       "--class test/class --device-key psk.key -o psk.h && "
                       "%s secret psk.key --format raw -o psk.secret",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(sim_ok(0, "init --flash dev.flash --config psk.h --key psk.secret"));
    stage("two.fws");
    char *out = sim_ok(0, "boot --flash dev.flash");
    booted b = parse_booted(out);
    cr_assert(b.slot == 'A' && b.major == 4 && b.counter == 4, "%s", out);
    free(out);
    uint8_t *f = flash_read();
    const uint8_t *img = f + SIM_SLOT_A_ADDR + SIM_IMAGE_OFFSET;
    cr_assert(!memcmp(img, fw2, FW_LEN) && !memcmp(img + FW_LEN, radio, sizeof radio) &&
              !memcmp(img + FW_LEN + sizeof radio, fw1, FW_LEN));
    free(f);
    free(sim_ok(0, "confirm --flash dev.flash"));
    /* One signature of the two required. */
    stage("one.fws");
    out = sim_ok(0, "boot --flash dev.flash");
    cr_assert(strstr(out, "refused: threshold\n"), "%s", out);
    b = parse_booted(out);
    cr_assert(b.slot == 'A' && b.major == 4 && !strcmp(b.how, "confirmed"), "%s", out);
    free(out);
}

/* The limits in the header become the device's: a container whose chunks
 * are larger than --max-chunk is refused from its manifest. */
Test(sim, config_limits_reach_the_device)
{
    run_result r = run("cd '%s' && %s device-config --trust sign1.pub --class test/class "
                       "--device-key dev.pub --max-chunk 512 --max-window-bits 9 -o small.h",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(sim_ok(0, "init --flash dev.flash --config small.h --key dev.secret"));
    pack("big-chunks.fws", "1.0.0", 1, "fw1.bin", "");
    stage("big-chunks.fws");
    char *out = sim_ok(4, "boot --flash dev.flash");
    cr_assert(strstr(out, "refused: chunk_above_device_limit"), "%s", out);
    free(out);
}

/* Headers and secrets the factory must not program. */
Test(sim, provisioning_refuses_what_does_not_fit)
{
    static const struct {
        const char *setup, *init, *message;
        int status;
    } cases[] = {
        {"%s device-config --trust-root sign2.pub --class test/class -o r.h && "
         "sed 's/0x/0y/g; /fws_device_class_id/,/};/s/0y/0x/g' r.h > badroot.h",
         "--config badroot.h", "badroot.h: the root keys (fws_device_roots) do not read", 3},
        {"%s device-config --trust sign1.pub --any-class -o any.h", "--config any.h",
         "any.h: accepts every class", 2},
        {"%s device-config --trust sign1.pub --class test/class --max-chunk 8192 -o big.h",
         "--config big.h", "big.h: asks for more RAM than this device has", 2},
        {"%s device-config --trust sign1.pub --class test/class -o nokey.h",
         "--config nokey.h --key dev.secret", "the --config header names no device key", 2},
        {"%s secret dev2.key --format hex -o dev2.secret", "--config dev.h --key dev2.secret",
         "dev2.secret: this secret does not belong to the device key", 2},
        {"%s secret psk2.key --format hex -o psk2.secret 2>/dev/null && "
         "%s device-config --trust sign1.pub --class test/class --device-key psk.key -o p.h",
         "--config p.h --key psk2.secret", "psk2.secret: this PSK does not belong", 2},
        {"%s pubkey dev.pub --format hex -o dev.hex", "--config dev.h --key dev.key",
         "dev.key: not a device secret", 3},
        {"sed /FWS_DEVICE_MAX_CHUNK/d dev.h > edited.h", "--config edited.h",
         "edited.h: not an fws_device_config.h", 3},
        {"sed 's/0x/0y/' dev.h > edited2.h", "--config edited2.h",
         "edited2.h: the trusted keys or the class id do not read", 3},
        {"true", "--config missing.h", "missing.h: cannot open", 3},
        {"true", "--key dev.secret", "init needs --config", 2},
    };
    char *x_flash = fx_path(&fx, "x.flash");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char setup[512];
        snprintf(setup, sizeof setup, cases[i].setup, FWSEAL_BIN, FWSEAL_BIN);
        run_result r = run("cd '%s' && { %s; } >/dev/null 2>&1; %s init --flash x.flash %s",
                           fx.dir, setup, SIM_BIN, cases[i].init);
        cr_assert_eq(r.status, cases[i].status, "case %zu: status %d\n%s", i, r.status, r.err);
        cr_assert(strstr(r.err, cases[i].message), "case %zu: %s", i, r.err);
        cr_assert(!file_exists(x_flash), "case %zu: flash written", i);
        run_free(&r);
    }
    free(x_flash);
}

/* ---- the flash simulator itself ---- */

Test(sim, flash_is_nor)
{
    init_device();
    const unsigned at = SIM_STAGING_ADDR + 0x2000;
    char args[1024], hex[2 * SIM_PAGE + 1];
    snprintf(args, sizeof args, "read --flash dev.flash %u 16", at);
    char *out = sim_ok(0, args);
    cr_assert_str_eq(out, "ffffffffffffffffffffffffffffffff\n");
    free(out);
    snprintf(args, sizeof args, "program --flash dev.flash %u 0f5a", at);
    free(sim_ok(0, args));
    snprintf(args, sizeof args, "program --flash dev.flash %u 0f50", at);   /* clears 2 more bits */
    free(sim_ok(0, args));
    /* A 1 over a 0: a bootloader bug. */
    snprintf(args, sizeof args, "program --flash dev.flash %u f0", at);
    run_result r = sim("%s", args);
    cr_assert_eq(r.status, 70, "%d %s", r.status, r.err);
    cr_assert(strstr(r.err, "sim: BUG: program at"), "%s", r.err);
    run_free(&r);
    snprintf(args, sizeof args, "read --flash dev.flash %u 2", at);
    out = sim_ok(0, args);
    cr_assert_str_eq(out, "0f50\n");
    free(out);
    /* Across a page, an erase not on a block: bugs too. */
    snprintf(args, sizeof args, "program --flash dev.flash %u 0000", at + SIM_PAGE - 1);
    free(sim_ok(70, args));
    snprintf(args, sizeof args, "erase --flash dev.flash %u", at + 1);
    free(sim_ok(70, args));
    snprintf(args, sizeof args, "erase --flash dev.flash %u", at);
    free(sim_ok(0, args));
    snprintf(args, sizeof args, "read --flash dev.flash %u 2", at);
    out = sim_ok(0, args);
    cr_assert_str_eq(out, "ffff\n");
    free(out);

    /* Torn operations: every bit is the old or the new value, the same
     * cut and seed tear the same way, and tears really happen. */
    uint8_t data[SIM_PAGE], *base = malloc(SIM_FLASH_SIZE), *first = NULL;
    int torn_program = 0, torn_erase = 0;
    /* Old contents: partly programmed; the new data clears more bits (a
     * program may only clear bits). */
    uint8_t half[SIM_PAGE];
    fill_random(half, sizeof half, 8);
    fill_random(data, sizeof data, 7);
    char halfhex[2 * SIM_PAGE + 1];
    for (size_t i = 0; i < sizeof half; i++) {
        half[i] |= 0x0F;
        data[i] &= half[i];
        snprintf(halfhex + 2 * i, 3, "%02x", half[i]);
        snprintf(hex + 2 * i, 3, "%02x", data[i]);
    }
    snprintf(args, sizeof args, "program --flash dev.flash %u %s", at, halfhex);
    free(sim_ok(0, args));
    uint8_t *tmp = flash_read();
    memcpy(base, tmp, SIM_FLASH_SIZE);
    free(tmp);
    for (int seed = 1; seed <= 24; seed++) {
        for (int rep = 0; rep < 2; rep++) {
            flash_write(base);
            snprintf(args, sizeof args, "program --flash dev.flash %u %s --cut 1 --seed %d", at,
                     hex, seed);
            run_result rr = sim("%s", args);
            cr_assert_eq(rr.status, 42, "%s", rr.err);
            cr_assert(strstr(rr.err, "sim: power cut at flash operation 1 (program 256 bytes"),
                      "%s", rr.err);
            run_free(&rr);
            uint8_t *now = flash_read();
            const uint8_t *old = base + at, *t = now + at;
            int differs_new = 0;
            for (size_t i = 0; i < SIM_PAGE; i++) {
                uint8_t want = (uint8_t)(old[i] & data[i]);
                cr_assert_eq(t[i] & ~old[i], 0, "a torn program set a bit");
                cr_assert_eq(t[i] & want, want, "a torn program cleared a bit it should not");
                differs_new |= t[i] != want;
            }
            cr_assert(!memcmp(now, base, at) &&
                      !memcmp(now + at + SIM_PAGE, base + at + SIM_PAGE,
                              SIM_FLASH_SIZE - at - SIM_PAGE), "a cut changed other bytes");
            torn_program += differs_new && rep == 0;
            if (rep == 0) {
                free(first);
                first = malloc(SIM_PAGE);
                memcpy(first, t, SIM_PAGE);
            } else {
                cr_assert(!memcmp(first, t, SIM_PAGE), "seed %d tore differently twice", seed);
            }
            free(now);
        }
        /* An erase torn: bits between the old contents and 0xFF. */
        flash_write(base);
        snprintf(args, sizeof args, "erase --flash dev.flash %u --cut 1 --seed %d", at, seed);
        free(sim_ok(42, args));
        uint8_t *now = flash_read();
        int differs = 0;
        for (size_t i = 0; i < SIM_BLOCK; i++) {
            cr_assert_eq(now[at + i] & base[at + i], base[at + i], "a torn erase cleared a bit");
            differs |= now[at + i] != 0xFF;
        }
        torn_erase += differs;
        free(now);
    }
    cr_assert(torn_program >= 12 && torn_erase >= 12, "tears: %d programs, %d erases",
              torn_program, torn_erase);
    free(first);
    free(base);
}

/* ---- power-fail injection ---- */

typedef struct {
    unsigned tried, v1, v2;
} tally;

/* After a cut: one normal boot must boot v1 or v2 (intact), with a floor
 * not below floor_before.  Returns the major version booted. */
static unsigned reboot_after_cut(unsigned n, uint32_t floor_before, tally *t, const char *what)
{
    run_result r = sim("boot --flash dev.flash");
    cr_assert_eq(r.status, 0, "%s, cut at %u: reboot status %d\n%s%s", what, n, r.status, r.out,
                 r.err);
    booted b = parse_booted(r.out);
    cr_assert((b.major == 1 && b.counter == 1) || (b.major == 2 && b.counter == 2),
              "%s, cut at %u: booted %u/%u\n%s", what, n, b.major, b.counter, r.out);
    assert_slot_holds(b.slot, b.major == 1 ? fw1 : fw2);
    run_free(&r);
    meta m = meta_now();
    cr_assert(m.floor >= floor_before, "%s, cut at %u: floor %u < %u", what, n, m.floor,
              floor_before);
    cr_assert(m.floor <= 2);
    t->tried++;
    if (b.major == 1)
        t->v1++;
    else
        t->v2++;
    return b.major;
}

/* Runs `sim ARGS --stats` on state and returns its operation count. */
static unsigned ops_of(const uint8_t *state, const char *args, int want)
{
    flash_write(state);
    run_result r = sim("%s --stats", args);
    cr_assert_eq(r.status, want, "%s: %d %s", args, r.status, r.err);
    unsigned ops = stat_ops(r.err);
    run_free(&r);
    return ops;
}

/* The two floors of the metadata the device goes by. */
typedef struct {
    uint32_t counter, keygen;
} floors;

/* With pairs (old, new): the current floors are exactly one of the two,
 * never one floor from each.  Returns 0 for old, 1 for new. */
static int floors_are(const floors *pairs, const char *what, unsigned n)
{
    meta m = meta_now();
    for (int i = 0; i < 2; i++)
        if (m.floor == pairs[i].counter && m.keygen == pairs[i].keygen)
            return i;
    cr_assert_fail("%s, cut at %u: floors %u/%u, neither the old %u/%u nor the new %u/%u", what, n,
            m.floor, m.keygen, pairs[0].counter, pairs[0].keygen, pairs[1].counter,
            pairs[1].keygen);
    return -1;
}

/* Every cut point of ARGS on state, each twice: torn (power fails during
 * the operation) and clean (just before it); each followed by a reboot.
 * With pairs (old and new floors), the floors after each cut and after
 * each reboot must be one pair or the other; ended[i] counts the cuts
 * that left pair i. */
static unsigned sweep(const uint8_t *state, const char *args, uint32_t floor_before, tally *t,
                      unsigned *v1, unsigned *v2, int check_v1_survives, const floors *pairs,
                      unsigned *ended)
{
    static const char *const kinds[] = {"--cut", "--cut-before"};
    unsigned total = ops_of(state, args, 0);
    cr_assert(total > 0);
    for (unsigned n = 1; n <= total; n++) {
        for (int k = 0; k < 2; k++) {
            flash_write(state);
            run_result r = sim("%s %s %u", args, kinds[k], n);
            cr_assert_eq(r.status, 42, "%s %s %u: status %d\n%s%s", args, kinds[k], n, r.status,
                         r.out, r.err);
            run_free(&r);
            if (pairs)
                ended[floors_are(pairs, args, n)]++;
            unsigned major = reboot_after_cut(n, floor_before, t, args);
            if (pairs)
                floors_are(pairs, args, n);
            *(major == 1 ? v1 : v2) += 1;
            if (check_v1_survives && major == 2 && k == 1) {
                /* The old image survived the cut: failing the new one brings it back... */
                free(sim_ok(0, "fail --flash dev.flash"));
                free(boot_expect('A', 1, 1, "confirmed", fw1));
                /* ...and the update was taken once: it does not install again (a
                 * clean cut between two writes is where that would show). */
                char *out = boot_expect('A', 1, 1, "confirmed", fw1);
                cr_assert(!strstr(out, "installing"), "%s %u: installed twice:\n%s", kinds[k],
                          n, out);
                free(out);
            }
        }
    }
    /* One past the last operation: no cut happens. */
    flash_write(state);
    run_result r = sim("%s --cut %u", args, total + 1);
    cr_assert_eq(r.status, 0, "%s --cut %u: %s", args, total + 1, r.err);
    run_free(&r);
    printf("power-fail: sim %s: %u operations, %u cut points (torn and clean), %u booted v1, "
           "%u booted v2%s\n", args, total, 2 * total, *v1, *v2,
           check_v1_survives ? " (after each clean cut: fail, boot: v1 back)" : "");
    return total;
}

Test(sim, power_fail_at_every_flash_operation)
{
    tally t = {0};
    unsigned v1, v2;
    device_with_v1(1);
    pack("v2.fws", "2.0.0", 2, "fw2.bin", "");
    uint8_t *confirmed_v1 = flash_read();

    /* Staging the update. */
    v1 = v2 = 0;
    sweep(confirmed_v1, "stage --flash dev.flash v2.fws", 1, &t, &v1, &v2, 0, NULL, NULL);
    cr_assert(v1 > 0);

    /* The update itself: install, activate, first (trial) boot. */
    flash_write(confirmed_v1);
    stage("v2.fws");
    uint8_t *staged = flash_read();
    v1 = v2 = 0;
    unsigned update_ops =
        sweep(staged, "boot --flash dev.flash", 1, &t, &v1, &v2, 1, NULL, NULL);
    /* At least: every page of the 64 KiB image, every block it covers. */
    cr_assert_geq(update_ops, FW_LEN / SIM_PAGE + FW_LEN / SIM_BLOCK);

    /* Confirming v2 (the metadata write that raises the floor). */
    flash_write(staged);
    free(boot_expect('B', 2, 2, "trial", fw2));
    uint8_t *trial = flash_read();
    v1 = v2 = 0;
    sweep(trial, "confirm --flash dev.flash", 1, &t, &v1, &v2, 0, NULL, NULL);
    /* Torn confirm: the old metadata (trial) stands and v1 comes back. */
    cr_assert(v1 > 0);

    /* Reverting after a failed trial. */
    flash_write(trial);
    free(sim_ok(0, "fail --flash dev.flash"));
    uint8_t *failed = flash_read();
    v1 = v2 = 0;
    sweep(failed, "boot --flash dev.flash", 1, &t, &v1, &v2, 0, NULL, NULL);
    cr_assert_eq(v2, 0, "a failed trial image booted after a cut");

    printf("power-fail: %u cut points tried, %u booted v1, %u booted v2\n", t.tried, t.v1, t.v2);
    cr_assert_eq(t.tried, t.v1 + t.v2);
    fflush(stdout);
    free(confirmed_v1);
    free(staged);
    free(trial);
    free(failed);
}

/* ---- key rotation (format/SPEC.md 4.1, 4.2) ---- */

/* The keys: root certifies gen5 (generation 5) and gen6 (generation 6);
 * sign1 is certified by nobody, sign3 by sign2, a root the devices do not
 * hold.  rot.h: a device that trusts the root and no signing key. */
static void rotation_keys(void)
{
    run_result r = run("cd '%s' && for k in root gen5 gen6; do %s keygen --type ed25519 "
                       "--no-passphrase -o $k || exit 1; done && "
                       "%s cert issue --root root.key --subject gen5.pub --generation 5 "
                       "-o gen5.cert && "
                       "%s cert issue --root root.key --subject gen6.pub --generation 6 "
                       "-o gen6.cert && "
                       "%s cert issue --root sign2.key --subject sign3.pub --generation 5 "
                       "-o sign3.cert && "
                       "%s device-config --trust-root root.pub --class test/class "
                       "--device-key dev.pub -o rot.h",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

/* A device provisioned with rot.h: floors 0/0. */
static void rotation_device(void)
{
    rotation_keys();
    char *out = sim_ok(0, "init --flash dev.flash --config rot.h --key dev.secret");
    cr_assert(strstr(out, "trusts 0 keys and 1 root key (threshold 1, root threshold 1)"), "%s",
              out);
    free(out);
    meta m = meta_now();
    cr_assert(m.floor == 0 && m.keygen == 0);
}

/* pack, signed by KEY.key (with KEY.cert when there is one). */
static void pack_by(const char *key, const char *out, const char *version, unsigned counter,
                    const char *fw, const char *extra)
{
    char cert[64];
    snprintf(cert, sizeof cert, "%s.cert", key);
    char *path = fx_path(&fx, cert);
    int certified = file_exists(path);
    free(path);
    run_result r = run("cd '%s' && %s pack -o %s --key %s.key %s%s --version %s --counter %u "
                       "--class test/class --chunk-size 1024 -e dev.pub %s app=%s",
                       fx.dir, FWSEAL_BIN, out, key, certified ? "--cert " : "",
                       certified ? cert : "", version, counter, extra, fw);
    cr_assert_eq(r.status, 0, "pack %s: %s", out, r.err);
    run_free(&r);
}

static void assert_floors(uint32_t counter, uint32_t keygen, const char *when)
{
    meta m = meta_now();
    cr_assert(m.floor == counter && m.keygen == keygen, "%s: floors %u/%u, want %u/%u", when,
              m.floor, m.keygen, counter, keygen);
}

/* A staged container must be refused with reason while slot, version
 * major and counter keep booting confirmed (image fw). */
static void refused_keeps(const char *container, const char *reason, char slot, unsigned major,
                          unsigned counter, const uint8_t *fw)
{
    char want[128];
    stage(container);
    char *out = boot_expect(slot, major, counter, "confirmed", fw);
    snprintf(want, sizeof want, "refused: %s\n", reason);
    cr_assert(strstr(out, want), "%s: want '%s' in:\n%s", container, want, out);
    free(out);
}

/* rotation_device with v1 (counter c1, signed by gen5) installed and
 * confirmed in slot A: floors c1/0. */
static void rotation_device_with_v1(unsigned c1)
{
    rotation_device();
    pack_by("gen5", "v1.fws", "1.0.0", c1, "fw1.bin", "");
    stage("v1.fws");
    char *out = boot_expect('A', 1, c1, "trial", fw1);
    cr_assert(strstr(out, "; certified key ") && strstr(out, " generation 5\n"), "%s", out);
    free(out);
    free(sim_ok(0, "confirm --flash dev.flash"));
    assert_floors(c1, 0, "v1 confirmed");
}

Test(sim, rotation_root_only_device_takes_certified_keys)
{
    rotation_device();
    pack_by("gen5", "v1.fws", "1.0.0", 1, "fw1.bin", "");
    pack_by("sign1", "uncertified.fws", "2.0.0", 2, "fw2.bin", "");
    pack_by("sign3", "other-root.fws", "2.0.0", 2, "fw2.bin", "");
    pack_by("gen5", "v2.fws", "2.0.0", 2, "fw2.bin", "");

    /* Not even as the first image: nothing installed, nothing boots. */
    stage("uncertified.fws");
    char *out = sim_ok(4, "boot --flash dev.flash");
    cr_assert(strstr(out, "refused: untrusted\n") && strstr(out, "sim: no bootable image"), "%s",
              out);
    free(out);

    stage("v1.fws");
    out = boot_expect('A', 1, 1, "trial", fw1);
    cr_assert(strstr(out, "installed slot A: version 1.0.0+0 counter 1; certified key ") &&
              strstr(out, " generation 5\n"), "%s", out);
    free(out);
    free(sim_ok(0, "confirm --flash dev.flash"));
    assert_floors(1, 0, "v1 confirmed");

    refused_keeps("uncertified.fws", "untrusted", 'A', 1, 1, fw1);
    refused_keeps("other-root.fws", "untrusted", 'A', 1, 1, fw1);
    assert_floors(1, 0, "after the refusals");
    /* The root still certifies: a new release by gen5 installs. */
    stage("v2.fws");
    free(boot_expect('B', 2, 2, "trial", fw2));
    printf("rotation: root-only device: generation-5 certified releases installed (v1, v2); "
           "uncertified key and a key certified by another root refused: untrusted\n");
    fflush(stdout);
}

Test(sim, rotation_trial_does_not_raise_key_generation_floor)
{
    rotation_device_with_v1(1);
    pack_by("gen6", "v2.fws", "2.0.0", 2, "fw2.bin", "--min-key-generation 6");
    pack_by("gen5", "v3.fws", "3.0.0", 3, "fw3.bin", "");

    /* Installed and on trial: both floors stay. */
    stage("v2.fws");
    char *out = boot_expect('B', 2, 2, "trial", fw2);
    cr_assert(strstr(out, " generation 6; min key generation 6\n"), "%s", out);
    free(out);
    assert_floors(1, 0, "v2 on trial");
    /* Never confirmed: the next boot reverts, the floors have not moved. */
    out = boot_expect('A', 1, 1, "confirmed", fw1);
    cr_assert(strstr(out, "was not confirmed after 1 trial boot"), "%s", out);
    free(out);
    assert_floors(1, 0, "v2 reverted");
    /* Again, and this time the application reports failure. */
    stage("v2.fws");
    free(boot_expect('B', 2, 2, "trial", fw2));
    free(sim_ok(0, "fail --flash dev.flash"));
    free(sim_ok(1, "confirm --flash dev.flash"));   /* a failed trial cannot confirm */
    free(boot_expect('A', 1, 1, "confirmed", fw1));
    assert_floors(1, 0, "v2 failed");

    /* Generation 5 still counts. */
    stage("v3.fws");
    free(boot_expect('B', 3, 3, "trial", fw3));
    out = sim_ok(0, "confirm --flash dev.flash");
    cr_assert(strstr(out, "floor 1 -> 3, key generation floor 0 -> 0\n"), "%s", out);
    free(out);
    assert_floors(3, 0, "v3 confirmed");
    printf("rotation: a MIN_KEY_GENERATION 6 release on trial, reverted twice (not confirmed, "
           "failed): floors stayed 1/0; a generation-5 release then confirmed: floors 3/0\n");
    fflush(stdout);
}

Test(sim, rotation_confirm_revokes_older_generation)
{
    /* v1 and v2 share counter 2: once v2 is confirmed, only the
     * key-generation floor stands between the device and v1. */
    rotation_device_with_v1(2);
    pack_by("gen6", "v2.fws", "2.0.0", 2, "fw2.bin", "--min-key-generation 6");
    pack_by("gen5", "v3.fws", "3.0.0", 9, "fw3.bin", "");
    pack_by("gen6", "v4.fws", "4.0.0", 4, "fw3.bin", "");

    stage("v2.fws");
    free(boot_expect('B', 2, 2, "trial", fw2));
    char *out = sim_ok(0, "confirm --flash dev.flash");
    cr_assert(strstr(out, "; floor 2 -> 2, key generation floor 0 -> 6\n"), "%s", out);
    free(out);
    assert_floors(2, 6, "v2 confirmed");
    out = sim_ok(0, "status --flash dev.flash");
    cr_assert(strstr(out, "key generation floor: 6\n"), "%s", out);
    /* The older image no longer verifies in place: no fallback to it. */
    cr_assert(strstr(out, "slot A:   rejected: revoked_key\n"), "%s", out);
    free(out);

    /* A newer counter does not help a revoked key. */
    refused_keeps("v3.fws", "revoked_key", 'B', 2, 2, fw2);
    /* Nor does replaying the container the device ran before. */
    refused_keeps("v1.fws", "revoked_key", 'B', 2, 2, fw2);
    assert_floors(2, 6, "after the refusals");
    /* Generation 6 still counts. */
    stage("v4.fws");
    free(boot_expect('A', 4, 4, "trial", fw3));
    printf("rotation: after confirming MIN_KEY_GENERATION 6: floors 2/6; generation-5 release "
           "with counter 9 and the replayed v1 refused: revoked_key; slot A refused in place; "
           "a generation-6 release installed\n");
    fflush(stdout);
}

Test(sim, rotation_power_fail_confirm_raises_both_floors)
{
    static const floors keep[2] = {{1, 0}, {1, 0}}, both[2] = {{1, 0}, {2, 6}};
    tally t = {0};
    unsigned v1 = 0, v2 = 0, ended_boot[2] = {0, 0}, ended[2] = {0, 0};
    rotation_device_with_v1(1);
    pack_by("gen6", "v2.fws", "2.0.0", 2, "fw2.bin", "--min-key-generation 6");
    stage("v2.fws");
    uint8_t *staged = flash_read();

    /* Install and trial boot of the release that carries MIN_KEY_GENERATION:
     * neither floor moves, whatever the cut. */
    sweep(staged, "boot --flash dev.flash", 1, &t, &v1, &v2, 1, keep, ended_boot);
    cr_assert_eq(ended_boot[0], t.tried);

    /* Its confirm: one metadata write raises both floors. */
    flash_write(staged);
    free(boot_expect('B', 2, 2, "trial", fw2));
    uint8_t *trial = flash_read();
    unsigned boot_points = t.tried;
    v1 = v2 = 0;
    sweep(trial, "confirm --flash dev.flash", 1, &t, &v1, &v2, 0, both, ended);
    cr_assert_eq(ended[0] + ended[1], t.tried - boot_points);
    /* Without a cut: both new, and the generation-5 key is revoked. */
    assert_floors(2, 6, "confirm without a cut");
    free(boot_expect('B', 2, 2, "confirmed", fw2));
    pack_by("gen5", "v3.fws", "3.0.0", 3, "fw1.bin", "");
    refused_keeps("v3.fws", "revoked_key", 'B', 2, 2, fw2);

    printf("power-fail: rotation: %u cut points in the install and trial boot, all left floors "
           "1/0; %u in the confirm: %u left floors 1/0, %u left floors 2/6, none a mix; "
           "%u booted v1, %u booted v2\n", boot_points, t.tried - boot_points, ended[0],
           ended[1], t.v1, t.v2);
    fflush(stdout);
    free(staged);
    free(trial);
}

/* A device with a trusted key and a root: a release counts when signed by
 * either; direct signers have no generation, so the key-generation floor
 * does not touch them. */
Test(sim, rotation_trusted_key_and_root_both_count)
{
    rotation_keys();
    run_result r = run("cd '%s' && %s device-config --trust sign1.pub --trust-root root.pub "
                       "--class test/class --device-key dev.pub -o both.h",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *out = sim_ok(0, "init --flash dev.flash --config both.h --key dev.secret");
    cr_assert(strstr(out, "trusts 1 key and 1 root key (threshold 1, root threshold 1)"), "%s",
              out);
    free(out);
    pack_by("gen6", "v1.fws", "1.0.0", 1, "fw1.bin", "--min-key-generation 6");
    pack_by("sign1", "v2.fws", "2.0.0", 2, "fw2.bin", "");
    pack_by("gen5", "v3.fws", "3.0.0", 3, "fw3.bin", "");
    stage("v1.fws");
    free(boot_expect('A', 1, 1, "trial", fw1));
    free(sim_ok(0, "confirm --flash dev.flash"));
    assert_floors(1, 6, "v1 confirmed");
    stage("v2.fws");
    out = boot_expect('B', 2, 2, "trial", fw2);
    cr_assert(!strstr(out, "certified key"), "%s", out);
    free(out);
    free(sim_ok(0, "confirm --flash dev.flash"));
    assert_floors(2, 6, "v2 confirmed");
    refused_keeps("v3.fws", "revoked_key", 'B', 2, 2, fw2);
    printf("rotation: trusted key and root: generation-6 and directly signed releases "
           "installed; generation 5 refused below floor 6: revoked_key\n");
    fflush(stdout);
}
