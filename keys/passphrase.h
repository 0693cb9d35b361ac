/* SPDX-License-Identifier: MIT */
/*
 * Obtaining passphrases for secret key files.
 *
 * A passphrase never comes from the command line (it would show in `ps`
 * and in shell history).  It comes from exactly one of:
 *
 *   --passphrase-file F   the first line of F, without its "\n" or "\r\n";
 *   --passphrase-env VAR  the value of the environment variable VAR;
 *   (neither)             a prompt on the controlling terminal (/dev/tty),
 *                         echo off; with no terminal that is an error, so
 *                         a CI job never hangs waiting for input.
 *
 * Rules (docs/KEYS.md): the bytes are used as they are (no trimming of
 * spaces, no Unicode normalisation); an empty passphrase is refused; at
 * most FWS_PASSPHRASE_MAX bytes; no NUL bytes.  A new key's passphrase is
 * asked twice on a terminal and both must agree.
 */
#ifndef FWS_PASSPHRASE_H
#define FWS_PASSPHRASE_H

#include <stddef.h>

typedef struct {
    const char *file;  /* --passphrase-file F: first line of F (trailing \n / \r\n stripped) */
    const char *env;   /* --passphrase-env VAR: value of environment variable VAR */
} fws_passphrase_src;  /* both NULL: prompt on the terminal (/dev/tty) without echo; no terminal → error */

/* Longest passphrase accepted, in bytes (without the terminating NUL). */
#define FWS_PASSPHRASE_MAX 1024

/* Room a caller provides for a passphrase: the bytes and a NUL. */
#define FWS_PASSPHRASE_BUF (FWS_PASSPHRASE_MAX + 1)

/*
 * Obtains a passphrase from `src` (NULL means "both NULL": the terminal).
 *
 * `what` names the key file in prompts and messages ("Passphrase for
 * WHAT: ").  `new_key` = 1 when the passphrase will protect a key being
 * written: a terminal asks twice and the answers must agree, and the
 * message for an empty passphrase points at --no-passphrase.
 *
 * `buf` must hold FWS_PASSPHRASE_BUF bytes.  On success it holds the
 * NUL-terminated, non-empty passphrase and *len its length.  `buf` is
 * SECRET: the caller wipes it with sodium_memzero() after use (this function
 * wipes it itself on failure and wipes every temporary copy).
 *
 * Prints a specific error and returns FWS_EXIT_IO when: the file cannot be
 * read, the variable is unset, the passphrase is empty, too long or holds a
 * NUL byte, there is no terminal, or the two terminal answers differ.
 * Returns FWS_EXIT_OK on success.
 */
int fws_passphrase_get(const fws_passphrase_src *src, const char *what, int new_key,
                       char *buf, size_t *len);

/* 1 if `src` (NULL allowed) means "ask on the terminal", so a caller may
 * offer another try after a wrong passphrase. */
int fws_passphrase_interactive(const fws_passphrase_src *src);

#endif
