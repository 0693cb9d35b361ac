/* SPDX-License-Identifier: MIT */
#include "container_reader.h"
#include "reason.h"
#include "diag.h"
#include "xalloc.h"
#include "host_sha256.h"

#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failf(container *c, const char *reason, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int failf(container *c, const char *reason, const char *fmt, ...)
{
    va_list ap;
    c->reason = reason;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return -1;
}

int container_open(container *c, const char *path)
{
    struct stat st;
    memset(c, 0, sizeof *c);
    c->path = path;
    c->file_size = -1;
    if (!strcmp(path, "-")) {
        c->path = "<stdin>";
        c->f = stdin;
    } else {
        c->f = fopen(path, "rb");
        if (!c->f) {
            diag_error("%s: cannot open: %s", path, strerror(errno));
            return FWS_EXIT_IO;
        }
    }
    if (fstat(fileno(c->f), &st) == 0 && S_ISREG(st.st_mode))
        c->file_size = st.st_size;
    else if (c->f != stdin && fstat(fileno(c->f), &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_error("%s: is a directory", path);
        fclose(c->f);
        c->f = NULL;
        return FWS_EXIT_IO;
    }
    return FWS_EXIT_OK;
}

void container_open_stream(container *c, FILE *f, const char *name)
{
    memset(c, 0, sizeof *c);
    c->path = name;
    c->f = f;
    c->file_size = -1;
}

void container_close(container *c)
{
    if (c->f && c->f != stdin)
        fclose(c->f);
    c->f = NULL;
    free(c->chunk_buf);
    c->chunk_buf = NULL;
}

/* Reads exactly n bytes or reports what was being read. */
static int get(container *c, void *buf, size_t n, const char *what)
{
    size_t got = fread(buf, 1, n, c->f);
    c->pos += got;
    if (got == n)
        return 0;
    if (ferror(c->f))
        return failf(c, REASON_IO, "read error in %s at offset %llu: %s", what,
                     (unsigned long long)c->pos, strerror(errno));
    return failf(c, REASON(FWS_E_TRUNCATED), "truncated: the file ends at offset %llu inside %s", 
                 (unsigned long long)c->pos, what);
}

static int parse_block(container *c, int is_capsule)
{
    const char *name = is_capsule ? "capsule block" : "signature block";
    block_entry *entries = is_capsule ? c->caps : c->sigs;
    uint8_t count, head[FWS_ENTRY_HEAD_LEN];
    fws_entry_head eh;
    uint64_t at = c->pos;
    int i;
    if (get(c, &count, 1, name))
        return -1;
    if (fws_block_count_check(count, is_capsule, c->m.encrypted))
        return failf(c, REASON(is_capsule ? FWS_E_CAPSULE_BLOCK : FWS_E_SIG_BLOCK),
                     "%s at offset %llu: count %u is not allowed (%s)", name,
                     (unsigned long long)at, count,
                     !is_capsule ? "0..8 signatures"
                     : c->m.encrypted ? "an encrypted container has 1..32 capsules"
                                      : "an unencrypted container has no capsules");
    for (i = 0; i < count; i++) {
        block_entry *e = &entries[i];
        e->offset = c->pos;
        if (get(c, head, sizeof head, name))
            return -1;
        if (fws_entry_head_decode(head, is_capsule, &eh))
            return failf(c, REASON(is_capsule ? FWS_E_CAPSULE_BLOCK : FWS_E_SIG_BLOCK),
                         "%s entry %d at offset %llu: type %u with body length %u is invalid",
                         name, i, (unsigned long long)e->offset, eh.type, eh.body_len);
        e->type = eh.type;
        e->len = eh.body_len;
        if (get(c, e->body, e->len, name))
            return -1;
    }
    if (is_capsule)
        c->n_caps = count;
    else
        c->n_sigs = count;
    return 0;
}

static int parse_header_and_manifest(container *c)
{
    fws_diag d;
    int err;
    if (get(c, c->signed_region, FWS_HEADER_LEN, "the header"))
        return -1;
    err = fws_header_decode(c->signed_region, &c->hdr);
    if (err)
        return failf(c, REASON(err), "header: %s",
                     err == FWS_E_MAGIC ? "not a fwseal container (bad magic)"
                     : err == FWS_E_VERSION ? "unsupported format version"
                     : err == FWS_E_RESERVED ? "reserved bytes are not zero"
                                              : "manifest length is 0 or above 8192");
    c->stage = STAGE_HEADER;
    if (get(c, c->signed_region + FWS_HEADER_LEN, c->hdr.manifest_len, "the manifest"))
        return -1;
    c->signed_len = FWS_HEADER_LEN + c->hdr.manifest_len;
    err = fws_manifest_decode(c->signed_region + FWS_HEADER_LEN, c->hdr.manifest_len, &c->m, &d);
    if (err) {
        char field[64];
        const char *br = strstr(d.field, "[]");
        if (br)
            snprintf(field, sizeof field, "%.*s[%u]%s", (int)(br - d.field), d.field, d.index,
                     br + 2);
        else
            snprintf(field, sizeof field, "%s", d.field);
        return failf(c, REASON(err), "manifest field %s at offset %u: %s", field,
                     FWS_HEADER_LEN + d.offset, REASON(err));
    }
    c->stage = STAGE_MANIFEST;
    return 0;
}

static int parse_capsules(container *c)
{
    if (parse_block(c, 1))
        return -1;
    c->stage = STAGE_CAPSULES;
    c->payload_start = c->pos;
    c->n_chunks = fws_chunk_count(c->m.payload_len, c->m.chunk_size);
    memcpy(c->expect, c->m.first_chunk_hash, FWS_HASH_LEN);
    return 0;
}

int container_parse_to(container *c, parse_stage upto)
{
    if (c->stage < STAGE_MANIFEST && parse_header_and_manifest(c))
        return -1;
    if (upto >= STAGE_SIGNATURES && c->stage < STAGE_SIGNATURES) {
        if (parse_block(c, 0))
            return -1;
        c->stage = STAGE_SIGNATURES;
    }
    if (upto >= STAGE_CAPSULES && c->stage < STAGE_CAPSULES && parse_capsules(c))
        return -1;
    return 0;
}

int container_parse(container *c)
{
    uint64_t want;
    if (container_parse_to(c, STAGE_CAPSULES))
        return -1;
    want = c->payload_start + fws_stored_payload_len(c->m.payload_len, c->m.chunk_size);
    if (c->file_size >= 0 && (uint64_t)c->file_size != want)
        return failf(c, REASON((uint64_t)c->file_size < want ? FWS_E_TRUNCATED : FWS_E_TRAILING),
                     "the payload should end at offset %llu but the file is %lld bytes",
                     (unsigned long long)want, (long long)c->file_size);
    return 0;
}

int container_next_chunk(container *c, const uint8_t **data, size_t *len, uint64_t *offset)
{
    uint8_t h[FWS_HASH_LEN];
    host_sha256 st;
    size_t n, stored;
    int last;
    if (c->next_chunk == c->n_chunks) {
        if (fgetc(c->f) != EOF)
            return failf(c, REASON(FWS_E_TRAILING),
                         "trailing bytes after the last chunk at offset %llu",
                         (unsigned long long)c->pos);
        c->stage = STAGE_END;
        return 0;
    }
    if (!c->chunk_buf)
        c->chunk_buf = xmalloc(c->m.chunk_size + FWS_HASH_LEN);
    last = c->next_chunk + 1 == c->n_chunks;
    n = last ? (size_t)(c->m.payload_len - c->payload_done) : c->m.chunk_size;
    stored = n + (last ? 0 : FWS_HASH_LEN);
    *offset = c->pos;
    if (get(c, c->chunk_buf, stored, "a payload chunk"))
        return -1;
    /* The project's SHA-256 (SHA-NI when the CPU has it): the chain hashes
     * the whole payload, and libsodium's portable one took a third of verify. */
    host_sha256_init(&st);
    host_sha256_update(&st, c->chunk_buf, stored);
    host_sha256_final(&st, h);
    if (sodium_memcmp(h, c->expect, FWS_HASH_LEN) != 0)
        return failf(c, REASON(FWS_E_CHUNK_HASH),
                     "chunk %llu at offset %llu: hash mismatch (payload tampered, reordered or "
                     "from another container)",
                     (unsigned long long)c->next_chunk, (unsigned long long)*offset);
    if (!last)
        memcpy(c->expect, c->chunk_buf + n, FWS_HASH_LEN);
    *offset = c->payload_done;   /* payload offset of data[0] */
    c->payload_done += n;
    c->next_chunk++;
    if (last)
        c->stage = STAGE_PAYLOAD;
    *data = c->chunk_buf;
    *len = n;
    return 1;
}

int container_next_stored_chunk(container *c, const uint8_t **stored, size_t *len)
{
    uint64_t offset;
    int rc = container_next_chunk(c, stored, len, &offset);
    if (rc == 1 && c->next_chunk < c->n_chunks)
        *len += FWS_HASH_LEN;
    return rc;
}
