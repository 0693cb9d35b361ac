#!/bin/bash
# SPDX-License-Identifier: MIT
# make fuzz / the fuzz smoke step of make test: builds the libFuzzer
# harnesses of tests/fuzz/ with clang (-fsanitize=fuzzer,address,undefined),
# makes their seed corpora (scripts/fuzz-corpus.sh), replays every saved
# regression in tests/fuzz/regressions/<harness>/, then runs each harness
# for FUZZ_SECONDS seconds, two at a time with one worker each (2 cores).
# Fails if a regression crashes or if fuzzing finds a crash, leak, timeout
# or out-of-memory; a new finding is copied to tests/fuzz/regressions/.
#
# Environment:
#   BUILD=build          build directory; everything goes to $BUILD/fuzz/
#   FUZZ_SECONDS=60      seconds per harness (0: build and replay only)
#   FUZZ_TARGETS="..."   harness names to run (default: all)
#   FUZZ_PARALLEL=2      harnesses running at the same time
#   FUZZ_CC=clang-14     the compiler
# Usage: scripts/fuzz.sh [--build]   (--build: build harnesses and tools only)
set -eu
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
FUZZ_PARALLEL=${FUZZ_PARALLEL:-2}
ALL_TARGETS="fuzz_install fuzz_install_resigned fuzz_boot fuzz_inflate fuzz_container_reader fuzz_keyfile fuzz_ihex fuzz_image_inputs"
FUZZ_TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
OUT="$BUILD/fuzz"
REG=tests/fuzz/regressions

say() { printf 'fuzz: %s\n' "$*" >&2; }
die() { printf 'fuzz: error: %s\n' "$*" >&2; exit 1; }

case "$FUZZ_SECONDS" in '' | *[!0-9]*) die "FUZZ_SECONDS must be a number of seconds" ;; esac

# ---- tools: a clang whose libFuzzer links (`make fuzz` and `make test`
# install clang-14 and, on Debian 12, libclang-rt-14-dev first) ----
mkdir -p "$OUT"
fuzzer_links() {   # fuzzer_links CC: 0 if CC builds a libFuzzer binary with ASan/UBSan
    command -v "$1" >/dev/null 2>&1 || return 1
    printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' >"$OUT/probe.c"
    "$1" -fsanitize=fuzzer,address,undefined -o "$OUT/probe" "$OUT/probe.c" >/dev/null 2>&1
}
if [ -z "${FUZZ_CC:-}" ]; then
    for cc in clang-14 clang clang-15 clang-16 clang-17 clang-18 clang-19; do
        if fuzzer_links "$cc"; then FUZZ_CC=$cc; break; fi
    done
    [ -n "${FUZZ_CC:-}" ] || die "no clang here builds a libFuzzer binary (-fsanitize=fuzzer):" \
        "'make deps-fuzz' installs clang-14 and libclang-rt-14-dev; or set FUZZ_CC"
fi
fuzzer_links "$FUZZ_CC" || die "$FUZZ_CC cannot build a libFuzzer binary (-fsanitize=fuzzer); install libclang-rt-14-dev or set FUZZ_CC"

# ---- build (mk/fuzz.mk) ----
say "building harnesses with $FUZZ_CC in $OUT"
# MAKEFLAGS cleared: a parent make's options (-j, variables) are not ours.
MAKEFLAGS='' MFLAGS='' MAKELEVEL='' make --no-print-directory -s -j2 -f mk/fuzz.mk CC="$FUZZ_CC" \
    OUT="$OUT" all || die "build failed"
[ "${1:-}" = "--build" ] && exit 0

# ---- seed corpora ----
BUILD="$BUILD" scripts/fuzz-corpus.sh || die "seed corpus generation failed"

max_len() {
    case "$1" in
    fuzz_keyfile) echo 1024 ;;
    fuzz_ihex | fuzz_image_inputs) echo 16384 ;;
    fuzz_inflate | fuzz_container_reader) echo 65536 ;;
    *) echo 32768 ;;
    esac
}

# Replays saved regressions: plain runs, each file once.  A harness that
# still crashes on one is not fuzzed this time (it would only find the same
# bug again).
status=0
broken=""
for t in $FUZZ_TARGETS; do
    d="$REG/$t"
    [ -d "$d" ] || continue
    files=$(find "$d" -type f ! -name '.*' | sort)
    [ -n "$files" ] || continue
    n=$(printf '%s\n' "$files" | wc -l)
    # shellcheck disable=SC2086
    if "$OUT/$t" -timeout=10 -rss_limit_mb=2048 $files >"$OUT/$t.replay.log" 2>&1; then
        say "$t: $n regression input(s) replayed, all pass"
    else
        say "FAIL: $t crashes on a saved regression in $d (log: $OUT/$t.replay.log):"
        grep -E 'fuzz finding|ERROR: |runtime error|Running: ' "$OUT/$t.replay.log" | tail -n 6 >&2 || true
        status=1
        broken="$broken $t"
    fi
done

[ "$FUZZ_SECONDS" -gt 0 ] || exit $status

# Fuzzes one harness: new inputs go to $OUT/work/<t> (kept between runs),
# seeds are read from $OUT/corpus/<t>; artifacts land in $OUT/artifacts/<t>/.
run_one() {
    local t=$1 art="$OUT/artifacts/$1" log="$OUT/$1.log" rc=0 found=0 line execs
    case " $broken " in *" $t "*)
        say "$t: not fuzzed, it still fails on a saved regression"
        return 1 ;;
    esac
    rm -rf "$art"
    mkdir -p "$art" "$OUT/work/$t" "$OUT/corpus/$t"
    FWS_FUZZ_PASSPHRASE=fuzz-passphrase \
        "$OUT/$t" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$t")" -print_final_stats=1 -artifact_prefix="$art/" \
        "$OUT/work/$t" "$OUT/corpus/$t" >"$log" 2>&1 || rc=$?
    for a in "$art"/crash-* "$art"/leak-* "$art"/timeout-* "$art"/oom-*; do
        [ -e "$a" ] || continue
        found=1
        mkdir -p "$REG/$t"
        cp "$a" "$REG/$t/"
        printf 'fuzz: FINDING in %s: %s saved as %s\n' "$t" "${a##*/}" "$REG/$t/${a##*/}" >&2
        printf 'fuzz:   replay: %s %s\n' "$OUT/$t" "$REG/$t/${a##*/}" >&2
        grep -E 'fuzz finding|ERROR: |runtime error|SUMMARY' "$log" | head -n 5 | sed 's/^/fuzz:   /' >&2 || true
    done
    line=$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    printf 'fuzz: %-22s %10s execs  %s\n' "$t" "${execs:-?}" \
        "$(printf '%s' "$line" | grep -oE '(cov|ft|corp): [^ ]+' | tr '\n' ' ')" >&2
    if [ $found = 1 ]; then return 1; fi
    if [ $rc != 0 ]; then
        say "$t exited with status $rc without an artifact (log: $log)"
        tail -n 5 "$log" >&2
        return 1
    fi
    return 0
}

say "fuzzing each harness for ${FUZZ_SECONDS}s, $FUZZ_PARALLEL at a time (logs: $OUT/<harness>.log)"
# Lanes: harness i goes to lane i % FUZZ_PARALLEL; each lane runs its
# harnesses one after the other.
pids=""
lane=0
while [ $lane -lt "$FUZZ_PARALLEL" ]; do
    (
        i=0 st=0
        for t in $FUZZ_TARGETS; do
            if [ $((i % FUZZ_PARALLEL)) = $lane ]; then run_one "$t" || st=1; fi
            i=$((i + 1))
        done
        exit $st
    ) &
    pids="$pids $!"
    lane=$((lane + 1))
done
for p in $pids; do wait "$p" || status=1; done
if [ $status != 0 ]; then
    say "FAILED: see the findings above; inputs are in $REG/ (replayed by every run)"
    exit 1
fi
say "no findings"
