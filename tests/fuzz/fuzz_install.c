/* SPDX-License-Identifier: MIT */
/*
 * The verifier's install entry point on arbitrary bytes, pushed in
 * arbitrary splits, with a device that trusts the test keys (so the
 * signature checks and everything after them are reached on the seeds and
 * their mutations of unsigned parts), compared with the host's
 * independent decide() on the same policy.
 *
 * Input: split byte (0 one buffer, 1 byte by byte, else random pieces),
 * mode byte (FZ_MODE_*: device key, class check, threshold, small limits,
 * counter floor), then the container.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static fz_keys keys;
static int ready;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        fz_keys_init(&keys);
        ready = 1;
    }
    if (size < 2)
        return 0;
    fz_check_install(&keys, data + 2, size - 2, data[0], data[1]);
    return 0;
}
