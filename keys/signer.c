/* SPDX-License-Identifier: MIT */
#include "signer.h"
#include "diag.h"
#include "keyfile.h"
#include "signer_backend.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static int finish_open(int rc, const char *spec, fws_signer *s)
{
    if (rc) {
        fws_signer_close(s);
        return rc;
    }
    s->spec = xstrdup(spec);
    fws_key_compute_id(FWS_KEY_ED25519, s->pub, s->id);
    return FWS_EXIT_OK;
}

int fws_signer_open(const char *spec, const fws_passphrase_src *pp, fws_signer *s)
{
    const char *colon;
    int rc;
    memset(s, 0, sizeof *s);
    if (!strncmp(spec, "pkcs11:", 7)) {
        s->kind = FWS_SIGNER_PKCS11;
        return finish_open(fws_signer_pkcs11_open(spec, s), spec, s);
    }
    /* PATH:env=VAR or PATH:file=F: this key's own passphrase source. */
    s->kind = FWS_SIGNER_FILE;
    colon = strrchr(spec, ':');
    if (colon && (!strncmp(colon + 1, "env=", 4) || !strncmp(colon + 1, "file=", 5))) {
        char *path = xstrndup(spec, (size_t)(colon - spec));
        const char *val = strchr(colon, '=') + 1;
        fws_passphrase_src own = {NULL, NULL};
        if (!*val || !*path) {
            diag_error("--key '%s': expected FILE:env=VARIABLE or FILE:file=PASSPHRASE_FILE",
                       spec);
            free(path);
            return FWS_EXIT_USAGE;
        }
        if (colon[1] == 'e')
            own.env = val;
        else
            own.file = val;
        rc = fws_signer_file_open(path, &own, s);
        free(path);
    } else {
        rc = fws_signer_file_open(spec, pp, s);
    }
    return finish_open(rc, spec, s);
}

int fws_signer_open_command(const char *cmd, int use_shell, const char *pub_path,
                            fws_signer *s)
{
    memset(s, 0, sizeof *s);
    s->kind = FWS_SIGNER_COMMAND;
    return finish_open(fws_signer_command_open(cmd, use_shell, pub_path, s), cmd, s);
}

int fws_signer_sign(fws_signer *s, const uint8_t *msg, size_t len, uint8_t sig[FWS_SIG_LEN])
{
    char id[2 * FWS_KEYID_LEN + 1];
    int rc = s->backend->sign(s->backend, msg, len, sig);
    if (rc)
        return rc;
    /* Never trust the backend: a wrong key, a truncated or garbled answer
     * stops here instead of in every device's refusal. */
    if (crypto_sign_verify_detached(sig, msg, len, s->pub) != 0) {
        fws_key_id_hex(s->id, id);
        diag_error("%s: the %s signer returned a signature that does not verify with its public "
                   "key %s: nothing written", s->spec, fws_signer_kind_name(s->kind), id);
        sodium_memzero(sig, FWS_SIG_LEN);
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

const char *fws_signer_kind_name(fws_signer_kind k)
{
    return k == FWS_SIGNER_PKCS11 ? "pkcs11" : k == FWS_SIGNER_COMMAND ? "command" : "file";
}

void fws_signer_close(fws_signer *s)
{
    if (s->backend)
        s->backend->close(s->backend);
    free(s->spec);
    free(s->label);
    memset(s, 0, sizeof *s);
}
