/* SPDX-License-Identifier: MIT */
/*
 * examples/qemu-m4/uart.h on the nRF51's UART (QEMU microbit), polled:
 *   0x008 TASKS_STARTTX   0x11C EVENTS_TXDRDY   0x500 ENABLE (4: on)
 *   0x51C TXD             byte to send; TXDRDY when it has gone
 * The text and number output is examples/qemu-m4/uart_fmt.c.
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
