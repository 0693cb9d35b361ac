#!/bin/sh
# SPDX-License-Identifier: MIT
# The session of examples/sim/README.md, run for real in a temporary
# directory: keys, a device, three updates, a revert, a refused rollback,
# a power cut in the middle of an install, a damaged image, and a second
# device that trusts a root key through a signing-key rotation.
#   BUILD=build sh examples/sim/demo.sh     (needs $BUILD/fwseal and $BUILD/sim)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in /*) ;; *) BUILD=$top/$BUILD ;; esac
for b in fwseal sim; do
    [ -x "$BUILD/$b" ] || { echo "demo: $BUILD/$b missing (make $BUILD/$b)" >&2; exit 3; }
done
dir=$(mktemp -d "${TMPDIR:-/tmp}/fwseal-sim.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cd "$dir" || exit 3
mkdir build && ln -s "$BUILD/fwseal" build/fwseal && ln -s "$BUILD/sim" build/sim

run() {
    echo "\$ $*"
    "$@" 2>&1
    rc=$?
    [ $rc -ne 0 ] && echo "(exit status $rc)"
    return 0
}
# Three "firmware images": 60 KiB of text each.
for v in 1 2 3; do
    seq 1 12000 | sed "s/^/firmware $v.0 line /" | head -c 61440 >fw-v$v.bin
done
CLASS=acme.example/thermostat-v2
pack() {   # pack OUT VERSION COUNTER FIRMWARE
    run build/fwseal pack -o "$1" --key release.key --version "$2" --counter "$3" \
        --class $CLASS -e device.pub app="$4"
}

echo "## Keys and a device"
run build/fwseal keygen --type ed25519 -o release --no-passphrase
run build/fwseal keygen --type x25519 -o device --no-passphrase
run build/fwseal device-config --trust release.pub --class $CLASS --device-key device.pub \
    -o fws_device_config.h
run build/fwseal secret device.key --format hex -o device.secret
run build/sim init --flash dev.flash --config fws_device_config.h --key device.secret
run build/sim boot --flash dev.flash

echo; echo "## First image: installed, trial boot, confirmed"
pack v1.fws 1.0.0 1 fw-v1.bin
run build/sim stage --flash dev.flash v1.fws
run build/sim boot --flash dev.flash
run build/sim confirm --flash dev.flash
run build/sim boot --flash dev.flash

echo; echo "## An update that is never confirmed reverts"
pack v2.fws 2.0.0 2 fw-v2.bin
run build/sim stage --flash dev.flash v2.fws
run build/sim boot --flash dev.flash
run build/sim boot --flash dev.flash

echo; echo "## A fixed update, confirmed: the floor rises"
pack v2.1.fws 2.1.0 2 fw-v2.bin
run build/sim stage --flash dev.flash v2.1.fws
run build/sim boot --flash dev.flash
run build/sim confirm --flash dev.flash

echo; echo "## A rollback is refused at install"
run build/sim stage --flash dev.flash v1.fws
run build/sim boot --flash dev.flash

echo; echo "## Power fails in the middle of an install"
pack v3.fws 3.0.0 3 fw-v3.bin
run build/sim stage --flash dev.flash v3.fws
run build/sim boot --flash dev.flash --cut 100
run build/sim status --flash dev.flash
run build/sim boot --flash dev.flash
run build/sim confirm --flash dev.flash

echo; echo "## The image is verified in place at every boot"
run build/sim program --flash dev.flash 0x6000 00   # one byte of slot A's image
run build/sim boot --flash dev.flash

echo; echo "## Rotating a signing key"
run build/fwseal keygen --type ed25519 -o root --no-passphrase
run build/fwseal keygen --type ed25519 -o signing-g5 --no-passphrase
run build/fwseal keygen --type ed25519 -o signing-g6 --no-passphrase
run build/fwseal cert issue --root root.key --subject signing-g5.pub --generation 5 \
    -o signing-g5.cert
run build/fwseal cert issue --root root.key --subject signing-g6.pub --generation 6 \
    -o signing-g6.cert
run build/fwseal device-config --trust-root root.pub --class $CLASS --device-key device.pub \
    -o fws_device_config_root.h
run build/sim init --flash rot.flash --config fws_device_config_root.h --key device.secret
run build/fwseal pack -o g5-v1.fws --key signing-g5.key --cert signing-g5.cert --version 1.0.0 \
    --counter 1 --class $CLASS -e device.pub app=fw-v1.bin
run build/sim stage --flash rot.flash g5-v1.fws
run build/sim boot --flash rot.flash
run build/sim confirm --flash rot.flash
run build/fwseal pack -o g6-v2.fws --key signing-g6.key --cert signing-g6.cert \
    --min-key-generation 6 --version 2.0.0 --counter 2 --class $CLASS -e device.pub \
    app=fw-v2.bin
run build/sim stage --flash rot.flash g6-v2.fws
run build/sim boot --flash rot.flash
run build/sim confirm --flash rot.flash
run build/fwseal pack -o g5-v3.fws --key signing-g5.key --cert signing-g5.cert --version 3.0.0 \
    --counter 3 --class $CLASS -e device.pub app=fw-v3.bin
run build/sim stage --flash rot.flash g5-v3.fws
run build/sim boot --flash rot.flash
