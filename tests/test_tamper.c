/* SPDX-License-Identifier: MIT */
/* What the exhaustive mutations of test_mutation.c cannot reach: a bit
 * flip in one recipient's capsule of a container for two, manifests
 * re-signed with duplicate or unknown fields (the parser behind the
 * signature), and the policy refusals through the CLI. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "fws_bytes.h"
#include "tamper.h"

static fixture fx;
static void setup(void) { fx_init(&fx); }
static void teardown(void) { fx_free(&fx); }
TestSuite(tamper, .init = setup, .fini = teardown, .timeout = 300);


/* Capsules are unsigned (so a container can be re-wrapped): a flip in one
 * recipient's capsule concerns that recipient only.  Every flip must be
 * rejected by the recipient it concerns, and a flip anywhere else by both. */
Test(tamper, every_bit_flip_two_recipients)
{
    size_t len, flips = 0;
    uint8_t *c = tp_pack_small(&fx, "two.fws", "--encrypt-to dev.pub --encrypt-to psk.key", &len);
    layout l;
    layout_of(c, len, &l);
    test_policy x, p;
    tp_init(&x, &fx, 1, "dev.key");
    tp_init(&p, &fx, 1, "psk.key");
    cr_assert(tp_decide(&x, c, len, NULL) && tp_decide(&p, c, len, NULL));
    size_t x_cap = l.cap_block + 1, p_cap = x_cap + 3 + 72;   /* entry order: dev, psk */
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit++, flips++) {
            c[i] ^= (uint8_t)(1u << bit);
            int by_x = !tp_decide(&x, c, len, NULL), by_p = !tp_decide(&p, c, len, NULL);
            c[i] ^= (uint8_t)(1u << bit);
            if (i >= p_cap && i < l.payload)
                cr_assert(by_p, "flip in the PSK capsule entry (byte %zu) not rejected by its holder", i);
            else if (i >= x_cap && i < p_cap)
                cr_assert(by_x, "flip in the X25519 capsule entry (byte %zu) not rejected by its holder", i);
            else
                cr_assert(by_x && by_p, "flip of byte %zu bit %d accepted by a recipient", i, bit);
        }
    fprintf(stderr, "tamper: %zu-byte container with two recipients: %zu bit flips checked\n", len,
            flips);
    free(c);
}
static void expect_reason(const test_policy *tp, const uint8_t *c, size_t len, const char *want)
{
    const char *why = NULL;
    cr_assert(!tp_decide(tp, c, len, &why), "accepted, expected %s", want);
    cr_assert_str_eq(why, want);
}

/* Rewrites the manifest with edit() and re-signs it with sign1, so the
 * parser behind the signature is what decides. */
static uint8_t *resign(const uint8_t *c, size_t len, size_t *out_len,
                       size_t (*edit)(const uint8_t *m, size_t mlen, uint8_t *out))
{
    layout l;
    layout_of(c, len, &l);
    uint8_t *out = malloc(len + 256), *m = malloc(l.manifest_len + 256);
    size_t mlen = edit(c + 16, l.manifest_len, m);
    fws_key k;
    fws_passphrase_src pp = {NULL, NULL};
    char *kp = fx_path(&fx, "sign1.key");
    cr_assert_eq(fws_key_load(kp, &pp, &k), 0);
    free(kp);
    memcpy(out, c, 16);
    fws_store32_le(out + 8, (uint32_t)mlen);
    memcpy(out + 16, m, mlen);
    size_t pos = 16 + mlen;
    out[pos] = 1;                                      /* one signature entry */
    out[pos + 1] = 1;
    fws_store16_le(out + pos + 2, 72);
    memcpy(out + pos + 4, k.id, 8);
    crypto_sign_detached(out + pos + 12, NULL, out, 16 + mlen, k.secret);
    pos += 4 + 72;
    memcpy(out + pos, c + l.cap_block, len - l.cap_block);
    *out_len = pos + len - l.cap_block;
    free(m);
    return out;
}

static size_t same(const uint8_t *m, size_t n, uint8_t *out)
{
    memcpy(out, m, n);
    return n;
}

/* Appends a field: duplicate of the last top-level field (META). */
static size_t dup_last(const uint8_t *m, size_t n, uint8_t *out)
{
    size_t pos = 0, last = 0;
    while (pos < n) {
        last = pos;
        pos += 4 + fws_load16_le(m + pos + 2);
    }
    memcpy(out, m, n);
    memcpy(out + n, m + last, n - last);
    return n + (n - last);
}

static size_t add_field(const uint8_t *m, size_t n, uint8_t *out, uint16_t tag)
{
    memcpy(out, m, n);
    fws_store16_le(out + n, tag);
    fws_store16_le(out + n + 2, 3);
    memcpy(out + n + 4, "xyz", 3);
    return n + 7;
}
static size_t add_unknown_critical(const uint8_t *m, size_t n, uint8_t *out)
{
    /* 0x7000 sorts after every known critical tag but before META (0x8001):
     * insert it before META, which is last. */
    size_t pos = 0, last = 0;
    while (pos < n) {
        last = pos;
        pos += 4 + fws_load16_le(m + pos + 2);
    }
    memcpy(out, m, last);
    fws_store16_le(out + last, 0x7000);
    fws_store16_le(out + last + 2, 1);
    out[last + 4] = 0;
    memcpy(out + last + 5, m + last, n - last);
    return n + 5;
}
static size_t add_unknown_noncritical(const uint8_t *m, size_t n, uint8_t *out)
{
    return add_field(m, n, out, 0x9000);
}
static size_t add_trailing_byte(const uint8_t *m, size_t n, uint8_t *out)
{
    memcpy(out, m, n);
    out[n] = 0;
    return n + 1;
}

Test(tamper, resigned_manifests_are_parsed_strictly)
{
    size_t len, tlen;
    uint8_t *c = tp_pack_small(&fx, "r.fws", "", &len), *t;
    test_policy tp;
    tp_init(&tp, &fx, 1, NULL);
    t = resign(c, len, &tlen, same);
    cr_assert(tp_decide(&tp, t, tlen, NULL), "re-signing unchanged bytes must pass");
    free(t);
    t = resign(c, len, &tlen, dup_last);
    expect_reason(&tp, t, tlen, "field_order");
    free(t);
    t = resign(c, len, &tlen, add_unknown_critical);
    expect_reason(&tp, t, tlen, "unknown_critical_field");
    free(t);
    t = resign(c, len, &tlen, add_unknown_noncritical);
    cr_assert(tp_decide(&tp, t, tlen, NULL), "unknown non-critical fields are skipped");
    free(t);
    t = resign(c, len, &tlen, add_trailing_byte);
    expect_reason(&tp, t, tlen, "field_length");
    free(t);
    free(c);
}

Test(tamper, policy_rejections_via_cli)
{
    size_t len;
    free(tp_pack_small(&fx, "p.fws", "--counter 5", &len));   /* last --counter wins: 5 */
    struct { const char *args, *msg; } cases[] = {
        {"--class other/class", "another device class"},
        {"--min-counter 6", "security counter 5 is below the floor 6"},
        {"--trust sign2.pub --class test/class --threshold 2", "only 1 distinct trusted key signed, the threshold is 2"},
        /* the same key trusted twice is still one signer */
        {"--trust sign1.pub --class test/class --threshold 2", "only 1 distinct trusted key signed, the threshold is 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_result r = fx_verify(&fx, "p.fws", cases[i].args);
        cr_assert_eq(r.status, 1, "%s: %d %s", cases[i].args, r.status, r.err);
        cr_assert(strstr(r.err, cases[i].msg), "%s: %s", cases[i].args, r.err);
        run_free(&r);
    }
    run_result r = run("cd '%s' && %s verify p.fws --trust sign2.pub --class test/class", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 1);
    cr_assert(strstr(r.err, "no valid signature by a trusted key"), "%s", r.err);
    run_free(&r);
    r = fx_verify(&fx, "p.fws", "--min-counter 5 --json");
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "\"accepted\":true"), "%s", r.out);
    run_free(&r);
}
