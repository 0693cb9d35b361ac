#!/bin/sh
# SPDX-License-Identifier: MIT
# make qemu-demo: a real bare-metal bootloader built from the amalgamated
# verifier, installing and booting a signed, encrypted, compressed update
# on QEMU's mps2-an386 (Cortex-M4), and refusing bad ones.
#
# usage: scripts/qemu-demo.sh              build, then run every scenario
#        scripts/qemu-demo.sh build        build only (nothing if up to date)
#        scripts/qemu-demo.sh run NAME...  run scenarios (builds if needed)
#        scripts/qemu-demo.sh stage FILE   run with container FILE staged
#        scripts/qemu-demo.sh list         the scenario names
#
# Scenarios (the slot always starts with app 1.0.0, counter 2, installed at
# the factory with its boot record; the bootloader trusts release.pub
# directly and the signing keys root.pub certifies; its counter floor is 2,
# its key-generation floor 4):
#   good          update 1.1.0, counter 3: installed, verified, booted
#   tampered      the good container with one payload byte flipped
#   untrusted     signed by a key the bootloader does not trust
#   rollback      0.9.0 with counter 1, below the floor
#   wrong-class   packed for another device class
#   window        packed with --window-bits 15; the bootloader inflates 12
#   other-device  encrypted to another device's X25519 key
#   delegated     update 1.1.0 signed by a key the compiled-in root key
#                 certified (generation 5): installed, verified, booted
#   revoked       signed by a root-certified key of generation 3, below the
#                 bootloader's key-generation floor (4)
#   none          nothing staged: verify the slot and boot it
#   bad-slot      nothing staged, one byte of the installed image flipped:
#                 the boot check refuses and the bootloader halts
# Each bad update: the bootloader prints "refused: <reason>" (the
# verifier's fws_status_name) and boots the previous image.
#
# Environment:
#   BUILD         build directory (build); the host tool is $BUILD/fwseal
#                 (made with `make` if missing), FWSEAL overrides it
#   OUT           output directory ($BUILD/qemu-demo)
#   QEMU_TIMEOUT  seconds per QEMU run (30)
#   NO_BUILD=1    run/stage: use what is in $OUT, do not check it is up to date
# Everything generated (keys, fws_device_config.h, the C header with the
# device's secret key, ELF files, containers) stays in $OUT.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=${OUT:-$BUILD/qemu-demo}
FWSEAL=${FWSEAL:-$BUILD/fwseal}
FWSV=${FWSV:-$BUILD/fwsv}
QEMU_TIMEOUT=${QEMU_TIMEOUT:-30}
B=examples/qemu-m4
SCENARIOS="good tampered untrusted rollback wrong-class window other-device delegated revoked none bad-slot"

# The device (must match bootloader/layout.h and the link scripts).
CLASS="fwseal.example/qemu-mps2-an386"
OTHER_CLASS="fwseal.example/another-board"
FLOOR=2
KEYGEN_FLOOR=4
SLOT_ADDR=0x00100000
SLOT_SIZE=524288   # 0x00080000; the bootloader checks the config against it
RECORD_ADDR=0x00020000
STAGE_ADDR=0x00200000
CFG="-DFWS_CFG_MAX_MANIFEST=1024"   # this bootloader's manifest limit

CROSS_CC=arm-none-eabi-gcc

die() {
    echo "qemu-demo: $*" >&2
    exit 1
}

# ---- helpers ----

le32() { # N -> 4 bytes, little-endian, on stdout
    # shellcheck disable=SC2059
    printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
        $(($1 >> 16 & 255)) $(($1 >> 24 & 255)))"
}

byte_at() { # FILE OFFSET -> decimal
    od -An -v -tu1 -j"$2" -N1 "$1" | tr -d ' \n'
}

flip() { # FILE OFFSET: xor the byte with 0x01, in place
    v=$(($(byte_at "$1" "$2") ^ 1))
    # shellcheck disable=SC2059
    printf "$(printf '\\%03o' "$v")" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# stage CONTAINER OUTFILE: "FWUP", u32le length, the container.
make_stage() {
    { printf FWUP; le32 "$(wc -c <"$1")"; cat "$1"; } >"$2"
}

# ---- build ----

inputs_changed() {
    [ -f "$OUT/.built" ] || return 0
    [ -n "$(find "$B" format verifier mk/flags.mk scripts/qemu-demo.sh scripts/amalgamate.sh \
        "$FWSEAL" "$FWSV" \
        -newer "$OUT/.built" 2>/dev/null | head -n 1)" ]
}

build() {
    for c in arm-none-eabi-gcc arm-none-eabi-objcopy arm-none-eabi-size qemu-system-arm; do
        command -v "$c" >/dev/null 2>&1 || die "$c not found; 'make deps-qemu-demo' installs it"
    done
    . scripts/flags.sh
    ARCH=$FWS_ARCH_M4
    FW_CFLAGS="$ARCH $FWS_CROSS_CFLAGS"
    for tool in "$FWSEAL" "$FWSV"; do
        [ -x "$tool" ] || make --no-print-directory BUILD="$BUILD" "$tool" >&2 ||
            die "cannot build $tool"
    done
    inputs_changed || return 0
    echo "qemu-demo: building in $OUT" >&2
    rm -rf "$OUT"
    mkdir -p "$OUT/keys" "$OUT/gen" "$OUT/obj" "$OUT/containers"
    K=$OUT/keys G=$OUT/gen O=$OUT/obj C=$OUT/containers

    # 1. The verifier as a bootloader gets it: two files.
    scripts/amalgamate.sh "$OUT/dist" >&2

    # 2. Keys.  Unencrypted (--no-passphrase) because this is a throw-away
    # demo; a release key is passphrase-protected.
    for k in release rogue root signer-5 signer-3; do
        "$FWSEAL" keygen --type ed25519 --no-passphrase -o "$K/$k" >/dev/null
    done
    # Key rotation: the root certifies signing keys of generations 5 and 3
    # for this class; the device refuses generations below its floor (4).
    for g in 5 3; do
        "$FWSEAL" cert issue --root "$K/root.key" --subject "$K/signer-$g.pub" --generation "$g" \
            --class "$CLASS" -o "$K/signer-$g.cert" >/dev/null
    done
    for k in device other-device; do
        "$FWSEAL" keygen --type x25519 --no-passphrase -o "$K/$k" >/dev/null
    done

    # 3. What the bootloader compiles in: the device's policy and public
    # key, and its secret key (a product provisions that into a key store
    # instead).
    "$FWSEAL" device-config --trust "$K/release.pub" --trust-root "$K/root.pub" \
        --class "$CLASS" --max-chunk 1024 \
        --max-window-bits 12 --max-size "$SLOT_SIZE" --device-key "$K/device.pub" \
        -o "$G/fws_device_config.h"
    "$FWSEAL" secret "$K/device.key" --format c --name fws_device_x25519_secret \
        -o "$G/device_secret.h" 2>/dev/null

    # 4. Board support, shared by the bootloader and the application.
    board=""
    for s in startup uart uart_fmt semihost flash icount jump; do
        # shellcheck disable=SC2086
        $CROSS_CC $FW_CFLAGS -I$B -c "$B/$s.c" -o "$O/$s.o"
        board="$board $O/$s.o"
    done

    # 5. The application, three versions: a 16 KiB table gives it the size
    # of a small real firmware (app/main.c checks its sum).
    awk 'BEGIN {
        n = 8192; pi = atan2(0, -1); sum = 0
        print "/* Generated by scripts/qemu-demo.sh: a 16 KiB lookup table. */"
        print "#define APP_TABLE_LEN " n
        printf "static const int16_t app_table[APP_TABLE_LEN] = {"
        for (i = 0; i < n; i++) {
            # smooth high bytes, busy low bits: deflates to about half, like code
            v = int(100 * sin(2 * pi * i / n)) * 256 + (i * 7919) % 16
            sum += v
            printf "%s%d,", (i % 12 == 0 ? "\n    " : " "), v
        }
        print "\n};"
        printf "#define APP_TABLE_SUM (%d)\n", sum
    }' >"$G/app_table.h"
    for v in 1.0.0 1.1.0 0.9.0; do
        # shellcheck disable=SC2086
        $CROSS_CC $FW_CFLAGS -I$B -I"$G" "-DAPP_VERSION=\"$v\"" -c $B/app/main.c -o "$O/app-$v.o"
        # shellcheck disable=SC2086
        $CROSS_CC $ARCH $FWS_BARE_LDFLAGS -T $B/app/link.ld \
            -Wl,-Map="$OUT/app-$v.map" -o "$OUT/app-$v.elf" "$O/app-$v.o" $board -lgcc
        arm-none-eabi-objcopy -O binary "$OUT/app-$v.elf" "$OUT/app-$v.bin"
    done

    # 6. The bootloader: the amalgamation, main.c, the board.
    # shellcheck disable=SC2086
    $CROSS_CC $FW_CFLAGS $CFG -I"$OUT/dist" -c "$OUT/dist/fwseal_verify.c" -o "$O/fwseal_verify.o"
    # shellcheck disable=SC2086
    $CROSS_CC $FW_CFLAGS $CFG "-DBL_COUNTER_FLOOR=$FLOOR" \
        "-DBL_KEYGEN_FLOOR=$KEYGEN_FLOOR" -I"$OUT/dist" -I$B -I$B/bootloader \
        -I"$G" -c $B/bootloader/main.c -o "$O/bootloader.o"
    # shellcheck disable=SC2086
    $CROSS_CC $ARCH $FWS_BARE_LDFLAGS -T $B/bootloader/link.ld \
        -Wl,-Map="$OUT/bootloader.map" -o "$OUT/bootloader.elf" \
        "$O/bootloader.o" "$O/fwseal_verify.o" $board -lgcc
    sizes >"$OUT/size.txt"

    # 7. Containers.  Chunks of 1 KiB and a 4 KiB window: what this
    # bootloader's work area holds.
    export SOURCE_DATE_EPOCH=1700000000
    pk() { # NAME VERSION COUNTER PACK-OPTIONS... INPUT
        n=$1 v=$2 c=$3
        shift 3
        "$FWSEAL" pack -o "$C/$n.fws" --version "$v" --counter "$c" --chunk-size 1024 "$@" \
            >/dev/null
    }
    app() { echo "app=$OUT/app-$1.bin@$SLOT_ADDR"; }
    pk factory 1.0.0 $FLOOR --key "$K/release.key" --class "$CLASS" --window-bits 12 \
        -e "$K/device.pub" "$(app 1.0.0)"
    pk good 1.1.0 3 --key "$K/release.key" --class "$CLASS" --window-bits 12 \
        -e "$K/device.pub" "$(app 1.1.0)"
    pk untrusted 1.1.0 3 --key "$K/rogue.key" --class "$CLASS" --window-bits 12 \
        -e "$K/device.pub" "$(app 1.1.0)"
    pk rollback 0.9.0 1 --key "$K/release.key" --class "$CLASS" --window-bits 12 \
        -e "$K/device.pub" "$(app 0.9.0)"
    pk wrong-class 1.1.0 3 --key "$K/release.key" --class "$OTHER_CLASS" --window-bits 12 \
        -e "$K/device.pub" "$(app 1.1.0)"
    pk window 1.1.0 3 --key "$K/release.key" --class "$CLASS" --window-bits 15 \
        -e "$K/device.pub" "$(app 1.1.0)"
    pk other-device 1.1.0 3 --key "$K/release.key" --class "$CLASS" --window-bits 12 \
        -e "$K/other-device.pub" "$(app 1.1.0)"
    pk delegated 1.1.0 3 --key "$K/signer-5.key" --cert "$K/signer-5.cert" --class "$CLASS" \
        --window-bits 12 -e "$K/device.pub" "$(app 1.1.0)"
    pk revoked 1.1.0 3 --key "$K/signer-3.key" --cert "$K/signer-3.cert" --class "$CLASS" \
        --window-bits 12 -e "$K/device.pub" "$(app 1.1.0)"
    # One byte of the last chunk: the chunks before it reach the scratch
    # area, the slot must stay untouched.
    cp "$C/good.fws" "$C/tampered.fws"
    flip "$C/tampered.fws" $(($(wc -c <"$C/tampered.fws") - 100))
    for s in $SCENARIOS; do
        if [ -f "$C/$s.fws" ]; then
            make_stage "$C/$s.fws" "$OUT/stage-$s.bin"
        fi
    done

    # 8. The factory image: app 1.0.0 in the slot, its boot record beside,
    # as the factory's programmer gets them from the same verifier.
    "$FWSV" install "$C/factory.fws" --trust "$K/release.pub" --class "$CLASS" \
        --key "$K/device.key" --max-window-bits 12 -o "$C/factory" >/dev/null ||
        die "fwsv install of the factory image failed"
    cp "$C/factory/app" "$OUT/slot-1.0.0.bin"
    rl=$(wc -c <"$C/factory/boot-record.bin")
    { printf FWBR; le32 "$rl"; cat "$C/factory/boot-record.bin"; } >"$OUT/record-1.0.0.bin"
    cp "$OUT/slot-1.0.0.bin" "$OUT/slot-bad.bin"
    flip "$OUT/slot-bad.bin" 4000

    touch "$OUT/.built"
}

# Flash and RAM of bootloader.elf, from its map: the verifier (the
# amalgamation), the bootloader logic (main.c), the board support, libgcc.
sizes() {
    sec() { arm-none-eabi-size -A "$OUT/bootloader.elf" | awk -v s="$1" '$1 == s { print $2 + 0; f = 1 }
        END { if (!f) print 0 }'; }
    awk -v text="$(sec .text)" -v exidx="$(sec .ARM.exidx)" -v data="$(sec .data)" \
        -v bss="$(sec .bss)" -v stack="$(sec .stack)" '
    function hex(h,    i, v) {
        v = 0; h = tolower(h); sub(/^0x/, "", h)
        for (i = 1; i <= length(h); i++) v = v * 16 + index("0123456789abcdef", substr(h, i, 1)) - 1
        return v
    }
    function fmt(v,    s) {
        s = sprintf("%d", v)
        while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
        sub(/,$/, "", s); gsub(/,,/, ",", s)
        return s
    }
    function emit(sec, size, file,    mod, cls) {
        if (file ~ /libgcc\.a/) mod = "libgcc"
        else if (file ~ /fwseal_verify\.o/) mod = "verifier"
        else if (file ~ /bootloader\.o/) mod = "bootloader"
        else mod = "board"
        if (sec ~ /^\.(text|rodata|ARM\.exidx|vectors)/) cls = 1
        else if (sec ~ /^\.data/) cls = 2
        else if (sec ~ /^\.bss/ || sec == "COMMON") cls = 3
        else return
        sz[mod, cls] += hex(size)
    }
    /^Linker script and memory map/ { go = 1; next }
    !go { next }
    /^ \.stack/ { next }
    /^ [.A-Z]/ {
        n = split($0, f, /[ \t]+/); pending = ""
        if (f[2] !~ /^(\.|COMMON)/) next
        if (n >= 5 && f[3] ~ /^0x/ && f[4] ~ /^0x/) emit(f[2], f[4], f[5])
        else if (n == 2) pending = f[2]
        next
    }
    pending != "" && /^[ \t]+0x[0-9a-fA-F]+[ \t]+0x[0-9a-fA-F]+[ \t]+[^ \t]/ {
        emit(pending, $2, $3); pending = ""; next
    }
    { pending = "" }
    END {
        printf "%-40s %8s %8s\n", "part of bootloader.elf", "flash", "RAM"
        split("verifier bootloader board libgcc", mods, " ")
        name["verifier"] = "verifier (amalgamated fwseal_verify.c)"
        name["bootloader"] = "bootloader logic (bootloader/main.c)"
        name["board"] = "board support (startup, uart, flash, ...)"
        name["libgcc"] = "libgcc (64-bit division)"
        for (i = 1; i <= 4; i++) {
            m = mods[i]
            printf "%-40s %8s %8s\n", name[m], fmt(sz[m, 1] + sz[m, 2]), fmt(sz[m, 2] + sz[m, 3])
        }
        printf "%-40s %8s %8s\n", "stack block (bootloader/link.ld)", "", fmt(stack)
        printf "%-40s %8s %8s\n", "total", fmt(text + exidx + data), fmt(data + bss + stack)
        printf "(flash: .text %s + .ARM.exidx %s + .data %s; RAM: .data + .bss %s + stack %s;\n",
            fmt(text), fmt(exidx), fmt(data), fmt(bss), fmt(stack)
        print " the stack actually used is printed by the bootloader at each boot)"
    }' "$OUT/bootloader.map"
}

# ---- run ----

# run_qemu LOG SLOT STAGE|"": boots the bootloader with SLOT in the slot,
# the factory boot record and STAGE (if any) staged; prints the UART
# output (also saved in LOG) and returns QEMU's status (the bootloader's
# or the application's exit status, 124 on timeout).
#
# -icount shift=0: one instruction per nanosecond of virtual time (the
# counts), align=off,sleep=off: virtual time never waits for the host's.
# A run takes well under a second; one that times out is retried once:
# the guest's run is deterministic, so a hang is the host's, and a real
# infinite loop in the bootloader times out twice.
run_qemu() {
    stage_dev=""
    [ -n "$3" ] && stage_dev="-device loader,file=$3,addr=$STAGE_ADDR,force-raw=on"
    attempt=1
    while :; do
        rc=0
        # shellcheck disable=SC2086
        timeout "$QEMU_TIMEOUT" qemu-system-arm -M mps2-an386 -nographic \
            -icount shift=0,align=off,sleep=off -semihosting -kernel "$OUT/bootloader.elf" \
            -device loader,file="$2",addr=$SLOT_ADDR,force-raw=on \
            -device loader,file="$OUT/record-1.0.0.bin",addr=$RECORD_ADDR,force-raw=on \
            $stage_dev </dev/null >"$1.raw" 2>"$1.err" || rc=$?
        if [ "$rc" != 124 ] || [ $attempt = 2 ]; then
            break
        fi
        echo "qemu-demo: QEMU timed out after ${QEMU_TIMEOUT}s; retrying once" >&2
        attempt=2
    done
    tr -d '\r' <"$1.raw" >"$1"
    cat "$1"
    cat "$1.err" >&2
    rm -f "$1.raw" "$1.err"
    echo "$rc" >"$1.status"
    case $rc in
    0) ;;
    124) echo "qemu-demo: QEMU timed out after ${QEMU_TIMEOUT}s, twice" >&2 ;;
    *) echo "qemu-demo: QEMU exited with status $rc" >&2 ;;
    esac
    return "$rc"
}

run_scenario() {
    case $1 in
    none) run_qemu "$OUT/run-$1.txt" "$OUT/slot-1.0.0.bin" "" ;;
    bad-slot) run_qemu "$OUT/run-$1.txt" "$OUT/slot-bad.bin" "" ;;
    *)
        [ -f "$OUT/stage-$1.bin" ] || die "unknown scenario '$1' (scripts/qemu-demo.sh list)"
        run_qemu "$OUT/run-$1.txt" "$OUT/slot-1.0.0.bin" "$OUT/stage-$1.bin"
        ;;
    esac
}

cmd=${1:-all}
[ $# -gt 0 ] && shift
case $cmd in
list) echo "$SCENARIOS" ;;
build) build ;;
run)
    [ "${NO_BUILD:-0}" = 1 ] || build
    rc=0
    for s in "$@"; do run_scenario "$s" || rc=$?; done
    exit $rc
    ;;
stage)
    if [ $# != 1 ] || [ ! -f "$1" ]; then
        die "usage: scripts/qemu-demo.sh stage CONTAINER"
    fi
    [ "${NO_BUILD:-0}" = 1 ] || build
    tmp=$(mktemp "$OUT/stage-custom.XXXXXX")
    make_stage "$1" "$tmp"
    rc=0
    run_qemu "$tmp.txt" "$OUT/slot-1.0.0.bin" "$tmp" || rc=$?
    rm -f "$tmp" "$tmp.txt" "$tmp.txt.status"
    exit $rc
    ;;
all)
    build
    echo "==> the device: app 1.0.0 (counter 2) installed at the factory; counter floor $FLOOR," \
        "key-generation floor $KEYGEN_FLOOR"
    echo "==> good: update 1.1.0 (counter 3), signed, encrypted to the device, compressed"
    run_scenario good
    echo
    echo "==> delegated: update 1.1.0 signed by a generation-5 key the root certified"
    run_scenario delegated | grep -v '^  trusted key\|^  class \|^  limits\|^  timer\|^fwseal bootloader\|^$'
    for s in tampered untrusted rollback wrong-class window other-device revoked; do
        echo
        echo "==> $s"
        run_scenario "$s" | grep -v '^  trusted key\|^  class \|^  limits\|^  timer\|^fwseal bootloader\|^$'
    done
    echo
    echo "==> bad-slot: one byte of the installed image flipped, nothing staged"
    run_scenario bad-slot 2>/dev/null | grep -v '^  trusted key\|^  class \|^  limits\|^  timer\|^fwseal bootloader\|^$' || true
    echo "(QEMU exit status: $(cat "$OUT/run-bad-slot.txt.status"), the bootloader's: no image to boot)"
    echo
    echo "==> bootloader size (bytes; from $OUT/bootloader.map)"
    cat "$OUT/size.txt"
    ;;
*) die "unknown command '$cmd' (usage: see the top of scripts/qemu-demo.sh)" ;;
esac
