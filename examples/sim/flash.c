/* SPDX-License-Identifier: MIT */
/* NOR flash over a file, with power-cut injection: see flash.h. */
#include "flash.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void io_fail(const sim_flash *f, const char *what)
{
    fprintf(stderr, "sim: error: %s: %s: %s\n", f->path, what, strerror(errno));
    fflush(NULL);
    _exit(SIM_EXIT_IO);
}

static void bug(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void bug(const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "sim: BUG: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    fflush(NULL);
    _exit(SIM_EXIT_FLASH_BUG);
}

static void pread_all(const sim_flash *f, uint32_t addr, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        ssize_t n = pread(f->fd, p, len, (off_t)addr);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            io_fail(f, "read");
        }
        p += n;
        addr += (uint32_t)n;
        len -= (size_t)n;
    }
}

static void pwrite_all(const sim_flash *f, uint32_t addr, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = pwrite(f->fd, p, len, (off_t)addr);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n == 0)
                errno = EIO;
            io_fail(f, "write");
        }
        p += n;
        addr += (uint32_t)n;
        len -= (size_t)n;
    }
}

/* splitmix64: the tearing PRNG. */
static uint64_t next_rand(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int sim_flash_open(sim_flash *f, const char *path, uint32_t size, uint32_t block, uint32_t page,
                   int create)
{
    const char *cut = getenv("SIM_POWER_CUT"), *seed = getenv("SIM_SEED");
    struct stat st;
    memset(f, 0, sizeof *f);
    f->path = path;
    f->size = size;
    f->block = block;
    f->page = page;
    f->seed = 1;
    if (cut && *cut && parse_u64(cut, &f->cut_at)) {
        fprintf(stderr, "sim: error: SIM_POWER_CUT=%s: not a number\n", cut);
        return -1;
    }
    if (seed && *seed && parse_u64(seed, &f->seed)) {
        fprintf(stderr, "sim: error: SIM_SEED=%s: not a number\n", seed);
        return -1;
    }
    f->fd = open(path, create ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR, 0644);
    if (f->fd < 0) {
        fprintf(stderr, "sim: error: %s: cannot open: %s%s\n", path, strerror(errno),
                create ? "" : " (create it with 'sim init')");
        return -1;
    }
    if (create) {
        uint8_t *ff = malloc(block);
        if (!ff)
            abort();
        memset(ff, 0xFF, block);
        for (uint32_t a = 0; a < size; a += block)
            pwrite_all(f, a, ff, block);
        free(ff);
    }
    if (fstat(f->fd, &st) != 0 || (uint64_t)st.st_size != size) {
        fprintf(stderr, "sim: error: %s: not a simulated flash of %" PRIu32 " bytes\n", path,
                size);
        close(f->fd);
        return -1;
    }
    return 0;
}

void sim_flash_close(sim_flash *f)
{
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

void sim_flash_read(sim_flash *f, uint32_t addr, void *buf, size_t len)
{
    if (addr > f->size || len > f->size - addr)
        bug("read of %zu bytes at 0x%06" PRIx32 " is outside the flash", len, addr);
    pread_all(f, addr, buf, len);
}

/* Power fails during this operation: leave `old` torn towards `want`, write
 * it, and stop the process. */
static void power_cut(sim_flash *f, uint32_t addr, const uint8_t *old, const uint8_t *want,
                      size_t len, int erase)
{
    uint64_t s = f->seed ^ (f->cut_at * 0xD1B54A32D192ED03u);
    uint8_t *torn = malloc(len);
    const char *how;
    size_t k;
    if (!torn)
        abort();
    memcpy(torn, old, len);
    if (f->cut_before) {
        fflush(stdout);
        fprintf(stderr, "sim: power cut before flash operation %" PRIu64 " (%s %zu bytes at 0x%06"
                        PRIx32 ")\n", f->ops, erase ? "erase" : "program", len, addr);
        fflush(NULL);
        _exit(SIM_EXIT_POWER_CUT);
    }
    next_rand(&s);
    k = (size_t)(next_rand(&s) % len);   /* bytes completed: 0..len-1 */
    switch (next_rand(&s) % (erase ? 2 : 3)) {
    case 0:
        how = "prefix";
        memcpy(torn, want, k);
        break;
    case 1:
        if (erase) {
            how = "random bits";
            for (size_t i = 0; i < len; i++)
                torn[i] = (uint8_t)(old[i] | (want[i] & (uint8_t)next_rand(&s)));
            k = len;
        } else {
            how = "prefix and a torn byte";
            memcpy(torn, want, k);
            /* bits that were to be cleared: some are */
            torn[k] = (uint8_t)(old[k] & ~((old[k] & ~want[k]) & (uint8_t)next_rand(&s)));
        }
        break;
    default:
        how = "random bits";
        for (size_t i = 0; i < len; i++)
            torn[i] = (uint8_t)(old[i] & ~((old[i] & ~want[i]) & (uint8_t)next_rand(&s)));
        k = len;
        break;
    }
    pwrite_all(f, addr, torn, len);
    free(torn);
    fflush(stdout);
    if (k == len)
        fprintf(stderr, "sim: power cut at flash operation %" PRIu64 " (%s %zu bytes at 0x%06" PRIx32
                        ": torn, %s)\n", f->ops, erase ? "erase" : "program", len, addr, how);
    else
        fprintf(stderr, "sim: power cut at flash operation %" PRIu64 " (%s %zu bytes at 0x%06" PRIx32
                        ": torn, %s of %zu bytes)\n", f->ops, erase ? "erase" : "program", len,
                addr, how, k);
    fflush(NULL);
    _exit(SIM_EXIT_POWER_CUT);
}

void sim_flash_erase(sim_flash *f, uint32_t addr)
{
    uint8_t *old, *ff;
    if (addr % f->block || addr >= f->size)
        bug("erase at 0x%06" PRIx32 ": not the start of a block inside the flash", addr);
    f->ops++;
    ff = malloc(f->block);
    if (!ff)
        abort();
    memset(ff, 0xFF, f->block);
    if (f->ops == f->cut_at) {
        old = malloc(f->block);
        if (!old)
            abort();
        pread_all(f, addr, old, f->block);
        power_cut(f, addr, old, ff, f->block, 1);
    }
    pwrite_all(f, addr, ff, f->block);
    free(ff);
    f->erases++;
}

void sim_flash_program(sim_flash *f, uint32_t addr, const void *data, size_t len)
{
    const uint8_t *d = data;
    uint8_t old[4096], want[4096];
    if (len == 0 || len > sizeof old || addr >= f->size || len > f->size - addr)
        bug("program of %zu bytes at 0x%06" PRIx32 ": outside the flash", len, addr);
    if (addr / f->page != (addr + (uint32_t)len - 1) / f->page)
        bug("program of %zu bytes at 0x%06" PRIx32 " crosses a page (%" PRIu32 " bytes)", len,
            addr, f->page);
    pread_all(f, addr, old, len);
    for (size_t i = 0; i < len; i++) {
        if (d[i] & ~old[i])
            bug("program at 0x%06" PRIx32 " would set bits to 1 (flash holds 0x%02x, data "
                "0x%02x): erase first", addr + (uint32_t)i, old[i], d[i]);
        want[i] = (uint8_t)(old[i] & d[i]);
    }
    f->ops++;
    if (f->ops == f->cut_at)
        power_cut(f, addr, old, want, len, 0);
    pwrite_all(f, addr, want, len);
    f->programs++;
}
