/* SPDX-License-Identifier: MIT */
/* The backends behind fws_signer (signer.h), internal to keys/.  Each
 * backend's state embeds this as its first member. */
#ifndef FWS_SIGNER_BACKEND_H
#define FWS_SIGNER_BACKEND_H

#include "signer.h"

struct fws_signer_backend {
    /* sig of msg; FWS_EXIT_OK or FWS_EXIT_IO with a message.  The caller
     * verifies the result. */
    int (*sign)(fws_signer_backend *b, const uint8_t *msg, size_t len, uint8_t sig[FWS_SIG_LEN]);
    void (*close)(fws_signer_backend *b);
};

/* Each fills s->pub, s->label and s->backend; the caller fills the rest. */
int fws_signer_file_open(const char *path, const fws_passphrase_src *pp, fws_signer *s);
int fws_signer_pkcs11_open(const char *uri, fws_signer *s);
int fws_signer_command_open(const char *cmd, int use_shell, const char *pub_path,
                            fws_signer *s);

#endif
