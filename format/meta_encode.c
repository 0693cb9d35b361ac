/* SPDX-License-Identifier: MIT */
/* Canonical META encoder (SPEC.md, "META"): the counterpart of
 * fws_meta_next() and the META checks in manifest_decode.c.  Used by the
 * host; a device links only the decoder. */
#include "fws_bytes.h"
#include "fws_manifest.h"

int fws_meta_entry_check(const fws_meta_entry *e)
{
    if (!fws_meta_key_valid(e->key, e->key_len))
        return FWS_META_E_KEY;
    if (e->value_len > FWS_MAX_META_VALUE)
        return FWS_META_E_VALUE;
    return 0;
}

/* Field by field: a struct assignment may become a memcpy call, which
 * format/ must not make. */
static void swap(fws_meta_entry *x, fws_meta_entry *y)
{
    const uint8_t *p;
    size_t n;
    p = x->key, x->key = y->key, y->key = p;
    n = x->key_len, x->key_len = y->key_len, y->key_len = n;
    p = x->value, x->value = y->value, y->value = p;
    n = x->value_len, x->value_len = y->value_len, y->value_len = n;
}

int fws_meta_encode(fws_meta_entry *e, size_t n, uint8_t *out, size_t cap, size_t *len,
                    size_t *bad)
{
    size_t i, j, total = 0, pos = 0;
    int err;
    *len = 0;
    for (i = 0; i < n; i++) {
        if ((err = fws_meta_entry_check(&e[i])) != 0) {
            *bad = i;
            return err;
        }
        total += 3 + e[i].key_len + e[i].value_len;
    }
    /* Insertion sort: a command line's worth of entries. */
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && fws_meta_key_cmp(e[j].key, e[j].key_len, e[j - 1].key,
                                              e[j - 1].key_len) < 0; j--)
            swap(&e[j], &e[j - 1]);
    for (i = 1; i < n; i++)
        if (fws_meta_key_cmp(e[i].key, e[i].key_len, e[i - 1].key, e[i - 1].key_len) == 0) {
            *bad = i;
            return FWS_META_E_DUPLICATE;
        }
    if (total > 0xFFFF || total > cap) {
        *bad = n;
        *len = total;
        return FWS_META_E_SPACE;
    }
    for (i = 0; i < n; i++) {
        out[pos++] = (uint8_t)e[i].key_len;
        fws_copy(out + pos, e[i].key, e[i].key_len);
        pos += e[i].key_len;
        fws_store16_le(out + pos, (uint16_t)e[i].value_len);
        pos += 2;
        fws_copy(out + pos, e[i].value, e[i].value_len);
        pos += e[i].value_len;
    }
    *len = pos;
    return 0;
}
