#!/bin/sh
# SPDX-License-Identifier: MIT
# make demo: the five-minute tour, run for real on the bundled firmware.
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
FWSEAL="$BUILD/fwseal"
D="$BUILD/demo"
step() { printf '\n==> %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

rm -rf "$D"
mkdir -p "$D"

step "1. Build the example firmware (a real program) and an Intel HEX image of it"
run "$CC" -Os -DFW_VERSION='"1.4.2"' -o "$D/blinky" examples/firmware/blinky.c
run "$D/blinky"
run objcopy -I binary -O ihex --change-addresses 0x08000000 "$D/blinky" "$D/blinky.hex"

step "2. Generate throw-away keys: a release signing key (passphrase from the"
echo "    environment, as CI would do) and the device's X25519 key"
export FWSEAL_DEMO_PASSPHRASE="demo passphrase, not a secret"
run "$FWSEAL" keygen --type ed25519 -o "$D/release" --passphrase-env FWSEAL_DEMO_PASSPHRASE
run "$FWSEAL" keygen --type x25519 -o "$D/device" --no-passphrase
run "$FWSEAL" pubkey "$D/release.pub" --format c

step "3. Pack: compress, encrypt to the device, sign, bind to the device class"
run "$FWSEAL" pack -o "$D/blinky-1.4.2.fws" --key "$D/release.key" \
    --passphrase-env FWSEAL_DEMO_PASSPHRASE \
    --version 1.4.2+17 --counter 3 --class acme.example/thermostat-v2 \
    --encrypt-to "$D/device.pub" --meta git=demo --meta channel=stable \
    app="$D/blinky.hex" config=examples/firmware/config.txt@0x0807F000

step "4. Inspect (no key needed)"
run "$FWSEAL" inspect "$D/blinky-1.4.2.fws"

step "5. Verify as the device would (trusted key, class, rollback floor, device key)"
run "$FWSEAL" verify "$D/blinky-1.4.2.fws" --trust "$D/release.pub" \
    --class acme.example/thermostat-v2 --min-counter 2 --key "$D/device.key"

step "6. A device whose floor is already 4 refuses it (exit status 1)"
if "$FWSEAL" verify "$D/blinky-1.4.2.fws" --trust "$D/release.pub" \
    --class acme.example/thermostat-v2 --min-counter 4 --key "$D/device.key"; then
    echo "demo: rollback was accepted" >&2
    exit 1
fi

step "7. Unpack and compare with the inputs"
run "$FWSEAL" unpack "$D/blinky-1.4.2.fws" --trust "$D/release.pub" \
    --class acme.example/thermostat-v2 --key "$D/device.key" -o "$D/out"
run cmp "$D/blinky" "$D/out/app"
run cmp examples/firmware/config.txt "$D/out/config"
run ls -l "$D/blinky" "$D/blinky-1.4.2.fws" "$D/out/app"
printf '\nround trip confirmed: unpacked components are identical to the inputs\n'
