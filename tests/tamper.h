/* SPDX-License-Identifier: MIT */
/* In-process decisions on container bytes in memory: the host's decide()
 * that `fwseal verify` runs (tp_*) and the device verifier that `fwsv`
 * runs (vp_*), without a process per case, so that every bit flip and
 * every truncation can be tried. */
#ifndef FWS_TAMPER_H
#define FWS_TAMPER_H

#include "decide.h"
#include "fixture.h"
#include "fws_verify.h"

typedef struct {
    fws_key trusted[3];
    fws_key device;
    policy p;
} test_policy;

/* Loads DIR/NAME (no passphrase). */
void tp_load_key(const fixture *f, const char *name, fws_key *k);
/* Trusts sign1 (and sign2, sign3 when n_trusted > 1) for class
 * "test/class"; device key file name or NULL. */
void tp_init(test_policy *tp, const fixture *f, int n_trusted, const char *device_key);
/* Decides on buf; returns 1 if accepted; *reason gets the reason name. */
int tp_decide(const test_policy *tp, const uint8_t *buf, size_t len, const char **reason);

/* The device's policy: trusted keys, class "test/class", counter floor 0,
 * chunks up to 64 KiB, windows up to 2^15, and a device key or none. */
typedef struct {
    uint8_t trusted[8][32];
    uint8_t class_id[16];
    fws_key dev;
    fws_policy p;
} vpol;

/* trust: space-separated key names ("sign1 sign2"); device: key file or NULL. */
void vp_init(vpol *v, const fixture *f, const char *trust, const char *device);
/* fws_install over c[0..len), pushed step bytes at a time (0: in one
 * push), without a sink; returns the status. */
int vp_status(const vpol *v, const uint8_t *c, size_t len, size_t step);

/* A small two-component container in DIR/OUT (2,500 text bytes "app",
 * 700 random bytes "cfg", 256-byte chunks, META build=7) packed with ARGS
 * by fx_pack; returns its bytes (malloc'ed). */
uint8_t *tp_pack_small(const fixture *f, const char *out, const char *args, size_t *len);

/* Offsets of a container's parts, computed from SPEC.md's layout. */
typedef struct {
    size_t manifest_len, sig_block, cap_block, payload;
    uint32_t chunk_size;
    uint64_t payload_len;
} layout;
void layout_of(const uint8_t *c, size_t len, layout *l);

#endif
