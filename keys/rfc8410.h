/* SPDX-License-Identifier: MIT */
/*
 * RFC 8410 algorithm identifiers shared by PEM import and export.
 *
 * id-X25519 is 1.3.101.110 and id-Ed25519 1.3.101.112; DER encodes both as
 * 06 03 2b 65 <arc>, so the two structures differ only in that last byte.
 */
#ifndef FWS_RFC8410_H
#define FWS_RFC8410_H

#include "keyfile.h"

#define FWS_RFC8410_ARC_X25519 0x6e   /* 110 */
#define FWS_RFC8410_ARC_ED25519 0x70  /* 112 */

/* The last OID byte of a key type; 0 if the type has no RFC 8410 form. */
static inline unsigned char fws_rfc8410_arc(fws_key_type t)
{
    return t == FWS_KEY_ED25519 ? FWS_RFC8410_ARC_ED25519
         : t == FWS_KEY_X25519  ? FWS_RFC8410_ARC_X25519
                                : 0;
}

#endif
