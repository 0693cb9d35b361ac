/* SPDX-License-Identifier: MIT */
#include "cert.h"
#include "diag.h"
#include "io.h"
#include "keyfile.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CERT_PREFIX "fwseal delegation: "
/* Largest .cert file read: the first line and the base64 of 340 bytes. */
#define CERT_FILE_MAX 1024

void fws_cert_message(const uint8_t *rec, uint8_t msg[FWS_CERT_MESSAGE_LEN])
{
    memcpy(msg, FWS_LABEL_DELEGATION, sizeof FWS_LABEL_DELEGATION - 1);
    memcpy(msg + sizeof FWS_LABEL_DELEGATION - 1, rec, FWS_CERT_SIGNED_LEN);
}

int fws_cert_issue(fws_signer *roots, int n_roots, const uint8_t subject[32], uint32_t generation,
                   const uint8_t *scope, fws_cert_record *out)
{
    uint8_t msg[FWS_CERT_MESSAGE_LEN];
    int rc;
    memset(out, 0, sizeof *out);
    memcpy(out->rec, subject, 32);
    out->rec[32] = (uint8_t)generation;
    out->rec[33] = (uint8_t)(generation >> 8);
    out->rec[34] = (uint8_t)(generation >> 16);
    out->rec[35] = (uint8_t)(generation >> 24);
    if (scope)
        memcpy(out->rec + 36, scope, FWS_CLASS_LEN);
    fws_cert_message(out->rec, msg);
    for (int i = 0; i < n_roots; i++) {
        uint8_t *rs = out->rec + FWS_CERT_LEN(i);
        memcpy(rs, roots[i].id, FWS_KEYID_LEN);
        if ((rc = fws_signer_sign(&roots[i], msg, sizeof msg, rs + FWS_KEYID_LEN)))
            return rc;
    }
    out->len = FWS_CERT_LEN(n_roots);
    return fws_cert_decode(out->rec, out->len, &out->c) == FWS_OK ? FWS_EXIT_OK : FWS_EXIT_USAGE;
}

/* The first line: what the record says, for people. */
static char *first_line(const fws_cert_record *r)
{
    char id[2 * FWS_KEYID_LEN + 1], scope[2 * FWS_CLASS_LEN + 1];
    uint8_t sid[FWS_KEYID_LEN];
    fws_key_compute_id(FWS_KEY_ED25519, r->c.subject, sid);
    fws_key_id_hex(sid, id);
    if (fws_cert_any_class(&r->c))
        strcpy(scope, "any");
    else
        sodium_bin2hex(scope, sizeof scope, r->c.scope, FWS_CLASS_LEN);
    return xasprintf(CERT_PREFIX "subject %s generation %lu scope %s", id,
                     (unsigned long)r->c.generation, scope);
}

char *fws_cert_text(const fws_cert_record *r)
{
    size_t b64_len = sodium_base64_ENCODED_LEN(r->len, sodium_base64_VARIANT_ORIGINAL);
    char *line = first_line(r), *b64 = xmalloc(b64_len), *text;
    sodium_bin2base64(b64, b64_len, r->rec, r->len, sodium_base64_VARIANT_ORIGINAL);
    text = xasprintf("%s\n%s\n", line, b64);
    free(line);
    free(b64);
    return text;
}

int fws_cert_load(const char *path, fws_cert_record *out)
{
    char buf[CERT_FILE_MAX + 1], *nl, *line;
    size_t got, bin_len;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    memset(out, 0, sizeof *out);
    if (fd < 0) {
        diag_error("%s: cannot open the delegation certificate: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    if (io_read_full(fd, buf, sizeof buf, &got)) {
        diag_error("%s: read error: %s", path, strerror(errno));
        close(fd);
        return FWS_EXIT_IO;
    }
    close(fd);
    buf[got < CERT_FILE_MAX ? got : CERT_FILE_MAX] = 0;
    nl = strchr(buf, '\n');
    if (got > CERT_FILE_MAX || strncmp(buf, CERT_PREFIX, strlen(CERT_PREFIX)) || !nl) {
        diag_error("%s: not a fwseal delegation certificate (expected a first line \"%s...\")",
                   path, CERT_PREFIX);
        return FWS_EXIT_IO;
    }
    *nl = 0;
    if (sodium_base642bin(out->rec, sizeof out->rec, nl + 1, strcspn(nl + 1, "\n"), NULL,
                          &bin_len, NULL, sodium_base64_VARIANT_ORIGINAL) ||
        fws_cert_decode(out->rec, bin_len, &out->c) != FWS_OK) {
        diag_error("%s: the certificate record is corrupt (bad base64, or not 52 + 72n bytes "
                   "with 1..4 root signatures)", path);
        return FWS_EXIT_IO;
    }
    out->len = bin_len;
    line = first_line(out);
    if (strcmp(line, buf)) {
        diag_error("%s: the first line does not describe the record (edited?): the record says "
                   "\"%s\"", path, line + strlen(CERT_PREFIX));
        free(line);
        return FWS_EXIT_IO;
    }
    free(line);
    return FWS_EXIT_OK;
}

int fws_cert_root_verifies(const fws_cert_record *r, uint8_t i, const uint8_t pub[32])
{
    uint8_t msg[FWS_CERT_MESSAGE_LEN];
    fws_cert_message(r->rec, msg);
    return crypto_sign_verify_detached(r->c.root_sigs + (size_t)i * FWS_CERT_ROOT_SIG_LEN +
                                           FWS_KEYID_LEN,
                                       msg, sizeof msg, pub) == 0
               ? 0
               : -1;
}
