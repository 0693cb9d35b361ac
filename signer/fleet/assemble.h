/* SPDX-License-Identifier: MIT */
/*
 * `fwseal assemble HEAD CAPSULE PAYLOAD -o OUT`: the container one device
 * downloads from a fleet directory (`fwseal rewrap --out-dir`,
 * docs/FLEET.md), made of the three files as a file server would
 * concatenate them.  The files are read once, as one container, and every
 * byte read is written to OUT (or its stage): HEAD must end exactly after its signature
 * block, CAPSULE after its capsule block, and PAYLOAD must have the
 * length the manifest gives and match the chunk chain.  Signatures and
 * capsules are not judged (the device does that; `fwseal verify` and
 * `fwsv` take its decision).
 */
#ifndef FWS_ASSEMBLE_H
#define FWS_ASSEMBLE_H

/* FWS_EXIT_REJECT when the pieces do not make a container (the piece
 * named), FWS_EXIT_IO when one cannot be read or OUT cannot be written;
 * OUT appears only when complete.  '-' is standard output: the container
 * is staged in an unnamed file in $TMPDIR (or /tmp) and copied there only
 * after every check passed, so a rejection prints nothing. */
int assemble(const char *head, const char *capsule, const char *payload, const char *out,
             int force);

#endif
