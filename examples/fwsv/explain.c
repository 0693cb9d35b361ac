/* SPDX-License-Identifier: MIT */
#include "explain.h"

#include <stdio.h>
#include <string.h>

#include "fws_bytes.h"
#include "inflate.h"

/* A header or manifest error, located by decoding the bytes again with the
 * diagnostics the device build leaves out. */
static void format_error(const fwsv_refusal *r, int status, char *buf, size_t n)
{
    fws_header h;
    fws_manifest m;
    fws_diag d;
    if (!r->signed_region || r->signed_len < FWS_HEADER_LEN) {
        snprintf(buf, n, "malformed container");
        return;
    }
    if (fws_header_decode(r->signed_region, &h) == status) {
        snprintf(buf, n, "header: %s",
                 status == FWS_E_MAGIC     ? "not a fwseal container (bad magic)"
                 : status == FWS_E_VERSION ? "unsupported format version"
                 : status == FWS_E_RESERVED ? "reserved bytes are not zero"
                                            : "manifest length is 0 or above 8192");
        return;
    }
    if (r->signed_len == FWS_HEADER_LEN + (size_t)h.manifest_len &&
        fws_manifest_decode(r->signed_region + FWS_HEADER_LEN, h.manifest_len, &m, &d) == status) {
        const char *br = strstr(d.field, "[]");
        if (br)
            snprintf(buf, n, "manifest field %.*s[%u]%s at offset %u", (int)(br - d.field),
                     d.field, d.index, br + 2, (unsigned)(FWS_HEADER_LEN + d.offset));
        else
            snprintf(buf, n, "manifest field %s at offset %u", d.field,
                     (unsigned)(FWS_HEADER_LEN + d.offset));
        return;
    }
    snprintf(buf, n, "malformed container");
}

static const char *name_of(const fws_manifest *m, int i, char out[FWS_MAX_NAME + 1])
{
    if (!m || i < 0 || i >= m->n_components)
        return "?";
    memcpy(out, m->comp[i].name, m->comp[i].name_len);
    out[m->comp[i].name_len] = 0;
    return out;
}

void fwsv_explain(const fwsv_refusal *r, int status, char *buf, size_t n)
{
    char what[256], name[FWS_MAX_NAME + 1];
    const fws_manifest *m = r->m;
    const fws_policy *p = r->p;
    const char *comp = name_of(m, r->component, name);
    switch (status) {
    case FWS_E_TRUNCATED: snprintf(what, sizeof what, "the container ends early"); break;
    case FWS_E_TRAILING: snprintf(what, sizeof what, "bytes after the last chunk"); break;
    case FWS_E_SIG_BLOCK: snprintf(what, sizeof what, "malformed signature block"); break;
    case FWS_E_CAPSULE_BLOCK: snprintf(what, sizeof what, "malformed key-capsule block"); break;
    case FWS_E_LIMIT_MANIFEST:
        snprintf(what, sizeof what, "the manifest is above the device's %u-byte limit",
                 (unsigned)FWS_CFG_MAX_MANIFEST);
        break;
    case FWS_E_LIMIT_CHUNK:
        snprintf(what, sizeof what, "chunk size %lu is above the device's limit %lu",
                 m ? (unsigned long)m->chunk_size : 0ul, (unsigned long)p->max_chunk);
        break;
    case FWS_E_LIMIT_WINDOW:
        snprintf(what, sizeof what, "a component needs a larger inflate window than the "
                                    "device's 2^%u bytes", (unsigned)p->max_wbits);
        break;
    case FWS_E_LIMIT_SIZE:
        snprintf(what, sizeof what, "a component is larger than the device's %llu bytes",
                 (unsigned long long)p->max_size);
        break;
    case FWS_E_WRONG_CLASS:
        snprintf(what, sizeof what, "the container is for another device class");
        break;
    case FWS_E_ROLLBACK:
        snprintf(what, sizeof what, "security counter %lu is below the floor %lu",
                 m ? (unsigned long)m->counter : 0ul, (unsigned long)p->counter_floor);
        break;
    case FWS_E_UNTRUSTED:
        snprintf(what, sizeof what, "no valid signature by a trusted %s(%u signature entr%s)",
                 p->n_roots ? "or certified key " : "key ", r->n_entries,
                 r->n_entries == 1 ? "y" : "ies");
        if (r->n_entries == FWSV_UNKNOWN)
            snprintf(what, sizeof what, "no valid signature by a trusted %s",
                     p->n_roots ? "or certified key" : "key");
        break;
    case FWS_E_THRESHOLD:
        if (r->n_signers == FWSV_UNKNOWN)
            snprintf(what, sizeof what, "fewer distinct trusted keys signed than the threshold %u",
                     p->threshold);
        else
            snprintf(what, sizeof what, "only %u distinct trusted key%s signed, the threshold is %u",
                     r->n_signers, r->n_signers == 1 ? "" : "s", p->threshold);
        break;
    case FWS_E_KEY_REVOKED:
        snprintf(what, sizeof what, "too few signers count: a certified key below the "
                                    "key-generation floor %lu signed (revoked)",
                 (unsigned long)p->key_generation_floor);
        break;
    case FWS_E_KEYGEN_ABOVE_SIGNER:
        snprintf(what, sizeof what, "MIN_KEY_GENERATION %lu is above the generation of a "
                                    "certified signer: a release may not revoke its own key",
                 m ? (unsigned long)m->min_key_generation : 0ul);
        break;
    case FWS_E_NO_CAPSULE:
        snprintf(what, sizeof what, "no key capsule for this device's key");
        break;
    case FWS_E_KEY_COMMITMENT:
        snprintf(what, sizeof what, "the unwrapped content key does not match the signed key "
                                    "commitment");
        break;
    case FWS_E_CHUNK_HASH:
        snprintf(what, sizeof what, "chunk %llu at payload offset %llu: hash mismatch",
                 (unsigned long long)r->chunk_index, (unsigned long long)r->payload_offset);
        break;
    case FWS_E_INFLATE:
        snprintf(what, sizeof what, "component '%s': %s", comp,
                 r->inflate_err ? fws_inflate_error_name(r->inflate_err)
                                : "the zlib stream does not end at the component's end");
        break;
    case FWS_E_SIZE:
        snprintf(what, sizeof what, "component '%s' does not have its declared %llu bytes", comp,
                 m && r->component >= 0 ? (unsigned long long)m->comp[r->component].size : 0ull);
        break;
    case FWS_E_DIGEST:
        snprintf(what, sizeof what, "component '%s': %s differs from the manifest", comp,
                 m && m->encrypted ? "the keyed (HMAC-SHA256) digest" : "the SHA-256 digest");
        break;
    case FWS_E_SINK: snprintf(what, sizeof what, "writing component '%s' failed", comp); break;
    case FWS_E_READ: snprintf(what, sizeof what, "reading component '%s' failed", comp); break;
    default:
        if (status > FWS_OK && status < FWS_FORMAT_ERRORS)
            format_error(r, status, what, sizeof what);
        else
            snprintf(what, sizeof what, "%s", fws_status_name(status));
        break;
    }
    snprintf(buf, n, "%s (%s)", what, fws_status_name(status));
}
