/* SPDX-License-Identifier: MIT */
/*
 * ARM semihosting, the two calls a QEMU run needs: end the emulator with a
 * status code, and nothing else.  Requires QEMU's -semihosting; without it
 * (or on real hardware with no debugger attached) the BKPT faults.
 */
#ifndef SEMIHOST_H
#define SEMIHOST_H

/** \brief Ends the QEMU session; QEMU exits with status (0..255).  Never
 *  returns (spins if the host ignores the request). */
void semihost_exit(int status) __attribute__((noreturn));

#endif
