/* SPDX-License-Identifier: MIT */
/* The signing-key options that `pack`, `sign` and `cert issue` share: keys
 * in files or tokens (keys/signer.h), external signing commands, and
 * delegation certificates, parsed and opened once here. */
#ifndef FWS_SIGNER_ARGS_H
#define FWS_SIGNER_ARGS_H

#include <getopt.h>

#include "cert.h"
#include "passphrase.h"
#include "signer.h"

enum { SOPT_KEY = 500, SOPT_SIGN_CMD, SOPT_SIGN_CMD_PUB, SOPT_SIGN_CMD_SHELL, SOPT_CERT };

/* key_name: the option naming a key ("key", "root"). */
#define SIGNER_LONG_OPTIONS(key_name)                                    \
    {key_name, required_argument, 0, SOPT_KEY},                          \
    {"sign-cmd", required_argument, 0, SOPT_SIGN_CMD},                   \
    {"sign-cmd-pub", required_argument, 0, SOPT_SIGN_CMD_PUB},           \
    {"sign-cmd-shell", no_argument, 0, SOPT_SIGN_CMD_SHELL}

#define SIGNER_HELP(key_opt)                                                                 \
    "  " key_opt " KEY            an Ed25519 signing key: FILE.key[:env=VAR|:file=F] (that\n" \
    "                           key's own passphrase source) or a pkcs11: URI; repeatable\n" \
    "      --sign-cmd CMD       a command that signs its standard input (64 bytes or 128\n"  \
    "                           hex digits out), run without a shell; with:\n"             \
    "      --sign-cmd-pub PUB   the public key it signs for (one per --sign-cmd)\n"        \
    "      --sign-cmd-shell     run each --sign-cmd with sh -c instead\n"

typedef struct {
    const char *cmd, *key_opt;     /* for messages: "pack", "--key" */
    const char *keys[FWS_MAX_SIGNATURES];
    int n_keys;
    const char *sign_cmds[FWS_MAX_SIGNATURES], *sign_cmd_pubs[FWS_MAX_SIGNATURES];
    int n_cmds, n_cmd_pubs, shell;
    const char *cert_paths[FWS_MAX_SIGNATURES];
    int n_certs;
    /* opened by signer_args_open: keys first, then commands */
    fws_signer signers[FWS_MAX_SIGNATURES];
    int n_signers;
    fws_cert_record certs[FWS_MAX_SIGNATURES];
    const fws_cert_record *cert_of[FWS_MAX_SIGNATURES];   /* per signer, or NULL */
} signer_args;

void signer_args_init(signer_args *a, const char *cmd, const char *key_opt);
/* One SOPT_* option: FWS_EXIT_OK, or a usage error (too many). */
int signer_args_option(signer_args *a, int opt, const char *arg);
/* How many signers the options name. */
int signer_args_count(const signer_args *a);
/* Opens every signer (pp: the passphrase source for key files that name
 * none), refuses the same key twice, loads the certificates and pairs
 * each with the signer whose key it certifies.  An FWS_EXIT_* status. */
int signer_args_open(signer_args *a, const fws_passphrase_src *pp);
void signer_args_close(signer_args *a);

#endif
