/* SPDX-License-Identifier: MIT */
#include "ctext.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int ctext_put(char *out, size_t cap, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int w;
    if (*used >= cap)
        return -1;
    va_start(ap, fmt);
    w = vsnprintf(out + *used, cap - *used, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= cap - *used)
        return -1;
    *used += (size_t)w;
    return 0;
}

int ctext_bytes(char *out, size_t cap, size_t *used, const char *indent, const uint8_t *b,
                size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (ctext_put(out, cap, used, "%s%s0x%02x%s", i % 8 == 0 ? "\n" : " ",
                      i % 8 == 0 ? indent : "", b[i], i + 1 < n ? "," : "\n"))
            return -1;
    return 0;
}

int ctext_c_array(char *out, size_t cap, size_t *used, const char *ident, const char *suffix,
                  const uint8_t *b, size_t n)
{
    if (ctext_put(out, cap, used, "static const uint8_t %s%s[%zu] = {", ident, suffix, n) ||
        ctext_bytes(out, cap, used, "    ", b, n))
        return -1;
    return ctext_put(out, cap, used, "};\n");
}

int ctext_quoted(char *out, size_t cap, size_t *used, const char *s)
{
    if (ctext_put(out, cap, used, "\""))
        return -1;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int rc;
        if (*p == '\\' || *p == '"')
            rc = ctext_put(out, cap, used, "\\%c", *p);
        else if (*p == '/' && p > (const unsigned char *)s && p[-1] == '*')
            rc = ctext_put(out, cap, used, "\\057");
        else if (*p >= 0x20 && *p < 0x7f)
            rc = ctext_put(out, cap, used, "%c", *p);
        else
            rc = ctext_put(out, cap, used, "\\%03o", *p);
        if (rc)
            return -1;
    }
    return ctext_put(out, cap, used, "\"");
}

void ctext_guard(const char *ident, char *guard)
{
    size_t i, n = strlen(ident);
    for (i = 0; i < n; i++)
        guard[i] = (char)toupper((unsigned char)ident[i]);
    memcpy(guard + n, "_H", 3);
}
