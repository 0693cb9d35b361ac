/* SPDX-License-Identifier: MIT */
#include "fixture.h"

#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fx_init(fixture *f)
{
    static const char *keys[][2] = {{"sign1", "ed25519"}, {"sign2", "ed25519"},
                                    {"sign3", "ed25519"}, {"dev", "x25519"},
                                    {"dev2", "x25519"},   {"psk", "psk"},
                                    {"psk2", "psk"}};
    f->dir = tmpdir_new();
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        run_result r = run("cd '%s' && %s keygen --type %s -o %s --no-passphrase", f->dir,
                           FWSEAL_BIN, keys[i][1], keys[i][0]);
        if (r.status != 0) {
            fprintf(stderr, "fixture keygen failed: %s\n", r.err);
            abort();
        }
        run_free(&r);
    }
}

void fx_free(fixture *f)
{
    tmpdir_remove(f->dir);
    free(f->dir);
}

char *fx_path(const fixture *f, const char *name)
{
    return path_fmt("%s/%s", f->dir, name);
}

void fx_remove(const fixture *f, const char *name)
{
    char *p = fx_path(f, name);
    remove(p);
    free(p);
}

char *fx_write(const fixture *f, const char *name, const void *data, size_t len)
{
    char *p = fx_path(f, name);
    file_write(p, data, len);
    return p;
}

/* --force: the tests pack to the same names again and again. */
run_result fx_pack(const fixture *f, const char *out, const char *args)
{
    return run("cd '%s' && %s pack --force -o %s --key sign1.key --version 1.0.0 --counter 1 "
               "--class test/class %s",
               f->dir, FWSEAL_BIN, out, args);
}

uint8_t *fx_pack_bytes(const fixture *f, const char *out, const char *args, size_t *len)
{
    run_result r = fx_pack(f, out, args);
    cr_assert_eq(r.status, 0, "pack %s: %s", args, r.err);
    run_free(&r);
    char *p = fx_path(f, out);
    uint8_t *c = file_read(p, len);
    cr_assert(c, "%s", p);
    free(p);
    return c;
}

uint8_t *fx_pack_good_two(const fixture *f, size_t *len)
{
    uint8_t buf[9000];
    fill_text(buf, sizeof buf, 41);
    free(fx_write(f, "in.bin", buf, sizeof buf));
    return fx_pack_bytes(f, "good.fws", "--chunk-size 1024 --meta note=hi app=in.bin cfg=in.bin",
                         len);
}

run_result fx_verify(const fixture *f, const char *file, const char *args)
{
    return run("cd '%s' && %s verify %s --trust sign1.pub --class test/class %s", f->dir,
               FWSEAL_BIN, file, args);
}

void fill_text(uint8_t *buf, size_t len, uint64_t seed)
{
    static const char *words[] = {"boot", "flash", "sector", "erase", "write", "verify",
                                  "image", "slot", "counter", "0x08000000", "\n", "  "};
    uint64_t x = seed * 2654435761u + 7;
    size_t i = 0;
    while (i < len) {
        const char *w;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        w = words[x % (sizeof words / sizeof words[0])];
        for (size_t k = 0; w[k] && i < len; k++)
            buf[i++] = (uint8_t)w[k];
        if (i < len)
            buf[i++] = ' ';
    }
}

uint8_t *mixed_input(size_t len, uint64_t seed)
{
    uint8_t *p = malloc(len ? len : 1);
    fill_text(p, len, seed);
    if (len > 5000)
        fill_random(p + len / 3, len / 9, seed + 1);
    return p;
}

/* `fwseal` with fmt and ap in f's directory; args gets the arguments. */
static run_result vfwseal(const fixture *f, char *args, size_t cap, const char *fmt, va_list ap)
{
    int n = vsnprintf(args, cap, fmt, ap);
    cr_assert(n >= 0 && (size_t)n < cap, "fwseal arguments longer than %zu bytes", cap);
    return run("cd '%s' && %s %s", f->dir, FWSEAL_BIN, args);
}

run_result fx_fwseal(const fixture *f, const char *fmt, ...)
{
    char args[8192];
    va_list ap;
    va_start(ap, fmt);
    run_result r = vfwseal(f, args, sizeof args, fmt, ap);
    va_end(ap);
    return r;
}

void fx_fwseal_ok(const fixture *f, const char *fmt, ...)
{
    char args[8192];
    va_list ap;
    va_start(ap, fmt);
    run_result r = vfwseal(f, args, sizeof args, fmt, ap);
    va_end(ap);
    cr_assert_eq(r.status, 0, "fwseal %s: status %d\n%s", args, r.status, r.err);
    run_free(&r);
}

void fx_fwseal_fails(const fixture *f, int status, const char *want, const char *fmt, ...)
{
    char args[8192];
    va_list ap;
    va_start(ap, fmt);
    run_result r = vfwseal(f, args, sizeof args, fmt, ap);
    va_end(ap);
    cr_assert_eq(r.status, status, "fwseal %s: status %d, want %d\n%s", args, r.status, status,
                 r.err);
    cr_assert(strstr(r.err, want), "fwseal %s: %s\n(want '%s')", args, r.err, want);
    cr_assert_str_eq(r.out, "", "fwseal %s printed %s", args, r.out);
    run_free(&r);
}

void fx_fwseal_refusals(const fixture *f, const char *prefix, const fx_refusal *cases, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fx_fwseal_fails(f, cases[i].status, cases[i].message, "%s %s", prefix, cases[i].args);
}
