/* SPDX-License-Identifier: MIT */
/* fwseal pack: the command line of the pack data path (pack/pack.h). */
#include "cli.h"
#include "compress.h"
#include "flash_output.h"
#include "host_class_id.h"
#include "json.h"
#include "keyfile.h"
#include "pack.h"
#include "parse.h"
#include "passphrase.h"
#include "pdeflate.h"
#include "signer_args.h"
#include "signing_log.h"
#include "xalloc.h"

#include <getopt.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char usage_text[] =
    "usage: fwseal pack -o OUT --key SIGNING.key [--key ...] --version X.Y.Z[+B]\n"
    "                   --counter N --class CLASS [options] INPUT...\n"
    "\n"
    "Compresses, optionally encrypts, and signs components into a container.\n"
    "\n"
    "INPUT is [NAME=]FILE[@ADDRESS]; without NAME= the file's base name (less\n"
    "the extension of .hex, .srec and .elf files) names the component:\n"
    "  [NAME=]fw.bin@0x08000000 a raw binary (FILE '-', standard input, needs NAME=)\n"
    "  [NAME=]fw.hex            Intel HEX (.hex .ihex .ihx); the address comes from the file\n"
    "  [NAME=]fw.srec           Motorola S-records (.srec .s19 .s28 .s37 .mot), likewise\n"
    "  [NAME=]fw.elf            ELF executable (.elf .axf): its loadable segments at their\n"
    "                           physical addresses, one component, gaps filled with 0xFF\n"
    "  [NAME=]bundle.tar.gz     an archive (.tar .tgz .tar.gz .tar.bz2 .tar.xz .zip .cpio):\n"
    "                           each regular member becomes a component [NAME/]member\n"
    "\n"
    "options:\n"
    "  -o, --output OUT         container to write ('-': standard output, not a terminal)\n"
    "  -f, --force              replace an existing OUT\n"
    SIGNER_HELP("-k, --key")
    "      --cert FILE          a delegation certificate for one of the signing keys: it\n"
    "                           signs as a key certified by root keys (fwseal cert issue)\n"
    "      --unsigned           no signatures: add them later (fwseal sign, attach)\n"
    "      --min-key-generation N  after a confirmed boot, devices refuse certified\n"
    "                           signing keys of a lower generation (revocation)\n"
    "      --log FILE           append a record to this signing log (also FWSEAL_LOG)\n"
    "      --version V          semantic version MAJOR.MINOR.PATCH[+BUILD]\n"
    "      --counter N          anti-rollback security counter, 0..4294967295\n"
    "      --class CLASS        device class: a string (hashed, see SPEC.md; also recorded\n"
    "                           as the signed META entry 'class') or 32 hex digits\n"
    "      --profile P          mcu: --window-bits 12 --chunk-size 4096 (a microcontroller:\n"
    "                           about 18 KiB of verifier work area); linux: --window-bits 15\n"
    "                           --chunk-size 65536.  Explicit options win\n"
    "  -e, --encrypt-to FILE    X25519 public key (.pub) or PSK (.key); repeatable\n"
    "  -l, --level N            0 (store) .. 9 (smallest); default 6\n"
    "      --window-bits N      zlib window 9..15 (device RAM: 2^N bytes); default 15\n"
    "  -j, --jobs N             compress on N threads, 1..32; default: the number of CPUs\n"
    "                           (the output does not depend on N)\n"
    "      --chunk-size N       authenticated chunk size, 256..1048576, multiple of 64;\n"
    "                           default 4096 (the device holds one chunk in RAM)\n"
    "      --meta KEY=VALUE     signed, non-critical metadata; repeatable\n"
    "      --pad-to N|pow2      pad every component's installed size (0xFF fill) and\n"
    "                           compressed size (zero fill) up to a multiple of N\n"
    "                           bytes, or to the next power of two: the manifest then\n"
    "                           shows only the padded sizes (off by default)\n"
    "      --allow-empty        accept empty input files as 0-byte components\n"
    "      --hex-max-gap N      largest gap filled with 0xFF in an Intel HEX, S-record or\n"
    "                           ELF image; default 4096\n"
    "      --output-format F    fws (default): the container; ihex: the container as Intel\n"
    "                           HEX at --address; bin: the container, for --output-pad-to\n"
    "      --address A          (ihex) where the container goes in the staging slot\n"
    "      --output-pad-to N    (ihex, bin) pad the output with 0xFF to N bytes, the slot\n"
    "                           size, for tools that program whole slots\n"
    "  -q, --quiet              no progress line on a terminal\n"
    "      --json               print what was written as JSON on stdout\n"
    "      --passphrase-file F  read signing-key passphrases from F (first line)\n"
    "      --passphrase-env VAR read them from environment variable VAR\n"
    "  -h, --help               this text\n"
    "\n"
    "SOURCE_DATE_EPOCH sets the timestamp; unencrypted containers are then\n"
    "byte-for-byte reproducible.  Exit status: 0 ok, 2 usage, 3 I/O or bad input.\n";

/* --profile: window bits and chunk size for a kind of device. */
static const struct {
    const char *name;
    int wbits;
    unsigned long long chunk;
} profiles[] = {{"mcu", 12, 4096}, {"linux", 15, 65536}};

enum { OPT_VERSION = 256, OPT_COUNTER, OPT_CLASS, OPT_WBITS, OPT_CHUNK, OPT_META,
       OPT_ALLOW_EMPTY, OPT_HEX_GAP, OPT_PP_FILE, OPT_PP_ENV, OPT_PAD_TO, OPT_UNSIGNED,
       OPT_MIN_KEYGEN, OPT_LOG, OPT_PROFILE, OPT_OUT_FORMAT, OPT_ADDRESS, OPT_OUT_PAD, OPT_JSON };

/* What the command line says, before anything is loaded. */
typedef struct {
    pack_job job;
    signer_args signing;
    char *rcpt_paths[FWS_MAX_CAPSULES];
    int n_rcpt;
    char **meta_args;
    int n_meta;
    const char *version, *class_arg, *log_path;
    unsigned long long counter, chunk, min_keygen;
    int have_counter, unsigned_, have_min_keygen, have_wbits, have_chunk, have_address, json;
    const char *profile;
    fws_passphrase_src pp;
} pack_args;

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

/* The canonical META value from --meta KEY=VALUE arguments (format/'s
 * encoder); *out is malloc'ed, NULL when there are none. */
static int build_meta(char **args, int n, const char *class_name, uint8_t **out,
                      size_t *out_len)
{
    fws_meta_entry *e = xcalloc((size_t)n + 1, sizeof *e);
    size_t len, bad;
    int i, rc = FWS_EXIT_OK, err;
    *out = NULL;
    *out_len = 0;
    for (i = 0; i < n; i++) {
        char *eq = strchr(args[i], '=');
        if (!eq) {
            rc = cli_usage("pack", "--meta '%s': expected KEY=VALUE", args[i]);
            goto out;
        }
        e[i].key = (const uint8_t *)args[i];
        e[i].key_len = (size_t)(eq - args[i]);
        e[i].value = (const uint8_t *)eq + 1;
        e[i].value_len = strlen(eq + 1);
        if (class_name && e[i].key_len == strlen(CLI_META_CLASS) &&
            !memcmp(args[i], CLI_META_CLASS, e[i].key_len)) {
            rc = cli_usage("pack", "--meta %s: reserved, pack records the --class string there",
                           CLI_META_CLASS);
            goto out;
        }
        if ((err = fws_meta_entry_check(&e[i])) != 0) {
            bad = (size_t)i;
            goto refused;
        }
    }
    if (class_name) {
        e[n].key = (const uint8_t *)CLI_META_CLASS;
        e[n].key_len = strlen(CLI_META_CLASS);
        e[n].value = (const uint8_t *)class_name;
        e[n].value_len = strlen(class_name);
        if ((err = fws_meta_entry_check(&e[n])) != 0) {
            rc = cli_usage("pack", "--class: %zu bytes, more than the %d a META value holds",
                           e[n].value_len, FWS_MAX_META_VALUE);
            goto out;
        }
        n++;
    }
    /* Room for any META field; whether the manifest holds it is the
     * manifest encoder's to say. */
    *out = xmalloc(0xFFFF);
    err = fws_meta_encode(e, (size_t)n, *out, 0xFFFF, &len, &bad);
    if (!err) {
        *out_len = len;
        goto out;
    }
refused:
    switch (err) {
    case FWS_META_E_KEY:
        rc = cli_usage("pack", "--meta key '%.*s': use 1-%d characters of A-Z a-z 0-9 . _ -",
                       (int)e[bad].key_len, (const char *)e[bad].key, FWS_MAX_META_KEY);
        break;
    case FWS_META_E_VALUE:
        rc = cli_usage("pack", "--meta %.*s: the value is %zu bytes, the maximum is %d",
                       (int)e[bad].key_len, (const char *)e[bad].key, e[bad].value_len,
                       FWS_MAX_META_VALUE);
        break;
    case FWS_META_E_DUPLICATE:
        rc = cli_usage("pack", "--meta key '%.*s' is given twice", (int)e[bad].key_len,
                       (const char *)e[bad].key);
        break;
    default:
        rc = cli_usage("pack", "--meta: %zu bytes in all, the manifest allows far less", len);
        break;
    }
out:
    if (rc) {
        free(*out);
        *out = NULL;
    }
    free(e);
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

/* Recipients need only a public key, except a PSK. */
static int load_recipients(char **paths, int n, const fws_passphrase_src *pp, fws_key *keys)
{
    for (int i = 0; i < n; i++) {
        int rc = fws_key_load_public(paths[i], &keys[i]);
        if (!rc && keys[i].type == FWS_KEY_PSK)
            rc = fws_key_load(paths[i], pp, &keys[i]);
        if (rc)
            return rc;
        if (keys[i].type != FWS_KEY_X25519 && !(keys[i].type == FWS_KEY_PSK && keys[i].has_secret)) {
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

/* A manifest must not revoke the keys that sign it (SPEC.md 4.2): the
 * devices would refuse it, so say so here. */
static int check_min_keygen(const pack_args *a)
{
    for (int i = 0; a->have_min_keygen && i < a->signing.n_signers; i++) {
        const fws_cert_record *c = a->signing.cert_of[i];
        if (c && c->c.generation < a->min_keygen) {
            diag_error("--min-key-generation %llu is above the generation %lu of the signing key "
                       "%s: after a confirmed boot its own signature would no longer count "
                       "(self-revocation)", a->min_keygen, (unsigned long)c->c.generation,
                       a->signing.signers[i].spec);
            return FWS_EXIT_USAGE;
        }
    }
    return FWS_EXIT_OK;
}

/* One option into a; FWS_EXIT_OK, or a usage error. */
static int pack_option(pack_args *a, int opt, const char *arg)
{
    unsigned long long v;
    switch (opt) {
    case 'o': a->job.output = arg; break;
    case 'k': return signer_args_option(&a->signing, SOPT_KEY, arg);
    case SOPT_SIGN_CMD:
    case SOPT_SIGN_CMD_PUB:
    case SOPT_SIGN_CMD_SHELL:
    case SOPT_CERT: return signer_args_option(&a->signing, opt, arg);
    case OPT_UNSIGNED: a->unsigned_ = 1; break;
    case OPT_MIN_KEYGEN:
        if (parse_u64(arg, 0xFFFFFFFFull, &a->min_keygen))
            return cli_usage("pack", "--min-key-generation '%s': expected 0..4294967295", arg);
        a->have_min_keygen = 1;
        break;
    case 'f': a->job.force = 1; break;
    case 'q': a->job.quiet = 1; break;
    case OPT_JSON: a->json = 1; break;
    case OPT_PROFILE: a->profile = arg; break;
    case OPT_OUT_FORMAT:
        if (flash_format_parse(arg, &a->job.flash.format))
            return cli_usage("pack", "--output-format '%s': expected fws, ihex or bin", arg);
        break;
    case OPT_ADDRESS:
        if (parse_u64(arg, 0xFFFFFFFFull, &v))
            return cli_usage("pack", "--address '%s': expected 0..0xffffffff", arg);
        a->job.flash.address = v;
        a->have_address = 1;
        break;
    case OPT_OUT_PAD:
        if (parse_u64(arg, 1ull << 40, &v) || v == 0)
            return cli_usage("pack", "--output-pad-to '%s': expected a byte count 1..2^40", arg);
        a->job.flash.pad_to = v;
        break;
    case OPT_LOG: a->log_path = arg; break;
    case 'e':
        if (a->n_rcpt == FWS_MAX_CAPSULES)
            return cli_usage("pack", "at most %d --encrypt-to recipients", FWS_MAX_CAPSULES);
        a->rcpt_paths[a->n_rcpt++] = (char *)arg;
        break;
    case OPT_VERSION: a->version = arg; break;
    case OPT_COUNTER:
        if (parse_u64(arg, 0xFFFFFFFFull, &a->counter))
            return cli_usage("pack", "--counter '%s': expected 0..4294967295", arg);
        a->have_counter = 1;
        break;
    case OPT_CLASS: a->class_arg = arg; break;
    case 'l':
        if (parse_u64(arg, 9, &v))
            return cli_usage("pack", "--level '%s': expected 0..9", arg);
        a->job.level = (int)v;
        break;
    case 'j': return cli_parse_jobs("pack", arg, &a->job.jobs);
    case OPT_WBITS:
        if (parse_u64(arg, FWS_MAX_WBITS, &v) || v < FWS_MIN_WBITS)
            return cli_usage("pack", "--window-bits '%s': expected 9..15", arg);
        a->job.wbits = (int)v;
        a->have_wbits = 1;
        break;
    case OPT_CHUNK:
        if (parse_u64(arg, FWS_MAX_CHUNK, &a->chunk) || a->chunk < FWS_MIN_CHUNK ||
            a->chunk % FWS_CHUNK_ALIGN)
            return cli_usage("pack", "--chunk-size '%s': expected a multiple of 64 in 256..1048576",
                             arg);
        a->have_chunk = 1;
        break;
    case OPT_META: a->meta_args[a->n_meta++] = (char *)arg; break;
    case OPT_ALLOW_EMPTY: a->job.in_opts.allow_empty = 1; break;
    case OPT_HEX_GAP:
        if (parse_u64(arg, ~0ull, &v))
            return cli_usage("pack", "--hex-max-gap '%s': expected a byte count", arg);
        a->job.in_opts.hex_max_gap = v;
        break;
    case OPT_PAD_TO:
        if (!strcmp(arg, "pow2"))
            a->job.pad_to = PAD_POW2;
        else if (parse_u64(arg, 1ull << 40, &v) || v == 0)
            return cli_usage("pack", "--pad-to '%s': expected a byte count 1..2^40 or 'pow2'",
                             arg);
        else
            a->job.pad_to = v;
        break;
    case OPT_PP_FILE: a->pp.file = arg; break;
    case OPT_PP_ENV: a->pp.env = arg; break;
    default: return FWS_EXIT_USAGE;
    }
    return FWS_EXIT_OK;
}

/* The output options together: format, address, padding, where to. */
static int check_output(const pack_args *a)
{
    const flash_output_opts *f = &a->job.flash;
    int to_stdout = !strcmp(a->job.output, "-");
    if (a->have_address && f->format != FLASH_FORMAT_IHEX)
        return cli_usage("pack", "--address is for --output-format ihex (a %s has no addresses)",
                         f->format == FLASH_FORMAT_BIN ? "raw binary" : "container");
    if (f->format == FLASH_FORMAT_IHEX && !a->have_address)
        return cli_usage("pack", "--output-format ihex needs --address (where the container "
                                 "goes in the staging slot)");
    if (f->pad_to && f->format == FLASH_FORMAT_FWS)
        return cli_usage("pack", "--output-pad-to is for --output-format ihex or bin (for the "
                                 "sizes inside the container: --pad-to)");
    if (to_stdout && a->json)
        return cli_usage("pack", "--json prints on standard output, which -o - takes for the "
                                 "container: give -o FILE");
    if (to_stdout && f->format != FLASH_FORMAT_IHEX && isatty(STDOUT_FILENO))
        return cli_usage("pack", "refusing to write a binary container to a terminal: give "
                                 "-o FILE, or redirect standard output");
    return FWS_EXIT_OK;
}

/* --profile's window and chunk, where the options did not set them. */
static int apply_profile(pack_args *a)
{
    size_t i;
    if (!a->profile)
        return FWS_EXIT_OK;
    for (i = 0; i < sizeof profiles / sizeof profiles[0]; i++)
        if (!strcmp(a->profile, profiles[i].name)) {
            if (!a->have_wbits)
                a->job.wbits = profiles[i].wbits;
            if (!a->have_chunk)
                a->chunk = profiles[i].chunk;
            return FWS_EXIT_OK;
        }
    return cli_usage("pack", "--profile '%s': expected mcu or linux", a->profile);
}

/* The options, then the checks on their combination.  -1 after --help. */
static int parse_args(pack_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"output", required_argument, 0, 'o'},     {"key", required_argument, 0, 'k'},
        {"sign-cmd", required_argument, 0, SOPT_SIGN_CMD},
        {"sign-cmd-pub", required_argument, 0, SOPT_SIGN_CMD_PUB},
        {"sign-cmd-shell", no_argument, 0, SOPT_SIGN_CMD_SHELL},
        {"cert", required_argument, 0, SOPT_CERT},
        {"unsigned", no_argument, 0, OPT_UNSIGNED},
        {"min-key-generation", required_argument, 0, OPT_MIN_KEYGEN},
        {"log", required_argument, 0, OPT_LOG},
        {"version", required_argument, 0, OPT_VERSION},
        {"counter", required_argument, 0, OPT_COUNTER},
        {"class", required_argument, 0, OPT_CLASS}, {"encrypt-to", required_argument, 0, 'e'},
        {"level", required_argument, 0, 'l'},      {"window-bits", required_argument, 0, OPT_WBITS},
        {"jobs", required_argument, 0, 'j'},
        {"chunk-size", required_argument, 0, OPT_CHUNK},
        {"meta", required_argument, 0, OPT_META},
        {"allow-empty", no_argument, 0, OPT_ALLOW_EMPTY},
        {"hex-max-gap", required_argument, 0, OPT_HEX_GAP},
        {"pad-to", required_argument, 0, OPT_PAD_TO},
        CLI_PASSPHRASE_OPTIONS(OPT_PP_FILE, OPT_PP_ENV),
        {"force", no_argument, 0, 'f'},            {"quiet", no_argument, 0, 'q'},
        {"json", no_argument, 0, OPT_JSON},
        {"profile", required_argument, 0, OPT_PROFILE},
        {"output-format", required_argument, 0, OPT_OUT_FORMAT},
        {"address", required_argument, 0, OPT_ADDRESS},
        {"output-pad-to", required_argument, 0, OPT_OUT_PAD},
        {"help", no_argument, 0, 'h'},             {0, 0, 0, 0}};
    int opt, rc;
    optind = 0;
    while ((opt = cli_getopt("pack", argc, argv, "o:k:e:l:j:fqh", opts)) != -1) {
        if (opt == CLI_OPT_ERROR)
            return FWS_EXIT_USAGE;
        if (opt == 'h') {
            fputs(usage_text, stdout);
            return -1;
        }
        if ((rc = pack_option(a, opt, optarg)))
            return rc;
    }
    if (!a->job.output)
        return cli_usage("pack", "missing -o OUT");
    if ((rc = check_output(a)) || (rc = apply_profile(a)))
        return rc;
    if (!signer_args_count(&a->signing) && !a->unsigned_)
        return cli_usage("pack", "missing --key: a container must be signed (or say --unsigned "
                                 "and add signatures later with fwseal sign / attach)");
    if (signer_args_count(&a->signing) && a->unsigned_)
        return cli_usage("pack", "--unsigned and signing keys together");
    if (!a->version)
        return cli_usage("pack", "missing --version");
    if (!a->have_counter)
        return cli_usage("pack", "missing --counter (the anti-rollback counter)");
    if (!a->class_arg)
        return cli_usage("pack", "missing --class (the device class)");
    if (!*a->class_arg)
        return cli_usage("pack", "--class must not be empty");
    if (optind >= argc)
        return cli_usage("pack", "no INPUT given");
    if ((rc = cli_check_passphrase_src("pack", &a->pp)))
        return rc;
    a->job.inputs = argv + optind;
    a->job.n_inputs = argc - optind;
    return FWS_EXIT_OK;
}

/* The --class string recorded in META, or NULL when the class is given as
 * its 32-hex-digit id. */
static const char *class_name(const char *arg)
{
    size_t i, n = strlen(arg);
    if (n != 2 * FWS_CLASS_LEN)
        return arg;
    for (i = 0; i < n && parse_hex_digit((unsigned char)arg[i]) >= 0; i++)
        ;
    return i == n ? NULL : arg;
}

/* The caller's part of the manifest; meta_buf holds META's bytes. */
static int fill_manifest(const pack_args *a, fws_manifest *m, uint8_t class_id[FWS_CLASS_LEN],
                         uint8_t **meta_buf)
{
    size_t meta_len;
    int rc;
    memset(m, 0, sizeof *m);
    if ((rc = parse_version(a->version, m)) ||
        (rc = build_meta(a->meta_args, a->n_meta, class_name(a->class_arg), meta_buf,
                         &meta_len)) ||
        (rc = timestamp_now(&m->timestamp)))
        return rc;
    m->counter = (uint32_t)a->counter;
    m->chunk_size = (uint32_t)a->chunk;
    host_class_id(a->class_arg, class_id);
    m->class_id = class_id;
    m->meta = meta_len ? *meta_buf : NULL;
    m->meta_len = (uint16_t)meta_len;
    return FWS_EXIT_OK;
}

/* The signing log's records, before the container gets its name. */
static int log_signatures(void *user, const fws_manifest *m, const uint8_t tbs[FWS_HASH_LEN])
{
    const pack_args *a = user;
    signing_event e = {"pack", a->job.output, tbs, m};
    return signing_log_append(signing_log_path(a->log_path), &e, a->signing.signers,
                              a->signing.n_signers, NULL);
}

/* --json: what was written, for CI. */
static void print_json(const pack_args *a, const fws_key *recipients, const pack_result *res)
{
    static const char *const formats[] = {"fws", "ihex", "bin"};
    json_writer j;
    json_init(&j, stdout);
    json_begin(&j, NULL, '{');
    json_str(&j, "output", a->job.output);
    json_str(&j, "output_format", formats[a->job.flash.format]);
    json_u64(&j, "output_size", res->output_len);
    json_u64(&j, "container_size", res->container_len);
    json_u64(&j, "payload_length", res->payload_len);
    json_bool(&j, "encrypted", a->n_rcpt > 0);
    json_begin(&j, "components", '[');
    for (int i = 0; i < res->n_components; i++) {
        const pack_component *c = &res->comp[i];
        json_begin(&j, NULL, '{');
        json_str(&j, "name", c->name);
        json_u64(&j, "size", c->size);
        json_u64(&j, "stored_size", c->stored_size);
        json_address(&j, c->has_address, c->address);
        json_end(&j, '}');
    }
    json_end(&j, ']');
    json_begin(&j, "signers", '[');
    for (int i = 0; i < a->signing.n_signers; i++)
        json_hex(&j, NULL, a->signing.signers[i].id, FWS_KEYID_LEN);
    json_end(&j, ']');
    json_begin(&j, "recipients", '[');
    for (int i = 0; i < a->n_rcpt; i++)
        json_hex(&j, NULL, recipients[i].id, FWS_KEYID_LEN);
    json_end(&j, ']');
    json_end(&j, '}');
}

int cmd_pack(int argc, char **argv)
{
    pack_args *a = xcalloc(1, sizeof *a);
    fws_key recipients[FWS_MAX_CAPSULES];
    uint8_t class_id[FWS_CLASS_LEN], *meta = NULL;
    fws_manifest m;
    pack_result res;
    int rc, i;

    a->meta_args = xcalloc((size_t)argc, sizeof *a->meta_args);
    a->job.in_opts = (fws_input_opts)FWS_INPUT_OPTS_DEFAULT;
    a->job.level = 6;
    a->job.wbits = 15;
    a->job.jobs = pdeflate_default_jobs();
    a->chunk = 4096;
    signer_args_init(&a->signing, "pack", "--key");
    memset(recipients, 0, sizeof recipients);
    rc = parse_args(a, argc, argv);
    if (rc < 0) {
        rc = FWS_EXIT_OK;
        goto done;
    }
    if (rc || (rc = fill_manifest(a, &m, class_id, &meta)) ||
        (rc = signer_args_open(&a->signing, &a->pp)) || (rc = check_min_keygen(a)) ||
        (rc = load_recipients(a->rcpt_paths, a->n_rcpt, &a->pp, recipients)))
        goto done;
    m.has_min_key_generation = (uint8_t)a->have_min_keygen;
    m.min_key_generation = (uint32_t)a->min_keygen;
    a->job.signers = a->signing.signers;
    a->job.certs = a->signing.cert_of;
    a->job.n_signers = a->signing.n_signers;
    a->job.recipients = recipients;
    a->job.n_recipients = a->n_rcpt;
    a->job.before_commit = log_signatures;
    a->job.before_commit_user = a;
    if ((rc = pack_container(&a->job, &m, &res)))
        goto done;
    if (a->json)
        print_json(a, recipients, &res);
    else
        fprintf(strcmp(a->job.output, "-") ? stdout : stderr,
                "%s: wrote %s: %d component%s, %llu payload bytes, %d signature%s%s\n",
                diag_program(), a->job.output, res.n_components,
                res.n_components == 1 ? "" : "s", (unsigned long long)res.payload_len,
                a->job.n_signers, a->job.n_signers == 1 ? "" : "s", a->n_rcpt ? ", encrypted" : "");
done:
    signer_args_close(&a->signing);
    for (i = 0; i < a->n_rcpt; i++)
        fws_key_wipe(&recipients[i]);
    free(meta);
    free(a->meta_args);
    free(a);
    return rc;
}
