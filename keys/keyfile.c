/* SPDX-License-Identifier: MIT */
/*
 * Key files on disk: loading (with the ssh-style permission warning) and
 * writing a NAME.key / NAME.pub pair through host/atomic_file.
 */
#include "keyfile.h"
#include "atomic_file.h"
#include "diag.h"
#include "io.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads at most FWS_KEYFILE_READ_MAX bytes of path into buf (that size);
 * st receives the file's status. */
static int read_small_file(const char *path, uint8_t *buf, size_t *len, struct stat *st)
{
    uint8_t extra;
    size_t n = 0, more = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            diag_error("%s: key file not found", path);
        else
            diag_error("%s: cannot open key file: %s", path, strerror(errno));
        return FWS_EXIT_IO;
    }
    if (fstat(fd, st) < 0) {
        diag_error("%s: cannot read key file: %s", path, strerror(errno));
        close(fd);
        return FWS_EXIT_IO;
    }
    if (S_ISDIR(st->st_mode)) {
        diag_error("%s: is a directory, not a key file", path);
        close(fd);
        return FWS_EXIT_IO;
    }
    /* One byte past the limit tells "too large" from "exactly the limit". */
    if (io_read_full(fd, buf, FWS_KEYFILE_READ_MAX, &n) ||
        (n == FWS_KEYFILE_READ_MAX && io_read_full(fd, &extra, 1, &more))) {
        diag_error("%s: cannot read key file: %s", path, strerror(errno));
        close(fd);
        return FWS_EXIT_IO;
    }
    close(fd);
    if (more) {
        diag_error("%s: not a fwseal key file (larger than %d bytes)", path, FWS_KEYFILE_READ_MAX);
        return FWS_EXIT_IO;
    }
    *len = n;
    return FWS_EXIT_OK;
}

static int load(const char *path, const fws_passphrase_src *pp, int want_secret, fws_key *key)
{
    uint8_t buf[FWS_KEYFILE_READ_MAX];
    struct stat st;
    size_t len = 0;
    int rc, is_secret = 0;

    fws_key_wipe(key);
    rc = read_small_file(path, buf, &len, &st);
    if (rc == FWS_EXIT_OK) {
        /* First the public part (cheap, no prompt): it tells whether this
         * is a secret file, so the permission warning comes before any
         * passphrase prompt. */
        rc = fws_keyfile_decode(path, buf, len, 0, NULL, key, &is_secret);
        if (rc == FWS_EXIT_OK && is_secret && S_ISREG(st.st_mode) && (st.st_mode & 077))
            diag_warn("%s: permissions %04o are too open: a secret key file must be "
                     "accessible by its owner only (chmod 600 %s)",
                     path, (unsigned)(st.st_mode & 07777), path);
        if (rc == FWS_EXIT_OK && is_secret && want_secret)
            rc = fws_keyfile_decode(path, buf, len, 1, pp, key, NULL);
    }
    sodium_memzero(buf, sizeof buf);
    if (rc != FWS_EXIT_OK)
        fws_key_wipe(key);
    return rc;
}

int fws_key_load(const char *path, const fws_passphrase_src *pp, fws_key *key)
{
    return load(path, pp, 1, key);
}

int fws_key_load_public(const char *path, fws_key *key)
{
    int rc = load(path, NULL, 0, key);
    key->has_secret = 0;
    return rc;
}

int fws_keyfile_refuse_existing(const char *key_path, const char *pub_path)
{
    const char *paths[2] = {key_path, pub_path};
    struct stat st;
    int rc = FWS_EXIT_OK;
    for (int i = 0; i < 2; i++)
        if (paths[i] && lstat(paths[i], &st) == 0) {
            diag_error("%s: already exists (use --force to overwrite); nothing written", paths[i]);
            rc = FWS_EXIT_IO;
        }
    return rc;
}

int fws_keyfile_write(const char *key_path, const char *pub_path, const fws_key *key,
                      const fws_keyfile_write_opts *o)
{
    char ktext[FWS_KEYFILE_TEXT_MAX], ptext[FWS_KEYFILE_TEXT_MAX];
    size_t klen = 0, plen = 0;
    atomic_file kf, pf;
    int rc = FWS_EXIT_IO, have_pub = pub_path != NULL, pub_done = 0;

    atomic_init(&kf);
    atomic_init(&pf);
    if (!o->force && fws_keyfile_refuse_existing(key_path, pub_path))
        return FWS_EXIT_IO;
    if ((key_path && fws_keyfile_encode(key, 1, o->comment, o->passphrase, o->passphrase_len,
                                        o->strength, ktext, &klen)) ||
        (have_pub && fws_keyfile_encode(key, 0, o->comment, NULL, 0, o->strength, ptext, &plen)))
        goto out;

    if (key_path &&
        ((rc = atomic_open(&kf, key_path, 0600,
                           ATOMIC_EXACT_MODE | (o->force ? ATOMIC_OVERWRITE : 0))) != FWS_EXIT_OK ||
         (rc = atomic_write(&kf, ktext, klen)) != FWS_EXIT_OK))
        goto out;
    if (have_pub) {
        if ((rc = atomic_open(&pf, pub_path, 0644, o->force ? ATOMIC_OVERWRITE : 0)) != FWS_EXIT_OK ||
            (rc = atomic_write(&pf, ptext, plen)) != FWS_EXIT_OK ||
            (rc = atomic_commit(&pf)) != FWS_EXIT_OK)
            goto out;
        pub_done = 1;
    }
    if (key_path && (rc = atomic_commit(&kf)) != FWS_EXIT_OK) {
        if (pub_done && unlink(pub_path) == 0)
            diag_error("%s: removed again, since %s could not be written", pub_path, key_path);
        goto out;
    }
out:
    atomic_abort(&kf);
    atomic_abort(&pf);
    sodium_memzero(ktext, sizeof ktext);
    return rc;
}
