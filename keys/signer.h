/* SPDX-License-Identifier: MIT */
/*
 * Signing keys wherever they live (docs/KEYS.md, "Signing keys"):
 *
 *   PATH[:env=VAR|:file=F]   an Ed25519 key file; its passphrase from the
 *                            environment variable VAR or the first line of
 *                            F (else the command's --passphrase-* option,
 *                            else the terminal), so two keys may have two
 *                            passphrases
 *   pkcs11:...               an Ed25519 private key in a PKCS#11 token (RFC
 *                            7512 URI, module loaded at run time; see
 *                            pkcs11_uri.h)
 *   a command                (fws_signer_open_command) reads the bytes to
 *                            sign on its standard input and writes the
 *                            64-byte signature (raw or 128 hex digits) on
 *                            its standard output: cloud KMS, Vault
 *                            transit, a signing service
 *
 * Whatever the backend, fws_signer_sign() verifies the signature with
 * libsodium against the signer's public key before it returns it: a token
 * or command that answers with a wrong or malformed signature is an error,
 * never a container with a bad entry.
 */
#ifndef FWS_SIGNER_H
#define FWS_SIGNER_H

#include <stddef.h>
#include <stdint.h>

#include "fws_format.h"
#include "passphrase.h"

typedef enum { FWS_SIGNER_FILE = 1, FWS_SIGNER_PKCS11, FWS_SIGNER_COMMAND } fws_signer_kind;

typedef struct fws_signer_backend fws_signer_backend;

typedef struct {
    fws_signer_kind kind;
    uint8_t pub[32];               /* the Ed25519 public key */
    uint8_t id[FWS_KEYID_LEN];
    char *spec;                    /* as given, for messages (malloc'ed) */
    char *label;                   /* for the signing log: "file release.key",
                                      "pkcs11 token=release object=fw-2026", "command kms-sign" */
    fws_signer_backend *backend;   /* private to the backend */
} fws_signer;

/* Opens a key file spec or a pkcs11: URI.  pp: the passphrase source for
 * key files that name none of their own (may be NULL: the terminal).
 * Prints a specific error and returns FWS_EXIT_USAGE (syntax, not an
 * Ed25519 secret key) or FWS_EXIT_IO (file, token, PIN, module). */
int fws_signer_open(const char *spec, const fws_passphrase_src *pp, fws_signer *s);

/* An external command: cmd is split into words at blanks (single and
 * double quotes group, no other shell syntax) and run without a shell,
 * unless use_shell, which runs `sh -c CMD`.  pub_path: the Ed25519
 * public key (.pub) the command signs for.  Nothing runs until the first
 * fws_signer_sign(). */
int fws_signer_open_command(const char *cmd, int use_shell, const char *pub_path,
                            fws_signer *s);

/* sig = the Ed25519 signature of msg[0..len) by s, verified against s->pub
 * before it is returned.  FWS_EXIT_OK, or FWS_EXIT_IO with a message (the
 * backend failed, or answered with a signature that does not verify). */
int fws_signer_sign(fws_signer *s, const uint8_t *msg, size_t len, uint8_t sig[FWS_SIG_LEN]);

/* "file", "pkcs11" or "command". */
const char *fws_signer_kind_name(fws_signer_kind k);

/* Releases the backend (logs out of the token, wipes a loaded key). */
void fws_signer_close(fws_signer *s);

#endif
