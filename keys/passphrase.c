/* SPDX-License-Identifier: MIT */
/*
 * Passphrases from a file, an environment variable or the terminal.
 *
 * The terminal prompt opens /dev/tty itself (never stdin, which may carry a
 * firmware image), turns echo off, and restores the terminal even when the
 * user interrupts the prompt with ^C: a signal handler puts the saved
 * settings back and re-raises the signal.
 */
#include "passphrase.h"
#include "diag.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

int fws_passphrase_interactive(const fws_passphrase_src *src)
{
    return !src || (!src->file && !src->env);
}

/* Checks a candidate passphrase of n bytes in buf (NUL-terminated). */
static int check_passphrase(const char *buf, size_t n, const char *origin, int new_key)
{
    if (n == 0) {
        if (new_key)
            diag_error("%s: empty passphrase refused (use --no-passphrase to store "
                      "the key unencrypted)",
                      origin);
        else
            diag_error("%s: empty passphrase", origin);
        return FWS_EXIT_IO;
    }
    if (memchr(buf, '\0', n)) {
        diag_error("%s: passphrase contains a NUL byte", origin);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

/* ---- --passphrase-file ------------------------------------------------- */

static int from_file(const char *path, int new_key, char *buf, size_t *len)
{
    /* Room for FWS_PASSPHRASE_MAX bytes, the '\r' of a "\r\n" line end
     * and one byte more to notice an over-long line. */
    char tmp[FWS_PASSPHRASE_MAX + 2];
    struct stat st;
    size_t n = 0;
    int fd, rc = FWS_EXIT_IO, eol = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error("%s: cannot open passphrase file: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 077))
        diag_warn("%s: passphrase file is readable by others (mode %04o); chmod 600 %s",
                 path, (unsigned)(st.st_mode & 07777), path);
    /* One byte at a time up to the first newline: the file may be a pipe
     * (/dev/stdin) whose remainder is not ours to consume. */
    while (n < sizeof tmp) {
        ssize_t r = read(fd, &tmp[n], 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            diag_error("%s: cannot read passphrase file: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        if (tmp[n] == '\n') {
            eol = 1;
            break;
        }
        n++;
    }
    if (eol && n > 0 && tmp[n - 1] == '\r')
        n--;
    if (n > FWS_PASSPHRASE_MAX) {
        diag_error("%s: passphrase longer than %d bytes", path, FWS_PASSPHRASE_MAX);
        goto out;
    }
    memcpy(buf, tmp, n);
    buf[n] = 0;
    if (check_passphrase(buf, n, path, new_key))
        goto out;
    *len = n;
    rc = FWS_EXIT_OK;
out:
    sodium_memzero(tmp, sizeof tmp);
    if (rc)
        sodium_memzero(buf, FWS_PASSPHRASE_BUF);
    close(fd);
    return rc;
}

/* ---- --passphrase-env ---------------------------------------------------- */

static int from_env(const char *var, int new_key, char *buf, size_t *len)
{
    const char *v = getenv(var);
    size_t n;
    char origin[300];
    int rc;

    if (!v) {
        diag_error("environment variable %s (--passphrase-env) is not set", var);
        return FWS_EXIT_IO;
    }
    n = strlen(v);
    snprintf(origin, sizeof origin, "environment variable %s", var);
    if (n > FWS_PASSPHRASE_MAX) {
        diag_error("%s: passphrase longer than %d bytes", origin, FWS_PASSPHRASE_MAX);
        return FWS_EXIT_IO;
    }
    memcpy(buf, v, n);
    buf[n] = 0;
    rc = check_passphrase(buf, n, origin, new_key);
    if (rc) {
        sodium_memzero(buf, FWS_PASSPHRASE_BUF);
        return rc;
    }
    *len = n;
    return FWS_EXIT_OK;
}

/* ---- the terminal -------------------------------------------------------- */

/* State for the signal handler that restores echo.  Host code only; a
 * prompt is never nested. */
static volatile sig_atomic_t tty_fd = -1;
static struct termios tty_saved;

static const int tty_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define N_TTY_SIGNALS (sizeof tty_signals / sizeof tty_signals[0])

static void tty_restore_on_signal(int sig)
{
    int fd = tty_fd;
    if (fd >= 0) {
        tcsetattr(fd, TCSANOW, &tty_saved);
        (void)!write(fd, "\n", 1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Reads one line from the terminal with echo off into buf; returns its
 * length, -1 on read error, -2 if longer than FWS_PASSPHRASE_MAX. */
static long tty_read_line(int fd, const char *prompt, char *buf)
{
    struct termios noecho;
    struct sigaction sa, old[N_TTY_SIGNALS];
    size_t n = 0, i;
    int too_long = 0, err = 0;

    (void)!write(fd, prompt, strlen(prompt));
    if (tcgetattr(fd, &tty_saved) < 0)
        return -1;
    noecho = tty_saved;
    noecho.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
    noecho.c_lflag |= ECHONL | ICANON;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = tty_restore_on_signal;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < N_TTY_SIGNALS; i++)
        sigaction(tty_signals[i], &sa, &old[i]);
    tty_fd = fd;
    /* TCSADRAIN, not TCSAFLUSH: like sudo, keep what was typed ahead
     * (a pasted passphrase and its confirmation arrive at once). */
    if (tcsetattr(fd, TCSADRAIN, &noecho) < 0) {
        err = 1;
    } else {
        for (;;) {
            char c;
            ssize_t r = read(fd, &c, 1);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                err = 1;
                break;
            }
            if (r == 0 || c == '\n')
                break;
            if (n < FWS_PASSPHRASE_MAX)
                buf[n++] = c;
            else
                too_long = 1;
            c = 0;
        }
        tcsetattr(fd, TCSADRAIN, &tty_saved);
    }
    tty_fd = -1;
    for (i = 0; i < N_TTY_SIGNALS; i++)
        sigaction(tty_signals[i], &old[i], NULL);
    buf[n] = 0;
    if (err)
        return -1;
    if (too_long)
        return -2;
    return (long)n;
}

static int from_tty(const char *what, int new_key, char *buf, size_t *len)
{
    char prompt[512];
    char *again = NULL;
    long n, m;
    int fd, rc = FWS_EXIT_IO;

    fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        diag_error("%s: no terminal to ask for the passphrase; use "
                  "--passphrase-file F or --passphrase-env VAR%s",
                  what, new_key ? " (or --no-passphrase)" : "");
        return FWS_EXIT_IO;
    }
    snprintf(prompt, sizeof prompt, "%s for %s: ", new_key ? "New passphrase" : "Passphrase",
             what);
    n = tty_read_line(fd, prompt, buf);
    if (n == -1) {
        diag_error("%s: cannot read the passphrase from the terminal: %s", what,
                  strerror(errno));
        goto out;
    }
    if (n == -2) {
        diag_error("%s: passphrase longer than %d bytes", what, FWS_PASSPHRASE_MAX);
        goto out;
    }
    if (check_passphrase(buf, (size_t)n, what, new_key))
        goto out;
    if (new_key) {
        again = sodium_malloc(FWS_PASSPHRASE_BUF);   /* guarded, wiped on free */
        if (!again)
            xalloc_die(FWS_PASSPHRASE_BUF);
        m = tty_read_line(fd, "Repeat passphrase: ", again);
        if (m == -1) {
            diag_error("%s: cannot read the passphrase from the terminal: %s", what,
                      strerror(errno));
            goto out;
        }
        if (m != n || sodium_memcmp(buf, again, (size_t)n) != 0) {
            diag_error("%s: the passphrases do not match", what);
            goto out;
        }
    }
    *len = (size_t)n;
    rc = FWS_EXIT_OK;
out:
    if (again)
        sodium_free(again);   /* wipes */
    if (rc)
        sodium_memzero(buf, FWS_PASSPHRASE_BUF);
    close(fd);
    return rc;
}

int fws_passphrase_get(const fws_passphrase_src *src, const char *what, int new_key,
                       char *buf, size_t *len)
{
    *len = 0;
    if (src && src->file && src->env) {
        diag_error("give either --passphrase-file or --passphrase-env, not both");
        return FWS_EXIT_USAGE;
    }
    if (src && src->file)
        return from_file(src->file, new_key, buf, len);
    if (src && src->env)
        return from_env(src->env, new_key, buf, len);
    return from_tty(what, new_key, buf, len);
}
