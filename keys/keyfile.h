/* SPDX-License-Identifier: MIT */
/*
 * fwseal keys and key files.
 *
 * A key is Ed25519 (signing), X25519 (a recipient of encrypted containers)
 * or a 32-byte pre-shared key (PSK, also a recipient).  Each lives in a
 * two-line text file, byte layout in docs/KEYS.md:
 *
 *   fwseal key comment: <comment>
 *   <base64 of the binary record>
 *
 * NAME.pub holds the public key and its id.  NAME.key holds the secret,
 * encrypted at rest with a passphrase (Argon2id13 + XChaCha20-Poly1305)
 * unless it was written with --no-passphrase, and also the public key and
 * id in the clear, so `fwseal pubkey` and key-id lookups work without the
 * passphrase.  A PSK has no public part and therefore only a NAME.key.
 *
 * Every record ends in a SHA-256 checksum over the comment and the record,
 * so corruption is reported as such ("checksum mismatch") before any
 * passphrase is asked; a wrong passphrase then fails the AEAD tag and is
 * reported as "wrong passphrase" -- never a garbage key.
 */
#ifndef FWS_KEYFILE_H
#define FWS_KEYFILE_H

#include <stddef.h>
#include <stdint.h>

#include "fws_format.h"
#include "passphrase.h"

typedef enum { FWS_KEY_ED25519 = 1, FWS_KEY_X25519 = 2, FWS_KEY_PSK = 3 } fws_key_type;
typedef struct {
    fws_key_type type;
    int has_secret;        /* 0 for a .pub file */
    uint8_t id[FWS_KEYID_LEN];
    uint8_t pub[32];       /* ed25519 or x25519 public key; zero for psk */
    uint8_t secret[64];    /* ed25519: libsodium secret key (seed||pk, 64); x25519: scalar (32); psk: key (32) */
} fws_key;

/* ---- loading -------------------------------------------------------------- */

/* Loads NAME.key (secret; asks for the passphrase only if the file is encrypted) or NAME.pub;
   detects which from the file's content, not its name.  Prints a specific error naming the file and
   the problem (missing, unreadable, not a fwseal key file, truncated, checksum mismatch/corrupt,
   wrong passphrase, unknown type) and returns FWS_EXIT_IO; FWS_EXIT_OK on success.
   Warns (diag_warn, like ssh) if a secret key file's permissions are wider than 0600.
   `pp` may be NULL (= ask on the terminal).  On a terminal a wrong passphrase may be retried
   twice more.  On failure *key is wiped. */
int fws_key_load(const char *path, const fws_passphrase_src *pp, fws_key *key);

/* Loads only the public part of NAME.pub or NAME.key (type, id, pub; has_secret = 0) without
   asking for any passphrase: the .key file carries them in the clear, covered by the checksum
   (and, in an encrypted file, bound to the ciphertext as AEAD associated data).  Same errors
   and permission warning as fws_key_load. */
int fws_key_load_public(const char *path, fws_key *key);

void fws_key_wipe(fws_key *key);            /* sodium_memzero */
const char *fws_key_type_name(fws_key_type t);   /* "ed25519", "x25519", "psk" */
/* Parses "ed25519" / "x25519" / "psk".  Returns 0, or -1 if unknown. */
int fws_key_type_parse(const char *s, fws_key_type *t);
/* Key id: ed25519/x25519: first 8 bytes of SHA-512(public key).
   psk: first 8 bytes of SHA-512(FWS_LABEL_PSK_ID || psk) (the 16-byte label without its NUL). */
void fws_key_compute_id(fws_key_type t, const uint8_t *pub_or_psk, uint8_t id[FWS_KEYID_LEN]);
/* Lower-case hex of an id, NUL-terminated: out holds 2*FWS_KEYID_LEN+1 bytes. */
void fws_key_id_hex(const uint8_t id[FWS_KEYID_LEN], char out[2 * FWS_KEYID_LEN + 1]);

/* ---- making keys -------------------------------------------------------- */

/* Builds a complete key (pub, id, secret; has_secret = 1) from 32 secret bytes:
   ed25519: the seed (RFC 8032 private key); x25519: the scalar (RFC 7748 private key, used as
   given: X25519 clamps it); psk: the key.  `seed` is SECRET; the caller wipes it.
   Returns 0, or -1 if libsodium refuses (an x25519 scalar giving the all-zero point cannot
   happen after clamping, but is checked). */
int fws_key_from_seed(fws_key_type t, const uint8_t seed[32], fws_key *key);
/* Same from fresh randombytes. */
int fws_key_generate(fws_key_type t, fws_key *key);
/* The 32 bytes a key file stores for a secret key (seed / scalar / psk): out is SECRET. */
void fws_key_seed(const fws_key *key, uint8_t out[32]);

/* ---- key file records (encode / decode, no file I/O) --------------------- */

/* Argon2id13 cost of the passphrase KDF.  interactive (2 passes, 64 MiB) is the default:
   ~0.1-0.3 s.  moderate (3, 256 MiB), sensitive (4, 1 GiB) cost more per load. */
typedef enum { FWS_KDF_INTERACTIVE = 0, FWS_KDF_MODERATE = 1, FWS_KDF_SENSITIVE = 2 } fws_kdf_strength;
/* Parses "interactive" / "moderate" / "sensitive"; 0 or -1. */
int fws_kdf_strength_parse(const char *s, fws_kdf_strength *out);

#define FWS_KEY_COMMENT_MAX 256   /* bytes; printable, no control characters */
/* Largest key file text: prefix, comment, newline, base64 of the 184-byte record, newline. */
#define FWS_KEYFILE_TEXT_MAX 640
/* Largest file fws_key_load reads before calling it "not a fwseal key file". */
#define FWS_KEYFILE_READ_MAX 4096

/* 0 if `comment` is an acceptable comment (length, characters); -1 otherwise. */
int fws_key_comment_valid(const char *comment);

/*
 * Encodes the text of a key file into out (FWS_KEYFILE_TEXT_MAX bytes; NUL-terminated) and
 * sets *len (without the NUL).
 *   secret = 0: the public file (key->type ed25519/x25519 only);
 *   secret = 1: the secret file; encrypted when passphrase != NULL (plen > 0 bytes), with a
 *               fresh random salt and nonce and the given KDF strength.
 *   comment: NULL for the default "fwseal <type> <public|secret> key <id>".
 * Returns 0, or -1 after printing an error (bad comment, out of memory in the KDF).
 */
int fws_keyfile_encode(const fws_key *key, int secret, const char *comment,
                       const char *passphrase, size_t plen, fws_kdf_strength strength,
                       char *out, size_t *len);

/*
 * Decodes key file text (len bytes, need not be NUL-terminated) read from `name` (used in
 * messages).  want_secret = 0: stops after the public part (never asks for a passphrase);
 * *is_secret_file tells which kind the file is (may be NULL).  want_secret = 1: a .key file
 * is decrypted (passphrase from pp, asked only if it is encrypted) and checked for
 * consistency; a .pub file is returned with has_secret = 0.
 * Returns FWS_EXIT_OK, or FWS_EXIT_IO after printing a specific error.
 */
int fws_keyfile_decode(const char *name, const uint8_t *text, size_t len, int want_secret,
                       const fws_passphrase_src *pp, fws_key *key, int *is_secret_file);

/* ---- writing key files -------------------------------------------------- */

typedef struct {
    const char *comment;         /* NULL: default comment */
    const char *passphrase;      /* NULL: store the secret unencrypted (--no-passphrase) */
    size_t passphrase_len;
    fws_kdf_strength strength;
    int force;                   /* replace existing files */
} fws_keyfile_write_opts;

/* Without --force a key pair is written only where neither file exists:
 * names each one that does ("already exists") and returns FWS_EXIT_IO, or
 * FWS_EXIT_OK.  pub_path may be NULL (psk). */
int fws_keyfile_refuse_existing(const char *key_path, const char *pub_path);

/*
 * Writes key_path (mode 0600 whatever the umask; NULL: only the public file, for a key
 * that lives in a token) and, for ed25519/x25519, pub_path (0644 & ~umask; pass NULL for
 * psk).  Each is written to a temporary file and renamed into
 * place only when complete.  Without o->force, an existing file is never replaced and if
 * either exists neither is written.  If the second rename fails the first file is removed,
 * so the pair appears whole or not at all.  Returns an FWS_EXIT_* status.
 */
int fws_keyfile_write(const char *key_path, const char *pub_path, const fws_key *key,
                      const fws_keyfile_write_opts *o);

#endif
