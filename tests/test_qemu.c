/* SPDX-License-Identifier: MIT */
/* The bare-metal bootloader of examples/qemu-m4/ on QEMU mps2-an386
 * (Cortex-M4), built from the amalgamated verifier by
 * scripts/qemu-demo.sh: a good update installs and boots; every bad one is
 * refused with the verifier's reason and the previous image boots; a
 * damaged installed image does not boot at all.
 *
 * The expected reasons are fws_status_name()'s strings typed in here, and
 * the version that really runs is printed by the application itself
 * (compiled with its version, checking its own 16 KiB table), so a
 * bootloader that booted the wrong image, or a damaged one, fails.
 *
 * Needs qemu-system-arm and arm-none-eabi-gcc (`make test` installs
 * them); without them each test skips, saying so.
 *
 * The build (keys, containers, ELF files: a few seconds) is shared by the
 * tests through $BUILD/qemu-test: the first test to run builds it under an
 * exclusive lock, the others wait, then all run QEMU under a shared lock
 * (so a rebuild after a source change never pulls files from under a
 * running QEMU). */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "testutil.h"

#define OUT FWSEAL_BUILD "/qemu-test"
#define ENV "BUILD='" FWSEAL_BUILD "' OUT='" OUT "' FWSEAL='" FWSEAL_BIN "' QEMU_TIMEOUT=20 "

static int lock_fd = -1;

/* 1 if the cross compiler and QEMU are there. */
static int tools_available(void)
{
    run_result r = run("command -v qemu-system-arm && command -v arm-none-eabi-gcc");
    int ok = r.status == 0;
    run_free(&r);
    return ok;
}

static void setup(void)
{
    if (!tools_available())
        return; /* each test skips */
    lock_fd = open(FWSEAL_BUILD "/qemu-test.lock", O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    cr_assert(lock_fd >= 0, "cannot open the lock file in " FWSEAL_BUILD);
    cr_assert_eq(flock(lock_fd, LOCK_EX), 0);
    run_result r = run("cd '%s' && " ENV "sh scripts/qemu-demo.sh build", FWSEAL_SRC);
    cr_assert_eq(r.status, 0, "scripts/qemu-demo.sh build failed:\n%s%s", r.out, r.err);
    run_free(&r);
    cr_assert_eq(flock(lock_fd, LOCK_SH), 0); /* keep the build while QEMU runs */
}

static void teardown(void)
{
    if (lock_fd >= 0) {
        flock(lock_fd, LOCK_UN);
        close(lock_fd);
        lock_fd = -1;
    }
}

TestSuite(qemu, .init = setup, .fini = teardown, .timeout = 180);

#define SKIP_WITHOUT_TOOLS()                                                                   \
    do {                                                                                       \
        if (lock_fd < 0)                                                                       \
            cr_skip_test("qemu-system-arm or arm-none-eabi-gcc not installed "                 \
                         "(make deps-test installs them)");                                    \
    } while (0)

static run_result scenario(const char *name)
{
    return run("cd '%s' && " ENV "NO_BUILD=1 sh scripts/qemu-demo.sh run %s", FWSEAL_SRC, name);
}

static void assert_has(const run_result *r, const char *what)
{
    cr_assert(strstr(r->out, what), "expected \"%s\" in the output:\n%s%s", what, r->out, r->err);
}

static void assert_lacks(const run_result *r, const char *what)
{
    cr_assert(!strstr(r->out, what), "unexpected \"%s\" in the output:\n%s", what, r->out);
}

/* A refused update: the reason, then the factory image (1.0.0) boots and
 * runs, and nothing else does. */
static void assert_refused_previous_boots(const run_result *r, const char *reason)
{
    char line[128];
    cr_assert_eq(r->status, 0, "QEMU status %d:\n%s%s", r->status, r->out, r->err);
    snprintf(line, sizeof line, "  refused: %s\n", reason);
    assert_has(r, line);
    assert_has(r, "booting previous image: version 1.0.0 (counter 2)");
    assert_has(r, "\napp: version 1.0.0\n");
    assert_has(r, "table ok\n");
    assert_lacks(r, "app: version 1.1.0");
    assert_lacks(r, "app: version 0.9.0");
    assert_lacks(r, "booting new image");
}

static void refused_case(const char *name, const char *reason)
{
    SKIP_WITHOUT_TOOLS();
    run_result r = scenario(name);
    assert_refused_previous_boots(&r, reason);
    run_free(&r);
}

Test(qemu, good_update_installs_and_boots)
{
    SKIP_WITHOUT_TOOLS();
    run_result r = scenario("good");
    cr_assert_eq(r.status, 0, "QEMU status %d:\n%s%s", r.status, r.out, r.err);
    assert_has(&r, "timer: SysTick, 1 tick = 40 instructions (calibrated)");
    assert_has(&r, "verified update: version 1.1.0 (counter 3)");
    assert_has(&r, "booting new image: version 1.1.0 (counter 3)");
    assert_has(&r, "\napp: version 1.1.0\n");
    assert_has(&r, "app: vector table at 0x00100000");
    assert_has(&r, "table ok\n");
    assert_lacks(&r, "app: version 1.0.0");
    assert_lacks(&r, "refused");
    /* Each step reports its instruction count. */
    static const char *steps[] = {
        "verify header+manifest+signatures:", "install (key unwrap, decrypt+inflate+write):",
        "commit (copy to the slot, store the boot record):",
        "boot check in place (signatures, policy, SHA-256 of the slot):"};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        const char *p = strstr(r.out, steps[i]);
        cr_assert(p, "no step \"%s\":\n%s", steps[i], r.out);
        const char *eol = strchr(p, '\n');
        cr_assert(eol && eol - p > 13 && !strncmp(eol - 13, " instructions", 13),
                  "step without an instruction count: %.*s", (int)(eol ? eol - p : 40), p);
    }
    run_free(&r);
}

Test(qemu, tampered_payload_refused)
{
    refused_case("tampered", "chunk_hash_mismatch");
}

Test(qemu, untrusted_key_refused)
{
    refused_case("untrusted", "untrusted");
}

Test(qemu, rollback_below_floor_refused)
{
    refused_case("rollback", "rollback");
}

Test(qemu, other_class_refused)
{
    refused_case("wrong-class", "wrong_class");
}

Test(qemu, larger_window_refused)
{
    refused_case("window", "window_above_device_limit");
}

Test(qemu, other_device_refused)
{
    refused_case("other-device", "no_capsule");
}

/* Key rotation on the device: the bootloader compiles in a root key and a
 * key-generation floor of 4 (scripts/qemu-demo.sh); a release signed by a
 * key the root certified with generation 5 installs and boots, checked at
 * boot from the stored record, which keeps the certificate. */
Test(qemu, root_certified_key_installs_and_boots)
{
    SKIP_WITHOUT_TOOLS();
    run_result r = scenario("delegated");
    cr_assert_eq(r.status, 0, "QEMU status %d:\n%s%s", r.status, r.out, r.err);
    assert_has(&r, ", root key ");
    assert_has(&r, "key-generation floor 4\n");
    assert_has(&r, "verified update: version 1.1.0 (counter 3)");
    assert_has(&r, "booting new image: version 1.1.0 (counter 3)");
    assert_has(&r, "\napp: version 1.1.0\n");
    assert_lacks(&r, "refused");
    run_free(&r);
}

/* The same root certified generation 3, below the floor: refused as a
 * revoked key, the factory image boots. */
Test(qemu, key_below_generation_floor_refused)
{
    refused_case("revoked", "revoked_key");
}

Test(qemu, no_update_boots_installed_image)
{
    SKIP_WITHOUT_TOOLS();
    run_result r = scenario("none");
    cr_assert_eq(r.status, 0, "QEMU status %d:\n%s%s", r.status, r.out, r.err);
    assert_has(&r, "no update staged\n");
    assert_has(&r, "booting image: version 1.0.0 (counter 2)");
    assert_has(&r, "\napp: version 1.0.0\n");
    run_free(&r);
}

Test(qemu, damaged_slot_does_not_boot)
{
    SKIP_WITHOUT_TOOLS();
    run_result r = scenario("bad-slot");
    cr_assert_eq(r.status, 1, "QEMU status %d (want the bootloader's 1):\n%s%s", r.status, r.out,
                 r.err);
    assert_has(&r, "boot check failed: digest_mismatch\n");
    assert_has(&r, "no image to boot: halting\n");
    assert_lacks(&r, "app:");
    run_free(&r);
}

/* Containers changed here, not by the script: the good one with a
 * manifest byte flipped (the counter: 3 -> 2, still above the floor, so
 * only the signature can catch it), cut short, and with a byte appended. */
static void staged_variant(const char *what, const char *reason)
{
    SKIP_WITHOUT_TOOLS();
    size_t len;
    uint8_t *c = file_read(OUT "/containers/good.fws", &len);
    cr_assert(c && len > 200);
    /* Header 16 bytes; manifest: VERSION (4 + 10), then COUNTER's tag and
     * length (4): the counter's low byte is at 16 + 14 + 4. */
    cr_assert_eq(c[16 + 14], 0x02, "COUNTER tag not where SPEC.md puts it");
    cr_assert_eq(c[16 + 14 + 4], 3, "counter");
    size_t out_len = len;
    uint8_t *m = malloc(len + 1);
    memcpy(m, c, len);
    if (!strcmp(what, "manifest"))
        m[16 + 14 + 4] ^= 1;
    else if (!strcmp(what, "truncated"))
        out_len = len - 10;
    else
        m[out_len++] = 0;
    char *dir = tmpdir_new();
    char *path = path_fmt("%s/variant.fws", dir);
    file_write(path, m, out_len);
    run_result r = run("cd '%s' && " ENV "NO_BUILD=1 sh scripts/qemu-demo.sh stage '%s'",
                       FWSEAL_SRC, path);
    assert_refused_previous_boots(&r, reason);
    run_free(&r);
    tmpdir_remove(dir);
    free(dir);
    free(path);
    free(m);
    free(c);
}

Test(qemu, manifest_byte_flipped_refused)
{
    staged_variant("manifest", "untrusted");
}

Test(qemu, truncated_refused)
{
    staged_variant("truncated", "truncated");
}

Test(qemu, trailing_byte_refused)
{
    staged_variant("trailing", "trailing_bytes");
}
