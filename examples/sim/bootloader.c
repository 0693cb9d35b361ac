/* SPDX-License-Identifier: MIT */
/* The simulated device's bootloader: see bootloader.h. */
#include "bootloader.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char slot_name[2] = {'A', 'B'};

static uint32_t slot_addr(int slot)
{
    return slot ? SIM_SLOT_B_ADDR : SIM_SLOT_A_ADDR;
}

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* A record is valid when its magic matches and its last 32 bytes are the
 * SHA-256 of the bytes before them. */
static void seal(uint8_t *rec, size_t len)
{
    fws_sha256(rec + len - 32, rec, len - 32);
}

static int sealed(const uint8_t *rec, size_t len, const char *magic)
{
    uint8_t sum[32];
    if (memcmp(rec, magic, 8) != 0)
        return 0;
    fws_sha256(sum, rec, len - 32);
    return memcmp(sum, rec + len - 32, 32) == 0;
}

/* ---- records ---- */

void sim_rom_encode(const sim_rom *r, uint8_t out[SIM_ROM_LEN])
{
    memset(out, 0, SIM_ROM_LEN);
    memcpy(out, SIM_ROM_MAGIC, 8);
    out[SIM_ROM_N_TRUSTED] = r->n_trusted;
    out[SIM_ROM_THRESHOLD] = r->threshold;
    out[SIM_ROM_KEY_TYPE] = r->key_type;
    out[SIM_ROM_MAX_WBITS] = r->max_wbits;
    put32(out + SIM_ROM_MAX_CHUNK, r->max_chunk);
    put32(out + SIM_ROM_MAX_SIZE, (uint32_t)r->max_size);
    put32(out + SIM_ROM_MAX_SIZE + 4, (uint32_t)(r->max_size >> 32));
    memcpy(out + SIM_ROM_CLASS, r->class_id, FWS_CLASS_LEN);
    memcpy(out + SIM_ROM_SECRET, r->secret, 32);
    memcpy(out + SIM_ROM_PUBLIC, r->pub, 32);
    memcpy(out + SIM_ROM_TRUSTED, r->trusted, sizeof r->trusted);
    out[SIM_ROM_N_ROOTS] = r->n_roots;
    out[SIM_ROM_ROOT_THRESHOLD] = r->root_threshold;
    memcpy(out + SIM_ROM_ROOTS, r->roots, sizeof r->roots);
    seal(out, SIM_ROM_LEN);
}

const char *sim_rom_trust_error(const sim_rom *r)
{
    if (r->n_trusted > SIM_ROM_MAX_TRUSTED || r->n_roots > SIM_ROM_MAX_ROOTS)
        return "at most 8 trusted keys and 4 root keys";
    if (r->n_trusted == 0 && r->n_roots == 0)
        return "no trusted key and no root key: nothing could sign a release";
    if (r->threshold < 1 || r->threshold > SIM_ROM_MAX_THRESHOLD ||
        (r->n_roots == 0 && r->threshold > r->n_trusted))
        return "the threshold must be 1..4 (and at most the trusted keys without roots)";
    if (r->n_roots ? r->root_threshold < 1 || r->root_threshold > r->n_roots
                   : r->root_threshold != 0)
        return "the root threshold must be 1..the number of root keys";
    return NULL;
}

static int rom_decode(const uint8_t in[SIM_ROM_LEN], sim_rom *r)
{
    if (!sealed(in, SIM_ROM_LEN, SIM_ROM_MAGIC))
        return -1;
    memset(r, 0, sizeof *r);
    r->n_trusted = in[SIM_ROM_N_TRUSTED];
    r->threshold = in[SIM_ROM_THRESHOLD];
    r->key_type = in[SIM_ROM_KEY_TYPE];
    r->max_wbits = in[SIM_ROM_MAX_WBITS];
    r->max_chunk = get32(in + SIM_ROM_MAX_CHUNK);
    r->max_size = get32(in + SIM_ROM_MAX_SIZE) | (uint64_t)get32(in + SIM_ROM_MAX_SIZE + 4) << 32;
    r->n_roots = in[SIM_ROM_N_ROOTS];
    r->root_threshold = in[SIM_ROM_ROOT_THRESHOLD];
    if (sim_rom_trust_error(r) || r->key_type > SIM_KEY_PSK ||
        r->max_wbits > SIM_MAX_WBITS || r->max_chunk > SIM_MAX_CHUNK || r->max_size == 0 ||
        r->max_size > SIM_IMAGE_CAPACITY)
        return -1;
    memcpy(r->class_id, in + SIM_ROM_CLASS, FWS_CLASS_LEN);
    memcpy(r->secret, in + SIM_ROM_SECRET, 32);
    memcpy(r->pub, in + SIM_ROM_PUBLIC, 32);
    memcpy(r->trusted, in + SIM_ROM_TRUSTED, sizeof r->trusted);
    memcpy(r->roots, in + SIM_ROM_ROOTS, sizeof r->roots);
    return 0;
}

void sim_meta_encode(const sim_meta *m, uint8_t out[SIM_META_LEN])
{
    memset(out, 0, SIM_META_LEN);
    memcpy(out, SIM_META_MAGIC, 8);
    put32(out + SIM_META_SEQ, m->seq);
    out[SIM_META_ACTIVE] = m->active;
    out[SIM_META_STATE] = m->state;
    out[SIM_META_ATTEMPTS] = m->attempts;
    out[SIM_META_LAST] = m->last;
    put32(out + SIM_META_FLOOR, m->floor);
    put32(out + SIM_META_CONSUMED, m->consumed);
    put32(out + SIM_META_KEYGEN_FLOOR, m->keygen_floor);
    seal(out, SIM_META_LEN);
}

int sim_meta_decode(const uint8_t in[SIM_META_LEN], sim_meta *m)
{
    if (!sealed(in, SIM_META_LEN, SIM_META_MAGIC))
        return -1;
    m->seq = get32(in + SIM_META_SEQ);
    m->active = in[SIM_META_ACTIVE];
    m->state = in[SIM_META_STATE];
    m->attempts = in[SIM_META_ATTEMPTS];
    m->last = in[SIM_META_LAST];
    m->floor = get32(in + SIM_META_FLOOR);
    m->consumed = get32(in + SIM_META_CONSUMED);
    m->keygen_floor = get32(in + SIM_META_KEYGEN_FLOOR);
    if ((m->active > 1 && m->active != SIM_SLOT_NONE) || m->state > SIM_STATE_TRIAL)
        return -1;
    return 0;
}

void sim_stage_encode(uint32_t id, uint32_t size, uint8_t out[SIM_STAGE_LEN])
{
    memset(out, 0, SIM_STAGE_LEN);
    memcpy(out, SIM_STAGE_MAGIC, 8);
    put32(out + SIM_STAGE_ID, id);
    put32(out + SIM_STAGE_SIZE, size);
    seal(out, SIM_STAGE_LEN);
}

int sim_stage_header(sim_flash *f, uint32_t *id, uint32_t *size)
{
    uint8_t h[SIM_STAGE_LEN];
    sim_flash_read(f, SIM_STAGING_ADDR, h, sizeof h);
    if (!sealed(h, sizeof h, SIM_STAGE_MAGIC))
        return -1;
    *id = get32(h + SIM_STAGE_ID);
    *size = get32(h + SIM_STAGE_SIZE);
    return *size <= SIM_STAGE_CAPACITY ? 0 : -1;
}

/* ---- device ---- */

int sim_device_open(sim_device *d, sim_flash *f, int need_rom)
{
    static const uint32_t addr[2] = {SIM_META_A_ADDR, SIM_META_B_ADDR};
    uint8_t buf[SIM_ROM_LEN];
    memset(d, 0, sizeof *d);
    d->flash = f;
    sim_flash_read(f, SIM_ROM_ADDR, buf, SIM_ROM_LEN);
    if (rom_decode(buf, &d->rom) != 0 && need_rom) {
        fprintf(stderr, "sim: error: %s: the ROM (provisioning) block is not valid: run "
                        "'sim init'\n", f->path);
        return SIM_EXIT_IO;
    }
    for (int i = 0; i < 2; i++) {
        sim_meta m;
        sim_flash_read(f, addr[i], buf, SIM_META_LEN);
        if (sim_meta_decode(buf, &m) != 0)
            continue;
        d->copy_valid[i] = 1;
        d->copy_seq[i] = m.seq;
        if (!d->have_meta || m.seq > d->meta.seq) {
            d->meta = m;
            d->meta_copy = i;
            d->have_meta = 1;
        }
    }
    return 0;
}

void sim_device_close(sim_device *d)
{
    explicit_bzero(&d->rom, sizeof d->rom);
}

void sim_meta_store(sim_device *d, sim_meta *m)
{
    uint8_t buf[SIM_META_LEN];
    int target = d->have_meta ? 1 - d->meta_copy : 0;
    uint32_t addr = target ? SIM_META_B_ADDR : SIM_META_A_ADDR;
    m->seq = d->have_meta ? d->meta.seq + 1 : 1;
    sim_meta_encode(m, buf);
    sim_flash_erase(d->flash, addr);
    sim_flash_program(d->flash, addr, buf, sizeof buf);
    d->meta = *m;
    d->meta_copy = target;
    d->have_meta = 1;
    d->copy_valid[target] = 1;
    d->copy_seq[target] = m->seq;
}

static void device_policy(const sim_device *d, fws_policy *p)
{
    memset(p, 0, sizeof *p);
    p->trusted = (const uint8_t(*)[32])d->rom.trusted;
    p->n_trusted = d->rom.n_trusted;
    p->threshold = d->rom.threshold;
    if (d->rom.n_roots) {
        p->roots = (const uint8_t(*)[32])d->rom.roots;
        p->n_roots = d->rom.n_roots;
        p->root_threshold = d->rom.root_threshold;
    }
    p->key_generation_floor = d->meta.keygen_floor;
    p->class_id = d->rom.class_id;
    p->counter_floor = d->meta.floor;
    p->max_chunk = d->rom.max_chunk;
    p->max_size = d->rom.max_size;
    p->max_wbits = d->rom.max_wbits;
    if (d->rom.key_type == SIM_KEY_X25519) {
        p->x25519_secret = d->rom.secret;
        p->x25519_public = d->rom.pub;
    } else if (d->rom.key_type == SIM_KEY_PSK) {
        p->psk = d->rom.secret;
    }
}

/* ---- boot check in place ---- */

typedef struct {
    sim_flash *f;
    uint32_t image;                        /* address of the slot's image */
    uint8_t n;                             /* components with a known offset */
    uint32_t off[FWS_MAX_COMPONENTS];
} slot_reader;

static int read_component(void *user, uint8_t index, uint64_t offset, uint8_t *buf, size_t len)
{
    slot_reader *r = user;
    if (index >= r->n || offset > SIM_IMAGE_CAPACITY - r->off[index] ||
        len > SIM_IMAGE_CAPACITY - r->off[index] - offset)
        return 1;
    sim_flash_read(r->f, r->image + r->off[index] + (uint32_t)offset, buf, len);
    return 0;
}

int sim_slot_check(sim_device *d, int slot, sim_slot_view *v)
{
    uint8_t scratch[4096];
    slot_reader r;
    fws_policy p;
    fws_header h;
    fws_manifest *man = malloc(sizeof *man);
    size_t i;
    int rc;
    if (!man)
        abort();
    sim_flash_read(d->flash, slot_addr(slot), v->record, sizeof v->record);
    for (i = 0; i < FWS_HEADER_LEN && v->record[i] == 0xFF; i++)
        ;
    if (i == FWS_HEADER_LEN) {
        free(man);
        return SIM_SLOT_EMPTY;
    }
    /* Where each component lies: back to back, in the order and sizes of
     * the record's manifest.  fws_boot_check decodes and checks the same
     * RAM copy; these offsets only steer the reads, so a record that lies
     * about sizes can only make the digests fail. */
    r.f = d->flash;
    r.image = slot_addr(slot) + SIM_IMAGE_OFFSET;
    r.n = 0;
    if (fws_header_decode(v->record, &h) == FWS_OK &&
        h.manifest_len <= sizeof v->record - FWS_HEADER_LEN &&
        fws_manifest_decode(v->record + FWS_HEADER_LEN, h.manifest_len, man, NULL) == FWS_OK) {
        uint64_t at = 0;
        for (i = 0; i < man->n_components && at <= SIM_IMAGE_CAPACITY; i++) {
            r.off[i] = (uint32_t)at;
            r.n = (uint8_t)(i + 1);
            at += man->comp[i].size;
        }
    }
    free(man);
    device_policy(d, &p);
    rc = fws_boot_check(&p, v->record, sizeof v->record, read_component, &r, scratch,
                        sizeof scratch, &v->m);
    explicit_bzero(&p, sizeof p);
    return rc;
}

static const char *check_name(int rc)
{
    return rc == SIM_SLOT_EMPTY ? "empty" : fws_status_name(rc);
}

static void print_booted(int slot, const fws_measurements *m, const char *how)
{
    printf("sim: booted slot %c: version %u.%u.%u+%" PRIu32 " counter %" PRIu32 " (%s)\n",
           slot_name[slot], m->major, m->minor, m->patch, m->build, m->counter, how);
}

/* ---- install ---- */

/* The sink: plaintext arrives in order; it is gathered into pages and
 * programmed, each block erased when the first page reaches it. */
typedef struct {
    sim_flash *f;
    uint32_t slot;            /* slot address */
    uint32_t written;         /* image bytes received */
    uint32_t erased_to;       /* image blocks below this address are erased */
    uint32_t fill;            /* bytes in page */
    int started;
    uint8_t page[SIM_PAGE];
} slot_writer;

static void writer_start(slot_writer *w)
{
    if (!w->started) {
        /* Invalidate the slot's old boot record before its image changes. */
        sim_flash_erase(w->f, w->slot);
        w->started = 1;
    }
}

static void writer_flush(slot_writer *w)
{
    uint32_t addr = w->slot + SIM_IMAGE_OFFSET + (w->written - w->fill);
    if (!w->fill)
        return;
    if (addr >= w->erased_to) {
        sim_flash_erase(w->f, addr - addr % SIM_BLOCK);
        w->erased_to = addr - addr % SIM_BLOCK + SIM_BLOCK;
    }
    sim_flash_program(w->f, addr, w->page, w->fill);
    w->fill = 0;
}

static int sink_write(void *user, uint8_t index, const fws_component *c, uint64_t offset,
                      const uint8_t *data, size_t len)
{
    slot_writer *w = user;
    (void)index;
    (void)offset;
    writer_start(w);
    if (!data) {   /* component starts: does it fit? */
        if (c->size > SIM_IMAGE_CAPACITY - w->written) {
            printf("sim: component %.*s (%" PRIu64 " bytes) does not fit in the slot "
                   "(%u bytes left)\n", c->name_len, (const char *)c->name, c->size,
                   (unsigned)(SIM_IMAGE_CAPACITY - w->written));
            return 1;
        }
        return 0;
    }
    if (len > SIM_IMAGE_CAPACITY - w->written)
        return 1;   /* never past the slot, whatever the stream says */
    while (len) {
        size_t n = SIM_PAGE - w->fill < len ? SIM_PAGE - w->fill : len;
        memcpy(w->page + w->fill, data, n);
        w->fill += (uint32_t)n;
        w->written += (uint32_t)n;
        data += n;
        len -= n;
        if (w->fill == SIM_PAGE)
            writer_flush(w);
    }
    return 0;
}

/* Streams the staged container (size bytes) into slot; on FWS_OK the slot
 * holds the image and its boot record. */
static int install(sim_device *d, int slot, uint32_t size, fws_measurements *meas)
{
    size_t work_len = FWS_WORK_SIZE(SIM_MAX_CHUNK, SIM_MAX_WBITS);
    fws_install_ctx *ctx = malloc(sizeof *ctx);
    uint8_t *work = malloc(work_len), buf[1024];
    slot_writer *w = calloc(1, sizeof *w);
    const uint8_t *rec;
    size_t rec_len;
    fws_policy p;
    fws_sink sink;
    uint32_t pos = 0;
    int rc;
    if (!ctx || !work || !w)
        abort();
    w->f = d->flash;
    w->slot = slot_addr(slot);
    w->erased_to = w->slot + SIM_IMAGE_OFFSET;
    sink.write = sink_write;
    sink.user = w;
    device_policy(d, &p);
    rc = fws_install_init(ctx, &p, &sink, work, work_len);
    while (rc == FWS_OK && pos < size) {
        uint32_t n = size - pos < sizeof buf ? size - pos : (uint32_t)sizeof buf;
        sim_flash_read(d->flash, SIM_STAGING_ADDR + SIM_STAGE_DATA + pos, buf, n);
        rc = fws_install_push(ctx, buf, n);
        pos += n;
    }
    if (rc == FWS_OK)
        rc = fws_install_finish(ctx, meas);
    else
        fws_install_finish(ctx, NULL);   /* wipes the key; the first error stays */
    if (rc == FWS_OK) {
        writer_flush(w);
        writer_start(w);   /* a container whose components are all empty */
        if (fws_install_boot_record(ctx, &rec, &rec_len) != FWS_OK || rec_len > SIM_RECORD_AREA)
            abort();   /* cannot happen: FWS_CFG_MAX_MANIFEST fits SIM_RECORD_AREA */
        /* The record last: with it the slot becomes bootable. */
        for (uint32_t b = SIM_BLOCK; b < rec_len; b += SIM_BLOCK)
            sim_flash_erase(d->flash, w->slot + b);
        for (size_t o = 0; o < rec_len; o += SIM_PAGE)
            sim_flash_program(d->flash, w->slot + (uint32_t)o, rec + o,
                              rec_len - o < SIM_PAGE ? rec_len - o : SIM_PAGE);
    }
    explicit_bzero(&p, sizeof p);
    explicit_bzero(ctx, sizeof *ctx);
    explicit_bzero(work, work_len);
    free(ctx);
    free(work);
    free(w);
    return rc;
}

/* "; certified key ID generation G" for the first certified signer and
 * "; min key generation N" if the manifest carries it, else "": which key
 * generation an install relied on, and what its confirm would revoke. */
static void describe_keys(const fws_measurements *m, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = 0;
    for (uint8_t i = 0; i < m->n_signers; i++) {
        if (m->signer_delegated & (1u << i)) {
            const uint8_t *id = m->signer_id[i];
            n = (size_t)snprintf(buf, len, "; certified key %02x%02x%02x%02x%02x%02x%02x%02x "
                                 "generation %" PRIu32, id[0], id[1], id[2], id[3], id[4], id[5],
                                 id[6], id[7], m->signer_generation[i]);
            break;
        }
    }
    if (m->has_min_key_generation && n < len)
        snprintf(buf + n, len - n, "; min key generation %" PRIu32, m->min_key_generation);
}

/* Step 1 of a boot: take a waiting staged container, if any. */
static void take_staged(sim_device *d)
{
    uint32_t id, size;
    fws_measurements m;
    sim_meta next;
    int target, rc;
    if (sim_stage_header(d->flash, &id, &size) != 0 || id == d->meta.consumed)
        return;
    if (d->meta.active != SIM_SLOT_NONE && d->meta.state == SIM_STATE_TRIAL) {
        printf("sim: staged update #%" PRIu32 " waits: slot %c is on trial (confirm or fail it "
               "first)\n", id, slot_name[d->meta.active]);
        return;
    }
    target = d->meta.active == SIM_SLOT_NONE ? 0 : 1 - d->meta.active;
    printf("sim: installing staged update #%" PRIu32 " (%" PRIu32 " bytes) into slot %c\n", id,
           size, slot_name[target]);
    rc = install(d, target, size, &m);
    next = d->meta;
    next.consumed = id;
    next.last = (uint8_t)rc;
    if (rc == FWS_OK) {
        char keys[96];
        describe_keys(&m, keys, sizeof keys);
        next.active = (uint8_t)target;
        next.state = SIM_STATE_TRIAL;
        next.attempts = 0;
        printf("sim: installed slot %c: version %u.%u.%u+%" PRIu32 " counter %" PRIu32 "%s\n",
               slot_name[target], m.major, m.minor, m.patch, m.build, m.counter, keys);
    } else {
        printf("sim: update #%" PRIu32 " refused: %s\n", id, fws_status_name(rc));
    }
    /* One write: the new slot becomes active (or the refusal is recorded)
     * and the container is consumed. */
    sim_meta_store(d, &next);
    /* Clean-up only (the metadata already says "consumed"). */
    sim_flash_erase(d->flash, SIM_STAGING_ADDR);
}

/* Reverting to, or falling back on, slot s, which v shows verified. */
static void make_active(sim_device *d, int s)
{
    sim_meta next = d->meta;
    next.active = (uint8_t)s;
    next.state = SIM_STATE_CONFIRMED;
    next.attempts = 0;
    sim_meta_store(d, &next);
}

int sim_boot(sim_device *d)
{
    sim_slot_view *v = malloc(sizeof *v);
    int cur, other, rc, status = SIM_EXIT_OK;
    if (!v)
        abort();
    if (!d->have_meta) {
        printf("sim: no valid metadata copy\nsim: no bootable image\n");
        free(v);
        return SIM_EXIT_NO_IMAGE;
    }
    take_staged(d);
    cur = d->meta.active;
    if (cur == SIM_SLOT_NONE) {
        printf("sim: no image installed\nsim: no bootable image\n");
        free(v);
        return SIM_EXIT_NO_IMAGE;
    }
    other = 1 - cur;
    if (d->meta.state == SIM_STATE_TRIAL && d->meta.attempts >= SIM_TRIAL_BOOTS) {
        if (d->meta.attempts > SIM_TRIAL_BOOTS)
            printf("sim: slot %c failed its trial boot: reverting to slot %c\n",
                   slot_name[cur], slot_name[other]);
        else
            printf("sim: slot %c was not confirmed after %u trial boot%s: reverting to slot "
                   "%c\n", slot_name[cur], d->meta.attempts, d->meta.attempts == 1 ? "" : "s",
                   slot_name[other]);
        rc = sim_slot_check(d, other, v);
        if (rc == FWS_OK) {
            make_active(d, other);
            print_booted(other, &v->m, "confirmed");
            goto done;
        }
        printf("sim: slot %c: rejected: %s; staying on slot %c\n", slot_name[other],
               check_name(rc), slot_name[cur]);
    }
    rc = sim_slot_check(d, cur, v);
    if (rc == FWS_OK) {
        int trial = d->meta.state == SIM_STATE_TRIAL;
        if (trial && d->meta.attempts < SIM_TRIAL_BOOTS) {
            /* Count the attempt before the image runs. */
            sim_meta next = d->meta;
            next.attempts++;
            sim_meta_store(d, &next);
        }
        print_booted(cur, &v->m, trial ? "trial" : "confirmed");
        goto done;
    }
    printf("sim: slot %c: rejected: %s\n", slot_name[cur], check_name(rc));
    rc = sim_slot_check(d, other, v);
    if (rc == FWS_OK) {
        if (d->meta.state == SIM_STATE_TRIAL) {
            /* The trial image no longer verifies: back to the confirmed one. */
            make_active(d, other);
            print_booted(other, &v->m, "confirmed");
        } else {
            print_booted(other, &v->m, "fallback");
        }
        goto done;
    }
    printf("sim: slot %c: rejected: %s\nsim: no bootable image\n", slot_name[other],
           check_name(rc));
    status = SIM_EXIT_NO_IMAGE;
done:
    free(v);
    return status;
}

int sim_confirm(sim_device *d)
{
    sim_slot_view *v;
    sim_meta next, old;
    int cur = d->have_meta ? d->meta.active : SIM_SLOT_NONE, rc;
    if (cur == SIM_SLOT_NONE) {
        printf("sim: nothing to confirm: no image installed\n");
        return SIM_EXIT_REFUSED;
    }
    if (d->meta.state == SIM_STATE_CONFIRMED) {
        printf("sim: slot %c is already confirmed (floor %" PRIu32 ")\n", slot_name[cur],
               d->meta.floor);
        return SIM_EXIT_OK;
    }
    if (d->meta.attempts == 0) {
        printf("sim: slot %c has not booted yet: nothing runs that could confirm it\n",
               slot_name[cur]);
        return SIM_EXIT_REFUSED;
    }
    if (d->meta.attempts > SIM_TRIAL_BOOTS) {
        printf("sim: slot %c failed its trial boot: the next boot reverts\n", slot_name[cur]);
        return SIM_EXIT_REFUSED;
    }
    /* What the floors rise to comes from the verified record. */
    v = malloc(sizeof *v);
    if (!v)
        abort();
    rc = sim_slot_check(d, cur, v);
    if (rc != FWS_OK) {
        printf("sim: cannot confirm slot %c: %s\n", slot_name[cur], check_name(rc));
        free(v);
        return SIM_EXIT_REFUSED;
    }
    next = d->meta;
    next.state = SIM_STATE_CONFIRMED;
    next.attempts = 0;
    if (v->m.counter > next.floor)
        next.floor = v->m.counter;
    /* MIN_KEY_GENERATION revokes older certified keys from now on: in the
     * same write as the counter floor, so a cut leaves both old or both new. */
    if (v->m.has_min_key_generation && v->m.min_key_generation > next.keygen_floor)
        next.keygen_floor = v->m.min_key_generation;
    old = d->meta;
    sim_meta_store(d, &next);
    printf("sim: confirmed slot %c: version %u.%u.%u+%" PRIu32 " counter %" PRIu32
           "; floor %" PRIu32 " -> %" PRIu32 ", key generation floor %" PRIu32 " -> %" PRIu32
           "\n", slot_name[cur], v->m.major, v->m.minor, v->m.patch, v->m.build, v->m.counter,
           old.floor, next.floor, old.keygen_floor, next.keygen_floor);
    free(v);
    return SIM_EXIT_OK;
}

int sim_fail(sim_device *d)
{
    int cur = d->have_meta ? d->meta.active : SIM_SLOT_NONE;
    if (cur == SIM_SLOT_NONE || d->meta.state != SIM_STATE_TRIAL) {
        printf("sim: no image is on trial: nothing to fail\n");
        return SIM_EXIT_REFUSED;
    }
    if (d->meta.attempts < SIM_TRIAL_BOOTS + 1) {
        sim_meta next = d->meta;
        next.attempts = SIM_TRIAL_BOOTS + 1;
        sim_meta_store(d, &next);
    }
    printf("sim: slot %c failed its trial boot: the next boot reverts to slot %c\n",
           slot_name[cur], slot_name[1 - cur]);
    return SIM_EXIT_OK;
}
