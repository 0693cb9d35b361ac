/* SPDX-License-Identifier: MIT */
/*
 * The binary record inside a key file (private to keys/; the normative
 * description with a worked example is docs/KEYS.md).
 *
 * All integers little-endian.  Public record (NAME.pub), 80 bytes:
 *
 *   0   4  magic "FWSK"
 *   4   1  version = 1
 *   5   1  kind: 1 public, 2 secret
 *   6   1  type: 1 ed25519, 2 x25519, 3 psk
 *   7   1  protection: 0 none, 1 Argon2id13 + XChaCha20-Poly1305
 *   8   8  key id
 *   16 32  public key (zero for psk)
 *   48 32  checksum
 *
 * Secret record (NAME.key), 184 bytes: bytes 0..47 as above, then
 *
 *   48  8  Argon2id13 opslimit (0 if unprotected)
 *   56  8  Argon2id13 memlimit in bytes (0 if unprotected)
 *   64 16  salt (zero if unprotected)
 *   80 24  nonce (zero if unprotected)
 *   104 32 secret: seed / scalar / psk, XChaCha20-encrypted if protected
 *   136 16 Poly1305 tag over bytes 0..103 (AD) and the secret (zero if
 *          unprotected)
 *   152 32 checksum
 *
 * checksum = SHA-256(u16le(len(comment)) || comment || record[0 .. len-32)),
 * where comment is the text after "fwseal key comment: " on the first line.
 */
#ifndef FWS_KEYFILE_LAYOUT_H
#define FWS_KEYFILE_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define KF_LINE_PREFIX "fwseal key comment: "
#define KF_LINE_PREFIX_LEN (sizeof KF_LINE_PREFIX - 1)

#define KF_MAGIC "FWSK"
#define KF_VERSION 1
#define KF_KIND_PUBLIC 1
#define KF_KIND_SECRET 2
#define KF_PROT_NONE 0
#define KF_PROT_ARGON2ID_XCHACHA 1

#define KF_OFF_MAGIC 0
#define KF_OFF_VERSION 4
#define KF_OFF_KIND 5
#define KF_OFF_TYPE 6
#define KF_OFF_PROT 7
#define KF_OFF_ID 8
#define KF_OFF_PUB 16
#define KF_OFF_OPS 48
#define KF_OFF_MEM 56
#define KF_OFF_SALT 64
#define KF_OFF_NONCE 80
#define KF_OFF_SECRET 104
#define KF_OFF_TAG 136
#define KF_PUB_LEN 80
#define KF_SEC_LEN 184
#define KF_CHECKSUM_LEN 32
#define KF_SALT_LEN 16
#define KF_NONCE_LEN 24
#define KF_TAG_LEN 16

/* Bounds a loaded file's KDF parameters must respect (a crafted file must
 * not make a load take a gigabyte-hour). */
#define KF_OPS_MAX 32ull
#define KF_MEM_MAX (1024ull * 1024 * 1024)

/* checksum as above; clen <= FWS_KEY_COMMENT_MAX. */
void fws_kf_checksum(const char *comment, size_t clen, const uint8_t *body, size_t blen,
                     uint8_t out[KF_CHECKSUM_LEN]);
/* Argon2id13 of the passphrase into a 32-byte key (SECRET).  0, or -1 if
 * libsodium fails (out of memory). */
int fws_kf_kdf(uint8_t key[32], const char *pass, size_t plen, const uint8_t salt[KF_SALT_LEN],
               unsigned long long ops, unsigned long long mem);

#endif
