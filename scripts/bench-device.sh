#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench-device: instruction counts of the verifier on a Cortex-M4,
# bare metal under QEMU (mps2-an386, -icount shift=0: one instruction = one
# nanosecond of virtual time, counted with SysTick).
#
#  1. builds the host generator examples/qemu-m4/gen_bench_data.c (libsodium,
#     zlib, the format encoder) and writes $BUILD/bench-device/bench_data.h:
#     a signed, encrypted, compressed container and every expected result;
#  2. cross-compiles verifier/, format/ and examples/qemu-m4/ with
#     arm-none-eabi-gcc -Os -mcpu=cortex-m4 -mthumb into bench.elf;
#  3. runs it in QEMU with a timeout and prints the table it writes on the
#     UART (also saved as $BUILD/bench-device/bench.txt).
# Exits non-zero if anything fails to build, QEMU fails or times out, or a
# result on the device differs from the host's (the bench checks them all).
#   BENCH_INPUT=/path/to/binary   the 16 KiB "app" image's source (/bin/ls)
#   BENCH_TIMEOUT=seconds         QEMU time limit (300)
#   BENCH_CFLAGS="..."            extra cross-compiler flags, e.g. -O2 or
#                                 -DFWS_ED25519_WINDOW=3, to try a trade-off
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/bench-device
HOSTCC=${CC:-cc}
INPUT=${BENCH_INPUT:-/bin/ls}
TIMEOUT=${BENCH_TIMEOUT:-300}
. scripts/flags.sh

# The tools (`make bench-device` installs them) and the host library.
for c in "$HOSTCC" arm-none-eabi-gcc arm-none-eabi-size qemu-system-arm; do
    command -v "${c%% *}" >/dev/null 2>&1 ||
        { echo "bench-device: $c not found; 'make deps-bench-device' installs it" >&2; exit 2; }
done
[ -f "$BUILD/libfwseal.a" ] ||
    { echo "bench-device: $BUILD/libfwseal.a missing; run 'make bench-device'" >&2; exit 2; }

rm -rf "$OUT"
mkdir -p "$OUT/obj"

# 1. Inputs and expected results, on the host (the format encoder from the library).
# shellcheck disable=SC2086
$HOSTCC $FWS_HOST_STD -O2 $FWS_WARN $FWS_FREE_INCLUDES $FWS_LIB_CFLAGS -o "$OUT/gen_bench_data" \
    examples/qemu-m4/gen_bench_data.c "$BUILD/libfwseal.a" $FWS_LIB_LIBS
"$OUT/gen_bench_data" "$INPUT" >"$OUT/bench_data.h"

# 2. The firmware.
CROSS_CC=arm-none-eabi-gcc
ARCH=$FWS_ARCH_M4
FW_CFLAGS="$ARCH $FWS_CROSS_CFLAGS $FWS_FREE_INCLUDES -Iexamples/qemu-m4 -I$OUT ${BENCH_CFLAGS:-}"
objs=""
for src in $FWS_FREE_SRCS examples/qemu-m4/startup.c examples/qemu-m4/uart.c \
    examples/qemu-m4/semihost.c examples/qemu-m4/bench.c; do
    o=$OUT/obj/$(echo "$src" | tr / -).o
    o=${o%.c.o}.o
    # shellcheck disable=SC2086
    $CROSS_CC $FW_CFLAGS -c "$src" -o "$o"
    objs="$objs $o"
done
# shellcheck disable=SC2086
$CROSS_CC $ARCH $FWS_BARE_LDFLAGS -T examples/qemu-m4/link.ld \
    -Wl,-Map="$OUT/bench.map" -o "$OUT/bench.elf" $objs -lgcc
arm-none-eabi-size "$OUT/bench.elf" >"$OUT/bench.size"

# 3. Run.  (POSIX sh has no PIPESTATUS: QEMU's status goes through a file.)
echo "$CROSS_CC -Os $ARCH ${BENCH_CFLAGS:-}  ($($CROSS_CC --version | head -n 1))"
echo "qemu-system-arm -M mps2-an386 -nographic -icount shift=0 -semihosting -kernel $OUT/bench.elf"
{
    if timeout "$TIMEOUT" qemu-system-arm -M mps2-an386 -nographic -icount shift=0 \
        -semihosting -kernel "$OUT/bench.elf" </dev/null; then
        echo 0 >"$OUT/qemu.status"
    else
        echo $? >"$OUT/qemu.status"
    fi
} | tr -d '\r' | tee "$OUT/bench.txt"
rc=$(cat "$OUT/qemu.status")
case $rc in
0) ;;
124) echo "bench-device: QEMU timed out after ${TIMEOUT}s" >&2 ;;
*) echo "bench-device: QEMU exited with status $rc (a check failed or the run faulted)" >&2 ;;
esac
exit "$rc"
