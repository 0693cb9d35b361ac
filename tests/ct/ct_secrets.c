/* SPDX-License-Identifier: MIT */
/*
 * Constant-time check of the verifier's secret-dependent paths under
 * Valgrind memcheck: every secret byte is marked undefined, so a branch or
 * a memory index that depends on it is reported as a use of an
 * uninitialised value.  Results that are public by design (whether the
 * commitment matched, whether the shared secret was zero) are declassified
 * explicitly with VALGRIND_MAKE_MEM_DEFINED before the caller looks at them.
 *
 * Run: valgrind --error-exitcode=1 build/ct_secrets         (must pass)
 *      valgrind --error-exitcode=1 build/ct_secrets control (must fail:
 *      proves the harness sees a secret-dependent branch)
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "capsule_unwrap.h"
#include "chacha20.h"
#include "fws_bytes.h"
#include "hmac_sha256.h"
#include "sha256.h"
#include "x25519.h"

#define SECRET(p, n) VALGRIND_MAKE_MEM_UNDEFINED((p), (n))
#define PUBLIC(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed + 13 * i + (i >> 3));
}

/* A deliberately leaky comparison: the harness must flag it. */
static int leaky_equal(const uint8_t *a, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return 0;
    return 1;
}

int main(int argc, char **argv)
{
    uint8_t scalar[32], peer[32], shared[32], psk[32], salt[32], kek[32], key[32], nonce[12] = {0};
    uint8_t body[FWS_CAPSULE_BODY], commitment[32], buf[300], k2[32];
    static const uint8_t info[] = "fwseal-v1 psk-wrap";
    fws_chacha20_ctx cc;
    fws_sha256_ctx sc;
    int rc, ok;

    fill(scalar, 32, 1);
    fill(peer, 32, 2);
    fill(psk, 32, 3);
    fill(salt, 32, 4);
    fill(key, 32, 5);
    fill(buf, sizeof buf, 6);

    if (argc > 1 && !strcmp(argv[1], "control")) {
        SECRET(key, 32);
        ok = leaky_equal(key, salt, 32);
        PUBLIC(&ok, sizeof ok);
        printf("control ran (%d)\n", ok);
        return 0;
    }

    /* X25519 with the device's secret scalar. */
    SECRET(scalar, 32);
    rc = fws_x25519(shared, scalar, peer);
    PUBLIC(&rc, sizeof rc);           /* all-zero shared secret: public */

    /* HKDF with a secret IKM (the PSK) and with a secret shared secret. */
    SECRET(psk, 32);
    fws_hkdf_sha256(kek, 32, salt, 32, psk, 32, info, sizeof info - 1);
    fws_hkdf_sha256(kek, 32, NULL, 0, shared, 32, info, sizeof info - 1);

    /* ChaCha20 keystream under a secret key. */
    SECRET(key, 32);
    fws_chacha20_init(&cc, key, nonce, 7);
    fws_chacha20_xor(&cc, buf, buf, sizeof buf);
    fws_chacha20_wipe(&cc);

    /* The capsule paths and the commitment comparison, end to end. */
    fill(body, sizeof body, 8);
    fws_capsule_unwrap_psk(k2, body, psk);
    fill(commitment, 32, 9);
    ok = fws_capsule_commitment_ok(k2, commitment);
    PUBLIC(&ok, sizeof ok);           /* match / no match: public */
    rc = fws_capsule_unwrap_x25519(k2, body, scalar, peer);
    PUBLIC(&rc, sizeof rc);
    ok = fws_capsule_commitment_ok(k2, commitment);
    PUBLIC(&ok, sizeof ok);

    /* SHA-256 of a secret (the commitment's hash) and fws_ct_equal. */
    fws_sha256_init(&sc);
    fws_sha256_update(&sc, key, 32);
    fws_sha256_final(&sc, k2);
    ok = fws_ct_equal(k2, commitment, 32);
    PUBLIC(&ok, sizeof ok);

    PUBLIC(buf, sizeof buf);          /* ciphertext: public */
    printf("constant-time paths ran: x25519, hkdf, chacha20, psk and x25519 unwrap, "
           "commitment, ct_equal (%d %d %02x)\n", rc, ok, buf[0]);
    return 0;
}
