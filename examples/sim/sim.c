/* SPDX-License-Identifier: MIT */
/*
 * sim: a simulated A/B device on the host.  The bootloader (bootloader.c)
 * runs the two-file verifier (fwseal_verify.{c,h}) over a NOR flash
 * simulated in a file (flash.c), laid out as layout.h says.  This file is
 * the command line around it, and the parts of the device that are not
 * the bootloader: provisioning (`sim init`, the factory), the OTA client
 * that copies a container into staging (`sim stage`), and the
 * application's confirm/fail calls.  See README.md for a session.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/hex_decode.h"
#include "bootloader.h"
#include "flash.h"
#include "layout.h"
#include "provision.h"

static const char usage_text[] =
    "usage: sim COMMAND --flash FILE [options]\n"
    "\n"
    "A device with two image slots (A, B), a staging area and power-fail safe\n"
    "metadata, on a simulated NOR flash (4 KiB erase blocks, 256-byte pages).\n"
    "\n"
    "commands:\n"
    "  init     erase the flash and provision it, as a factory programmer would:\n"
    "             --config fws_device_config.h [--key SECRET] [--floor N]\n"
    "           the header from 'fwseal device-config' (trusted keys, threshold,\n"
    "           root keys, class, limits; with --device-key the device's key)\n"
    "           and the secret from 'fwseal secret --format hex' (or raw)\n"
    "  stage FILE\n"
    "           copy a container into staging, as an OTA client would\n"
    "  boot     reset: install a staged update into the inactive slot, then\n"
    "           verify and boot an image; prints which one booted\n"
    "  confirm  the running image confirms itself: the anti-rollback floor rises\n"
    "           to its counter (and the key-generation floor to its\n"
    "           MIN_KEY_GENERATION) and it stops being a trial image\n"
    "  fail     the running trial image gives up: the next boot reverts\n"
    "  status   metadata, staging and both slots (each verified in place)\n"
    "  read ADDR LEN | erase ADDR | program ADDR HEX\n"
    "           raw flash access, for experiments\n"
    "\n"
    "options:\n"
    "  --flash FILE   the simulated flash (created by init)\n"
    "  --cut N        power fails during flash operation N (also SIM_POWER_CUT=N);\n"
    "                 the operation is left torn and sim exits with status 42\n"
    "  --cut-before N power fails just before operation N: nothing of it happens\n"
    "  --seed S       how cuts tear (also SIM_SEED=S; default 1)\n"
    "  --stats        print the number of flash operations on standard error\n"
    "  -h, --help     this text\n"
    "\n"
    "exit status: 0 ok, 1 refused, 2 usage, 3 I/O or not initialised,\n"
    "4 no bootable image, 42 power cut, 70 bootloader bug (flash misuse)\n";

typedef struct {
    const char *flash;
    const char *config, *key_path;
    unsigned long floor;
    uint64_t cut, seed;
    int have_cut, cut_before, have_seed, stats;
} options;

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sim: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(sim --help for usage)\n");
    return SIM_EXIT_USAGE;
}

/* Decimal, or hexadecimal with 0x: no octal surprises. */
static int parse_num(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    int base = 10;
    unsigned long long v;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (!*s || !((*s >= '0' && *s <= '9') || (base == 16 && strchr("abcdefABCDEF", *s))))
        return -1;
    errno = 0;
    v = strtoull(s, &end, base);
    if (errno || *end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* Exactly 2n hex digits, optionally surrounded by white space. */
static int hex_decode(const char *s, size_t len, uint8_t *out, size_t n)
{
    while (len && strchr(" \t\r\n", s[0]))
        s++, len--;
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    return ex_hex_decode(s, len, out, n);
}

/* ---- commands ---- */

static int open_flash(const options *o, sim_flash *f, int create)
{
    if (sim_flash_open(f, o->flash, SIM_FLASH_SIZE, SIM_BLOCK, SIM_PAGE, create) != 0)
        return SIM_EXIT_IO;
    if (o->have_cut) {
        f->cut_at = o->cut;
        f->cut_before = o->cut_before;
    }
    if (o->have_seed)
        f->seed = o->seed;
    return 0;
}

static int cmd_init(const options *o, sim_flash *fp)
{
    sim_rom r;
    sim_device d;
    sim_meta m;
    sim_flash *f = fp;
    uint8_t rom[SIM_ROM_LEN];
    char trust[96];
    int rc;
    if (!o->config)
        return usage("init needs --config fws_device_config.h (from 'fwseal device-config')%s",
                     "");
    memset(&r, 0, sizeof r);
    if ((rc = sim_provision(o->config, o->key_path, &r)) != 0) {
        explicit_bzero(&r, sizeof r);
        return rc;
    }
    /* A new chip: every block erased (0xFF). */
    if ((rc = open_flash(o, f, 1)) != 0) {
        explicit_bzero(&r, sizeof r);
        return rc;
    }
    sim_rom_encode(&r, rom);
    explicit_bzero(&r, sizeof r);
    for (uint32_t off = 0; off < SIM_ROM_LEN; off += SIM_PAGE)
        sim_flash_program(f, SIM_ROM_ADDR + off, rom + off,
                          SIM_ROM_LEN - off < SIM_PAGE ? SIM_ROM_LEN - off : SIM_PAGE);
    explicit_bzero(rom, sizeof rom);
    sim_device_open(&d, f, 1);
    memset(&m, 0, sizeof m);
    m.active = SIM_SLOT_NONE;
    m.state = SIM_STATE_CONFIRMED;
    m.last = SIM_LAST_NONE;
    m.floor = (uint32_t)o->floor;
    sim_meta_store(&d, &m);
    if (d.rom.n_roots)
        snprintf(trust, sizeof trust, "%d key%s and %d root key%s (threshold %d, root threshold "
                 "%d)", d.rom.n_trusted, d.rom.n_trusted == 1 ? "" : "s", d.rom.n_roots,
                 d.rom.n_roots == 1 ? "" : "s", d.rom.threshold, d.rom.root_threshold);
    else
        snprintf(trust, sizeof trust, "%d key%s (threshold %d)", d.rom.n_trusted,
                 d.rom.n_trusted == 1 ? "" : "s", d.rom.threshold);
    printf("sim: initialised %s: %u KiB flash in %u KiB blocks; trusts %s; device key %s; "
           "floor %" PRIu32 "; no image\n", o->flash, SIM_FLASH_SIZE / 1024, SIM_BLOCK / 1024,
           trust, d.rom.key_type == SIM_KEY_X25519 ? "x25519"
                  : d.rom.key_type == SIM_KEY_PSK  ? "psk"
                                                   : "none",
           m.floor);
    sim_device_close(&d);
    sim_flash_close(f);
    return SIM_EXIT_OK;
}

static int cmd_stage(const options *o, const char *path, sim_flash *f)
{
    sim_device d;
    uint8_t *buf = malloc(SIM_STAGE_CAPACITY + 1), head[SIM_STAGE_LEN];
    FILE *in;
    size_t n;
    uint32_t id;
    int rc;
    if (!buf)
        abort();
    in = fopen(path, "rb");
    if (!in) {
        fprintf(stderr, "sim: error: %s: cannot open: %s\n", path, strerror(errno));
        free(buf);
        return SIM_EXIT_IO;
    }
    n = fread(buf, 1, SIM_STAGE_CAPACITY + 1, in);
    rc = ferror(in);
    fclose(in);
    if (rc || n == 0 || n > SIM_STAGE_CAPACITY) {
        if (rc || !n)
            fprintf(stderr, "sim: error: %s: %s\n", path, rc ? "read error" : "empty");
        else
            fprintf(stderr, "sim: error: %s: larger than the staging area (%u bytes)\n", path,
                    (unsigned)SIM_STAGE_CAPACITY);
        free(buf);
        return SIM_EXIT_IO;
    }
    if ((rc = open_flash(o, f, 0)) != 0 || (rc = sim_device_open(&d, f, 0)) != 0) {
        free(buf);
        return rc;
    }
    if (!d.have_meta) {
        fprintf(stderr, "sim: error: %s: no valid metadata: run 'sim init'\n", o->flash);
        free(buf);
        return SIM_EXIT_IO;
    }
    id = d.meta.consumed + 1;
    /* Block 0 first: that invalidates any older header before its data changes. */
    for (uint32_t a = 0; a < SIM_STAGE_DATA + n; a += SIM_BLOCK)
        sim_flash_erase(f, SIM_STAGING_ADDR + a);
    for (size_t off = 0; off < n; off += SIM_PAGE)
        sim_flash_program(f, SIM_STAGING_ADDR + SIM_STAGE_DATA + (uint32_t)off, buf + off,
                          n - off < SIM_PAGE ? n - off : SIM_PAGE);
    /* The header last: only a complete copy is ever seen as staged. */
    sim_stage_encode(id, (uint32_t)n, head);
    sim_flash_program(f, SIM_STAGING_ADDR, head, sizeof head);
    printf("sim: staged %s (%zu bytes) as update #%" PRIu32 "; the next boot installs it\n",
           path, n, id);
    sim_device_close(&d);
    sim_flash_close(f);
    free(buf);
    return SIM_EXIT_OK;
}

static int cmd_status(sim_device *d)
{
    static const char *slots[] = {"A", "B"};
    sim_slot_view *v = malloc(sizeof *v);
    uint32_t id, size;
    if (!v)
        abort();
    printf("flash:    %s, %u KiB in %u KiB blocks\n", d->flash->path, SIM_FLASH_SIZE / 1024,
           SIM_BLOCK / 1024);
    for (int i = 0; i < 2; i++) {
        if (d->copy_valid[i])
            printf("metadata: copy %s seq %" PRIu32 "%s\n", slots[i], d->copy_seq[i],
                   d->have_meta && d->meta_copy == i ? " (current)" : "");
        else
            printf("metadata: copy %s not valid\n", slots[i]);
    }
    if (d->have_meta) {
        const sim_meta *m = &d->meta;
        if (m->active == SIM_SLOT_NONE)
            printf("active:   none\n");
        else if (m->state == SIM_STATE_CONFIRMED)
            printf("active:   slot %s, confirmed\n", slots[m->active]);
        else if (m->attempts > SIM_TRIAL_BOOTS)
            printf("active:   slot %s, trial, failed (the next boot reverts)\n", slots[m->active]);
        else
            printf("active:   slot %s, trial, %u of %u trial boot%s used\n", slots[m->active],
                   m->attempts, SIM_TRIAL_BOOTS, SIM_TRIAL_BOOTS == 1 ? "" : "s");
        printf("floor:    %" PRIu32 "\n", m->floor);
        printf("key generation floor: %" PRIu32 "\n", m->keygen_floor);
        if (m->last == SIM_LAST_NONE)
            printf("last update: none\n");
        else if (m->last == FWS_OK)
            printf("last update: #%" PRIu32 " installed\n", m->consumed);
        else
            printf("last update: #%" PRIu32 " refused: %s\n", m->consumed,
                   fws_status_name(m->last));
    }
    if (sim_stage_header(d->flash, &id, &size) != 0)
        printf("staging:  empty\n");
    else
        printf("staging:  update #%" PRIu32 ", %" PRIu32 " bytes, %s\n", id, size,
               d->have_meta && id == d->meta.consumed ? "consumed" : "waiting");
    for (int s = 0; s < 2; s++) {
        int rc = sim_slot_check(d, s, v);
        if (rc == SIM_SLOT_EMPTY)
            printf("slot %s:   empty\n", slots[s]);
        else if (rc == FWS_OK)
            printf("slot %s:   version %u.%u.%u+%" PRIu32 " counter %" PRIu32
                   ", %u component%s, verified\n", slots[s], v->m.major, v->m.minor, v->m.patch,
                   v->m.build, v->m.counter, v->m.n_components, v->m.n_components == 1 ? "" : "s");
        else
            printf("slot %s:   rejected: %s\n", slots[s], fws_status_name(rc));
    }
    free(v);
    return SIM_EXIT_OK;
}

static int cmd_raw(const options *o, const char *cmd, char **pos, int npos, sim_flash *f)
{
    uint64_t addr, len;
    int rc;
    if (npos < 1 || parse_num(pos[0], SIM_FLASH_SIZE - 1, &addr))
        return usage("%s: ADDR must be a flash address (decimal or 0x...)", cmd);
    if (!strcmp(cmd, "read")) {
        uint8_t buf[4096];
        if (npos != 2 || parse_num(pos[1], sizeof buf, &len) || len > SIM_FLASH_SIZE - addr)
            return usage("read ADDR LEN: LEN is 0..4096 bytes inside the flash%s", "");
        if ((rc = open_flash(o, f, 0)) != 0)
            return rc;
        sim_flash_read(f, (uint32_t)addr, buf, (size_t)len);
        for (size_t i = 0; i < len; i++)
            printf("%02x%s", buf[i], (i + 1) % 32 == 0 || i + 1 == len ? "\n" : "");
    } else if (!strcmp(cmd, "erase")) {
        if (npos != 1)
            return usage("erase ADDR%s", "");
        if ((rc = open_flash(o, f, 0)) != 0)
            return rc;
        sim_flash_erase(f, (uint32_t)addr);
    } else {
        uint8_t buf[SIM_PAGE];
        size_t n = npos == 2 ? strlen(pos[1]) / 2 : 0;
        if (npos != 2 || n < 1 || n > sizeof buf || hex_decode(pos[1], strlen(pos[1]), buf, n))
            return usage("program ADDR HEX: 1..256 bytes in hex%s", "");
        if ((rc = open_flash(o, f, 0)) != 0)
            return rc;
        sim_flash_program(f, (uint32_t)addr, buf, n);
    }
    sim_flash_close(f);
    return SIM_EXIT_OK;
}

static int parse_options(options *o, int argc, char **argv)
{
    static const struct option longopts[] = {
        {"flash", required_argument, 0, 'f'},   {"config", required_argument, 0, 'c'},
        {"key", required_argument, 0, 'k'},     {"floor", required_argument, 0, 'F'},
        {"cut", required_argument, 0, 'C'},     {"cut-before", required_argument, 0, 'B'},
        {"seed", required_argument, 0, 'S'},
        {"stats", no_argument, 0, 's'},         {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    uint64_t v;
    int c;
    opterr = 0;
    optind = 0;   /* glibc: start afresh */
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'f':
            o->flash = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        case 'k':
            o->key_path = optarg;
            break;
        case 'F':
            if (parse_num(optarg, UINT32_MAX, &v))
                return usage("--floor %s: not a number 0..4294967295", optarg);
            o->floor = (unsigned long)v;
            break;
        case 'C':
        case 'B':
            if (parse_num(optarg, UINT64_MAX, &o->cut) || o->cut == 0)
                return usage("--cut %s: an operation number, 1 or more", optarg);
            o->have_cut = 1;
            o->cut_before = c == 'B';
            break;
        case 'S':
            if (parse_num(optarg, UINT64_MAX, &o->seed))
                return usage("--seed %s: not a number", optarg);
            o->have_seed = 1;
            break;
        case 's':
            o->stats = 1;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return -1;
        default:
            return usage("unknown or incomplete option '%s'", argv[optind - 1]);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const cmds[] = {"init",   "stage", "boot", "confirm", "fail",
                                       "status", "read",  "erase", "program"};
    options o;
    sim_flash f;
    sim_device d;
    const char *cmd;
    char **pos;
    int rc, npos, known = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc < 2)
        return usage("missing command (init, stage, boot, confirm, fail, status)%s", "");
    cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return SIM_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        known |= !strcmp(cmd, cmds[i]);
    if (!known)
        return usage("unknown command '%s'", cmd);
    memset(&o, 0, sizeof o);
    memset(&f, 0, sizeof f);
    f.fd = -1;
    /* Options and operands in any order: gather the operands. */
    pos = calloc((size_t)argc, sizeof *pos);
    if (!pos)
        abort();
    npos = 0;
    {
        int ac = argc - 1;
        char **av = argv + 1;
        for (;;) {
            rc = parse_options(&o, ac, av);
            if (rc) {
                free(pos);
                return rc < 0 ? SIM_EXIT_OK : rc;
            }
            if (optind >= ac)
                break;
            pos[npos++] = av[optind];
            av += optind;
            ac -= optind;
        }
    }
    if (!o.flash) {
        free(pos);
        return usage("missing --flash FILE%s", "");
    }
    if (strcmp(cmd, "init") && (o.config || o.key_path || o.floor)) {
        free(pos);
        return usage("--config, --key and --floor are for init%s", "");
    }
    if (!strcmp(cmd, "init")) {
        rc = npos ? usage("init takes no operand ('%s')", pos[0]) : cmd_init(&o, &f);
    } else if (!strcmp(cmd, "stage")) {
        rc = npos != 1 ? usage("stage needs exactly one container FILE%s", "")
                       : cmd_stage(&o, pos[0], &f);
    } else if (!strcmp(cmd, "read") || !strcmp(cmd, "erase") || !strcmp(cmd, "program")) {
        rc = cmd_raw(&o, cmd, pos, npos, &f);
    } else if (npos) {
        rc = usage("unexpected operand '%s'", pos[0]);
    } else if ((rc = open_flash(&o, &f, 0)) == 0) {
        if ((rc = sim_device_open(&d, &f, 1)) == 0) {
            if (!strcmp(cmd, "boot"))
                rc = sim_boot(&d);
            else if (!strcmp(cmd, "confirm"))
                rc = sim_confirm(&d);
            else if (!strcmp(cmd, "fail"))
                rc = sim_fail(&d);
            else
                rc = cmd_status(&d);
            sim_device_close(&d);
        }
        sim_flash_close(&f);
    }
    if (o.stats && f.path)
        fprintf(stderr, "sim: flash operations: %" PRIu64 " (%" PRIu64 " erases, %" PRIu64
                        " programs)\n", f.ops, f.erases, f.programs);
    free(pos);
    return rc;
}
