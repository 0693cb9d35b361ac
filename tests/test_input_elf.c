/* SPDX-License-Identifier: MIT */
/* The ELF reader (signer/pack/input_elf.c).  Oracles: ELF files built here
 * byte by byte (ELF32/ELF64, either byte order, any segment layout), and a
 * real Cortex-M program linked by arm-none-eabi-gcc, whose component must
 * equal `objcopy -O binary` of the same file, at the same address. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "input.h"
#include "input_fixture.h"
#include "testutil.h"

TestSuite(inputs_elf, .init = input_setup, .fini = input_teardown);

typedef struct {
    uint32_t type;
    uint64_t paddr, filesz, memsz;
    const uint8_t *data;          /* filesz bytes (NULL: a pattern) */
} seg;

static void put_n(uint8_t *p, uint64_t v, unsigned len, int big)
{
    for (unsigned i = 0; i < len; i++)
        p[big ? len - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

/* An ELF file: header, program headers, then each segment's bytes. */
static uint8_t *build_elf(int is64, int big, unsigned etype, const seg *s, unsigned n,
                          size_t *len)
{
    unsigned eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, w = is64 ? 8 : 4;
    size_t off = eh + (size_t)ph * n, total = off;
    for (unsigned i = 0; i < n; i++)
        total += (size_t)s[i].filesz;
    uint8_t *b = calloc(1, total);
    memcpy(b, "\x7f" "ELF", 4);
    b[4] = is64 ? 2 : 1;
    b[5] = big ? 2 : 1;
    b[6] = 1;
    put_n(b + 16, etype, 2, big);
    put_n(b + 18, 40, 2, big);                           /* EM_ARM */
    put_n(b + 20, 1, 4, big);
    put_n(b + (is64 ? 32 : 28), eh, w, big);             /* e_phoff */
    put_n(b + (is64 ? 52 : 40), eh, 2, big);             /* e_ehsize */
    put_n(b + (is64 ? 54 : 42), ph, 2, big);             /* e_phentsize */
    put_n(b + (is64 ? 56 : 44), n, 2, big);              /* e_phnum */
    for (unsigned i = 0; i < n; i++) {
        uint8_t *p = b + eh + (size_t)ph * i;
        put_n(p, s[i].type, 4, big);
        put_n(p + (is64 ? 8 : 4), off, w, big);          /* p_offset */
        put_n(p + (is64 ? 16 : 8), s[i].paddr + 0x20000000u, w, big);   /* p_vaddr: not used */
        put_n(p + (is64 ? 24 : 12), s[i].paddr, w, big);
        put_n(p + (is64 ? 32 : 16), s[i].filesz, w, big);
        put_n(p + (is64 ? 40 : 20), s[i].memsz, w, big);
        for (uint64_t k = 0; k < s[i].filesz; k++)
            b[off + k] = s[i].data ? s[i].data[k] : (uint8_t)(i * 16 + k);
        off += (size_t)s[i].filesz;
    }
    *len = total;
    return b;
}

static char *put_elf(const char *name, int is64, int big, unsigned etype, const seg *s,
                     unsigned n)
{
    size_t len;
    uint8_t *b = build_elf(is64, big, etype, s, n, &len);
    char *p = put(name, b, len);
    free(b);
    return p;
}

/* Segments out of order, a .bss-like PT_LOAD (no file bytes), a note:
 * one component from the lowest physical address, gaps filled, in every
 * class and byte order. */
Test(inputs_elf, segments_at_physical_addresses)
{
    const seg s[] = {{1, 0x08000100, 8, 8, NULL},      /* .data's flash copy */
                     {4, 0x0, 16, 16, NULL},           /* PT_NOTE: not loaded */
                     {1, 0x08000000, 0x40, 0x40, NULL},
                     {1, 0x20000000, 0, 0x400, NULL}}; /* .bss: nothing to load */
    for (int v = 0; v < 4; v++) {
        collector col = {0};
        char *f = put_elf("app.elf", v & 1, v >> 1, 2, s, 4), *err;
        cr_assert_eq(visit(f, NULL, &col, &err), FWS_EXIT_OK, "variant %d: %s", v, err);
        cr_assert_eq(col.n, 1);
        cr_assert_str_eq(col.c[0].name, "app");
        cr_assert(col.c[0].has_address);
        cr_assert_eq(col.c[0].address, 0x08000000);
        cr_assert_eq(col.c[0].len, 0x108);
        for (size_t k = 0; k < 0x108; k++) {
            uint8_t want = k < 0x40 ? (uint8_t)(2 * 16 + k) : k < 0x100 ? 0xFF : (uint8_t)(k - 0x100);
            cr_assert_eq(col.c[0].data[k], want, "variant %d byte %zu", v, k);
        }
        collector_free(&col);
        free(err);
        free(f);
    }
}

/* The gap rule is Intel HEX's: --hex-max-gap, and its fill byte. */
Test(inputs_elf, gaps_follow_the_hex_options)
{
    const seg s[] = {{1, 0x1000, 4, 4, NULL}, {1, 0x1000 + 4 + 100, 4, 4, NULL}};
    fws_input_opts o = FWS_INPUT_OPTS_DEFAULT;
    collector col = {0};
    char *f = put_elf("gap.elf", 0, 0, 2, s, 2);
    o.hex_max_gap = 100;
    o.hex_fill = 0x00;
    cr_assert_eq(visit(f, &o, &col, NULL), FWS_EXIT_OK);
    cr_assert_eq(col.c[0].len, 108);
    cr_assert_eq(col.c[0].data[50], 0x00);
    collector_free(&col);
    o.hex_max_gap = 99;
    expect_error(f, &o, FWS_EXIT_IO, "gap of 100 bytes at 0x1004 (between program headers 0 and 1) "
                                     "exceeds the maximum gap of 99 bytes", "gap.elf");
    free(f);
}

Test(inputs_elf, refusals_name_the_file_and_field)
{
    const seg one[] = {{1, 0x1000, 16, 16, NULL}};
    char *f;
    /* a relocatable object */
    f = put_elf("obj.elf", 0, 0, 1, one, 1);
    expect_error(f, NULL, FWS_EXIT_IO, "e_type ET_REL: a relocatable object, not an executable: "
                                       "link it first", "obj.elf");
    free(f);
    f = put_elf("core.elf", 1, 0, 4, one, 1);
    expect_error(f, NULL, FWS_EXIT_IO, "e_type ET_CORE: not an executable", "core.elf");
    free(f);
    /* no program headers, or none loadable with contents */
    f = put_elf("none.elf", 0, 0, 2, one, 0);
    expect_error(f, NULL, FWS_EXIT_IO, "no program headers, so no loadable segment", "none.elf");
    free(f);
    const seg bss[] = {{1, 0x2000, 0, 64, NULL}, {6, 0, 8, 8, NULL}};
    f = put_elf("bss.elf", 0, 0, 2, bss, 2);
    expect_error(f, NULL, FWS_EXIT_IO, "no loadable segment with contents (PT_LOAD with "
                                       "p_filesz > 0)", "bss.elf");
    free(f);
    /* not ELF at all, a bad ident, a truncated header */
    f = put_text("text.elf", "not an elf file at all");
    expect_error(f, NULL, FWS_EXIT_IO, "not an ELF file (no \\x7fELF magic", "text.elf");
    free(f);
    static const uint8_t bad_class[16] = {0x7f, 'E', 'L', 'F', 3, 1, 1};
    f = put("class.elf", bad_class, sizeof bad_class);
    expect_error(f, NULL, FWS_EXIT_IO, "ELF header: bad e_ident (class 3", "class.elf");
    free(f);
    f = put("short.elf", "\x7f" "ELF\x01\x01\x01\0\0\0\0\0\0\0\0\0\0\0\0\0", 20);
    expect_error(f, NULL, FWS_EXIT_IO, "ELF header: truncated (20 bytes)", "short.elf");
    free(f);
    /* overlapping segments, p_filesz > p_memsz */
    const seg overlap[] = {{1, 0x1000, 16, 16, NULL}, {1, 0x100f, 4, 4, NULL}};
    f = put_elf("ov.elf", 0, 1, 2, overlap, 2);
    expect_error(f, NULL, FWS_EXIT_IO, "program headers 0 and 1 overlap: 0x1000..0x100F and 0x100F",
                 "ov.elf");
    free(f);
    const seg fm[] = {{1, 0x1000, 16, 8, NULL}};
    f = put_elf("fm.elf", 0, 0, 2, fm, 1);
    expect_error(f, NULL, FWS_EXIT_IO, "program header 0: p_filesz 16 is larger than p_memsz 8",
                 "fm.elf");
    free(f);
    /* a 32-bit segment past 4 GiB */
    const seg wrap[] = {{1, 0xFFFFFFF8u, 16, 16, NULL}};
    f = put_elf("wrap.elf", 0, 0, 2, wrap, 1);
    expect_error(f, NULL, FWS_EXIT_IO, "p_paddr 0xFFFFFFF8 + p_filesz 16 runs past the end", NULL);
    free(f);
    /* a segment, or the program headers, outside the file */
    size_t len;
    uint8_t *b = build_elf(0, 0, 2, one, 1, &len);
    put_n(b + 52 + 16, 4096, 4, 0);                     /* p_filesz */
    put_n(b + 52 + 20, 4096, 4, 0);                     /* p_memsz */
    f = put("out.elf", b, len);
    expect_error(f, NULL, FWS_EXIT_IO, "program header 0: p_offset 84 + p_filesz 4096 lies outside "
                                       "the file", "out.elf");
    free(f);
    put_n(b + 28, 1u << 20, 4, 0);                      /* e_phoff */
    f = put("ph.elf", b, len);
    expect_error(f, NULL, FWS_EXIT_IO, "the program headers (e_phoff 1048576", "ph.elf");
    free(f);
    put_n(b + 28, 52, 4, 0);
    put_n(b + 42, 40, 2, 0);                            /* e_phentsize */
    f = put("ent.elf", b, len);
    expect_error(f, NULL, FWS_EXIT_IO, "e_phentsize 40, expected 32", "ent.elf");
    free(f);
    put_n(b + 42, 32, 2, 0);
    put_n(b + 44, 0xFFFF, 2, 0);                        /* e_phnum: PN_XNUM */
    f = put("xnum.elf", b, len);
    expect_error(f, NULL, FWS_EXIT_IO, "e_phnum 65535", "xnum.elf");
    free(f);
    free(b);
    /* an ELF given an @ADDRESS */
    expect_error("app.elf@0x100", NULL, FWS_EXIT_USAGE, "an ELF file carries its own addresses",
                 NULL);
}

/* A raw input that is an ELF file: packed as raw bytes, with a warning. */
Test(inputs_elf, raw_elf_warns)
{
    const seg one[] = {{1, 0x1000, 16, 16, NULL}};
    size_t len;
    uint8_t *b = build_elf(0, 0, 2, one, 1, &len);
    char *f = put("firmware", b, len), *err;
    collector col = {0};
    cr_assert_eq(visit(f, NULL, &col, &err), FWS_EXIT_OK);
    cr_assert_eq(col.c[0].len, len);
    cr_assert(strstr(err, "warning: ") && strstr(err, "an ELF file, packed as raw bytes; name it "
                                                      ".elf"), "%s", err);
    collector_free(&col);
    free(err);
    free(f);
    free(b);
}

/* A real Cortex-M image: .text in flash, .data loaded from flash (AT>),
 * .bss in RAM.  `fwseal pack app.elf` and `fwseal pack app.bin@ADDR` of
 * objcopy's binary give the same component: bytes, size and address. */
Test(inputs_elf, matches_objcopy_binary, .timeout = 60)
{
    run_result r = run("command -v arm-none-eabi-gcc && command -v arm-none-eabi-objcopy");
    if (r.status != 0) {
        test_skip("arm-none-eabi-gcc/objcopy are not installed");
        run_free(&r);
        return;
    }
    run_free(&r);
    static const char src[] =
        "int counter = 42;\n"
        "static const char banner[] = \"fwseal elf test\";\n"
        "int big[64];\n"
        "void _start(void);\n"
        "void _start(void) { for (;;) { counter += banner[counter & 7] + big[counter & 63]; } }\n";
    static const char ld[] =
        "MEMORY { FLASH (rx) : ORIGIN = 0x08004000, LENGTH = 64K\n"
        "         RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 16K }\n"
        "ENTRY(_start)\n"
        "SECTIONS {\n"
        "  .text : { *(.text*) *(.rodata*) } > FLASH\n"
        "  .data : { *(.data*) } > RAM AT > FLASH\n"
        "  .bss : { *(.bss*) *(COMMON) } > RAM\n"
        "}\n";
    free(put_text("app.c", src));
    free(put_text("app.ld", ld));
    r = run("cd '%s' && arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -Os -nostdlib -T app.ld -o app.elf "
            "app.c && arm-none-eabi-objcopy -O binary app.elf app.bin && "
            "%s keygen --type ed25519 -o k --no-passphrase >/dev/null && "
            "%s pack -o e.fws --key k.key --version 1.0.0 --counter 1 --class c --json app.elf && "
            "%s pack -o b.fws --key k.key --version 1.0.0 --counter 1 --class c --json "
            "app=app.bin@0x08004000",
            input_dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* the ELF really has .data at a RAM address loaded from flash */
    run_free(&r);
    r = run("cd '%s' && arm-none-eabi-readelf -lW app.elf | grep LOAD", input_dir);
    cr_assert(strstr(r.out, "0x20000000 0x080"), "no .data loaded from flash: %s", r.out);
    run_free(&r);
    r = run("cd '%s' && %s inspect --json e.fws && %s inspect --json b.fws", input_dir, FWSEAL_BIN,
            FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *second = strchr(r.out, '\n') + 1, *d1 = strstr(r.out, "\"sha256\":"),
         *d2 = strstr(second, "\"sha256\":");
    cr_assert(d1 && d2 && d1 < second);
    cr_assert(!strncmp(d1, d2, 9 + 66), "digests differ: %.80s / %.80s", d1, d2);
    cr_assert(strstr(r.out, "\"address_hex\":\"0x8004000\""), "%s", r.out);
    cr_assert(strstr(second, "\"address_hex\":\"0x8004000\""), "%s", second);
    char *s1 = strstr(r.out, "\"size\":"), *s2 = strstr(second, "\"size\":");
    cr_assert(!strncmp(s1, s2, strcspn(s1, ",")), "sizes differ");
    run_free(&r);
    /* and the unpacked bytes are objcopy's */
    r = run("cd '%s' && %s unpack e.fws --trust k.pub --class c -o out && cmp out/app app.bin",
            input_dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    run_free(&r);
}
