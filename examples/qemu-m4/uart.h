/* SPDX-License-Identifier: MIT */
/*
 * Polled output on UART0 of QEMU's MPS2 boards (an ARM CMSDK APB UART at
 * 0x40004000; with -nographic or -serial stdio it is the terminal).
 * Transmit only, no interrupts, no buffering.
 */
#ifndef UART_H
#define UART_H

#include <stddef.h>
#include <stdint.h>

/** \brief Enables the transmitter.  Call once before the others. */
void uart_init(void);
/** \brief Sends one byte, waiting while the transmit buffer is full. */
void uart_putc(char c);
/** \brief Sends a NUL-terminated string ("\n" is sent as "\r\n"). */
void uart_puts(const char *s);
/** \brief Sends v in decimal with thousands separators ("3,141,592"). */
void uart_put_u64(uint64_t v);
/** \brief Sends v in decimal, right-aligned in at least width columns. */
void uart_put_u64_width(uint64_t v, unsigned width);
/** \brief Sends len bytes as lowercase hex. */
void uart_put_hex(const uint8_t *p, size_t len);
/** \brief Sends v as "0x" and eight lowercase hex digits. */
void uart_put_hex32(uint32_t v);

#endif
