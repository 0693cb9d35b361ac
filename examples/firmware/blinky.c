/* SPDX-License-Identifier: MIT */
/*
 * The example firmware that `make demo` packs: a tiny "application" that
 * blinks an LED on a device, and here, on the host, prints what it would
 * do.  It is built for real (not random bytes) so the demo ships the kind
 * of image a release engineer signs.
 */
#include <stdio.h>

#ifndef FW_VERSION
#define FW_VERSION "1.0.0"
#endif

static const char banner[] = "blinky " FW_VERSION ": LED on PA5, period 500 ms";

int main(void)
{
    int i;
    puts(banner);
    for (i = 0; i < 3; i++)
        printf("tick %d: LED %s\n", i, i % 2 ? "off" : "on");
    return 0;
}
