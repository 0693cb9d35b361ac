/* SPDX-License-Identifier: MIT */
/* verifier/chacha20: RFC 8439 vectors typed in (2.3.2, 2.4.2, A.1, A.2),
 * and libsodium's crypto_stream_chacha20_ietf_xor_ic as the oracle for
 * random keys, nonces, counters, lengths 0..2000 and random call splits. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chacha20.h"
#include "testutil.h"

/* Hex with optional spaces/colons/newlines between bytes, as the RFC
 * prints it. */
static size_t unhex(uint8_t *out, const char *hex)
{
    size_t n = 0;
    while (*hex) {
        unsigned v;
        if (strchr(" :\n", *hex)) {
            hex++;
            continue;
        }
        cr_assert(sscanf(hex, "%2x", &v) == 1, "bad hex in test");
        out[n++] = (uint8_t)v;
        hex += 2;
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

/* Encrypts with fws_chacha20 in one call, in 1-byte calls and in calls of
 * 1..70 bytes, and checks each against want. */
static void check_all_splits(const uint8_t key[32], const uint8_t nonce[12], uint32_t counter,
                             const uint8_t *in, size_t len, const uint8_t *want, const char *what)
{
    uint8_t *out = malloc(len + 1);
    fws_chacha20_ctx ctx;
    for (int mode = 0; mode < 3; mode++) {
        size_t off = 0, step;
        memset(out, 0xee, len + 1);
        fws_chacha20_init(&ctx, key, nonce, counter);
        while (off < len || (mode == 0 && off == 0)) {
            step = mode == 0 ? len : mode == 1 ? 1 : 1 + off % 70;
            if (step > len - off)
                step = len - off;
            cr_assert(fws_chacha20_xor(&ctx, out + off, in + off, step) == 0);
            off += step;
            if (len == 0)
                break;
        }
        cr_assert(memcmp(out, want, len) == 0, "%s, split mode %d", what, mode);
        cr_assert(out[len] == 0xee, "%s: wrote past len", what);
    }
    fws_chacha20_wipe(&ctx);
    free(out);
}

/* RFC 8439 2.3.2: the block function with counter 1 (the serialized
 * block is the keystream). */
Test(chacha20, rfc8439_block_function)
{
    uint8_t key[32], nonce[12], zero[64] = {0}, want[64];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    unhex(nonce, "00:00:00:09:00:00:00:4a:00:00:00:00");
    cr_assert(unhex(want, "10 f1 e7 e4 d1 3b 59 15 50 0f dd 1f a3 20 71 c4"
                          "c7 d1 f4 c7 33 c0 68 03 04 22 aa 9a c3 d4 6c 4e"
                          "d2 82 64 46 07 9f aa 09 14 c2 d7 05 d9 8b 02 a2"
                          "b5 12 9c d1 de 16 4e b9 cb d0 83 e8 a2 50 3c 4e") == 64);
    check_all_splits(key, nonce, 1, zero, 64, want, "RFC 8439 2.3.2");
}

/* RFC 8439 2.4.2: "sunscreen", 114 bytes from counter 1. */
Test(chacha20, rfc8439_encryption)
{
    const char *pt = "Ladies and Gentlemen of the class of '99: If I could offer you only one "
                     "tip for the future, sunscreen would be it.";
    uint8_t key[32], nonce[12], want[114];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)i;
    unhex(nonce, "00:00:00:00:00:00:00:4a:00:00:00:00");
    cr_assert(strlen(pt) == 114);
    cr_assert(unhex(want, "6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81"
                          "e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b"
                          "f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57"
                          "16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8"
                          "07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e"
                          "52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36"
                          "5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42"
                          "87 4d") == 114);
    check_all_splits(key, nonce, 1, (const uint8_t *)pt, 114, want, "RFC 8439 2.4.2");
    /* Decryption is the same operation, in place. */
    {
        uint8_t buf[114];
        fws_chacha20_ctx ctx;
        memcpy(buf, want, 114);
        fws_chacha20_init(&ctx, key, nonce, 1);
        cr_assert(fws_chacha20_xor(&ctx, buf, buf, 114) == 0);
        cr_assert(memcmp(buf, pt, 114) == 0, "in-place decryption");
    }
}

/* RFC 8439 A.1: ChaCha20 block function test vectors #1-#5 (keystream). */
Test(chacha20, rfc8439_a1_keystream)
{
    static const struct {
        const char *key, *nonce;
        uint32_t counter;
        const char *ks;
    } v[] = {
        {"00000000000000000000000000000000 00000000000000000000000000000000",
         "000000000000000000000000", 0,
         "76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28 bd d2 19 b8 a0 8d ed 1a a8 36 ef cc "
         "8b 77 0d c7 da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37 6a 43 b8 f4 15 18 a1 1c "
         "c3 87 b6 69 b2 ee 65 86"},
        {"00000000000000000000000000000000 00000000000000000000000000000000",
         "000000000000000000000000", 1,
         "9f 07 e7 be 55 51 38 7a 98 ba 97 7c 73 2d 08 0d cb 0f 29 a0 48 e3 65 69 12 c6 53 3e "
         "32 ee 7a ed 29 b7 21 76 9c e6 4e 43 d5 71 33 b0 74 d8 39 d5 31 ed 1f 28 51 0a fb 45 "
         "ac e1 0a 1f 4b 79 4d 6f"},
        {"00000000000000000000000000000000 00000000000000000000000000000001",
         "000000000000000000000000", 1,
         "3a eb 52 24 ec f8 49 92 9b 9d 82 8d b1 ce d4 dd 83 20 25 e8 01 8b 81 60 b8 22 84 f3 "
         "c9 49 aa 5a 8e ca 00 bb b4 a7 3b da d1 92 b5 c4 2f 73 f2 fd 4e 27 36 44 c8 b3 61 25 "
         "a6 4a dd eb 00 6c 13 a0"},
        {"00ff0000000000000000000000000000 00000000000000000000000000000000",
         "000000000000000000000000", 2,
         "72 d5 4d fb f1 2e c4 4b 36 26 92 df 94 13 7f 32 8f ea 8d a7 39 90 26 5e c1 bb be a1 "
         "ae 9a f0 ca 13 b2 5a a2 6c b4 a6 48 cb 9b 9d 1b e6 5b 2c 09 24 a6 6c 54 d5 45 ec 1b "
         "73 74 f4 87 2e 99 f0 96"},
        {"00000000000000000000000000000000 00000000000000000000000000000000",
         "000000000000000000000002", 0,
         "c2 c6 4d 37 8c d5 36 37 4a e2 04 b9 ef 93 3f cd 1a 8b 22 88 b3 df a4 96 72 ab 76 5b "
         "54 ee 27 c7 8a 97 0e 0e 95 5c 14 f3 a8 8e 74 1b 97 c2 86 f7 5f 8f c2 99 e8 14 83 62 "
         "fa 19 8a 39 53 1b ed 6d"},
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        uint8_t key[32], nonce[12], ks[64], zero[64] = {0};
        char what[32];
        cr_assert(unhex(key, v[i].key) == 32 && unhex(nonce, v[i].nonce) == 12);
        cr_assert(unhex(ks, v[i].ks) == 64);
        snprintf(what, sizeof what, "RFC 8439 A.1 #%zu", i + 1);
        check_all_splits(key, nonce, v[i].counter, zero, 64, ks, what);
    }
}

/* RFC 8439 A.2: encryption test vectors #1-#3. */
Test(chacha20, rfc8439_a2_encryption)
{
    uint8_t key[32], nonce[12], zero[64] = {0}, want[375];
    const char *pt2 =
        "Any submission to the IETF intended by the Contributor for publication as all or part "
        "of an IETF Internet-Draft or RFC and any statement made within the context of an IETF "
        "activity is considered an \"IETF Contribution\". Such statements include oral "
        "statements in IETF sessions, as well as written and electronic communications made at "
        "any time or place, which are addressed to";
    const char *pt3 = "'Twas brillig, and the slithy toves\nDid gyre and gimble in the wabe:\n"
                      "All mimsy were the borogoves,\nAnd the mome raths outgrabe.";

    /* #1: all zero, counter 0. */
    memset(key, 0, 32);
    memset(nonce, 0, 12);
    unhex(want, "76 b8 e0 ad a0 f1 3d 90 40 5d 6a e5 53 86 bd 28 bd d2 19 b8 a0 8d ed 1a "
                "a8 36 ef cc 8b 77 0d c7 da 41 59 7c 51 57 48 8d 77 24 e0 3f b8 d8 4a 37 "
                "6a 43 b8 f4 15 18 a1 1c c3 87 b6 69 b2 ee 65 86");
    check_all_splits(key, nonce, 0, zero, 64, want, "RFC 8439 A.2 #1");

    /* #2: key ...01, nonce ...02, counter 1, 375 bytes. */
    key[31] = 1;
    nonce[11] = 2;
    cr_assert(strlen(pt2) == 375);
    cr_assert(unhex(want, "a3 fb f0 7d f3 fa 2f de 4f 37 6c a2 3e 82 73 70"
                          "41 60 5d 9f 4f 4f 57 bd 8c ff 2c 1d 4b 79 55 ec"
                          "2a 97 94 8b d3 72 29 15 c8 f3 d3 37 f7 d3 70 05"
                          "0e 9e 96 d6 47 b7 c3 9f 56 e0 31 ca 5e b6 25 0d"
                          "40 42 e0 27 85 ec ec fa 4b 4b b5 e8 ea d0 44 0e"
                          "20 b6 e8 db 09 d8 81 a7 c6 13 2f 42 0e 52 79 50"
                          "42 bd fa 77 73 d8 a9 05 14 47 b3 29 1c e1 41 1c"
                          "68 04 65 55 2a a6 c4 05 b7 76 4d 5e 87 be a8 5a"
                          "d0 0f 84 49 ed 8f 72 d0 d6 62 ab 05 26 91 ca 66"
                          "42 4b c8 6d 2d f8 0e a4 1f 43 ab f9 37 d3 25 9d"
                          "c4 b2 d0 df b4 8a 6c 91 39 dd d7 f7 69 66 e9 28"
                          "e6 35 55 3b a7 6c 5c 87 9d 7b 35 d4 9e b2 e6 2b"
                          "08 71 cd ac 63 89 39 e2 5e 8a 1e 0e f9 d5 28 0f"
                          "a8 ca 32 8b 35 1c 3c 76 59 89 cb cf 3d aa 8b 6c"
                          "cc 3a af 9f 39 79 c9 2b 37 20 fc 88 dc 95 ed 84"
                          "a1 be 05 9c 64 99 b9 fd a2 36 e7 e8 18 b0 4b 0b"
                          "c3 9c 1e 87 6b 19 3b fe 55 69 75 3f 88 12 8c c0"
                          "8a aa 9b 63 d1 a1 6f 80 ef 25 54 d7 18 9c 41 1f"
                          "58 69 ca 52 c5 b8 3f a3 6f f2 16 b9 c1 d3 00 62"
                          "be bc fd 2d c5 bc e0 91 19 34 fd a7 9a 86 f6 e6"
                          "98 ce d7 59 c3 ff 9b 64 77 33 8f 3d a4 f9 cd 85"
                          "14 ea 99 82 cc af b3 41 b2 38 4d d9 02 f3 d1 ab"
                          "7a c6 1d d2 9c 6f 21 ba 5b 86 2f 37 30 e3 7c fd"
                          "c4 fd 80 6c 22 f2 21") == 375);
    check_all_splits(key, nonce, 1, (const uint8_t *)pt2, 375, want, "RFC 8439 A.2 #2");

    /* #3: Jabberwocky, counter 42. */
    unhex(key, "1c 92 40 a5 eb 55 d3 8a f3 33 88 86 04 f6 b5 f0"
               "47 39 17 c1 40 2b 80 09 9d ca 5c bc 20 70 75 c0");
    cr_assert(strlen(pt3) == 127);
    cr_assert(unhex(want, "62 e6 34 7f 95 ed 87 a4 5f fa e7 42 6f 27 a1 df"
                          "5f b6 91 10 04 4c 0d 73 11 8e ff a9 5b 01 e5 cf"
                          "16 6d 3d f2 d7 21 ca f9 b2 1e 5f b1 4c 61 68 71"
                          "fd 84 c5 4f 9d 65 b2 83 19 6c 7f e4 f6 05 53 eb"
                          "f3 9c 64 02 c4 22 34 e3 2a 35 6b 3e 76 43 12 a6"
                          "1a 55 32 05 57 16 ea d6 96 25 68 f8 7d 3f 3f 77"
                          "04 c6 a8 d1 bc d1 bf 4d 50 d6 15 4b 6d a7 31 b1"
                          "87 b5 8d fd 72 8a fa 36 75 7a 79 7a c1 88 d1") == 127);
    check_all_splits(key, nonce, 42, (const uint8_t *)pt3, 127, want, "RFC 8439 A.2 #3");
}

/* Random keys, nonces, counters and lengths 0..2000 against libsodium, each
 * message cut into random calls (1-byte calls in every fifth case), both
 * in place and out of place. */
Test(chacha20, random_vs_libsodium)
{
    enum { MAXLEN = 2000 };
    uint8_t *in = malloc(MAXLEN), *want = malloc(MAXLEN), *got = malloc(MAXLEN + 1);
    uint64_t rng = 0xc4ac4a20;
    cr_assert(sodium_init() >= 0);
    for (int n = 0; n < 4000; n++) {
        uint8_t key[32], nonce[12];
        size_t len = n <= MAXLEN ? (size_t)n : (size_t)(next_rand(&rng) % (MAXLEN + 1));
        size_t off = 0;
        /* libsodium carries a counter overflow into the nonce, which we
         * refuse (see counter_limit), so stay clear of 2^32 here. */
        uint32_t counter = (uint32_t)next_rand(&rng);
        int inplace = n % 2;
        fws_chacha20_ctx ctx;
        if (counter > UINT32_MAX - 64)
            counter = 0;
        if (n % 8 == 0)
            counter = n % 16 == 0 ? 0 : 1; /* the counters RFC 8439 uses */
        fill_random(key, 32, 4 * (uint64_t)n);
        fill_random(nonce, 12, 4 * (uint64_t)n + 1);
        fill_random(in, len, 4 * (uint64_t)n + 2);
        crypto_stream_chacha20_ietf_xor_ic(want, in, len, nonce, counter, key);
        memset(got, 0xee, MAXLEN + 1);
        if (inplace)
            memcpy(got, in, len);
        fws_chacha20_init(&ctx, key, nonce, counter);
        while (off < len) {
            size_t step = n % 5 == 0 ? 1 : (size_t)(next_rand(&rng) % 200);
            if (step > len - off)
                step = len - off;
            cr_assert(fws_chacha20_xor(&ctx, got + off, inplace ? got + off : in + off, step) == 0);
            off += step;
        }
        cr_assert(memcmp(got, want, len) == 0, "len %zu counter %u case %d", len, counter, n);
        cr_assert(got[len] == 0xee, "wrote past len %zu", len);
        fws_chacha20_wipe(&ctx);
    }
    free(in);
    free(want);
    free(got);
}

/* A long stream (1 MiB + 3) in big irregular calls. */
Test(chacha20, long_stream_vs_libsodium)
{
    const size_t len = (1u << 20) + 3;
    uint8_t *in = malloc(len), *want = malloc(len), *got = malloc(len), key[32], nonce[12];
    uint64_t rng = 99;
    size_t off = 0;
    fws_chacha20_ctx ctx;
    cr_assert(sodium_init() >= 0);
    fill_random(key, 32, 5);
    fill_random(nonce, 12, 6);
    fill_random(in, len, 7);
    crypto_stream_chacha20_ietf_xor_ic(want, in, len, nonce, 7, key);
    fws_chacha20_init(&ctx, key, nonce, 7);
    while (off < len) {
        size_t step = (size_t)(next_rand(&rng) % 70000);
        if (step > len - off)
            step = len - off;
        cr_assert(fws_chacha20_xor(&ctx, got + off, in + off, step) == 0);
        off += step;
    }
    cr_assert(memcmp(got, want, len) == 0);
    free(in);
    free(want);
    free(got);
}

/* The 32-bit counter ends at block 2^32 - 1: that block is usable, then
 * the stream refuses (no wrap to block 0, no carry into the nonce). */
Test(chacha20, counter_limit)
{
    uint8_t key[32], nonce[12], in[130] = {0}, want[64], got[130];
    fws_chacha20_ctx ctx;
    cr_assert(sodium_init() >= 0);
    fill_random(key, 32, 11);
    fill_random(nonce, 12, 12);
    crypto_stream_chacha20_ietf_xor_ic(want, in, 64, nonce, UINT32_MAX, key);

    fws_chacha20_init(&ctx, key, nonce, UINT32_MAX);
    memset(got, 0xee, sizeof got);
    cr_assert(fws_chacha20_xor(&ctx, got, in, 65) == -1, "65 bytes past the last block");
    for (size_t i = 0; i < sizeof got; i++)
        cr_assert(got[i] == 0xee, "refused call wrote out");
    cr_assert(fws_chacha20_xor(&ctx, got, in, 63) == 0);
    cr_assert(fws_chacha20_xor(&ctx, got + 63, in, 1) == 0);
    cr_assert(memcmp(got, want, 64) == 0, "last block");
    cr_assert(fws_chacha20_xor(&ctx, got, in, 0) == 0, "empty call at the end");
    cr_assert(fws_chacha20_xor(&ctx, got, in, 1) == -1, "1 byte past the end");

    /* Two blocks before the end: 128 bytes fit, 129 do not. */
    fws_chacha20_init(&ctx, key, nonce, UINT32_MAX - 1);
    cr_assert(fws_chacha20_xor(&ctx, got, in, 129) == -1);
    cr_assert(fws_chacha20_xor(&ctx, got, in, 100) == 0);
    cr_assert(fws_chacha20_xor(&ctx, got, in, 29) == -1);
    cr_assert(fws_chacha20_xor(&ctx, got, in, 28) == 0);
    cr_assert(memcmp(got + 64, want, 36) == 0, "block 2^32-1 after block 2^32-2");
}

Test(chacha20, wipe_clears_context)
{
    uint8_t key[32], nonce[12] = {0}, buf[10] = {0}, zero[sizeof(fws_chacha20_ctx)];
    fws_chacha20_ctx ctx;
    memset(zero, 0, sizeof zero);
    memset(key, 0x77, sizeof key);
    fws_chacha20_init(&ctx, key, nonce, 0);
    cr_assert(fws_chacha20_xor(&ctx, buf, buf, sizeof buf) == 0);
    fws_chacha20_wipe(&ctx);
    cr_assert(memcmp(&ctx, zero, sizeof ctx) == 0);
}
