/* SPDX-License-Identifier: MIT */
#include "tamper.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_class_id.h"
#include "fws_bytes.h"
#include "fws_manifest.h"

void tp_load_key(const fixture *f, const char *name, fws_key *k)
{
    fws_passphrase_src pp = {NULL, NULL};
    char *path = fx_path(f, name);
    cr_assert_eq(fws_key_load(path, &pp, k), 0, "%s", path);
    free(path);
}

void tp_init(test_policy *tp, const fixture *f, int n_trusted, const char *device_key)
{
    static const char *pubs[] = {"sign1.pub", "sign2.pub", "sign3.pub"};
    memset(tp, 0, sizeof *tp);
    for (int i = 0; i < n_trusted; i++)
        tp_load_key(f, pubs[i], &tp->trusted[i]);
    tp->p.trusted = tp->trusted;
    tp->p.n_trusted = n_trusted;
    tp->p.threshold = 1;
    tp->p.check_class = 1;   /* as fx_verify: --class test/class */
    host_class_id("test/class", tp->p.class_id);
    if (device_key) {
        tp_load_key(f, device_key, &tp->device);
        tp->p.device_key = &tp->device;
    }
}

int tp_decide(const test_policy *tp, const uint8_t *buf, size_t len, const char **reason)
{
    static container c;   /* large; one per test process */
    verdict v;
    /* fmemopen cannot open 0 bytes; an empty stream is an empty file. */
    static const uint8_t dummy[1];
    FILE *f = fmemopen((void *)(len ? buf : dummy), len ? len : 1, "rb");
    cr_assert(f);
    if (!len)
        fgetc(f);
    container_open_stream(&c, f, "mem");
    decide(&c, &tp->p, NULL, &v);
    container_close(&c);   /* closes f */
    if (reason)
        *reason = v.reason;
    return v.accepted && (v.components_checked || tp->p.device_key == NULL);
}

void vp_init(vpol *v, const fixture *f, const char *trust, const char *device)
{
    char names[128], *tok, *save;
    memset(v, 0, sizeof *v);
    snprintf(names, sizeof names, "%s", trust);
    for (tok = strtok_r(names, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        char file[64];
        fws_key k;
        cr_assert(v->p.n_trusted < 8);
        snprintf(file, sizeof file, "%s.pub", tok);
        tp_load_key(f, file, &k);
        memcpy(v->trusted[v->p.n_trusted++], k.pub, 32);
    }
    v->p.trusted = (const uint8_t(*)[32])v->trusted;
    v->p.threshold = 1;
    host_class_id("test/class", v->class_id);
    v->p.class_id = v->class_id;
    v->p.max_chunk = 65536;
    v->p.max_size = UINT64_MAX;
    v->p.max_wbits = 15;
    if (device) {
        tp_load_key(f, device, &v->dev);
        if (v->dev.type == FWS_KEY_X25519) {
            v->p.x25519_secret = v->dev.secret;
            v->p.x25519_public = v->dev.pub;
        } else {
            v->p.psk = v->dev.secret;
        }
    }
}

int vp_status(const vpol *v, const uint8_t *c, size_t len, size_t step)
{
    /* Kept between calls: a fresh megabyte per case would dominate the
     * exhaustive suites' time under AddressSanitizer. */
    static uint8_t *work;
    static size_t work_cap;
    static fws_install_ctx ctx_store;
    fws_install_ctx *ctx = &ctx_store;
    size_t work_len = FWS_WORK_SIZE(v->p.max_chunk, v->p.max_wbits), pos = 0;
    int rc;
    if (work_len > work_cap) {
        free(work);
        work = malloc(work_cap = work_len);
        cr_assert(work);
    }
    rc = fws_install_init(ctx, &v->p, NULL, work, work_len);
    cr_assert_eq(rc, FWS_OK, "init: %s", fws_status_name(rc));
    while (rc == FWS_OK && pos < len) {
        size_t n = step && step < len - pos ? step : len - pos;
        rc = fws_install_push(ctx, c + pos, n);
        pos += n;
    }
    return rc ? rc : fws_install_finish(ctx, NULL);
}

uint8_t *tp_pack_small(const fixture *f, const char *out, const char *args, size_t *len)
{
    uint8_t a[2500], b[700];
    char argv[512];
    fill_text(a, sizeof a, 21);
    fill_random(b, sizeof b, 22);
    free(fx_write(f, "a.bin", a, sizeof a));
    free(fx_write(f, "b.bin", b, sizeof b));
    snprintf(argv, sizeof argv, "--chunk-size 256 --meta build=7 %s app=a.bin cfg=b.bin", args);
    return fx_pack_bytes(f, out, argv, len);
}

void layout_of(const uint8_t *c, size_t len, layout *l)
{
    fws_manifest m;
    size_t pos;
    cr_assert(len > FWS_HEADER_LEN);
    l->manifest_len = fws_load32_le(c + 8);
    cr_assert_eq(fws_manifest_decode(c + 16, l->manifest_len, &m, NULL), 0);
    l->chunk_size = m.chunk_size;
    l->payload_len = m.payload_len;
    l->sig_block = pos = FWS_HEADER_LEN + l->manifest_len;
    for (int n = c[pos++]; n > 0; n--)
        pos += 3 + fws_load16_le(c + pos + 1);
    l->cap_block = pos;
    for (int n = c[pos++]; n > 0; n--)
        pos += 3 + fws_load16_le(c + pos + 1);
    l->payload = pos;
}
