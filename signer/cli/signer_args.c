/* SPDX-License-Identifier: MIT */
#include "signer_args.h"
#include "cli.h"
#include "diag.h"
#include "keyfile.h"

#include <string.h>

void signer_args_init(signer_args *a, const char *cmd, const char *key_opt)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    a->key_opt = key_opt;
}

int signer_args_count(const signer_args *a)
{
    return a->n_keys + a->n_cmds;
}

int signer_args_option(signer_args *a, int opt, const char *arg)
{
    if ((opt == SOPT_KEY || opt == SOPT_SIGN_CMD) && signer_args_count(a) == FWS_MAX_SIGNATURES)
        return cli_usage(a->cmd, "at most %d signers", FWS_MAX_SIGNATURES);
    switch (opt) {
    case SOPT_KEY: a->keys[a->n_keys++] = arg; return FWS_EXIT_OK;
    case SOPT_SIGN_CMD: a->sign_cmds[a->n_cmds++] = arg; return FWS_EXIT_OK;
    case SOPT_SIGN_CMD_PUB:
        if (a->n_cmd_pubs == FWS_MAX_SIGNATURES)
            return cli_usage(a->cmd, "at most %d --sign-cmd-pub", FWS_MAX_SIGNATURES);
        a->sign_cmd_pubs[a->n_cmd_pubs++] = arg;
        return FWS_EXIT_OK;
    case SOPT_SIGN_CMD_SHELL: a->shell = 1; return FWS_EXIT_OK;
    case SOPT_CERT:
        if (a->n_certs == FWS_MAX_SIGNATURES)
            return cli_usage(a->cmd, "at most %d --cert", FWS_MAX_SIGNATURES);
        a->cert_paths[a->n_certs++] = arg;
        return FWS_EXIT_OK;
    }
    return FWS_EXIT_USAGE;
}

/* Each certificate goes with the signer whose public key it certifies. */
static int pair_certs(signer_args *a)
{
    for (int c = 0; c < a->n_certs; c++) {
        int rc = fws_cert_load(a->cert_paths[c], &a->certs[c]), s;
        if (rc)
            return rc;
        for (s = 0; s < a->n_signers; s++)
            if (!memcmp(a->signers[s].pub, a->certs[c].c.subject, 32))
                break;
        if (s == a->n_signers) {
            diag_error("%s: --cert certifies a key that is not one of the signing keys given",
                       a->cert_paths[c]);
            return FWS_EXIT_USAGE;
        }
        if (a->cert_of[s]) {
            diag_error("%s: a second certificate for %s (also %s)", a->cert_paths[c],
                       a->signers[s].spec, a->cert_paths[a->cert_of[s] - a->certs]);
            return FWS_EXIT_USAGE;
        }
        a->cert_of[s] = &a->certs[c];
    }
    return FWS_EXIT_OK;
}

int signer_args_open(signer_args *a, const fws_passphrase_src *pp)
{
    int rc = FWS_EXIT_OK;
    if (a->n_cmd_pubs != a->n_cmds)
        return cli_usage(a->cmd, "give one --sign-cmd-pub PUB for each --sign-cmd (%d and %d)",
                         a->n_cmd_pubs, a->n_cmds);
    if (a->shell && !a->n_cmds)
        return cli_usage(a->cmd, "--sign-cmd-shell without --sign-cmd");
    for (int i = 0; !rc && i < a->n_keys; i++, a->n_signers++)
        rc = fws_signer_open(a->keys[i], pp, &a->signers[a->n_signers]);
    for (int i = 0; !rc && i < a->n_cmds; i++, a->n_signers++)
        rc = fws_signer_open_command(a->sign_cmds[i], a->shell, a->sign_cmd_pubs[i],
                                     &a->signers[a->n_signers]);
    if (rc)
        return rc;
    for (int i = 0; i < a->n_signers; i++)
        for (int j = 0; j < i; j++)
            if (!memcmp(a->signers[i].id, a->signers[j].id, FWS_KEYID_LEN)) {
                diag_error("%s: the same signing key is given twice (also %s)",
                           a->signers[i].spec, a->signers[j].spec);
                return FWS_EXIT_USAGE;
            }
    return pair_certs(a);
}

void signer_args_close(signer_args *a)
{
    for (int i = 0; i < FWS_MAX_SIGNATURES; i++)
        if (a->signers[i].backend)
            fws_signer_close(&a->signers[i]);
}
