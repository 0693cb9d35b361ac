/* SPDX-License-Identifier: MIT */
/*
 * ARM CMSDK APB UART (DDI 0479), as on QEMU's mps2-an385/an386/an500:
 *   0x000 DATA     write: byte to send
 *   0x004 STATE    bit 0: TX buffer full
 *   0x008 CTRL     bit 0: TX enable
 *   0x010 BAUDDIV  >= 16 (QEMU ignores the rate but checks the value)
 */
#include "uart.h"

#ifndef UART0_BASE /* the same UART sits elsewhere on other MPS2 boards (an505) */
#define UART0_BASE 0x40004000u
#endif
#define UART_DATA (*(volatile uint32_t *)(UART0_BASE + 0x000))
#define UART_STATE (*(volatile uint32_t *)(UART0_BASE + 0x004))
#define UART_CTRL (*(volatile uint32_t *)(UART0_BASE + 0x008))
#define UART_BAUDDIV (*(volatile uint32_t *)(UART0_BASE + 0x010))
#define UART_STATE_TXFULL 1u
#define UART_CTRL_TXEN 1u

void uart_init(void)
{
    UART_BAUDDIV = 16;
    UART_CTRL = UART_CTRL_TXEN;
}

void uart_putc(char c)
{
    while (UART_STATE & UART_STATE_TXFULL)
        ;
    UART_DATA = (uint8_t)c;
}

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
