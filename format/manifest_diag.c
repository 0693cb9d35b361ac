/* SPDX-License-Identifier: MIT */
/* The manifest decoder with field names for diagnostics (the host's
 * `fwseal inspect`): fws_manifest_decode_at, its field id turned into the
 * name.  Apart from the decoder so that a device, which needs only the
 * verdict, links no names. */
#include "fws_manifest.h"

const char *fws_manifest_field_name(uint8_t field)
{
    /* In FWS_MF_* order, each ended by a NUL: one array, no pointers. */
    static const char names[] =
        "manifest\0version\0counter\0class\0timestamp\0payload\0encryption\0components\0"
        "min_key_generation\0meta\0unknown field\0payload.chunk_size\0"
        "payload.first_chunk_hash\0encryption.algorithm\0payload.length\0components.count\0"
        "components[]\0components[].name\0components[].size\0components[].digest\0"
        "components[].stored_size\0components[].compression\0components[].field";
    const char *p = names;
    if (field >= FWS_MF_FIELDS)
        return names;
    while (field--)
        while (*p++)
            ;
    return p;
}

int fws_manifest_decode(const uint8_t *buf, size_t len, fws_manifest *m, fws_diag *diag)
{
    fws_manifest_at at;
    int rc = fws_manifest_decode_at(buf, len, m, &at);
    if (diag) {
        diag->offset = at.offset;
        diag->field = fws_manifest_field_name(at.field);
        diag->index = at.index;
    }
    return rc;
}
