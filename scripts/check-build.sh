#!/bin/sh
# SPDX-License-Identifier: MIT
# Run by make before it compiles: says which compiler or library header is
# missing, and how to get it, instead of the first compiler error.
# Environment: CC (may carry arguments, e.g. "ccache gcc"), CPPFLAGS.
set -u
CC=${CC:-cc}
cc_cmd=${CC%% *}
hint="on Debian/Ubuntu 'make deps-build' installs them"
if ! command -v "$cc_cmd" >/dev/null 2>&1; then
    echo "fwseal: no C compiler: '$cc_cmd' not found; set CC, or install gcc and libc6-dev ($hint)" >&2
    exit 1
fi
# All at once; one by one only to name what is missing.
# shellcheck disable=SC2086
if printf '#include <sodium.h>\n#include <zlib.h>\n#include <archive.h>\n#include <p11-kit/pkcs11.h>\n#include <sqlite3.h>\n' |
    $CC ${CPPFLAGS:-} -E -x c - >/dev/null 2>&1; then
    exit 0
fi
missing=""
for pair in stdio.h:libc6-dev sodium.h:libsodium-dev zlib.h:zlib1g-dev archive.h:libarchive-dev \
    p11-kit/pkcs11.h:libp11-kit-dev sqlite3.h:libsqlite3-dev; do
    # shellcheck disable=SC2086
    printf '#include <%s>\n' "${pair%%:*}" | $CC ${CPPFLAGS:-} -E -x c - >/dev/null 2>&1 ||
        missing="$missing ${pair%%:*} (${pair#*:})"
done
if [ -z "$missing" ]; then
    echo "fwseal: $CC cannot preprocess a file including <sodium.h>, <zlib.h>, <archive.h>," \
        "<p11-kit/pkcs11.h> and <sqlite3.h>;" \
        "check CC and CPPFLAGS" >&2
else
    echo "fwseal: library headers not found:$missing; $hint" >&2
fi
exit 1
