/* SPDX-License-Identifier: MIT */
/* The external-command signer: the bytes to sign on the command's standard
 * input, the signature on its standard output (64 raw bytes, or 128 hex
 * digits and an optional newline).  No shell unless asked for: the
 * command line is split into words here. */
#include "diag.h"
#include "keyfile.h"
#include "signer_backend.h"
#include "parse.h"
#include "xalloc.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Longest answer read: a signature with some whitespace; more is an error. */
#define ANSWER_MAX 512

typedef struct {
    fws_signer_backend base;
    char **argv;
} command_signer;

/* Words of cmd: blanks separate, '...' and "..." group (no escapes inside
 * single quotes; backslash escapes the next character elsewhere).  NULL
 * after an error message for an unterminated quote or an empty command. */
static char **split_words(const char *cmd)
{
    size_t n = 0, cap = 8, len = strlen(cmd);
    char **argv = xcalloc(cap, sizeof *argv), *word = xmalloc(len + 1);
    const char *p = cmd;
    while (*p) {
        size_t w = 0;
        int have = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        while (*p && *p != ' ' && *p != '\t') {
            char q = *p;
            have = 1;
            if (q == '\'' || q == '"') {
                const char *end = strchr(p + 1, q);
                if (!end) {
                    diag_error("--sign-cmd '%s': unterminated %c quote", cmd, q);
                    goto fail;
                }
                memcpy(word + w, p + 1, (size_t)(end - p - 1));
                w += (size_t)(end - p - 1);
                p = end + 1;
            } else if (q == '\\' && p[1]) {
                word[w++] = p[1];
                p += 2;
            } else {
                word[w++] = *p++;
            }
        }
        if (!have)
            break;
        if (n + 2 > cap)
            argv = xrealloc(argv, (cap *= 2) * sizeof *argv);
        argv[n++] = xstrndup(word, w);
        argv[n] = NULL;
    }
    free(word);
    if (n == 0) {
        diag_error("--sign-cmd: the command is empty");
        free(argv);
        return NULL;
    }
    return argv;
fail:
    for (size_t i = 0; i < n; i++)
        free(argv[i]);
    free(argv);
    free(word);
    return NULL;
}

/* Runs the command with msg on its stdin; *out gets what it printed (up to
 * ANSWER_MAX + 1 bytes). */
static int run_command(char *const *argv, const uint8_t *msg, size_t len, uint8_t *out,
                       size_t *out_len)
{
    int in[2], outp[2], status;
    pid_t pid;
    size_t done = 0;
    ssize_t n;
    void (*old_pipe)(int);
    if (pipe(in) || pipe(outp)) {
        diag_error("--sign-cmd: cannot create a pipe: %s", strerror(errno));
        return FWS_EXIT_IO;
    }
    pid = fork();
    if (pid < 0) {
        diag_error("--sign-cmd: cannot start %s: %s", argv[0], strerror(errno));
        return FWS_EXIT_IO;
    }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(outp[1], 1);
        close(in[0]);
        close(in[1]);
        close(outp[0]);
        close(outp[1]);
        execvp(argv[0], argv);
        diag_error("--sign-cmd: cannot run %s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    close(in[0]);
    close(outp[1]);
    /* A command that exits without reading its input must not kill us. */
    old_pipe = signal(SIGPIPE, SIG_IGN);
    while (done < len && (n = write(in[1], msg + done, len - done)) > 0)
        done += (size_t)n;
    close(in[1]);
    signal(SIGPIPE, old_pipe);
    *out_len = 0;
    while (*out_len <= ANSWER_MAX &&
           (n = read(outp[0], out + *out_len, ANSWER_MAX + 1 - *out_len)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        *out_len += (size_t)n;
    }
    close(outp[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (WIFSIGNALED(status)) {
        diag_error("--sign-cmd: %s was killed by signal %d: nothing written", argv[0],
                   WTERMSIG(status));
        return FWS_EXIT_IO;
    }
    if (WEXITSTATUS(status) != 0) {
        diag_error("--sign-cmd: %s exited with status %d: nothing written", argv[0],
                   WEXITSTATUS(status));
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

static int command_sign(fws_signer_backend *b, const uint8_t *msg, size_t len,
                        uint8_t sig[FWS_SIG_LEN])
{
    command_signer *c = (command_signer *)b;
    uint8_t out[ANSWER_MAX + 1];
    size_t n;
    int rc = run_command(c->argv, msg, len, out, &n);
    if (rc)
        return rc;
    if (n == FWS_SIG_LEN) {
        memcpy(sig, out, FWS_SIG_LEN);
        return FWS_EXIT_OK;
    }
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
        n--;
    if (n == 2 * FWS_SIG_LEN && !parse_hex((const char *)out, n, sig, FWS_SIG_LEN))
        return FWS_EXIT_OK;
    diag_error("--sign-cmd: %s printed %zu%s bytes: expected a 64-byte signature or 128 hex "
               "digits: nothing written", c->argv[0], n, n > ANSWER_MAX ? " or more" : "");
    return FWS_EXIT_IO;
}

static void command_close(fws_signer_backend *b)
{
    command_signer *c = (command_signer *)b;
    for (size_t i = 0; c->argv && c->argv[i]; i++)
        free(c->argv[i]);
    free(c->argv);
    free(c);
}

int fws_signer_command_open(const char *cmd, int use_shell, const char *pub_path,
                            fws_signer *s)
{
    command_signer *c = xcalloc(1, sizeof *c);
    fws_key k;
    int rc;
    c->base.sign = command_sign;
    c->base.close = command_close;
    s->backend = &c->base;
    if (use_shell) {
        c->argv = xcalloc(4, sizeof *c->argv);
        c->argv[0] = xstrdup("sh");
        c->argv[1] = xstrdup("-c");
        c->argv[2] = xstrdup(cmd);
    } else if (!(c->argv = split_words(cmd))) {
        return FWS_EXIT_USAGE;
    }
    if (!pub_path) {
        diag_error("--sign-cmd needs --sign-cmd-pub PUB: the public key it signs for");
        return FWS_EXIT_USAGE;
    }
    if ((rc = fws_key_load_public(pub_path, &k)))
        return rc;
    if (k.type != FWS_KEY_ED25519) {
        diag_error("%s: --sign-cmd-pub needs an Ed25519 public key, this is %s %s key", pub_path,
                   k.type == FWS_KEY_X25519 ? "an" : "a", fws_key_type_name(k.type));
        return FWS_EXIT_USAGE;
    }
    memcpy(s->pub, k.pub, 32);
    s->label = xasprintf("command %s", c->argv[use_shell ? 2 : 0]);
    return FWS_EXIT_OK;
}
