/* SPDX-License-Identifier: MIT */
/*
 * Key ids and the key file format, in-process through the keys/ API.
 *
 * Oracles: libsodium (SHA-512, SHA-256, Ed25519/X25519 key derivation,
 * Argon2id, XChaCha20-Poly1305, base64) and the RFC 8032 / RFC 7748 vectors
 * typed in by hand.  Records are also built here byte by byte from
 * docs/KEYS.md, independently of keys/keyfile_encode.c, and must decode.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "keyfile.h"
#include "testutil.h"

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
}

TestSuite(keys_file, .init = setup, .timeout = 60);

/* ---- helpers --------------------------------------------------------- */

static size_t count_str(const char *hay, const char *needle)
{
    size_t c = 0;
    const char *p = hay;
    while ((p = strstr(p, needle))) {
        c++;
        p += strlen(needle);
    }
    return c;
}

static void unhex(const char *h, uint8_t *out, size_t n)
{
    size_t got = 0;
    cr_assert(sodium_hex2bin(out, n, h, strlen(h), NULL, &got, NULL) == 0 && got == n,
              "bad hex in test: %s", h);
}

/* Expected id, computed straight from the definition in docs/KEYS.md. */
static void oracle_id(fws_key_type t, const uint8_t k[32], uint8_t id[8])
{
    uint8_t buf[48], h[64];
    size_t n = 0;
    if (t == FWS_KEY_PSK) {
        memcpy(buf, "fwseal-v1 psk-id", 16);
        n = 16;
    }
    memcpy(buf + n, k, 32);
    crypto_hash_sha512(h, buf, n + 32);
    memcpy(id, h, 8);
}

/* Builds key file text from a record, per docs/KEYS.md: sets the record's
 * checksum and returns "fwseal key comment: C\n<base64>\n" (malloc'ed). */
static char *text_from_record(const char *comment, uint8_t *rec, size_t rlen, int fix_sum)
{
    crypto_hash_sha256_state st;
    uint8_t l[2] = {(uint8_t)strlen(comment), (uint8_t)(strlen(comment) >> 8)};
    char b64[400];
    if (fix_sum) {
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, l, 2);
        crypto_hash_sha256_update(&st, (const uint8_t *)comment, strlen(comment));
        crypto_hash_sha256_update(&st, rec, rlen - 32);
        crypto_hash_sha256_final(&st, rec + rlen - 32);
    }
    sodium_bin2base64(b64, sizeof b64, rec, rlen, sodium_base64_VARIANT_ORIGINAL);
    return path_fmt("fwseal key comment: %s\n%s\n", comment, b64);
}

/* Extracts comment and record from key file text written by us. */
static size_t record_from_text(const char *text, char *comment, uint8_t *rec)
{
    const char *nl = strchr(text, '\n');
    const char *b = nl + 1;
    size_t n = 0;
    cr_assert(nl && !strncmp(text, "fwseal key comment: ", 20));
    memcpy(comment, text + 20, (size_t)(nl - text - 20));
    comment[nl - text - 20] = 0;
    cr_assert(sodium_base642bin(rec, 256, b, strcspn(b, "\n"), NULL, &n, NULL,
                                sodium_base64_VARIANT_ORIGINAL) == 0);
    return n;
}

/* Decodes text quietly; returns the status and the captured messages. */
static int decode_quiet(const char *text, size_t len, int want_secret,
                        const fws_passphrase_src *pp, fws_key *k, char **msgs)
{
    int rc;
    stderr_capture_begin();
    rc = fws_keyfile_decode("t.key", (const uint8_t *)text, len, want_secret, pp, k, NULL);
    *msgs = stderr_capture_end();
    return rc;
}

static void check_consistent(const fws_key *k)
{
    uint8_t pk[32], id[8];
    cr_assert(k->has_secret);
    switch (k->type) {
    case FWS_KEY_ED25519:
        crypto_sign_ed25519_sk_to_pk(pk, k->secret);
        cr_assert(!memcmp(pk, k->pub, 32), "ed25519 secret does not give pub");
        oracle_id(k->type, k->pub, id);
        break;
    case FWS_KEY_X25519:
        cr_assert(crypto_scalarmult_base(pk, k->secret) == 0);
        cr_assert(!memcmp(pk, k->pub, 32), "x25519 scalar does not give pub");
        oracle_id(k->type, k->pub, id);
        break;
    default:
        oracle_id(k->type, k->secret, id);
        for (size_t i = 0; i < 32; i++)
            cr_assert_eq(k->pub[i], 0);
    }
    cr_assert(!memcmp(id, k->id, 8), "key id is not the SHA-512 prefix");
}

static const fws_key_type all_types[3] = {FWS_KEY_ED25519, FWS_KEY_X25519, FWS_KEY_PSK};

/* ---- ids, names, seeds ------------------------------------------------ */

Test(keys_file, type_names_round_trip)
{
    fws_key_type t;
    const char *names[3] = {"ed25519", "x25519", "psk"};
    for (int i = 0; i < 3; i++) {
        cr_assert_str_eq(fws_key_type_name(all_types[i]), names[i]);
        cr_assert(fws_key_type_parse(names[i], &t) == 0 && t == all_types[i]);
    }
    cr_assert(fws_key_type_parse("rsa", &t) == -1);
    cr_assert(fws_key_type_parse("ED25519", &t) == -1);
}

Test(keys_file, key_id_is_sha512_prefix)
{
    uint8_t k[32], id[8], want[8];
    for (int i = 0; i < 1000; i++) {
        fws_key_type t = all_types[i % 3];
        fill_random(k, sizeof k, (uint64_t)i + 1);
        fws_key_compute_id(t, k, id);
        oracle_id(t, k, want);
        cr_assert(!memcmp(id, want, 8), "case %d", i);
    }
    /* The psk label changes the id. */
    fws_key_compute_id(FWS_KEY_PSK, k, id);
    fws_key_compute_id(FWS_KEY_X25519, k, want);
    cr_assert(memcmp(id, want, 8));
    /* Hand-checked: the id of the all-zero 32 bytes is the start of
     * SHA-512(32 zero bytes) = 5046adc1dba838867b2bbbfdd0c3423e... */
    memset(k, 0, sizeof k);
    fws_key_compute_id(FWS_KEY_ED25519, k, id);
    unhex("5046adc1dba83886", want, 8);
    cr_assert(!memcmp(id, want, 8));
}

Test(keys_file, rfc_vectors_from_seed)
{
    static const struct {
        fws_key_type t;
        const char *seed, *pub;
    } v[] = {
        /* RFC 8032 7.1 TEST 1, TEST 2, TEST 3 */
        {FWS_KEY_ED25519, "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"},
        {FWS_KEY_ED25519, "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"},
        {FWS_KEY_ED25519, "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
         "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"},
        /* RFC 7748 6.1: Alice and Bob */
        {FWS_KEY_X25519, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a",
         "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"},
        {FWS_KEY_X25519, "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb",
         "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t seed[32], pub[32], out[32];
        fws_key k;
        unhex(v[i].seed, seed, 32);
        unhex(v[i].pub, pub, 32);
        cr_assert(fws_key_from_seed(v[i].t, seed, &k) == 0);
        cr_assert(!memcmp(k.pub, pub, 32), "vector %zu", i);
        check_consistent(&k);
        fws_key_seed(&k, out);
        cr_assert(!memcmp(out, seed, 32));
        fws_key_wipe(&k);
        for (size_t j = 0; j < sizeof k; j++)
            cr_assert_eq(((uint8_t *)&k)[j], 0, "wipe left byte %zu", j);
    }
}

Test(keys_file, generate_gives_distinct_consistent_keys)
{
    fws_key a, b;
    for (int i = 0; i < 3; i++) {
        cr_assert(fws_key_generate(all_types[i], &a) == 0);
        cr_assert(fws_key_generate(all_types[i], &b) == 0);
        check_consistent(&a);
        check_consistent(&b);
        cr_assert(memcmp(a.secret, b.secret, 32));
        cr_assert(memcmp(a.id, b.id, 8));
    }
}

/* ---- the documented record, built here ------------------------------- */

Test(keys_file, handbuilt_records_decode)
{
    /* RFC 8032 TEST 1 key, unencrypted secret record and public record. */
    uint8_t seed[32], pub[32], rec[184];
    fws_key k;
    char *t, *msgs;
    unhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60", seed, 32);
    unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", pub, 32);

    memset(rec, 0, sizeof rec);
    memcpy(rec, "FWSK", 4);
    rec[4] = 1;
    rec[5] = 2;
    rec[6] = 1;
    rec[7] = 0;
    oracle_id(FWS_KEY_ED25519, pub, rec + 8);
    memcpy(rec + 16, pub, 32);
    memcpy(rec + 104, seed, 32);
    t = text_from_record("rfc8032 test 1", rec, 184, 1);
    cr_assert_eq(decode_quiet(t, strlen(t), 1, NULL, &k, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert_eq(k.type, FWS_KEY_ED25519);
    cr_assert(!memcmp(k.pub, pub, 32));
    cr_assert(!memcmp(k.secret, seed, 32) && !memcmp(k.secret + 32, pub, 32));
    check_consistent(&k);
    free(t);
    free(msgs);

    /* The 80-byte public record. */
    rec[5] = 1;
    t = text_from_record("pub", rec, 80, 1);
    cr_assert_eq(decode_quiet(t, strlen(t), 1, NULL, &k, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert(!k.has_secret);
    cr_assert(!memcmp(k.pub, pub, 32));
    free(t);
    free(msgs);
}

Test(keys_file, handbuilt_encrypted_record_decodes)
{
    /* Argon2id with the smallest accepted cost, XChaCha20-Poly1305 with the
     * record's first 104 bytes as associated data, per docs/KEYS.md. */
    const char *pass = "correct horse battery staple";
    uint8_t seed[32], rec[184], k32[32];
    unsigned long long clen;
    fws_key k;
    fws_passphrase_src pp = {NULL, "FWS_TEST_PASS"};
    char *t, *msgs;
    uint64_t ops = 1, mem = 8192;

    fill_random(seed, 32, 77);
    cr_assert(fws_key_from_seed(FWS_KEY_X25519, seed, &k) == 0);
    memset(rec, 0, sizeof rec);
    memcpy(rec, "FWSK", 4);
    rec[4] = 1;
    rec[5] = 2;
    rec[6] = 2;
    rec[7] = 1;
    memcpy(rec + 8, k.id, 8);
    memcpy(rec + 16, k.pub, 32);
    for (int i = 0; i < 8; i++) {
        rec[48 + i] = (uint8_t)(ops >> (8 * i));
        rec[56 + i] = (uint8_t)(mem >> (8 * i));
    }
    fill_random(rec + 64, 16 + 24, 78);
    cr_assert(crypto_pwhash(k32, 32, pass, strlen(pass), rec + 64, ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) == 0);
    crypto_aead_xchacha20poly1305_ietf_encrypt(rec + 104, &clen, seed, 32, rec, 104, NULL,
                                               rec + 80, k32);
    cr_assert_eq(clen, 48);
    t = text_from_record("hand-made", rec, 184, 1);

    setenv("FWS_TEST_PASS", pass, 1);
    fws_key_wipe(&k);
    cr_assert_eq(decode_quiet(t, strlen(t), 1, &pp, &k, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert(!memcmp(k.secret, seed, 32));
    check_consistent(&k);
    free(msgs);

    setenv("FWS_TEST_PASS", "Correct horse battery staple", 1);
    cr_assert_eq(decode_quiet(t, strlen(t), 1, &pp, &k, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, "t.key: wrong passphrase"), "%s", msgs);
    free(msgs);
    free(t);
}

/* ---- our encoder -> our decoder -------------------------------------- */

Test(keys_file, round_trip_unencrypted_many)
{
    char text[FWS_KEYFILE_TEXT_MAX], *msgs;
    size_t len;
    fws_key k, back;
    for (int i = 0; i < 300; i++) {
        uint8_t seed[32];
        fws_key_type t = all_types[i % 3];
        fill_random(seed, 32, 1000 + (uint64_t)i);
        cr_assert(fws_key_from_seed(t, seed, &k) == 0);
        cr_assert(fws_keyfile_encode(&k, 1, i % 2 ? "a comment" : NULL, NULL, 0, 0, text,
                                     &len) == 0);
        cr_assert_eq(len, strlen(text));
        cr_assert_eq(decode_quiet(text, len, 1, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
        free(msgs);
        cr_assert(back.has_secret && back.type == t);
        cr_assert(!memcmp(back.secret, k.secret, 64) && !memcmp(back.pub, k.pub, 32) &&
                  !memcmp(back.id, k.id, 8));
        check_consistent(&back);
        if (t == FWS_KEY_PSK)
            continue;
        cr_assert(fws_keyfile_encode(&k, 0, NULL, NULL, 0, 0, text, &len) == 0);
        cr_assert_eq(decode_quiet(text, len, 1, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
        free(msgs);
        cr_assert(!back.has_secret && back.type == t && !memcmp(back.pub, k.pub, 32) &&
                  !memcmp(back.id, k.id, 8));
    }
}

Test(keys_file, default_comment_and_layout)
{
    char text[FWS_KEYFILE_TEXT_MAX], comment[300], idhex[17], want[100];
    uint8_t rec[256], seed[32];
    size_t len;
    fws_key k;
    fill_random(seed, 32, 5);
    cr_assert(fws_key_from_seed(FWS_KEY_ED25519, seed, &k) == 0);
    sodium_bin2hex(idhex, sizeof idhex, k.id, 8);

    cr_assert(fws_keyfile_encode(&k, 0, NULL, NULL, 0, 0, text, &len) == 0);
    cr_assert_eq(record_from_text(text, comment, rec), 80);
    snprintf(want, sizeof want, "fwseal ed25519 public key %s", idhex);
    cr_assert_str_eq(comment, want);
    cr_assert(!memcmp(rec, "FWSK\x01\x01\x01\x00", 8));
    cr_assert(!memcmp(rec + 8, k.id, 8) && !memcmp(rec + 16, k.pub, 32));

    cr_assert(fws_keyfile_encode(&k, 1, NULL, NULL, 0, 0, text, &len) == 0);
    cr_assert_eq(record_from_text(text, comment, rec), 184);
    snprintf(want, sizeof want, "fwseal ed25519 secret key %s", idhex);
    cr_assert_str_eq(comment, want);
    cr_assert(!memcmp(rec, "FWSK\x01\x02\x01\x00", 8));
    cr_assert(!memcmp(rec + 104, seed, 32));
    for (int i = 48; i < 104; i++)
        cr_assert_eq(rec[i], 0);
    for (int i = 136; i < 152; i++)
        cr_assert_eq(rec[i], 0);
    /* The checksum is SHA-256 as documented: rebuilding it changes nothing. */
    {
        uint8_t copy[184];
        char *t;
        memcpy(copy, rec, 184);
        t = text_from_record(comment, copy, 184, 1);
        cr_assert_str_eq(t, text);
        free(t);
    }
}

Test(keys_file, comment_rules)
{
    char text[FWS_KEYFILE_TEXT_MAX], big[FWS_KEY_COMMENT_MAX + 2], *msgs;
    size_t len;
    fws_key k, back;
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &k) == 0);
    cr_assert(fws_key_comment_valid("release key 2025, ünïcode ok") == 0);
    cr_assert(fws_key_comment_valid("two\nlines") == -1);
    cr_assert(fws_key_comment_valid("tab\there") == -1);
    cr_assert(fws_key_comment_valid("del\x7f") == -1);
    memset(big, 'a', sizeof big);
    big[FWS_KEY_COMMENT_MAX] = 0;
    cr_assert(fws_key_comment_valid(big) == 0);
    cr_assert(fws_keyfile_encode(&k, 0, big, NULL, 0, 0, text, &len) == 0);
    cr_assert_eq(decode_quiet(text, len, 0, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    free(msgs);
    big[FWS_KEY_COMMENT_MAX] = 'a';
    big[FWS_KEY_COMMENT_MAX + 1] = 0;
    cr_assert(fws_key_comment_valid(big) == -1);
    stderr_capture_begin();
    cr_assert(fws_keyfile_encode(&k, 0, "bad\ncomment", NULL, 0, 0, text, &len) == -1);
    msgs = stderr_capture_end();
    cr_assert(strstr(msgs, "--comment"), "%s", msgs);
    free(msgs);
    /* A psk has no public file. */
    cr_assert(fws_key_generate(FWS_KEY_PSK, &k) == 0);
    stderr_capture_begin();
    cr_assert(fws_keyfile_encode(&k, 0, NULL, NULL, 0, 0, text, &len) == -1);
    free(stderr_capture_end());
}

/* Encrypted round trip per type; the secret must not appear in the file. */
Test(keys_file, round_trip_encrypted)
{
    char text[FWS_KEYFILE_TEXT_MAX], comment[300], *msgs;
    uint8_t rec[256];
    size_t len;
    fws_key k, back;
    fws_passphrase_src pp = {NULL, "FWS_TEST_PASS"};
    const char *pass = "pässwörd with spaces ";
    for (int i = 0; i < 3; i++) {
        cr_assert(fws_key_generate(all_types[i], &k) == 0);
        cr_assert(fws_keyfile_encode(&k, 1, NULL, pass, strlen(pass), FWS_KDF_INTERACTIVE,
                                     text, &len) == 0);
        cr_assert_eq(record_from_text(text, comment, rec), 184);
        cr_assert_eq(rec[7], 1);
        /* interactive limits recorded */
        cr_assert_eq(rec[48], crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE);
        {
            uint64_t mem = 0;
            for (int j = 7; j >= 0; j--)
                mem = (mem << 8) | rec[56 + j];
            cr_assert_eq(mem, crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE);
        }
        for (size_t off = 0; off + 8 <= 184; off++)
            cr_assert(memcmp(rec + off, k.secret, 8), "secret bytes visible at %zu", off);

        /* load_public-like decode: no passphrase needed */
        cr_assert_eq(decode_quiet(text, len, 0, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
        free(msgs);
        cr_assert(!back.has_secret && !memcmp(back.id, k.id, 8));

        setenv("FWS_TEST_PASS", pass, 1);
        cr_assert_eq(decode_quiet(text, len, 1, &pp, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
        free(msgs);
        cr_assert(!memcmp(back.secret, k.secret, 64));
        check_consistent(&back);

        setenv("FWS_TEST_PASS", "pässwörd with spaces", 1);  /* no trailing space */
        cr_assert_eq(decode_quiet(text, len, 1, &pp, &back, &msgs), FWS_EXIT_IO);
        cr_assert(strstr(msgs, "wrong passphrase"), "%s", msgs);
        cr_assert_eq(count_str(msgs, "fwseal: error:"), 1);
        free(msgs);
        for (size_t j = 0; j < sizeof back; j++)
            cr_assert_eq(((uint8_t *)&back)[j], 0, "key not wiped after failure");
    }
}

/* ---- damage: every byte, every length -------------------------------- */

/* Flips every byte of the text with three masks; each must fail with one
 * error, and never pass as "wrong passphrase" (the checksum comes first). */
static void flip_all(const char *text, size_t len, const fws_passphrase_src *pp)
{
    char *t = malloc(len);
    uint8_t masks[3];
    fws_key k;
    size_t fails = 0, tries = 0;
    char *msgs;
    stderr_capture_begin();
    for (size_t i = 0; i < len; i++) {
        fill_random(masks + 2, 1, i + 11);
        masks[0] = 0x01;
        masks[1] = 0x80;
        if (!masks[2])
            masks[2] = 0x5a;
        for (int m = 0; m < 3; m++) {
            memcpy(t, text, len);
            t[i] = (char)(t[i] ^ masks[m]);
            tries++;
            if (fws_keyfile_decode("t.key", (const uint8_t *)t, len, 1, pp, &k, NULL) ==
                FWS_EXIT_IO)
                fails++;
            else
                cr_log_error("flip of byte %zu with 0x%02x accepted", i, masks[m]);
        }
    }
    msgs = stderr_capture_end();
    cr_assert_eq(fails, tries);
    cr_assert_eq(count_str(msgs, "fwseal: error:"), tries, "one message per failure");
    cr_assert_eq(count_str(msgs, "wrong passphrase"), 0, "corruption reported as passphrase");
    cr_assert_eq(count_str(msgs, "fwseal: error: t.key: "), tries, "messages name the file");
    free(msgs);
    free(t);
}

Test(keys_file, every_flipped_byte_is_detected)
{
    char text[FWS_KEYFILE_TEXT_MAX];
    size_t len;
    fws_key k;
    fws_passphrase_src pp = {NULL, "FWS_TEST_PASS"};
    setenv("FWS_TEST_PASS", "pw", 1);
    for (int i = 0; i < 3; i++) {
        cr_assert(fws_key_generate(all_types[i], &k) == 0);
        if (all_types[i] != FWS_KEY_PSK) {
            cr_assert(fws_keyfile_encode(&k, 0, NULL, NULL, 0, 0, text, &len) == 0);
            flip_all(text, len, &pp);
        }
        cr_assert(fws_keyfile_encode(&k, 1, "c", NULL, 0, 0, text, &len) == 0);
        flip_all(text, len, &pp);
    }
    /* one encrypted file (a flip that got past the checksum would cost a
     * KDF run and then be caught by the tag) */
    cr_assert(fws_keyfile_encode(&k, 1, NULL, "pw", 2, FWS_KDF_INTERACTIVE, text, &len) == 0);
    flip_all(text, len, &pp);
}

Test(keys_file, every_truncation_is_reported_as_truncated)
{
    char text[FWS_KEYFILE_TEXT_MAX], *msgs;
    size_t len;
    fws_key k;
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &k) == 0);
    for (int secret = 0; secret < 2; secret++) {
        cr_assert(fws_keyfile_encode(&k, secret, NULL, NULL, 0, 0, text, &len) == 0);
        for (size_t n = 0; n < len; n++) {
            cr_assert_eq(decode_quiet(text, n, 1, NULL, &k, &msgs), FWS_EXIT_IO);
            if (n == 0)
                cr_assert(strstr(msgs, "empty file"), "%s", msgs);
            else
                cr_assert(strstr(msgs, "truncated"), "length %zu: %s", n, msgs);
            free(msgs);
        }
        /* and appending anything is refused */
        text[len] = 'A';
        cr_assert_eq(decode_quiet(text, len + 1, 1, NULL, &k, &msgs), FWS_EXIT_IO);
        cr_assert(strstr(msgs, "unexpected bytes after the key line"), "%s", msgs);
        free(msgs);
    }
}

Test(keys_file, crlf_line_ends_are_tolerated)
{
    char text[FWS_KEYFILE_TEXT_MAX], crlf[FWS_KEYFILE_TEXT_MAX + 4], *msgs;
    size_t len, j = 0;
    fws_key k, back;
    cr_assert(fws_key_generate(FWS_KEY_X25519, &k) == 0);
    cr_assert(fws_keyfile_encode(&k, 1, NULL, NULL, 0, 0, text, &len) == 0);
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n')
            crlf[j++] = '\r';
        crlf[j++] = text[i];
    }
    cr_assert_eq(decode_quiet(crlf, j, 1, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    free(msgs);
    cr_assert(!memcmp(back.secret, k.secret, 32));
}

/* A record with one field changed and a valid checksum. */
static char *doctored(const fws_key *k, int secret, int off, uint8_t val)
{
    char text[FWS_KEYFILE_TEXT_MAX], comment[300];
    uint8_t rec[256];
    size_t len, rlen;
    cr_assert(fws_keyfile_encode(k, secret, NULL, NULL, 0, 0, text, &len) == 0);
    rlen = record_from_text(text, comment, rec);
    rec[off] = val;
    return text_from_record(comment, rec, rlen, 1);
}

static void expect_error(char *t, const char *want)
{
    fws_key k;
    char *msgs;
    cr_assert_eq(decode_quiet(t, strlen(t), 1, NULL, &k, &msgs), FWS_EXIT_IO, "accepted: %s",
                 want);
    cr_assert(strstr(msgs, want), "wanted \"%s\", got: %s", want, msgs);
    cr_assert_eq(count_str(msgs, "fwseal: error:"), 1, "%s", msgs);
    free(msgs);
    free(t);
}

Test(keys_file, specific_messages_for_doctored_fields)
{
    fws_key ed, psk;
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &ed) == 0);
    cr_assert(fws_key_generate(FWS_KEY_PSK, &psk) == 0);
    expect_error(doctored(&ed, 1, 0, 'X'), "not a fwseal key file (bad magic");
    expect_error(doctored(&ed, 0, 3, 'k'), "not a fwseal key file (bad magic");
    expect_error(doctored(&ed, 1, 4, 2), "unsupported key file version 2");
    expect_error(doctored(&ed, 1, 5, 3), "unknown record kind 3");
    expect_error(doctored(&ed, 1, 5, 1), "record of 184 bytes, a public key record has 80");
    expect_error(doctored(&ed, 0, 5, 2), "truncated key file (80 of 184 record bytes)");
    expect_error(doctored(&ed, 1, 6, 9), "unknown key type 9");
    expect_error(doctored(&ed, 1, 6, 0), "unknown key type 0");
    expect_error(doctored(&ed, 1, 7, 2), "unknown protection 2");
    expect_error(doctored(&ed, 0, 7, 1), "unknown protection 1 for a public key");
    expect_error(doctored(&ed, 1, 8, (uint8_t)(ed.id[0] ^ 1)),
                 "key id does not match the public key");
    /* as x25519 the id still matches (same formula), the scalar does not */
    expect_error(doctored(&ed, 1, 6, 2), "secret key does not match");
    expect_error(doctored(&ed, 1, 49, 1), "unencrypted key with KDF fields set");
    expect_error(doctored(&ed, 1, 70, 1), "unencrypted key with KDF fields set");
    expect_error(doctored(&ed, 1, 140, 1), "unencrypted key with KDF fields set");
    expect_error(doctored(&ed, 1, 110, (uint8_t)(ed.secret[6] ^ 1)),
                 "secret key does not match");
    expect_error(doctored(&psk, 1, 20, 1), "psk record with a public key");
    expect_error(doctored(&psk, 1, 110, (uint8_t)(psk.secret[6] ^ 1)),
                 "secret key does not match");
    {
        /* a public record claiming type psk */
        fws_key x;
        char *t;
        cr_assert(fws_key_generate(FWS_KEY_X25519, &x) == 0);
        t = doctored(&x, 0, 6, 3);
        expect_error(t, "a psk has no public key file");
    }
}

Test(keys_file, kdf_parameters_are_bounded)
{
    char text[FWS_KEYFILE_TEXT_MAX], comment[300];
    uint8_t rec[256];
    size_t len;
    fws_key k;
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &k) == 0);
    cr_assert(fws_keyfile_encode(&k, 1, NULL, "pw", 2, 0, text, &len) == 0);
    record_from_text(text, comment, rec);
    rec[48] = 33; /* opslimit 33 > 32 */
    expect_error(text_from_record(comment, rec, 184, 1), "unsupported Argon2id parameters");
    rec[48] = 0;  /* opslimit 0 */
    expect_error(text_from_record(comment, rec, 184, 1), "unsupported Argon2id parameters");
    rec[48] = 2;
    rec[56 + 4] = 1; /* memlimit + 4 GiB */
    expect_error(text_from_record(comment, rec, 184, 1), "unsupported Argon2id parameters");
}

Test(keys_file, small_order_public_keys_are_refused)
{
    /* The Ed25519 identity (01 00..00) and the X25519 point 0 are of small
     * order; a record carrying one, with the right id and checksum, is
     * refused. */
    uint8_t rec[80];
    char *t;
    for (int type = 1; type <= 2; type++) {
        memset(rec, 0, sizeof rec);
        memcpy(rec, "FWSK", 4);
        rec[4] = 1;
        rec[5] = 1;
        rec[6] = (uint8_t)type;
        if (type == 1)
            rec[16] = 1;
        oracle_id((fws_key_type)type, rec + 16, rec + 8);
        t = text_from_record("small", rec, 80, 1);
        expect_error(t, "small order");
    }
}

Test(keys_file, not_key_files)
{
    fws_key k;
    char *msgs;
    uint8_t junk[600];
    char *pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/"
                "nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
    expect_error(strdup("hello world, this is not a key\n"), "not a fwseal key file");
    expect_error(strdup("untrusted comment: minisign public key\nRWQ=\n"),
                 "not a fwseal key file");
    expect_error(strdup("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI user@host\n"),
                 "not a fwseal key file");
    expect_error(strdup(pem), "fwseal keygen --import");
    expect_error(strdup("fwseal key comment: x\nRldTSw@=\n"), "is not base64");
    expect_error(strdup("fwseal key comment: x\nRldTSwE=\n"), "truncated");
    expect_error(strdup("fwseal key comment: x\nRldTSwF=\n"), "invalid base64");
    expect_error(strdup("fwseal key comment: x\nRldU\n"), "bad magic");
    expect_error(strdup("fwseal key comment: x\n\n"), "truncated");
    expect_error(strdup("fwseal key comment: x\x01y\nRldU\n"), "control character 0x01");
    /* random binary */
    for (int i = 0; i < 500; i++) {
        size_t n = 1 + (size_t)i % sizeof junk;
        fill_random(junk, n, 5000 + (uint64_t)i);
        cr_assert_eq(decode_quiet((char *)junk, n, 1, NULL, &k, &msgs), FWS_EXIT_IO);
        cr_assert_eq(count_str(msgs, "fwseal: error:"), 1, "%s", msgs);
        free(msgs);
    }
    /* random bytes after a valid prefix */
    for (int i = 0; i < 500; i++) {
        char t[400];
        size_t n = 22 + (size_t)i % 300;
        memcpy(t, "fwseal key comment: x\n", 22);
        fill_random((uint8_t *)t + 22, n - 22, 9000 + (uint64_t)i);
        cr_assert_eq(decode_quiet(t, n, 1, NULL, &k, &msgs), FWS_EXIT_IO);
        cr_assert_eq(count_str(msgs, "fwseal: error:"), 1, "%s", msgs);
        free(msgs);
    }
}

/* ---- files on disk ----------------------------------------------------- */

static int load_quiet(const char *path, const fws_passphrase_src *pp, fws_key *k, char **msgs)
{
    int rc;
    stderr_capture_begin();
    rc = fws_key_load(path, pp, k);
    *msgs = stderr_capture_end();
    return rc;
}

static char *write_key(const char *dir, const char *name, fws_key *k, const char *pass,
                       mode_t mode)
{
    char text[FWS_KEYFILE_TEXT_MAX];
    size_t len;
    char *p = path_fmt("%s/%s", dir, name);
    cr_assert(fws_keyfile_encode(k, 1, NULL, pass, pass ? strlen(pass) : 0, 0, text, &len) ==
              0);
    file_write(p, text, len);
    chmod(p, mode);
    return p;
}

Test(keys_file, load_from_disk_and_permission_warning)
{
    char *dir = tmpdir_new(), *p, *msgs;
    fws_key k, back;
    fws_passphrase_src pp = {NULL, "FWS_TEST_PASS"};
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &k) == 0);

    p = write_key(dir, "ok.key", &k, NULL, 0600);
    cr_assert_eq(load_quiet(p, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert_str_eq(msgs, "");
    check_consistent(&back);
    free(msgs);

    chmod(p, 0644);
    cr_assert_eq(load_quiet(p, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert(strstr(msgs, "warning") && strstr(msgs, "permissions 0644 are too open") &&
                  strstr(msgs, p),
              "%s", msgs);
    cr_assert(!memcmp(back.secret, k.secret, 64));
    free(msgs);
    chmod(p, 0640);
    cr_assert_eq(load_quiet(p, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert(strstr(msgs, "permissions 0640 are too open"), "%s", msgs);
    free(msgs);
    chmod(p, 0400);
    cr_assert_eq(load_quiet(p, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    cr_assert_str_eq(msgs, "");
    free(msgs);
    /* load_public of a world-readable secret file warns as well */
    chmod(p, 0604);
    stderr_capture_begin();
    cr_assert_eq(fws_key_load_public(p, &back), FWS_EXIT_OK);
    msgs = stderr_capture_end();
    cr_assert(strstr(msgs, "too open"), "%s", msgs);
    cr_assert(!back.has_secret);
    free(msgs);
    free(p);

    /* .pub files may be world-readable */
    {
        char text[FWS_KEYFILE_TEXT_MAX];
        size_t len;
        p = path_fmt("%s/k.pub", dir);
        cr_assert(fws_keyfile_encode(&k, 0, NULL, NULL, 0, 0, text, &len) == 0);
        file_write(p, text, len);
        chmod(p, 0644);
        cr_assert_eq(load_quiet(p, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
        cr_assert_str_eq(msgs, "");
        cr_assert(!back.has_secret && !memcmp(back.pub, k.pub, 32));
        free(msgs);
        free(p);
    }

    /* encrypted: passphrase from a file (with CRLF) and from env */
    p = write_key(dir, "enc.key", &k, "s3cret", 0600);
    {
        char *pf = path_fmt("%s/pass.txt", dir);
        fws_passphrase_src ppf = {pf, NULL};
        file_write(pf, "s3cret\r\nsecond line ignored\n", 28);
        chmod(pf, 0600);
        cr_assert_eq(load_quiet(p, &ppf, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
        cr_assert(!memcmp(back.secret, k.secret, 64));
        free(msgs);
        file_write(pf, "s3cret ", 7);
        cr_assert_eq(load_quiet(p, &ppf, &back, &msgs), FWS_EXIT_IO);
        cr_assert(strstr(msgs, "wrong passphrase"), "%s", msgs);
        free(msgs);
        free(pf);
    }
    setenv("FWS_TEST_PASS", "s3cret", 1);
    cr_assert_eq(load_quiet(p, &pp, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    free(msgs);
    setenv("FWS_TEST_PASS", "", 1);
    cr_assert_eq(load_quiet(p, &pp, &back, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, "empty passphrase"), "%s", msgs);
    free(msgs);
    unsetenv("FWS_TEST_PASS");
    cr_assert_eq(load_quiet(p, &pp, &back, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, "FWS_TEST_PASS") && strstr(msgs, "not set"), "%s", msgs);
    free(msgs);
    /* the public part needs no passphrase */
    stderr_capture_begin();
    cr_assert_eq(fws_key_load_public(p, &back), FWS_EXIT_OK);
    free(stderr_capture_end());
    cr_assert(!back.has_secret && !memcmp(back.pub, k.pub, 32) && !memcmp(back.id, k.id, 8));
    free(p);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_file, file_level_errors)
{
    char *dir = tmpdir_new(), *p, *msgs;
    fws_key k;
    uint8_t big[FWS_KEYFILE_READ_MAX + 1];

    p = path_fmt("%s/missing.key", dir);
    cr_assert_eq(load_quiet(p, NULL, &k, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, p) && strstr(msgs, "not found"), "%s", msgs);
    free(msgs);
    free(p);

    cr_assert_eq(load_quiet(dir, NULL, &k, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, "is a directory"), "%s", msgs);
    free(msgs);

    p = path_fmt("%s/big.key", dir);
    memset(big, 'A', sizeof big);
    file_write(p, big, sizeof big);
    cr_assert_eq(load_quiet(p, NULL, &k, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, "larger than 4096 bytes"), "%s", msgs);
    free(msgs);
    file_write(p, "", 0);
    cr_assert_eq(load_quiet(p, NULL, &k, &msgs), FWS_EXIT_IO);
    cr_assert(strstr(msgs, "empty file"), "%s", msgs);
    free(msgs);
    free(p);

    {   /* as nobody even under root, which reads any file */
        fws_key g;
        int rc;
        p = path_fmt("%s/noperm.key", dir);
        cr_assert(fws_key_generate(FWS_KEY_PSK, &g) == 0);
        free(write_key(dir, "noperm.key", &g, NULL, 0000));
        chmod(dir, 0755);
        fs_unprivileged_begin();
        rc = load_quiet(p, NULL, &k, &msgs);
        fs_unprivileged_end();
        cr_assert_eq(rc, FWS_EXIT_IO);
        cr_assert(strstr(msgs, "cannot open key file"), "%s", msgs);
        free(msgs);
        free(p);
    }
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_file, write_pair_modes_and_no_clobber)
{
    char *dir = tmpdir_new(), *kp, *pp2, *msgs;
    fws_keyfile_write_opts o = {NULL, NULL, 0, 0, 0};
    fws_key k, k2, back;
    struct stat st;
    uint8_t *before;
    size_t blen, alen;

    kp = path_fmt("%s/a.key", dir);
    pp2 = path_fmt("%s/a.pub", dir);
    umask(0);
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &k) == 0);
    cr_assert_eq(fws_keyfile_write(kp, pp2, &k, &o), FWS_EXIT_OK);
    cr_assert(stat(kp, &st) == 0 && (st.st_mode & 07777) == 0600, "mode %o", st.st_mode);
    cr_assert(stat(pp2, &st) == 0 && (st.st_mode & 07777) == 0644, "mode %o", st.st_mode);
    umask(022);

    before = file_read(kp, &blen);
    cr_assert(fws_key_generate(FWS_KEY_ED25519, &k2) == 0);
    stderr_capture_begin();
    cr_assert_eq(fws_keyfile_write(kp, pp2, &k2, &o), FWS_EXIT_IO);
    msgs = stderr_capture_end();
    cr_assert(strstr(msgs, "already exists") && strstr(msgs, "--force"), "%s", msgs);
    free(msgs);
    {
        uint8_t *after = file_read(kp, &alen);
        cr_assert(alen == blen && !memcmp(after, before, blen), "key file changed");
        free(after);
    }
    /* only the .pub in the way: neither written */
    unlink(kp);
    stderr_capture_begin();
    cr_assert_eq(fws_keyfile_write(kp, pp2, &k2, &o), FWS_EXIT_IO);
    free(stderr_capture_end());
    cr_assert(!file_exists(kp));

    o.force = 1;
    cr_assert_eq(fws_keyfile_write(kp, pp2, &k2, &o), FWS_EXIT_OK);
    cr_assert_eq(load_quiet(kp, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    free(msgs);
    cr_assert(!memcmp(back.secret, k2.secret, 64));
    cr_assert_eq(load_quiet(pp2, NULL, &back, &msgs), FWS_EXIT_OK, "%s", msgs);
    free(msgs);
    cr_assert(!memcmp(back.pub, k2.pub, 32));
    /* no temporary files left behind */
    {
        run_result r = run("ls -A '%s'", dir);
        cr_assert_str_eq(r.out, "a.key\na.pub\n");
        run_free(&r);
    }
    free(before);
    free(kp);
    free(pp2);
    tmpdir_remove(dir);
    free(dir);
}

Test(keys_file, docs_example_decodes)
{
    /* The example .pub in docs/KEYS.md is a real file: it must load, and
     * its id must be the SHA-512 prefix of its key. */
    char *p = path_fmt("%s/docs/KEYS.md", FWSEAL_SRC), *msgs;
    size_t n;
    char *doc = (char *)file_read(p, &n);
    const char *start, *end;
    uint8_t id[8];
    char idhex[17];
    fws_key k;
    cr_assert(doc, "docs/KEYS.md missing");
    doc[n] = 0;
    start = strstr(doc, "fwseal key comment: fwseal ed25519 public key ");
    cr_assert(start, "example not found in docs/KEYS.md");
    end = strchr(strchr(start, '\n') + 1, '\n');
    cr_assert(end);
    cr_assert_eq(decode_quiet(start, (size_t)(end + 1 - start), 0, NULL, &k, &msgs),
                 FWS_EXIT_OK, "%s", msgs);
    free(msgs);
    oracle_id(FWS_KEY_ED25519, k.pub, id);
    sodium_bin2hex(idhex, sizeof idhex, id, 8);
    cr_assert(!strncmp(start + 46, idhex, 16), "the comment's id is not the key's id");
    free(doc);
    free(p);
}
