/* SPDX-License-Identifier: MIT */
/*
 * ChaCha20 stream cipher, IETF variant (RFC 8439): 256-bit key, 96-bit
 * nonce, 32-bit block counter.  Decrypts the payload; fwseal needs no MAC
 * here because every chunk is authenticated by the signed hash chain
 * before it is decrypted.
 *
 * Constant time: ChaCha20 is only additions, rotations and XORs on 32-bit
 * words, with no table and no branch on the key or the data.  The key and
 * the keystream are secret; the nonce and counter are public.
 *
 * Keystream limit: the 32-bit counter gives (2^32 - counter) blocks of 64
 * bytes.  fws_chacha20_xor refuses to go past the last block instead of
 * wrapping the counter (which would repeat keystream) or carrying into the
 * nonce (as some libraries do).
 *
 * Stack (measured, clang -Os, Cortex-M4): about 120 bytes in
 * fws_chacha20_xor.  Context: 144 bytes (state, one keystream block).
 */
#ifndef FWS_CHACHA20_H
#define FWS_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define FWS_CHACHA20_KEY_LEN 32
#define FWS_CHACHA20_NONCE_LEN 12
#define FWS_CHACHA20_BLOCK_LEN 64

/** \brief Cipher state: the input block (constants, key, counter, nonce),
 *  the current keystream block and the position in it.  Holds the key;
 *  caller-owned, opaque; wipe with fws_chacha20_wipe. */
typedef struct {
    uint32_t input[16];
    uint32_t stream[16]; /* keystream block, as little-endian words */
    uint64_t left;       /* keystream bytes still available */
    uint32_t pos;        /* bytes of stream already used; 64 = none left */
} fws_chacha20_ctx;

/** \brief Sets key (secret), nonce and the first block counter (RFC 8439
 *  uses 1 when block 0 keys a MAC, 0 otherwise).  The stream starts at byte
 *  64 * counter of the (key, nonce) keystream. */
void fws_chacha20_init(fws_chacha20_ctx *ctx, const uint8_t key[FWS_CHACHA20_KEY_LEN],
                       const uint8_t nonce[FWS_CHACHA20_NONCE_LEN], uint32_t counter);

/** \brief out = in XOR the next len keystream bytes (encrypts and
 *  decrypts).  in may equal out (not otherwise overlap).  Calls continue
 *  the stream at any byte: any split of a message into calls gives the same
 *  output as one call.  Returns 0, or -1 without writing anything if len
 *  exceeds the keystream left before the 32-bit counter would wrap. */
int fws_chacha20_xor(fws_chacha20_ctx *ctx, uint8_t *out, const uint8_t *in, size_t len);

/** \brief Wipes the context (key and keystream). */
void fws_chacha20_wipe(fws_chacha20_ctx *ctx);

#endif
