/* SPDX-License-Identifier: MIT */
#include "fws_format.h"

const char *fws_format_err_name(int err)
{
    static const char *const names[FWS_FORMAT_ERRORS] = {
        "ok",
        "truncated",
        "bad_magic",
        "unsupported_version",
        "reserved_bits_set",
        "bad_manifest_size",
        "field_order",
        "field_length",
        "unknown_critical_field",
        "missing_field",
        "component_count",
        "bad_component_name",
        "duplicate_component_name",
        "bad_compression",
        "inconsistent_sizes",
        "bad_chunk_size",
        "bad_encryption",
        "bad_metadata",
        "trailing_bytes",
        "bad_signature_block",
        "bad_capsule_block",
    };
    if (err < 0 || err >= FWS_FORMAT_ERRORS)
        return "unknown_error";
    return names[err];
}
