#!/bin/sh
# SPDX-License-Identifier: MIT
# make size: code size and worst-case stack of the freestanding verifier on
# the targets it is written for.
#
# Cross-compiles every file of format/ and verifier/ with
#   -Os -ffreestanding -std=c99 -ffunction-sections -fdata-sections
# for Cortex-M0+, Cortex-M3 (with FWS_CFG_CT_MUL64=1, the constant-time
# configuration it needs for X25519), Cortex-M4 (arm-none-eabi-gcc, Thumb) and RV32IMAC
# (riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32), links the minimal
# callers of examples/size/ (-nostdlib -nostartfiles -Wl,--gc-sections,
# plus libgcc for the compiler's own helpers, listed as a module of their
# own) and prints, for each configuration:
#   primitives  fws_ed25519_verify alone (Ed25519 verify + SHA-512)
#   boot        fws_boot_check: signature-only boot check of an installed image
#   install     fws_install_*: full install with X25519, ChaCha20 and inflate
# .text and .rodata per module (from the linker map) and in total, the
# totals against the budget, and the worst-case stack of each entry point
# (scripts/stack_usage.py over gcc's -fstack-usage and -fcallgraph-info).
#
# SIZE_TARGETS="m4" limits the targets; SIZE_CFLAGS adds flags (e.g.
# "-DFWS_ED25519_WINDOW=3" to try a tunable).
#
# Exits non-zero if a file does not compile, a caller does not link, or any
# undefined symbol remains (memcpy, memset, ...: the verifier must not need
# a libc).  Everything lands in $BUILD/size/, the report in
# $BUILD/size/report.txt.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/size
TARGETS=${SIZE_TARGETS:-"m0plus m3ct m4 rv32"}
CONFIGS="primitives boot install"

. scripts/flags.sh
CFLAGS_SIZE="$FWS_CROSS_CFLAGS -fstack-usage $FWS_FREE_INCLUDES ${SIZE_CFLAGS:-}"
LDFLAGS_SIZE="$FWS_BARE_LDFLAGS -Wl,-e,_start"

# The tools (`make size` installs them).
need=python3
for t in $TARGETS; do
    case $t in
    rv32) need="$need riscv64-unknown-elf-gcc riscv64-unknown-elf-objdump" ;;
    *) need="$need arm-none-eabi-gcc arm-none-eabi-objdump" ;;
    esac
done
for c in $need; do
    command -v "$c" >/dev/null 2>&1 ||
        { echo "size.sh: $c not found; 'make deps-size' installs the cross tools" >&2; exit 2; }
done

# The budget (Cortex-M4, -Os, .text + .rodata).
budget_of() {
    case $1 in
    primitives) echo 6144 ;; # Ed25519 verify + SHA-512
    boot) echo 8192 ;;
    install) echo 16384 ;;
    inflate) echo 2560 ;;
    esac
}
BUDGET_STACK_ed25519=1536

set_target() {
    case $1 in
    m0plus)
        CROSS=arm-none-eabi-
        ARCH=$FWS_ARCH_M0PLUS
        TNAME="Cortex-M0+" ;;
    m3ct)
        # The configuration recommended for Cortex-M3 with X25519: field
        # products without the M3's variable-time long multiplies.
        CROSS=arm-none-eabi-
        ARCH="$FWS_ARCH_M3 -DFWS_CFG_CT_MUL64=1"
        TNAME="M3 CT_MUL64" ;;
    m4)
        CROSS=arm-none-eabi-
        ARCH=$FWS_ARCH_M4
        TNAME="Cortex-M4" ;;
    rv32)
        CROSS=riscv64-unknown-elf-
        ARCH=$FWS_ARCH_RV32
        TNAME="RV32IMAC" ;;
    *)
        echo "size.sh: unknown target $1" >&2
        exit 2 ;;
    esac
}

# Per-module sizes from a GNU ld map: "module text rodata data bss" lines.
# Only input sections that survived --gc-sections are listed after
# "Linker script and memory map".
map_modules() {
    awk '
    function emit(sec, size, file,    mod, cls) {
        if (file ~ /libgcc\.a\(/) mod = "libgcc"
        else if (file ~ /\/lib\.a\(/) {
            mod = file; sub(/.*\/lib\.a\(/, "", mod); sub(/\.o\)$/, "", mod)
            sub(/-/, "/", mod)
        } else mod = "(caller)"
        if (sec ~ /^\.text/) cls = 1
        else if (sec ~ /^\.(s?rodata|ARM\.extab|ARM\.exidx)/) cls = 2
        else if (sec ~ /^\.s?data/) cls = 3
        else if (sec ~ /^\.s?bss/ || sec == "COMMON") cls = 4
        else return
        seen[mod] = 1
        sz[mod, cls] += strtonum_(size)
    }
    function strtonum_(h,    i, c, v) {
        v = 0; h = tolower(h); sub(/^0x/, "", h)
        for (i = 1; i <= length(h); i++) {
            c = index("0123456789abcdef", substr(h, i, 1)) - 1
            v = v * 16 + c
        }
        return v
    }
    /^Linker script and memory map/ { go = 1; next }
    !go { next }
    /^ [.A-Z]/ {
        n = split($0, f, /[ \t]+/)
        pending = ""
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
        for (m in seen) print m, sz[m, 1] + 0, sz[m, 2] + 0, sz[m, 3] + 0, sz[m, 4] + 0
    }' "$1" | sort
}

rm -rf "$OUT"
mkdir -p "$OUT"
status=0
PROBLEMS=$OUT/problems.txt
: >"$PROBLEMS"

for t in $TARGETS; do
    set_target "$t"
    D=$OUT/$t
    mkdir -p "$D/obj"
    "${CROSS}gcc" --version | head -n 1 >"$D/compiler.txt"
    # gcc >= 12 writes the call graph (.ci); older ones: stack_usage.py
    # reads the calls from the linked programs' disassembly instead.
    CI=""
    if echo 'void f(void);' | "${CROSS}gcc" -fcallgraph-info=su -x c -c - \
        -o "$D/ci-probe.o" >/dev/null 2>&1; then
        CI="-fcallgraph-info=su"
    fi
    rm -f "$D/ci-probe.o" "$D/ci-probe.ci" "$D"/-.ci
    objs=""
    for src in $FWS_FREE_SRCS; do
        o=$D/obj/$(dirname "$src")-$(basename "$src" .c).o
        # shellcheck disable=SC2086
        if ! "${CROSS}gcc" $ARCH $CFLAGS_SIZE $CI -c "$src" -o "$o" 2>"$o.log"; then
            echo "$TNAME: $src does not compile:" >>"$PROBLEMS"
            sed 's/^/    /' "$o.log" | head -n 20 >>"$PROBLEMS"
            status=1
            continue
        fi
        if [ -s "$o.log" ]; then
            echo "$TNAME: warnings in $src:" >>"$PROBLEMS"
            sed 's/^/    /' "$o.log" | head -n 20 >>"$PROBLEMS"
        fi
        objs="$objs $o"
    done
    rm -f "$D/lib.a"
    # shellcheck disable=SC2086
    "${CROSS}ar" rcs "$D/lib.a" $objs

    for cfg in $CONFIGS; do
        caller=examples/size/${cfg}_min.c
        co=$D/obj/${cfg}_min.o
        # shellcheck disable=SC2086
        if ! "${CROSS}gcc" $ARCH $CFLAGS_SIZE $CI -c "$caller" -o "$co" 2>"$co.log"; then
            echo "$TNAME/$cfg: $caller does not compile (API not there yet?):" >>"$PROBLEMS"
            sed 's/^/    /' "$co.log" | head -n 10 >>"$PROBLEMS"
            status=1
            continue
        fi
        elf=$D/$cfg.elf
        # shellcheck disable=SC2086
        if ! "${CROSS}gcc" $ARCH $LDFLAGS_SIZE -Wl,-Map="$D/$cfg.map" -o "$elf" "$co" \
            "$D/lib.a" -lgcc 2>"$D/$cfg.link.log"; then
            undef=$(sed -n "s/.*undefined reference to \`\([^']*\)'.*/\1/p" "$D/$cfg.link.log" |
                sort -u | tr '\n' ' ')
            if [ -z "$undef" ]; then
                echo "$TNAME/$cfg: link failed:" >>"$PROBLEMS"
                sed 's/^/    /' "$D/$cfg.link.log" | head -n 20 >>"$PROBLEMS"
                status=1
                continue
            fi
            echo "$TNAME/$cfg: undefined symbols: $undef" >>"$PROBLEMS"
            awk '
                /: in function `/ {
                    where = $0; sub(/.*lib\.a\(/, "", where); sub(/.*\/obj\//, "", where)
                    fn = where; sub(/.*in function `/, "", fn); sub(/'"'"'.*/, "", fn)
                    sub(/\)?: in function.*/, "", where); sub(/\.o$/, "", where)
                    next
                }
                /undefined reference to `/ {
                    sym = $0; sub(/.*undefined reference to `/, "", sym); sub(/'"'"'.*/, "", sym)
                    print "    " sym " <- " where (fn ~ /^\.L/ ? "" : ": " fn)
                }' "$D/$cfg.link.log" | sort -u >>"$PROBLEMS"
            status=1
            # Measure anyway: the sizes are still meaningful.
            # shellcheck disable=SC2086
            "${CROSS}gcc" $ARCH $LDFLAGS_SIZE -Wl,--unresolved-symbols=ignore-all \
                -Wl,-Map="$D/$cfg.map" -o "$elf" "$co" "$D/lib.a" -lgcc 2>/dev/null
            echo "$undef" >"$D/$cfg.undef"
        fi
        map_modules "$D/$cfg.map" >"$D/$cfg.modules"
    done
done

# ---- report ----
fmt() { # 12345 -> 12,345
    echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

config_title() {
    case $1 in
    primitives) echo "primitives: fws_ed25519_verify alone (Ed25519 verify + SHA-512)" ;;
    boot) echo "boot: fws_boot_check (signatures, policy, component SHA-256 in place)" ;;
    install) echo "install: fws_install_init/push/finish with X25519, HKDF, ChaCha20, inflate" ;;
    esac
}

# is_complete T CFG: the configuration linked with every fws_ function.
is_complete() {
    [ -f "$OUT/$1/$2.modules" ] && ! grep -q 'fws_' "$OUT/$1/$2.undef" 2>/dev/null
}

# total_of T CFG: .text + .rodata of everything but the caller, or "-".
total_of() {
    f=$OUT/$1/$2.modules
    if is_complete "$1" "$2"; then
        awk '$1 != "(caller)" { s += $2 + $3 } END { print s + 0 }' "$f"
    else
        echo -
    fi
}

module_of() { # T CFG MODULE -> text+rodata or "-"
    f=$OUT/$1/$2.modules
    if is_complete "$1" "$2"; then
        awk -v m="$3" '$1 == m { print $2 + $3; found = 1 } END { if (!found) print "-" }' "$f"
    else
        echo -
    fi
}

verdict() { # VALUE BUDGET
    if [ "$1" = - ]; then
        echo "not measured"
    elif [ "$1" -le "$2" ]; then
        echo "ok ($(fmt $(($2 - $1))) to spare)"
    else
        echo "OVER by $(fmt $(($1 - $2))) ($(($1 * 100 / $2 - 100))%)"
    fi
}

{
    echo "fwseal verifier: code size and stack (make size)"
    echo
    # shellcheck disable=SC2086
    printf 'flags: %s\n' "$(echo $CFLAGS_SIZE)"
    printf 'link:  %s, libgcc for compiler helpers\n' "$LDFLAGS_SIZE"
    for t in $TARGETS; do
        set_target "$t"
        printf '%-11s %s  %s\n' "$TNAME:" "$ARCH" "$(cat "$OUT/$t/compiler.txt")"
    done
    echo
    echo "Sizes in bytes, .text + .rodata per module (the caller itself not counted)."
    for cfg in $CONFIGS; do
        echo
        config_title "$cfg"
        hdr=$(printf '%-24s' module)
        sub=$(printf '%-24s' '')
        for t in $TARGETS; do
            set_target "$t"
            hdr="$hdr$(printf '%22s' "$TNAME")"
            sub="$sub$(printf '%8s%7s%7s' text rodata sum)"
        done
        echo "$hdr"
        echo "$sub"
        mods=$(for t in $TARGETS; do
            [ -f "$OUT/$t/$cfg.modules" ] && cut -d' ' -f1 "$OUT/$t/$cfg.modules"
        done | sort -u | grep -v '^(caller)$' || true)
        if [ -z "$mods" ]; then
            echo "  (nothing but the caller linked on any target: see the problems below)"
            continue
        fi
        for t in $TARGETS; do
            if [ -f "$OUT/$t/$cfg.modules" ] && ! is_complete "$t" "$cfg"; then
                set_target "$t"
                echo "  ($TNAME: incomplete, entry points missing: $(cat "$OUT/$t/$cfg.undef"))"
            fi
        done
        for m in $mods "(caller)" total; do
            line=$(printf '%-24s' "$m")
            for t in $TARGETS; do
                f=$OUT/$t/$cfg.modules
                if [ ! -f "$f" ]; then
                    line="$line$(printf '%22s' -)"
                    continue
                fi
                if [ "$m" = total ]; then
                    vals=$(awk '$1 != "(caller)" { a += $2; b += $3 } END { print a + 0, b + 0 }' "$f")
                else
                    vals=$(awk -v m="$m" '$1 == m { print $2, $3; f = 1 } END { if (!f) print "0 0" }' "$f")
                fi
                # shellcheck disable=SC2086
                set -- $vals
                line="$line$(printf '%8s%7s%7s' "$(fmt "$1")" "$(fmt "$2")" "$(fmt $(($1 + $2)))")"
            done
            [ "$m" = total ] && echo "$line" | sed 's/./-/g'
            echo "$line"
        done
        # Verifier code must have no mutable data.
        for t in $TARGETS; do
            f=$OUT/$t/$cfg.modules
            [ -f "$f" ] && awk -v t="$t" '$1 != "(caller)" && ($4 + $5) > 0 {
                print "  warning (" t "): " $1 " has " $4 " bytes of .data and " $5 " of .bss" }' "$f"
        done
    done

    echo
    echo "Totals against the budget (Cortex-M4, -Os, .text + .rodata)"
    line=$(printf '%-22s' config)
    for t in $TARGETS; do
        set_target "$t"
        line="$line$(printf '%12s' "$TNAME")"
    done
    echo "$line$(printf '%10s  %s' budget 'Cortex-M4 verdict')"
    for cfg in $CONFIGS inflate; do
        line=$(printf '%-22s' "$cfg")
        [ "$cfg" = inflate ] && line=$(printf '%-22s' "inflate (module)")
        for t in $TARGETS; do
            if [ "$cfg" = inflate ]; then
                v=$(module_of "$t" install verifier/inflate)
            else
                v=$(total_of "$t" "$cfg")
            fi
            [ "$v" = - ] && line="$line$(printf '%12s' -)" || line="$line$(printf '%12s' "$(fmt "$v")")"
        done
        b=$(budget_of "$cfg")
        note=""
        if [ "$cfg" = inflate ]; then
            v=$(module_of m4 install verifier/inflate)
            if [ "$v" = - ] && [ -f "$OUT/m4/obj/verifier-inflate.o" ]; then
                # install not linked: the whole object (nearly all of it is used)
                v=$(arm-none-eabi-size -A "$OUT/m4/obj/verifier-inflate.o" |
                    awk '$1 ~ /^\.(text|rodata)/ { s += $2 } END { print s + 0 }')
                note=" (whole inflate.o: install not linked)"
            fi
        else
            v=$(total_of m4 "$cfg")
        fi
        echo "$line$(printf '%10s  %s' "$(fmt "$b")" "$(verdict "$v" "$b")$note")"
    done

    echo
    echo "Worst-case stack (bytes) of each entry point along its call graph: gcc"
    echo "-fstack-usage frames summed over the -fcallgraph-info calls (no recursion)."
    echo "The figures exclude the caller's callbacks (sink, reader, unwrap):"
    echo "'callback@D' means a callback runs with D bytes of verifier stack below"
    echo "it, so the worst case is max(figure, D + the callback's own stack)."
    echo "'~libgcc': libgcc helper frames read from the disassembly."
    for t in $TARGETS; do
        set_target "$t"
        echo
        echo "$TNAME:"
        elfs=""
        for cfg in $CONFIGS; do
            [ -f "$OUT/$t/$cfg.elf" ] && elfs="$elfs --elf $OUT/$t/$cfg.elf"
        done
        graph=$(ls "$OUT/$t"/obj/*.ci 2>/dev/null || true)
        if [ -z "$graph" ]; then
            echo "  (no -fcallgraph-info: call graph from the disassembly of the programs)"
            graph=$(ls "$OUT/$t"/obj/*.su)
        fi
        # shellcheck disable=SC2086
        python3 scripts/stack_usage.py --objdump "${CROSS}objdump" $elfs \
            --entry fws_boot_check --entry fws_install_init --entry fws_install_push \
            --entry fws_install_finish --entry fws_ed25519_verify --entry fws_x25519 \
            --entry fws_sha256 --entry fws_sha512 --entry fws_hkdf_sha256 \
            --entry fws_chacha20_xor --entry fws_inflate_push --entry fws_manifest_decode \
            $graph >"$OUT/$t/stack.txt" ||
            echo "$TNAME: dynamic stack frame or recursion, see the stack table" >>"$PROBLEMS"
        sed 's/^/  /' "$OUT/$t/stack.txt"
        if [ "$t" = m4 ]; then
            v=$(awk '$1 == "fws_ed25519_verify" { print $2 }' "$OUT/$t/stack.txt")
            case $v in
            '' | *[!0-9]*) ;;
            *) echo "  fws_ed25519_verify against the 1,536-byte budget: $(verdict "$v" "$BUDGET_STACK_ed25519")" ;;
            esac
        fi
    done

    echo
    if [ -s "$PROBLEMS" ]; then
        echo "Problems:"
        cat "$PROBLEMS"
    else
        echo "No undefined symbols; every configuration links on every target."
    fi
} | tee "$OUT/report.txt"

grep -q 'does not compile\|undefined symbols\|link failed\|recursion' "$PROBLEMS" && status=1
exit $status
