/* SPDX-License-Identifier: MIT */
/*
 * `fwseal device-config` and `fwseal class-id`: the generated header is
 * compiled with the verifier into a small device whose decisions on real
 * containers are checked (the policy it builds is the one the options
 * said), and every refused option combination has its status and message.
 */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "keyfile.h"

static fixture fx;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    fx_init(&fx);
}
static void teardown(void)
{
    fx_free(&fx);
}
TestSuite(device_config, .init = setup, .fini = teardown, .timeout = 120);

#define fws(...) fx_fwseal(&fx, __VA_ARGS__)
#define fws_ok(...) fx_fwseal_ok(&fx, __VA_ARGS__)

/* The device: the verifier's sources, the generated header, and a main
 * that installs the container named on its command line with the policy
 * FWS_DEVICE_POLICY_FIELDS builds, printing the status name. */
static const char device_c[] =
    "#include <stdio.h>\n"
    "#include \"fws_verify.h\"\n"
    "#include \"fws_device_config.h\"\n"
    "#ifdef SECRET\n#include \"secret.h\"\n#endif\n"
    "static const fws_policy policy = {\n"
    "    FWS_DEVICE_POLICY_FIELDS,\n"
    "#ifdef SECRET\n    .SECRET = SECRET_NAME,\n#endif\n"
    "    .counter_floor = 1,\n"
    "};\n"
    "static uint8_t work[FWS_WORK_SIZE(FWS_DEVICE_MAX_CHUNK, FWS_DEVICE_MAX_WBITS)];\n"
    "int main(int argc, char **argv) {\n"
    "    static uint8_t buf[700];\n"
    "    fws_install_ctx ctx;\n"
    "    fws_sink sink = {0, 0};\n"
    "    size_t n;\n"
    "    FILE *f = argc == 2 ? fopen(argv[1], \"rb\") : NULL;\n"
    "    int rc = fws_install_init(&ctx, &policy, &sink, work, sizeof work);\n"
    "    if (!f) return 3;\n"
    "    while (rc == FWS_OK && (n = fread(buf, 1, sizeof buf, f)) > 0)\n"
    "        rc = fws_install_push(&ctx, buf, n);\n"
    "    if (rc == FWS_OK) rc = fws_install_finish(&ctx, 0);\n"
    "    printf(\"%s\", fws_status_name(rc));\n"
    "    return rc == FWS_OK ? 0 : 1;\n"
    "}\n";

/* Builds DIR/NAME from the header HEADER (and the secret header with
 * field FIELD = IDENT when field is not NULL), against DIR/verifier.a. */
static void build_device(const char *name, const char *header, const char *field,
                         const char *ident)
{
    char defs[256] = "";
    if (field)
        snprintf(defs, sizeof defs, "-DSECRET=%s -DSECRET_NAME=%s", field, ident);
    run_result r = run("cd '%s' && mkdir -p '%s.d' && cp '%s' '%s.d/fws_device_config.h' && "
                       "{ [ -z '%s' ] || cp secret-%s.h '%s.d/secret.h'; } && "
                       "cc -std=c99 -Wall -Wextra -Werror %s -I'%s.d' -I'%s/verifier' "
                       "-I'%s/format' -o '%s' device.c verifier.a",
                       fx.dir, name, header, name, defs, name, name, defs, name, FWSEAL_SRC,
                       FWSEAL_SRC, name);
    cr_assert_eq(r.status, 0, "building %s: %s%s", name, r.out, r.err);
    run_free(&r);
}

/* Runs DIR/DEVICE on CONTAINER: the status name it printed. */
static void expect(const char *device, const char *container, const char *status)
{
    run_result r = run("cd '%s' && './%s' '%s'", fx.dir, device, container);
    cr_assert_str_eq(r.out, status, "%s on %s: %s (want %s)", device, container, r.out, status);
    cr_assert_eq(r.status, strcmp(status, "ok") ? 1 : 0);
    run_free(&r);
}

static void pack(const char *out, const char *args)
{
    run_result r = run("cd '%s' && %s pack -o %s --version 1.0.0 --counter 1 %s", fx.dir,
                       FWSEAL_BIN, out, args);
    cr_assert_eq(r.status, 0, "pack %s: %s", out, r.err);
    run_free(&r);
}

Test(device_config, the_header_builds_the_policy_the_options_say)
{
    uint8_t fw[20000];
    fill_text(fw, sizeof fw, 7);
    free(fx_write(&fx, "fw.bin", fw, sizeof fw));
    free(fx_write(&fx, "device.c", device_c, sizeof device_c - 1));
    run_result r = run("cd '%s' && for f in '%s'/verifier/*.c '%s'/format/*.c; do "
                       "cc -std=c99 -O1 -I'%s/verifier' -I'%s/format' -c \"$f\" -o "
                       "\"$(basename \"$f\" .c).o\" || exit 1; done && ar rcs verifier.a *.o",
                       fx.dir, FWSEAL_SRC, FWSEAL_SRC, FWSEAL_SRC, FWSEAL_SRC);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);

    /* 1. Two trusted keys, threshold 1, a class, small limits, an X25519 device. */
    fws_ok("device-config --trust sign1.pub --trust sign2.pub --class test/class "
           "--max-chunk 1024 --max-window-bits 12 --max-size 30000 --device-key dev.pub -o a.h");
    fws_ok("secret dev.key --format c -o secret-a.h 2>/dev/null");
    build_device("a", "a.h", "x25519_secret", "fws_device_x25519_secret");
    const char *base = "--class test/class --chunk-size 1024 --window-bits 12";
    char args[512];
    snprintf(args, sizeof args, "--key sign2.key %s -e dev.pub app=fw.bin", base);
    pack("good.fws", args);
    expect("a", "good.fws", "ok");
    snprintf(args, sizeof args, "--key sign3.key %s -e dev.pub app=fw.bin", base);
    pack("untrusted.fws", args);
    expect("a", "untrusted.fws", "untrusted");
    pack("class.fws", "--key sign1.key --class other --chunk-size 1024 --window-bits 12 "
                      "-e dev.pub app=fw.bin");
    expect("a", "class.fws", "wrong_class");
    pack("window.fws", "--key sign1.key --class test/class --chunk-size 1024 -e dev.pub "
                       "app=fw.bin");
    expect("a", "window.fws", "window_above_device_limit");
    pack("chunk.fws", "--key sign1.key --class test/class --chunk-size 2048 --window-bits 12 "
                      "-e dev.pub app=fw.bin");
    expect("a", "chunk.fws", "chunk_above_device_limit");
    snprintf(args, sizeof args, "--key sign1.key %s -e dev.pub --pad-to 32768 app=fw.bin", base);
    pack("size.fws", args);
    expect("a", "size.fws", "size_above_device_limit");
    snprintf(args, sizeof args, "--key sign1.key %s -e dev2.pub app=fw.bin", base);
    pack("other.fws", args);
    expect("a", "other.fws", "no_capsule");

    /* 2. Every class, threshold 2 of two keys, root keys, a PSK device. */
    fws_ok("device-config --trust sign1.pub --trust sign2.pub --threshold 2 "
           "--trust-root sign3.pub --any-class --device-key psk.key -o b.h");
    fws_ok("secret psk.key --format c -o secret-b.h 2>/dev/null");
    build_device("b", "b.h", "psk", "fws_device_psk");
    pack("two.fws", "--key sign1.key --key sign2.key --class another/class -e psk.key "
                    "app=fw.bin");
    expect("b", "two.fws", "ok");
    pack("one.fws", "--key sign1.key --class another/class -e psk.key app=fw.bin");
    expect("b", "one.fws", "threshold");

    /* 3. No device key: unencrypted containers only. */
    fws_ok("device-config --trust sign1.pub --class test/class -o c.h");
    build_device("c", "c.h", NULL, NULL);
    pack("plain.fws", "--key sign1.key --class test/class app=fw.bin");
    expect("c", "plain.fws", "ok");
    pack("encrypted.fws", "--key sign1.key --class test/class -e dev.pub app=fw.bin");
    expect("c", "encrypted.fws", "no_device_key");
}

Test(device_config, header_layout)
{
    fws_key sign1;
    char *p = fx_path(&fx, "sign1.pub");
    cr_assert_eq(fws_key_load_public(p, &sign1), 0);
    free(p);
    run_result r = fws("device-config --trust sign1.pub --class 'a*/b\"c' --max-size 4096");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char line[64];
    snprintf(line, sizeof line, "        0x%02x, 0x%02x,", sign1.pub[0], sign1.pub[1]);
    cr_assert(strstr(r.out, "#define FWS_DEVICE_N_TRUSTED 1\n") &&
                  strstr(r.out, "#define FWS_DEVICE_THRESHOLD 1\n") &&
                  strstr(r.out, "#define FWS_DEVICE_N_ROOTS 0\n") &&
                  strstr(r.out, "#define FWS_DEVICE_MAX_CHUNK 4096u\n") &&
                  strstr(r.out, "#define FWS_DEVICE_MAX_WBITS 15u\n") &&
                  strstr(r.out, "#define FWS_DEVICE_MAX_SIZE UINT64_C(4096)\n") &&
                  strstr(r.out, "static const uint8_t fws_device_trusted[1][32] = {\n") &&
                  strstr(r.out, line) && strstr(r.out, ".roots = 0, \\\n") &&
                  strstr(r.out, "#define FWS_DEVICE_POLICY_INIT { FWS_DEVICE_POLICY_FIELDS }"),
              "%s", r.out);
    /* a class name cannot end the comment it is quoted in */
    cr_assert(strstr(r.out, "/* class \"a*\\057b\\\"c\" (format/SPEC.md section 7) */"), "%s",
              r.out);
    cr_assert(!strstr(r.out, "x25519_public"), "%s", r.out);
    run_free(&r);
}

Test(device_config, refusals)
{
    static const fx_refusal cases[] = {
        {2, "no --trust or --trust-root key", "--class c"},
        {2, "missing --class CLASS (or --any-class", "--trust sign1.pub"},
        {2, "give --class or --any-class, not both", "--trust sign1.pub --class c --any-class"},
        {2, "--class must not be empty", "--trust sign1.pub --class ''"},
        {2, "--threshold 2 is more than the 1", "--trust sign1.pub --threshold 2 --class c"},
        {2, "--threshold '5': expected 1..4", "--trust sign1.pub --threshold 5 --class c"},
        {2, "--root-threshold needs --trust-root keys",
         "--trust sign1.pub --root-threshold 1 --class c"},
        {2, "--root-threshold 2: expected 1..1",
         "--trust-root sign1.pub --root-threshold 2 --class c"},
        {2, "expected 0 or 9..15", "--trust sign1.pub --class c --max-window-bits 8"},
        {2, "expected 0..15", "--trust sign1.pub --class c --max-window-bits 16"},
        {2, "--max-chunk '255': expected 256..", "--trust sign1.pub --class c --max-chunk 255"},
        {2, "--max-size '0': expected 1..", "--trust sign1.pub --class c --max-size 0"},
        {2, "dev.pub: --trust needs an Ed25519 public key", "--trust dev.pub --class c"},
        {2, "psk.key: --trust-root needs an Ed25519", "--trust-root psk.key --class c"},
        {2, "the same key is given twice", "--trust sign1.pub --trust sign1.key --class c"},
        {2, "--device-key needs the device's X25519 key or PSK",
         "--trust sign1.pub --class c --device-key sign2.pub"},
        {3, "missing.pub", "--trust sign1.pub --class c --device-key missing.pub"},
        {3, "missing.pub", "--trust missing.pub --class c"},
        {2, "unexpected argument 'extra'", "--trust sign1.pub --class c extra"},
        {2, "-o: empty file name", "--trust sign1.pub --class c -o ''"},
        {3, "sign1.pub", "--trust sign1.pub --class c -o sign1.pub"},
        {2, "at most 8 --trust keys",
         "--trust sign1.pub --trust sign1.pub --trust sign1.pub --trust sign1.pub --trust "
         "sign1.pub --trust sign1.pub --trust sign1.pub --trust sign1.pub --trust sign1.pub "
         "--class c"},
        {2, "at most 4 --trust-root keys",
         "--trust-root sign1.pub --trust-root sign1.pub --trust-root sign1.pub --trust-root "
         "sign1.pub --trust-root sign1.pub --class c"},
    };
    fx_fwseal_refusals(&fx, "device-config", cases, sizeof cases / sizeof cases[0]);
}


Test(device_config, class_id)
{
    static const char *names[] = {"acme.example/thermostat-v2", "Ä", "x y",
                                  "00112233445566778899AABBCCDDEEFF"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        uint8_t id[16], h[32];
        char hex[33];
        crypto_hash_sha256_state st;
        if (strlen(names[i]) == 32) {
            sodium_hex2bin(id, sizeof id, names[i], 32, NULL, NULL, NULL);
        } else {
            crypto_hash_sha256_init(&st);
            crypto_hash_sha256_update(&st, (const uint8_t *)"fwseal-v1 class-id", 18);
            crypto_hash_sha256_update(&st, (const uint8_t *)names[i], strlen(names[i]));
            crypto_hash_sha256_final(&st, h);
            memcpy(id, h, 16);
        }
        sodium_bin2hex(hex, sizeof hex, id, 16);
        run_result r = fws("class-id '%s'", names[i]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_assert_eq(strlen(r.out), 33);
        cr_assert(!strncmp(r.out, hex, 32), "%s: %s, want %s", names[i], r.out, hex);
        run_free(&r);
        r = fws("class-id '%s' --format c --name cls", names[i]);
        cr_assert_eq(r.status, 0, "%s", r.err);
        char first[32];
        snprintf(first, sizeof first, "    0x%02x, 0x%02x,", id[0], id[1]);
        cr_assert(strstr(r.out, "static const uint8_t cls[16] = {\n") && strstr(r.out, first),
                  "%s", r.out);
        run_free(&r);
    }
    static const struct {
        const char *args, *message;
    } bad[] = {
        {"class-id", "missing the class STRING"},
        {"class-id a b", "one class STRING only"},
        {"class-id ''", "must not be empty"},
        {"class-id a --format pem", "--format: 'pem' is not c or hex"},
        {"class-id a --name x", "--name applies to --format c only"},
        {"class-id a --format c --name 9", "--name: '9' is not a C identifier"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        fx_fwseal_fails(&fx, 2, bad[i].message, "%s", bad[i].args);
}

