/* SPDX-License-Identifier: MIT */
/* The freestanding manifest codec on its own: canonical encoding, and one
 * refusal for each rule of SPEC.md section 3, with its error code. */
#include <criterion/criterion.h>
#include <string.h>

#include "fws_bytes.h"
#include "fws_manifest.h"

static const uint8_t class_id[16] = {1, 2, 3};
static const uint8_t digest[32] = {9, 9, 9};
static const uint8_t hash0[32] = {7};

static void sample(fws_manifest *m)
{
    memset(m, 0, sizeof *m);
    m->major = 1;
    m->minor = 2;
    m->patch = 3;
    m->build = 4;
    m->counter = 5;
    m->class_id = class_id;
    m->timestamp = 6;
    m->payload_len = 100;
    m->chunk_size = 4096;
    m->first_chunk_hash = hash0;
    m->n_components = 2;
    m->comp[0] = (fws_component){.name = (const uint8_t *)"boot", .name_len = 4,
                                 .method = FWS_COMP_NONE, .size = 40, .stored_size = 40,
                                 .digest = digest, .has_address = 1, .address = 0x8000000};
    m->comp[1] = (fws_component){.name = (const uint8_t *)"app/main", .name_len = 8,
                                 .method = FWS_COMP_ZLIB, .wbits = 12, .size = 500,
                                 .stored_size = 60, .digest = digest};
}

static size_t enc(const fws_manifest *m, uint8_t *buf)
{
    size_t n = fws_manifest_encode(m, buf, FWS_MAX_MANIFEST);
    cr_assert(n > 0);
    return n;
}

Test(manifest, round_trip_is_canonical)
{
    fws_manifest m, d;
    uint8_t a[FWS_MAX_MANIFEST], b[FWS_MAX_MANIFEST];
    sample(&m);
    size_t n = enc(&m, a);
    cr_assert_eq(fws_manifest_decode(a, n, &d, NULL), FWS_OK);
    cr_assert_eq(d.major, 1);
    cr_assert_eq(d.build, 4);
    cr_assert_eq(d.counter, 5);
    cr_assert_eq(d.n_components, 2);
    cr_assert_eq(d.comp[1].offset, 40);
    cr_assert_eq(d.comp[0].address, 0x8000000);
    cr_assert(!d.comp[1].has_address);
    cr_assert_eq(d.comp[1].wbits, 12);
    cr_assert_eq(enc(&d, b), n);
    cr_assert(!memcmp(a, b, n), "decode then encode gives the same bytes");
}

static int decode_err(const uint8_t *buf, size_t n, fws_diag *d)
{
    fws_manifest m;
    return fws_manifest_decode(buf, n, &m, d);
}

Test(manifest, encoder_refuses_what_the_decoder_would)
{
    fws_manifest m;
    uint8_t buf[FWS_MAX_MANIFEST];
    sample(&m);
    m.payload_len = 99;   /* sizes no longer add up */
    cr_assert_eq(fws_manifest_encode(&m, buf, sizeof buf), 0);
    sample(&m);
    m.comp[1].name = (const uint8_t *)"boot";
    m.comp[1].name_len = 4;
    cr_assert_eq(fws_manifest_encode(&m, buf, sizeof buf), 0);
    sample(&m);
    cr_assert_eq(fws_manifest_encode(&m, buf, 50), 0, "does not fit");
}

/* The encoder re-decodes its output, so each rule refuses there too. */
static void expect_refused(void (*f)(fws_manifest *))
{
    fws_manifest m;
    uint8_t buf[FWS_MAX_MANIFEST];
    sample(&m);
    f(&m);
    cr_assert_eq(fws_manifest_encode(&m, buf, sizeof buf), 0);
}

static const uint8_t zeros[32];
static void bad_chunk(fws_manifest *m) { m->chunk_size = 1000; }
static void bad_wbits(fws_manifest *m) { m->comp[1].wbits = 16; }
static void bad_method(fws_manifest *m) { m->comp[1].method = 2; }
static void bad_name(fws_manifest *m) { m->comp[0].name = (const uint8_t *)"a//b"; m->comp[0].name_len = 4; }
static void none_sizes(fws_manifest *m) { m->comp[0].stored_size = 41; m->payload_len = 101; }
static void zero_hash(fws_manifest *m) { m->first_chunk_hash = zeros; }
static void no_comps(fws_manifest *m) { m->n_components = 0; m->payload_len = 0; }
static void short_zlib(fws_manifest *m) { m->comp[1].stored_size = 7; m->payload_len = 47; }

Test(manifest, encoder_refuses_each_rule)
{
    expect_refused(bad_chunk);
    expect_refused(bad_wbits);
    expect_refused(bad_method);
    expect_refused(bad_name);
    expect_refused(none_sizes);
    expect_refused(zero_hash);
    expect_refused(no_comps);
    expect_refused(short_zlib);
}

/* Byte-level edits of a valid encoding, each refused with its code. */
Test(manifest, decoder_refusals_with_codes)
{
    fws_manifest m;
    uint8_t good[FWS_MAX_MANIFEST], buf[FWS_MAX_MANIFEST + 16];
    fws_diag d;
    sample(&m);
    size_t n = enc(&m, good);

    /* VERSION is first: its tag at 0, length at 2. */
    memcpy(buf, good, n);
    fws_store16_le(buf + 2, 11);
    cr_assert_eq(decode_err(buf, n, &d), FWS_E_FIELD_LENGTH);
    cr_assert_str_eq(d.field, "version");

    /* Duplicate: COUNTER (second field, 8 bytes) repeated after itself. */
    memcpy(buf, good, 14 + 8);
    memcpy(buf + 22, good + 14, 8);
    memcpy(buf + 30, good + 22, n - 22);
    cr_assert_eq(decode_err(buf, n + 8, &d), FWS_E_FIELD_ORDER);

    /* Swap VERSION and COUNTER: order. */
    memcpy(buf, good + 14, 8);
    memcpy(buf + 8, good, 14);
    memcpy(buf + 22, good + 22, n - 22);
    cr_assert_eq(decode_err(buf, n, &d), FWS_E_FIELD_ORDER);

    /* Unknown critical field at the end (tag 0x7fff after COMPONENTS). */
    memcpy(buf, good, n);
    fws_store16_le(buf + n, 0x7fff);
    fws_store16_le(buf + n + 2, 0);
    cr_assert_eq(decode_err(buf, n + 4, &d), FWS_E_UNKNOWN_CRITICAL);
    /* The same tag with bit 15 set is skipped. */
    fws_store16_le(buf + n, 0xfffe);
    cr_assert_eq(decode_err(buf, n + 4, &d), FWS_OK);
    /* Tag 0 is never valid. */
    memcpy(buf, good, n);
    buf[0] = 0;
    cr_assert_eq(decode_err(buf, n, &d), FWS_E_FIELD_ORDER);

    /* A field running past the end, and a half field head. */
    cr_assert_eq(decode_err(good, n - 1, &d), FWS_E_FIELD_LENGTH);
    memcpy(buf, good, n);
    buf[n] = 0x01;
    cr_assert_eq(decode_err(buf, n + 1, &d), FWS_E_FIELD_LENGTH);

    /* Missing required field: drop VERSION. */
    cr_assert_eq(decode_err(good + 14, n - 14, &d), FWS_E_MISSING_FIELD);
    cr_assert_str_eq(d.field, "version");

    /* Sizes, limits. */
    cr_assert_eq(decode_err(good, 0, &d), FWS_E_MANIFEST_SIZE);
    cr_assert_eq(decode_err(good, FWS_MAX_MANIFEST + 1, &d), FWS_E_MANIFEST_SIZE);
}

Test(manifest, names)
{
    const char *ok[] = {"a", "app", "radio/fw.bin", "A-Z_0.9+x", "a/b/c", "..a", "a.."};
    const char *bad[] = {"", "/a", "a/", "a//b", ".", "..", "a/./b", "a/../b", "a b", "a\\b",
                         "ä", "a:b"};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        cr_assert(fws_component_name_valid((const uint8_t *)ok[i], strlen(ok[i])), "%s", ok[i]);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert(!fws_component_name_valid((const uint8_t *)bad[i], strlen(bad[i])), "%s", bad[i]);
    char longname[66];
    memset(longname, 'x', sizeof longname);
    cr_assert(fws_component_name_valid((const uint8_t *)longname, 64));
    cr_assert(!fws_component_name_valid((const uint8_t *)longname, 65));
}

/* SPEC.md 3.3: names equal ignoring case, or one the directory of the
 * other, clash; the decoder refuses them, the encoder never writes them. */
Test(manifest, name_clashes)
{
    static const struct { const char *a, *b; int clash; } cases[] = {
        {"a", "a", 1},        {"a", "A", 1},         {"a", "a/b", 1},     {"A", "a/b", 1},
        {"x/y", "X/Y/z", 1},  {"app", "App", 1},     {"a", "ab", 0},      {"a/b", "a/c", 0},
        {"a", "b/a", 0},      {"a.b", "a/b", 0},     {"a_", "a-", 0},     {"a/b", "a", 1},
        {"_", "-", 0},        {"a+", "a.", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_assert_eq(fws_component_names_clash((const uint8_t *)cases[i].a, strlen(cases[i].a),
                                               (const uint8_t *)cases[i].b, strlen(cases[i].b)),
                     cases[i].clash, "%s / %s", cases[i].a, cases[i].b);

    fws_manifest m;
    uint8_t buf[FWS_MAX_MANIFEST];
    fws_diag d;
    sample(&m);
    m.comp[1].name = (const uint8_t *)"BOOT/bin";   /* "boot" is its directory */
    cr_assert_eq(fws_manifest_encode(&m, buf, sizeof buf), 0);
    sample(&m);
    size_t n = enc(&m, buf);
    uint8_t *at = memmem(buf, n, "app/main", 8);
    cr_assert(at);
    memcpy(at, "Boot/x.y", 8);
    cr_assert_eq(decode_err(buf, n, &d), FWS_E_DUPLICATE_NAME);
    cr_assert_str_eq(d.field, "components[].name");
    cr_assert_eq(d.index, 1);
    memcpy(at, "bootx.yz", 8);   /* a longer name with "boot" as a prefix, not a directory */
    cr_assert_eq(decode_err(buf, n, &d), FWS_OK);
}

Test(manifest, meta_rules)
{
    fws_manifest m, d;
    uint8_t buf[FWS_MAX_MANIFEST];
    /* key "a" = "1", key "b" = "" : canonical */
    uint8_t meta[] = {1, 'a', 1, 0, '1', 1, 'b', 0, 0};
    sample(&m);
    m.meta = meta;
    m.meta_len = sizeof meta;
    size_t n = fws_manifest_encode(&m, buf, sizeof buf);
    cr_assert(n);
    cr_assert_eq(fws_manifest_decode(buf, n, &d, NULL), FWS_OK);
    cr_assert_eq(d.meta_len, sizeof meta);
    /* keys out of order, duplicate, bad char, empty meta: refused */
    uint8_t unordered[] = {1, 'b', 0, 0, 1, 'a', 0, 0};
    uint8_t dup[] = {1, 'a', 0, 0, 1, 'a', 0, 0};
    uint8_t badkey[] = {1, ' ', 0, 0};
    uint8_t overrun[] = {1, 'a', 5, 0, 'x'};
    const uint8_t *bads[] = {unordered, dup, badkey, overrun};
    size_t lens[] = {sizeof unordered, sizeof dup, sizeof badkey, sizeof overrun};
    for (int i = 0; i < 4; i++) {
        m.meta = bads[i];
        m.meta_len = (uint16_t)lens[i];
        cr_assert_eq(fws_manifest_encode(&m, buf, sizeof buf), 0, "meta case %d", i);
    }
}

Test(manifest, header)
{
    uint8_t h[FWS_HEADER_LEN];
    fws_header hd;
    fws_header_encode(h, 100);
    cr_assert_eq(fws_header_decode(h, &hd), FWS_OK);
    cr_assert_eq(hd.manifest_len, 100);
    h[0] ^= 1;
    cr_assert_eq(fws_header_decode(h, &hd), FWS_E_MAGIC);
    h[0] ^= 1;
    h[6] = 2;
    cr_assert_eq(fws_header_decode(h, &hd), FWS_E_VERSION);
    h[6] = 1;
    h[7] = 1;
    cr_assert_eq(fws_header_decode(h, &hd), FWS_E_RESERVED);
    h[7] = 0;
    h[15] = 1;
    cr_assert_eq(fws_header_decode(h, &hd), FWS_E_RESERVED);
    fws_header_encode(h, 8193);
    cr_assert_eq(fws_header_decode(h, &hd), FWS_E_MANIFEST_SIZE);
    fws_header_encode(h, 0);
    cr_assert_eq(fws_header_decode(h, &hd), FWS_E_MANIFEST_SIZE);
}

Test(manifest, error_names_are_distinct)
{
    for (int i = 0; i < FWS_FORMAT_ERRORS; i++)
        for (int j = i + 1; j < FWS_FORMAT_ERRORS; j++)
            cr_assert_str_neq(fws_format_err_name(i), fws_format_err_name(j));
    cr_assert_str_eq(fws_format_err_name(FWS_FORMAT_ERRORS), "unknown_error");
}

Test(manifest, stored_layout_arithmetic)
{
    cr_assert_eq(fws_chunk_count(0, 256), 0);
    cr_assert_eq(fws_stored_payload_len(0, 256), 0);
    cr_assert_eq(fws_chunk_count(256, 256), 1);
    cr_assert_eq(fws_stored_payload_len(256, 256), 256);
    cr_assert_eq(fws_chunk_count(257, 256), 2);
    cr_assert_eq(fws_stored_payload_len(257, 256), 257 + 32);
    /* Against plain division, on edges and pseudo-random values (the
     * implementation shifts and subtracts, for 32-bit targets). */
    static const uint32_t chunks[] = {256, 320, 4096, 65536 + 64, 1u << 20};
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++)
        for (int i = 0; i < 2000; i++) {
            uint64_t p;
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            p = i < 8 ? (uint64_t)chunks[c] * (uint64_t)(i / 2) + (uint64_t)(i % 2) - (i == 2)
                      : i < 12 ? UINT64_MAX - (uint64_t)(i - 8) : x >> (i % 64);
            uint64_t want = p / chunks[c] + (p % chunks[c] != 0);
            cr_assert_eq(fws_chunk_count(p, chunks[c]), want, "%llu / %u",
                         (unsigned long long)p, chunks[c]);
        }
}
