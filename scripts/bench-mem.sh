#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench-mem: peak RSS of fwseal pack, verify and unpack on a 1 GiB
# input (real binaries from the system, concatenated), measured with GNU
# time.  Writes $BUILD/bench-mem.md.  Not part of `make test`.
set -eu
BUILD=${BUILD:-build}
SIZE_MIB=${SIZE_MIB:-1024}
[ -x /usr/bin/time ] || { echo "bench-mem: /usr/bin/time not found; 'make deps-bench-mem' installs it" >&2; exit 2; }
FWSEAL="$BUILD/fwseal"
D="$BUILD/bench-mem"
rm -rf "$D"
mkdir -p "$D"

echo "building a ${SIZE_MIB} MiB input from /usr/bin and /usr/lib ..."
find /usr/bin /usr/lib -type f -size +16k 2>/dev/null | sort | while read -r f; do
    cat "$f" 2>/dev/null || true
done | head -c $((SIZE_MIB * 1024 * 1024)) > "$D/input.bin" || true
while [ "$(stat -c %s "$D/input.bin")" -lt $((SIZE_MIB * 1024 * 1024)) ]; do
    head -c $((SIZE_MIB * 1024 * 1024 - $(stat -c %s "$D/input.bin"))) "$D/input.bin" > "$D/more"
    cat "$D/more" >> "$D/input.bin"
    rm -f "$D/more"
done
"$FWSEAL" keygen --type ed25519 -o "$D/sign" --no-passphrase >/dev/null
"$FWSEAL" keygen --type x25519 -o "$D/dev" --no-passphrase >/dev/null

# measure LABEL CMD...: prints "| LABEL | seconds | peak RSS MiB |"
measure() {
    label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$D/time.txt" "$@" >/dev/null
    read -r secs kib < "$D/time.txt"
    printf '| %s | %s | %s |\n' "$label" "$secs" "$(awk "BEGIN{printf \"%.1f\", $kib/1024}")"
}

{
    echo "Input: ${SIZE_MIB} MiB of system binaries, level 6, chunk 4096, encrypted to one X25519 key."
    echo
    echo "| step | wall s | peak RSS MiB |"
    echo "|---|---|---|"
    measure "fwseal pack" "$FWSEAL" pack -o "$D/big.fws" --key "$D/sign.key" --version 1.0.0 \
        --counter 1 --class bench --encrypt-to "$D/dev.pub" app="$D/input.bin"
    measure "fwseal verify --key" "$FWSEAL" verify "$D/big.fws" --trust "$D/sign.pub" --class bench --key "$D/dev.key"
    measure "fwseal unpack" "$FWSEAL" unpack "$D/big.fws" --trust "$D/sign.pub" --class bench --key "$D/dev.key" -o "$D/out"
} > "$BUILD/bench-mem.md"
cmp "$D/input.bin" "$D/out/app"
echo "container: $(stat -c %s "$D/big.fws") bytes for $(stat -c %s "$D/input.bin") input bytes" >> "$BUILD/bench-mem.md"
cat "$BUILD/bench-mem.md"
rm -rf "$D"
