#!/bin/sh
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
HOSTCC=${HOSTCC:-cc}
INPUT=${BENCH_INPUT:-/bin/ls}
TIMEOUT=${BENCH_TIMEOUT:-300}

scripts/install-deps.sh gcc-arm-none-eabi binutils-arm-none-eabi qemu-system-arm \
    libsodium-dev zlib1g-dev

rm -rf "$OUT"
mkdir -p "$OUT/obj"

# 1. Inputs and expected results, on the host.
"$HOSTCC" -std=c11 -O2 -Wall -Wextra -Iformat -o "$OUT/gen_bench_data" \
    examples/qemu-m4/gen_bench_data.c format/manifest_encode.c format/manifest_decode.c \
    format/header.c format/blocks.c -lsodium -lz
"$OUT/gen_bench_data" "$INPUT" >"$OUT/bench_data.h"

# 2. The firmware.
CC=arm-none-eabi-gcc
ARCH="-mcpu=cortex-m4 -mthumb -mfloat-abi=soft"
CFLAGS="$ARCH -std=c99 -pedantic -Os -ffreestanding -ffunction-sections -fdata-sections
 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
 -Iformat -Iverifier -Iexamples/qemu-m4 -I$OUT ${BENCH_CFLAGS:-}"
objs=""
for src in format/*.c verifier/*.c examples/qemu-m4/startup.c examples/qemu-m4/uart.c \
    examples/qemu-m4/semihost.c examples/qemu-m4/bench.c; do
    o=$OUT/obj/$(echo "$src" | tr / -).o
    o=${o%.c.o}.o
    # shellcheck disable=SC2086
    $CC $CFLAGS -c "$src" -o "$o"
    objs="$objs $o"
done
# shellcheck disable=SC2086
$CC $ARCH -nostdlib -nostartfiles -T examples/qemu-m4/link.ld -Wl,--gc-sections \
    -Wl,-Map="$OUT/bench.map" -o "$OUT/bench.elf" $objs -lgcc
arm-none-eabi-size "$OUT/bench.elf" >"$OUT/bench.size"

# 3. Run.  (POSIX sh has no PIPESTATUS: QEMU's status goes through a file.)
echo "$CC -Os $ARCH ${BENCH_CFLAGS:-}  ($($CC --version | head -n 1))"
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
