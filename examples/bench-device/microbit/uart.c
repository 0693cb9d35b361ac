/* SPDX-License-Identifier: MIT */
/*
 * examples/qemu-m4/uart.h on the nRF51's UART (QEMU microbit), polled:
 *   0x008 TASKS_STARTTX   0x11C EVENTS_TXDRDY   0x500 ENABLE (4: on)
 *   0x51C TXD             byte to send; TXDRDY when it has gone
 * The number formatting is the same as examples/qemu-m4/uart.c's.
 */
#include "uart.h"

#define UART0_BASE 0x40002000u
#define UART_STARTTX (*(volatile uint32_t *)(UART0_BASE + 0x008))
#define UART_TXDRDY (*(volatile uint32_t *)(UART0_BASE + 0x11C))
#define UART_ENABLE (*(volatile uint32_t *)(UART0_BASE + 0x500))
#define UART_TXD (*(volatile uint32_t *)(UART0_BASE + 0x51C))

void uart_init(void)
{
    UART_ENABLE = 4;
    UART_STARTTX = 1;
}

void uart_putc(char c)
{
    UART_TXDRDY = 0;
    UART_TXD = (uint8_t)c;
    while (!UART_TXDRDY)
        ;
}

void uart_puts(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            uart_putc('\r');
        uart_putc(*s);
    }
}

/* Digits of v, least significant first; returns how many. */
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
