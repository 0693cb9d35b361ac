/* SPDX-License-Identifier: MIT */
/*
 * Input readers, step 1 of the pack data path: one command-line input
 * becomes one or more components, each streamed to the caller through a
 * read callback.  (What the readers share among themselves is in
 * input_reader.h.)
 *
 * Spec syntax, one command-line argument:
 *
 *     [NAME=]FILE[@ADDRESS]
 *
 *   NAME     the component name: 1..64 bytes, segments of [A-Za-z0-9._+-]
 *            separated by '/', no empty, "." or ".." segment (checked by
 *            fws_component_name_valid()).  The spec is split at its FIRST
 *            '=': everything before it is NAME (names cannot contain '=').
 *            Without NAME=, a file's base name: as it is for a raw file
 *            (radio.bin), less the extension for Intel HEX, S-records and
 *            ELF (app.elf -> app); standard input needs a NAME.
 *   ADDRESS  load address, decimal or 0x-hex, 0 .. 2^64-1.  The rest is
 *            split at its LAST '@'; what follows must be an address, so a
 *            FILE whose name contains '@' needs an explicit @ADDRESS (raw)
 *            or a rename / symlink (Intel HEX, archives).  Decimal numbers
 *            with a leading zero ("0100") are refused rather than read as
 *            octal.
 *   FILE     "-" is standard input, read as raw binary.  Otherwise the kind
 *            is chosen by the extension, case-insensitively:
 *              .hex .ihex .ihx                         Intel HEX
 *              .srec .s19 .s28 .s37 .mot               Motorola S-records
 *              .elf .axf                               ELF executable
 *              .tar .tar.gz .tgz .tar.bz2 .tar.xz
 *              .zip .cpio                              archive
 *              anything else                           raw binary
 *
 * Per kind:
 *   raw        [NAME=]FILE[@ADDRESS].  The bytes are streamed.  An empty
 *              file is an error ("FILE: empty input") unless
 *              opts->allow_empty.  A raw file that starts with the ELF
 *              magic gets a warning (it is packed as raw bytes).
 *   Intel HEX  [NAME=]FILE.  No @ADDRESS: addresses come from the file; the
 *              component's address is its lowest data address.  Records
 *              00 (data), 01 (EOF, required, only whitespace after it),
 *              02 (extended segment address), 04 (extended linear address)
 *              are decoded; 03/05 (start address) are accepted and ignored.
 *              Records may come in any address order.  Two records writing
 *              the same byte are an error; a gap of up to opts->hex_max_gap
 *              bytes between data is filled with opts->hex_fill, a larger
 *              one is an error.  The image is decoded into memory, so its
 *              span (lowest to highest data address) is capped at
 *              FWS_INPUT_HEX_MAX_SPAN bytes; memory used is span + span/8.
 *              Every error names the file and the line.
 *   S-records  [NAME=]FILE, as Intel HEX (one image at its lowest address,
 *              the same gap, overlap and span rules); the records are
 *              described in input_srec.c.
 *   ELF        [NAME=]FILE.  The loadable segments at their physical
 *              addresses, as ONE component with the gaps filled as for
 *              Intel HEX (input_elf.c); ET_REL and files without PT_LOAD
 *              contents are refused.
 *   archive    [NAME=]ARCHIVE.  No @ADDRESS.  Each regular file member
 *              becomes one component, in archive order, without an
 *              address, named by its path with any leading "./" removed,
 *              or "NAME/path" when NAME= is given.  Directories are
 *              skipped.  Symbolic links, hard links, devices, FIFOs and
 *              sockets are errors (content is never silently dropped), and
 *              so are member names that are absolute, contain a ".."
 *              segment or an empty segment ("unsafe member name").  An
 *              archive without regular files is an error.  Empty members
 *              follow the raw rule (opts->allow_empty).  Only tar, zip and
 *              cpio formats are read; tar and cpio may be compressed with
 *              gzip, bzip2, xz or zstd, whose checksums are verified to the
 *              end of the stream (see input_archive.c); member data is
 *              streamed.
 *
 * Exit statuses (host/diag.h): FWS_EXIT_USAGE for what is wrong on the
 * command line (spec syntax, NAME, ADDRESS, an @ADDRESS that the kind does
 * not take); FWS_EXIT_IO for what is wrong with a file or its content
 * (missing, unreadable, empty, malformed, unsafe or invalid member names).
 * Duplicate component names are the caller's to check.
 *
 * Streaming means an error can surface after earlier components (or part
 * of the current one) were handed to fn: a corrupt later archive member, a
 * CRC mismatch found at the end of a compressed stream.  The caller must
 * treat any non-OK status as "discard everything" (pack writes its output
 * atomically, so nothing half-made remains).
 */
#ifndef FWS_INPUT_H
#define FWS_INPUT_H

#include "component_src.h"

/* Which reader a FILE goes to, by its extension. */
enum fws_input_kind { FWS_INPUT_RAW, FWS_INPUT_IHEX, FWS_INPUT_SREC, FWS_INPUT_ELF,
                      FWS_INPUT_ARCHIVE };
enum fws_input_kind fws_input_kind_of(const char *file);

/* Expands one command-line input into components and calls fn for each, in order, streaming
   (the component's bytes are read through src->read inside fn; whole files are never held in
   memory except Intel HEX images, decoded into memory up to FWS_INPUT_HEX_MAX_SPAN).
   Returns FWS_EXIT_OK, FWS_EXIT_USAGE (bad spec syntax, bad name, bad address), FWS_EXIT_IO
   (missing/unreadable/empty/malformed file), or whatever fn returned if not OK. Prints its own
   errors.  opts may be NULL for FWS_INPUT_OPTS_DEFAULT. */
int fws_input_visit(const char *spec, const fws_input_opts *opts, fws_component_fn fn, void *user);

#endif
