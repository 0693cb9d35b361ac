/* SPDX-License-Identifier: MIT */
#include "tmpname.h"

#include <stdint.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

void tmpname_fill(char *out, size_t n)
{
    static unsigned calls;
    uint32_t r = 0;
    for (size_t i = 0; i < n; i++, r >>= 5) {
        if (i % 6 == 0 && getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
            r = (uint32_t)getpid() * 2654435761u ^ (uint32_t)time(NULL) ^ ++calls << 20;
        out[i] = "abcdefghijklmnopqrstuvwxyz012345"[r & 31];
    }
}
