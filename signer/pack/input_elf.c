/* SPDX-License-Identifier: MIT */
/*
 * ELF input (.elf .axf): the loadable segments of an executable become ONE
 * component, laid out at their physical addresses (p_paddr: where the
 * bytes are loaded, so the flash copy of .data's initial values, not its
 * RAM address) from the lowest one, with the gaps between segments filled
 * with the fill byte as for Intel HEX (at most hex_max_gap bytes each): the
 * bytes `objcopy -O binary --gap-fill 0xff` writes, at the address it
 * writes them for.  Only a segment's file bytes (p_filesz) are taken; the
 * rest of p_memsz (.bss) is the startup code's to clear, and a PT_LOAD
 * without file bytes is skipped.
 *
 * ELF32 and ELF64, either byte order, ET_EXEC or ET_DYN.  Refused with a
 * message naming the file and the field: not an ELF file, a relocatable
 * object (ET_REL: link it first) or a core file, bad header fields, no
 * loadable segment with contents, a segment outside the file or past the
 * end of the address space, overlapping segments, a gap over the maximum.
 *
 * The segments are streamed from the file (pread); memory stays small
 * whatever their size.
 */
#include "input_reader.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "io.h"
#include "xalloc.h"

#define PT_LOAD_TYPE 1
#define MAX_SEGMENTS 4096

typedef struct {
    uint64_t paddr, offset, filesz;
    unsigned index;                  /* program header index, for messages */
} segment;

typedef struct {
    int fd;
    const char *origin;
    int is64, big;
    segment *seg;
    unsigned n;
    uint8_t fill;
    /* streaming */
    unsigned cur;                    /* segment being read */
    uint64_t addr;                   /* address of the next byte */
    int failed;
} elf_reader;

static uint64_t get(const elf_reader *e, const uint8_t *p, unsigned len)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < len; i++)
        v |= (uint64_t)p[e->big ? len - 1 - i : i] << (8 * i);
    return v;
}

/* Header fields into *phoff, *phnum: 0, or -1 after a message. */
static int read_header(elf_reader *e, uint64_t file_size, uint64_t *phoff, unsigned *phnum)
{
    static const char *const types[] = {"ET_NONE", "ET_REL", "ET_EXEC", "ET_DYN", "ET_CORE"};
    uint8_t h[64];
    size_t got = 0;
    unsigned type, phentsize;
    if (io_read_full(e->fd, h, sizeof h, &got) < 0) {
        diag_error("%s: read failed: %s", e->origin, strerror(errno));
        return -1;
    }
    if (got < 16 || memcmp(h, "\x7f" "ELF", 4)) {
        diag_error("%s: not an ELF file (no \\x7fELF magic at the start); pack a raw image "
                   "under another name, or its Intel HEX / S-record form", e->origin);
        return -1;
    }
    if ((h[4] != 1 && h[4] != 2) || (h[5] != 1 && h[5] != 2) || h[6] != 1) {
        diag_error("%s: ELF header: bad e_ident (class %u, data %u, version %u; expected "
                   "1-2, 1-2, 1)", e->origin, h[4], h[5], h[6]);
        return -1;
    }
    e->is64 = h[4] == 2;
    e->big = h[5] == 2;
    if (got < (e->is64 ? 64u : 52u)) {
        diag_error("%s: ELF header: truncated (%zu bytes)", e->origin, got);
        return -1;
    }
    type = (unsigned)get(e, h + 16, 2);
    if (type != 2 && type != 3) {
        diag_error("%s: ELF header: e_type %s: %s", e->origin,
                   type < 5 ? types[type] : "unknown",
                   type == 1 ? "a relocatable object, not an executable: link it first"
                             : "not an executable (ET_EXEC or ET_DYN)");
        return -1;
    }
    *phoff = get(e, h + (e->is64 ? 32 : 28), e->is64 ? 8 : 4);
    phentsize = (unsigned)get(e, h + (e->is64 ? 54 : 42), 2);
    *phnum = (unsigned)get(e, h + (e->is64 ? 56 : 44), 2);
    if (*phnum == 0) {
        diag_error("%s: no program headers, so no loadable segment (PT_LOAD): is it linked?",
                   e->origin);
        return -1;
    }
    if (*phnum == 0xFFFF || *phnum > MAX_SEGMENTS) {
        diag_error("%s: ELF header: e_phnum %u: more program headers than the %d taken",
                   e->origin, *phnum, MAX_SEGMENTS);
        return -1;
    }
    if (phentsize != (e->is64 ? 56u : 32u)) {
        diag_error("%s: ELF header: e_phentsize %u, expected %u", e->origin, phentsize,
                   e->is64 ? 56u : 32u);
        return -1;
    }
    if (*phoff > file_size || (uint64_t)*phnum * phentsize > file_size - *phoff) {
        diag_error("%s: ELF header: the program headers (e_phoff %llu, %u of %u bytes) lie "
                   "outside the file (%llu bytes)", e->origin, (unsigned long long)*phoff,
                   *phnum, phentsize, (unsigned long long)file_size);
        return -1;
    }
    return 0;
}

/* The PT_LOAD segments with file bytes into e->seg.  0, or -1 after a
 * message. */
static int read_segments(elf_reader *e, uint64_t file_size, uint64_t phoff, unsigned phnum)
{
    unsigned entsize = e->is64 ? 56 : 32, w = e->is64 ? 8 : 4;
    uint8_t *ph = xmalloc((size_t)phnum * entsize);
    int rc = -1;
    if (io_pread_all(e->fd, ph, (size_t)phnum * entsize, phoff) < 0) {
        diag_error("%s: cannot read the program headers: %s", e->origin, strerror(errno));
        goto out;
    }
    e->seg = xcalloc(phnum, sizeof *e->seg);
    for (unsigned i = 0; i < phnum; i++) {
        const uint8_t *p = ph + (size_t)i * entsize;
        segment s;
        uint64_t memsz;
        if (get(e, p, 4) != PT_LOAD_TYPE)
            continue;
        s.index = i;
        s.offset = get(e, p + (e->is64 ? 8 : 4), w);
        s.paddr = get(e, p + (e->is64 ? 24 : 12), w);
        s.filesz = get(e, p + (e->is64 ? 32 : 16), w);
        memsz = get(e, p + (e->is64 ? 40 : 20), w);
        if (s.filesz == 0)
            continue;
        if (s.filesz > memsz) {
            diag_error("%s: program header %u: p_filesz %llu is larger than p_memsz %llu",
                       e->origin, i, (unsigned long long)s.filesz, (unsigned long long)memsz);
            goto out;
        }
        if (s.offset > file_size || s.filesz > file_size - s.offset) {
            diag_error("%s: program header %u: p_offset %llu + p_filesz %llu lies outside the "
                       "file (%llu bytes)", e->origin, i, (unsigned long long)s.offset,
                       (unsigned long long)s.filesz, (unsigned long long)file_size);
            goto out;
        }
        if (s.paddr + s.filesz < s.paddr || (!e->is64 && s.paddr + s.filesz > 0x100000000ull)) {
            diag_error("%s: program header %u: p_paddr 0x%llX + p_filesz %llu runs past the end "
                       "of the address space", e->origin, i, (unsigned long long)s.paddr,
                       (unsigned long long)s.filesz);
            goto out;
        }
        e->seg[e->n++] = s;
    }
    if (e->n == 0) {
        diag_error("%s: no loadable segment with contents (PT_LOAD with p_filesz > 0)",
                   e->origin);
        goto out;
    }
    rc = 0;
out:
    free(ph);
    return rc;
}

static int seg_cmp(const void *a, const void *b)
{
    const segment *x = a, *y = b;
    return x->paddr < y->paddr ? -1 : x->paddr > y->paddr;
}

/* Sorted by address: no overlap, no gap over max_gap.  0, or -1 after a
 * message. */
static int check_layout(elf_reader *e, uint64_t max_gap)
{
    qsort(e->seg, e->n, sizeof *e->seg, seg_cmp);
    for (unsigned i = 1; i < e->n; i++) {
        const segment *a = &e->seg[i - 1], *b = &e->seg[i];
        uint64_t end = a->paddr + a->filesz;
        if (b->paddr < end) {
            diag_error("%s: program headers %u and %u overlap: 0x%llX..0x%llX and 0x%llX..",
                       e->origin, a->index, b->index, (unsigned long long)a->paddr,
                       (unsigned long long)(end - 1), (unsigned long long)b->paddr);
            return -1;
        }
        if (b->paddr - end > max_gap) {
            diag_error("%s: gap of %llu bytes at 0x%llX (between program headers %u and %u) "
                       "exceeds the maximum gap of %llu bytes (--hex-max-gap)", e->origin,
                       (unsigned long long)(b->paddr - end), (unsigned long long)end, a->index,
                       b->index, (unsigned long long)max_gap);
            return -1;
        }
    }
    return 0;
}

/* The image, from the lowest address: segment bytes, fill between. */
static long elf_read(void *ctx, uint8_t *buf, size_t cap)
{
    elf_reader *e = ctx;
    size_t got = 0;
    if (e->failed)
        return -1;
    while (got < cap && e->cur < e->n) {
        const segment *s = &e->seg[e->cur];
        size_t n;
        if (e->addr < s->paddr) {
            uint64_t gap = s->paddr - e->addr;
            n = gap < cap - got ? (size_t)gap : cap - got;
            memset(buf + got, e->fill, n);
        } else {
            uint64_t left = s->paddr + s->filesz - e->addr;
            n = left < cap - got ? (size_t)left : cap - got;
            if (io_pread_all(e->fd, buf + got, n, s->offset + (e->addr - s->paddr)) < 0) {
                diag_error("%s: read failed: %s", e->origin, strerror(errno));
                e->failed = 1;
                return -1;
            }
            if (e->addr + n == s->paddr + s->filesz)
                e->cur++;
        }
        e->addr += n;
        got += n;
    }
    return (long)got;
}

int fws_input_elf(const char *name, const char *file, const fws_input_opts *opts,
                  fws_component_fn fn, void *user)
{
    char origin[512];
    elf_reader e;
    struct stat st;
    uint64_t phoff;
    unsigned phnum;
    int rc = FWS_EXIT_IO;

    fws_input_printable(file, strlen(file), 0, origin, sizeof origin);
    memset(&e, 0, sizeof e);
    e.origin = origin;
    e.fill = opts->hex_fill;
    if ((e.fd = fws_input_open(file, origin)) < 0)
        return FWS_EXIT_IO;
    if (fstat(e.fd, &st) != 0) {
        diag_error("%s: %s", origin, strerror(errno));
        goto out;
    }
    if (read_header(&e, (uint64_t)st.st_size, &phoff, &phnum) == 0 &&
        read_segments(&e, (uint64_t)st.st_size, phoff, phnum) == 0 &&
        check_layout(&e, opts->hex_max_gap) == 0) {
        const segment *last = &e.seg[e.n - 1];
        fws_component_src src = {name, 1, e.seg[0].paddr, origin, elf_read, &e,
                                 last->paddr + last->filesz - e.seg[0].paddr};
        e.addr = e.seg[0].paddr;
        rc = fn(user, &src);
    }
out:
    free(e.seg);
    close(e.fd);
    return rc;
}
