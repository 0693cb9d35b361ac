/* SPDX-License-Identifier: MIT */
/*
 * fwsv: the freestanding verifier behind a thin host main.  It answers
 * exactly what a device would answer: every decision comes from
 * verifier/ (fws_install_*, fws_boot_check, fws_ed25519_verify).  Around
 * it, the host tool's own code: the policy options and key loading of
 * `fwseal verify` (signer/cli/policy_args.h, keys/), its option parsing
 * and messages (signer/cli/cli.h, host/diag.h), and the staged output
 * directory of `fwseal unpack` (host/outdir.h).
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ed25519_verify.h"
#include "fws_bytes.h"
#include "fws_verify.h"
#include "outdir.h"
#include "parse.h"
#include "atomic_file.h"
#include "explain.h"
#include "policy_args.h"
#include "version.h"
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
    "       fwsv --version\n"
    "\n"
    "The fwseal device verifier (verifier/, freestanding C) run on the host: it\n"
    "takes exactly the decision a device with the same policy would take.\n"
    "\n"
    "  check    feeds FILE ('-': stdin) through the install state machine and\n"
    "           discards the plaintext: structure, limits, class, counter,\n"
    "           signatures, key capsule, every chunk, every component's size and\n"
    "           digest.  An encrypted container needs --key: without it no\n"
    "           decision can be taken (exit 2), where 'fwseal verify' checks the\n"
    "           signatures and the chunk chain and accepts.\n"
    "  install  the same, and writes each component to DIR/NAME and the boot record\n"
    "           (header, manifest, the signatures that counted, and the digest key\n"
    "           of an encrypted container) to DIR/" BOOT_RECORD_NAME "\n"
    "           (or --boot-record FILE), only after every check passed (staged,\n"
    "           then renamed into place).\n"
    "  boot     checks RECORD (a boot record, or a whole container: extra bytes are\n"
    "           ignored) and one installed image file per component, in manifest\n"
    "           order: signatures, policy, and each image's digest (SHA-256, or\n"
    "           HMAC-SHA256 under the record's digest key; no decryption).\n"
    "  ed25519  verifies one Ed25519 signature (hex arguments; MSGHEX may be \"\").\n"
    "\n"
    "policy options (check, install, boot):\n"
    "  --trust PUB          trusted Ed25519 public key (.pub); repeatable (1..8)\n"
    "  --threshold K        distinct trusted signers required; default 1\n"
    "  --class CLASS        device class (string, hashed as 'fwseal pack' does, or 32\n"
    "                       hex digits); required, unless:\n"
    "  --any-class          accept containers of every device class (the output says\n"
    "                       that the class was not checked)\n"
    "  --min-counter N      anti-rollback floor: reject a lower security counter\n"
    "  --trust-root PUB     a root key that certifies signing keys (fwseal cert);\n"
    "                       repeatable (1..4); with roots --trust may be left out\n"
    "  --root-threshold K   distinct roots a signing key needs; default 1\n"
    "  --min-key-generation N  key-generation floor: certified keys of a lower\n"
    "                       generation do not count (revoked_key)\n"
    "  --key FILE           device X25519 secret key or PSK (.key) to decrypt\n"
    "  --passphrase-file F  passphrase for --key from F (first line)\n"
    "  --passphrase-env VAR passphrase for --key from environment variable VAR\n"
    "  --max-window-bits N  largest inflate window the device has, 9..15, or 0 for\n"
    "                       no inflate at all; default 15\n"
    "  --max-chunk N        largest chunk the device holds, 0..1048576; default 1048576\n"
    "  --max-size N         largest installed size of a component (the slot); default\n"
    "                       no limit\n"
    "  --chunk-feed N       push the container N bytes at a time (1..16777216);\n"
    "                       default 4096\n"
    "  -o, --output DIR     (install) where to write the components\n"
    "  --force              (install) replace existing files in DIR\n"
    "  --boot-record FILE   (install) the boot record goes to FILE, not\n"
    "                       DIR/" BOOT_RECORD_NAME "\n"
    "  -h, --help           this text\n"
    "\n"
    "Exit status: 0 accepted, 1 rejected, 2 usage or no decision possible,\n"
    "3 I/O or key problem.\n";

enum { OPT_MAX_WBITS = 400, OPT_MAX_CHUNK, OPT_MAX_SIZE, OPT_FEED, OPT_FORCE, OPT_BOOT_RECORD };

typedef struct {
    const char *cmd;
    policy_args policy;            /* --trust, --class, --key, ... as fwseal's */
    unsigned long long max_wbits, max_chunk, max_size, feed;
    const char *output, *boot_record;   /* -o DIR; --boot-record FILE (else DIR/boot-record.bin) */
    int force;
    /* the device's policy, from the loaded policy_args */
    uint8_t trusted[FWS_CFG_MAX_TRUSTED][32], roots[FWS_CFG_MAX_ROOTS][32];
    fws_policy p;
} options;

static int parse_num(const char *cmd, const char *opt, const char *arg, unsigned long long lo,
                     unsigned long long hi, unsigned long long *out)
{
    if (parse_u64(arg, hi, out) == 0 && *out >= lo)
        return FWS_EXIT_OK;
    return cli_usage(cmd, "%s '%s': expected %llu..%llu", opt, arg, lo, hi);
}

/* One fwsv-only option (the policy's go to policy_args). */
static int device_option(options *o, int opt, const char *arg)
{
    switch (opt) {
    case OPT_MAX_WBITS:
        if (parse_num(o->cmd, "--max-window-bits", arg, 0, 15, &o->max_wbits))
            return FWS_EXIT_USAGE;
        if (o->max_wbits != 0 && o->max_wbits < 9)
            return cli_usage(o->cmd, "--max-window-bits '%s': expected 0 or 9..15", arg);
        return FWS_EXIT_OK;
    case OPT_MAX_CHUNK:
        return parse_num(o->cmd, "--max-chunk", arg, 0, FWS_MAX_CHUNK, &o->max_chunk);
    case OPT_MAX_SIZE:
        return parse_num(o->cmd, "--max-size", arg, 1, UINT64_MAX, &o->max_size);
    case OPT_FEED:
        return parse_num(o->cmd, "--chunk-feed", arg, 1, 1u << 24, &o->feed);
    case 'o':
        o->output = arg;
        return FWS_EXIT_OK;
    case OPT_FORCE:
        o->force = 1;
        return FWS_EXIT_OK;
    case OPT_BOOT_RECORD:
        o->boot_record = arg;
        return FWS_EXIT_OK;
    }
    return policy_args_option(&o->policy, opt, arg);
}

/* Parses argv (after the command word); positional arguments are left in
 * argv[optind..argc).  -1 after --help. */
static int parse_options(options *o, int argc, char **argv)
{
    static const struct option opts[] = {
        POLICY_LONG_OPTIONS,
        {"max-window-bits", required_argument, 0, OPT_MAX_WBITS},
        {"max-chunk", required_argument, 0, OPT_MAX_CHUNK},
        {"max-size", required_argument, 0, OPT_MAX_SIZE},
        {"chunk-feed", required_argument, 0, OPT_FEED},
        {"output", required_argument, 0, 'o'},
        {"force", no_argument, 0, OPT_FORCE},
        {"boot-record", required_argument, 0, OPT_BOOT_RECORD},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    int opt, rc;
    policy_args_init(&o->policy, o->cmd, FWS_CFG_MAX_TRUSTED);
    o->max_wbits = 15;
    o->max_chunk = FWS_MAX_CHUNK;
    o->max_size = UINT64_MAX;
    o->feed = 4096;
    optind = 0;
    while ((opt = cli_getopt(o->cmd, argc, argv, "o:h", opts)) != -1) {
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return -1;
        }
        if (opt == CLI_OPT_ERROR)
            return FWS_EXIT_USAGE;
        if ((rc = device_option(o, opt, optarg)))
            return rc;
    }
    return FWS_EXIT_OK;
}

/* Loads the keys (policy_args, as fwseal does) and fills the device's
 * policy.  want_device: whether --key is used. */
static int load_policy(options *o, int want_device)
{
    const policy_args *a = &o->policy;
    fws_policy *p = &o->p;
    int rc;
    if (a->key_path && !want_device)
        return cli_usage(o->cmd, "--key is not used by this command");
    if ((rc = policy_args_load(&o->policy)))
        return rc;
    memset(p, 0, sizeof *p);
    if (a->n_roots > FWS_CFG_MAX_ROOTS)
        return cli_usage(o->cmd, "at most %d --trust-root keys (FWS_CFG_MAX_ROOTS)",
                         FWS_CFG_MAX_ROOTS);
    if (a->threshold > FWS_CFG_MAX_THRESHOLD)
        return cli_usage(o->cmd, "--threshold %llu is above the device's FWS_CFG_MAX_THRESHOLD %d",
                         a->threshold, FWS_CFG_MAX_THRESHOLD);
    for (int i = 0; i < a->n_trust; i++)
        memcpy(o->trusted[i], a->trusted[i].pub, 32);
    for (int i = 0; i < a->n_roots; i++)
        memcpy(o->roots[i], a->roots[i].pub, 32);
    p->trusted = (const uint8_t(*)[32])o->trusted;
    p->roots = (const uint8_t(*)[32])o->roots;
    p->n_roots = (uint8_t)a->n_roots;
    p->root_threshold = (uint8_t)a->root_threshold;
    p->key_generation_floor = (uint32_t)a->min_keygen;
    p->n_trusted = (uint8_t)a->n_trust;
    p->threshold = (uint8_t)a->threshold;
    p->counter_floor = (uint32_t)a->min_counter;
    p->max_chunk = (uint32_t)o->max_chunk;
    p->max_wbits = (uint8_t)o->max_wbits;
    p->max_size = o->max_size;
    p->class_id = a->check_class ? a->class_id : FWS_CLASS_ANY;   /* --any-class */
    if (a->key_path && a->device_key.type == FWS_KEY_X25519) {
        p->x25519_secret = a->device_key.secret;
        p->x25519_public = a->device_key.pub;
    } else if (a->key_path) {
        p->psk = a->device_key.secret;
    }
    return FWS_EXIT_OK;
}

static void wipe_options(options *o)
{
    policy_args_wipe(&o->policy);
    fws_wipe(&o->p, sizeof o->p);
}

static void print_accepted(const options *o, const char *path, const fws_measurements *m)
{
    cli_print_accepted(path, m->major, m->minor, m->patch, m->build, m->counter, m->n_signers,
                       (const uint8_t(*)[FWS_KEYID_LEN])m->signer_id, !o->policy.any_class);
}

/* ---- check / install ---- */

/* The install sink: each component into the staged output directory. */
static int sink_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                      const uint8_t *data, size_t len)
{
    outdir *d = user;
    (void)index;
    (void)offset;
    if (len == 0 && data == NULL) {   /* a component starts */
        char name[FWS_MAX_NAME + 1];
        memcpy(name, c->name, c->name_len);
        name[c->name_len] = 0;
        return outdir_create(d, name);
    }
    return outdir_write(d, data, len);
}

/* The first bytes of the input (header and manifest at most), kept to
 * explain a refusal. */
typedef struct {
    uint8_t b[FWS_HEADER_LEN + FWS_CFG_MAX_MANIFEST + 1];   /* + the signature count */
    size_t len;
} prefix;

/* Pushes the file through the install state machine, o->feed bytes at a
 * time.  Returns the verifier's status, or -1 after a read error. */
static int feed(const options *o, FILE *in, const char *path, fws_install_ctx *ctx,
                fws_measurements *meas, prefix *pre)
{
    uint8_t *buf = xmalloc(o->feed);
    size_t n;
    int rc = FWS_OK;
    while (rc == FWS_OK && (n = fread(buf, 1, o->feed, in)) > 0) {
        size_t keep = n < sizeof pre->b - pre->len ? n : sizeof pre->b - pre->len;
        memcpy(pre->b + pre->len, buf, keep);
        pre->len += keep;
        rc = fws_install_push(ctx, buf, n);
    }
    free(buf);
    if (ferror(in)) {
        diag_error("%s: read error: %s", path, strerror(errno));
        fws_install_finish(ctx, NULL);
        return -1;
    }
    if (rc == FWS_OK)
        return fws_install_finish(ctx, meas);
    fws_install_finish(ctx, NULL);   /* wipes; the first error stays */
    return rc;
}

/* What a refusal is about, from the header and manifest as read (when they
 * decode) and the verifier's position. */
static void describe(fwsv_refusal *r, const fws_policy *p, const uint8_t *bytes, size_t len,
                     fws_manifest *m)
{
    fws_header h;
    memset(r, 0, sizeof *r);
    r->p = p;
    r->component = -1;
    r->n_signers = r->n_entries = FWSV_UNKNOWN;
    if (len < FWS_HEADER_LEN)
        return;
    r->signed_region = bytes;
    r->signed_len = FWS_HEADER_LEN;   /* enough to explain a header error */
    if (fws_header_decode(bytes, &h) != FWS_OK || len - FWS_HEADER_LEN < h.manifest_len)
        return;
    r->signed_len = FWS_HEADER_LEN + h.manifest_len;
    if (fws_manifest_decode(bytes + FWS_HEADER_LEN, h.manifest_len, m, NULL) == FWS_OK)
        r->m = m;
}

/* The exit status for a status other than FWS_OK, with its message. */
static int report_refusal(const options *o, const char *path, int rc, fws_install_ctx *ctx,
                          const prefix *pre, int install)
{
    fwsv_refusal r;
    fws_manifest m;
    char why[512];
    if (rc == FWS_E_NO_KEY) {
        diag_note("%s: no decision: the container is encrypted and no --key was given "
                  "(signatures checked; the device needs its key to check the components)",
                  path);
        return FWS_EXIT_USAGE;
    }
    describe(&r, &o->p, pre->b, pre->len, &m);
    r.component = ctx->r.cur;
    /* Every chunk but the last is chunk_size payload bytes. */
    r.chunk_index = ctx->m.chunk_size ? ctx->payload_done / ctx->m.chunk_size : 0;
    r.payload_offset = ctx->payload_done;
    r.inflate_err = fws_install_inflate_error(ctx);
    r.n_signers = ctx->tally.n_signers;
    if (r.m && pre->len > r.signed_len)
        r.n_entries = pre->b[r.signed_len];
    fwsv_explain(&r, rc, why, sizeof why);
    diag_note("%s: %s: %s", path, rc == FWS_E_SINK ? "error" : "rejected", why);
    if (install)
        diag_note("%s: nothing written", path);
    return rc == FWS_E_SINK ? FWS_EXIT_IO : FWS_EXIT_REJECT;
}

/* After an accepted install: the boot record beside the components, then
 * everything into place. */
static int install_outputs(const options *o, const char *path, fws_install_ctx *ctx, outdir *d)
{
    const uint8_t *rec;
    size_t rec_len;
    atomic_file f;
    int rc;
    if (fws_install_boot_record(ctx, &rec, &rec_len) != FWS_OK)
        abort();   /* the install was accepted: the record is there */
    if (o->boot_record) {   /* elsewhere: committed after the components */
        if ((rc = atomic_open(&f, o->boot_record, 0644, o->force ? ATOMIC_OVERWRITE : 0)))
            return rc;
        if ((rc = atomic_write(&f, rec, rec_len)) || (rc = outdir_commit(d, o->force)) ||
            (rc = atomic_commit(&f))) {
            atomic_abort(&f);
            return rc;
        }
        return FWS_EXIT_OK;
    }
    for (int i = 0; i < ctx->m.n_components; i++)
        if (ctx->m.comp[i].name_len == strlen(BOOT_RECORD_NAME) &&
            !memcmp(ctx->m.comp[i].name, BOOT_RECORD_NAME, strlen(BOOT_RECORD_NAME))) {
            diag_error("%s: a component is named %s, which install uses for the boot record "
                       "(--boot-record FILE puts it elsewhere); nothing written",
                       path, BOOT_RECORD_NAME);
            return FWS_EXIT_IO;
        }
    if (outdir_create(d, BOOT_RECORD_NAME) || outdir_write(d, rec, rec_len))
        return FWS_EXIT_IO;
    return outdir_commit(d, o->force);
}

static int run_install(options *o, const char *path, int install)
{
    fws_install_ctx *ctx = xmalloc(sizeof *ctx);
    prefix *pre = xcalloc(1, sizeof *pre);
    size_t work_len = FWS_WORK_SIZE(o->p.max_chunk, o->p.max_wbits);
    uint8_t *work = xmalloc(work_len);
    fws_sink sink = {NULL, NULL};
    fws_measurements meas;
    outdir d;
    FILE *in;
    int rc, exit_rc;

    outdir_init(&d);
    in = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!in) {
        diag_error("%s: cannot open: %s", path, strerror(errno));
        exit_rc = FWS_EXIT_IO;
        goto done;
    }
    if (install) {
        if ((exit_rc = outdir_open(&d, o->output, ".fwsv-install")))
            goto done;
        sink.write = sink_write;
        sink.user = &d;
    }
    rc = fws_install_init(ctx, &o->p, &sink, work, work_len);
    if (rc == FWS_OK)
        rc = feed(o, in, path, ctx, &meas, pre);
    else
        fws_install_finish(ctx, NULL);
    if (rc < 0)
        exit_rc = FWS_EXIT_IO;
    else if (rc != FWS_OK)
        exit_rc = report_refusal(o, path, rc, ctx, pre, install);
    else if (!install || !(exit_rc = install_outputs(o, path, ctx, &d))) {
        print_accepted(o, path, &meas);
        if (install)
            printf("%s: wrote %u component%s to %s and the boot record to %s%s%s\n", path,
                   meas.n_components, meas.n_components == 1 ? "" : "s", o->output,
                   o->boot_record ? o->boot_record : o->output,
                   o->boot_record || o->output[strlen(o->output) - 1] == '/' ? "" : "/",
                   o->boot_record ? "" : BOOT_RECORD_NAME);
        exit_rc = FWS_EXIT_OK;
    }
done:
    if (in && in != stdin)
        fclose(in);
    outdir_close(&d);
    fws_wipe(ctx, sizeof *ctx);
    fws_wipe(work, work_len);
    free(pre);
    free(ctx);
    free(work);
    return exit_rc;
}

/* ---- boot ---- */

typedef struct {
    char **paths;
    int n;
    FILE **f;
    int missing;        /* an image index with no file given */
    int last_index;     /* the component read last, -1 before any */
    int short_image;    /* index + 1 of an image shorter than its SIZE */
    int io_error;
} images;

static int read_image(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    images *im = user;
    im->last_index = index;
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
    images im = {image_paths, n_images, xcalloc((size_t)n_images + 1, sizeof(FILE *)), 0, -1, 0, 0};
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
        exit_rc = cli_usage("boot", "%s: the record has more components than the images given",
                            record_path);
        goto done;
    }
    if (rc != FWS_OK) {
        fwsv_refusal r;
        fws_manifest m;
        char why[512];
        describe(&r, &o->p, rec, rec_len, &m);
        r.component = im.last_index;
        if (r.m && rec_len > r.signed_len)
            r.n_entries = rec[r.signed_len];
        fwsv_explain(&r, rc, why, sizeof why);
        diag_note("%s: rejected: %s", record_path, why);
        if (im.short_image)
            diag_note("%s: shorter than the component's size",
                    image_paths[im.short_image - 1]);
        exit_rc = FWS_EXIT_REJECT;
        goto done;
    }
    if (meas.n_components != n_images) {
        exit_rc = cli_usage("boot", "%s: the record has fewer components than the images given",
                        record_path);
        goto done;
    }
    print_accepted(o, record_path, &meas);
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
        return cli_usage("ed25519", "usage: fwsv ed25519 PUBHEX SIGHEX MSGHEX");
    mlen = strlen(argv[4]) / 2;
    msg = xmalloc(mlen + 1);
    if (parse_hex(argv[2], strlen(argv[2]), pub, 32) ||
        parse_hex(argv[3], strlen(argv[3]), sig, 64) ||
        parse_hex(argv[4], strlen(argv[4]), msg, mlen)) {
        free(msg);
        return cli_usage("ed25519", "PUBHEX is 64 hex digits, SIGHEX 128, MSGHEX an even number");
    }
    rc = fws_ed25519_verify(sig, msg, mlen, pub);
    free(msg);
    printf("%s\n", rc == 0 ? "valid" : "invalid");
    return rc == 0 ? FWS_EXIT_OK : FWS_EXIT_REJECT;
}

/* The command after its options: what it needs, then the run. */
static int run(options *o, char **pos, int npos)
{
    int rc, install = !strcmp(o->cmd, "install");
    if (!strcmp(o->cmd, "boot")) {
        if (npos < 2)
            return cli_usage(o->cmd, "boot needs RECORD and one IMAGE per component");
        if (o->output)
            return cli_usage(o->cmd, "-o is for install");
        if ((rc = load_policy(o, 0)))
            return rc;
        return run_boot(o, pos[0], pos + 1, npos - 1);
    }
    if (npos != 1)
        return cli_usage(o->cmd, npos ? "exactly one FILE, please" : "missing FILE");
    if (install && !o->output)
        return cli_usage(o->cmd, "install needs -o DIR");
    if (!install && o->output)
        return cli_usage(o->cmd, "-o is for install");
    if ((rc = load_policy(o, 1)))
        return rc;
    return run_install(o, pos[0], install);
}

/* The commands, for --list-commands (shell completions) and typos. */
static const char *const command_names[] = {"check", "install", "boot", "ed25519"};
static const char *const command_summaries[] = {
    "verify a container as a device would, discard the output",
    "verify and write the components and the boot record",
    "boot check of installed images against their boot record",
    "verify one Ed25519 signature"};
#define N_COMMANDS (sizeof command_names / sizeof command_names[0])

int main(int argc, char **argv)
{
    options *o;
    int rc;

    diag_set_program("fwsv");
    if (argc < 2)
        return cli_usage(NULL, "missing command: check, install, boot or ed25519");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        fputs(usage_text, stdout);
        return diag_close_stdout(FWS_EXIT_OK);
    }
    if (!strcmp(argv[1], CLI_LIST_COMMANDS)) {
        for (size_t i = 0; i < N_COMMANDS; i++)
            printf("%s\t%s\n", command_names[i], command_summaries[i]);
        return FWS_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("fwsv %s (container format %d)\n", FWSEAL_VERSION, FWS_FORMAT_VERSION);
        return FWS_EXIT_OK;
    }
    if (!strcmp(argv[1], "ed25519"))
        return diag_close_stdout(run_ed25519(argc, argv));
    if (strcmp(argv[1], "check") && strcmp(argv[1], "install") && strcmp(argv[1], "boot")) {
        const char *guess = cli_closest(argv[1], command_names, N_COMMANDS);
        if (guess)
            return cli_usage(NULL, "unknown command '%s' (did you mean %s?)", argv[1], guess);
        return cli_usage(NULL, "unknown command '%s' (check, install, boot, ed25519)", argv[1]);
    }
    o = xcalloc(1, sizeof *o);
    o->cmd = argv[1];
    rc = parse_options(o, argc - 1, argv + 1);
    if (rc < 0)
        rc = FWS_EXIT_OK;
    else if (!rc)
        rc = run(o, argv + 1 + optind, argc - 1 - optind);
    wipe_options(o);
    free(o);
    return diag_close_stdout(rc);
}
