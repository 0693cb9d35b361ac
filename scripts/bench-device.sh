#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench-device: instruction counts of the verifier on Cortex-M0, M4
# and M33, bare metal under QEMU with -icount shift=0 (one instruction = one
# nanosecond of virtual time, counted with SysTick):
#   m0   -M microbit     (nRF51, Cortex-M0; 16 KiB of RAM: no ChaCha20 and
#                         no install, which need more)
#   m4   -M mps2-an386   (Cortex-M4)
#   m33  -M mps2-an505   (Cortex-M33, Secure state)
#
#  1. builds the host generator examples/qemu-m4/gen_bench_data.c (libsodium,
#     zlib, the format encoder) and writes $BUILD/bench-device/bench_data.h:
#     a signed, encrypted, compressed container, boot records of a 64 KiB
#     image (direct and delegated signature) and every expected result;
#  2. cross-compiles verifier/, format/ and the bench
#     (examples/qemu-m4/bench.c, the board files of examples/qemu-m4/ and
#     examples/bench-device/) with arm-none-eabi-gcc -Os for each board;
#  3. runs each in QEMU with a timeout, prints what it writes on the UART
#     (saved as $BUILD/bench-device/BOARD/bench.txt) and puts the boards
#     side by side in $BUILD/bench-device/table.md.
# Exits non-zero if anything fails to build, QEMU fails or times out, or a
# result on a device differs from the host's (the bench checks them all).
#   BENCH_BOARDS="m4"             the boards to run (m0 m4 m33)
#   BENCH_INPUT=/path/to/binary   the 16 KiB "app" image's source (/bin/ls)
#   BENCH_TIMEOUT=seconds         QEMU time limit per board (300)
#   BENCH_CFLAGS="..."            extra cross-compiler flags, e.g. -O2 or
#                                 -DFWS_ED25519_WINDOW=3, to try a trade-off
#   scripts/bench-device.sh --write-docs   also rewrites the generated speed
#                                 tables of README.md and docs/BENCHMARKS.md
#                                 (every board must have run)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/bench-device
HOSTCC=${CC:-cc}
INPUT=${BENCH_INPUT:-/bin/ls}
TIMEOUT=${BENCH_TIMEOUT:-300}
BOARDS=${BENCH_BOARDS:-"m0 m4 m33"}
WRITE_DOCS=0
case ${1:-} in
'') ;;
--write-docs) WRITE_DOCS=1 ;;
*) echo "usage: scripts/bench-device.sh [--write-docs]" >&2; exit 2 ;;
esac
. scripts/flags.sh

# The tools (`make bench-device` installs them) and the host library.
for c in "$HOSTCC" arm-none-eabi-gcc arm-none-eabi-size qemu-system-arm; do
    command -v "${c%% *}" >/dev/null 2>&1 ||
        { echo "bench-device: $c not found; 'make deps-bench-device' installs it" >&2; exit 2; }
done
[ -f "$BUILD/libfwseal.a" ] ||
    { echo "bench-device: $BUILD/libfwseal.a missing; run 'make bench-device'" >&2; exit 2; }

rm -rf "$OUT"
mkdir -p "$OUT"

# 1. Inputs and expected results, on the host (the format encoder from the library).
# shellcheck disable=SC2086
$HOSTCC $FWS_HOST_STD -O2 $FWS_WARN $FWS_FREE_INCLUDES $FWS_LIB_CFLAGS -o "$OUT/gen_bench_data" \
    examples/qemu-m4/gen_bench_data.c "$BUILD/libfwseal.a" $FWS_LIB_LIBS
"$OUT/gen_bench_data" "$INPUT" >"$OUT/bench_data.h"

Q=examples/qemu-m4
B=examples/bench-device
set_board() {
    case $1 in
    m0)
        ARCH="-mcpu=cortex-m0 -mthumb -mfloat-abi=soft"
        MACHINE=microbit
        NAME="QEMU microbit (Cortex-M0)"
        LDS=$B/microbit/link.ld
        UART=$B/microbit/uart.c
        DEFS="-DBENCH_SMALL_RAM" ;;
    m4)
        ARCH=$FWS_ARCH_M4
        MACHINE=mps2-an386
        NAME="QEMU mps2-an386 (Cortex-M4)"
        LDS=$Q/link.ld
        UART=$Q/uart.c
        DEFS="" ;;
    m33)
        ARCH=$FWS_ARCH_M33
        MACHINE=mps2-an505
        NAME="QEMU mps2-an505 (Cortex-M33)"
        LDS=$B/an505/link.ld
        UART=$Q/uart.c
        DEFS="-DUART0_BASE=0x50200000u" ;; # UART0, Secure alias
    *)
        echo "bench-device: unknown board $1 (m0, m4, m33)" >&2
        exit 2 ;;
    esac
}

status=0
for b in $BOARDS; do
    set_board "$b"
    D=$OUT/$b
    mkdir -p "$D/obj"
    # 2. The firmware.
    FW_CFLAGS="$ARCH $FWS_CROSS_CFLAGS $FWS_FREE_INCLUDES -I$Q -I$OUT $DEFS ${BENCH_CFLAGS:-}"
    objs=""
    for src in $FWS_FREE_SRCS $Q/startup.c $UART $Q/uart_fmt.c $Q/semihost.c $Q/bench.c; do
        o=$D/obj/$(echo "$src" | tr / -).o
        o=${o%.c.o}.o
        # shellcheck disable=SC2086
        arm-none-eabi-gcc $FW_CFLAGS "-DBENCH_BOARD=\"$NAME\"" -c "$src" -o "$o"
        objs="$objs $o"
    done
    # shellcheck disable=SC2086
    arm-none-eabi-gcc $ARCH $FWS_BARE_LDFLAGS -T "$LDS" \
        -Wl,-Map="$D/bench.map" -o "$D/bench.elf" $objs -lgcc
    arm-none-eabi-size "$D/bench.elf" >"$D/bench.size"

    # 3. Run.  (POSIX sh has no PIPESTATUS: QEMU's status goes through a file.)
    echo
    echo "== $NAME: arm-none-eabi-gcc -Os $ARCH ${BENCH_CFLAGS:-}  ($(arm-none-eabi-gcc --version | head -n 1))"
    echo "qemu-system-arm -M $MACHINE -nographic -icount shift=0 -semihosting -kernel $D/bench.elf"
    {
        if timeout "$TIMEOUT" qemu-system-arm -M "$MACHINE" -nographic -icount shift=0 \
            -semihosting -kernel "$D/bench.elf" </dev/null; then
            echo 0 >"$D/qemu.status"
        else
            echo $? >"$D/qemu.status"
        fi
    } | tr -d '\r' | tee "$D/bench.txt" | grep -v '^@'
    rc=$(cat "$D/qemu.status")
    case $rc in
    0) ;;
    124) echo "bench-device: $b: QEMU timed out after ${TIMEOUT}s" >&2; status=$rc ;;
    *) echo "bench-device: $b: QEMU exited with status $rc (a check failed or the run faulted)" >&2
       status=$rc ;;
    esac
    sed -n 's/^@//p' "$D/bench.txt" >"$D/results.txt"
done

# ---- the boards side by side ----
fmt() { # 12345 -> 12,345; 5335.0 -> 5,335.0
    echo "$1" | sed -e ':a' -e 's/^\([0-9]*[0-9]\)\([0-9]\{3\}\)\($\|[,.]\)/\1,\2\3/' -e 'ta'
}
value() { # BOARD KEY
    v=""
    [ -f "$OUT/$1/results.txt" ] && v=$(awk -v k="$2" '$1 == k { print $2 }' "$OUT/$1/results.txt")
    if [ -n "$v" ]; then fmt "$v"; else echo "-"; fi
}
signed_len=$(sed -n 's/^#define BENCH_SIGNED_LEN //p' "$OUT/bench_data.h")
container_len=$(sed -n 's/^#define BENCH_CONTAINER_LEN //p' "$OUT/bench_data.h")
{
    echo "| instructions (QEMU \`-icount shift=0\`, \`-Os\`) | Cortex-M0 (microbit) | Cortex-M4 (mps2-an386) | Cortex-M33 (mps2-an505) |"
    echo "|---|---:|---:|---:|"
    row() { echo "| $1 | $(value m0 "$2") | $(value m4 "$2") | $(value m33 "$2") |"; }
    row "Ed25519 verify, $signed_len-byte message" ed25519
    row "X25519" x25519
    row "SHA-256, per byte (4 KiB)" sha256
    row "SHA-512, per byte (4 KiB)" sha512
    row "inflate, per output byte (zlib level 9, 4 KiB window)" inflate
    row "boot check of a 64 KiB image, Ed25519 signature" boot64
    row "boot check of a 64 KiB image, delegated signature (root + signing key)" boot64_delegated
    row "ChaCha20, per byte (4 KiB)" chacha20
    row "install of a $(fmt "$container_len")-byte encrypted, compressed container (X25519)" install
    echo "| field multiplication / squaring | $(value m0 fe_mul) / $(value m0 fe_sq) | $(value m4 fe_mul) / $(value m4 fe_sq) | $(value m33 fe_mul) / $(value m33 fe_sq) |"
} >"$OUT/table.md"
echo
echo "Side by side ($OUT/table.md; \"-\": not run on that board):"
cat "$OUT/table.md"

if [ "$WRITE_DOCS" = 1 ]; then
    for b in m0 m4 m33; do
        [ -s "$OUT/$b/results.txt" ] ||
            { echo "bench-device: --write-docs needs every board; $b has no results" >&2; exit 1; }
    done
    [ "$status" = 0 ] || { echo "bench-device: not writing the docs of a failed run" >&2; exit "$status"; }
    for f in README.md docs/BENCHMARKS.md; do
        awk -v table="$OUT/table.md" '
        /^<!-- bench-table:device begin/ {
            print
            while ((getline l < table) > 0) print l
            close(table)
            skip = 1
            next
        }
        /^<!-- bench-table:device end/ { skip = 0 }
        !skip { print }' "$f" >"$OUT/doc.tmp"
        if ! cmp -s "$f" "$OUT/doc.tmp"; then
            cp "$OUT/doc.tmp" "$f"
            echo "bench-device: rewrote the speed table of $f"
        fi
    done
    rm -f "$OUT/doc.tmp"
fi
exit "$status"
