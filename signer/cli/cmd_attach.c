/* SPDX-License-Identifier: MIT */
/* fwseal attach: add a signature made elsewhere, after checking it. */
#include "cert.h"
#include "cli.h"
#include "container_writer.h"
#include "detached.h"
#include "diag.h"
#include "io.h"
#include "keyfile.h"
#include "parse.h"
#include "signing_log.h"
#include "sig_entry.h"
#include "xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: fwseal attach FILE --sig SIG --pub PUB [--cert CERT] [--log LOG]\n"
    "\n"
    "Adds a signature made elsewhere over FILE's signed region (`fwseal tbs`):\n"
    "SIG holds the 64-byte Ed25519 signature, raw (as `openssl pkeyutl -sign\n"
    "-rawin` writes it) or as 128 hex digits; PUB is the signer's public key.\n"
    "The signature is verified before it is written; FILE changes in place,\n"
    "atomically, and only in its signature block.\n"
    "\n"
    "options:\n"
    "  --sig SIG      the signature file\n"
    "  --pub PUB      the signer's Ed25519 public key (.pub)\n"
    "  --cert CERT    the signer's delegation certificate: a delegated entry\n"
    "  --log FILE     append a record to this signing log (also FWSEAL_LOG)\n"
    "  -h, --help     this text\n"
    "\n"
    "Exit status: 0 attached, 1 the signature does not verify over FILE's signed\n"
    "region, 2 usage (a key that signed already), 3 I/O or a malformed input.\n";

enum { OPT_SIG = 256, OPT_PUB, OPT_CERT, OPT_LOG };

/* 64 raw bytes, or 128 hex digits around which blanks and newlines may stand. */
static int read_sig(const char *path, uint8_t sig[FWS_SIG_LEN])
{
    char buf[512];
    size_t got, n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || io_read_full(fd, buf, sizeof buf, &got)) {
        diag_error("%s: cannot read the signature: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return FWS_EXIT_IO;
    }
    close(fd);
    if (got == FWS_SIG_LEN) {
        memcpy(sig, buf, FWS_SIG_LEN);
        return FWS_EXIT_OK;
    }
    for (size_t i = 0; i < got && got < sizeof buf; i++) {
        int v = parse_hex_digit(buf[i]);
        if (v < 0 && strchr(" \t\r\n", buf[i]))
            continue;
        if (v < 0 || n == 2 * FWS_SIG_LEN)
            goto bad;
        sig[n / 2] = (uint8_t)(n % 2 ? sig[n / 2] | v : v << 4);
        n++;
    }
    if (n == 2 * FWS_SIG_LEN)
        return FWS_EXIT_OK;
bad:
    diag_error("%s: not a signature: %zu bytes, neither 64 raw bytes nor 128 hex digits", path,
               got);
    return FWS_EXIT_IO;
}

int cmd_attach(int argc, char **argv)
{
    static const struct option opts[] = {{"sig", required_argument, 0, OPT_SIG},
                                         {"pub", required_argument, 0, OPT_PUB},
                                         {"cert", required_argument, 0, OPT_CERT},
                                         {"log", required_argument, 0, OPT_LOG},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *sig_path = NULL, *pub_path = NULL, *cert_path = NULL, *log = NULL;
    container *c = xmalloc(sizeof *c);
    fws_cert_record *cert = xcalloc(1, sizeof *cert);
    uint8_t *block = xmalloc(SIG_BLOCK_MAX), sig[FWS_SIG_LEN], entry[FWS_ENTRY_HEAD_LEN + FWS_SIG_DELEGATED_MAX_BODY];
    fws_key pub;
    int opt, rc = FWS_EXIT_OK, opened = 0;
    size_t len;

    optind = 0;
    while ((opt = cli_getopt("attach", argc, argv, "h", opts)) != -1) {
        switch (opt) {
        case 'h': fputs(usage_text, stdout); goto done;
        case OPT_SIG: sig_path = optarg; break;
        case OPT_PUB: pub_path = optarg; break;
        case OPT_CERT: cert_path = optarg; break;
        case OPT_LOG: log = optarg; break;
        default: rc = FWS_EXIT_USAGE; goto done;
        }
    }
    if (optind != argc - 1 || !sig_path || !pub_path) {
        rc = cli_usage("attach", optind != argc - 1 ? "exactly one FILE, please"
                                 : !sig_path       ? "missing --sig SIG"
                                                   : "missing --pub PUB: whose signature is it?");
        goto done;
    }
    if ((rc = fws_key_load_public(pub_path, &pub)))
        goto done;
    if (pub.type != FWS_KEY_ED25519) {
        rc = cli_usage("attach", "%s: --pub needs an Ed25519 public key, this is a %s key",
                       pub_path, fws_key_type_name(pub.type));
        goto done;
    }
    if ((rc = read_sig(sig_path, sig)) || (cert_path && (rc = fws_cert_load(cert_path, cert))))
        goto done;
    if (cert_path && memcmp(cert->c.subject, pub.pub, 32)) {
        rc = cli_usage("attach", "%s certifies another key than %s", cert_path, pub_path);
        goto done;
    }
    if ((rc = detached_open("attach", argv[optind], c)))
        goto done;
    opened = 1;
    if (crypto_sign_verify_detached(sig, c->signed_region, c->signed_len, pub.pub)) {
        diag_error("%s: the signature in %s does not verify with %s over this container's signed "
                   "region (signed another TBS, or another key): nothing attached",
                   c->path, sig_path, pub_path);
        rc = FWS_EXIT_REJECT;
        goto done;
    }
    if ((rc = detached_may_add(c, pub.id, pub_path)))
        goto done;
    len = fws_sig_entry_encode(entry, pub.id, cert_path ? cert->rec : NULL,
                               cert_path ? cert->len : 0, sig);
    len = sig_block_build(c, entry, len, block);
    {
        uint8_t tbs[32];
        signing_event e = {"attach", c->path, tbs, &c->m};
        crypto_hash_sha256(tbs, c->signed_region, c->signed_len);
        if ((rc = signing_log_append(signing_log_path(log), &e, NULL, 0, pub.id)))
            goto done;
    }
    if ((rc = container_replace_signatures(c->path, c, block, len)))
        goto done;
    printf("%s: signature by %s attached, %u in all\n", c->path, pub_path, block[0]);
done:
    if (opened)
        container_close(c);
    free(c);
    free(cert);
    free(block);
    return rc;
}
