#include "parse.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

int parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
    char *end;
    unsigned long long v;
    int hex = s && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    if (!s || !*s || !isdigit((unsigned char)s[0]))
        return -1;
    if (!hex && s[0] == '0' && s[1])
        return -1;
    errno = 0;
    v = strtoull(s, &end, hex ? 16 : 10);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}
