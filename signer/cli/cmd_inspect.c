/* SPDX-License-Identifier: MIT */
/* fwseal inspect: everything in a container that needs no key, as far as
 * the file can be parsed, and where parsing stopped. */
#include "cli.h"
#include "container_reader.h"
#include "json.h"
#include "reason.h"
#include "sig_print.h"
#include "xalloc.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "usage: fwseal inspect FILE [--json]\n"
    "\n"
    "Shows the header, the manifest (version, counter, class, components, sizes,\n"
    "digests, metadata), the signatures' key ids and the key capsules'\n"
    "recipients.  Needs no key and checks no signature (use 'fwseal verify').\n"
    "On a damaged file it shows what it could read and says where it stopped.\n"
    "\n"
    "  --json      machine-readable output on stdout\n"
    "  -h, --help  this text\n"
    "\n"
    "Exit status: 0 well-formed, 1 damaged (see the message), 2 usage, 3 I/O.\n";


static const char *cap_type(uint8_t t)
{
    return t == FWS_CAPSULE_X25519 ? "x25519" : t == FWS_CAPSULE_PSK ? "psk" : "unknown";
}

static void phex(const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
}

/* " (NAME)" after the class id, from META, as far as it is printable. */
static void print_class_name(const fws_manifest *m)
{
    char name[FWS_MAX_META_VALUE + 1];
    int k = cli_class_name(m, name, sizeof name);
    if (k == 0)
        return;
    printf(" (");
    for (const char *p = name; *p; p++)
        if (*p >= 0x20 && *p < 0x7f && *p != '\\')
            putchar(*p);
        else
            printf("\\x%02x", (unsigned char)*p);
    printf(k < 0 ? ": META class does not hash to this id)" : ")");
}

static void print_text(const container *c, int ok)
{
    const fws_manifest *m = &c->m;
    printf("file:        %s\n", c->path);
    if (c->stage >= STAGE_HEADER)
        printf("format:      version %u, manifest %u bytes\n", c->hdr.version,
               c->hdr.manifest_len);
    if (c->stage >= STAGE_MANIFEST) {
        time_t t = (time_t)m->timestamp;
        char when[64] = "?";
        struct tm tm;
        if (gmtime_r(&t, &tm))
            strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
        printf("version:     %u.%u.%u+%u\n", m->major, m->minor, m->patch, m->build);
        printf("counter:     %u\n", m->counter);
        printf("class:       ");
        phex(m->class_id, FWS_CLASS_LEN);
        print_class_name(m);
        printf("\ntimestamp:   %llu (%s)\n", (unsigned long long)m->timestamp, when);
        printf("payload:     %llu bytes in %llu chunk%s of %u\n",
               (unsigned long long)m->payload_len,
               (unsigned long long)fws_chunk_count(m->payload_len, m->chunk_size),
               fws_chunk_count(m->payload_len, m->chunk_size) == 1 ? "" : "s", m->chunk_size);
        if (m->has_min_key_generation)
            printf("revocation:  min key generation %lu (certified signing keys below it are "
                   "refused after a confirmed boot)\n", (unsigned long)m->min_key_generation);
        printf("encryption:  %s", m->encrypted ? "chacha20, key commitment " : "none");
        if (m->encrypted)
            phex(m->key_commitment, 32);
        printf("\ncomponents:  %u\n", m->n_components);
        for (int i = 0; i < m->n_components; i++) {
            const fws_component *k = &m->comp[i];
            printf("  [%d] %.*s\n      size %llu, stored %llu, ", i, k->name_len,
                   (const char *)k->name, (unsigned long long)k->size,
                   (unsigned long long)k->stored_size);
            if (k->method == FWS_COMP_ZLIB)
                printf("zlib window %u bits", k->wbits);
            else
                printf("uncompressed");
            if (k->has_address)
                printf(", address 0x%llx", (unsigned long long)k->address);
            printf("\n      %s ", m->encrypted ? "hmac-sha256" : "sha256");
            phex(k->digest, 32);
            printf("\n");
        }
        if (m->meta) {
            size_t pos = 0;
            const uint8_t *key, *val;
            uint8_t kl;
            uint16_t vl;
            printf("meta:\n");
            while (fws_meta_next(m->meta, m->meta_len, &pos, &key, &kl, &val, &vl)) {
                printf("  %.*s = ", kl, (const char *)key);
                /* Unverified bytes to a terminal: printable ASCII only. */
                for (uint16_t i = 0; i < vl; i++)
                    if (val[i] >= 0x20 && val[i] < 0x7f && val[i] != '\\')
                        putchar(val[i]);
                    else
                        printf("\\x%02x", val[i]);
                putchar('\n');
            }
        }
    }
    if (c->stage >= STAGE_SIGNATURES) {
        printf("signatures:  %u\n", c->n_sigs);
        sig_print_text(c, stdout, "  ");
    }
    if (c->stage >= STAGE_CAPSULES) {
        printf("capsules:    %u\n", c->n_caps);
        for (int i = 0; i < c->n_caps; i++) {
            printf("  %s recipient ", cap_type(c->caps[i].type));
            if (c->caps[i].len >= FWS_KEYID_LEN)
                phex(c->caps[i].body, FWS_KEYID_LEN);
            printf("\n");
        }
        printf("layout:      payload at offset %llu, %llu bytes stored\n",
               (unsigned long long)c->payload_start,
               (unsigned long long)fws_stored_payload_len(m->payload_len, m->chunk_size));
    }
    if (ok)
        printf("status:      well-formed (signatures and chunks not checked: use fwseal verify)\n");
    else
        printf("status:      damaged: %s\n", c->err);
}

static void print_json(const container *c, int ok)
{
    const fws_manifest *m = &c->m;
    static const char *stages[] = {"header", "manifest", "signatures", "capsules", "payload",
                                   "payload", "payload"};
    json_writer j;
    json_init(&j, stdout);
    json_begin(&j, NULL, '{');
    json_str(&j, "file", c->path);
    json_bool(&j, "well_formed", ok);
    if (ok)
        json_null(&j, "error");
    else
        json_str(&j, "error", c->err);
    if (ok)
        json_null(&j, "stopped_in");
    else
        json_str(&j, "stopped_in", stages[c->stage]);
    if (c->file_size >= 0)
        json_u64(&j, "file_size", (uint64_t)c->file_size);
    if (c->stage >= STAGE_HEADER) {
        json_begin(&j, "header", '{');
        json_u64(&j, "format_version", c->hdr.version);
        json_u64(&j, "manifest_length", c->hdr.manifest_len);
        json_end(&j, '}');
    }
    if (c->stage >= STAGE_MANIFEST) {
        char ver[64];
        json_begin(&j, "manifest", '{');
        snprintf(ver, sizeof ver, "%u.%u.%u+%u", m->major, m->minor, m->patch, m->build);
        json_str(&j, "version", ver);
        json_u64(&j, "counter", m->counter);
        json_hex(&j, "class", m->class_id, FWS_CLASS_LEN);
        json_class_name(&j, m);
        json_u64(&j, "timestamp", m->timestamp);
        json_u64(&j, "payload_length", m->payload_len);
        json_u64(&j, "chunk_size", m->chunk_size);
        json_u64(&j, "chunks", fws_chunk_count(m->payload_len, m->chunk_size));
        json_hex(&j, "first_chunk_hash", m->first_chunk_hash, 32);
        json_bool(&j, "encrypted", m->encrypted);
        if (m->encrypted)
            json_hex(&j, "key_commitment", m->key_commitment, 32);
        else
            json_null(&j, "key_commitment");
        if (m->has_min_key_generation)
            json_u64(&j, "min_key_generation", m->min_key_generation);
        else
            json_null(&j, "min_key_generation");
        json_begin(&j, "components", '[');
        for (int i = 0; i < m->n_components; i++) {
            const fws_component *k = &m->comp[i];
            json_begin(&j, NULL, '{');
            json_strn(&j, "name", (const char *)k->name, k->name_len);
            json_u64(&j, "size", k->size);
            json_u64(&j, "stored_size", k->stored_size);
            json_component_digest(&j, m, i);
            json_str(&j, "compression", k->method == FWS_COMP_ZLIB ? "zlib" : "none");
            json_u64(&j, "window_bits", k->wbits);
            json_address(&j, k->has_address, k->address);
            json_end(&j, '}');
        }
        json_end(&j, ']');
        json_begin(&j, "meta", '{');
        if (m->meta) {
            size_t pos = 0;
            const uint8_t *key, *val;
            uint8_t kl;
            uint16_t vl;
            char kbuf[FWS_MAX_META_KEY + 1];
            while (fws_meta_next(m->meta, m->meta_len, &pos, &key, &kl, &val, &vl)) {
                memcpy(kbuf, key, kl);
                kbuf[kl] = 0;
                json_strn(&j, kbuf, (const char *)val, vl);
            }
        }
        json_end(&j, '}');
        json_end(&j, '}');
    }
    if (c->stage >= STAGE_SIGNATURES) {
        sig_print_json_array(&j, c);
    }
    if (c->stage >= STAGE_CAPSULES) {
        json_begin(&j, "capsules", '[');
        for (int i = 0; i < c->n_caps; i++) {
            json_begin(&j, NULL, '{');
            json_str(&j, "type", cap_type(c->caps[i].type));
            if (c->caps[i].len >= FWS_KEYID_LEN)
                json_hex(&j, "recipient", c->caps[i].body, FWS_KEYID_LEN);
            json_end(&j, '}');
        }
        json_end(&j, ']');
        json_u64(&j, "payload_offset", c->payload_start);
    }
    json_end(&j, '}');
}

enum { OPT_JSON = 256 };

int cmd_inspect(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, 0, OPT_JSON},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    container *c;
    int json = 0, ok, rc, opt;
    const char *file;
    optind = 0;
    while ((opt = cli_getopt("inspect", argc, argv, "h", opts)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return FWS_EXIT_OK;
        }
        if (opt != OPT_JSON)
            return FWS_EXIT_USAGE;
        json = 1;
    }
    if (optind >= argc)
        return cli_usage("inspect", "missing FILE");
    if (argc - optind > 1)
        return cli_usage("inspect", "exactly one FILE, please");
    file = argv[optind];
    c = xmalloc(sizeof *c);
    if ((rc = container_open(c, file))) {
        free(c);
        return rc;
    }
    ok = container_parse(c) == 0;
    if (json)
        print_json(c, ok);
    else
        print_text(c, ok);
    if (!ok)
        diag_note("%s: damaged: %s", c->path, c->err);
    rc = ok ? FWS_EXIT_OK : !strcmp(c->reason, REASON_IO) ? FWS_EXIT_IO : FWS_EXIT_REJECT;
    container_close(c);
    free(c);
    return rc;
}
