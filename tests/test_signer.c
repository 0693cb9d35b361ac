/* SPDX-License-Identifier: MIT */
/* Signing backends other than tokens (keys/signer*.c): key files with their
 * own passphrase sources, and external signing commands (here openssl
 * pkeyutl, as a KMS or signing service would be called), whose every
 * answer is verified before it reaches a container. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixture.h"

static fixture fx;
static void setup(void)
{
    fx_init(&fx);
    uint8_t a[2000];
    fill_text(a, sizeof a, 4);
    free(fx_write(&fx, "a.bin", a, sizeof a));
    run_result r = run("cd '%s' && openssl genpkey -algorithm ed25519 -out kms.pem 2>/dev/null && "
                       "openssl genpkey -algorithm ed25519 -out other.pem 2>/dev/null && "
                       "%s keygen --import kms.pem -o kms --no-passphrase >/dev/null",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* openssl signs raw Ed25519 from a file only: a wrapper, as a KMS
     * client script would be. */
    static const char script[] = "#!/bin/sh\nt=$(mktemp)\ncat > \"$t\"\n"
                                 "openssl pkeyutl -sign -rawin -inkey \"$1\" -in \"$t\"\n"
                                 "rc=$?\nrm -f \"$t\"\nexit $rc\n";
    char *p = fx_write(&fx, "kms-sign", script, sizeof script - 1);
    chmod(p, 0755);
    free(p);
}
static void teardown(void) { fx_free(&fx); }
TestSuite(signer, .init = setup, .fini = teardown, .timeout = 60);

static run_result pack_with(const char *keys)
{
    return run("cd '%s' && rm -f s.fws && %s pack -o s.fws %s --version 1.0.0 --counter 1 "
               "--class test/class app=a.bin",
               fx.dir, FWSEAL_BIN, keys);
}

static void expect_nothing_written(void)
{
    char *p = fx_path(&fx, "s.fws");
    cr_assert(!file_exists(p), "s.fws was written");
    free(p);
}

Test(signer, two_key_files_with_their_own_passphrases)
{
    run_result r = run("cd '%s' && PA=alpha %s keygen --type ed25519 -o ka --passphrase-env PA && "
                       "printf 'beta\\n' > pb && chmod 600 pb && "
                       "%s keygen --type ed25519 -o kb --passphrase-file pb",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && PA=alpha %s pack -o s.fws --key ka.key:env=PA --key kb.key:file=pb "
            "--version 1.0.0 --counter 1 --class test/class app=a.bin",
            fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "s.fws", "--trust ka.pub --trust kb.pub --threshold 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* Each key's source is its own: the wrong one fails for that key. */
    r = run("cd '%s' && rm -f s.fws && PA=beta %s pack -o s.fws --key ka.key:env=PA "
            "--version 1.0.0 --counter 1 --class test/class app=a.bin", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "wrong passphrase"), "%s", r.err);
    run_free(&r);
    expect_nothing_written();
    r = pack_with("--key ka.key:env=");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "expected FILE:env=VARIABLE or FILE:file=PASSPHRASE_FILE"), "%s",
              r.err);
    run_free(&r);
    r = pack_with("--key ka.key:env=FWS_TEST_UNSET");
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "FWS_TEST_UNSET"), "%s", r.err);
    run_free(&r);
    /* The same key twice, by two routes, is refused. */
    r = run("cd '%s' && PA=alpha %s pack -o s.fws --key ka.key:env=PA --key ka.key:env=PA "
            "--version 1.0.0 --counter 1 --class test/class app=a.bin", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "the same signing key is given twice"), "%s", r.err);
    run_free(&r);
}

Test(signer, external_command)
{
    /* openssl pkeyutl writes the 64 raw bytes: as a KMS client would. */
    run_result r = pack_with("--sign-cmd './kms-sign kms.pem' "
                             "--sign-cmd-pub kms.pub --key sign1.key");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "s.fws", "--trust kms.pub --trust sign1.pub --threshold 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* 128 hex digits through a shell pipeline. */
    r = pack_with("--sign-cmd-shell --sign-cmd-pub kms.pub --sign-cmd "
                  "'./kms-sign kms.pem | od -An -v -tx1 | tr -d \" \\n\"'");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "s.fws", "--trust kms.pub");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);

    struct {
        const char *what, *opts, *msg;
        int status;
    } cases[] = {
        {"exits non-zero", "--sign-cmd 'sh -c \"cat >/dev/null; exit 7\"'",
         "exited with status 7", 3},
        {"prints 63 bytes", "--sign-cmd 'head -c 63 /dev/zero'", "printed 63 bytes", 3},
        {"a valid signature by another key",
         "--sign-cmd './kms-sign other.pem'",
         "returned a signature that does not verify", 3},
        {"not a program", "--sign-cmd /nonexistent/signer", "exited with status 127", 3},
        {"unterminated quote", "--sign-cmd \"'oops\"", "unterminated", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char opts[300];
        snprintf(opts, sizeof opts, "%s --sign-cmd-pub kms.pub", cases[i].opts);
        r = pack_with(opts);
        cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].what, r.status, r.err);
        cr_assert(strstr(r.err, cases[i].msg), "%s: %s", cases[i].what, r.err);
        run_free(&r);
        expect_nothing_written();
    }
    r = pack_with("--sign-cmd true");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "--sign-cmd-pub"), "%s", r.err);
    run_free(&r);
    r = pack_with("--sign-cmd true --sign-cmd-pub dev.pub");
    cr_assert_eq(r.status, 2, "%s", r.err);
    cr_assert(strstr(r.err, "needs an Ed25519 public key"), "%s", r.err);
    run_free(&r);
}
