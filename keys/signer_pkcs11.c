/* SPDX-License-Identifier: MIT */
/* The PKCS#11 signer: the key stays in the token, which signs with
 * CKM_EDDSA; the session stays logged in until close. */
#include "diag.h"
#include "pkcs11_token.h"
#include "signer_backend.h"
#include "xalloc.h"

#include <stdlib.h>

typedef struct {
    fws_signer_backend base;
    pkcs11_token *token;
} pkcs11_signer;

static int p11_sign(fws_signer_backend *b, const uint8_t *msg, size_t len,
                    uint8_t sig[FWS_SIG_LEN])
{
    return pkcs11_token_sign(((pkcs11_signer *)b)->token, msg, len, sig);
}

static void p11_close(fws_signer_backend *b)
{
    pkcs11_token_close(((pkcs11_signer *)b)->token);
    free(b);
}

int fws_signer_pkcs11_open(const char *uri, fws_signer *s)
{
    pkcs11_signer *p = xcalloc(1, sizeof *p);
    int rc;
    p->base.sign = p11_sign;
    p->base.close = p11_close;
    s->backend = &p->base;
    if ((rc = pkcs11_token_open(uri, 1, &p->token)) ||
        (rc = pkcs11_token_find_key(p->token, 1, s->pub)))
        return rc;
    s->label = xasprintf("pkcs11 %s", pkcs11_token_describe(p->token));
    return FWS_EXIT_OK;
}
