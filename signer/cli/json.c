/* SPDX-License-Identifier: MIT */
#include "json.h"
#include "cli.h"

#include <stdint.h>
#include <string.h>

/* Top-level values finished on stdout, for json_error_document(). */
static int stdout_documents;

void json_init(json_writer *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->first[0] = 1;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len, i;
    uint32_t cp;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        len = 2, cp = s[0] & 0x1f;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        len = 3, cp = s[0] & 0x0f;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3f);
    }
    /* no overlong forms, no surrogates, nothing past U+10FFFF */
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

/* A JSON string: escapes quotes, backslashes and controls; bytes that are
 * not valid UTF-8 (META values may be anything) become U+FFFD. */
static void put_escaped(FILE *f, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    fputc('"', f);
    while (i < n) {
        unsigned char c = p[i];
        size_t l;
        if (c == '"' || c == '\\') {
            fprintf(f, "\\%c", c);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            i++;
        } else if ((l = utf8_len(p + i, n - i)) != 0) {
            fwrite(p + i, 1, l, f);
            i += l;
        } else {
            fputs("\\ufffd", f);
            i++;
        }
    }
    fputc('"', f);
}

static void key(json_writer *j, const char *k)
{
    if (!j->first[j->depth])
        fputc(',', j->f);
    j->first[j->depth] = 0;
    if (k) {
        put_escaped(j->f, k, strlen(k));
        fputc(':', j->f);
    }
}

void json_begin(json_writer *j, const char *k, char bracket)
{
    key(j, k);
    fputc(bracket, j->f);
    if (j->depth < 15)
        j->first[++j->depth] = 1;
}

void json_end(json_writer *j, char bracket)
{
    fputc(bracket, j->f);
    if (j->depth > 0)
        j->depth--;
    if (j->depth == 0) {
        fputc('\n', j->f);
        stdout_documents += j->f == stdout;
    }
}

void json_error_document(const char *message, int status)
{
    json_writer j;
    if (stdout_documents)
        return;
    json_init(&j, stdout);
    json_begin(&j, NULL, '{');
    json_str(&j, "error", message && *message ? message : "failed");
    json_u64(&j, "exit", (uint64_t)status);
    json_end(&j, '}');
}

void json_strn(json_writer *j, const char *k, const char *s, size_t n)
{
    key(j, k);
    put_escaped(j->f, s, n);
}

void json_str(json_writer *j, const char *k, const char *s)
{
    json_strn(j, k, s, strlen(s));
}

void json_hex(json_writer *j, const char *k, const uint8_t *b, size_t n)
{
    key(j, k);
    fputc('"', j->f);
    for (size_t i = 0; i < n; i++)
        fprintf(j->f, "%02x", b[i]);
    fputc('"', j->f);
}

void json_u64(json_writer *j, const char *k, uint64_t v)
{
    key(j, k);
    fprintf(j->f, "%llu", (unsigned long long)v);
}

void json_bool(json_writer *j, const char *k, int v)
{
    key(j, k);
    fputs(v ? "true" : "false", j->f);
}

void json_null(json_writer *j, const char *k)
{
    key(j, k);
    fputs("null", j->f);
}

void json_component_digest(json_writer *j, const fws_manifest *m, int i)
{
    const uint8_t *d = m->comp[i].digest;
    if (m->encrypted)
        json_null(j, "sha256");
    else
        json_hex(j, "sha256", d, FWS_HASH_LEN);
    json_hex(j, "digest", d, FWS_HASH_LEN);
    json_str(j, "digest_type", m->encrypted ? "hmac-sha256" : "sha256");
}

void json_address(json_writer *j, int has_address, uint64_t address)
{
    char hex[24];
    if (!has_address) {
        json_null(j, "address");
        json_null(j, "address_hex");
        return;
    }
    snprintf(hex, sizeof hex, "0x%llx", (unsigned long long)address);
    json_u64(j, "address", address);
    json_str(j, "address_hex", hex);
}

void json_class_name(json_writer *j, const fws_manifest *m)
{
    char name[FWS_MAX_META_VALUE + 1];
    if (cli_class_name(m, name, sizeof name) == 1)
        json_str(j, "class_name", name);
    else
        json_null(j, "class_name");
}
