/*
 * fwsv: the freestanding verifier behind a thin host main.  It answers
 * exactly what a device would answer: every decision comes from
 * verifier/ (fws_install_*, fws_boot_check, fws_ed25519_verify); this file
 * only reads files, loads key files (keys/ library) and writes output.
 *
 *   fwsv check FILE [policy]            verify as a device would, discard output
 *   fwsv install FILE -o DIR [policy]   verify, write DIR/NAME and DIR/boot-record.bin
 *   fwsv boot RECORD IMAGE... [policy]  boot check of installed images
 *   fwsv ed25519 PUBHEX SIGHEX MSGHEX   one signature, exit 0 valid / 1 invalid
 *
 * Exit status: 0 accepted, 1 rejected, 2 usage (or: encrypted and no
 * --key, so no decision), 3 I/O or key problem.
 */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/hex_decode.h"
#include "cli.h"
#include "ed25519_verify.h"
#include "fws_bytes.h"
#include "fws_verify.h"
#include "keyfile.h"
#include "parse.h"
#include "sha256.h"
#include "xalloc.h"

#define BOOT_RECORD_NAME "boot-record.bin"
/* Longest boot record: header, manifest, a full signature block. */
#define RECORD_MAX \
    (FWS_HEADER_LEN + FWS_MAX_MANIFEST + 1 + FWS_MAX_SIGNATURES * (3 + FWS_MAX_ENTRY_BODY))

static const char usage_text[] =
    "usage: fwsv check FILE --trust PUB [--trust PUB...] [options]\n"
    "       fwsv install FILE -o DIR --trust PUB [options]\n"
    "       fwsv boot RECORD IMAGE... --trust PUB [options]\n"
    "       fwsv ed25519 PUBHEX SIGHEX MSGHEX\n"
    "\n"
    "The fwseal device verifier (verifier/, freestanding C) run on the host: it\n"
    "takes exactly the decision a device with the same policy would take.\n"
    "\n"
    "  check    feeds FILE ('-': stdin) through the install state machine and\n"
    "           discards the plaintext: structure, limits, class, counter,\n"
    "           signatures, key capsule, every chunk, every component's size and\n"
    "           SHA-256.  An encrypted container needs --key: without it no\n"
    "           decision can be taken (exit 2), where 'fwseal verify' checks the\n"
    "           signatures and the chunk chain and accepts.\n"
    "  install  the same, and writes each component to DIR/NAME and the boot record\n"
    "           (header, manifest, verified signatures) to DIR/" BOOT_RECORD_NAME ",\n"
    "           only after every check passed (staged, then renamed into place).\n"
    "  boot     checks RECORD (a boot record, or a whole container: extra bytes are\n"
    "           ignored) and one installed image file per component, in manifest\n"
    "           order: signatures, policy, and each image's SHA-256 (no decryption).\n"
    "  ed25519  verifies one Ed25519 signature (hex arguments; MSGHEX may be \"\").\n"
    "\n"
    "policy options (check, install, boot):\n"
    "  --trust PUB          trusted Ed25519 public key (.pub); repeatable (1..8)\n"
    "  --threshold K        distinct trusted signers required; default 1\n"
    "  --class CLASS        device class (string, hashed as 'fwseal pack' does, or 32\n"
    "                       hex digits); without --class the class is NOT checked\n"
    "                       (as 'fwseal verify' does)\n"
    "  --min-counter N      anti-rollback floor: reject a lower security counter\n"
    "  --key FILE           device X25519 secret key or PSK (.key) to decrypt\n"
    "  --passphrase-file F  passphrase for --key from F (first line)\n"
    "  --passphrase-env VAR passphrase for --key from environment variable VAR\n"
    "  --max-window-bits N  largest inflate window the device has, 9..15, or 0 for\n"
    "                       no inflate at all; default 15\n"
    "  --max-chunk N        largest chunk the device holds, 0..1048576; default 1048576\n"
    "  --chunk-feed N       push the container N bytes at a time (1..16777216);\n"
    "                       default 4096\n"
    "  -o, --output DIR     (install) where to write the components\n"
    "  --force              (install) replace existing files in DIR\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 accepted, 1 rejected, 2 usage or no decision possible,\n"
    "3 I/O or key problem.\n";

enum {
    OPT_TRUST = 300, OPT_THRESHOLD, OPT_CLASS, OPT_MIN_COUNTER, OPT_KEY, OPT_PP_FILE, OPT_PP_ENV,
    OPT_MAX_WBITS, OPT_MAX_CHUNK, OPT_FEED, OPT_FORCE
};

typedef struct {
    const char *trust_paths[FWS_CFG_MAX_TRUSTED];
    int n_trust;
    unsigned long long threshold, min_counter, max_wbits, max_chunk, feed;
    const char *class_arg, *key_path, *output;
    int force;
    fws_passphrase_src pp;
    /* loaded */
    fws_key trusted_keys[FWS_CFG_MAX_TRUSTED];
    uint8_t trusted[FWS_CFG_MAX_TRUSTED][32];
    uint8_t class_id[FWS_CLASS_LEN];
    fws_key device;
    fws_policy p;
} options;

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "%s: error: ", diag_program());
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry '%s --help'.\n", diag_program());
    return FWS_EXIT_USAGE;
}

/* Exactly 2*n hex digits -> n bytes.  0 or -1. */
static int hex_decode(const char *s, uint8_t *out, size_t n)
{
    return ex_hex_decode(s, strlen(s), out, n);
}

static void hex_id(char out[2 * FWS_KEYID_LEN + 1], const uint8_t *id)
{
    for (int k = 0; k < FWS_KEYID_LEN; k++)
        sprintf(out + 2 * k, "%02x", id[k]);
}

/* SPEC.md section 7: 32 hex digits are the id; any other string is hashed
 * under the class label (the verifier's own SHA-256). */
static void class_id_of(const char *arg, uint8_t out[FWS_CLASS_LEN])
{
    fws_sha256_ctx h;
    uint8_t d[FWS_SHA256_LEN];
    if (hex_decode(arg, out, FWS_CLASS_LEN) == 0)
        return;
    fws_sha256_init(&h);
    fws_sha256_update(&h, FWS_LABEL_CLASS, sizeof FWS_LABEL_CLASS - 1);
    fws_sha256_update(&h, arg, strlen(arg));
    fws_sha256_final(&h, d);
    memcpy(out, d, FWS_CLASS_LEN);
}

static int parse_num(const char *opt, const char *arg, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out)
{
    char msg[160];
    if (parse_u64(arg, hi, out) == 0 && *out >= lo)
        return 0;
    snprintf(msg, sizeof msg, "%s '%%s': expected %llu..%llu", opt, lo, hi);
    return usage(msg, arg);
}

/* Parses argv (after the command word); positional arguments are left in
 * argv[optind..argc). */
static int parse_options(options *o, int argc, char **argv)
{
    static const struct option opts[] = {
        {"trust", required_argument, 0, OPT_TRUST},
        {"threshold", required_argument, 0, OPT_THRESHOLD},
        {"class", required_argument, 0, OPT_CLASS},
        {"min-counter", required_argument, 0, OPT_MIN_COUNTER},
        {"key", required_argument, 0, OPT_KEY},
        {"passphrase-file", required_argument, 0, OPT_PP_FILE},
        {"passphrase-env", required_argument, 0, OPT_PP_ENV},
        {"max-window-bits", required_argument, 0, OPT_MAX_WBITS},
        {"max-chunk", required_argument, 0, OPT_MAX_CHUNK},
        {"chunk-feed", required_argument, 0, OPT_FEED},
        {"output", required_argument, 0, 'o'},
        {"force", no_argument, 0, OPT_FORCE},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int opt;
    o->threshold = 1;
    o->max_wbits = 15;
    o->max_chunk = FWS_MAX_CHUNK;
    o->feed = 4096;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        case OPT_TRUST:
            if (o->n_trust == FWS_CFG_MAX_TRUSTED)
                return usage("at most 8 --trust keys (FWS_CFG_MAX_TRUSTED)%s", "");
            o->trust_paths[o->n_trust++] = optarg;
            break;
        case OPT_THRESHOLD:
            if (parse_num("--threshold", optarg, 1, FWS_MAX_SIGNATURES, &o->threshold))
                return FWS_EXIT_USAGE;
            break;
        case OPT_CLASS:
            if (!*optarg)
                return usage("--class must not be empty%s", "");
            o->class_arg = optarg;
            break;
        case OPT_MIN_COUNTER:
            if (parse_num("--min-counter", optarg, 0, 0xFFFFFFFFull, &o->min_counter))
                return FWS_EXIT_USAGE;
            break;
        case OPT_KEY:
            o->key_path = optarg;
            break;
        case OPT_PP_FILE:
            o->pp.file = optarg;
            break;
        case OPT_PP_ENV:
            o->pp.env = optarg;
            break;
        case OPT_MAX_WBITS:
            if (parse_num("--max-window-bits", optarg, 0, 15, &o->max_wbits))
                return FWS_EXIT_USAGE;
            if (o->max_wbits != 0 && o->max_wbits < 9)
                return usage("--max-window-bits '%s': expected 0 or 9..15", optarg);
            break;
        case OPT_MAX_CHUNK:
            if (parse_num("--max-chunk", optarg, 0, FWS_MAX_CHUNK, &o->max_chunk))
                return FWS_EXIT_USAGE;
            break;
        case OPT_FEED:
            if (parse_num("--chunk-feed", optarg, 1, 1u << 24, &o->feed))
                return FWS_EXIT_USAGE;
            break;
        case 'o':
            o->output = optarg;
            break;
        case OPT_FORCE:
            o->force = 1;
            break;
        default:
            fputs("Try 'fwsv --help'.\n", stderr);
            return FWS_EXIT_USAGE;
        }
    }
    return 0;
}

/* Loads the keys and fills o->p.  want_device: whether --key is used. */
static int load_policy(options *o, int want_device)
{
    int rc, i;
    fws_policy *p = &o->p;
    memset(p, 0, sizeof *p);
    if (!o->n_trust)
        return usage("missing --trust PUB: which signing keys does the device trust?%s", "");
    if (o->threshold > (unsigned long long)o->n_trust)
        return usage("--threshold is more than the number of --trust keys given%s", "");
    if (o->pp.file && o->pp.env)
        return usage("give --passphrase-file or --passphrase-env, not both%s", "");
    if (o->key_path && !want_device)
        return usage("--key is not used by this command%s", "");
    for (i = 0; i < o->n_trust; i++) {
        if ((rc = fws_key_load(o->trust_paths[i], &o->pp, &o->trusted_keys[i])))
            return rc;
        if (o->trusted_keys[i].type != FWS_KEY_ED25519) {
            diag_error("%s: --trust needs an Ed25519 public key, this is a %s key",
                    o->trust_paths[i], fws_key_type_name(o->trusted_keys[i].type));
            return FWS_EXIT_USAGE;
        }
        memcpy(o->trusted[i], o->trusted_keys[i].pub, 32);
    }
    p->trusted = (const uint8_t(*)[32])o->trusted;
    p->n_trusted = (uint8_t)o->n_trust;
    p->threshold = (uint8_t)o->threshold;
    p->counter_floor = (uint32_t)o->min_counter;
    p->max_chunk = (uint32_t)o->max_chunk;
    p->max_wbits = (uint8_t)o->max_wbits;
    if (o->class_arg) {
        class_id_of(o->class_arg, o->class_id);
        p->class_id = o->class_id;
    }
    if (o->key_path) {
        fws_key *k = &o->device;
        if ((rc = fws_key_load(o->key_path, &o->pp, k)))
            return rc;
        if (!k->has_secret || (k->type != FWS_KEY_X25519 && k->type != FWS_KEY_PSK)) {
            diag_error("%s: --key needs the device's X25519 secret key or a PSK",
                    o->key_path);
            return FWS_EXIT_USAGE;
        }
        if (k->type == FWS_KEY_X25519) {
            p->x25519_secret = k->secret;
            p->x25519_public = k->pub;
        } else {
            p->psk = k->secret;
        }
    }
    return 0;
}

static void wipe_options(options *o)
{
    for (int i = 0; i < o->n_trust; i++)
        fws_key_wipe(&o->trusted_keys[i]);
    fws_key_wipe(&o->device);
    fws_wipe(&o->p, sizeof o->p);
}

static void print_accepted(const char *path, const fws_measurements *m)
{
    char id[2 * FWS_KEYID_LEN + 1];
    printf("%s: accepted: version %u.%u.%u+%u, counter %u, %u trusted signer%s (", path, m->major,
           m->minor, m->patch, m->build, m->counter, m->n_signers, m->n_signers == 1 ? "" : "s");
    for (int i = 0; i < m->n_signers; i++) {
        hex_id(id, m->signer_id[i]);
        printf("%s%s", i ? " " : "", id);
    }
    printf(")\n");
}

/* ---- check / install ---- */

typedef struct {
    const char *staging;   /* NULL: discard (check) */
    FILE *f;               /* component being written */
    int failed;
} out_sink;

static char *join(const char *a, const char *b)
{
    return xasprintf("%s/%s", a, b);
}

static char *name_of(const fws_component *c)
{
    char *s = xmalloc((size_t)c->name_len + 1);
    memcpy(s, c->name, c->name_len);
    s[c->name_len] = 0;
    return s;
}

/* mkdir -p for the directories of a relative name (checked by the
 * verifier's name rules: no "..", no leading '/') under root. */
static int make_parents(const char *root, const char *name)
{
    char *path = join(root, name), *slash = path + strlen(root) + 1;
    int rc = 0;
    while ((slash = strchr(slash, '/')) != NULL) {
        *slash = 0;
        if (mkdir(path, 0755) < 0 && errno != EEXIST) {
            diag_error("%s: cannot create directory: %s", path, strerror(errno));
            rc = -1;
            break;
        }
        *slash++ = '/';
    }
    free(path);
    return rc;
}

static int close_out(out_sink *o)
{
    int rc = 0;
    if (o->f) {
        if (fflush(o->f) != 0 || fsync(fileno(o->f)) != 0)
            rc = -1;
        if (fclose(o->f) != 0)
            rc = -1;
        o->f = NULL;
    }
    return rc;
}

static int sink_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                      const uint8_t *data, size_t len)
{
    out_sink *o = user;
    (void)index;
    (void)offset;
    if (!o->staging)
        return 0;
    if (len == 0 && data == NULL) {   /* a component starts */
        char *name = name_of(c), *path;
        if (close_out(o) != 0 || make_parents(o->staging, name) != 0) {
            free(name);
            return o->failed = -1;
        }
        path = join(o->staging, name);
        o->f = fopen(path, "wbx");
        if (!o->f)
            diag_error("%s: cannot create: %s", path, strerror(errno));
        free(path);
        free(name);
        return o->f ? 0 : (o->failed = -1);
    }
    if (fwrite(data, 1, len, o->f) != len) {
        diag_error("%s: write failed: %s", o->staging, strerror(errno));
        return o->failed = -1;
    }
    return 0;
}

static void remove_tree(const char *root)
{
    char *cmd;
    if (asprintf(&cmd, "rm -rf -- '%s'", root) >= 0) {
        if (system(cmd) != 0)
            diag_warn("%s: could not remove the staging directory", root);
        free(cmd);
    }
}

static int write_file(const char *path, const uint8_t *buf, size_t len)
{
    FILE *f = fopen(path, "wbx");
    int ok = f && fwrite(buf, 1, len, f) == len && fflush(f) == 0 && fsync(fileno(f)) == 0;
    if (f && fclose(f) != 0)
        ok = 0;
    if (!ok)
        diag_error("%s: cannot write: %s", path, strerror(errno));
    return ok ? 0 : -1;
}

/* Moves the staged files (components and the boot record) into dir. */
static int move_into(const char *staging, const char *dir, const fws_manifest *m, int force)
{
    int n = m->n_components + 1, i;
    for (int pass = 0; pass < 2; pass++)
        for (i = 0; i < n; i++) {
            char *name = i < m->n_components ? name_of(&m->comp[i]) : xstrdup(BOOT_RECORD_NAME);
            char *from = join(staging, name), *to = join(dir, name);
            struct stat st;
            int rc = 0;
            if (pass == 0 && !force && lstat(to, &st) == 0) {
                diag_error("%s: already exists (use --force to replace it); "
                           "nothing written", to);
                rc = -1;
            } else if (pass == 1 && (make_parents(dir, name) != 0 || rename(from, to) != 0)) {
                diag_error("%s: cannot move into place: %s", to,
                        strerror(errno));
                rc = -1;
            }
            free(name);
            free(from);
            free(to);
            if (rc)
                return FWS_EXIT_IO;
        }
    return FWS_EXIT_OK;
}

static int run_install(options *o, const char *path, int install)
{
    fws_install_ctx *ctx = xmalloc(sizeof *ctx);
    size_t work_len = FWS_WORK_SIZE(o->p.max_chunk, o->p.max_wbits), n;
    uint8_t *work = xmalloc(work_len), *buf = xmalloc(o->feed);
    fws_sink sink;
    out_sink out = {NULL, NULL, 0};
    fws_measurements meas;
    FILE *in;
    char *staging = NULL, *dir_parent = NULL;
    int rc = FWS_OK, exit_rc, dir_created = 0;

    in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!in) {
        diag_error("%s: cannot open: %s", path, strerror(errno));
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    if (install) {
        struct stat st;
        char *tmpl;
        if (stat(o->output, &st) == 0 && !S_ISDIR(st.st_mode)) {
            diag_error("%s: exists and is not a directory", o->output);
            exit_rc = FWS_EXIT_IO;
            goto done;
        }
        dir_created = stat(o->output, &st) != 0;
        dir_parent = xstrdup(o->output);
        tmpl = xasprintf("%s/.fwsv-install-XXXXXX", dir_created ? dirname(dir_parent) : o->output);
        staging = mkdtemp(tmpl);
        if (!staging) {
            diag_error("%s: cannot create the output: %s", o->output,
                    strerror(errno));
            free(tmpl);
            exit_rc = FWS_EXIT_IO;
            goto done;
        }
        out.staging = staging;
    }
    sink.write = sink_write;
    sink.user = &out;

    rc = fws_install_init(ctx, &o->p, &sink, work, work_len);
    while (rc == FWS_OK && (n = fread(buf, 1, o->feed, in)) > 0)
        rc = fws_install_push(ctx, buf, n);
    if (ferror(in)) {
        diag_error("%s: read error: %s", path, strerror(errno));
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    if (rc == FWS_OK)
        rc = fws_install_finish(ctx, &meas);
    else
        fws_install_finish(ctx, NULL);   /* wipes; the first error stays */
    if (close_out(&out) != 0 && rc == FWS_OK) {
        diag_error("%s: cannot finish writing", o->output);
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    if (rc == FWS_E_NO_KEY) {
        diag_note("%s: no decision: the container is encrypted and no --key was "
                        "given (signatures checked; the device needs its key to check the "
                        "components)", path);
        exit_rc = FWS_EXIT_USAGE;
        goto done;
    }
    if (rc != FWS_OK) {
        diag_note("%s: %s: %s", path, rc == FWS_E_SINK ? "error" : "rejected",
                fws_status_name(rc));
        if (rc == FWS_E_INFLATE && fws_install_inflate_error(ctx))
            diag_note("%s: inflate: %s", path,
                    fws_inflate_error_name(fws_install_inflate_error(ctx)));
        if (install)
            diag_note("%s: nothing written", path);
        exit_rc = rc == FWS_E_SINK ? FWS_EXIT_IO : FWS_EXIT_REJECT;
        goto done;
    }
    if (install) {
        const uint8_t *rec;
        size_t rec_len;
        char *rec_path;
        for (int i = 0; i < ctx->m.n_components; i++)
            if (ctx->m.comp[i].name_len == strlen(BOOT_RECORD_NAME) &&
                !memcmp(ctx->m.comp[i].name, BOOT_RECORD_NAME, strlen(BOOT_RECORD_NAME))) {
                diag_error("%s: a component is named %s, which install "
                                "uses for the boot record; nothing written", path,
                        BOOT_RECORD_NAME);
                exit_rc = FWS_EXIT_IO;
                goto done;
            }
        if (fws_install_boot_record(ctx, &rec, &rec_len) != FWS_OK)
            abort();
        rec_path = join(staging, BOOT_RECORD_NAME);
        rc = write_file(rec_path, rec, rec_len);
        free(rec_path);
        if (rc) {
            exit_rc = FWS_EXIT_IO;
            goto done;
        }
        if (dir_created) {
            mode_t um = umask(0);
            umask(um);
            chmod(staging, 0777 & ~um);
            if (rename(staging, o->output) != 0) {
                diag_error("%s: cannot move the output into place: %s",
                        o->output, strerror(errno));
                exit_rc = FWS_EXIT_IO;
                goto done;
            }
        } else if ((exit_rc = move_into(staging, o->output, &ctx->m, o->force)) != 0) {
            goto done;
        }
    }
    print_accepted(path, &meas);
    if (install)
        printf("%s: wrote %u component%s and %s to %s\n", path, meas.n_components,
               meas.n_components == 1 ? "" : "s", BOOT_RECORD_NAME, o->output);
    exit_rc = FWS_EXIT_OK;
done:
    if (in && in != stdin)
        fclose(in);
    close_out(&out);
    if (staging) {
        struct stat st;
        if (stat(staging, &st) == 0)
            remove_tree(staging);
        free(staging);
    }
    free(dir_parent);
    fws_wipe(ctx, sizeof *ctx);
    fws_wipe(work, work_len);
    free(ctx);
    free(work);
    free(buf);
    return exit_rc;
}

/* ---- boot ---- */

typedef struct {
    char **paths;
    int n;
    FILE **f;
    int missing;        /* an image index with no file given */
    int short_image;    /* index + 1 of an image shorter than its SIZE */
    int io_error;
} images;

static int read_image(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    images *im = user;
    if (index >= im->n) {
        im->missing = 1;
        return -1;
    }
    if (!im->f[index] && !(im->f[index] = fopen(im->paths[index], "rb"))) {
        diag_error("%s: cannot open: %s", im->paths[index], strerror(errno));
        im->io_error = 1;
        return -1;
    }
    if (fseeko(im->f[index], (off_t)offset, SEEK_SET) != 0 ||
        fread(buf, 1, len, im->f[index]) != len) {
        if (ferror(im->f[index])) {
            diag_error("%s: read error: %s", im->paths[index],
                    strerror(errno));
            im->io_error = 1;
        } else {
            im->short_image = index + 1;
        }
        return -1;
    }
    return 0;
}

static int run_boot(options *o, const char *record_path, char **image_paths, int n_images)
{
    uint8_t *rec = xmalloc(RECORD_MAX), scratch[4096];
    images im = {image_paths, n_images, xcalloc((size_t)n_images + 1, sizeof(FILE *)), 0, 0, 0};
    fws_measurements meas;
    size_t rec_len;
    FILE *f;
    int rc, exit_rc;

    f = fopen(record_path, "rb");
    if (!f) {
        diag_error("%s: cannot open: %s", record_path, strerror(errno));
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    rec_len = fread(rec, 1, RECORD_MAX, f);   /* bytes past a record are ignored */
    if (ferror(f)) {
        diag_error("%s: read error: %s", record_path, strerror(errno));
        fclose(f);
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    fclose(f);
    rc = fws_boot_check(&o->p, rec, rec_len, read_image, &im, scratch, sizeof scratch, &meas);
    if (rc == FWS_E_READ && im.io_error) {
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    if (rc == FWS_E_READ && im.missing) {
        exit_rc = usage("%s: the record has more components than the images given", record_path);
        goto done;
    }
    if (rc != FWS_OK) {
        diag_note("%s: rejected: %s", record_path, fws_status_name(rc));
        if (im.short_image)
            diag_note("%s: shorter than the component's size",
                    image_paths[im.short_image - 1]);
        exit_rc = FWS_EXIT_REJECT;
        goto done;
    }
    if (meas.n_components != n_images) {
        exit_rc = usage("%s: the record has fewer components than the images given",
                        record_path);
        goto done;
    }
    print_accepted(record_path, &meas);
    exit_rc = FWS_EXIT_OK;
done:
    for (int i = 0; i < n_images; i++)
        if (im.f[i])
            fclose(im.f[i]);
    free(im.f);
    free(rec);
    return exit_rc;
}

/* ---- ed25519 ---- */

static int run_ed25519(int argc, char **argv)
{
    uint8_t pub[32], sig[64], *msg;
    size_t mlen;
    int rc;
    if (argc != 5)
        return usage("usage: fwsv ed25519 PUBHEX SIGHEX MSGHEX%s", "");
    mlen = strlen(argv[4]) / 2;
    msg = xmalloc(mlen + 1);
    if (hex_decode(argv[2], pub, 32) || hex_decode(argv[3], sig, 64) ||
        hex_decode(argv[4], msg, mlen)) {
        free(msg);
        return usage("ed25519: PUBHEX is 64 hex digits, SIGHEX 128, MSGHEX an even number%s", "");
    }
    rc = fws_ed25519_verify(sig, msg, mlen, pub);
    free(msg);
    printf("%s\n", rc == 0 ? "valid" : "invalid");
    return rc == 0 ? FWS_EXIT_OK : FWS_EXIT_REJECT;
}

int main(int argc, char **argv)
{
    options *o;
    const char *cmd;
    int rc, npos;
    char **pos;

    diag_set_program("fwsv");
    if (argc < 2)
        return usage("missing command: check, install, boot or ed25519%s", "");
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return FWS_EXIT_OK;
    }
    if (!strcmp(cmd, "ed25519"))
        return run_ed25519(argc, argv);
    if (strcmp(cmd, "check") && strcmp(cmd, "install") && strcmp(cmd, "boot"))
        return usage("unknown command '%s' (check, install, boot, ed25519)", cmd);
    o = xcalloc(1, sizeof *o);
    rc = parse_options(o, argc - 1, argv + 1);
    if (rc) {
        free(o);
        return rc < 0 ? FWS_EXIT_OK : rc;
    }
    pos = argv + 1 + optind;
    npos = argc - 1 - optind;
    if (!strcmp(cmd, "boot")) {
        if (npos < 2)
            rc = usage("boot needs RECORD and one IMAGE per component%s", "");
        else if (o->output)
            rc = usage("-o is for install%s", "");
        else if (!(rc = load_policy(o, 0)))
            rc = run_boot(o, pos[0], pos + 1, npos - 1);
    } else {
        int install = !strcmp(cmd, "install");
        if (npos != 1)
            rc = usage(npos ? "exactly one FILE, please%s" : "missing FILE%s", "");
        else if (install && !o->output)
            rc = usage("install needs -o DIR%s", "");
        else if (!install && o->output)
            rc = usage("-o is for install%s", "");
        else if (!(rc = load_policy(o, 1)))
            rc = run_install(o, pos[0], install);
    }
    wipe_options(o);
    free(o);
    return rc;
}
