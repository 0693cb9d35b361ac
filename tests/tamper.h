/* In-process decisions on container bytes in memory: the same decide()
 * that `fwseal verify` runs, without a process per case, so that every
 * bit flip and every truncation can be tried. */
#ifndef FWS_TAMPER_H
#define FWS_TAMPER_H

#include "decision.h"
#include "fixture.h"

typedef struct {
    fws_key trusted[3];
    fws_key device;
    policy p;
} test_policy;

/* Trusts sign1 (and sign2, sign3 when n_trusted > 1); device key file name or NULL. */
void tp_init(test_policy *tp, const fixture *f, int n_trusted, const char *device_key);
/* Decides on buf; returns 1 if accepted; *reason gets the reason name. */
int tp_decide(const test_policy *tp, const uint8_t *buf, size_t len, const char **reason);

/* Offsets of a container's parts, computed from SPEC.md's layout. */
typedef struct {
    size_t manifest_len, sig_block, cap_block, payload;
    uint32_t chunk_size;
    uint64_t payload_len;
} layout;
void layout_of(const uint8_t *c, size_t len, layout *l);

#endif
