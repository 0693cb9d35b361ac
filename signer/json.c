#include "json.h"

#include <string.h>

void json_init(json_writer *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->first[0] = 1;
}

static void put_escaped(FILE *f, const char *s, size_t n)
{
    fputc('"', f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
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
    if (j->depth == 0)
        fputc('\n', j->f);
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
