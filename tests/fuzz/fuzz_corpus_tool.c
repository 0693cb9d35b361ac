/* SPDX-License-Identifier: MIT */
/*
 * Seed-making helper for scripts/fuzz-corpus.sh (not a fuzz harness):
 *
 *   fuzz_corpus_tool keys DIR          the harnesses' fixed test keys as key
 *                                      files: sign1..3.{key,pub}, dev.{key,pub},
 *                                      psk.key (no passphrase), and
 *                                      enc-sign1.key, enc-dev.key, enc-psk.key
 *                                      (passphrase "fuzz-passphrase")
 *   fuzz_corpus_tool zlib DIR          fuzz_inflate seeds: zlib and raw deflate
 *                                      streams of several kinds of data, for
 *                                      each window size, made by zlib
 *   fuzz_corpus_tool boot IN OUT MODE  a fuzz_boot seed from container IN:
 *                                      mode byte, fix 0x01, scratch 0, the boot
 *                                      record (header, manifest, signature
 *                                      block), then the plaintext of every
 *                                      component (decided with the device key)
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "cli.h"
#include "container_reader.h"
#include "decide.h"
#include "fuzz_common.h"
#include "keyfile.h"

static void die(const char *what)
{
    fprintf(stderr, "fuzz_corpus_tool: %s\n", what);
    exit(1);
}

static void write_file(const char *dir, const char *name, const void *d, size_t n)
{
    char p[4096];
    FILE *f;
    snprintf(p, sizeof p, "%s/%s", dir, name);
    f = fopen(p, "wb");
    if (!f || (n && fwrite(d, 1, n, f) != n) || fclose(f))
        die(p);
}

static int cmd_keys(const char *dir)
{
    static const char pass[] = "fuzz-passphrase";
    fz_keys k;
    char kp[4096], pp[4096];
    fz_keys_init(&k);
    for (int i = 0; i < FZ_NKEYS; i++) {
        fws_keyfile_write_opts o = {NULL, NULL, 0, FWS_KDF_INTERACTIVE, 1};
        int has_pub = k.key[i].type != FWS_KEY_PSK;
        snprintf(kp, sizeof kp, "%s/%s.key", dir, fz_key_name[i]);
        snprintf(pp, sizeof pp, "%s/%s.pub", dir, fz_key_name[i]);
        if (fws_keyfile_write(kp, has_pub ? pp : NULL, &k.key[i], &o) != FWS_EXIT_OK)
            die(kp);
        if (i == FZ_SIGN1 || i == FZ_DEV || i == FZ_PSK) {
            o.passphrase = pass;
            o.passphrase_len = sizeof pass - 1;
            o.comment = "fuzz seed, passphrase fuzz-passphrase";
            snprintf(kp, sizeof kp, "%s/enc-%s.key", dir, fz_key_name[i]);
            snprintf(pp, sizeof pp, "%s/enc-%s.pub", dir, fz_key_name[i]);
            if (fws_keyfile_write(kp, has_pub ? pp : NULL, &k.key[i], &o) != FWS_EXIT_OK)
                die(kp);
        }
    }
    return 0;
}

static void gen(uint8_t *b, size_t n, int kind, uint64_t seed)
{
    static const char *const words[] = {"boot ", "loader ", "flash ", "image ", "0x08000000 ",
                                        "signed ", "\n", "sector ", "verify "};
    uint64_t s = seed * 7919 + 1;
    size_t i = 0;
    switch (kind) {
    case 0:   /* text */
        while (i < n) {
            const char *w = words[fz_rand(&s) % 9];
            for (size_t j = 0; w[j] && i < n; j++)
                b[i++] = (uint8_t)w[j];
        }
        break;
    case 1:   /* random */
        for (; i < n; i++)
            b[i] = (uint8_t)fz_rand(&s);
        break;
    case 2:   /* runs */
        while (i < n) {
            uint8_t v = (uint8_t)fz_rand(&s);
            for (size_t r = 1 + fz_rand(&s) % 300; r-- && i < n;)
                b[i++] = v;
        }
        break;
    default:  /* copies from far back */
        for (; i < n; i++)
            b[i] = (i > 2000 && fz_rand(&s) % 8) ? b[i - 1 - fz_rand(&s) % 2000]
                                                  : (uint8_t)fz_rand(&s);
        break;
    }
}

static int cmd_zlib(const char *dir)
{
    static const int levels[] = {0, 1, 6, 9};
    static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FIXED, Z_HUFFMAN_ONLY, Z_RLE};
    uint8_t in[6000], out[8000];
    int count = 0;
    for (int w = 9; w <= 15; w++)
        for (int raw = 0; raw <= 1; raw++)
            for (int kind = 0; kind < 4; kind++) {
                size_t n = (size_t)(kind == 3 ? 5000 : 200 + 700 * kind);
                int level = levels[(w + kind) % 4], strategy = strategies[(w + raw + kind) % 4];
                z_stream z;
                char name[64];
                memset(&z, 0, sizeof z);
                gen(in, n, kind, (uint64_t)(w * 10 + kind));
                /* zlib's deflate cannot make 2^8 windows; w = 9 is the minimum. */
                if (deflateInit2(&z, level, Z_DEFLATED, raw ? -w : w, 8, strategy) != Z_OK)
                    die("deflateInit2");
                out[0] = (uint8_t)((w - 9) | (raw ? 8 : 0));
                out[1] = (uint8_t)(kind * 37 + w);   /* split pattern */
                z.next_in = in;
                z.avail_in = (uInt)n;
                z.next_out = out + 2;
                z.avail_out = sizeof out - 2;
                if (deflate(&z, Z_FINISH) != Z_STREAM_END)
                    die("deflate");
                snprintf(name, sizeof name, "w%d-%s-k%d", w, raw ? "raw" : "zlib", kind);
                write_file(dir, name, out, 2 + z.total_out);
                deflateEnd(&z);
                count++;
            }
    /* The empty stream, a stored block, and a zlib stream with FDICT. */
    {
        static const uint8_t empty[] = {0x06, 0x00, 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01};
        static const uint8_t stored[] = {0x0e, 0x01, 0x01, 0x03, 0x00, 0xfc, 0xff, 'a', 'b', 'c'};
        static const uint8_t dict[] = {0x06, 0x00, 0x78, 0xbb, 0x00, 0x00, 0x00, 0x01, 0x03, 0x00};
        write_file(dir, "empty", empty, sizeof empty);
        write_file(dir, "stored-raw", stored, sizeof stored);
        write_file(dir, "fdict", dict, sizeof dict);
    }
    printf("%d zlib seeds\n", count + 3);
    return 0;
}

typedef struct {
    uint8_t *buf;
    size_t len, cap;
} plain;

static int p_begin(void *user, int index, const fws_component *c)
{
    (void)user;
    (void)index;
    (void)c;
    return 0;
}

static int p_data(void *user, int index, const uint8_t *d, size_t n)
{
    plain *p = user;
    (void)index;
    if (n == 0)
        return 0;
    if (p->len + n > p->cap) {
        p->cap = (p->len + n) * 2;
        p->buf = realloc(p->buf, p->cap);
    }
    memcpy(p->buf + p->len, d, n);
    p->len += n;
    return 0;
}

static int cmd_boot(const char *in, const char *out, int mode)
{
    static container c;
    fz_keys k;
    policy pol;
    verdict v;
    plain pl = {NULL, 0, 0};
    component_sink sink = {p_begin, p_data, &pl};
    uint8_t *file;
    size_t len;
    fz_layout l;
    FILE *f;
    uint8_t head[3] = {(uint8_t)mode, 0x01, 0};

    fz_keys_init(&k);
    f = fopen(in, "rb");
    if (!f)
        die(in);
    file = malloc(1 << 24);
    len = fread(file, 1, 1 << 24, f);
    fclose(f);
    fz_layout_of(file, len, &l);

    memset(&pol, 0, sizeof pol);
    pol.trusted = &k.key[FZ_SIGN1];
    pol.n_trusted = 3;
    pol.threshold = 1;
    pol.device_key = (mode & FZ_MODE_KEY_MASK) == 1 ? &k.key[FZ_PSK] : &k.key[FZ_DEV];
    if (mode & FZ_MODE_ROOTS) {
        pol.roots = &k.key[FZ_SIGN3];
        pol.n_roots = pol.root_threshold = 1;
        pol.key_generation_floor = FZ_DELEGATED_GENERATION;
    }
    if (container_open(&c, in))
        die(in);
    decide(&c, &pol, &sink, &v);
    container_close(&c);
    if (!v.accepted || !v.components_checked) {
        fprintf(stderr, "fuzz_corpus_tool: %s: %s\n", in, v.message);
        exit(1);
    }
    f = fopen(out, "wb");
    if (!f || fwrite(head, 1, 3, f) != 3 || fwrite(file, 1, l.cap_off, f) != l.cap_off ||
        (pl.len && fwrite(pl.buf, 1, pl.len, f) != pl.len) || fclose(f))
        die(out);
    free(file);
    free(pl.buf);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0)
        die("sodium_init");
    if (argc == 3 && !strcmp(argv[1], "keys"))
        return cmd_keys(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "zlib"))
        return cmd_zlib(argv[2]);
    if (argc == 5 && !strcmp(argv[1], "boot"))
        return cmd_boot(argv[2], argv[3], atoi(argv[4]));
    fprintf(stderr, "usage: fuzz_corpus_tool keys DIR | zlib DIR | boot IN OUT MODE\n");
    return 2;
}
