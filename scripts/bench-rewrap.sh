#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench (its last part) and make bench-rewrap: the fleet re-wrap rate.
# A registry of BENCH_DEVICES devices (random X25519 public keys imported
# as CSV, kept in $BUILD/bench-rewrap between runs), one encrypted
# container, then `fwseal rewrap --registry --out-dir` timed: capsules per
# minute on all CPUs and on one, and peak memory for a quarter of the
# fleet and for all of it (it must not grow with the fleet).  The fleet
# directory goes to $BUILD's filesystem, and once more to a RAM-backed one
# (/dev/shm, when there is room): creating a file per device is what a
# slow disk limits, the capsules themselves are CPU work.  Writes
# $BUILD/bench-rewrap.md and prints it.  Not part of `make test`.
#
# Knobs: BENCH_DEVICES (default 250000; each capsule file takes a disk
# block, so 1000000 needs about 4 GB in $BUILD), BENCH_RUNS (default 3,
# the median is reported).
set -eu
BUILD=${BUILD:-build}
N=${BENCH_DEVICES:-250000}
RUNS=${BENCH_RUNS:-3}
FWSEAL="$BUILD/fwseal"
D="$BUILD/bench-rewrap"
TARGET=1000000   # capsules per minute on this 2-core machine (issue 13)

command -v /usr/bin/time >/dev/null 2>&1 ||
    { echo "bench-rewrap: /usr/bin/time not found; 'make deps-bench-rewrap' installs it" >&2; exit 2; }
[ -x "$FWSEAL" ] || { echo "bench-rewrap: $FWSEAL missing (make)" >&2; exit 2; }
F=$(cd "$(dirname "$FWSEAL")" && pwd)/$(basename "$FWSEAL")
mkdir -p "$D"
cd "$D"

# ---- the fleet and the container (kept between runs)
if [ ! -f "fleet-$N.db" ]; then
    echo "bench-rewrap: a registry of $N devices (random X25519 public keys)" >&2
    rm -f fleet.tmp.db
    head -c $((32 * N)) /dev/urandom | od -An -v -tx1 | tr -d ' \n' | fold -w64 |
        awk 'BEGIN { print "key" } { print }' >devices.csv
    "$F" lot create bench --quota "$N" --registry fleet.tmp.db 2>/dev/null
    "$F" device import --registry fleet.tmp.db --class bench/fleet --lot bench devices.csv >&2
    head -n $((N / 4 + 1)) devices.csv >quarter.csv
    rm -f "quarter-$N.db"
    "$F" lot create bench --quota "$N" --registry "quarter-$N.db" 2>/dev/null
    "$F" device import --registry "quarter-$N.db" --class bench/fleet --lot bench quarter.csv >&2
    rm -f devices.csv quarter.csv
    mv fleet.tmp.db "fleet-$N.db"
fi
if [ ! -f rel.fws ]; then
    "$F" keygen --type ed25519 -o release --no-passphrase --force >/dev/null
    "$F" keygen --type x25519 -o dist --no-passphrase --force >/dev/null
    head -c 262144 /dev/urandom >fw.bin
    "$F" pack -o rel.fws --key release.key --version 1.0.0 --counter 1 --class bench/fleet \
        -e dist.pub app=fw.bin 2>/dev/null
fi

# ---- runs: "seconds peak-KiB cpu%" per run, the median by time
measure() {   # REGISTRY JOBS [OUTDIR] -> "seconds kib cpu"
    o=${3:-out}
    for r in $(seq "$RUNS"); do
        rm -rf "$o"
        /usr/bin/time -f "%e %M %P" -o t.txt "$F" rewrap rel.fws --key dist.key \
            --trust release.pub --registry "$1" --out-dir "$o" -j "$2" >/dev/null 2>err.txt ||
            { cat err.txt >&2; rm -rf "$o"; exit 1; }
        cat t.txt
    done | sort -n | awk -v m=$(((RUNS + 1) / 2)) 'NR == m { print $1, $2, $3 }'
    rm -rf "$o"
}
JOBS=$(nproc)
set -- $(measure "fleet-$N.db" "$JOBS")
ALL_S=$1 ALL_KIB=$2 ALL_CPU=$3
set -- $(measure "fleet-$N.db" 1)
ONE_S=$1 ONE_KIB=$2
set -- $(measure "quarter-$N.db" "$JOBS")
Q_S=$1 Q_KIB=$2
Q=$((N / 4))
# RAM-backed: about a page per capsule file.
SHM="" SHM_S=""
if [ -d /dev/shm ] && [ -w /dev/shm ] &&
    [ "$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')" -gt $((N * 8)) ]; then
    SHM=/dev/shm/fwseal-bench-rewrap-$$
    set -- $(measure "fleet-$N.db" "$JOBS" "$SHM")
    SHM_S=$1 SHM_KIB=$2
fi
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%d", n / s * 60 }'; }
ALL_RATE=$(rate "$N" "$ALL_S")
ONE_RATE=$(rate "$N" "$ONE_S")
Q_RATE=$(rate "$Q" "$Q_S")
met() { awk -v r="$1" -v t="$TARGET" 'BEGIN { print (r >= t) ? "met" : "**missed**" }'; }
ok=$(met "$ALL_RATE")

{
    echo "## Fleet re-wrap ($(nproc) CPUs, $(uname -m), median of $RUNS runs)"
    echo
    echo "\`fwseal rewrap rel.fws --key dist.key --trust release.pub --registry R --out-dir DIR\`:"
    echo "one X25519 capsule file per active device (fresh ephemeral key, X25519, HKDF-SHA256),"
    echo "head and payload copied once, the directory synced and renamed into place at the end."
    echo
    echo "| devices | jobs | seconds | capsules per minute | peak memory (MiB) |"
    echo "|---:|---:|---:|---:|---:|"
    echo "| $Q | $JOBS | $Q_S | $Q_RATE | $(awk -v k="$Q_KIB" 'BEGIN { printf "%.1f", k / 1024 }') |"
    echo "| $N | $JOBS | $ALL_S | $ALL_RATE | $(awk -v k="$ALL_KIB" 'BEGIN { printf "%.1f", k / 1024 }') |"
    echo "| $N | 1 | $ONE_S | $ONE_RATE | $(awk -v k="$ONE_KIB" 'BEGIN { printf "%.1f", k / 1024 }') |"
    if [ -n "$SHM_S" ]; then
        SHM_RATE=$(rate "$N" "$SHM_S")
        echo "| $N, to /dev/shm | $JOBS | $SHM_S | $SHM_RATE | $(awk -v k="$SHM_KIB" 'BEGIN { printf "%.1f", k / 1024 }') |"
    fi
    echo
    echo "Target: at least $TARGET capsules per minute on all CPUs: $ok ($ALL_RATE; CPU use $ALL_CPU)."
    if [ -n "$SHM_S" ]; then
        echo "With the fleet directory in RAM (/dev/shm): $(met "$SHM_RATE") ($SHM_RATE); the"
        echo "difference is the filesystem's cost of creating one file per device."
    fi
} >"../bench-rewrap.md"
cat "../bench-rewrap.md"
