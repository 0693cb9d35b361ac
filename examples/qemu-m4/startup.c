/* SPDX-License-Identifier: MIT */
/*
 * Reset and exceptions for Cortex-M4 on QEMU mps2-an386: the vector table,
 * a reset handler that sets up C (copy .data from flash, zero .bss) and
 * calls main(), a fault handler that reports and ends QEMU, and the
 * SysTick-based instruction counter declared in board.h.
 *
 * Only the 16 system vectors are listed: nothing here enables a device
 * interrupt.
 */
#include <stdint.h>

#include "board.h"
#include "semihost.h"
#include "uart.h"

/* Symbols from link.ld. */
extern uint32_t _sidata[], _sdata[], _edata[], _sbss[], _ebss[];

void Reset_Handler(void) __attribute__((noreturn));
void Fault_Handler(void) __attribute__((noreturn));
void SysTick_Handler(void);

void Reset_Handler(void)
{
    uint32_t *src = _sidata, *dst;
    /* Plain word loops; volatile keeps gcc from turning them into memcpy
     * and memset calls (there is no libc to call). */
    for (dst = _sdata; dst < _edata; dst++)
        *(volatile uint32_t *)dst = *src++;
    for (dst = _sbss; dst < _ebss; dst++)
        *(volatile uint32_t *)dst = 0;
    semihost_exit(main());
}

void Fault_Handler(void)
{
    uart_init();
    uart_puts("\nFAULT: hard fault or unexpected exception\n");
    semihost_exit(3);
}

/* ---- SysTick as a 64-bit tick counter ---- */

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE 1u
#define SYST_CSR_TICKINT 2u
#define SYST_CSR_CLKSOURCE 4u /* processor clock */
#define SYST_MAX 0xFFFFFFu

/* Board state, not verifier state: the only mutable global here. */
static volatile uint32_t systick_wraps;

void SysTick_Handler(void)
{
    systick_wraps++;
}

void board_ticks_start(void)
{
    SYST_CSR = 0;
    SYST_RVR = SYST_MAX;
    SYST_CVR = 0; /* any write clears it: the count starts at SYST_MAX */
    systick_wraps = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
}

uint64_t board_ticks(void)
{
    uint32_t wraps, cvr;
    /* Re-read if the interrupt counted a wrap in between. */
    do {
        wraps = systick_wraps;
        cvr = SYST_CVR;
    } while (wraps != systick_wraps);
    return ((uint64_t)wraps << 24) + (SYST_MAX - cvr);
}

#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_ICSR_PENDSTCLR (1u << 25)

void board_ticks_stop(void)
{
    SYST_CSR = 0;
    SCB_ICSR = SCB_ICSR_PENDSTCLR; /* drop a tick that is already pending */
}

/* ---- Vector table ---- */

typedef void (*vector)(void);

__attribute__((section(".vectors"), used)) static const vector vectors[16] = {
    (vector)(uintptr_t)_estack, /* initial stack pointer */
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
    Fault_Handler, /* MemManage */
    Fault_Handler, /* BusFault */
    Fault_Handler, /* UsageFault */
    0, 0, 0, 0,
    Fault_Handler, /* SVCall */
    Fault_Handler, /* DebugMonitor */
    0,
    Fault_Handler, /* PendSV */
    SysTick_Handler,
};
