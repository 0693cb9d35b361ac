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
