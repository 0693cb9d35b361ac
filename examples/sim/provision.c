/* SPDX-License-Identifier: MIT */
#include "provision.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hex_decode.h"

#define CONFIG_MAX 65536

typedef struct {
    const char *path;
    char *text;              /* NUL-terminated */
    uint8_t key_id[FWS_KEYID_LEN];
    int has_key_id;
} config;

static int fail(int status, const char *path, const char *what)
{
    fprintf(stderr, "sim: error: %s: %s\n", path, what);
    return status;
}

/* The whole file, at most max bytes, NUL-terminated. */
static char *read_file(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    if (!f) {
        fprintf(stderr, "sim: error: %s: cannot open: %s\n", path, strerror(errno));
        return NULL;
    }
    if (!(buf = malloc(max + 2)))
        abort();
    *len = fread(buf, 1, max + 1, f);
    fclose(f);
    if (*len > max) {
        fprintf(stderr, "sim: error: %s: larger than %zu bytes\n", path, max);
        free(buf);
        return NULL;
    }
    buf[*len] = 0;
    return buf;
}

/* The line "#define NAME VALUE" (NAME whole), or NULL. */
static const char *find_define(const config *c, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = c->text; (p = strstr(p, "#define ")) != NULL; p += 8)
        if ((p == c->text || p[-1] == '\n') && !strncmp(p + 8, name, n) &&
            (p[8 + n] == ' ' || p[8 + n] == '\n'))
            return p + 8 + n;
    return NULL;
}

/* A number macro: decimal digits, an optional 'u', or UINT64_C(digits). */
static int define_number(const config *c, const char *name, uint64_t *v)
{
    const char *p = find_define(c, name);
    int wrapped;
    char *end;
    if (!p)
        return -1;
    while (*p == ' ')
        p++;
    wrapped = !strncmp(p, "UINT64_C(", 9);
    p += wrapped ? 9 : 0;
    if (*p < '0' || *p > '9')
        return -1;
    errno = 0;
    *v = strtoull(p, &end, 10);
    if (errno)
        return -1;
    if (wrapped ? *end != ')' : (*end == 'u' ? end[1] != '\n' && end[1] != ' ' : 0))
        return -1;
    return 0;
}

/* The n bytes of array NAME ("static const uint8_t NAME[", then "= {",
 * 0xHH tokens, comments, braces and commas, then "};"): exactly n, or -1. */
static int array_bytes(const config *c, const char *name, uint8_t *out, size_t n)
{
    char head[96];
    const char *p;
    size_t got = 0;
    snprintf(head, sizeof head, "static const uint8_t %s[", name);
    for (p = c->text; (p = strstr(p, head)) != NULL; p++)
        if (p == c->text || p[-1] == '\n')
            break;
    if (!p || !(p = strstr(p, "= {")))
        return -1;
    for (p += 3; *p && strncmp(p, "};", 2); ) {
        int hi, lo;
        if (!strncmp(p, "/*", 2)) {
            const char *e = strstr(p + 2, "*/");
            if (!e)
                return -1;
            p = e + 2;
        } else if (strchr(" \t\r\n,{}", *p)) {
            p++;
        } else if (p[0] == '0' && p[1] == 'x' && (hi = ex_hexval(p[2])) >= 0 &&
                   (lo = ex_hexval(p[3])) >= 0 && got < n) {
            out[got++] = (uint8_t)(hi << 4 | lo);
            p += 4;
        } else {
            return -1;
        }
    }
    return *p && got == n ? 0 : -1;
}

static int policy_part(const config *c, sim_rom *r)
{
    uint64_t n_trusted, threshold, n_roots, root_threshold = 0, wbits, chunk, size;
    const char *bad;
    if (define_number(c, "FWS_DEVICE_N_TRUSTED", &n_trusted) ||
        define_number(c, "FWS_DEVICE_THRESHOLD", &threshold) ||
        define_number(c, "FWS_DEVICE_N_ROOTS", &n_roots) ||
        define_number(c, "FWS_DEVICE_MAX_WBITS", &wbits) ||
        define_number(c, "FWS_DEVICE_MAX_CHUNK", &chunk) ||
        define_number(c, "FWS_DEVICE_MAX_SIZE", &size))
        return fail(SIM_EXIT_IO, c->path, "not an fws_device_config.h from 'fwseal device-config' "
                                         "(a FWS_DEVICE_ macro is missing or malformed)");
    if (n_roots && define_number(c, "FWS_DEVICE_ROOT_THRESHOLD", &root_threshold))
        return fail(SIM_EXIT_IO, c->path, "names root keys but FWS_DEVICE_ROOT_THRESHOLD is "
                                         "missing or malformed");
    if (find_define(c, "FWS_DEVICE_CLASS_ANY"))
        return fail(SIM_EXIT_USAGE, c->path, "accepts every class (--any-class): this simulated "
                                             "device holds one class id");
    /* Range-check before narrowing, then the ROM's own rule. */
    if (n_trusted > SIM_ROM_MAX_TRUSTED || n_roots > SIM_ROM_MAX_ROOTS || threshold > 255 ||
        root_threshold > 255)
        return fail(SIM_EXIT_USAGE, c->path, "names more than 8 trusted keys or 4 root keys");
    r->n_trusted = (uint8_t)n_trusted;
    r->threshold = (uint8_t)threshold;
    r->n_roots = (uint8_t)n_roots;
    r->root_threshold = (uint8_t)root_threshold;
    if ((bad = sim_rom_trust_error(r)) != NULL)
        return fail(SIM_EXIT_USAGE, c->path, bad);
    if (chunk > SIM_MAX_CHUNK || wbits > SIM_MAX_WBITS)
        return fail(SIM_EXIT_USAGE, c->path, "asks for more RAM than this device has (at most "
                                             "--max-chunk 4096 --max-window-bits 15)");
    r->max_wbits = (uint8_t)wbits;
    r->max_chunk = (uint32_t)chunk;
    r->max_size = size < SIM_IMAGE_CAPACITY ? size : SIM_IMAGE_CAPACITY;
    if ((n_trusted &&
         array_bytes(c, "fws_device_trusted", r->trusted[0], 32 * (size_t)n_trusted)) ||
        array_bytes(c, "fws_device_class_id", r->class_id, FWS_CLASS_LEN))
        return fail(SIM_EXIT_IO, c->path, "the trusted keys or the class id do not read as "
                                         "'fwseal device-config' writes them");
    if (n_roots && array_bytes(c, "fws_device_roots", r->roots[0], 32 * (size_t)n_roots))
        return fail(SIM_EXIT_IO, c->path, "the root keys (fws_device_roots) do not read as "
                                         "'fwseal device-config --trust-root' writes them");
    return 0;
}

/* The device key the header names, if any: its type, id and public key. */
static int device_part(config *c, sim_rom *r)
{
    int x = find_define(c, "FWS_DEVICE_KEY_X25519") != NULL;
    int psk = find_define(c, "FWS_DEVICE_KEY_PSK") != NULL;
    if (!x && !psk)
        return 0;
    if (array_bytes(c, "fws_device_key_id", c->key_id, FWS_KEYID_LEN) ||
        (x && array_bytes(c, "fws_device_x25519_public", r->pub, 32)))
        return fail(SIM_EXIT_IO, c->path, "the device key does not read as 'fwseal "
                                         "device-config --device-key' writes it");
    r->key_type = x ? SIM_KEY_X25519 : SIM_KEY_PSK;
    c->has_key_id = 1;
    return 0;
}

/* The device's secret into r->secret, checked against the key the header
 * named (X25519: its public key; PSK: its id). */
static int secret_part(const config *c, const char *path, sim_rom *r)
{
    static const uint8_t base[32] = {9};
    static const char label[] = "fwseal-v1 psk-id";
    uint8_t pub[32], h[FWS_SHA512_LEN], buf[16 + 32];
    size_t len, a = 0, b;
    char *text;
    int rc = 0;
    if (r->key_type == SIM_KEY_NONE)
        return fail(SIM_EXIT_USAGE, path, "--key: the --config header names no device key "
                                          "(write it with 'fwseal device-config --device-key')");
    if (!(text = read_file(path, 4096, &len)))
        return SIM_EXIT_IO;
    /* fwseal secret --format raw: 32 bytes; --format hex: 64 digits. */
    if (len == 32) {
        memcpy(r->secret, text, 32);
    } else {
        b = len;
        while (a < b && strchr(" \t\r\n", text[a]))
            a++;
        while (b > a && strchr(" \t\r\n", text[b - 1]))
            b--;
        if (ex_hex_decode(text + a, b - a, r->secret, 32))
            rc = fail(SIM_EXIT_IO, path, "not a device secret: expected 'fwseal secret --format "
                                         "hex' (64 hex digits) or '--format raw' (32 bytes)");
    }
    if (!rc && r->key_type == SIM_KEY_X25519) {
        fws_x25519(pub, r->secret, base);
        if (memcmp(pub, r->pub, 32))
            rc = fail(SIM_EXIT_USAGE, path, "this secret does not belong to the device key in "
                                            "the --config header (its X25519 public key differs)");
    } else if (!rc) {
        memcpy(buf, label, 16);
        memcpy(buf + 16, r->secret, 32);
        fws_sha512(h, buf, sizeof buf);
        if (memcmp(h, c->key_id, FWS_KEYID_LEN))
            rc = fail(SIM_EXIT_USAGE, path, "this PSK does not belong to the device key in the "
                                            "--config header (its id differs)");
    }
    explicit_bzero(buf, sizeof buf);
    explicit_bzero(h, sizeof h);
    explicit_bzero(text, len);
    free(text);
    if (rc)
        explicit_bzero(r->secret, sizeof r->secret);
    return rc;
}

int sim_provision(const char *config_path, const char *secret_path, sim_rom *r)
{
    config c;
    size_t len;
    int rc;
    memset(&c, 0, sizeof c);
    c.path = config_path;
    if (!(c.text = read_file(config_path, CONFIG_MAX, &len)))
        return SIM_EXIT_IO;
    if (strlen(c.text) != len)
        rc = fail(SIM_EXIT_IO, config_path, "holds a NUL byte: not a C header");
    else if (!(rc = policy_part(&c, r)) && !(rc = device_part(&c, r)) && secret_path)
        rc = secret_part(&c, secret_path, r);
    if (!secret_path)
        r->key_type = SIM_KEY_NONE;
    free(c.text);
    return rc;
}
