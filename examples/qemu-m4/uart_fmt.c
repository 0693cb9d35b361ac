/* SPDX-License-Identifier: MIT */
/* The text and number output of uart.h over any board's uart_putc (the
 * CMSDK UART in uart.c, the nRF51's in examples/bench-device/microbit). */
#include "uart.h"

void uart_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s);
    }
}

/* Digits of v, least significant first; returns how many (64-bit
 * division: libgcc's __aeabi_uldivmod). */
static unsigned digits(uint64_t v, char out[20])
{
    unsigned n = 0;
    do {
        out[n++] = (char)('0' + (unsigned)(v % 10));
        v /= 10;
    } while (v);
    return n;
}

void uart_put_u64_width(uint64_t v, unsigned width)
{
    char d[20];
    unsigned n = digits(v, d);
    while (width-- > n)
        uart_putc(' ');
    while (n)
        uart_putc(d[--n]);
}

void uart_put_u64(uint64_t v)
{
    char d[20];
    unsigned n = digits(v, d);
    while (n) {
        uart_putc(d[--n]);
        if (n && n % 3 == 0)
            uart_putc(',');
    }
}

void uart_put_hex(const uint8_t *p, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    while (len--) {
        uart_putc(hex[*p >> 4]);
        uart_putc(hex[*p & 15]);
        p++;
    }
}

void uart_put_hex32(uint32_t v)
{
    uint8_t b[4];
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
    uart_puts("0x");
    uart_put_hex(b, sizeof b);
}
