/* SPDX-License-Identifier: MIT */
/*
 * A fleet of 10,000 devices: keys made here (the secrets never leave the
 * test), their public keys imported as CSV, one container re-wrapped for
 * all of them by `fwseal rewrap --out-dir`, and every device's
 * head || capsule || payload installed by the verifier itself
 * (fws_install_*, in-process) with that device's key (accepted) and with
 * its neighbour's (refused: no_capsule).  Two threads share the 20,000
 * installs.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixture.h"
#include "fws_verify.h"
#include "keyfile.h"

#define N_DEVICES 10000
#define INSTALL_THREADS 2

static fixture fx;

typedef struct {
    uint8_t secret[32], pub[32];
} device;

static device *devices;
static uint8_t *head, *payload, trusted[32];
static size_t head_len, payload_len;

static void setup(void)
{
    cr_assert(sodium_init() >= 0);
    fx_init(&fx);
}
static void teardown(void)
{
    fx_free(&fx);
    free(devices);
    free(head);
    free(payload);
}
TestSuite(fleet_scale, .init = setup, .fini = teardown, .timeout = 300);

/* The verifier's decision on head || capsule || payload with a device's
 * key: a status. */
static int install(const uint8_t *capsule, size_t capsule_len, const device *d, uint8_t *work,
                   size_t work_len)
{
    fws_policy p;
    fws_install_ctx ctx;
    fws_sink sink = {NULL, NULL};
    int rc;
    memset(&p, 0, sizeof p);
    p.trusted = (const uint8_t(*)[32])trusted;
    p.n_trusted = 1;
    p.threshold = 1;
    p.class_id = FWS_CLASS_ANY;
    p.max_chunk = 4096;
    p.max_wbits = 15;
    p.max_size = UINT64_MAX;
    p.x25519_secret = d->secret;
    p.x25519_public = d->pub;
    rc = fws_install_init(&ctx, &p, &sink, work, work_len);
    if (rc == FWS_OK)
        rc = fws_install_push(&ctx, head, head_len);
    if (rc == FWS_OK)
        rc = fws_install_push(&ctx, capsule, capsule_len);
    if (rc == FWS_OK)
        rc = fws_install_push(&ctx, payload, payload_len);
    if (rc == FWS_OK)
        rc = fws_install_finish(&ctx, NULL);
    return rc;
}

typedef struct {
    int first, step;
    int accepted, refused;
    char failure[256];
} installer;

static void *install_range(void *arg)
{
    installer *in = arg;
    size_t work_len = FWS_WORK_SIZE(4096, 15);
    uint8_t *work = malloc(work_len);
    for (int i = in->first; i < N_DEVICES && !in->failure[0]; i += in->step) {
        char *path = path_fmt("%s/out/capsules/d%05d", fx.dir, i);
        size_t len;
        uint8_t *cap = file_read(path, &len);
        int own = cap ? install(cap, len, &devices[i], work, work_len) : -1;
        int other = cap ? install(cap, len, &devices[(i + 1) % N_DEVICES], work, work_len) : -1;
        if (own == FWS_OK)
            in->accepted++;
        if (other == FWS_E_NO_CAPSULE)
            in->refused++;
        if (own != FWS_OK || other != FWS_E_NO_CAPSULE)
            snprintf(in->failure, sizeof in->failure, "device %d: own key %s, neighbour's %s", i,
                     own < 0 ? "no capsule file" : fws_status_name(own),
                     other < 0 ? "-" : fws_status_name(other));
        free(cap);
        free(path);
    }
    free(work);
    return NULL;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

Test(fleet_scale, ten_thousand_devices_each_install_their_own_container)
{
    double t0 = seconds();
    /* 1. The devices: keys made here, public keys to a CSV. */
    devices = calloc(N_DEVICES, sizeof *devices);
    char *csv = fx_path(&fx, "fleet.csv");
    FILE *f = fopen(csv, "w");
    cr_assert(f);
    fputs("id,key\n", f);
    for (int i = 0; i < N_DEVICES; i++) {
        char hex[65];
        randombytes_buf(devices[i].secret, 32);
        crypto_scalarmult_base(devices[i].pub, devices[i].secret);
        sodium_bin2hex(hex, sizeof hex, devices[i].pub, 32);
        fprintf(f, "d%05d,%s\n", i, hex);
    }
    fclose(f);
    free(csv);
    uint8_t fw[6000];
    fill_text(fw, sizeof fw, 9);
    free(fx_write(&fx, "fw.bin", fw, sizeof fw));
    run_result r = run("cd '%s' && %s keygen --type x25519 -o dist --no-passphrase >/dev/null && "
                       "%s lot create factory --quota 10000 --registry fleet.db && "
                       "%s device import --registry fleet.db --class test/class "
                       "--lot factory fleet.csv && "
                       "%s pack -o rel.fws --key sign1.key --version 2.0.0 --counter 2 "
                       "--class test/class --chunk-size 1024 -e dist.pub app=fw.bin",
                       fx.dir, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    double t1 = seconds();
    /* 2. One re-wrap for the whole fleet. */
    r = run("cd '%s' && %s rewrap rel.fws --key dist.key --trust sign1.pub --registry fleet.db "
            "--out-dir out", fx.dir, FWSEAL_BIN);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strstr(r.out, "10000 capsules"), "%s", r.out);
    run_free(&r);
    double t2 = seconds();
    r = run("ls '%s/out/capsules' | wc -l", fx.dir);
    cr_assert_str_eq(r.out, "10000\n");
    run_free(&r);
    /* 3. Every device's container, installed by the verifier. */
    char *p = fx_path(&fx, "out/head");
    head = file_read(p, &head_len);
    free(p);
    p = fx_path(&fx, "out/payload");
    payload = file_read(p, &payload_len);
    free(p);
    p = fx_path(&fx, "sign1.pub");
    fws_key k;
    cr_assert_eq(fws_key_load_public(p, &k), 0);
    memcpy(trusted, k.pub, 32);
    free(p);
    cr_assert(head && payload);
    pthread_t th[INSTALL_THREADS];
    installer in[INSTALL_THREADS];
    for (int t = 0; t < INSTALL_THREADS; t++) {
        memset(&in[t], 0, sizeof in[t]);
        in[t].first = t;
        in[t].step = INSTALL_THREADS;
        cr_assert_eq(pthread_create(&th[t], NULL, install_range, &in[t]), 0);
    }
    int accepted = 0, refused = 0;
    for (int t = 0; t < INSTALL_THREADS; t++) {
        pthread_join(th[t], NULL);
        cr_assert_eq(in[t].failure[0], 0, "%s", in[t].failure);
        accepted += in[t].accepted;
        refused += in[t].refused;
    }
    cr_assert_eq(accepted, N_DEVICES);
    cr_assert_eq(refused, N_DEVICES);
    double t3 = seconds();
    fprintf(stderr, "fleet_scale: %d devices: keys and import %.1f s, rewrap %.1f s, "
                    "%d installs by the verifier %.1f s (all accepted with their own key, "
                    "refused with the neighbour's)\n",
            N_DEVICES, t1 - t0, t2 - t1, 2 * N_DEVICES, t3 - t2);
}
