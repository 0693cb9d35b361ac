/* SPDX-License-Identifier: MIT */
/*
 * The S-record and ELF readers (signer/pack/input_srec.c, input_elf.c)
 * through fws_input_visit, on arbitrary bytes written to a temporary
 * .srec or .elf file.  Checked beyond the sanitizers: the status is OK or
 * FWS_EXIT_IO (the spec is well-formed, so never a usage error); an
 * accepted file gives exactly one component with an address, whose reads
 * end where its size hint says and return 0 after the end; a refusal says
 * why in one "error:" line naming the file.
 *
 * Input: mode byte, then the file.  Bit 0 chooses the reader (S-records,
 * ELF), bits 1-2 hex_max_gap (0, 1, 16, 4096), bit 3 the fill byte.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "fuzz_common.h"
#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char paths[2][64];

static void remove_tmp(void)
{
    for (int i = 0; i < 2; i++)
        if (paths[i][0])
            unlink(paths[i]);
}

typedef struct {
    int calls;
} got;

static int component(void *user, fws_component_src *src)
{
    got *g = user;
    uint8_t buf[4096];
    uint64_t total = 0;
    long r;
    g->calls++;
    if (!src->has_address)
        fz_fail("image input without an address");
    while ((r = src->read(src->ctx, buf, sizeof buf)) > 0) {
        if ((size_t)r > sizeof buf)
            fz_fail("read returned %ld for %zu", r, sizeof buf);
        total += (uint64_t)r;
    }
    if (r < 0)
        return FWS_EXIT_IO;
    if (src->read(src->ctx, buf, sizeof buf) != 0)
        fz_fail("read after the end is not 0");
    if (total != src->size_hint)
        fz_fail("%llu bytes read, the size hint says %llu", (unsigned long long)total,
                (unsigned long long)src->size_hint);
    return FWS_EXIT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint64_t gaps[4] = {0, 1, 16, 4096};
    static const char *const ext[2] = {".srec", ".elf"};
    fws_input_opts opts = FWS_INPUT_OPTS_DEFAULT;
    char spec[80];
    got g = {0};
    FILE *f;
    int rc, kind;

    if (!paths[0][0]) {
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        for (int i = 0; i < 2; i++) {
            int fd;
            snprintf(paths[i], sizeof paths[i], "%s/fwseal-fuzz-XXXXXX%s", dir, ext[i]);
            fd = mkstemps(paths[i], (int)strlen(ext[i]));
            if (fd < 0)
                fz_fail("mkstemps %s", paths[i]);
            close(fd);
        }
        atexit(remove_tmp);
    }
    if (size < 1)
        return 0;
    kind = data[0] & 1;
    opts.hex_max_gap = gaps[(data[0] >> 1) & 3];
    opts.hex_fill = (data[0] & 8) ? 0x00 : 0xFF;
    f = fopen(paths[kind], "wb");
    if (!f || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) || fclose(f))
        fz_fail("cannot write %s", paths[kind]);
    snprintf(spec, sizeof spec, "app=%s", paths[kind]);
    fz_quiet(1);
    rc = fws_input_visit(spec, &opts, component, &g);
    fz_quiet(0);
    if (rc != FWS_EXIT_OK && rc != FWS_EXIT_IO)
        fz_fail("%s: status %d", ext[kind], rc);
    if (rc == FWS_EXIT_OK && g.calls != 1)
        fz_fail("%s: accepted with %d components", ext[kind], g.calls);
    return 0;
}
