/* SPDX-License-Identifier: MIT */
/* Signing keys in a PKCS#11 token (keys/pkcs11_token.c, keys/signer_pkcs11.c)
 * with a real SoftHSM2 token of the test's own, OpenSC's pkcs11-tool as an
 * independent client, and the RFC 7512 URI parser. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "hsm_fixture.h"
#include "pkcs11_uri.h"

static fixture fx;
static int have_hsm;
static void setup(void)
{
    fx_init(&fx);
    have_hsm = hsm_init(&fx);
    uint8_t a[3000];
    fill_text(a, sizeof a, 3);
    free(fx_write(&fx, "a.bin", a, sizeof a));
}
static void teardown(void) { fx_free(&fx); }
TestSuite(pkcs11, .init = setup, .fini = teardown, .timeout = 120);

/* pack -o OUT with the given signing options; the run's result. */
static run_result pack_with(const char *out, const char *keys)
{
    return run("cd '%s' && %s pack -o %s %s --version 1.0.0 --counter 1 --class test/class "
               "app=a.bin",
               fx.dir, FWSEAL_BIN, out, keys);
}

static void expect_no_file(const char *name)
{
    char *p = fx_path(&fx, name);
    cr_assert(!file_exists(p), "%s was written", name);
    free(p);
}

Test(pkcs11, keygen_in_the_token_pack_and_verify)
{
    if (!have_hsm)
        return;
    char *uri = hsm_uri(&fx, "fw-2026");
    run_result r = run("cd '%s' && %s keygen --type ed25519 --pkcs11 '%s' -o tok", fx.dir,
                       FWSEAL_BIN, uri);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "secret key: in the token"), "%s", r.out);
    run_free(&r);
    char *key = fx_path(&fx, "tok.key");
    cr_assert(!file_exists(key), "a secret key file was written");
    free(key);
    /* The same label again: refused, the first key untouched. */
    r = run("cd '%s' && %s keygen --type ed25519 --pkcs11 '%s' -o tok2", fx.dir, FWSEAL_BIN, uri);
    cr_assert_eq(r.status, 3, "%s", r.err);
    cr_assert(strstr(r.err, "already has a key with this label"), "%s", r.err);
    run_free(&r);
    /* The public key from the token (no PIN needed) in every format equals
     * the one keygen wrote. */
    const char *fmts[] = {"hex", "pem", "c", "pub"};
    for (int i = 0; i < 4; i++) {
        r = run("cd '%s' && %s pubkey 'pkcs11:token=release;object=fw-2026?module-path=%s' "
                "--format %s > a.%s && %s pubkey tok.pub --format %s > b.%s && cmp a.%s b.%s",
                fx.dir, FWSEAL_BIN, hsm_module(), fmts[i], fmts[i], FWSEAL_BIN, fmts[i], fmts[i],
                fmts[i], fmts[i]);
        cr_assert_eq(r.status, 0, "%s: %s", fmts[i], r.err);
        run_free(&r);
    }
    /* Signed by the token alone, and by the token and a file key (k = 2). */
    char *keys = path_fmt("--key '%s'", uri);
    r = pack_with("t1.fws", keys);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "t1.fws", "--trust tok.pub --trust sign1.pub");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(keys);
    keys = path_fmt("--key '%s' --key sign1.key", uri);
    r = pack_with("t2.fws", keys);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "t2.fws", "--trust tok.pub --trust sign1.pub --threshold 2");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run("cd '%s' && %s check t2.fws --trust tok.pub --trust sign1.pub --threshold 2 "
            "--class test/class", fx.dir, FWSV_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(keys);
    free(uri);
}

/* A key made the way an operator would, with OpenSC's pkcs11-tool. */
Test(pkcs11, a_key_made_with_pkcs11_tool)
{
    if (!have_hsm)
        return;
    run_result r = run("pkcs11-tool --module %s --token-label release --login --pin 1234 "
                       "--keypairgen --key-type EC:edwards25519 --label op-key --id 0a0b",
                       hsm_module());
    cr_assert_eq(r.status, 0, "pkcs11-tool: %s%s", r.out, r.err);
    run_free(&r);
    /* Named by its CKA_ID (percent-encoded) this time. */
    char *uri = path_fmt("pkcs11:token=release;id=%%0a%%0B?module-path=%s&pin-source=file:%s/pin",
                         hsm_module(), fx.dir);
    r = run("cd '%s' && %s pubkey '%s' --format pub -o op.pub && %s pubkey op.pub --format hex", fx.dir,
            FWSEAL_BIN, uri, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char *keys = path_fmt("--key '%s'", uri);
    r = pack_with("op.fws", keys);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "op.fws", "--trust op.pub");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    free(keys);
    free(uri);
}

Test(pkcs11, errors_are_clear_and_write_nothing)
{
    if (!have_hsm)
        return;
    char *uri = hsm_uri(&fx, "fw-2026");
    run_result r = run("cd '%s' && %s keygen --type ed25519 --pkcs11 '%s' -o tok && "
                       "printf 9999 > badpin && chmod 600 badpin && "
                       "pkcs11-tool --module %s --token-label release --login --pin 1234 "
                       "--keypairgen --key-type EC:prime256v1 --label p256 >/dev/null",
                       fx.dir, FWSEAL_BIN, uri, hsm_module());
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    const char *m = hsm_module();
    struct {
        const char *what, *key_fmt;
        int status;
        const char *msg;
    } cases[] = {
        {"wrong PIN", "pkcs11:token=release;object=fw-2026?module-path=%s&pin-source=file:badpin",
         3, "CKR_PIN_INCORRECT"},
        {"missing module",
         "pkcs11:token=release;object=fw-2026?module-path=/nonexistent/%s&pin-source=file:pin",
         3, "cannot load the PKCS#11 module"},
        {"not an Ed25519 key",
         "pkcs11:token=release;object=p256?module-path=%s&pin-source=file:pin", 3,
         "not an Ed25519 key"},
        {"no such object",
         "pkcs11:token=release;object=nothere?module-path=%s&pin-source=file:pin", 3,
         "no matching private key"},
        {"no such token",
         "pkcs11:token=nothere;object=fw-2026?module-path=%s&pin-source=file:pin", 3,
         "no token matches"},
        {"unknown attribute", "pkcs11:token=release;objekt=fw-2026?module-path=%s", 2,
         "unknown or repeated path attribute 'objekt'"},
        {"a PIN on the command line", "pkcs11:object=fw-2026?module-path=%s&pin-value=1234", 2,
         "pin-value is refused"},
        {"bad percent-encoding", "pkcs11:object=fw%%2?module-path=%s", 2,
         "bad percent-encoding"},
        {"no key named", "pkcs11:token=release?module-path=%s", 2,
         "name the key with object="},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *spec = path_fmt(cases[i].key_fmt, m);
        char *keys = path_fmt("--key '%s'", spec);
        r = pack_with("bad.fws", keys);
        cr_assert_eq(r.status, cases[i].status, "%s: %d %s", cases[i].what, r.status, r.err);
        cr_assert(strstr(r.err, cases[i].msg), "%s: %s", cases[i].what, r.err);
        run_free(&r);
        expect_no_file("bad.fws");
        free(spec);
        free(keys);
    }
    free(uri);
}

Test(pkcs11, uri_parser)
{
    fws_pkcs11_uri u;
    char err[200];
    cr_assert_eq(fws_pkcs11_uri_parse("pkcs11:token=My%20Token;object=fw;id=%01%ff;slot-id=3;"
                                      "x-vendor=1;library-manufacturer=X"
                                      "?module-name=softhsm2&pin-source=env:PIN",
                                      &u, err, sizeof err),
                 0, "%s", err);
    cr_assert_str_eq(u.token, "My Token");
    cr_assert_str_eq(u.object, "fw");
    cr_assert_eq(u.id_len, 2);
    cr_assert(u.id[0] == 0x01 && u.id[1] == 0xff);
    cr_assert(u.has_slot_id && u.slot_id == 3);
    cr_assert_str_eq(u.module_name, "softhsm2");
    cr_assert_str_eq(u.pin_source, "env:PIN");
    fws_pkcs11_uri_free(&u);
    const char *bad[] = {"pkcs12:object=x", "pkcs11:object", "pkcs11:object=a;object=b",
                         "pkcs11:object=a?pin-value=1", "pkcs11:object=%zz",
                         "pkcs11:object=a;slot-id=x", "pkcs11:token=t", "pkcs11:object=a%"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(fws_pkcs11_uri_parse(bad[i], &u, err, sizeof err), -1, "%s accepted", bad[i]);
        cr_assert(err[0], "%s: no reason", bad[i]);
    }
}
