/*
 * fwseal pack: inputs → compression → encryption → chunk chain → manifest
 * → signatures → container, streamed through a spool file in bounded
 * memory and renamed into place only when complete.
 */
#include "atomic_file.h"
#include "host_capsule.h"
#include "host_class_id.h"
#include "cli.h"
#include "parse.h"
#include "compress.h"
#include "fws_manifest.h"
#include "input.h"
#include "keyfile.h"
#include "pdeflate.h"
#include "passphrase.h"
#include "spool.h"
#include "xalloc.h"

#include <getopt.h>
#include <libgen.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage_text[] =
    "usage: fwseal pack -o OUT --key SIGNING.key [--key ...] --version X.Y.Z[+B]\n"
    "                   --counter N --class CLASS [options] INPUT...\n"
    "\n"
    "Compresses, optionally encrypts, and signs components into a container.\n"
    "\n"
    "INPUT is [NAME=]FILE[@ADDRESS]:\n"
    "  NAME=fw.bin@0x08000000   a raw binary (FILE '-' reads standard input)\n"
    "  NAME=fw.hex              Intel HEX (.hex .ihex .ihx); the address comes from the file\n"
    "  [NAME=]bundle.tar.gz     an archive (.tar .tgz .tar.gz .tar.bz2 .tar.xz .zip .cpio):\n"
    "                           each regular member becomes a component [NAME/]member\n"
    "\n"
    "options:\n"
    "  -o, --output OUT         container to write ('-': standard output)\n"
    "  -k, --key FILE           Ed25519 signing key (.key); repeat for several signers\n"
    "      --version V          semantic version MAJOR.MINOR.PATCH[+BUILD]\n"
    "      --counter N          anti-rollback security counter, 0..4294967295\n"
    "      --class CLASS        device class: a string (hashed, see SPEC.md) or 32 hex digits\n"
    "  -e, --encrypt-to FILE    X25519 public key (.pub) or PSK (.key); repeatable\n"
    "  -l, --level N            0 (store) .. 9 (smallest); default 6\n"
    "      --window-bits N      zlib window 9..15 (device RAM: 2^N bytes); default 15\n"
    "  -j, --jobs N             compress on N threads, 1..32; default: the number of CPUs\n"
    "                           (the output does not depend on N)\n"
    "      --chunk-size N       authenticated chunk size, 256..1048576, multiple of 64;\n"
    "                           default 4096 (the device holds one chunk in RAM)\n"
    "      --meta KEY=VALUE     signed, non-critical metadata; repeatable\n"
    "      --allow-empty        accept empty input files as 0-byte components\n"
    "      --hex-max-gap N      largest Intel HEX gap filled with 0xFF; default 4096\n"
    "      --passphrase-file F  read signing-key passphrases from F (first line)\n"
    "      --passphrase-env VAR read them from environment variable VAR\n"
    "  -h, --help               this text\n"
    "\n"
    "SOURCE_DATE_EPOCH sets the timestamp; unencrypted containers are then\n"
    "byte-for-byte reproducible.  Exit status: 0 ok, 2 usage, 3 I/O or bad input.\n";

enum { OPT_VERSION = 256, OPT_COUNTER, OPT_CLASS, OPT_WBITS, OPT_CHUNK, OPT_META,
       OPT_ALLOW_EMPTY, OPT_HEX_GAP, OPT_PP_FILE, OPT_PP_ENV };

typedef struct {
    char name[FWS_MAX_NAME + 1];
    compress_result res;
    int has_address;
    uint64_t address;
} comp_info;

typedef struct {
    int level, wbits, jobs;
    spool payload;
    comp_info comps[FWS_MAX_COMPONENTS];
    int n;
} pack_state;

static int on_component(void *user, fws_component_src *src)
{
    pack_state *ps = user;
    comp_info *c;
    for (int i = 0; i < ps->n; i++)
        if (!strcmp(ps->comps[i].name, src->name)) {
            diag_error("component name '%s' is used twice (second time by %s)", src->name,
                      src->origin);
            return FWS_EXIT_USAGE;
        }
    if (ps->n == FWS_MAX_COMPONENTS) {
        diag_error("%s: too many components: the maximum is %d", src->origin, FWS_MAX_COMPONENTS);
        return FWS_EXIT_USAGE;
    }
    c = &ps->comps[ps->n];
    snprintf(c->name, sizeof c->name, "%s", src->name);
    c->has_address = src->has_address;
    c->address = src->address;
    if (compress_component(src, ps->level, ps->wbits, ps->jobs, &ps->payload, &c->res))
        return FWS_EXIT_IO;
    ps->n++;
    return FWS_EXIT_OK;
}

static int parse_version(const char *s, fws_manifest *m)
{
    unsigned long long v[4] = {0, 0, 0, 0};
    const unsigned long long max[4] = {65535, 65535, 65535, 4294967295ull};
    const char *names[4] = {"major", "minor", "patch", "build"};
    char *copy = xstrdup(s), *p = copy, *seps = "..+";
    int i, parts = 0, rc = FWS_EXIT_OK;
    for (i = 0; i < 4 && p; i++) {
        char *end = i < 3 ? strchr(p, seps[i]) : NULL;
        if (end)
            *end = 0;
        if (parse_u64(p, ~0ull, &v[i]) || (p[0] == '0' && p[1] == 'x')) {
            rc = cli_usage("pack", "--version '%s': expected MAJOR.MINOR.PATCH[+BUILD] in decimal", s);
            goto out;
        }
        if (v[i] > max[i]) {
            rc = cli_usage("pack", "--version '%s': %s %llu is out of range (0..%llu)", s, names[i],
                           v[i], max[i]);
            goto out;
        }
        parts++;
        p = end ? end + 1 : NULL;
        if (i == 2 && !end)
            break;
    }
    if (parts < 3 || p) {
        rc = cli_usage("pack", "--version '%s': expected MAJOR.MINOR.PATCH[+BUILD]", s);
        goto out;
    }
    m->major = (uint16_t)v[0];
    m->minor = (uint16_t)v[1];
    m->patch = (uint16_t)v[2];
    m->build = (uint32_t)v[3];
out:
    free(copy);
    return rc;
}

typedef struct {
    char *key;
    char *value;
} meta_kv;

static int meta_cmp(const void *a, const void *b)
{
    const meta_kv *x = a, *y = b;
    size_t lx = strlen(x->key), ly = strlen(y->key);
    int c = memcmp(x->key, y->key, lx < ly ? lx : ly);
    return c ? c : (lx > ly) - (lx < ly);
}

/* Builds the canonical META value from KEY=VALUE arguments. */
static int build_meta(char **args, int n, uint8_t **out, size_t *out_len)
{
    meta_kv *kv = xcalloc((size_t)n, sizeof *kv);
    size_t len = 0, pos = 0;
    int i, rc = FWS_EXIT_OK;
    *out = NULL;
    *out_len = 0;
    for (i = 0; i < n; i++) {
        char *eq = strchr(args[i], '=');
        if (!eq) {
            rc = cli_usage("pack", "--meta '%s': expected KEY=VALUE", args[i]);
            goto out;
        }
        kv[i].key = xstrndup(args[i], (size_t)(eq - args[i]));
        kv[i].value = eq + 1;
        if (!fws_meta_key_valid((const uint8_t *)kv[i].key, strlen(kv[i].key))) {
            rc = cli_usage("pack", "--meta key '%s': use 1-%d characters of A-Z a-z 0-9 . _ -",
                           kv[i].key, FWS_MAX_META_KEY);
            goto out;
        }
        if (strlen(kv[i].value) > FWS_MAX_META_VALUE) {
            rc = cli_usage("pack", "--meta %s: the value is %zu bytes, the maximum is %d",
                           kv[i].key, strlen(kv[i].value), FWS_MAX_META_VALUE);
            goto out;
        }
        len += 3 + strlen(kv[i].key) + strlen(kv[i].value);
    }
    qsort(kv, (size_t)n, sizeof *kv, meta_cmp);
    for (i = 1; i < n; i++)
        if (!strcmp(kv[i].key, kv[i - 1].key)) {
            rc = cli_usage("pack", "--meta key '%s' is given twice", kv[i].key);
            goto out;
        }
    *out = xmalloc(len);
    for (i = 0; i < n; i++) {
        size_t kl = strlen(kv[i].key), vl = strlen(kv[i].value);
        (*out)[pos++] = (uint8_t)kl;
        memcpy(*out + pos, kv[i].key, kl);
        pos += kl;
        (*out)[pos++] = (uint8_t)vl;
        (*out)[pos++] = (uint8_t)(vl >> 8);
        memcpy(*out + pos, kv[i].value, vl);
        pos += vl;
    }
    *out_len = len;
out:
    for (i = 0; i < n; i++)
        free(kv[i].key);
    free(kv);
    return rc;
}

static int timestamp_now(uint64_t *ts)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    unsigned long long v;
    if (!sde) {
        *ts = (uint64_t)time(NULL);
        return FWS_EXIT_OK;
    }
    if (parse_u64(sde, ~0ull, &v) || (sde[0] == '0' && sde[1])) {
        diag_error("SOURCE_DATE_EPOCH='%s': expected a decimal number of seconds", sde);
        return FWS_EXIT_USAGE;
    }
    *ts = v;
    return FWS_EXIT_OK;
}

/* The whole container after the inputs are spooled. */
static int write_container(pack_state *ps, fws_manifest *m, fws_key *signers, int n_signers,
                           fws_key *recipients, int n_recipients, const uint8_t *content_key,
                           atomic_file *out)
{
    uint8_t *signed_region = NULL, commitment[32], h0[32];
    uint8_t head[FWS_ENTRY_HEAD_LEN], count;
    uint64_t n_chunks;
    size_t mlen;
    int rc, i;

    if ((rc = spool_flush(&ps->payload)) || (rc = spool_chain(&ps->payload, m->chunk_size, h0,
                                                           &n_chunks)))
        return rc;
    m->payload_len = ps->payload.len;
    m->first_chunk_hash = h0;
    m->n_components = (uint8_t)ps->n;
    for (i = 0; i < ps->n; i++) {
        fws_component *c = &m->comp[i];
        c->name = (const uint8_t *)ps->comps[i].name;
        c->name_len = (uint8_t)strlen(ps->comps[i].name);
        c->size = ps->comps[i].res.size;
        c->stored_size = ps->comps[i].res.stored_size;
        c->digest = ps->comps[i].res.digest;
        c->method = ps->level ? FWS_COMP_ZLIB : FWS_COMP_NONE;
        c->wbits = ps->level ? (uint8_t)ps->wbits : 0;
        c->has_address = ps->comps[i].has_address;
        c->address = ps->comps[i].address;
    }
    if (content_key) {
        host_key_commitment(commitment, content_key);
        m->encrypted = 1;
        m->enc_alg = FWS_ENC_CHACHA20;
        m->key_commitment = commitment;
        if (m->payload_len > FWS_MAX_ENCRYPTED_PAYLOAD) {
            diag_error("payload of %llu bytes is above the encryption limit of 2^38 bytes",
                      (unsigned long long)m->payload_len);
            rc = FWS_EXIT_USAGE;
            goto out;
        }
    }
    signed_region = xmalloc(FWS_HEADER_LEN + FWS_MAX_MANIFEST);
    mlen = fws_manifest_encode(m, signed_region + FWS_HEADER_LEN, FWS_MAX_MANIFEST);
    if (!mlen) {
        diag_error("the manifest does not fit in %d bytes (fewer components or less --meta)",
                  FWS_MAX_MANIFEST);
        rc = FWS_EXIT_USAGE;
        goto out;
    }
    fws_header_encode(signed_region, (uint32_t)mlen);
    if ((rc = atomic_write(out, signed_region, FWS_HEADER_LEN + mlen)))
        goto out;

    count = (uint8_t)n_signers;
    if ((rc = atomic_write(out, &count, 1)))
        goto out;
    for (i = 0; i < n_signers; i++) {
        uint8_t body[FWS_SIG_ED25519_BODY];
        memcpy(body, signers[i].id, FWS_KEYID_LEN);
        crypto_sign_detached(body + FWS_KEYID_LEN, NULL, signed_region, FWS_HEADER_LEN + mlen,
                             signers[i].secret);
        fws_entry_head_encode(head, FWS_SIG_ED25519, sizeof body);
        if ((rc = atomic_write(out, head, sizeof head)) || (rc = atomic_write(out, body, sizeof body)))
            goto out;
    }

    count = (uint8_t)n_recipients;
    if ((rc = atomic_write(out, &count, 1)))
        goto out;
    for (i = 0; i < n_recipients; i++) {
        uint8_t body[FWS_CAPSULE_BODY];
        uint8_t type = recipients[i].type == FWS_KEY_PSK ? FWS_CAPSULE_PSK : FWS_CAPSULE_X25519;
        if (type == FWS_CAPSULE_PSK) {
            host_capsule_wrap_psk(body, content_key, recipients[i].secret, recipients[i].id);
        } else if (host_capsule_wrap_x25519(body, content_key, recipients[i].pub)) {
            diag_error("recipient key %d is a small-order X25519 point; refusing to encrypt to it",
                      i + 1);
            rc = FWS_EXIT_IO;
            goto out;
        }
        fws_entry_head_encode(head, type, sizeof body);
        if ((rc = atomic_write(out, head, sizeof head)) || (rc = atomic_write(out, body, sizeof body)))
            goto out;
    }
    rc = spool_emit(&ps->payload, m->chunk_size, n_chunks, out);
out:
    free(signed_region);
    return rc;
}

static int load_keys(char **paths, int n, const fws_passphrase_src *pp, fws_key *keys,
                     int signing)
{
    for (int i = 0; i < n; i++) {
        /* Recipients need only a public key, except a PSK. */
        int rc = signing ? fws_key_load(paths[i], pp, &keys[i])
                         : fws_key_load_public(paths[i], &keys[i]);
        if (!rc && !signing && keys[i].type == FWS_KEY_PSK)
            rc = fws_key_load(paths[i], pp, &keys[i]);
        if (rc)
            return rc;
        if (signing && (keys[i].type != FWS_KEY_ED25519 || !keys[i].has_secret)) {
            diag_error("%s: --key needs an Ed25519 secret key, this is %s %s key", paths[i],
                      keys[i].type == FWS_KEY_X25519 ? "an" : "a",
                      keys[i].has_secret ? fws_key_type_name(keys[i].type) : "public");
            return FWS_EXIT_USAGE;
        }
        if (!signing && keys[i].type != FWS_KEY_X25519 &&
            !(keys[i].type == FWS_KEY_PSK && keys[i].has_secret)) {
            diag_error("%s: --encrypt-to needs an X25519 public key or a PSK key file, this is "
                      "an %s key", paths[i], fws_key_type_name(keys[i].type));
            return FWS_EXIT_USAGE;
        }
        for (int j = 0; j < i; j++)
            if (!memcmp(keys[i].id, keys[j].id, FWS_KEYID_LEN)) {
                diag_error("%s: the same key is given twice (also %s)", paths[i], paths[j]);
                return FWS_EXIT_USAGE;
            }
    }
    return FWS_EXIT_OK;
}

int cmd_pack(int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},     {"key", required_argument, 0, 'k'},
        {"version", required_argument, 0, OPT_VERSION},
        {"counter", required_argument, 0, OPT_COUNTER},
        {"class", required_argument, 0, OPT_CLASS}, {"encrypt-to", required_argument, 0, 'e'},
        {"level", required_argument, 0, 'l'},      {"window-bits", required_argument, 0, OPT_WBITS},
        {"jobs", required_argument, 0, 'j'},
        {"chunk-size", required_argument, 0, OPT_CHUNK},
        {"meta", required_argument, 0, OPT_META},
        {"allow-empty", no_argument, 0, OPT_ALLOW_EMPTY},
        {"hex-max-gap", required_argument, 0, OPT_HEX_GAP},
        {"passphrase-file", required_argument, 0, OPT_PP_FILE},
        {"passphrase-env", required_argument, 0, OPT_PP_ENV},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    char *key_paths[FWS_MAX_SIGNATURES], *rcpt_paths[FWS_MAX_CAPSULES], **meta_args;
    int n_keys = 0, n_rcpt = 0, n_meta = 0, opt, rc, i;
    const char *output = NULL, *version = NULL, *class_arg = NULL;
    unsigned long long v, counter = 0, chunk = 4096;
    int have_counter = 0;
    fws_passphrase_src pp = {NULL, NULL};
    fws_input_opts in_opts = FWS_INPUT_OPTS_DEFAULT;
    fws_manifest m;
    fws_key signers[FWS_MAX_SIGNATURES], recipients[FWS_MAX_CAPSULES];
    uint8_t class_id[FWS_CLASS_LEN], content_key[32], *meta = NULL;
    size_t meta_len = 0;
    pack_state *ps = xcalloc(1, sizeof *ps);
    atomic_file out;
    char *spool_dir = NULL;

    meta_args = xcalloc((size_t)argc, sizeof *meta_args);
    ps->level = 6;
    ps->wbits = 15;
    ps->jobs = pdeflate_default_jobs();
    ps->payload.fd = -1;
    memset(&m, 0, sizeof m);
    optind = 0;
    while ((opt = getopt_long(argc, argv, "o:k:e:l:j:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'o': output = optarg; break;
        case 'k':
            if (n_keys == FWS_MAX_SIGNATURES) {
                rc = cli_usage("pack", "at most %d --key signers", FWS_MAX_SIGNATURES);
                goto done;
            }
            key_paths[n_keys++] = optarg;
            break;
        case 'e':
            if (n_rcpt == FWS_MAX_CAPSULES) {
                rc = cli_usage("pack", "at most %d --encrypt-to recipients", FWS_MAX_CAPSULES);
                goto done;
            }
            rcpt_paths[n_rcpt++] = optarg;
            break;
        case OPT_VERSION: version = optarg; break;
        case OPT_COUNTER:
            if (parse_u64(optarg, 0xFFFFFFFFull, &counter)) {
                rc = cli_usage("pack", "--counter '%s': expected 0..4294967295", optarg);
                goto done;
            }
            have_counter = 1;
            break;
        case OPT_CLASS: class_arg = optarg; break;
        case 'l':
            if (parse_u64(optarg, 9, &v)) {
                rc = cli_usage("pack", "--level '%s': expected 0..9", optarg);
                goto done;
            }
            ps->level = (int)v;
            break;
        case 'j':
            if ((rc = cli_parse_jobs("pack", optarg, &ps->jobs)))
                goto done;
            break;
        case OPT_WBITS:
            if (parse_u64(optarg, FWS_MAX_WBITS, &v) || v < FWS_MIN_WBITS) {
                rc = cli_usage("pack", "--window-bits '%s': expected 9..15", optarg);
                goto done;
            }
            ps->wbits = (int)v;
            break;
        case OPT_CHUNK:
            if (parse_u64(optarg, FWS_MAX_CHUNK, &chunk) || chunk < FWS_MIN_CHUNK ||
                chunk % FWS_CHUNK_ALIGN) {
                rc = cli_usage("pack", "--chunk-size '%s': expected a multiple of 64 in 256..1048576",
                               optarg);
                goto done;
            }
            break;
        case OPT_META: meta_args[n_meta++] = optarg; break;
        case OPT_ALLOW_EMPTY: in_opts.allow_empty = 1; break;
        case OPT_HEX_GAP:
            if (parse_u64(optarg, ~0ull, &v)) {
                rc = cli_usage("pack", "--hex-max-gap '%s': expected a byte count", optarg);
                goto done;
            }
            in_opts.hex_max_gap = v;
            break;
        case OPT_PP_FILE: pp.file = optarg; break;
        case OPT_PP_ENV: pp.env = optarg; break;
        case 'h':
            fputs(usage_text, stdout);
            rc = FWS_EXIT_OK;
            goto done;
        default:
            rc = cli_usage("pack", "invalid option");
            goto done;
        }
    }
    if (!output) { rc = cli_usage("pack", "missing -o OUT"); goto done; }
    if (!n_keys) { rc = cli_usage("pack", "missing --key: a container must be signed"); goto done; }
    if (!version) { rc = cli_usage("pack", "missing --version"); goto done; }
    if (!have_counter) { rc = cli_usage("pack", "missing --counter (the anti-rollback counter)"); goto done; }
    if (!class_arg) { rc = cli_usage("pack", "missing --class (the device class)"); goto done; }
    if (!*class_arg) { rc = cli_usage("pack", "--class must not be empty"); goto done; }
    if (optind >= argc) { rc = cli_usage("pack", "no INPUT given"); goto done; }
    if (pp.file && pp.env) {
        rc = cli_usage("pack", "give --passphrase-file or --passphrase-env, not both");
        goto done;
    }
    if ((rc = parse_version(version, &m)) || (rc = build_meta(meta_args, n_meta, &meta, &meta_len)))
        goto done;
    if (meta_len > 0xFFFF) {
        rc = cli_usage("pack", "--meta: %zu bytes in all, the manifest allows far less", meta_len);
        goto done;
    }
    if ((rc = timestamp_now(&m.timestamp)))
        goto done;
    m.counter = (uint32_t)counter;
    m.chunk_size = (uint32_t)chunk;
    host_class_id(class_arg, class_id);
    m.class_id = class_id;
    m.meta = meta_len ? meta : NULL;
    m.meta_len = (uint16_t)meta_len;

    memset(signers, 0, sizeof signers);
    memset(recipients, 0, sizeof recipients);
    if ((rc = load_keys(key_paths, n_keys, &pp, signers, 1)) ||
        (rc = load_keys(rcpt_paths, n_rcpt, &pp, recipients, 0)))
        goto done;

    if ((rc = atomic_open(&out, output, 0644, ATOMIC_OVERWRITE)))
        goto done;
    if (strcmp(output, "-")) {
        char *copy = xstrdup(output);
        spool_dir = xstrdup(dirname(copy));
        free(copy);
    } else {
        spool_dir = xstrdup(getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    }
    if (n_rcpt)
        randombytes_buf(content_key, sizeof content_key);
    if ((rc = spool_open(&ps->payload, spool_dir, n_rcpt ? content_key : NULL, m.chunk_size)))
        goto fail;
    for (i = optind; i < argc; i++)
        if ((rc = fws_input_visit(argv[i], &in_opts, on_component, ps)))
            goto fail;
    if ((rc = write_container(ps, &m, signers, n_keys, recipients, n_rcpt,
                              n_rcpt ? content_key : NULL, &out)))
        goto fail;
    if ((rc = atomic_commit(&out)))
        goto done;
    fprintf(strcmp(output, "-") ? stdout : stderr,
            "%s: wrote %s: %d component%s, %llu payload bytes, %d signature%s%s\n",
            diag_program(), output, ps->n, ps->n == 1 ? "" : "s", (unsigned long long)ps->payload.len, n_keys,
            n_keys == 1 ? "" : "s", n_rcpt ? ", encrypted" : "");
    goto done;
fail:
    atomic_abort(&out);
done:
    spool_close(&ps->payload);
    sodium_memzero(content_key, sizeof content_key);
    for (i = 0; i < n_keys; i++)
        fws_key_wipe(&signers[i]);
    for (i = 0; i < n_rcpt; i++)
        fws_key_wipe(&recipients[i]);
    free(spool_dir);
    free(meta);
    free(meta_args);
    free(ps);
    return rc;
}
