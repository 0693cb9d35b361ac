/* SPDX-License-Identifier: MIT */
/*
 * PKCS#8 PEM -> Ed25519 seed / X25519 scalar.  The accepted DER is one
 * fixed 48-byte string but for the algorithm byte and the key, so the
 * check is a comparison; the small DER walk below only serves the error
 * message ("an RSA key", "an Ed448 key", ...).
 */
#include "pem_import.h"
#include "diag.h"
#include "io.h"
#include "rfc8410.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The 16 bytes before the key; byte 11 is the algorithm arc. */
static const uint8_t pkcs8_prefix[16] = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06,
                                         0x03, 0x2b, 0x65, 0x00, 0x04, 0x22, 0x04, 0x20};
#define PKCS8_ARC_OFFSET 11
#define PKCS8_LEN 48

#define PEM_BEGIN "-----BEGIN "
#define PEM_END_PRIV "-----END PRIVATE KEY-----"

/* One DER TLV with the given tag; short or long (<= 3 length bytes) form. */
static int der_get(const uint8_t **p, const uint8_t *end, uint8_t tag, const uint8_t **val,
                   size_t *vlen)
{
    const uint8_t *q = *p;
    size_t l, n, i;
    if (end - q < 2 || q[0] != tag)
        return -1;
    l = q[1];
    q += 2;
    if (l & 0x80) {
        n = l & 0x7f;
        if (n == 0 || n > 3 || (size_t)(end - q) < n)
            return -1;
        for (l = 0, i = 0; i < n; i++)
            l = (l << 8) | q[i];
        q += n;
    }
    if ((size_t)(end - q) < l)
        return -1;
    *val = q;
    *vlen = l;
    *p = q + l;
    return 0;
}

/* Dotted form of a DER OID body into out (cap bytes); -1 if malformed. */
static int oid_to_text(const uint8_t *o, size_t n, char *out, size_t cap)
{
    unsigned long arc = 0;
    size_t i, used = 0;
    int first = 1, w;
    if (n == 0 || o[n - 1] & 0x80)
        return -1;
    for (i = 0; i < n; i++) {
        if (arc > (0xffffffffUL >> 7))
            return -1;
        arc = (arc << 7) | (o[i] & 0x7f);
        if (o[i] & 0x80)
            continue;
        if (first) {
            unsigned long a = arc < 40 ? 0 : arc < 80 ? 1 : 2;
            w = snprintf(out + used, cap - used, "%lu.%lu", a, arc - 40 * a);
            first = 0;
        } else {
            w = snprintf(out + used, cap - used, ".%lu", arc);
        }
        if (w < 0 || (size_t)w >= cap - used)
            return -1;
        used += (size_t)w;
        arc = 0;
    }
    return 0;
}

static const struct {
    const char *oid, *what;
} known_oids[] = {
    {"1.2.840.113549.1.1.1", "an RSA key"},
    {"1.2.840.113549.1.1.10", "an RSA-PSS key"},
    {"1.2.840.10045.2.1", "an elliptic-curve (ECDSA/ECDH) key"},
    {"1.2.840.10040.4.1", "a DSA key"},
    {"1.2.840.113549.1.3.1", "a Diffie-Hellman key"},
    {"1.3.101.111", "an X448 key"},
    {"1.3.101.113", "an Ed448 key"},
    {"1.2.156.10197.1.301", "an SM2 key"},
};

/* Explains a PKCS#8 DER that is not the accepted 48-byte form. */
static void explain_der(const char *name, const uint8_t *der, size_t len)
{
    const uint8_t *p = der, *end = der + len, *seq, *ver, *alg, *oid;
    size_t seql, verl, algl, oidl, i;
    char dotted[128];

    if (der_get(&p, end, 0x30, &seq, &seql) || p != end) {
        diag_error("%s: malformed PKCS#8 private key (not one DER SEQUENCE)", name);
        return;
    }
    p = seq;
    end = seq + seql;
    if (der_get(&p, end, 0x02, &ver, &verl) || der_get(&p, end, 0x30, &alg, &algl)) {
        diag_error("%s: malformed PKCS#8 private key (no version and algorithm)", name);
        return;
    }
    p = alg;
    if (der_get(&p, alg + algl, 0x06, &oid, &oidl) ||
        oid_to_text(oid, oidl, dotted, sizeof dotted)) {
        diag_error("%s: malformed PKCS#8 private key (no algorithm OID)", name);
        return;
    }
    if (!strcmp(dotted, "1.3.101.112") || !strcmp(dotted, "1.3.101.110")) {
        diag_error("%s: %s key, but not in the plain RFC 8410 form fwseal reads (48 bytes: "
                  "version 0, no attributes, no public key); re-export it with "
                  "'openssl pkey -in %s -out plain.pem'",
                  name, !strcmp(dotted, "1.3.101.112") ? "an Ed25519" : "an X25519", name);
        return;
    }
    for (i = 0; i < sizeof known_oids / sizeof known_oids[0]; i++)
        if (!strcmp(dotted, known_oids[i].oid)) {
            diag_error("%s: %s (OID %s); fwseal imports Ed25519 (1.3.101.112) and X25519 "
                      "(1.3.101.110) keys only",
                      name, known_oids[i].what, dotted);
            return;
        }
    diag_error("%s: unsupported key algorithm (OID %s); fwseal imports Ed25519 (1.3.101.112) "
              "and X25519 (1.3.101.110) keys only",
              name, dotted);
}

/* Explains a PEM block whose label is not "PRIVATE KEY". */
static void explain_label(const char *name, const char *label, size_t n)
{
    static const struct {
        const char *label, *why;
    } labels[] = {
        {"ENCRYPTED PRIVATE KEY", "an encrypted PKCS#8 key; decrypt it first with "
                                  "'openssl pkey -in FILE -out plain.pem'"},
        {"RSA PRIVATE KEY", "an RSA key (PKCS#1); fwseal imports Ed25519 and X25519 keys only"},
        {"EC PRIVATE KEY", "an elliptic-curve key (SEC1); fwseal imports Ed25519 and X25519 "
                           "keys only"},
        {"DSA PRIVATE KEY", "a DSA key; fwseal imports Ed25519 and X25519 keys only"},
        {"OPENSSH PRIVATE KEY", "an OpenSSH key; convert an Ed25519 one with "
                                "'ssh-keygen -p -m PKCS8 -f FILE' first"},
        {"PUBLIC KEY", "a public key; --import needs the private key"},
        {"CERTIFICATE", "a certificate; --import needs the private key"},
    };
    size_t i;
    for (i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strlen(labels[i].label) == n && !memcmp(label, labels[i].label, n)) {
            diag_error("%s: %s", name, labels[i].why);
            return;
        }
    diag_error("%s: PEM block \"%.*s\" is not a PKCS#8 private key "
              "(-----BEGIN PRIVATE KEY-----)",
              name, (int)(n > 64 ? 64 : n), label);
}

/* Next line [*s, eol) of text; advances *s past the newline.  Strips '\r'. */
static int next_line(const char **s, const char *end, const char **line, size_t *n)
{
    const char *nl;
    if (*s >= end)
        return -1;
    nl = memchr(*s, '\n', (size_t)(end - *s));
    *line = *s;
    *n = (size_t)((nl ? nl : end) - *s);
    *s = nl ? nl + 1 : end;
    if (*n > 0 && (*line)[*n - 1] == '\r')
        (*n)--;
    return 0;
}

int fws_pem_import_parse(const char *name, const char *text, size_t len, fws_key_type *type,
                         uint8_t secret[32])
{
    const char *s = text, *end = text + len, *line = NULL;
    char *b64 = NULL;
    uint8_t der[PKCS8_LEN];
    size_t n = 0, b64len = 0, derlen = 0;
    int found = 0, rc = FWS_EXIT_IO;

    /* Find the first BEGIN line; text before it is allowed (OpenSSL
     * writes none, but explanatory text is legal in PEM). */
    while (next_line(&s, end, &line, &n) == 0) {
        if (n >= sizeof PEM_BEGIN - 1 && !memcmp(line, PEM_BEGIN, sizeof PEM_BEGIN - 1)) {
            found = 1;
            break;
        }
    }
    if (!found) {
        diag_error("%s: not a PEM file (no \"-----BEGIN PRIVATE KEY-----\" line)", name);
        return FWS_EXIT_IO;
    }
    {
        const char *label = line + sizeof PEM_BEGIN - 1;
        size_t ln = n - (sizeof PEM_BEGIN - 1);
        if (ln < 5 || memcmp(label + ln - 5, "-----", 5)) {
            diag_error("%s: malformed PEM BEGIN line", name);
            return FWS_EXIT_IO;
        }
        ln -= 5;
        if (ln != 11 || memcmp(label, "PRIVATE KEY", 11)) {
            explain_label(name, label, ln);
            return FWS_EXIT_IO;
        }
    }
    b64 = xmalloc(len + 1);
    found = 0;
    while (next_line(&s, end, &line, &n) == 0) {
        size_t i;
        if (n == sizeof PEM_END_PRIV - 1 && !memcmp(line, PEM_END_PRIV, n)) {
            found = 1;
            break;
        }
        for (i = 0; i < n; i++) {
            char c = line[i];
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '+' || c == '/' || c == '=')) {
                if (c == ':')
                    diag_error("%s: PEM headers (e.g. Proc-Type) are not supported; "
                              "this looks like an encrypted key",
                              name);
                else
                    diag_error("%s: invalid character in the PEM body", name);
                goto out;
            }
        }
        memcpy(b64 + b64len, line, n);
        b64len += n;
    }
    if (!found) {
        diag_error("%s: truncated PEM (no \"%s\" line)", name, PEM_END_PRIV);
        goto out;
    }
    if (b64len == 0) {
        diag_error("%s: empty PEM body", name);
        goto out;
    }
    {
        /* An accepted key's DER is 48 bytes; decode all of it anyway so
         * the error for anything else can say what it is. */
        uint8_t *big = xmalloc(b64len);
        if (sodium_base642bin(big, b64len, b64, b64len, NULL, &derlen, NULL,
                              sodium_base64_VARIANT_ORIGINAL) != 0) {
            diag_error("%s: invalid base64 in the PEM body", name);
            sodium_memzero(big, b64len);
            free(big);
            goto out;
        }
        if (derlen != PKCS8_LEN) {
            explain_der(name, big, derlen);
            sodium_memzero(big, b64len);
            free(big);
            goto out;
        }
        memcpy(der, big, PKCS8_LEN);
        sodium_memzero(big, b64len);
        free(big);
    }
    if (memcmp(der, pkcs8_prefix, PKCS8_ARC_OFFSET) ||
        memcmp(der + PKCS8_ARC_OFFSET + 1, pkcs8_prefix + PKCS8_ARC_OFFSET + 1,
               sizeof pkcs8_prefix - PKCS8_ARC_OFFSET - 1) ||
        (der[PKCS8_ARC_OFFSET] != FWS_RFC8410_ARC_ED25519 &&
         der[PKCS8_ARC_OFFSET] != FWS_RFC8410_ARC_X25519)) {
        explain_der(name, der, PKCS8_LEN);
        goto out;
    }
    *type = der[PKCS8_ARC_OFFSET] == FWS_RFC8410_ARC_ED25519 ? FWS_KEY_ED25519 : FWS_KEY_X25519;
    memcpy(secret, der + sizeof pkcs8_prefix, 32);
    rc = FWS_EXIT_OK;
out:
    sodium_memzero(der, sizeof der);
    sodium_memzero(b64, len + 1);
    free(b64);
    return rc;
}

int fws_pem_import_file(const char *path, fws_key_type *type, uint8_t secret[32])
{
    char *buf;
    size_t n = 0;
    int fd, rc, is_stdin = !strcmp(path, "-");

    if (is_stdin)
        path = "standard input";
    fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diag_error("%s: cannot open: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    buf = xmalloc(FWS_PEM_MAX + 1);
    if (io_read_full(fd, buf, FWS_PEM_MAX + 1, &n)) {
        diag_error("%s: cannot read: %s", path, strerror(errno));
        rc = FWS_EXIT_IO;
    } else if (n > FWS_PEM_MAX) {
        diag_error("%s: larger than %d bytes: not a PEM private key", path, FWS_PEM_MAX);
        rc = FWS_EXIT_IO;
    } else {
        rc = fws_pem_import_parse(path, buf, n, type, secret);
    }
    if (!is_stdin)
        close(fd);
    sodium_memzero(buf, FWS_PEM_MAX + 1);
    free(buf);
    return rc;
}
