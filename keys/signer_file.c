/* SPDX-License-Identifier: MIT */
/* The key-file signer: an Ed25519 secret key loaded (and decrypted) once at
 * open, wiped at close. */
#include "diag.h"
#include "keyfile.h"
#include "signer_backend.h"
#include "xalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    fws_signer_backend base;
    fws_key key;
} file_signer;

static int file_sign(fws_signer_backend *b, const uint8_t *msg, size_t len,
                     uint8_t sig[FWS_SIG_LEN])
{
    file_signer *f = (file_signer *)b;
    crypto_sign_detached(sig, NULL, msg, len, f->key.secret);
    return FWS_EXIT_OK;
}

static void file_close(fws_signer_backend *b)
{
    file_signer *f = (file_signer *)b;
    fws_key_wipe(&f->key);
    free(f);
}

int fws_signer_file_open(const char *path, const fws_passphrase_src *pp, fws_signer *s)
{
    file_signer *f = xcalloc(1, sizeof *f);
    int rc;
    f->base.sign = file_sign;
    f->base.close = file_close;
    s->backend = &f->base;
    if ((rc = fws_key_load(path, pp, &f->key)))
        return rc;
    if (f->key.type != FWS_KEY_ED25519 || !f->key.has_secret) {
        diag_error("%s: signing needs an Ed25519 secret key, this is %s %s key", path,
                   f->key.type == FWS_KEY_X25519 ? "an" : "a",
                   f->key.has_secret ? fws_key_type_name(f->key.type) : "public");
        return FWS_EXIT_USAGE;
    }
    memcpy(s->pub, f->key.pub, 32);
    s->label = xasprintf("file %s", path);
    return FWS_EXIT_OK;
}
