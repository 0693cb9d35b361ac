/* SPDX-License-Identifier: MIT */
/* Checks the implementation against format/SPEC.md using libsodium and
 * zlib only, never the project's own codec:
 *  - the worked example is rebuilt from the spec's prose and equals both
 *    the hex printed in SPEC.md and `fwseal pack`'s output;
 *  - signatures verify with crypto_sign_verify_detached over exactly the
 *    bytes SPEC.md names as signed;
 *  - an X25519 capsule opens with libsodium following SPEC.md alone, and
 *    the payload decrypts and inflates to the input. */
#include <criterion/criterion.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fixture.h"
#include "keyfile.h"

static void le16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void le32(uint8_t *p, uint32_t v) { le16(p, v & 0xffff); le16(p + 2, v >> 16); }
static void le64(uint8_t *p, uint64_t v) { le32(p, (uint32_t)v); le32(p + 4, (uint32_t)(v >> 32)); }
static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | (uint32_t)rd16(p + 2) << 16; }

static size_t field(uint8_t *out, unsigned tag, const uint8_t *v, size_t len)
{
    le16(out, tag);
    le16(out + 2, (unsigned)len);
    memcpy(out + 4, v, len);
    return 4 + len;
}

static void hkdf(uint8_t out[32], const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                 const uint8_t *info, size_t info_len)
{
    uint8_t prk[32], zero[32] = {0}, one = 1;
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, salt_len ? salt : zero, salt_len ? salt_len : 32);
    crypto_auth_hmacsha256_update(&st, ikm, 32);
    crypto_auth_hmacsha256_final(&st, prk);
    crypto_auth_hmacsha256_init(&st, prk, 32);
    crypto_auth_hmacsha256_update(&st, info, info_len);
    crypto_auth_hmacsha256_update(&st, &one, 1);
    crypto_auth_hmacsha256_final(&st, out);
}

/* 32 bytes first, first+1, ... (the examples' fixed keys). */
static void counting(uint8_t out[32], uint8_t first)
{
    for (int i = 0; i < 32; i++)
        out[i] = (uint8_t)(first + i);
}

enum example { EXAMPLE_SIGNED, EXAMPLE_ENCRYPTED, EXAMPLE_DELEGATED };

/* SPEC.md section 10, built by hand: 10.1 signed; 10.2 encrypted (content
 * key K = 40..5f, ephemeral scalar e = 60..7f, recipient secret key
 * 20..3f); 10.3 signed by a key that root 80..9f certified, generation 2,
 * for the example's class, with MIN_KEY_GENERATION 2. */
static size_t build_example(uint8_t *out, enum example which)
{
    const int encrypted = which == EXAMPLE_ENCRYPTED, delegated = which == EXAMPLE_DELEGATED;
    static const char data[] = "hello world\n", class_str[] = "acme.example/thermostat-v2";
    uint8_t seed[32], pk[32], sk[64], h[64], v[64], rec[256], comps[300], m[1024];
    uint8_t K[32], dk[32], dev_sk[32], dev_pk[32], e[32], E[32], Z[32], kek[32], info[21 + 64];
    uint8_t payload[12], one_byte = 0, class_id[16];
    size_t rl = 0, ml = 0, pos;
    crypto_hash_sha256_state st;
    crypto_auth_hmacsha256_state mac;
    counting(seed, 0x00);
    crypto_sign_seed_keypair(pk, sk, seed);
    counting(dev_sk, 0x20);
    crypto_scalarmult_base(dev_pk, dev_sk);
    counting(K, 0x40);
    counting(e, 0x60);
    memcpy(payload, data, 12);
    if (encrypted) {
        static const uint8_t nonce[12];
        crypto_stream_chacha20_ietf_xor_ic(payload, payload, 12, nonce, 0, K);
    }

    le16(v, 1); le16(v + 2, 2); le16(v + 4, 3); le32(v + 6, 4);
    ml += field(m + ml, 0x0001, v, 10);                       /* VERSION */
    le32(v, 7);
    ml += field(m + ml, 0x0002, v, 4);                        /* COUNTER */
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)"fwseal-v1 class-id", 18);
    crypto_hash_sha256_update(&st, (const uint8_t *)class_str, strlen(class_str));
    crypto_hash_sha256_final(&st, h);
    memcpy(class_id, h, 16);
    ml += field(m + ml, 0x0003, h, 16);                       /* CLASS */
    le64(v, 1700000000);
    ml += field(m + ml, 0x0004, v, 8);                        /* TIMESTAMP */
    le64(v, 12);
    le32(v + 8, 256);
    crypto_hash_sha256(v + 12, payload, 12);                  /* H0 = SHA-256(S_0), S_0 = D_0 */
    ml += field(m + ml, 0x0005, v, 44);                       /* PAYLOAD */
    if (encrypted) {
        v[0] = 1;                                             /* ChaCha20 */
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, (const uint8_t *)"fwseal-v1 key-commitment", 24);
        crypto_hash_sha256_update(&st, K, 32);
        crypto_hash_sha256_final(&st, v + 1);
        ml += field(m + ml, 0x0006, v, 33);                   /* ENCRYPTION */
    }
    rl += field(rec + rl, 0x0001, (const uint8_t *)"app", 3); /* NAME */
    le64(v, 12);
    rl += field(rec + rl, 0x0002, v, 8);                      /* SIZE */
    if (encrypted) {                                          /* HMAC(DK, 00 || plaintext) */
        hkdf(dk, NULL, 0, K, (const uint8_t *)"fwseal-v1 digest-key", 20);
        crypto_auth_hmacsha256_init(&mac, dk, 32);
        crypto_auth_hmacsha256_update(&mac, &one_byte, 1);
        crypto_auth_hmacsha256_update(&mac, (const uint8_t *)data, 12);
        crypto_auth_hmacsha256_final(&mac, h);
    } else {
        crypto_hash_sha256(h, (const uint8_t *)data, 12);
    }
    rl += field(rec + rl, 0x0003, h, 32);                     /* DIGEST */
    le64(v, 12);
    rl += field(rec + rl, 0x0004, v, 8);                      /* STORED_SIZE */
    v[0] = v[1] = 0;
    rl += field(rec + rl, 0x0005, v, 2);                      /* COMPRESSION: none */
    comps[0] = 1;
    le16(comps + 1, (unsigned)rl);
    memcpy(comps + 3, rec, rl);
    ml += field(m + ml, 0x0007, comps, 3 + rl);               /* COMPONENTS */
    if (delegated) {
        le32(v, 2);
        ml += field(m + ml, 0x0008, v, 4);                    /* MIN_KEY_GENERATION */
    }

    memcpy(out, "FWSEAL\x01\x00", 8);
    le32(out + 8, (uint32_t)ml);
    le32(out + 12, 0);
    memcpy(out + 16, m, ml);
    pos = 16 + ml;
    out[pos++] = 1;                                           /* one signature */
    if (delegated) {
        uint8_t root_pk[32], root_sk[64], msg[20 + 52];
        counting(seed, 0x80);
        crypto_sign_seed_keypair(root_pk, root_sk, seed);
        out[pos++] = 2;                                       /* delegated */
        le16(out + pos, 188);
        pos += 2;
        memcpy(out + pos, pk, 32);                            /* subject */
        le32(out + pos + 32, 2);                              /* generation */
        memcpy(out + pos + 36, class_id, 16);                  /* scope: the CLASS id */
        memcpy(msg, "fwseal-v1 delegation", 20);
        memcpy(msg + 20, out + pos, 52);
        crypto_hash_sha512(h, root_pk, 32);
        memcpy(out + pos + 52, h, 8);                         /* root key id */
        crypto_sign_detached(out + pos + 60, NULL, msg, sizeof msg, root_sk);
        crypto_sign_detached(out + pos + 124, NULL, out, 16 + ml, sk);
        pos += 188;
    } else {
        out[pos++] = 1;                                       /* Ed25519 */
        le16(out + pos, 72);
        pos += 2;
        crypto_hash_sha512(h, pk, 32);
        memcpy(out + pos, h, 8);                              /* key id */
        crypto_sign_detached(out + pos + 8, NULL, out, 16 + ml, sk);
        pos += 72;
    }
    if (encrypted) {
        out[pos++] = 1;                                       /* one capsule */
        out[pos++] = 1;                                       /* X25519 */
        le16(out + pos, 72);
        pos += 2;
        crypto_hash_sha512(h, dev_pk, 32);
        memcpy(out + pos, h, 8);                              /* recipient key id */
        cr_assert_eq(crypto_scalarmult_base(E, e), 0);
        cr_assert_eq(crypto_scalarmult(Z, e, dev_pk), 0);
        memcpy(info, "fwseal-v1 x25519-wrap", 21);
        memcpy(info + 21, E, 32);
        memcpy(info + 53, dev_pk, 32);
        hkdf(kek, NULL, 0, Z, info, sizeof info);
        memcpy(out + pos + 8, E, 32);
        for (int i = 0; i < 32; i++)
            out[pos + 40 + i] = K[i] ^ kek[i];                /* W = K XOR KEK */
        pos += 72;
    } else {
        out[pos++] = 0;                                       /* no capsules */
    }
    memcpy(out + pos, payload, 12);                           /* the one chunk */
    return pos + 12;
}

/* The hex between <!-- NAME-BEGIN --> and <!-- NAME-END -->; "0000:"
 * prefixes skipped. */
static uint8_t *spec_hex(const char *name, size_t *len)
{
    size_t slen;
    char begin[64], end[64];
    char *spec = (char *)file_read(FWSEAL_SRC "/format/SPEC.md", &slen);
    cr_assert(spec, "format/SPEC.md missing");
    spec[slen] = 0;
    snprintf(begin, sizeof begin, "<!-- %s-BEGIN -->", name);
    snprintf(end, sizeof end, "<!-- %s-END -->", name);
    char *b = strstr(spec, begin), *e = strstr(spec, end);
    cr_assert(b && e && b < e);
    uint8_t *out = malloc((size_t)(e - b));
    size_t n = 0;
    b = strchr(b, '\n');
    for (char *line = b; line && line < e; line = strchr(line + 1, '\n')) {
        char *p = line + 1, *colon = strchr(p, ':'), *nl = strchr(p, '\n');
        if (!nl || nl > e || !strncmp(p, "```", 3))
            continue;
        if (colon && colon < nl)
            p = colon + 1;
        while (p < nl) {
            unsigned x;
            while (p < nl && *p == ' ')
                p++;
            if (p + 1 < nl && sscanf(p, "%2x", &x) == 1 && p[2] != 'x') {
                out[n++] = (uint8_t)x;
                p += 2;
            } else {
                break;
            }
        }
    }
    free(spec);
    *len = n;
    return out;
}

/* The example built from the prose equals the hex SPEC.md prints. */
static void expect_spec_hex(const char *name, const uint8_t *built, size_t blen)
{
    size_t slen;
    uint8_t *spec = spec_hex(name, &slen);
    if (slen != blen || memcmp(spec, built, blen)) {
        fprintf(stderr, "SPEC.md %s should read:\n", name);
        for (size_t i = 0; i < blen; i++)
            fprintf(stderr, "%s%02x%s", i % 16 ? "" : "    ", built[i],
                    i % 16 == 15 || i + 1 == blen ? "\n" : " ");
    }
    cr_assert_eq(slen, blen, "SPEC.md %s is %zu bytes, the prose gives %zu", name, slen, blen);
    cr_assert(!memcmp(spec, built, blen), "SPEC.md %s differs from the prose", name);
    free(spec);
}

/* A PKCS#8 PEM of a raw private key (RFC 8410): OID 1.3.101.112 Ed25519,
 * 1.3.101.110 X25519. */
static void write_pkcs8(fixture *f, const char *name, uint8_t oid_last, const uint8_t key[32])
{
    uint8_t der[48] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                       0x03, 0x2b, 0x65, 0,    0x04, 0x22, 0x04, 0x20};
    char b64[100], pem[200];
    der[11] = oid_last;
    memcpy(der + 16, key, 32);
    sodium_bin2base64(b64, sizeof b64, der, sizeof der, sodium_base64_VARIANT_ORIGINAL);
    snprintf(pem, sizeof pem, "-----BEGIN PRIVATE KEY-----\n%s\n-----END PRIVATE KEY-----\n", b64);
    free(fx_write(f, name, pem, strlen(pem)));
}

Test(spec, worked_example_matches_spec_and_pack, .timeout = 30)
{
    uint8_t built[1024], seed[32];
    size_t blen = build_example(built, EXAMPLE_SIGNED);
    expect_spec_hex("EXAMPLE-HEX", built, blen);

    /* fwseal pack with the same key (imported from PKCS#8) and inputs.  The
     * class goes in as its 16-byte id (the hash of the class string, from
     * the bytes just built): given as a string, pack would also record it
     * as META "class", and the example has no META. */
    char class_hex[33];
    sodium_bin2hex(class_hex, sizeof class_hex, built + 16 + 4 + 10 + 4 + 4 + 4, 16);
    fixture fx;
    fx.dir = tmpdir_new();
    counting(seed, 0x00);
    write_pkcs8(&fx, "seed.pem", 0x70, seed);
    free(fx_write(&fx, "hello.txt", "hello world\n", 12));
    run_result r = run("cd '%s' && %s keygen --import seed.pem -o ex --no-passphrase && "
                       "SOURCE_DATE_EPOCH=1700000000 %s pack -o ex.fws --key ex.key "
                       "--version 1.2.3+4 --counter 7 --class %s "
                       "--level 0 --chunk-size 256 app=hello.txt",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, class_hex);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    size_t plen;
    char *pp = fx_path(&fx, "ex.fws");
    uint8_t *packed = file_read(pp, &plen);
    cr_assert_eq(plen, blen);
    cr_assert(!memcmp(packed, built, blen), "fwseal pack differs from SPEC.md's example");
    free(packed);
    free(pp);
    tmpdir_remove(fx.dir);
    free(fx.dir);
}

/* 10.2: the encrypted example, from libsodium alone; then both tools take
 * it with the recipient's key (imported from PKCS#8) and unpack "hello
 * world\n"; nothing in the public bytes equals SHA-256 of the plaintext. */
Test(spec, encrypted_example_matches_spec_and_both_tools_accept_it, .timeout = 30)
{
    uint8_t built[1024], key[32], h[32];
    size_t blen = build_example(built, EXAMPLE_ENCRYPTED);
    expect_spec_hex("ENCRYPTED-EXAMPLE-HEX", built, blen);
    crypto_hash_sha256(h, (const uint8_t *)"hello world\n", 12);
    for (size_t i = 0; i + 32 <= blen; i++)
        cr_assert(memcmp(built + i, h, 32), "SHA-256 of the plaintext at offset %zu", i);

    fixture fx;
    fx.dir = tmpdir_new();
    counting(key, 0x00);
    write_pkcs8(&fx, "sign.pem", 0x70, key);
    counting(key, 0x20);
    write_pkcs8(&fx, "dev.pem", 0x6e, key);
    free(fx_write(&fx, "enc.fws", built, blen));
    const char *policy = "--trust ex.pub --class acme.example/thermostat-v2 --key dev.key";
    run_result r = run("cd '%s' && %s keygen --import sign.pem -o ex --no-passphrase && "
                       "%s keygen --import dev.pem -o dev --no-passphrase && "
                       "%s verify enc.fws %s && %s check enc.fws %s && "
                       "%s unpack enc.fws %s -o out && printf 'hello world\\n' | cmp - out/app",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, policy, FWSV_BIN, policy,
                       FWSEAL_BIN, policy);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_assert(strstr(r.out, "keyed (HMAC-SHA256) digests match"), "%s", r.out);
    run_free(&r);
    tmpdir_remove(fx.dir);
    free(fx.dir);
}

/* 10.3: the delegated example, from libsodium alone; `fwseal cert issue`
 * and `pack --cert` with the same keys give the same bytes; both tools take
 * it with the root key only, and refuse it once the floor is above the
 * key's generation or without roots. */
Test(spec, delegated_example_matches_spec_and_pack, .timeout = 30)
{
    uint8_t built[1024], seed[32];
    size_t blen = build_example(built, EXAMPLE_DELEGATED);
    expect_spec_hex("DELEGATED-EXAMPLE-HEX", built, blen);

    fixture fx;
    fx.dir = tmpdir_new();
    counting(seed, 0x00);
    write_pkcs8(&fx, "seed.pem", 0x70, seed);
    counting(seed, 0x80);
    write_pkcs8(&fx, "root.pem", 0x70, seed);
    free(fx_write(&fx, "hello.txt", "hello world\n", 12));
    run_result r = run("cd '%s' && %s keygen --import seed.pem -o ex --no-passphrase && "
                       "%s keygen --import root.pem -o root --no-passphrase && "
                       "%s cert issue --root root.key --subject ex.pub --generation 2 "
                       "--class acme.example/thermostat-v2 -o ex.cert && "
                       "SOURCE_DATE_EPOCH=1700000000 %s pack -o ex.fws --key ex.key --cert ex.cert "
                       "--version 1.2.3+4 --counter 7 --class f5f1bbb45ea9cceb97e5dd81212cdb71 "
                       "--level 0 --chunk-size 256 --min-key-generation 2 app=hello.txt",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    size_t plen;
    char *pp = fx_path(&fx, "ex.fws");
    uint8_t *packed = file_read(pp, &plen);
    cr_assert_eq(plen, blen);
    cr_assert(!memcmp(packed, built, blen), "fwseal pack --cert differs from SPEC.md's example");
    free(packed);
    free(pp);

    static const struct {
        const char *extra;
        int status;
        const char *reason;
    } cases[] = {
        {"--trust-root root.pub", 0, ""},
        {"--trust-root root.pub --min-key-generation 2", 0, ""},
        {"--trust-root root.pub --min-key-generation 3", 1, "revoked_key"},
        {"--trust ex.pub", 1, "untrusted"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *tools[] = {FWSEAL_BIN " verify --json", FWSV_BIN " check"};
        for (int t = 0; t < 2; t++) {
            r = run("cd '%s' && %s ex.fws --class acme.example/thermostat-v2 %s", fx.dir, tools[t],
                    cases[i].extra);
            cr_assert_eq(r.status, cases[i].status, "%s %s: %s%s", tools[t], cases[i].extra, r.out,
                         r.err);
            cr_assert(strstr(r.err, cases[i].reason) || strstr(r.out, cases[i].reason),
                      "%s %s: %s%s", tools[t], cases[i].extra, r.out, r.err);
            run_free(&r);
        }
    }
    tmpdir_remove(fx.dir);
    free(fx.dir);
}

static fixture fx;
static void setup(void) { fx_init(&fx); }
static void teardown(void) { fx_free(&fx); }

Test(spec, signatures_verify_over_exactly_the_signed_region, .init = setup, .fini = teardown)
{
    uint8_t buf[5000], pk[3][32];
    fill_text(buf, sizeof buf, 31);
    free(fx_write(&fx, "in.bin", buf, sizeof buf));
    run_result r = fx_pack(&fx, "s.fws", "--key sign2.key --key sign3.key app=in.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* The public keys, from `fwseal pubkey --format hex`. */
    for (int i = 0; i < 3; i++) {
        r = run("cd '%s' && %s pubkey sign%d.pub --format hex", fx.dir, FWSEAL_BIN, i + 1);
        cr_assert_eq(r.status, 0);
        cr_assert_eq(sodium_hex2bin(pk[i], 32, r.out, 64, NULL, NULL, NULL), 0);
        run_free(&r);
    }
    size_t len;
    char *p = fx_path(&fx, "s.fws");
    uint8_t *c = file_read(p, &len);
    free(p);
    size_t signed_len = 16 + rd32(c + 8), pos = signed_len;
    int count = c[pos++];
    cr_assert_eq(count, 3);
    for (int i = 0; i < count; i++) {
        cr_assert_eq(c[pos], 1, "type Ed25519");
        cr_assert_eq(rd16(c + pos + 1), 72);
        uint8_t id[64];
        crypto_hash_sha512(id, pk[i], 32);
        cr_assert(!memcmp(c + pos + 3, id, 8), "entry %d key id", i);
        cr_assert_eq(crypto_sign_verify_detached(c + pos + 11, c, signed_len, pk[i]), 0,
                     "signature %d does not verify over header||manifest", i);
        /* ... and over nothing more or less */
        cr_assert_neq(crypto_sign_verify_detached(c + pos + 11, c, signed_len - 1, pk[i]), 0);
        cr_assert_neq(crypto_sign_verify_detached(c + pos + 11, c, signed_len + 1, pk[i]), 0);
        pos += 75;
    }
    free(c);
}

Test(spec, x25519_capsule_opens_with_libsodium_from_the_spec, .init = setup, .fini = teardown)
{
    uint8_t input[20000];
    fill_text(input, sizeof input, 32);
    free(fx_write(&fx, "in.bin", input, sizeof input));
    run_result r = fx_pack(&fx, "e.fws", "--encrypt-to dev.pub --chunk-size 1024 app=in.bin");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* The device key: its secret from the key file loader, its public
     * key from `fwseal pubkey`, checked against each other here. */
    fws_key dev;
    fws_passphrase_src pp = {NULL, NULL};
    char *kp = fx_path(&fx, "dev.key");
    cr_assert_eq(fws_key_load(kp, &pp, &dev), 0);
    free(kp);
    uint8_t pub[32];
    crypto_scalarmult_base(pub, dev.secret);
    r = run("cd '%s' && %s pubkey dev.pub --format hex", fx.dir, FWSEAL_BIN);
    uint8_t pub_cli[32];
    sodium_hex2bin(pub_cli, 32, r.out, 64, NULL, NULL, NULL);
    run_free(&r);
    cr_assert(!memcmp(pub, pub_cli, 32));

    size_t len;
    char *p = fx_path(&fx, "e.fws");
    uint8_t *c = file_read(p, &len);
    free(p);
    /* Walk the manifest for ENCRYPTION (0x0006) and PAYLOAD (0x0005). */
    size_t mlen = rd32(c + 8), pos = 16;
    const uint8_t *commit = NULL, *payload_f = NULL, *comps = NULL;
    while (pos < 16 + mlen) {
        unsigned tag = rd16(c + pos), flen = rd16(c + pos + 2);
        if (tag == 6) commit = c + pos + 5;
        if (tag == 5) payload_f = c + pos + 4;
        if (tag == 7) comps = c + pos + 4;
        pos += 4 + flen;
    }
    cr_assert(commit && payload_f && comps);
    pos = 16 + mlen;
    pos += 1 + 75 * c[pos];                       /* signature block */
    cr_assert_eq(c[pos], 1, "one capsule");
    const uint8_t *cap = c + pos + 1;
    cr_assert_eq(cap[0], 1, "X25519 capsule");
    cr_assert_eq(rd16(cap + 1), 72);
    const uint8_t *rid = cap + 3, *E = cap + 11, *W = cap + 43;
    uint8_t h[64], Z[32], info[21 + 64], kek[32], K[32], kc[32];
    crypto_hash_sha512(h, pub, 32);
    cr_assert(!memcmp(rid, h, 8), "recipient id = SHA-512(pub)[0..8]");
    cr_assert_eq(crypto_scalarmult(Z, dev.secret, E), 0);
    memcpy(info, "fwseal-v1 x25519-wrap", 21);
    memcpy(info + 21, E, 32);
    memcpy(info + 53, pub, 32);
    hkdf(kek, NULL, 0, Z, info, sizeof info);
    for (int i = 0; i < 32; i++)
        K[i] = W[i] ^ kek[i];
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const uint8_t *)"fwseal-v1 key-commitment", 24);
    crypto_hash_sha256_update(&st, K, 32);
    crypto_hash_sha256_final(&st, kc);
    cr_assert(!memcmp(kc, commit, 32), "unwrapped key matches the signed commitment");
    /* DIGEST (SPEC.md 3.6) = HMAC-SHA256(HKDF(K, "fwseal-v1 digest-key"), 00 || plaintext). */
    {
        uint8_t dk[32], d[32], idx = 0;
        crypto_auth_hmacsha256_state mac;
        const uint8_t *digest = NULL;
        for (size_t q = 3; q + 4 <= 3 + (size_t)rd16(comps + 1);) {   /* the first component record */
            unsigned t = rd16(comps + q), tl = rd16(comps + q + 2);
            if (t == 3)
                digest = comps + q + 4;
            q += 4 + tl;
        }
        cr_assert(digest);
        hkdf(dk, NULL, 0, K, (const uint8_t *)"fwseal-v1 digest-key", 20);
        crypto_auth_hmacsha256_init(&mac, dk, 32);
        crypto_auth_hmacsha256_update(&mac, &idx, 1);
        crypto_auth_hmacsha256_update(&mac, input, sizeof input);
        crypto_auth_hmacsha256_final(&mac, d);
        cr_assert(!memcmp(d, digest, 32), "DIGEST is the keyed digest");
    }

    /* Reassemble the payload from the chunk chain, decrypt, inflate. */
    uint64_t P = rd32(payload_f) | (uint64_t)rd32(payload_f + 4) << 32;
    uint32_t C = rd32(payload_f + 8);
    uint8_t expect[32], *payload = malloc(P);
    memcpy(expect, payload_f + 12, 32);
    size_t at = pos + 1 + 75, got = 0;
    while (got < P) {
        size_t n = P - got < C ? P - got : C, stored = n + (got + n < P ? 32 : 0);
        uint8_t hh[32];
        crypto_hash_sha256(hh, c + at, stored);
        cr_assert(!memcmp(hh, expect, 32), "chunk at %zu: chain hash", at);
        memcpy(payload + got, c + at, n);
        if (stored > n)
            memcpy(expect, c + at + n, 32);
        at += stored;
        got += n;
    }
    cr_assert_eq(at, len, "nothing after the last chunk");
    static const uint8_t nonce[12];
    crypto_stream_chacha20_ietf_xor_ic(payload, payload, P, nonce, 0, K);
    uint8_t *plain = malloc(sizeof input);
    uLongf plen = sizeof input;
    cr_assert_eq(uncompress(plain, &plen, payload, P), Z_OK);
    cr_assert_eq(plen, sizeof input);
    cr_assert(!memcmp(plain, input, sizeof input));
    free(plain);
    free(payload);
    free(c);
    fws_key_wipe(&dev);
}
