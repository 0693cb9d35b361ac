/* SPDX-License-Identifier: MIT */
/* verifier/hmac_sha256: RFC 4231 (HMAC) and RFC 5869 (HKDF) vectors typed
 * in, Wycheproof's HMAC-SHA256 and HKDF-SHA256 files, and libsodium's
 * crypto_auth_hmacsha256 as the oracle on random keys, messages and splits
 * (libsodium 1.0.18 has no HKDF, so the HKDF oracle is RFC 5869 written
 * over libsodium's HMAC).  Also exercises tests/wycheproof.c. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmac_sha256.h"
#include "testutil.h"
#include "wycheproof.h"

#define WYCHEPROOF VECTORS_DIR "/wycheproof/"

static size_t unhex(uint8_t *out, const char *hex)
{
    size_t n = strlen(hex) / 2;
    cr_assert(strlen(hex) % 2 == 0, "odd hex in test");
    for (size_t i = 0; i < n; i++) {
        unsigned v;
        cr_assert(sscanf(hex + 2 * i, "%2x", &v) == 1, "bad hex in test");
        out[i] = (uint8_t)v;
    }
    return n;
}

static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* ---- RFC 4231 ---- */

static void check_hmac(const uint8_t *key, size_t klen, const void *msg, size_t mlen,
                       const char *hex, int id)
{
    uint8_t want[32], got[32];
    size_t n = unhex(want, hex);
    fws_hmac_sha256(got, key, klen, msg, mlen);
    cr_assert(memcmp(got, want, n) == 0, "RFC 4231 test case %d", id);
}

Test(hmac_sha256, rfc4231)
{
    uint8_t key[131], data[50];

    memset(key, 0x0b, 20);
    check_hmac(key, 20, "Hi There", 8,
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", 1);
    check_hmac((const uint8_t *)"Jefe", 4, "what do ya want for nothing?", 28,
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", 2);
    memset(key, 0xaa, 20);
    memset(data, 0xdd, 50);
    check_hmac(key, 20, data, 50,
               "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", 3);
    for (int i = 0; i < 25; i++)
        key[i] = (uint8_t)(i + 1);
    memset(data, 0xcd, 50);
    check_hmac(key, 25, data, 50,
               "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", 4);
    memset(key, 0x0c, 20); /* case 5: truncated to 128 bits, compare the prefix */
    check_hmac(key, 20, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b", 5);
    memset(key, 0xaa, 131); /* cases 6 and 7: key longer than a block */
    check_hmac(key, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54,
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", 6);
    const char *m7 = "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the "
                     "HMAC algorithm.";
    check_hmac(key, 131, m7, strlen(m7),
               "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", 7);
}

/* ---- RFC 5869 (SHA-256 cases 1-3) ---- */

static void check_hkdf(const char *ikm_hex, const char *salt_hex, const char *info_hex,
                       size_t L, const char *prk_hex, const char *okm_hex, int id)
{
    uint8_t ikm[80], salt[80], info[80], prk[32], want_prk[32], want[82], okm[82];
    size_t ilen = unhex(ikm, ikm_hex), slen = unhex(salt, salt_hex), nlen = unhex(info, info_hex);
    cr_assert(unhex(want_prk, prk_hex) == 32);
    cr_assert(unhex(want, okm_hex) == L);
    fws_hkdf_sha256_extract(prk, slen ? salt : NULL, slen, ikm, ilen);
    cr_assert(memcmp(prk, want_prk, 32) == 0, "RFC 5869 case %d PRK", id);
    memset(okm, 0xee, sizeof okm);
    cr_assert(fws_hkdf_sha256_expand(okm, L, prk, 32, nlen ? info : NULL, nlen) == 0);
    cr_assert(memcmp(okm, want, L) == 0, "RFC 5869 case %d expand", id);
    memset(okm, 0xee, sizeof okm);
    cr_assert(fws_hkdf_sha256(okm, L, slen ? salt : NULL, slen, ikm, ilen, nlen ? info : NULL,
                              nlen) == 0);
    cr_assert(memcmp(okm, want, L) == 0, "RFC 5869 case %d OKM", id);
    for (size_t i = L; i < sizeof okm; i++)
        cr_assert(okm[i] == 0xee, "RFC 5869 case %d wrote past okm_len", id);
}

Test(hkdf_sha256, rfc5869)
{
    check_hkdf("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
               "f0f1f2f3f4f5f6f7f8f9", 42,
               "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
               "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b8871858"
               "65",
               1);
    check_hkdf("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
               "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
               "404142434445464748494a4b4c4d4e4f",
               "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
               "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
               "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
               "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
               "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeef"
               "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
               82, "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
               "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac78272"
               "71cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f"
               "1d87",
               2);
    check_hkdf("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
               "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
               "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a"
               "96c8",
               3);
}

/* ---- Wycheproof ---- */

typedef struct {
    int valid, invalid;
} wp_count;

static void hmac_case(const wp_case *c, void *user)
{
    wp_count *cnt = user;
    size_t klen, mlen, tlen;
    uint8_t *key = wp_hex(c, "key", &klen), *msg = wp_hex(c, "msg", &mlen);
    uint8_t *tag = wp_hex(c, "tag", &tlen), got[32];
    long id = wp_int(c, "tcId"), tag_bits = wp_int(c, "tagSize");
    char *result = wp_str(c, "result");
    int ok;

    cr_assert(key && msg && tag && result && id > 0, "tcId %ld: missing field", id);
    cr_assert(tag_bits > 0 && tag_bits % 8 == 0 && tag_bits <= 256, "tcId %ld: tagSize", id);
    fws_hmac_sha256(got, key, klen, msg, mlen);
    /* Verification as a device would do it: the expected length, then a
     * constant-time comparison of the truncated tag. */
    ok = tlen == (size_t)tag_bits / 8 && sodium_memcmp(got, tag, tlen) == 0;
    if (strcmp(result, "valid") == 0) {
        cr_assert(ok, "Wycheproof HMAC tcId %ld should verify", id);
        cnt->valid++;
    } else {
        cr_assert(strcmp(result, "invalid") == 0, "tcId %ld: result %s", id, result);
        cr_assert(!ok, "Wycheproof HMAC tcId %ld must not verify", id);
        cnt->invalid++;
    }
    free(key);
    free(msg);
    free(tag);
    free(result);
}

Test(hmac_sha256, wycheproof)
{
    wp_count cnt = {0, 0};
    if (!vectors_available("Wycheproof HMAC-SHA256"))
        return;
    cr_assert(sodium_init() >= 0);
    cr_assert_eq(wp_foreach(WYCHEPROOF "hmac_sha256_test.json", hmac_case, &cnt), 174);
    cr_assert_eq(cnt.valid, 66);
    cr_assert_eq(cnt.invalid, 108);
}

static void hkdf_case(const wp_case *c, void *user)
{
    wp_count *cnt = user;
    size_t ilen, slen, nlen, olen;
    uint8_t *ikm = wp_hex(c, "ikm", &ilen), *salt = wp_hex(c, "salt", &slen);
    uint8_t *info = wp_hex(c, "info", &nlen), *want = wp_hex(c, "okm", &olen);
    long id = wp_int(c, "tcId"), size = wp_int(c, "size");
    char *result = wp_str(c, "result");
    uint8_t *okm;
    int r;

    cr_assert(ikm && salt && info && want && result && size >= 0, "tcId %ld: fields", id);
    okm = malloc((size_t)size + 1);
    memset(okm, 0xee, (size_t)size + 1);
    r = fws_hkdf_sha256(okm, (size_t)size, salt, slen, ikm, ilen, info, nlen);
    if (strcmp(result, "valid") == 0) {
        cr_assert(r == 0 && olen == (size_t)size, "tcId %ld: r %d", id, r);
        cr_assert(memcmp(okm, want, olen) == 0, "Wycheproof HKDF tcId %ld", id);
        cnt->valid++;
    } else {
        /* The only invalid HKDF vectors ask for more than 255 blocks. */
        cr_assert(size > 255 * 32, "tcId %ld: unexpected invalid case", id);
        cr_assert(r == -1, "Wycheproof HKDF tcId %ld must be refused", id);
        for (long i = 0; i <= size; i++)
            cr_assert(okm[i] == 0xee, "tcId %ld: refused but wrote okm", id);
        cnt->invalid++;
    }
    free(okm);
    free(ikm);
    free(salt);
    free(info);
    free(want);
    free(result);
}

Test(hkdf_sha256, wycheproof)
{
    wp_count cnt = {0, 0};
    if (!vectors_available("Wycheproof HKDF-SHA256"))
        return;
    cr_assert_eq(wp_foreach(WYCHEPROOF "hkdf_sha256_test.json", hkdf_case, &cnt), 86);
    cr_assert_eq(cnt.valid, 83);
    cr_assert_eq(cnt.invalid, 3);
}

/* ---- differential against libsodium ---- */

static void sodium_hmac(uint8_t out[32], const uint8_t *key, size_t klen, const uint8_t *msg,
                        size_t mlen)
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, klen);
    crypto_auth_hmacsha256_update(&st, msg, mlen);
    crypto_auth_hmacsha256_final(&st, out);
}

/* RFC 5869 over libsodium's HMAC, written straight from the RFC text. */
static void sodium_hkdf(uint8_t *okm, size_t L, const uint8_t *salt, size_t slen,
                        const uint8_t *ikm, size_t ilen, const uint8_t *info, size_t nlen)
{
    static const uint8_t zeros[32];
    uint8_t prk[32], t[32];
    size_t tlen = 0, done = 0;
    if (slen == 0) {
        salt = zeros;
        slen = 32;
    }
    sodium_hmac(prk, salt, slen, ikm, ilen);
    for (unsigned i = 1; done < L; i++) {
        crypto_auth_hmacsha256_state st;
        uint8_t ctr = (uint8_t)i;
        crypto_auth_hmacsha256_init(&st, prk, 32);
        crypto_auth_hmacsha256_update(&st, t, tlen);
        crypto_auth_hmacsha256_update(&st, info, nlen);
        crypto_auth_hmacsha256_update(&st, &ctr, 1);
        crypto_auth_hmacsha256_final(&st, t);
        tlen = 32;
        size_t n = L - done < 32 ? L - done : 32;
        memcpy(okm + done, t, n);
        done += n;
    }
}

/* Keys of every length 0..200 (around the 64-byte block and hashing
 * threshold), random messages up to 600 bytes, random update() splits. */
Test(hmac_sha256, random_vs_libsodium)
{
    uint8_t key[200], msg[600], want[32], got[32];
    uint64_t rng = 0xfeedface;
    cr_assert(sodium_init() >= 0);
    for (int n = 0; n < 3000; n++) {
        size_t klen = (size_t)n % 201, mlen = next_rand(&rng) % 601, off = 0;
        fws_hmac_sha256_ctx ctx;
        fill_random(key, klen, 2 * (uint64_t)n);
        fill_random(msg, mlen, 2 * (uint64_t)n + 1);
        sodium_hmac(want, key, klen, msg, mlen);
        fws_hmac_sha256(got, key, klen, msg, mlen);
        cr_assert(memcmp(got, want, 32) == 0, "one-shot, key %zu msg %zu", klen, mlen);
        fws_hmac_sha256_init(&ctx, key, klen);
        while (off < mlen) {
            size_t step = n % 7 == 0 ? 1 : (size_t)(next_rand(&rng) % 130);
            if (step > mlen - off)
                step = mlen - off;
            fws_hmac_sha256_update(&ctx, msg + off, step);
            off += step;
        }
        fws_hmac_sha256_final(&ctx, got);
        cr_assert(memcmp(got, want, 32) == 0, "split, key %zu msg %zu", klen, mlen);
    }
}

Test(hkdf_sha256, random_vs_libsodium_hmac)
{
    uint8_t salt[100], ikm[100], info[100], want[FWS_HKDF_SHA256_MAX_LEN], got[sizeof want + 1];
    uint64_t rng = 0xbeef;
    cr_assert(sodium_init() >= 0);
    for (int n = 0; n < 1500; n++) {
        size_t slen = next_rand(&rng) % 101, ilen = next_rand(&rng) % 101;
        size_t nlen = next_rand(&rng) % 101;
        /* Mostly short outputs (what fwseal derives), sometimes the maximum. */
        size_t L = n % 100 == 0 ? FWS_HKDF_SHA256_MAX_LEN : next_rand(&rng) % 300;
        fill_random(salt, slen, 3 * (uint64_t)n);
        fill_random(ikm, ilen, 3 * (uint64_t)n + 1);
        fill_random(info, nlen, 3 * (uint64_t)n + 2);
        sodium_hkdf(want, L, salt, slen, ikm, ilen, info, nlen);
        memset(got, 0xee, sizeof got);
        cr_assert(fws_hkdf_sha256(got, L, salt, slen, ikm, ilen, info, nlen) == 0);
        cr_assert(memcmp(got, want, L) == 0, "salt %zu ikm %zu info %zu L %zu", slen, ilen,
                  nlen, L);
        cr_assert(got[L] == 0xee, "wrote past okm_len %zu", L);
    }
}

Test(hkdf_sha256, length_limit)
{
    uint8_t okm[FWS_HKDF_SHA256_MAX_LEN + 1], prk[32] = {1};
    memset(okm, 0xee, sizeof okm);
    cr_assert(fws_hkdf_sha256(okm, sizeof okm, NULL, 0, prk, 32, NULL, 0) == -1);
    cr_assert(fws_hkdf_sha256(okm, SIZE_MAX, NULL, 0, prk, 32, NULL, 0) == -1);
    cr_assert(fws_hkdf_sha256_expand(okm, sizeof okm, prk, 32, NULL, 0) == -1);
    for (size_t i = 0; i < sizeof okm; i++)
        cr_assert(okm[i] == 0xee, "refused but wrote okm[%zu]", i);
    cr_assert(fws_hkdf_sha256(okm, FWS_HKDF_SHA256_MAX_LEN, NULL, 0, prk, 32, NULL, 0) == 0);
    cr_assert(fws_hkdf_sha256(NULL, 0, NULL, 0, prk, 32, NULL, 0) == 0);
}

/* final() leaves no key material in the context. */
Test(hmac_sha256, final_wipes_context)
{
    fws_hmac_sha256_ctx ctx;
    uint8_t key[100], out[32], zero[sizeof ctx];
    memset(zero, 0, sizeof zero);
    memset(key, 0x5a, sizeof key);
    fws_hmac_sha256_init(&ctx, key, sizeof key);
    fws_hmac_sha256_update(&ctx, "message", 7);
    fws_hmac_sha256_final(&ctx, out);
    cr_assert(memcmp(&ctx, zero, sizeof ctx) == 0);
}

/* ---- tests/wycheproof.c itself ---- */

typedef struct {
    int n;
    int pk_seen, pem_newline, flag_seen;
} ed_probe;

static void ed_case(const wp_case *c, void *user)
{
    ed_probe *p = user;
    char *pk = wp_str(c, "pk"), *pem = wp_str(c, "publicKeyPem");
    size_t n;
    uint8_t *pkb = wp_hex(c, "pk", &n);
    /* "pk" lives in the group's nested "publicKey" object. */
    if (pk && strlen(pk) == 64 && pkb && n == 32)
        p->pk_seen++;
    if (pem && strstr(pem, "-----\n"))
        p->pem_newline++; /* the \n escapes were decoded */
    cr_assert(wp_str(c, "noSuchKey") == NULL);
    cr_assert(wp_hex(c, "noSuchKey", &n) == NULL);
    cr_assert(wp_int(c, "noSuchKey") == -1);
    cr_assert(wp_int(c, "tcId") == ++p->n, "tcId order");
    free(pk);
    free(pem);
    free(pkb);
}

Test(wycheproof_reader, nested_group_fields_and_escapes)
{
    ed_probe p = {0, 0, 0, 0};
    if (!vectors_available("Wycheproof reader"))
        return;
    cr_assert_eq(wp_foreach(WYCHEPROOF "ed25519_test.json", ed_case, &p), 151);
    cr_assert_eq(p.pk_seen, 151);
    cr_assert_eq(p.pem_newline, 151);
    cr_assert_eq(wp_foreach(WYCHEPROOF "no_such_file.json", ed_case, &p), -1);
}

static void synth_case(const wp_case *c, void *user)
{
    int *n = user;
    char *s = wp_str(c, "v"), *g = wp_str(c, "g");
    size_t len;
    uint8_t *h = wp_hex(c, "h", &len);
    (*n)++;
    if (*n == 1) {
        cr_assert_str_eq(s, "test \"one\" \\ /\xc3\xa9"); /* test value shadows group's */
        cr_assert_str_eq(g, "deep");                     /* from a nested group object */
        cr_assert(h && len == 0, "empty hex is a non-NULL empty buffer");
        cr_assert(wp_has_flag(c, "B") && !wp_has_flag(c, "C"));
        cr_assert_eq(wp_int(c, "size"), -12);
        cr_assert_eq(wp_int(c, "gint"), 7);
    } else {
        cr_assert_str_eq(s, "group"); /* not shadowed: falls back to the group */
        cr_assert(h == NULL, "odd-length hex is refused");
        cr_assert(!wp_has_flag(c, "A"));
        cr_assert_eq(wp_int(c, "v"), -1); /* a string is not an integer */
    }
    free(s);
    free(g);
    free(h);
}

/* Odd but valid JSON: tests before other group members, odd white space,
 * escapes, arrays and nulls to step over, the "tests" key used inside a
 * string. */
Test(wycheproof_reader, synthetic_file)
{
    const char *json =
        "{\"x\":[1,{\"tests\":[{}]},\"]\"],\"testGroups\" :\n[ {\"tests\":[\r\n"
        " {\"v\":\"test \\\"one\\\" \\\\ \\/\\u00e9\",\"h\":\"\",\"flags\":[\"A\",\"B\"],"
        "\"size\":-12},\t{ \"h\" : \"abc\" , \"flags\" : [ ] , \"n\":null}],"
        "\"v\":\"group\",\"gint\":7,\"o\":{\"arr\":[{\"g\":\"no\"}],\"inner\":{\"g\":\"deep\"}}},"
        "{\"v\":\"empty group\",\"tests\":[]}],\"numberOfTests\":2}";
    char *dir = tmpdir_new(), *path = path_fmt("%s/t.json", dir);
    int n = 0;
    file_write(path, json, strlen(json));
    cr_assert_eq(wp_foreach(path, synth_case, &n), 2);
    cr_assert_eq(n, 2);
    file_write(path, json, strlen(json) - 30); /* truncated: malformed */
    cr_assert_eq(wp_foreach(path, synth_case, &n), -1);
    cr_assert_eq(n, 2, "no callback for a malformed file");
    tmpdir_remove(dir);
    free(path);
    free(dir);
}
