/* SPDX-License-Identifier: MIT */
/*
 * Host program: writes the benchmark's inputs and their expected results
 * as a C header (stdout), computed with libsodium and zlib, the
 * independent oracles, so that the device run can check every result it
 * measures.
 *
 *     gen_bench_data FILE > bench_data.h
 *
 * FILE supplies 16 KiB of a real binary, from offset 16 KiB when it is at
 * least 32 KiB long (the "app" component; shorter files are repeated).  Keys come from fixed seeds, so the output depends
 * only on FILE.  Contents:
 *  - a complete encrypted container, built here from the SPEC with
 *    libsodium and zlib alone: header || manifest || signature block ||
 *    X25519 key capsule || payload chunks with their hash chain.  The
 *    manifest describes a zlib-compressed "app" (16 KiB) and a raw
 *    "config/thermostat" (1 KiB) with addresses, the key commitment and
 *    META: a realistic 400-600 byte signed region; its digests are
 *    keyed (HMAC-SHA256 under the digest key), and its boot record is
 *    header || manifest || signature block || digest key.  Plus
 *    the Ed25519 public key, the class id and the device's X25519 key pair;
 *  - the zlib stream of "app" (level 9, windowBits 12: 4 KiB window);
 *  - SHA-256 / SHA-512 of the first 4 KiB of "app", and the SHA-256 of its
 *    ChaCha20 encryption under a fixed key and nonce;
 *  - an X25519 scalar, a point and their product;
 *  - two boot records for a 64 KiB image (the 16 KiB app repeated four
 *    times, one plain SHA-256 component): one signed directly by the
 *    release key, one by a signing key that a root key certified (a
 *    delegated signature entry, SPEC.md 4.1), and the root key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <zlib.h>

#include "fws_format.h"
#include "fws_manifest.h"

#define APP_LEN 16384
#define CFG_LEN 1024
#define CHUNK 4096
#define WBITS 12
#define BLOCK 4096 /* bytes hashed / encrypted per-byte figures use */

/* HKDF-SHA256 (RFC 5869) for one 32-byte block, from libsodium's HMAC. */
static void hkdf32(uint8_t okm[32], const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
                   size_t ikm_len, const uint8_t *info, size_t info_len)
{
    uint8_t zero[32] = {0}, prk[32], one = 1;
    crypto_auth_hmacsha256_state st;
    if (salt_len == 0) {
        salt = zero;
        salt_len = 32;
    }
    crypto_auth_hmacsha256_init(&st, salt, salt_len);
    crypto_auth_hmacsha256_update(&st, ikm, ikm_len);
    crypto_auth_hmacsha256_final(&st, prk);
    crypto_auth_hmacsha256_init(&st, prk, 32);
    crypto_auth_hmacsha256_update(&st, info, info_len);
    crypto_auth_hmacsha256_update(&st, &one, 1);
    crypto_auth_hmacsha256_final(&st, okm);
}

/* A keyed component digest: HMAC-SHA256(dk, u8 index || data). */
static void keyed_digest(uint8_t out[32], const uint8_t dk[32], uint8_t index, const uint8_t *data,
                         size_t len)
{
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, dk, 32);
    crypto_auth_hmacsha256_update(&st, &index, 1);
    crypto_auth_hmacsha256_update(&st, data, len);
    crypto_auth_hmacsha256_final(&st, out);
}

static void die(const char *what)
{
    fprintf(stderr, "gen_bench_data: %s\n", what);
    exit(3);
}

static void emit(const char *name, const uint8_t *p, size_t n)
{
    size_t i;
    printf("static const uint8_t %s[%zu] = {", name, n);
    for (i = 0; i < n; i++)
        printf("%s0x%02x,", i % 16 ? "" : "\n    ", p[i]);
    printf("\n};\n");
}

/* A deterministic byte string from a label: SHA-256(label || counter). */
static void fixed_bytes(uint8_t *out, size_t n, const char *label)
{
    uint8_t block[32];
    uint32_t ctr = 0;
    while (n) {
        crypto_hash_sha256_state st;
        size_t take = n < 32 ? n : 32;
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, (const uint8_t *)label, strlen(label));
        crypto_hash_sha256_update(&st, (const uint8_t *)&ctr, sizeof ctr);
        crypto_hash_sha256_final(&st, block);
        memcpy(out, block, take);
        out += take;
        n -= take;
        ctr++;
    }
}

#define IMG64_LEN 65536

/* A boot record for the 64 KiB image img: header || manifest (one
 * component "app", stored as it is, with the payload's chunk chain) ||
 * a signature block of one entry.  cert NULL: an Ed25519 entry by
 * (pk, sk); else a delegated entry: the record cert[0..cert_len) and a
 * signature by the certified key sk.  Returns the record's length. */
static size_t boot64_record(uint8_t *out, const uint8_t *img, const uint8_t class_id[16],
                            const uint8_t *pk, const uint8_t *sk, const uint8_t *cert,
                            size_t cert_len)
{
    fws_manifest m;
    uint8_t digest[32], next[32], h[64], sig[64], key_id[8];
    size_t mlen, pos;
    long c;
    memset(&m, 0, sizeof m);
    crypto_hash_sha256(digest, img, IMG64_LEN);
    /* The chunk chain from the last chunk back (SPEC.md section 2). */
    for (c = IMG64_LEN / CHUNK - 1; c >= 0; c--) {
        crypto_hash_sha256_state st;
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, img + (size_t)c * CHUNK, CHUNK);
        if (c + 1 < IMG64_LEN / CHUNK)
            crypto_hash_sha256_update(&st, next, 32);
        crypto_hash_sha256_final(&st, next);
    }
    m.major = 3;
    m.counter = 9;
    m.class_id = class_id;
    m.timestamp = 1700000000;
    m.payload_len = IMG64_LEN;
    m.chunk_size = CHUNK;
    m.first_chunk_hash = next;
    m.n_components = 1;
    m.comp[0].name = (const uint8_t *)"app";
    m.comp[0].name_len = 3;
    m.comp[0].method = FWS_COMP_NONE;
    m.comp[0].has_address = 1;
    m.comp[0].address = 0x08010000;
    m.comp[0].size = IMG64_LEN;
    m.comp[0].stored_size = IMG64_LEN;
    m.comp[0].digest = digest;
    mlen = fws_manifest_encode(&m, out + FWS_HEADER_LEN, FWS_MAX_MANIFEST);
    if (mlen == 0)
        die("fws_manifest_encode refused the 64 KiB image's manifest");
    fws_header_encode(out, (uint32_t)mlen);
    pos = FWS_HEADER_LEN + mlen;
    crypto_sign_detached(sig, NULL, out, pos, sk);
    crypto_hash_sha512(h, pk, 32);
    memcpy(key_id, h, 8);
    out[pos] = 1; /* one entry */
    return pos + 1 + fws_sig_entry_encode(out + pos + 1, key_id, cert, cert_len, sig);
}

static size_t meta_entry(uint8_t *out, const char *key, const char *value)
{
    size_t kl = strlen(key), vl = strlen(value);
    out[0] = (uint8_t)kl;
    memcpy(out + 1, key, kl);
    out[1 + kl] = (uint8_t)vl;
    out[2 + kl] = (uint8_t)(vl >> 8);
    memcpy(out + 3 + kl, value, vl);
    return 3 + kl + vl;
}

int main(int argc, char **argv)
{
    static uint8_t app[APP_LEN], cfg[CFG_LEN], z[APP_LEN + 1024], payload[APP_LEN + 2048];
    static uint8_t record[FWS_HEADER_LEN + FWS_MAX_MANIFEST + 80], meta[512], tmp[BLOCK];
    static uint8_t container[sizeof record + 80 + sizeof payload + 32 * 8];
    uint8_t dev_sk[32], dev_pk[32], eph_sk[32], capsule[FWS_CAPSULE_BODY], shared[32], kek[32];
    uint8_t info[128];
    size_t clen, nchunks;
    uint8_t seed[32], pk[64 + 32], sk[64], class_id[16], h[64], key[32], commit[32];
    uint8_t app_digest[32], cfg_digest[32], h0[32], next[32], sig[64];
    uint8_t dk[32], app_keyed[32], cfg_keyed[32];
    uint8_t chacha_key[32], chacha_nonce[12], xs[32], xp[32], xq[32];
    static uint8_t record64[FWS_HEADER_LEN + 1024 + 512], delegated64[sizeof record64];
    uint8_t root64_pk[32], img64_sha256[32];
    size_t record64_len, delegated64_len;
    uLongf zlen = sizeof z;
    z_stream zs;
    fws_manifest m;
    size_t n, mlen, pos, plen, meta_len = 0;
    FILE *f;

    if (argc != 2)
        die("usage: gen_bench_data FILE > bench_data.h");
    if (sodium_init() < 0)
        die("libsodium failed to initialise");
    if (!(f = fopen(argv[1], "rb")))
        die("cannot open the input file");
    /* Skip the headers and symbol tables at the start of an executable:
     * from 16 KiB on it is machine code, which compresses like firmware. */
    if (fseek(f, 0, SEEK_END) == 0 && ftell(f) >= 2 * APP_LEN)
        fseek(f, APP_LEN, SEEK_SET);
    else
        rewind(f);
    n = fread(app, 1, APP_LEN, f);
    fclose(f);
    if (n == 0)
        die("the input file is empty");
    for (pos = n; pos < APP_LEN; pos++)
        app[pos] = app[pos - n];
    fixed_bytes(cfg, CFG_LEN, "fwseal bench cfg");
    for (pos = 0; pos < CFG_LEN; pos++) /* a config blob: mostly text-like */
        cfg[pos] = (uint8_t)(' ' + cfg[pos] % 64);

    /* zlib, level 9, 4 KiB window (windowBits 12). */
    memset(&zs, 0, sizeof zs);
    if (deflateInit2(&zs, 9, Z_DEFLATED, WBITS, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        die("deflateInit2 failed");
    zs.next_in = app;
    zs.avail_in = APP_LEN;
    zs.next_out = z;
    zs.avail_out = (uInt)zlen;
    if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
        die("deflate did not finish");
    zlen = zs.total_out;
    deflateEnd(&zs);

    /* Keys and identifiers. */
    fixed_bytes(seed, 32, "fwseal bench ed25519 seed");
    crypto_sign_seed_keypair(pk, sk, seed);
    crypto_hash_sha256_state cs;
    crypto_hash_sha256_init(&cs);
    crypto_hash_sha256_update(&cs, (const uint8_t *)FWS_LABEL_CLASS, strlen(FWS_LABEL_CLASS));
    crypto_hash_sha256_update(&cs, (const uint8_t *)"acme.example/thermostat-v2", 26);
    crypto_hash_sha256_final(&cs, h);
    memcpy(class_id, h, 16);
    fixed_bytes(key, 32, "fwseal bench content key");
    crypto_hash_sha256_init(&cs);
    crypto_hash_sha256_update(&cs, (const uint8_t *)FWS_LABEL_COMMITMENT,
                              strlen(FWS_LABEL_COMMITMENT));
    crypto_hash_sha256_update(&cs, key, 32);
    crypto_hash_sha256_final(&cs, commit);
    crypto_hash_sha256(app_digest, app, APP_LEN);
    crypto_hash_sha256(cfg_digest, cfg, CFG_LEN);
    /* The container is encrypted: its signed digests are keyed (SPEC.md
     * 3.6), DIGEST_i = HMAC-SHA256(DK, u8 i || plaintext_i) with
     * DK = HKDF-SHA256(salt "", IKM K, info "fwseal-v1 digest-key"). */
    hkdf32(dk, NULL, 0, key, 32, (const uint8_t *)FWS_LABEL_DIGEST_KEY,
           strlen(FWS_LABEL_DIGEST_KEY));
    keyed_digest(app_keyed, dk, 0, app, APP_LEN);
    keyed_digest(cfg_keyed, dk, 1, cfg, CFG_LEN);

    /* Payload = ChaCha20(K, nonce 0, counter 0, zlib(app) || cfg); H0
     * from the chunk hash chain, computed from the last chunk back. */
    memcpy(payload, z, zlen);
    memcpy(payload + zlen, cfg, CFG_LEN);
    plen = zlen + CFG_LEN;
    {
        static const uint8_t nonce0[12];
        crypto_stream_chacha20_ietf_xor_ic(payload, payload, plen, nonce0, 0, key);
    }
    nchunks = (plen + CHUNK - 1) / CHUNK;
    {
        long c;
        for (c = (long)nchunks - 1; c >= 0; c--) {
            size_t start = (size_t)c * CHUNK;
            size_t len = plen - start < CHUNK ? plen - start : CHUNK;
            crypto_hash_sha256_init(&cs);
            crypto_hash_sha256_update(&cs, payload + start, len);
            if ((size_t)c + 1 < nchunks)
                crypto_hash_sha256_update(&cs, next, 32);
            crypto_hash_sha256_final(&cs, next);
        }
        memcpy(h0, next, 32);
    }

    meta_len += meta_entry(meta + meta_len, "build-host", "ci-runner-17.build.acme.example");
    meta_len += meta_entry(meta + meta_len, "channel", "stable");
    meta_len += meta_entry(meta + meta_len, "git", "3f2a9c1e7b5d4e6f8a9b0c1d2e3f405162738495");
    meta_len += meta_entry(meta + meta_len, "notes",
                           "Thermostat firmware: PID retune for the new sensor, fixes "
                           "the display flicker on wake.");

    memset(&m, 0, sizeof m);
    m.major = 2;
    m.minor = 7;
    m.patch = 1;
    m.build = 1234;
    m.counter = 7;
    m.class_id = class_id;
    m.timestamp = 1700000000;
    m.payload_len = plen;
    m.chunk_size = CHUNK;
    m.first_chunk_hash = h0;
    m.encrypted = 1;
    m.enc_alg = FWS_ENC_CHACHA20;
    m.key_commitment = commit;
    m.n_components = 2;
    m.comp[0].name = (const uint8_t *)"app";
    m.comp[0].name_len = 3;
    m.comp[0].method = FWS_COMP_ZLIB;
    m.comp[0].wbits = WBITS;
    m.comp[0].has_address = 1;
    m.comp[0].address = 0x08010000;
    m.comp[0].size = APP_LEN;
    m.comp[0].stored_size = zlen;
    m.comp[0].digest = app_keyed;
    m.comp[1].name = (const uint8_t *)"config/thermostat";
    m.comp[1].name_len = 17;
    m.comp[1].method = FWS_COMP_NONE;
    m.comp[1].has_address = 1;
    m.comp[1].address = 0x080F0000;
    m.comp[1].size = CFG_LEN;
    m.comp[1].stored_size = CFG_LEN;
    m.comp[1].digest = cfg_keyed;
    m.meta = meta;
    m.meta_len = (uint16_t)meta_len;
    mlen = fws_manifest_encode(&m, record + FWS_HEADER_LEN, FWS_MAX_MANIFEST);
    if (mlen == 0)
        die("fws_manifest_encode refused the benchmark manifest");
    fws_header_encode(record, (uint32_t)mlen);
    pos = FWS_HEADER_LEN + mlen;
    crypto_sign_detached(sig, NULL, record, pos, sk);
    record[pos] = 1; /* signature block: one Ed25519 entry */
    fws_entry_head_encode(record + pos + 1, FWS_SIG_ED25519, FWS_SIG_ED25519_BODY);
    crypto_hash_sha512(h, pk, 32);
    memcpy(record + pos + 4, h, FWS_KEYID_LEN);
    memcpy(record + pos + 4 + FWS_KEYID_LEN, sig, 64);

    /* Key capsule for the device's X25519 key (SPEC section 5). */
    fixed_bytes(dev_sk, 32, "fwseal bench device x25519 key");
    crypto_scalarmult_base(dev_pk, dev_sk);
    fixed_bytes(eph_sk, 32, "fwseal bench ephemeral x25519 key");
    crypto_hash_sha512(h, dev_pk, 32);
    memcpy(capsule, h, 8);
    crypto_scalarmult_base(capsule + 8, eph_sk);
    if (crypto_scalarmult(shared, eph_sk, dev_pk) != 0)
        die("X25519 capsule: all-zero shared secret");
    n = strlen(FWS_LABEL_X25519_WRAP);
    memcpy(info, FWS_LABEL_X25519_WRAP, n);
    memcpy(info + n, capsule + 8, 32);
    memcpy(info + n + 32, dev_pk, 32);
    hkdf32(kek, NULL, 0, shared, 32, info, n + 64);
    for (n = 0; n < 32; n++)
        capsule[40 + n] = key[n] ^ kek[n];

    /* The container: record || capsule block || S_0 .. S_{n-1}. */
    clen = pos + 4 + FWS_SIG_ED25519_BODY;
    memcpy(container, record, clen);
    container[clen++] = 1;
    fws_entry_head_encode(container + clen, FWS_CAPSULE_X25519, FWS_CAPSULE_BODY);
    clen += FWS_ENTRY_HEAD_LEN;
    memcpy(container + clen, capsule, FWS_CAPSULE_BODY);
    clen += FWS_CAPSULE_BODY;
    {
        size_t c;
        for (c = 0; c < nchunks; c++) {
            size_t start = c * CHUNK;
            size_t len = plen - start < CHUNK ? plen - start : CHUNK;
            memcpy(container + clen, payload + start, len);
            clen += len;
            if (c + 1 < nchunks) { /* H_{c+1} = SHA-256(S_{c+1}), from the back */
                size_t d;
                uint8_t hn[32];
                for (d = nchunks; d-- > c + 1;) {
                    size_t st = d * CHUNK;
                    size_t ln = plen - st < CHUNK ? plen - st : CHUNK;
                    crypto_hash_sha256_init(&cs);
                    crypto_hash_sha256_update(&cs, payload + st, ln);
                    if (d + 1 < nchunks)
                        crypto_hash_sha256_update(&cs, hn, 32);
                    crypto_hash_sha256_final(&cs, hn);
                }
                memcpy(container + clen, hn, 32);
                clen += 32;
            }
        }
    }
    if (clen != pos + 4 + FWS_SIG_ED25519_BODY + 4 + FWS_CAPSULE_BODY +
                    fws_stored_payload_len(plen, CHUNK))
        die("container length does not match the SPEC's formula");

    /* The 64 KiB image and its two boot records. */
    {
        static uint8_t img64[IMG64_LEN];
        uint8_t root_pk[32], root_sk[64], sub_pk[32], sub_sk[64], cert[FWS_CERT_LEN(1)];
        uint8_t msg[sizeof FWS_LABEL_DELEGATION - 1 + FWS_CERT_SIGNED_LEN];
        size_t len, i;
        for (i = 0; i < IMG64_LEN; i++)
            img64[i] = app[i % APP_LEN];
        len = boot64_record(record64, img64, class_id, pk, sk, NULL, 0);
        record64_len = len;
        /* A signing key certified by a root (generation 1, this class). */
        fixed_bytes(seed, 32, "fwseal bench root seed");
        crypto_sign_seed_keypair(root_pk, root_sk, seed);
        fixed_bytes(seed, 32, "fwseal bench delegated signing seed");
        crypto_sign_seed_keypair(sub_pk, sub_sk, seed);
        memcpy(cert, sub_pk, 32);
        memset(cert + 32, 0, 4);
        cert[32] = 1; /* generation 1, u32le */
        memcpy(cert + 36, class_id, 16);
        memcpy(msg, FWS_LABEL_DELEGATION, sizeof FWS_LABEL_DELEGATION - 1);
        memcpy(msg + sizeof FWS_LABEL_DELEGATION - 1, cert, FWS_CERT_SIGNED_LEN);
        crypto_hash_sha512(h, root_pk, 32);
        memcpy(cert + FWS_CERT_SIGNED_LEN, h, 8);
        crypto_sign_detached(cert + FWS_CERT_SIGNED_LEN + 8, NULL, msg, sizeof msg, root_sk);
        delegated64_len = boot64_record(delegated64, img64, class_id, sub_pk, sub_sk, cert,
                                        sizeof cert);
        memcpy(root64_pk, root_pk, 32);
        crypto_hash_sha256(img64_sha256, img64, IMG64_LEN);
    }

    fixed_bytes(chacha_key, 32, "fwseal bench chacha key");
    fixed_bytes(chacha_nonce, 12, "fwseal bench chacha nonce");
    fixed_bytes(xs, 32, "fwseal bench x25519 scalar");
    fixed_bytes(xp, 32, "fwseal bench x25519 point");
    xp[31] &= 0x7f;
    if (crypto_scalarmult(xq, xs, xp) != 0)
        die("X25519 test point has small order");

    for (n = 0; argv[1][n]; n++) /* the name goes into C text */
        if (argv[1][n] == '"' || argv[1][n] == '\\' || argv[1][n] == '*' ||
            (unsigned char)argv[1][n] < ' ')
            argv[1][n] = '_';
    printf("/* Generated by examples/qemu-m4/gen_bench_data from %s; do not edit. */\n",
           argv[1]);
    printf("#define BENCH_INPUT_NAME \"%s\"\n", argv[1]);
    printf("#define BENCH_APP_LEN %d\n#define BENCH_CFG_LEN %d\n", APP_LEN, CFG_LEN);
    printf("#define BENCH_BLOCK %d\n#define BENCH_WBITS %d\n#define BENCH_CHUNK %d\n", BLOCK,
           WBITS, CHUNK);
    printf("#define BENCH_SIGNED_LEN %zu\n", pos);
    /* The boot record: the signed region, the signature block, then DK. */
    memcpy(record + pos + 4 + FWS_SIG_ED25519_BODY, dk, 32);
    printf("#define BENCH_RECORD_LEN %zu\n", pos + 4 + FWS_SIG_ED25519_BODY + 32);
    printf("#define BENCH_SIG_OFFSET %zu\n", pos + 4 + FWS_KEYID_LEN);
    printf("#define BENCH_COUNTER %u\n", m.counter);
    printf("#define BENCH_ZLIB_LEN %lu\n", (unsigned long)zlen);
    printf("#define BENCH_CONTAINER_LEN %zu\n", clen);
    printf("#define BENCH_PAYLOAD_LEN %zu\n", plen);
    emit("bench_pk", pk, 32);
    emit("bench_device_sk", dev_sk, 32);
    emit("bench_device_pk", dev_pk, 32);
    emit("bench_container", container, clen);
    emit("bench_record", record, pos + 4 + FWS_SIG_ED25519_BODY + 32);
    emit("bench_cfg_sha256", cfg_digest, 32);
    emit("bench_class", class_id, 16);
    emit("bench_app", app, APP_LEN);
    emit("bench_cfg", cfg, CFG_LEN);
    emit("bench_app_sha256", app_digest, 32);
    emit("bench_zlib", z, zlen);
    crypto_hash_sha256(h, app, BLOCK);
    emit("bench_sha256_block", h, 32);
    crypto_hash_sha512(h, app, BLOCK);
    emit("bench_sha512_block", h, 64);
    emit("bench_chacha_key", chacha_key, 32);
    emit("bench_chacha_nonce", chacha_nonce, 12);
    crypto_stream_chacha20_ietf_xor_ic(tmp, app, BLOCK, chacha_nonce, 0, chacha_key);
    crypto_hash_sha256(h, tmp, BLOCK);
    emit("bench_chacha_block_sha256", h, 32);
    emit("bench_x25519_scalar", xs, 32);
    emit("bench_x25519_point", xp, 32);
    emit("bench_x25519_shared", xq, 32);
    printf("#define BENCH_IMG64_LEN %d\n", IMG64_LEN);
    emit("bench_record64", record64, record64_len);
    emit("bench_delegated64", delegated64, delegated64_len);
    emit("bench_root64_pk", root64_pk, 32);
    emit("bench_img64_sha256", img64_sha256, 32);
    return 0;
}
