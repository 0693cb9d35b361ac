/* SPDX-License-Identifier: MIT */
/*
 * Install behind the signature: the input is taken as a container, the
 * harness repairs what a mutation breaks and a fuzzer cannot repair (key
 * commitment, zlib check bits and Adler-32, component sizes and digests,
 * the chunk hash chain and H0) as the fix byte asks, re-signs the signed
 * region with the trusted test key, and runs install compared with the
 * host's decide() as fuzz_install does.  So mutations of the manifest,
 * the capsules and the payload reach the parser and the pipeline behind
 * each check.
 *
 * Input: split byte, mode byte (FZ_MODE_*), fix byte (FZ_FIX_*), then the
 * container (seeds are containers signed by sign1).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fz_keys keys;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t *c;
    size_t len;
    if (!ready) {
        fz_keys_init(&keys);
        ready = 1;
    }
    if (size < 3)
        return 0;
    c = fz_fix(&keys, data + 3, size - 3, data[2], data[1], &len);
    fz_check_install(&keys, c, len, data[0], data[1]);
    free(c);
    return 0;
}
