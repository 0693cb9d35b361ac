/* SPDX-License-Identifier: MIT */
/*
 * The host's container reader (signer/read/container_reader.c), as used by
 * `fwseal inspect`, `verify` and `unpack`, on arbitrary bytes:
 * container_open_stream on an fmemopen'ed buffer, container_parse, then
 * container_next_chunk to the end or the first error.  It must never
 * crash, must leave a reason and a message on every failure, and must
 * hand out chunks in order within the chunk size and the payload length.
 *
 * Input: mode byte, then the container.  Mode bit 0 also runs
 * `fwseal inspect` (cmd_inspect) on the bytes written to a temporary file
 * (bit 1: with --json, and the output must be one well-formed JSON
 * object, in UTF-8 as RFC 8259 requires); its stdout is captured and its
 * stderr silenced.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "container_reader.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmp_path[64];

static void remove_tmp(void)
{
    if (tmp_path[0])
        unlink(tmp_path);
}

/* ---- a strict JSON syntax check (RFC 8259; strings must be UTF-8) ---- */

typedef struct {
    const char *s;
    size_t n, i;
} jp;

static int ws(jp *p)
{
    while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\n' || p->s[p->i] == '\t' ||
                           p->s[p->i] == '\r'))
        p->i++;
    return p->i < p->n;
}

static int utf8_seq(jp *p)
{
    unsigned char c = (unsigned char)p->s[p->i];
    unsigned need, cp, min;
    if (c < 0x80) {
        p->i++;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF)
        need = 1, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, cp = c & 0x07, min = 0x10000;
    else
        return 0;
    if (p->n - p->i <= need)
        return 0;
    for (unsigned k = 1; k <= need; k++) {
        unsigned char d = (unsigned char)p->s[p->i + k];
        if ((d & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (d & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    p->i += need + 1;
    return 1;
}

static int jstring(jp *p)
{
    if (p->i >= p->n || p->s[p->i] != '"')
        return 0;
    p->i++;
    while (p->i < p->n) {
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            return 1;
        }
        if (c < 0x20)
            return 0;
        if (c == '\\') {
            p->i++;
            if (p->i >= p->n)
                return 0;
            c = (unsigned char)p->s[p->i];
            if (c == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (p->i + k >= p->n || !strchr("0123456789abcdefABCDEF", p->s[p->i + k]) ||
                        !p->s[p->i + k])
                        return 0;
                p->i += 5;
            } else if (strchr("\"\\/bfnrt", c) && c) {
                p->i++;
            } else {
                return 0;
            }
            continue;
        }
        if (!utf8_seq(p))
            return 0;
    }
    return 0;
}

static int jvalue(jp *p, int depth);

static int jcontainer(jp *p, int depth, char open, char close)
{
    p->i++;   /* open */
    (void)open;
    if (!ws(p))
        return 0;
    if (p->s[p->i] == close) {
        p->i++;
        return 1;
    }
    for (;;) {
        if (close == '}') {
            if (!ws(p) || !jstring(p) || !ws(p) || p->s[p->i] != ':')
                return 0;
            p->i++;
        }
        if (!jvalue(p, depth + 1) || !ws(p))
            return 0;
        if (p->s[p->i] == ',') {
            p->i++;
            continue;
        }
        if (p->s[p->i] == close) {
            p->i++;
            return 1;
        }
        return 0;
    }
}

static int jvalue(jp *p, int depth)
{
    if (depth > 32 || !ws(p))
        return 0;
    switch (p->s[p->i]) {
    case '{':
        return jcontainer(p, depth, '{', '}');
    case '[':
        return jcontainer(p, depth, '[', ']');
    case '"':
        return jstring(p);
    case 't':
        if (p->n - p->i >= 4 && !memcmp(p->s + p->i, "true", 4))
            return p->i += 4, 1;
        return 0;
    case 'f':
        if (p->n - p->i >= 5 && !memcmp(p->s + p->i, "false", 5))
            return p->i += 5, 1;
        return 0;
    case 'n':
        if (p->n - p->i >= 4 && !memcmp(p->s + p->i, "null", 4))
            return p->i += 4, 1;
        return 0;
    default:
        if (p->s[p->i] == '0') {
            p->i++;
            return 1;
        }
        if (p->s[p->i] < '1' || p->s[p->i] > '9')
            return 0;
        while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
            p->i++;
        return 1;
    }
}

static void run_inspect(const uint8_t *c, size_t len, int json)
{
    char *out = NULL;
    size_t out_len = 0;
    FILE *mem, *saved, *f;
    char *argv[4] = {"inspect", tmp_path, json ? "--json" : NULL, NULL};
    int rc;

    f = fopen(tmp_path, "wb");
    if (!f || (len && fwrite(c, 1, len, f) != len) || fclose(f))
        fz_fail("cannot write %s", tmp_path);
    mem = open_memstream(&out, &out_len);
    if (!mem)
        fz_fail("open_memstream");
    saved = stdout;
    stdout = mem;
    fz_quiet(1);
    rc = cmd_inspect(json ? 3 : 2, argv);
    fz_quiet(0);
    stdout = saved;
    fclose(mem);
    if (rc != FWS_EXIT_OK && rc != FWS_EXIT_REJECT)
        fz_fail("inspect exit status %d", rc);
    if (json) {
        jp p = {out, out_len, 0};
        if (!out_len || out[0] != '{' || !jvalue(&p, 0) || ws(&p))
            fz_fail("inspect --json: not one JSON object (stopped at byte %zu of %zu):\n%.*s",
                    p.i, out_len, (int)(out_len > 4000 ? 4000 : out_len), out);
    }
    free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static container c;
    static const uint8_t dummy[1];
    const uint8_t *d;
    size_t n, len;
    uint64_t off, expect = 0;
    FILE *f;
    int r;

    if (!tmp_path[0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        int fd;
        snprintf(tmp_path, sizeof tmp_path, "%s/fwseal-fuzz-XXXXXX", dir);
        fd = mkstemp(tmp_path);
        if (fd < 0)
            fz_fail("mkstemp %s", tmp_path);
        close(fd);
        atexit(remove_tmp);
    }
    if (size < 1)
        return 0;
    len = size - 1;
    f = fmemopen((void *)(uintptr_t)(len ? data + 1 : dummy), len ? len : 1, "rb");
    if (!f)
        fz_fail("fmemopen");
    if (!len)
        (void)fgetc(f);
    container_open_stream(&c, f, "fuzz-input");
    if (container_parse(&c) == 0) {
        if (c.stage != STAGE_CAPSULES)
            fz_fail("parsed, but the stage is %d", (int)c.stage);
        while ((r = container_next_chunk(&c, &d, &n, &off)) == 1) {
            if (n == 0 || n > c.m.chunk_size || off != expect || n > c.m.payload_len - off)
                fz_fail("chunk of %zu bytes at %llu (expected at %llu; C %u, P %llu)", n,
                        (unsigned long long)off, (unsigned long long)expect, c.m.chunk_size,
                        (unsigned long long)c.m.payload_len);
            expect += n;
        }
        if (r == 0 && expect != c.m.payload_len)
            fz_fail("clean end after %llu of %llu payload bytes", (unsigned long long)expect,
                    (unsigned long long)c.m.payload_len);
        if (r < 0 && (!c.reason || !c.err[0]))
            fz_fail("chunk error without a reason or message");
    } else if (!c.reason || !c.err[0] || !memchr(c.err, 0, sizeof c.err)) {
        fz_fail("parse error without a reason or message");
    }
    container_close(&c);
    if (data[0] & 1)
        run_inspect(data + 1, len, (data[0] & 2) != 0);
    return 0;
}
