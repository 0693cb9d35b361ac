#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: fwseal pack / verify / unpack against gzip, pigz, sha256sum
# and (when installed) mender-artifact and rauc, on real ELF binaries and
# libraries from this system concatenated to 64 MiB and 1 GiB, plus a
# 256 KiB MCU-like image.  Each figure is the median of several runs, and
# each baseline is measured in the same run.  Writes $BUILD/bench.md (a
# Markdown table, then the targets, each met or missed) and
# $BUILD/bench.png (throughput against output size).  Not part of
# `make test`.
#
# Knobs: BENCH_RUNS (default 3) runs per figure on 64 MiB; BENCH_BIG=0
# skips the 1 GiB rows; BENCH_BIG_RUNS (default 1) runs per 1 GiB figure.
set -eu
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-3}
BIG=${BENCH_BIG:-1}
BIG_RUNS=${BENCH_BIG_RUNS:-1}
MCU_RUNS=9
FWSEAL="$BUILD/fwseal"
D="$BUILD/bench"
CC=${CC:-cc}

. scripts/flags.sh
# The tools (`make bench` installs them); the peers (mender-artifact, rauc)
# are optional: a missing one skips its rows.
for c in pigz gnuplot /usr/bin/time; do
    command -v "$c" >/dev/null 2>&1 ||
        { echo "bench: $c not found; 'make deps-bench' installs it" >&2; exit 2; }
done

mkdir -p "$D"
JOBS=$(nproc)

# ---- a helper linked against the library: corpus builder, compression
# alone (the same parallel deflate, no hashing, encryption or I/O), and the
# chunk chain's backward pass on its own.
cat > "$D/helper.c" <<'EOF'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "chunk_chain.h"
#include "pdeflate.h"

static long file_read(void *ctx, uint8_t *buf, size_t cap)
{
    return (long)read(*(int *)ctx, buf, cap);
}
static int sink(void *ctx, const uint8_t *d, size_t n)
{
    (void)ctx; (void)d; (void)n;
    return 0;
}
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}
int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "corpus")) {
        /* corpus SIZE OUT: ELF files named on stdin, concatenated (again
         * from the start if they run out) to exactly SIZE bytes. */
        unsigned long long want = strtoull(argv[2], NULL, 10), have = 0;
        static uint8_t buf[1 << 20];
        char **names = NULL, line[4096];
        size_t n = 0, cap = 0, i;
        FILE *out = fopen(argv[3], "wb");
        while (fgets(line, sizeof line, stdin)) {
            line[strcspn(line, "\n")] = 0;
            if (n == cap && !(names = realloc(names, (cap = cap * 2 + 256) * sizeof *names)))
                return 1;
            names[n++] = strdup(line);
        }
        for (int round = 0; out && have < want && round < 64; round++)
            for (i = 0; i < n && have < want; i++) {
                int fd = open(names[i], O_RDONLY);
                ssize_t r;
                if (fd < 0)
                    continue;
                if (read(fd, buf, 4) != 4 || memcmp(buf, "\177ELF", 4)) {
                    close(fd);
                    continue;
                }
                lseek(fd, 0, SEEK_SET);
                while (have < want && (r = read(fd, buf, sizeof buf)) > 0) {
                    size_t k = (unsigned long long)r < want - have ? (size_t)r : (size_t)(want - have);
                    fwrite(buf, 1, k, out);
                    have += k;
                }
                close(fd);
            }
        return !out || fclose(out) || have != want;
    }
    if (argc == 5 && !strcmp(argv[1], "deflate")) {
        pdeflate_params p = {atoi(argv[2]), 15, atoi(argv[3]), argv[4]};
        uint64_t in = 0, out = 0;
        int fd = open(argv[4], O_RDONLY);
        if (fd < 0 || pdeflate(&p, file_read, &fd, sink, NULL, &in, &out))
            return 1;
        printf("%llu\n", (unsigned long long)out);
        return 0;
    }
    if (argc == 4 && !strcmp(argv[1], "chain")) {
        /* chain CHUNK FILE: the forward half (in the pipeline) and the
         * backward pass, timed apart, over FILE as the payload. */
        FILE *f = fopen(argv[3], "rb");
        long len;
        uint8_t *p, h[32];
        uint64_t n;
        FILE *hf = tmpfile();
        chunk_chain c;
        double t0, t1, t2;
        if (!f || !hf || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
            return 1;
        p = malloc((size_t)len + 1);
        if (!p || fread(p, 1, (size_t)len, f) != (size_t)len)
            return 1;
        chunk_chain_init(&c, (uint32_t)atoi(argv[2]), fileno(hf));
        t0 = now();
        for (long at = 0; at < len; at += 65536)
            chunk_chain_absorb(&c, p + at, (size_t)(len - at < 65536 ? len - at : 65536));
        t1 = now();
        chunk_chain_finish(&c, h, &n);
        t2 = now();
        printf("%.1f %.2f %llu\n", (t1 - t0) * 1e3, (t2 - t1) * 1e3, (unsigned long long)n);
        return 0;
    }
    fprintf(stderr, "usage: helper corpus SIZE OUT | deflate LEVEL JOBS FILE | chain CHUNK FILE\n");
    return 2;
}
EOF
# shellcheck disable=SC2086
$CC $FWS_HOST_STD -O2 $FWS_HOST_INCLUDES $FWS_LIB_CFLAGS -pthread -o "$D/helper" "$D/helper.c" \
    "$BUILD/libfwseal.a" $FWS_LIB_LIBS
HELPER="$D/helper"

# ---- corpus (kept between runs; delete $D to rebuild it)
corpus() {   # SIZE OUT
    if [ ! -f "$2" ] || [ "$(stat -c %s "$2")" != "$1" ]; then
        echo "bench: building $2 ($1 bytes of ELF binaries and libraries) ..." >&2
        find /usr/bin /usr/sbin /usr/lib /usr/libexec -type f -size +16k 2>/dev/null | LC_ALL=C sort |
            "$HELPER" corpus "$1" "$2"
    fi
}
corpus $((64 << 20)) "$D/in64.bin"
[ "$BIG" = 1 ] && corpus $((1 << 30)) "$D/in1g.bin"

# The MCU-like image: Cortex-M code when arm-none-eabi-gcc is installed
# (this project's freestanding verifier and format code, built for a few
# cores and optimisation levels, .text and .rodata as raw binary, as a
# bootloader-plus-application flash image holds them); otherwise the
# example firmware built as examples/demo.sh does, followed by small real
# binaries.  Cut to 256 KiB.
MCU="$D/mcu.bin"
if [ ! -f "$MCU" ]; then
    rm -rf "$D/mcu" && mkdir -p "$D/mcu"
    if command -v arm-none-eabi-gcc >/dev/null 2>&1; then
        MCU_KIND="Cortex-M code (arm-none-eabi-gcc: this project's format/ and verifier/ for M0+, M3, M4, M33 at -Os, -O2, -O1)"
        for cpu in cortex-m0plus cortex-m3 cortex-m4 cortex-m33; do
            for opt in -Os -O2 -O1; do
                for src in $FWS_FREE_SRCS; do
                    o="$D/mcu/$(basename "$src" .c)-$cpu$opt.o"
                    # shellcheck disable=SC2086
                    arm-none-eabi-gcc -mcpu=$cpu -mthumb $opt $FWS_FREE_STD $FWS_FREE_INCLUDES \
                        -c "$src" -o "$o" 2>/dev/null || continue
                    arm-none-eabi-objcopy -O binary -j .text -j '.text.*' -j .rodata \
                        -j '.rodata.*' "$o" "$o.bin" 2>/dev/null && cat "$o.bin" >> "$D/mcu/all"
                done
            done
        done
    fi
    if [ ! -s "$D/mcu/all" ] || [ "$(stat -c %s "$D/mcu/all")" -lt 262144 ]; then
        [ -s "$D/mcu/all" ] || MCU_KIND="the example firmware (built as examples/demo.sh does) and small system binaries"
        $CC -Os -DFW_VERSION='"1.4.2"' -o "$D/mcu/blinky" examples/firmware/blinky.c
        cat "$D/mcu/blinky" >> "$D/mcu/all"
        find /usr/bin -type f -size -64k -size +4k 2>/dev/null | LC_ALL=C sort | head -200 |
            while read -r f; do cat "$f"; done >> "$D/mcu/all"
    fi
    head -c 262144 "$D/mcu/all" > "$MCU"
    echo "$MCU_KIND" > "$D/mcu.kind"
fi
MCU_KIND=$(cat "$D/mcu.kind")

[ -f "$D/sign.key" ] || "$FWSEAL" keygen --type ed25519 -o "$D/sign" --no-passphrase >/dev/null
[ -f "$D/dev.key" ] || "$FWSEAL" keygen --type x25519 -o "$D/dev" --no-passphrase >/dev/null

# ---- measuring
# plan KEY OUTFILE CMD...: adds CMD (stdout to OUTFILE, or /dev/null for -)
# to the plan.  run_plan N: runs the planned commands N times, round-robin
# (so that a change of machine load hits a figure and its baseline alike),
# then records each KEY's median wall time and largest peak RSS in
# $D/results.
: > "$D/results"
: > "$D/plan"
quote() { for a; do printf "'%s' " "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"; done; }
plan() {
    k=$1 o=$2
    shift 2
    [ "$o" = - ] && o=/dev/null
    printf '%s\t%s\t%s\n' "$k" "$o" "$(quote "$@")" >> "$D/plan"
}
run_plan() {
    : > "$D/raw"
    rep=0
    while [ $rep -lt "$1" ]; do
        while IFS="$(printf '\t')" read -r k o c; do
            t0=$(date +%s%N)
            eval "/usr/bin/time -f '%M %U %S' -o '$D/rss' $c" > "$o" < /dev/null
            t1=$(date +%s%N)
            echo "$k $(( (t1 - t0) / 1000 )) $(tail -n 1 "$D/rss")" >> "$D/raw"
        done < "$D/plan"
        rep=$((rep + 1))
    done
    # KEY median-wall max-RSS CPU-seconds-of-the-median-run
    sort -k1,1 -k2,2n "$D/raw" | awk '
        function flush() { if (key != "") printf "%s %.3f %d %.2f\n", key, w[int((n + 1) / 2)] / 1e6, rss, c[int((n + 1) / 2)] }
        $1 != key { flush(); key = $1; n = 0; rss = 0 }
        { w[++n] = $2; c[n] = $4 + $5; if ($3 > rss) rss = $3 }
        END { flush() }' >> "$D/results"
    : > "$D/plan"
}
wall() { awk -v k="$1" '$1 == k { print $2 }' "$D/results"; }
rssm() { awk -v k="$1" '$1 == k { printf "%.1f", $3 / 1024 }' "$D/results"; }
cpu() { awk -v k="$1" '$1 == k { print $4 }' "$D/results"; }
size() { stat -c %s "$1"; }
# Payload bytes (the compressed, encrypted stream) of a container.
stored() { "$FWSEAL" inspect --json "$1" | sed -n 's/.*"payload_length": *\([0-9]*\).*/\1/p'; }

# $D/pack OUT INPUT LEVEL JOBS [extra...]: an executable, so that GNU time
# measures fwseal itself (exec: no shell left around it).
cat > "$D/pack" <<EOF
#!/bin/sh
# The signer: PACK_KEY (a key spec, default the bench key file), or
# PACK_CMD and PACK_CMD_PUB (--sign-cmd).
o=\$1 in=\$2 l=\$3 j=\$4
shift 4
if [ -n "\${PACK_CMD:-}" ]; then
    set -- --sign-cmd "\$PACK_CMD" --sign-cmd-pub "\$PACK_CMD_PUB" "\$@"
else
    set -- --key "\${PACK_KEY:-$D/sign.key}" "\$@"
fi
exec "$FWSEAL" pack --force -o "\$o" --version 1.0.0 --counter 1 --class bench \\
    --encrypt-to "$D/dev.pub" --level "\$l" --jobs "\$j" "\$@" app="\$in"
EOF
chmod +x "$D/pack"

IN="$D/in64.bin"
INSIZE=$(size "$IN")
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
echo "bench: 64 MiB corpus, $RUNS runs per figure, $JOBS CPUs, load average $LOAD0" >&2

# Warm the page cache so every tool reads from memory.
cat "$IN" > /dev/null
plan sha256sum - sha256sum "$IN"
run_plan "$RUNS"
for l in 1 6 9; do
    echo "bench: level $l ..." >&2
    plan "gzip-$l" "$D/g$l.gz" gzip -"$l" -c "$IN"
    plan "pigz-$l" "$D/p$l.gz" pigz -"$l" -c "$IN"
    for j in 1 "$JOBS"; do
        plan "alone-$l-$j" "$D/alone-$l-$j" "$HELPER" deflate "$l" "$j" "$IN"
        plan "pack-$l-$j" - "$D/pack" "$D/f$l-$j.fws" "$IN" "$l" "$j"
    done
    run_plan "$RUNS"
done
# The container's chunk hashes are 32 bytes per chunk: the same pack with
# 64 KiB chunks shows the compressed stream on its own more closely.
echo "bench: verify, unpack ..." >&2
C6="$D/f6-$JOBS.fws"
plan "pack-6-$JOBS-c64k" - "$D/pack" "$D/f6-c64k.fws" "$IN" 6 "$JOBS" --chunk-size 65536
plan sha256sum-c6 - sha256sum "$C6"
plan verify - "$FWSEAL" verify "$C6" --trust "$D/sign.pub" --class bench --key "$D/dev.key"
plan gunzip "$D/gunzip.out" gzip -dc "$D/g6.gz"
plan unpack - sh -c "rm -rf '$D/un' && '$FWSEAL' unpack '$C6' --trust '$D/sign.pub' --class bench --key '$D/dev.key' -o '$D/un'"
run_plan "$RUNS"
cmp "$D/un/app" "$IN"
rm -rf "$D/un" "$D/gunzip.out"
set -- $("$HELPER" chain 4096 "$D/g6.gz")
CHAIN_FWD=$1 CHAIN_BACK=$2 CHAIN_N=$3

# The peers, with fwseal at levels 1..4 in the same round-robin: where
# does fwseal's size cross theirs, and at what speed?
echo "bench: peers ..." >&2
HAVE_MENDER=0 HAVE_RAUC=0
if command -v mender-artifact >/dev/null 2>&1; then
    plan mender - sh -c "rm -f '$D/m.mender' && mender-artifact write rootfs-image -t bench -n bench-1 -f '$IN' -o '$D/m.mender' 2>/dev/null"
    HAVE_MENDER=1
    MENDER_VER=$(mender-artifact --version 2>&1 | awk '{ print $3; exit }')
fi
if command -v rauc >/dev/null 2>&1 && command -v mksquashfs >/dev/null 2>&1 &&
    command -v openssl >/dev/null 2>&1; then
    rm -rf "$D/rauc" && mkdir -p "$D/rauc/b"
    ln "$IN" "$D/rauc/b/rootfs.img" 2>/dev/null || cp "$IN" "$D/rauc/b/rootfs.img"
    printf '[update]\ncompatible=bench\nversion=1.0\n\n[image.rootfs]\nfilename=rootfs.img\n' \
        > "$D/rauc/b/manifest.raucm"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$D/rauc/key.pem" -out "$D/rauc/cert.pem" \
        -days 3650 -subj /CN=bench >/dev/null 2>&1
    plan rauc - sh -c "rm -f '$D/rauc/r.raucb' && rauc bundle --cert='$D/rauc/cert.pem' --key='$D/rauc/key.pem' '$D/rauc/b' '$D/rauc/r.raucb' >/dev/null 2>&1"
    HAVE_RAUC=1
    RAUC_VER=$(rauc --version | awk '{ print $2 }')
fi
for l in 1 2 3 4; do
    plan "peer-pack-$l" - "$D/pack" "$D/f$l-$JOBS.fws" "$IN" "$l" "$JOBS"
done
run_plan "$RUNS"

echo "bench: 256 KiB MCU image ..." >&2
plan mcu-sha256sum - sha256sum "$MCU"
plan mcu-gzip-9 "$D/mcu9.gz" gzip -9 -c "$MCU"
plan mcu-pack-9-1 - "$D/pack" "$D/mcu9.fws" "$MCU" 9 1
plan mcu-pack-9-$JOBS - "$D/pack" "$D/mcu9j.fws" "$MCU" 9 "$JOBS"
plan mcu-pack-9-1-w10 - "$D/pack" "$D/mcu9w.fws" "$MCU" 9 1 --window-bits 10 --chunk-size 1024
plan mcu-verify - "$FWSEAL" verify "$D/mcu9.fws" --trust "$D/sign.pub" --class bench --key "$D/dev.key"
run_plan "$MCU_RUNS"

# Signing backends: the same packs signed by a key file, through a SoftHSM2
# token (PKCS#11, a token of the bench's own) and by a command (openssl
# pkeyutl): the token must not be the bottleneck.
echo "bench: signing backends ..." >&2
HSM_MODULE=/usr/lib/softhsm/libsofthsm2.so
HAVE_HSM=0 HAVE_CMD=0
if command -v softhsm2-util >/dev/null 2>&1 && [ -f "$HSM_MODULE" ]; then
    SOFTHSM2_CONF="$D/hsm/softhsm2.conf"
    export SOFTHSM2_CONF
    URI="pkcs11:token=bench;object=release?module-path=$HSM_MODULE&pin-source=file:$D/hsm/pin"
    if [ ! -f "$D/hsm/release.pub" ]; then
        rm -rf "$D/hsm" && mkdir -p "$D/hsm/tokens"
        echo "directories.tokendir = $D/hsm/tokens" > "$SOFTHSM2_CONF"
        printf '123456\n' > "$D/hsm/pin"
        softhsm2-util --init-token --free --label bench --so-pin 87654321 --pin 123456 >/dev/null
        "$FWSEAL" keygen --type ed25519 --pkcs11 "$URI" -o "$D/hsm/release" >/dev/null
    fi
    HAVE_HSM=1
fi
if command -v openssl >/dev/null 2>&1; then
    [ -f "$D/cmd.pem" ] || openssl genpkey -algorithm ed25519 -out "$D/cmd.pem" 2>/dev/null
    [ -f "$D/cmd.pub" ] || "$FWSEAL" keygen --import "$D/cmd.pem" -o "$D/cmd" --no-passphrase >/dev/null
    # OpenSSL 3.0's pkeyutl -rawin signs files only: standard input goes to one.
    cat > "$D/openssl-sign" <<EOF
#!/bin/sh
t=\$(mktemp) || exit 1
cat > "\$t" && openssl pkeyutl -sign -rawin -inkey "$D/cmd.pem" -in "\$t"
rc=\$?
rm -f "\$t"
exit \$rc
EOF
    chmod +x "$D/openssl-sign"
    HAVE_CMD=1
fi
plan sign-file - "$D/pack" "$D/s-file.fws" "$IN" 6 "$JOBS"
plan mcu-sign-file - "$D/pack" "$D/ms-file.fws" "$MCU" 9 1
if [ $HAVE_HSM = 1 ]; then
    plan sign-hsm - env PACK_KEY="$URI" "$D/pack" "$D/s-hsm.fws" "$IN" 6 "$JOBS"
    plan mcu-sign-hsm - env PACK_KEY="$URI" "$D/pack" "$D/ms-hsm.fws" "$MCU" 9 1
fi
if [ $HAVE_CMD = 1 ]; then
    plan sign-cmd - env PACK_CMD="$D/openssl-sign" PACK_CMD_PUB="$D/cmd.pub" "$D/pack" "$D/s-cmd.fws" "$IN" 6 "$JOBS"
    plan mcu-sign-cmd - env PACK_CMD="$D/openssl-sign" PACK_CMD_PUB="$D/cmd.pub" "$D/pack" "$D/ms-cmd.fws" "$MCU" 9 1
fi
run_plan "$RUNS"
[ $HAVE_HSM = 0 ] || "$FWSEAL" verify "$D/s-hsm.fws" --trust "$D/hsm/release.pub" --class bench >/dev/null

if [ "$BIG" = 1 ]; then
    BIGIN="$D/in1g.bin"
    cat "$BIGIN" > /dev/null
    echo "bench: 1 GiB corpus ($BIG_RUNS run(s) per figure) ..." >&2
    plan big-sha256sum - sha256sum "$BIGIN"
    for j in 1 "$JOBS" 32; do
        plan "big-pack-6-$j" - "$D/pack" "$D/big-$j.fws" "$BIGIN" 6 "$j"
    done
    plan big-verify - "$FWSEAL" verify "$D/big-1.fws" --trust "$D/sign.pub" --class bench --key "$D/dev.key"
    plan big-unpack - sh -c "rm -rf '$D/bun' && '$FWSEAL' unpack '$D/big-1.fws' --trust '$D/sign.pub' --class bench --key '$D/dev.key' -o '$D/bun'"
    run_plan "$BIG_RUNS"
    cmp "$D/bun/app" "$BIGIN"
    cmp "$D/big-1.fws" "$D/big-32.fws" 2>/dev/null || true   # encrypted: fresh keys, differ
    BIGOUT=$(size "$D/big-1.fws")
    rm -rf "$D/bun" "$D/big-"*.fws
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

# ---- report
mbs() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
pct() { awk -v o="$1" -v i="$2" 'BEGIN { printf "%.2f", 100 * o / i }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# row LABEL KEY INPUT_BYTES OUTPUT_BYTES|"" BASELINE_LABEL BASELINE_KEY
row() {
    w=$(wall "$2")
    o=""
    [ -n "$4" ] && o=$(pct "$4" "$3")
    b="—" r="—"
    if [ -n "$6" ]; then
        b=$5
        r="$(div "$w" "$(wall "$6")")"
    fi
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$w" "$(cpu "$2")" "$(mbs "$3" "$w")" \
        "$(rssm "$2")" "${o:-—}" "$b" "$r"
    return 0
}
HDR='| what | wall s | CPU s | MB/s | peak RSS MiB | output % of input | baseline | time ÷ baseline |
|---|---|---|---|---|---|---|---|'
CPU=$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)
ZV=$(awk '/define ZLIB_VERSION/ { gsub(/"/, "", $3); print $3 }' /usr/include/zlib.h 2>/dev/null || echo "?")
{
    echo "# fwseal benchmarks"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $CPU, $JOBS CPUs; load average $LOAD0 at the start, $LOAD1 at the end."
    echo "zlib $ZV, $(gzip --version | head -1), $(pigz --version 2>&1 | head -1)."
    echo
    echo "Input: $((INSIZE >> 20)) MiB of ELF binaries and libraries from /usr (sorted by path,"
    echo "concatenated).  Median of $RUNS runs; MB/s is input bytes (10^6) per second of wall"
    echo "time; CPU s is user + system time of the median run (all threads: less sensitive to
other load than wall time); peak RSS from GNU time (the largest of the runs).  fwseal pack encrypts to one"
    echo "X25519 key and signs with one Ed25519 key, with 4096-byte chunks unless noted; \"alone\""
    echo "is the same parallel deflate with no hashing, encryption, chunk chain or container"
    echo "(the overhead target's reference).  $JOBS jobs = all CPUs."
    echo
    echo "## Pack, 64 MiB"
    echo
    echo "$HDR"
    row "sha256sum" sha256sum "$INSIZE" "" "" ""
    for l in 1 6 9; do
        row "gzip -$l" "gzip-$l" "$INSIZE" "$(size "$D/g$l.gz")" "" ""
        row "pigz -$l ($JOBS threads)" "pigz-$l" "$INSIZE" "$(size "$D/p$l.gz")" "gzip -$l" "gzip-$l"
        for j in 1 "$JOBS"; do
            row "deflate alone -$l, $j job(s)" "alone-$l-$j" "$INSIZE" "$(cat "$D/alone-$l-$j")" "gzip -$l" "gzip-$l"
            row "**fwseal pack -$l, $j job(s)**" "pack-$l-$j" "$INSIZE" "$(size "$D/f$l-$j.fws")" "gzip -$l" "gzip-$l"
        done
    done
    row "fwseal pack -6, $JOBS jobs, 64 KiB chunks" "pack-6-$JOBS-c64k" "$INSIZE" "$(size "$D/f6-c64k.fws")" "gzip -6" "gzip-6"
    echo
    echo "## The peers, 64 MiB (fwseal levels 1..4 measured in the same round-robin)"
    echo
    echo "$HDR"
    for l in 1 2 3 4; do
        row "fwseal pack -$l, $JOBS jobs" "peer-pack-$l" "$INSIZE" "$(size "$D/f$l-$JOBS.fws")" "fwseal -1, $JOBS jobs" "peer-pack-1"
    done
    if [ $HAVE_MENDER = 1 ]; then
        row "mender-artifact $MENDER_VER write rootfs-image" mender "$INSIZE" "$(size "$D/m.mender")" "fwseal -1, $JOBS jobs" "peer-pack-1"
    fi
    if [ $HAVE_RAUC = 1 ]; then
        row "rauc $RAUC_VER bundle" rauc "$INSIZE" "$(size "$D/rauc/r.raucb")" "fwseal -1, $JOBS jobs" "peer-pack-1"
    fi
    echo
    echo "## Verify and unpack, 64 MiB (the level-6 container, $(size "$C6") bytes)"
    echo
    echo "MB/s counts the plaintext (64 MiB) for verify and unpack; both decrypt, check"
    echo "every chunk hash, inflate and hash the plaintext; unpack also writes it."
    echo
    echo "$HDR"
    row "sha256sum of the input" sha256sum "$INSIZE" "" "" ""
    row "sha256sum of the container" sha256sum-c6 "$(size "$C6")" "" "" ""
    row "**fwseal verify --key**" verify "$INSIZE" "" "sha256sum of the input" sha256sum
    row "gzip -d (gzip -6 output, to a file)" gunzip "$INSIZE" "" "" ""
    row "**fwseal unpack --key**" unpack "$INSIZE" "" "gzip -d" gunzip
    echo
    echo "## 256 KiB MCU-like image"
    echo
    echo "$MCU_KIND.  Median of $MCU_RUNS runs (whole-process times: start-up and key"
    echo "loading dominate)."
    echo
    echo "$HDR"
    row "sha256sum" mcu-sha256sum 262144 "" "" ""
    row "gzip -9" mcu-gzip-9 262144 "$(size "$D/mcu9.gz")" "" ""
    row "**fwseal pack -9, 1 job**" mcu-pack-9-1 262144 "$(size "$D/mcu9.fws")" "gzip -9" mcu-gzip-9
    row "**fwseal pack -9, $JOBS jobs**" mcu-pack-9-$JOBS 262144 "$(size "$D/mcu9j.fws")" "gzip -9" mcu-gzip-9
    row "fwseal pack -9, window 2^10, 1 KiB chunks" mcu-pack-9-1-w10 262144 "$(size "$D/mcu9w.fws")" "gzip -9" mcu-gzip-9
    row "fwseal verify --key" mcu-verify 262144 "" "sha256sum" mcu-sha256sum
    echo
    echo "## Signing backends"
    echo
    echo "The same packs signed by a key file, through a SoftHSM2 token (PKCS#11: module"
    echo "load, login, CKM_EDDSA, public key read back, signature verified) and by a"
    echo "command (a script around \`openssl pkeyutl -sign -rawin\`, processes per signature)."
    echo
    echo "$HDR"
    row "pack -6, $JOBS jobs, 64 MiB: key file" sign-file "$INSIZE" "" "" ""
    [ $HAVE_HSM = 0 ] || row "pack -6, $JOBS jobs, 64 MiB: SoftHSM2 token" sign-hsm "$INSIZE" "" "key file" sign-file
    [ $HAVE_CMD = 0 ] || row "pack -6, $JOBS jobs, 64 MiB: --sign-cmd openssl" sign-cmd "$INSIZE" "" "key file" sign-file
    row "pack -9, 1 job, 256 KiB: key file" mcu-sign-file 262144 "" "" ""
    [ $HAVE_HSM = 0 ] || row "pack -9, 1 job, 256 KiB: SoftHSM2 token" mcu-sign-hsm 262144 "" "key file" mcu-sign-file
    [ $HAVE_CMD = 0 ] || row "pack -9, 1 job, 256 KiB: --sign-cmd openssl" mcu-sign-cmd 262144 "" "key file" mcu-sign-file
    if [ "$BIG" = 1 ]; then
        echo
        echo "## 1 GiB: memory ($BIG_RUNS run(s))"
        echo
        echo "$HDR"
        row "sha256sum" big-sha256sum $((1 << 30)) "" "" ""
        for j in 1 "$JOBS" 32; do
            o=""
            [ "$j" = 1 ] && o=$BIGOUT
            row "fwseal pack -6, $j job(s)" "big-pack-6-$j" $((1 << 30)) "$o" "sha256sum" big-sha256sum
        done
        row "fwseal verify --key" big-verify $((1 << 30)) "" "sha256sum" big-sha256sum
        row "fwseal unpack --key" big-unpack $((1 << 30)) "" "sha256sum" big-sha256sum
    fi
    echo
    echo "Chunk chain, measured apart on a payload of $(size "$D/g6.gz") bytes ($CHAIN_N chunks):"
    echo "the forward hashing (inside the pipeline, as the payload is spooled) takes"
    echo "$CHAIN_FWD ms, the backward pass $CHAIN_BACK ms (it finishes each chunk's kept"
    echo "SHA-256 midstate with the next chunk's hash; the payload is not read back)."
} > "$D/report.md"

# ---- targets
T=$JOBS
pk6=$(wall "pack-6-$T") gz6=$(wall gzip-6)
s6=$(size "$D/f6-$T.fws") st6=$(stored "$D/f6-$T.fws") g6=$(size "$D/g6.gz")
ok() { awk "BEGIN { exit !($1) }" && echo met || echo "**missed**"; }
{
    echo
    echo "## Targets"
    echo
    echo "| target | measured | verdict |"
    echo "|---|---|---|"
    r=$(div "$pk6" "$gz6")
    echo "| level 6, $T jobs: time ≤ 0.55 × gzip -6 | $pk6 s vs $gz6 s = $r × | $(ok "$r <= 0.55") (by $(awk -v r="$r" 'BEGIN { printf "%+.0f %%", (r / 0.55 - 1) * 100 }')) |"
    e=$(awk -v p="$(cpu "pack-6-$T")" -v g="$(cpu gzip-6)" -v t="$T" 'BEGIN { printf "%.2f", p / t / g }')
    echo "| the same from CPU time (what an idle machine would show): CPU(pack) / $T ÷ CPU(gzip -6) | $(cpu "pack-6-$T") s / $T vs $(cpu gzip-6) s = $e × | $(ok "$e <= 0.55") |"
    sp=$(awk -v a="$(wall pack-6-1)" -v b="$pk6" -v t="$T" 'BEGIN { printf "%.0f", 100 * a / b / t }')
    echo "| (information) parallel efficiency at level 6: wall(1 job) ÷ ($T × wall($T jobs)) | $sp % | — |"
    d=$(awk -v a="$st6" -v b="$g6" 'BEGIN { printf "%+.2f", 100 * (a - b) / b }')
    echo "| level 6: compressed stream within 0.5 % of gzip -6 | $st6 vs $g6 bytes: $d % | $(ok "$d <= 0.5 && $d >= -100") |"
    d2=$(awk -v a="$s6" -v b="$g6" 'BEGIN { printf "%+.2f", 100 * (a - b) / b }')
    d3=$(awk -v a="$(size "$D/f6-c64k.fws")" -v b="$g6" 'BEGIN { printf "%+.2f", 100 * (a - b) / b }')
    echo "| level 6: whole container within 0.5 % of gzip -6 | $s6 bytes: $d2 % (4 KiB chunks, 32 bytes of chain each); $d3 % with 64 KiB chunks | $(ok "$d2 <= 0.5") |"
    if [ $HAVE_MENDER = 1 ]; then
        mw=$(wall mender) ms=$(size "$D/m.mender")
        for l in 1 2 3 4; do
            pw=$(wall "peer-pack-$l") ps=$(size "$D/f$l-$T.fws")
            echo "| level $l, $T jobs: faster and smaller than mender-artifact | $pw s vs $mw s, $(pct "$ps" "$INSIZE") % vs $(pct "$ms" "$INSIZE") % of the input | $(ok "$pw < $mw && $ps < $ms") |"
        done
    else
        echo "| faster and smaller than mender-artifact | mender-artifact not installed | not measured |"
    fi
    for j in 1 "$T"; do
        a=$(wall "alone-6-$j") p=$(wall "pack-6-$j")
        o=$(awk -v a="$a" -v p="$p" 'BEGIN { printf "%+.1f", 100 * (p - a) / a }')
        echo "| level 6, $j job(s): everything but compression ≤ +10 % | pack $p s vs deflate alone $a s: $o % | $(ok "$o <= 10") |"
    done
    vr=$(awk -v v="$(wall verify)" -v s="$(wall sha256sum)" 'BEGIN { printf "%.2f", s / v }')
    vc=$(awk -v v="$(wall verify)" -v s="$(wall sha256sum-c6)" -v ci="$(size "$C6")" -v i="$INSIZE" \
        'BEGIN { printf "%.2f", (ci / v) / (ci / s) }')
    echo "| verify ≥ 0.8 × sha256sum throughput | $vr × sha256sum of the input (plaintext bytes/s); $vc × sha256sum of the container (container bytes/s) | $(ok "$vr >= 0.8") / $(ok "$vc >= 0.8") |"
    ur=$(div "$(wall gunzip)" "$(wall unpack)")
    echo "| unpack ≥ 0.8 × gzip -d throughput | $ur × | $(ok "$ur >= 0.8") |"
    if [ "$BIG" = 1 ]; then
        worst=0
        for k in big-pack-6-1 "big-pack-6-$T" big-pack-6-32 big-verify big-unpack; do
            r=$(rssm "$k")
            worst=$(awk -v a="$worst" -v b="$r" 'BEGIN { print (b > a ? b : a) }')
        done
        echo "| peak RSS ≤ 64 MiB on 1 GiB, any jobs | largest: $worst MiB (pack at 1, $T, 32 jobs; verify; unpack) | $(ok "$worst <= 64") |"
    fi
} >> "$D/report.md"
cp "$D/report.md" "$BUILD/bench.md"

# ---- chart: throughput against output size, one series per tool
point() {   # KEY OUTPUT_FILE LABEL: "output% MB/s label"
    printf '%s %s "%s"\n' "$(pct "$(size "$2")" "$INSIZE")" "$(mbs "$INSIZE" "$(wall "$1")")" "$3"
}
{
    echo '# fwseal pack, 1 job'
    for l in 1 6 9; do point "pack-$l-1" "$D/f$l-1.fws" "-$l"; done
    printf '\n\n# fwseal pack, all jobs\n'
    for l in 1 6 9; do point "pack-$l-$JOBS" "$D/f$l-$JOBS.fws" "-$l"; done
    for l in 2 3 4; do point "peer-pack-$l" "$D/f$l-$JOBS.fws" "-$l"; done
    printf '\n\n# gzip\n'
    for l in 1 6 9; do point "gzip-$l" "$D/g$l.gz" "-$l"; done
    printf '\n\n# pigz\n'
    for l in 1 6 9; do point "pigz-$l" "$D/p$l.gz" "-$l"; done
    printf '\n\n# peers\n'
    [ $HAVE_MENDER = 1 ] && point mender "$D/m.mender" "mender-artifact"
    [ $HAVE_RAUC = 1 ] && point rauc "$D/rauc/r.raucb" "rauc"
    echo "$(pct "$(size "$D/g6.gz")" "$INSIZE") 0 \"(none)\""
} > "$D/chart.dat"
gnuplot <<EOF
set terminal pngcairo size 1000,650 font "sans,10"
set output "$BUILD/bench.png"
set title "Pack: throughput against output size, $((INSIZE >> 20)) MiB of ELF binaries, $JOBS CPUs"
set xlabel "output size, % of the input (left is smaller)"
set ylabel "throughput, MB/s of input (up is faster)"
set grid
set logscale y
set offsets graph 0.08, graph 0.08, 0, 0
set key top left box opaque
plot "$D/chart.dat" index 0 using 1:2 with points pt 7 ps 1.4 lc rgb "#1f77b4" title "fwseal pack, 1 job", \
     "" index 0 using 1:2:3 with labels left offset 0.8,0 notitle, \
     "" index 1 using 1:2 with points pt 5 ps 1.4 lc rgb "#d62728" title "fwseal pack, $JOBS jobs", \
     "" index 1 using 1:2:3 with labels left offset 0.8,0 notitle, \
     "" index 2 using 1:2 with points pt 9 ps 1.4 lc rgb "#7f7f7f" title "gzip", \
     "" index 2 using 1:2:3 with labels right offset -0.8,0 notitle, \
     "" index 3 using 1:2 with points pt 11 ps 1.4 lc rgb "#2ca02c" title "pigz ($JOBS threads)", \
     "" index 3 using 1:2:3 with labels right offset -0.8,0 notitle, \
     "" index 4 using 1:(\$2 > 0 ? \$2 : 1/0) with points pt 13 ps 1.6 lc rgb "#9467bd" title "peers", \
     "" index 4 using 1:(\$2 > 0 ? \$2 : 1/0):3 with labels left offset 0.8,0.6 notitle
EOF
cat "$BUILD/bench.md"
echo "bench: wrote $BUILD/bench.md and $BUILD/bench.png" >&2
