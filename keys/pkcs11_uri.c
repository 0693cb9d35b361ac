/* SPDX-License-Identifier: MIT */
#include "pkcs11_uri.h"
#include "parse.h"
#include "xalloc.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Percent-decodes s[0..n) into a malloc'ed buffer (NUL-terminated), *out_len
 * bytes; NULL on a bad escape. */
static char *pct_decode(const char *s, size_t n, size_t *out_len)
{
    char *out = xmalloc(n + 1);
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi = i + 2 < n ? parse_hex_digit(s[i + 1]) : -1, lo = i + 2 < n ? parse_hex_digit(s[i + 2]) : -1;
            if (hi < 0 || lo < 0) {
                free(out);
                return NULL;
            }
            out[o++] = (char)(hi << 4 | lo);
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = 0;
    *out_len = o;
    return out;
}

typedef struct {
    const char *name;
    size_t offset;     /* of the char * field in fws_pkcs11_uri */
} attr_slot;

#define SLOT(f) offsetof(fws_pkcs11_uri, f)
static const attr_slot path_attrs[] = {
    {"token", SLOT(token)},   {"manufacturer", SLOT(manufacturer)}, {"serial", SLOT(serial)},
    {"model", SLOT(model)},   {"object", SLOT(object)},             {"type", SLOT(type)},
};
static const attr_slot query_attrs[] = {
    {"module-path", SLOT(module_path)},
    {"module-name", SLOT(module_name)},
    {"pin-source", SLOT(pin_source)},
};
/* Accepted and not used: they describe a library or slot fwseal does not
 * select by. */
static const char *const ignored_attrs[] = {"library-manufacturer", "library-description",
                                            "library-version", "slot-description",
                                            "slot-manufacturer"};

static int set_attr(fws_pkcs11_uri *u, int query, const char *name, size_t name_len,
                    const char *val, size_t val_len, char *err, size_t err_len)
{
    const attr_slot *t = query ? query_attrs : path_attrs;
    size_t n = query ? sizeof query_attrs / sizeof *t : sizeof path_attrs / sizeof *t, dlen;
    char *v = pct_decode(val, val_len, &dlen);
    if (!v) {
        snprintf(err, err_len, "attribute '%.*s': bad percent-encoding", (int)name_len, name);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].name) == name_len && !memcmp(t[i].name, name, name_len)) {
            char **field = (char **)((char *)u + t[i].offset);
            if (*field) {
                snprintf(err, err_len, "attribute '%s' given twice", t[i].name);
                free(v);
                return -1;
            }
            *field = v;
            return 0;
        }
    if (!query && name_len == 2 && !memcmp(name, "id", 2) && !u->id) {
        u->id = (uint8_t *)v;
        u->id_len = dlen;
        return 0;
    }
    if (!query && name_len == 7 && !memcmp(name, "slot-id", 7) && !u->has_slot_id) {
        char *end;
        u->slot_id = strtoul(v, &end, 10);
        u->has_slot_id = *v && !*end;
        free(v);
        if (!u->has_slot_id) {
            snprintf(err, err_len, "attribute 'slot-id': expected a decimal number");
            return -1;
        }
        return 0;
    }
    free(v);
    if (query && name_len == 9 && !memcmp(name, "pin-value", 9)) {
        snprintf(err, err_len, "pin-value is refused (the PIN would show in ps and in shell "
                               "history): use pin-source=file:PATH or env:VARIABLE");
        return -1;
    }
    for (size_t i = 0; i < sizeof ignored_attrs / sizeof *ignored_attrs; i++)
        if (strlen(ignored_attrs[i]) == name_len && !memcmp(ignored_attrs[i], name, name_len))
            return 0;
    if (name_len > 2 && !memcmp(name, "x-", 2))   /* vendor attributes (RFC 7512 2.3) */
        return 0;
    snprintf(err, err_len, "unknown or repeated %s attribute '%.*s'", query ? "query" : "path",
             (int)name_len, name);
    return -1;
}

/* Attributes of s[0..n) separated by sep. */
static int parse_part(fws_pkcs11_uri *u, int query, const char *s, size_t n, char sep, char *err,
                      size_t err_len)
{
    const char *end = s + n;
    while (s < end) {
        const char *next = memchr(s, sep, (size_t)(end - s)), *eq;
        if (!next)
            next = end;
        eq = memchr(s, '=', (size_t)(next - s));
        if (!eq || eq == s) {
            snprintf(err, err_len, "'%.*s': expected NAME=VALUE", (int)(next - s), s);
            return -1;
        }
        if (set_attr(u, query, s, (size_t)(eq - s), eq + 1, (size_t)(next - eq - 1), err,
                     err_len))
            return -1;
        s = next + 1;
    }
    return 0;
}

int fws_pkcs11_uri_parse(const char *uri, fws_pkcs11_uri *u, char *err, size_t err_len)
{
    const char *path, *q;
    memset(u, 0, sizeof *u);
    if (strncmp(uri, "pkcs11:", 7)) {
        snprintf(err, err_len, "not a pkcs11: URI");
        return -1;
    }
    path = uri + 7;
    q = strchr(path, '?');
    if (parse_part(u, 0, path, q ? (size_t)(q - path) : strlen(path), ';', err, err_len) ||
        (q && parse_part(u, 1, q + 1, strlen(q + 1), '&', err, err_len))) {
        fws_pkcs11_uri_free(u);
        return -1;
    }
    if (!u->object && !u->id) {
        snprintf(err, err_len, "name the key with object=LABEL or id=%%XX...");
        fws_pkcs11_uri_free(u);
        return -1;
    }
    return 0;
}

void fws_pkcs11_uri_free(fws_pkcs11_uri *u)
{
    free(u->token);
    free(u->manufacturer);
    free(u->serial);
    free(u->model);
    free(u->object);
    free(u->id);
    free(u->type);
    free(u->module_path);
    free(u->module_name);
    free(u->pin_source);
    memset(u, 0, sizeof *u);
}
