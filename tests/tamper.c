#include "tamper.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fws_bytes.h"
#include "fws_manifest.h"

void tp_init(test_policy *tp, const fixture *f, int n_trusted, const char *device_key)
{
    static const char *pubs[] = {"sign1.pub", "sign2.pub", "sign3.pub"};
    fws_passphrase_src pp = {NULL, NULL};
    memset(tp, 0, sizeof *tp);
    for (int i = 0; i < n_trusted; i++) {
        char *p = fx_path(f, pubs[i]);
        cr_assert_eq(fws_key_load(p, &pp, &tp->trusted[i]), 0);
        free(p);
    }
    tp->p.trusted = tp->trusted;
    tp->p.n_trusted = n_trusted;
    tp->p.threshold = 1;
    if (device_key) {
        char *p = fx_path(f, device_key);
        cr_assert_eq(fws_key_load(p, &pp, &tp->device), 0);
        free(p);
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
