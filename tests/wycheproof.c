/* SPDX-License-Identifier: MIT */
/*
 * Minimal Wycheproof JSON reader; see wycheproof.h.
 *
 * The file is read whole and scanned in place.  A "span" is a half-open
 * range [p, e) of its text.  Values are never parsed into a tree: the
 * scanner only knows how to step over one JSON value (strings with their
 * escapes, nested objects and arrays, scalars), which is enough to walk
 * the members of an object or the elements of an array.
 */
#include "wycheproof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *p, *e;
} span;

static const char *skip_ws(const char *p, const char *e)
{
    while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

/* p is at an opening quote; returns the position just past the closing
 * quote, or NULL if the string is unterminated. */
static const char *skip_string(const char *p, const char *e)
{
    for (p++; p < e; p++) {
        if (*p == '\\')
            p++; /* the escaped character can be a quote */
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

/* Steps over one value starting at p (after white space); returns the
 * position just past it, or NULL if the text is malformed. */
static const char *skip_value(const char *p, const char *e)
{
    int depth = 0;
    p = skip_ws(p, e);
    if (p >= e || *p == '}' || *p == ']' || *p == ',' || *p == ':')
        return NULL;
    if (*p != '"' && *p != '{' && *p != '[') { /* number, true, false, null */
        while (p < e && !strchr(",}] \t\r\n", *p))
            p++;
        return p;
    }
    while (p < e) {
        if (*p == '"') {
            if (!(p = skip_string(p, e)))
                return NULL;
        } else {
            if (*p == '{' || *p == '[')
                depth++;
            else if (*p == '}' || *p == ']')
                depth--;
            p++;
        }
        if (depth == 0)
            return p;
    }
    return NULL;
}

/* Iterates the members of an object.  *pp starts just after the '{'.
 * Returns 1 with key (without quotes) and val set, 0 at the closing '}',
 * -1 on malformed text. */
static int member_next(const char **pp, const char *e, span *key, span *val)
{
    const char *p = skip_ws(*pp, e), *q;
    if (p < e && *p == ',')
        p = skip_ws(p + 1, e);
    if (p < e && *p == '}')
        return 0;
    if (p >= e || *p != '"' || !(q = skip_string(p, e)))
        return -1;
    key->p = p + 1;
    key->e = q - 1;
    p = skip_ws(q, e);
    if (p >= e || *p != ':')
        return -1;
    val->p = skip_ws(p + 1, e);
    if (!(val->e = skip_value(val->p, e)))
        return -1;
    *pp = val->e;
    return 1;
}

/* Iterates the elements of an array.  *pp starts just after the '['. */
static int elem_next(const char **pp, const char *e, span *val)
{
    const char *p = skip_ws(*pp, e);
    if (p < e && *p == ',')
        p = skip_ws(p + 1, e);
    if (p < e && *p == ']')
        return 0;
    val->p = p;
    if (!(val->e = skip_value(p, e)))
        return -1;
    *pp = val->e;
    return 1;
}

static int key_is(span k, const char *name)
{
    size_t n = strlen(name);
    return (size_t)(k.e - k.p) == n && memcmp(k.p, name, n) == 0;
}

/* Finds member "key" of object obj.  With nested set (group objects), the
 * "tests" member is ignored and, failing a direct member, the search goes
 * into object-valued members in order (e.g. "publicKey": {"pk": ...}). */
static int find_member(span obj, const char *key, int nested, span *out)
{
    const char *p = obj.p + 1;
    span k, v;
    int r;
    if (obj.e - obj.p < 2 || *obj.p != '{')
        return 0;
    while ((r = member_next(&p, obj.e, &k, &v)) == 1) {
        if (key_is(k, key) && !(nested && key_is(k, "tests"))) {
            *out = v;
            return 1;
        }
    }
    if (!nested)
        return 0;
    p = obj.p + 1;
    while ((r = member_next(&p, obj.e, &k, &v)) == 1)
        if (*v.p == '{' && !key_is(k, "tests") && find_member(v, key, 1, out))
            return 1;
    return 0;
}

static int lookup(const wp_case *c, const char *key, span *out)
{
    span t = {c->test, c->test + c->test_len};
    span g = {c->group, c->group + c->group_len};
    return find_member(t, key, 0, out) || find_member(g, key, 1, out);
}

static int hexval(int ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* Decodes a JSON string value (span includes the quotes). */
static char *decode_string(span v)
{
    const char *p = v.p + 1, *e = v.e - 1;
    char *out, *o;
    if (v.e - v.p < 2 || *v.p != '"')
        return NULL;
    /* A decoded string is never longer than its escaped form (\uXXXX is six
     * bytes and becomes at most three of UTF-8). */
    if (!(out = o = malloc((size_t)(e - p) + 1)))
        return NULL;
    while (p < e) {
        char ch = *p++;
        if (ch != '\\') {
            *o++ = ch;
            continue;
        }
        if (p >= e)
            break;
        switch (ch = *p++) {
        case 'n': *o++ = '\n'; break;
        case 't': *o++ = '\t'; break;
        case 'r': *o++ = '\r'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'u': {
            unsigned u = 0;
            int i, h;
            for (i = 0; i < 4; i++) {
                if (p >= e || (h = hexval(*p)) < 0) {
                    free(out);
                    return NULL;
                }
                u = u * 16 + (unsigned)h;
                p++;
            }
            /* Surrogate pairs are not combined: Wycheproof's hex and ASCII
             * fields never need them. */
            if (u < 0x80) {
                *o++ = (char)u;
            } else if (u < 0x800) {
                *o++ = (char)(0xc0 | (u >> 6));
                *o++ = (char)(0x80 | (u & 0x3f));
            } else {
                *o++ = (char)(0xe0 | (u >> 12));
                *o++ = (char)(0x80 | ((u >> 6) & 0x3f));
                *o++ = (char)(0x80 | (u & 0x3f));
            }
            break;
        }
        default: *o++ = ch; break; /* \" \\ \/ */
        }
    }
    *o = 0;
    return out;
}

char *wp_str(const wp_case *c, const char *key)
{
    span v;
    if (!lookup(c, key, &v) || *v.p != '"')
        return NULL;
    return decode_string(v);
}

uint8_t *wp_hex(const wp_case *c, const char *key, size_t *len)
{
    char *s = wp_str(c, key);
    size_t n, i;
    uint8_t *out;
    if (!s)
        return NULL;
    n = strlen(s);
    if (n % 2 != 0 || !(out = malloc(n / 2 + 1))) {
        free(s);
        return NULL;
    }
    for (i = 0; i < n / 2; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            free(s);
            free(out);
            return NULL;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    free(s);
    *len = n / 2;
    return out;
}

long wp_int(const wp_case *c, const char *key)
{
    span v;
    char buf[32], *end;
    size_t n;
    long r;
    if (!lookup(c, key, &v) || (*v.p != '-' && (*v.p < '0' || *v.p > '9')))
        return -1;
    n = (size_t)(v.e - v.p);
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, v.p, n);
    buf[n] = 0;
    r = strtol(buf, &end, 10);
    return *end ? -1 : r;
}

int wp_has_flag(const wp_case *c, const char *flag)
{
    span t = {c->test, c->test + c->test_len}, arr, el;
    const char *p;
    int found = 0;
    if (!find_member(t, "flags", 0, &arr) || *arr.p != '[')
        return 0;
    p = arr.p + 1;
    while (!found && elem_next(&p, arr.e, &el) == 1) {
        char *s = *el.p == '"' ? decode_string(el) : NULL;
        found = s && strcmp(s, flag) == 0;
        free(s);
    }
    return found;
}

/* Walks testGroups[*].tests[*]; returns the count, or -1 on malformed text. */
static int walk(span doc, void (*cb)(const wp_case *c, void *user), void *user)
{
    const char *p = skip_ws(doc.p, doc.e), *gp, *tp;
    span k, groups, group, tests, test;
    int r, n = 0, seen = 0;
    if (p >= doc.e || *p != '{')
        return -1;
    p++;
    while ((r = member_next(&p, doc.e, &k, &groups)) == 1) {
        if (!key_is(k, "testGroups"))
            continue;
        if (*groups.p != '[')
            return -1;
        seen = 1;
        gp = groups.p + 1;
        while ((r = elem_next(&gp, groups.e, &group)) == 1) {
            if (*group.p != '{')
                return -1;
            if (!find_member(group, "tests", 0, &tests) || *tests.p != '[')
                continue; /* a group without tests visits nothing */
            tp = tests.p + 1;
            while ((r = elem_next(&tp, tests.e, &test)) == 1) {
                wp_case c;
                if (*test.p != '{')
                    return -1;
                c.group = group.p;
                c.group_len = (size_t)(group.e - group.p);
                c.test = test.p;
                c.test_len = (size_t)(test.e - test.p);
                cb(&c, user);
                n++;
            }
            if (r < 0)
                return -1;
        }
        if (r < 0)
            return -1;
    }
    return r < 0 || !seen ? -1 : n;
}

int wp_foreach(const char *path, void (*cb)(const wp_case *c, void *user), void *user)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    int n;
    if (!f)
        return -1;
    do {
        if (cap - len < 65536) {
            char *t = realloc(text, cap = cap * 2 + 65536);
            if (!t) {
                free(text);
                fclose(f);
                return -1;
            }
            text = t;
        }
        got = fread(text + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    if (ferror(f)) {
        free(text);
        fclose(f);
        return -1;
    }
    fclose(f);
    {
        span doc = {text, text + len};
        n = walk(doc, cb, user);
    }
    free(text);
    return n;
}
