/* SPDX-License-Identifier: MIT */
/*
 * `fwseal rewrap` and `fwseal assemble`: new capsules without the signing
 * key, the signed region and the payload untouched byte for byte; the
 * fleet directory of a registry, whose head || capsule || payload every
 * selected device (and no other) installs with the verifier; and every
 * refusal with its status and message.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "fws_verify.h"
#include "keyfile.h"

static fixture fx;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    fx_init(&fx);
    run_result r = run("cd '%s' && %s keygen --type x25519 -o dist --no-passphrase >/dev/null",
                       fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    uint8_t fw[9000];
    fill_text(fw, sizeof fw, 5);
    free(fx_write(&fx, "fw.bin", fw, sizeof fw));
}
static void teardown(void)
{
    fx_free(&fx);
}
#define fws(...) fx_fwseal(&fx, __VA_ARGS__)
#define fws_ok(...) fx_fwseal_ok(&fx, __VA_ARGS__)
#define fws_fails(status, want, ...) fx_fwseal_fails(&fx, status, want, __VA_ARGS__)

TestSuite(rewrap, .init = setup, .fini = teardown, .timeout = 240);




static uint8_t *read_fx(const char *name, size_t *len)
{
    char *p = fx_path(&fx, name);
    uint8_t *b = file_read(p, len);
    cr_assert(b, "%s missing", name);
    free(p);
    return b;
}

/* `fwseal verify` of NAME with KEY: 0 accepted, else the status. */
static int verify(const char *name, const char *key)
{
    run_result r = fws("verify %s --trust sign1.pub --class test/class --key %s --require-full",
                       name, key);
    int status = r.status;
    run_free(&r);
    return status;
}

/* Offsets of the capsule block and the payload in a container. */
typedef struct {
    size_t caps, payload;
} layout;

static layout layout_of(const uint8_t *c, size_t len)
{
    layout l;
    size_t p = FWS_HEADER_LEN + (c[8] | c[9] << 8 | (size_t)c[10] << 16 | (size_t)c[11] << 24);
    int n = c[p++];
    for (int i = 0; i < n; i++)
        p += FWS_ENTRY_HEAD_LEN + (c[p + 1] | c[p + 2] << 8);
    l.caps = p;
    n = c[p++];
    for (int i = 0; i < n; i++)
        p += FWS_ENTRY_HEAD_LEN + (c[p + 1] | c[p + 2] << 8);
    l.payload = p;
    cr_assert(p <= len);
    return l;
}

Test(rewrap, one_container_for_new_recipients)
{
    size_t in_len, out_len;
    fws_ok("pack -o in.fws --key sign1.key --version 1.0.0 --counter 1 --class test/class "
           "-e dist.pub -e dev2.pub app=fw.bin");
    fws_ok("rewrap in.fws --key dist.key --trust sign1.pub -e dev.pub -e psk.key -e dev2.pub "
           "-o out.fws");
    uint8_t *in = read_fx("in.fws", &in_len), *out = read_fx("out.fws", &out_len);
    layout li = layout_of(in, in_len), lo = layout_of(out, out_len);
    /* the signed region, the signatures and the payload are the original's */
    cr_assert_eq(li.caps, lo.caps);
    cr_assert(!memcmp(in, out, li.caps));
    cr_assert_eq(in_len - li.payload, out_len - lo.payload);
    cr_assert(!memcmp(in + li.payload, out + lo.payload, in_len - li.payload));
    /* dev2 (kept from the original, not added twice), dev, psk; no dist */
    cr_assert_eq(out[lo.caps], 3, "%d capsules", out[lo.caps]);
    cr_assert_eq(verify("out.fws", "dev.key"), 0);
    cr_assert_eq(verify("out.fws", "psk.key"), 0);
    cr_assert_eq(verify("out.fws", "dev2.key"), 0);
    cr_assert_eq(verify("out.fws", "dist.key"), 1);
    free(in);
    free(out);
    /* kept on request; the re-wrapped container is re-wrapped again */
    fws_ok("rewrap in.fws --key dist.key -e dev.pub -o keep.fws --keep-distribution-capsule");
    cr_assert_eq(verify("keep.fws", "dist.key"), 0);
    fws_ok("rewrap out.fws --key psk.key -e psk2.key -o again.fws");
    cr_assert_eq(verify("again.fws", "psk2.key"), 0);
    /* never over an existing file without --force */
    fws_fails(3, "out.fws", "rewrap in.fws --key dist.key -e dev.pub -o out.fws");
    fws_ok("rewrap in.fws --key dist.key -e dev.pub -o out.fws --force");
    cr_assert_eq(verify("out.fws", "dev.key"), 0);
}

Test(rewrap, refusals)
{
    fws_ok("pack -o in.fws --key sign1.key --version 1.0.0 --counter 1 --class test/class "
           "-e dist.pub app=fw.bin");
    fws_ok("pack -o plain.fws --key sign1.key --version 1.0.0 --counter 1 --class test/class "
           "app=fw.bin");
    size_t len;
    uint8_t *c = read_fx("in.fws", &len);
    layout l = layout_of(c, len);
    /* one bit of the dist capsule's wrapped key */
    c[l.payload - 1] ^= 1;
    free(fx_write(&fx, "badcap.fws", c, len));
    c[l.payload - 1] ^= 1;
    /* one bit of the last chunk */
    c[len - 1] ^= 1;
    free(fx_write(&fx, "badpayload.fws", c, len));
    c[len - 1] ^= 1;
    free(fx_write(&fx, "short.fws", c, len - 10));
    free(c);
    static const fx_refusal cases[] = {
        {1, "plain.fws: not encrypted: there is no content key to re-wrap",
         "plain.fws --key dist.key -e dev.pub -o o.fws"},
        {1, "in.fws: no capsule for the distribution key",
         "in.fws --key dev2.key -e dev.pub -o o.fws"},
        {1, "badcap.fws: the capsule for the distribution key",
         "badcap.fws --key dist.key -e dev.pub -o o.fws"},
        {1, "in.fws: rejected: ", "in.fws --key dist.key --trust sign2.pub -e dev.pub " "-o o.fws"},
        {1, "refusing to re-wrap a container that does not verify",
         "badpayload.fws --key dist.key --trust sign1.pub -e dev.pub -o o.fws"},
        {1, "badpayload.fws: rejected: chunk",
         "badpayload.fws --key dist.key -e dev.pub -o o.fws"},
        {1, "short.fws: ", "short.fws --key dist.key -e dev.pub -o o.fws"},
        {1, "in.fws: rejected: the container is for another class than other/class",
         "in.fws --key dist.key --class other/class -e dev.pub -o o.fws"},
        {3, "missing.fws", "missing.fws --key dist.key -e dev.pub -o o.fws"},
        {3, "nokey.key", "in.fws --key nokey.key -e dev.pub -o o.fws"},
        {2, "--key needs the device's X25519 secret key or a PSK",
         "in.fws --key dist.pub -e dev.pub -o o.fws"},
        {2, "--key needs the device's X25519 secret key or a PSK",
         "in.fws --key sign1.key -e dev.pub -o o.fws"},
        {2, "sign2.pub: --encrypt-to needs an X25519 public key",
         "in.fws --key dist.key -e sign2.pub -o o.fws"},
        {2, "missing --key DIST.key", "in.fws -e dev.pub -o o.fws"},
        {2, "give --encrypt-to DEV.pub and -o OUT.fws", "in.fws --key dist.key -e dev.pub"},
        {2, "give --encrypt-to DEV.pub and -o OUT.fws", "in.fws --key dist.key -o o.fws"},
        {2, "do not mix",
         "in.fws --key dist.key -e dev.pub -o o.fws --registry r.db --out-dir d"},
        {2, "needs --registry FILE and --out-dir DIR", "in.fws --key dist.key --out-dir d"},
        {2, "--threshold, --min-counter and --any-class need --trust",
         "in.fws --key dist.key --threshold 2 -e dev.pub -o o.fws"},
        {2, "must be a file, not standard input", "- --key dist.key -e dev.pub -o o.fws"},
        {2, "missing IN.fws", "--key dist.key -e dev.pub -o o.fws"},
        {2, "--shard '3/3': expected I/N with 0 <= I < N",
         "in.fws --key dist.key --registry r.db --out-dir d --shard 3/3"},
        {2, "--shard 'x': expected I/N",
         "in.fws --key dist.key --registry r.db --out-dir d --shard x"},
    };
    fx_fwseal_refusals(&fx, "rewrap", cases, sizeof cases / sizeof cases[0]);
    cr_assert(!file_exists(fx_path(&fx, "o.fws")), "o.fws written");
    /* at most 32 capsules in a container */
    char args[4096] = "rewrap in.fws --key dist.key -o o.fws";
    for (int i = 0; i < 33; i++) {
        char name[32];
        snprintf(name, sizeof name, "k%d", i);
        run_result r = fws("keygen --type x25519 -o %s --no-passphrase", name);
        run_free(&r);
        size_t n = strlen(args);
        snprintf(args + n, sizeof args - n, " -e %s.pub", name);
    }
    fws_fails(2, "at most 32 --encrypt-to recipients", "%s", args);
    char *cut = strstr(args, " -e k32.pub");
    *cut = 0;
    fws_ok("%s", args);
    cr_assert_eq(verify("o.fws", "k31.key"), 0);
    fws_ok("rewrap in.fws --key dist.key --keep-distribution-capsule -e dev.pub -o o2.fws");
    fws_fails(1, "more than 32 capsules", "rewrap o2.fws --key dist.key "
                                          "--keep-distribution-capsule -e k0.pub -e k1.pub "
                                          "-e k2.pub -e k3.pub -e k4.pub -e k5.pub -e k6.pub "
                                          "-e k7.pub -e k8.pub -e k9.pub -e k10.pub -e k11.pub "
                                          "-e k12.pub -e k13.pub -e k14.pub -e k15.pub "
                                          "-e k16.pub -e k17.pub -e k18.pub -e k19.pub "
                                          "-e k20.pub -e k21.pub -e k22.pub -e k23.pub "
                                          "-e k24.pub -e k25.pub -e k26.pub -e k27.pub "
                                          "-e k28.pub -e k29.pub -e k30.pub -o o3.fws");
    cr_assert(!file_exists(fx_path(&fx, "o3.fws")));
    /* a small-order X25519 public key (zero): a bad key file, named */
    fws_key small = {.type = FWS_KEY_X25519};
    char text[FWS_KEYFILE_TEXT_MAX];
    size_t text_len;
    fws_key_compute_id(FWS_KEY_X25519, small.pub, small.id);
    cr_assert_eq(
        fws_keyfile_encode(&small, 0, NULL, NULL, 0, FWS_KDF_INTERACTIVE, text, &text_len), 0);
    free(fx_write(&fx, "small.pub", text, text_len));
    fws_fails(3, "small.pub", "rewrap in.fws --key dist.key -e small.pub -o o4.fws");
    cr_assert(!file_exists(fx_path(&fx, "o4.fws")));
}

/* Names in DIR/capsules, sorted, one per line. */
static char *capsule_names(const char *dir)
{
    run_result r = run("cd '%s' && ls '%s/capsules' | sort", fx.dir, dir);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *out = strdup(r.out);
    run_free(&r);
    return out;
}

Test(rewrap, fleet_directory)
{
    fws_ok("lot create a --quota 10 --registry fleet.db");
    fws_ok("lot create b --quota 10 --registry fleet.db");
    run_result r = fws("device new --registry fleet.db --class test/class --lot a --count 4 "
                       "--out-dir fa --no-config");
    cr_assert_eq(r.status, 0, "%s", r.err);
    char a[4][17];
    cr_assert_eq(sscanf(r.out, "%16s %16s %16s %16s", a[0], a[1], a[2], a[3]), 4);
    run_free(&r);
    r = fws("device new --registry fleet.db --class test/class --lot b --count 2 --out-dir fb "
            "--no-config");
    char b[2][17];
    cr_assert_eq(sscanf(r.out, "%16s %16s", b[0], b[1]), 2);
    run_free(&r);
    fws_ok("device new --registry fleet.db --class other/class --lot b --out-dir fo --no-config");
    /* a PSK device: its id only, no capsule can be made */
    fws_ok("keygen --type psk -o p9 --no-passphrase >id.txt && printf 'type,key\\npsk,%%s\\n' "
           "\"$(sed -n 's/^key id: *//p' id.txt)\" > psk.csv && %s device import "
           "--registry fleet.db --class test/class --lot b psk.csv", FWSEAL_BIN);
    fws_ok("device retire --registry fleet.db %s", a[1]);
    fws_ok("device compromise --registry fleet.db %s", a[2]);
    fws_ok("pack -o in.fws --key sign1.key --version 1.0.0 --counter 1 --class test/class "
           "--chunk-size 1024 -e dist.pub app=fw.bin");
    r = fws("rewrap in.fws --key dist.key --trust sign1.pub --registry fleet.db --out-dir out");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "out: head ") && strstr(r.out, "4 capsules\n"), "%s", r.out);
    cr_assert(strstr(r.out, "out: no capsule for 1 retired, 1 compromised and 1 PSK device "),
              "%s", r.out);
    run_free(&r);
    /* the active X25519 devices of the class: a0, a3, b0, b1 */
    const char *ids[4] = {a[0], a[3], b[0], b[1]};
    char *names = capsule_names("out");
    for (int i = 0; i < 4; i++)
        cr_assert(strstr(names, ids[i]), "%s missing from %s", ids[i], names);
    cr_assert_eq(strlen(names), 4 * 17, "%s", names);
    cr_assert(!strstr(names, a[1]) && !strstr(names, a[2]), "%s", names);
    free(names);
    /* the byte ranges: head and payload are the original's */
    size_t in_len, h_len, p_len, c_len;
    uint8_t *in = read_fx("in.fws", &in_len), *h = read_fx("out/head", &h_len),
            *p = read_fx("out/payload", &p_len);
    layout l = layout_of(in, in_len);
    cr_assert_eq(h_len, l.caps);
    cr_assert(!memcmp(in, h, h_len));
    cr_assert_eq(p_len, in_len - l.payload);
    cr_assert(!memcmp(in + l.payload, p, p_len));
    char cap_name[64];
    snprintf(cap_name, sizeof cap_name, "out/capsules/%s", a[0]);
    uint8_t *cap = read_fx(cap_name, &c_len);
    cr_assert_eq(c_len, 76);
    cr_assert(cap[0] == 1 && cap[1] == FWS_CAPSULE_X25519 && cap[2] == 72 && cap[3] == 0);
    free(cap);
    free(in);
    free(h);
    free(p);
    /* each device's assembly: accepted by fwsv with its key, refused with another's */
    fws_ok("assemble out/head out/capsules/%s out/payload -o dev-a0.fws", a[0]);
    r = run("cd '%s' && %s check dev-a0.fws --trust sign1.pub --class test/class "
            "--key fa/%s/device.key && %s check dev-a0.fws --trust sign1.pub --class test/class "
            "--key fa/%s/device.key", fx.dir, FWSV_BIN, a[0], FWSV_BIN, a[3]);
    cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "dev-a0.fws: accepted") &&
                  strstr(r.err, "rejected: no key capsule for this device's key (no_capsule)"),
              "%s%s", r.out, r.err);
    run_free(&r);
    fws_ok("assemble out/head out/capsules/%s out/payload -o dev-b0.fws", b[0]);
    r = run("cd '%s' && %s check dev-b0.fws --trust sign1.pub --class test/class "
            "--key fb/%s/device.key", fx.dir, FWSV_BIN, b[0]);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
    /* --lot */
    fws_fails(2, "--lot 'b b': not a lot name (1..64 of A-Z a-z 0-9 . _ -, starting with a",
              "rewrap in.fws --key dist.key --registry fleet.db --lot 'b b' --out-dir out-x");
    fws_ok("rewrap in.fws --key dist.key --registry fleet.db --lot b --out-dir out-b");
    names = capsule_names("out-b");
    cr_assert(strstr(names, b[0]) && strstr(names, b[1]) && strlen(names) == 2 * 17, "%s", names);
    free(names);
    /* shards: disjoint, and together every device once */
    fws_ok("rewrap in.fws --key dist.key --registry fleet.db --shard 0/3 --out-dir s0 && "
           "%s rewrap in.fws --key dist.key --registry fleet.db --shard 1/3 --out-dir s1 && "
           "%s rewrap in.fws --key dist.key --registry fleet.db --shard 2/3 --out-dir s2",
           FWSEAL_BIN, FWSEAL_BIN);
    r = run("cd '%s' && ls s0/capsules s1/capsules s2/capsules | grep -v : | grep . | sort",
            fx.dir);
    names = capsule_names("out");
    cr_assert_str_eq(r.out, names);
    run_free(&r);
    free(names);
    r = run("cd '%s' && cmp s0/head s2/head && cmp s0/payload s1/payload", fx.dir);
    cr_assert_eq(r.status, 0, "%s", r.out);
    run_free(&r);
    /* an existing directory is not written into */
    fws_fails(3, "out: already exists", "rewrap in.fws --key dist.key --registry fleet.db "
                                        "--out-dir out");
    /* a container of another class: the registry has one such device */
    fws_ok("pack -o other.fws --key sign1.key --version 1.0.0 --counter 1 --class other/class "
           "-e dist.pub app=fw.bin");
    r = fws("rewrap other.fws --key dist.key --registry fleet.db --out-dir out-o");
    cr_assert(strstr(r.out, "1 capsule\n"), "%s", r.out);
    run_free(&r);
    fws_fails(3, "nothere.db: no such registry", "rewrap in.fws --key dist.key "
                                                 "--registry nothere.db --out-dir x");
    cr_assert(!file_exists(fx_path(&fx, "x")));
    fws_fails(1, "in.fws: rejected: ", "rewrap in.fws --key dist.key --trust sign2.pub "
                                       "--registry fleet.db --out-dir y");
    cr_assert(!file_exists(fx_path(&fx, "y")));
}

Test(rewrap, assemble_refusals)
{
    fws_ok("lot create a --quota 10 --registry fleet.db");
    run_result r = fws("device new --registry fleet.db --class test/class --lot a --out-dir fa "
                       "--no-config");
    char id[17];
    cr_assert_eq(sscanf(r.out, "%16s", id), 1);
    run_free(&r);
    fws_ok("pack -o in.fws --key sign1.key --version 1.0.0 --counter 1 --class test/class "
           "--chunk-size 1024 -e dist.pub app=fw.bin");
    fws_ok("pack -o in2.fws --key sign1.key --version 1.0.0 --counter 1 --class test/class "
           "--chunk-size 1024 -e dist.pub app=fw.bin");
    fws_ok("rewrap in.fws --key dist.key --registry fleet.db --out-dir o1 && %s rewrap in2.fws "
           "--key dist.key --registry fleet.db --out-dir o2 && cp o1/capsules/%s cap && "
           "cat o1/head o1/head > head2 && head -c 100 o1/head > head-short && "
           "cat cap cap > cap2 && head -c 1000 o1/payload > payload-short && "
           "printf 'x' | cat o1/head - > head-extra", FWSEAL_BIN, id);
    fws_ok("assemble o1/head cap o1/payload -o ok.fws");
    size_t a_len, b_len;
    uint8_t *assembled = read_fx("ok.fws", &a_len), *h = read_fx("o1/head", &b_len);
    cr_assert(!memcmp(assembled, h, b_len));
    free(assembled);
    free(h);
    static const struct {
        int status;
        const char *message, *args;
    } cases[] = {
        {1, "head-extra: 1 bytes after the signature block", "head-extra cap o1/payload"},
        {1, "head-short: ", "head-short cap o1/payload"},
        {1, "cap2: 76 bytes after the capsule block", "o1/head cap2 o1/payload"},
        {1, "o1/payload: header: not a fwseal container", "o1/payload cap o1/head"},
        {1, "payload-short: 1000 bytes, the manifest in o1/head says", "o1/head cap payload-short"},
        {1, "o2/payload: chunk 0 at offset", "o1/head cap o2/payload"},
        {3, "missing: cannot read", "o1/head missing o1/payload"},
        {3, "o1: cannot read: not a regular file", "o1 cap o1/payload"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[256];
        snprintf(args, sizeof args, "assemble %s -o out.fws", cases[i].args);
        fws_fails(cases[i].status, cases[i].message, "%s", args);
        cr_assert(!file_exists(fx_path(&fx, "out.fws")), "%s: written", args);
    }
    /* to standard output: a rejection prints nothing there (fws_fails
     * checks), an acceptance the same bytes as the file */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        fws_fails(cases[i].status, cases[i].message, "assemble %s -o -", cases[i].args);
    fws_ok("assemble o1/head cap o1/payload -o - > piped.fws");
    size_t p_len;
    uint8_t *piped = read_fx("piped.fws", &p_len);
    assembled = read_fx("ok.fws", &a_len);
    cr_assert(p_len == a_len && !memcmp(piped, assembled, a_len));
    free(piped);
    free(assembled);
    fws_fails(2, "expected HEAD CAPSULE PAYLOAD, got 2 files", "assemble a b -o x");
    fws_fails(2, "missing -o OUT", "assemble a b c");
    fws_fails(3, "ok.fws", "assemble o1/head cap o1/payload -o ok.fws");
}
