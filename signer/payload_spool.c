#include "payload_spool.h"
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t zero_nonce[12];

int spool_open(payload_spool *s, const char *dir, const uint8_t *key)
{
    char *tmpl = NULL;
    memset(s, 0, sizeof *s);
    s->fd = -1;
    s->buf = malloc(SPOOL_BUF);
    if (!s->buf || asprintf(&tmpl, "%s/.fwseal-payload-XXXXXX", dir) < 0) {
        cli_error("out of memory");
        free(s->buf);
        s->buf = NULL;
        return FWS_EXIT_IO;
    }
    /* Unnamed (O_TMPFILE) where the filesystem allows, so that nothing
     * is left even if the process is killed; else created and unlinked. */
    s->fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (s->fd < 0) {
        s->fd = mkstemp(tmpl);
        if (s->fd >= 0)
            unlink(tmpl);
    }
    if (s->fd < 0) {
        cli_error("%s: cannot create a temporary file: %s", dir, strerror(errno));
        free(tmpl);
        spool_close(s);
        return FWS_EXIT_IO;
    }
    free(tmpl);
    if (key) {
        s->encrypt = 1;
        memcpy(s->key, key, 32);
    }
    return FWS_EXIT_OK;
}

static int spool_drain(payload_spool *s)
{
    uint64_t off = s->len - s->fill;   /* payload offset of buf[0] */
    if (!s->fill)
        return FWS_EXIT_OK;
    if (s->encrypt)
        crypto_stream_chacha20_ietf_xor_ic(s->buf, s->buf, s->fill, zero_nonce,
                                           (uint32_t)(off / 64), s->key);
    if (write_all(s->fd, s->buf, s->fill) < 0) {
        cli_error("temporary payload file: write failed: %s", strerror(errno));
        return FWS_EXIT_IO;
    }
    s->fill = 0;
    return FWS_EXIT_OK;
}

int spool_write(payload_spool *s, const uint8_t *data, size_t len)
{
    while (len) {
        size_t n = SPOOL_BUF - s->fill;
        if (n > len)
            n = len;
        memcpy(s->buf + s->fill, data, n);
        s->fill += n;
        s->len += n;
        data += n;
        len -= n;
        if (s->fill == SPOOL_BUF && spool_drain(s))
            return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

int spool_flush(payload_spool *s)
{
    return spool_drain(s);
}

static int read_at(int fd, uint8_t *buf, size_t len, uint64_t off)
{
    while (len) {
        ssize_t n = pread(fd, buf, len, (off_t)off);
        if (n <= 0) {
            if (n < 0 && errno == EINTR)
                continue;
            cli_error("temporary payload file: read failed: %s",
                      n < 0 ? strerror(errno) : "unexpected end");
            return FWS_EXIT_IO;
        }
        buf += n;
        len -= (size_t)n;
        off += (uint64_t)n;
    }
    return FWS_EXIT_OK;
}

static size_t chunk_len(const payload_spool *s, uint32_t chunk_size, uint64_t i)
{
    uint64_t start = i * chunk_size;
    return (size_t)(s->len - start < chunk_size ? s->len - start : chunk_size);
}

int spool_chain(payload_spool *s, uint32_t chunk_size, uint8_t **hashes, uint64_t *n)
{
    uint64_t count = s->len / chunk_size + (s->len % chunk_size != 0), i;
    uint8_t *h, *buf;
    *hashes = NULL;
    *n = count;
    if (!count)
        return FWS_EXIT_OK;
    h = malloc(count * 32);
    buf = malloc(chunk_size);
    if (!h || !buf) {
        cli_error("out of memory for %llu chunk hashes", (unsigned long long)count);
        free(h);
        free(buf);
        return FWS_EXIT_IO;
    }
    for (i = count; i-- > 0;) {
        crypto_hash_sha256_state st;
        size_t len = chunk_len(s, chunk_size, i);
        if (read_at(s->fd, buf, len, i * chunk_size)) {
            free(h);
            free(buf);
            return FWS_EXIT_IO;
        }
        crypto_hash_sha256_init(&st);
        crypto_hash_sha256_update(&st, buf, len);
        if (i + 1 < count)
            crypto_hash_sha256_update(&st, h + (i + 1) * 32, 32);
        crypto_hash_sha256_final(&st, h + i * 32);
    }
    free(buf);
    *hashes = h;
    return FWS_EXIT_OK;
}

int spool_emit(payload_spool *s, uint32_t chunk_size, const uint8_t *hashes, uint64_t n,
               atomic_file *out)
{
    uint8_t *buf = malloc(chunk_size);
    uint64_t i;
    int rc = FWS_EXIT_OK;
    if (!buf) {
        cli_error("out of memory");
        return FWS_EXIT_IO;
    }
    for (i = 0; i < n && rc == FWS_EXIT_OK; i++) {
        size_t len = chunk_len(s, chunk_size, i);
        rc = read_at(s->fd, buf, len, i * chunk_size);
        if (!rc)
            rc = atomic_write(out, buf, len);
        if (!rc && i + 1 < n)
            rc = atomic_write(out, hashes + (i + 1) * 32, 32);
    }
    free(buf);
    return rc;
}

void spool_close(payload_spool *s)
{
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
    free(s->buf);
    s->buf = NULL;
    sodium_memzero(s->key, sizeof s->key);
}
