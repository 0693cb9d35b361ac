#!/bin/sh
# SPDX-License-Identifier: MIT
# make size: code size, compiler helpers and worst-case stack of the
# freestanding verifier on the targets it is written for, against the
# budgets of mk/size-budgets.txt.
#
#   scripts/size.sh               measure and report
#   scripts/size.sh --gate        also fail (status 1) when a figure is over
#                                 its budget, a compiler helper not allowed
#                                 for its target is linked, or the generated
#                                 tables of README.md and docs/PORTING.md
#                                 differ from this run (make test runs this)
#   scripts/size.sh --write-docs  measure, then rewrite those tables
#                                 (scripts/size-docs.sh)
#
# Targets: Cortex-M0+, Cortex-M3 (with FWS_CFG_CT_MUL64=1, the constant-time
# configuration it needs for X25519), Cortex-M4, Cortex-M33
# (arm-none-eabi-gcc, Thumb) and RV32IMAC (riscv64-unknown-elf-gcc
# -march=rv32imac -mabi=ilp32), all -Os -ffreestanding -std=c99
# -ffunction-sections -fdata-sections.  Configurations: the minimal callers
# of examples/size/, linked with -nostdlib -nostartfiles -Wl,--gc-sections
# and libgcc for the compiler's own helpers:
#   primitives  fws_ed25519_verify alone (Ed25519 verify + SHA-512)
#   boot        fws_boot_check: the boot check of an installed image
#   install     fws_install_*: install with X25519, HKDF, ChaCha20, inflate
#   bootloader  both: what a bootloader that installs and boots links
#
# Each configuration is linked twice:
#   - against the amalgamation (build/size/dist/fwseal_verify.c, one
#     translation unit, as an integrator copies it): its .text + .rodata,
#     the caller's own sections not counted, is the figure of record, the
#     one the budgets hold;
#   - against one object per source file, for the per-module breakdown
#     (from the linker map) and the stack analysis
#     (scripts/stack_usage.py over gcc's -fstack-usage and -fcallgraph-info).
#
# SIZE_TARGETS="m4" limits the targets; SIZE_CFLAGS adds flags (e.g.
# "-DFWS_ED25519_WINDOW=3" to try a tunable); --gate ignores both.
#
# Exits non-zero if a file does not compile, a caller does not link, or any
# undefined symbol remains (memcpy, memset, ...: the verifier must not need
# a libc).  Everything lands in $BUILD/size/: the report in report.txt, the
# figures in totals.txt (target config amalgamation per-file helpers).
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT=$BUILD/size
BUDGETS=mk/size-budgets.txt
MODE=report
case ${1:-} in
'') ;;
--gate) MODE=gate ;;
--write-docs) MODE=write-docs ;;
*) echo "usage: scripts/size.sh [--gate | --write-docs]" >&2; exit 2 ;;
esac
ALL_TARGETS="m0plus m3ct m4 m33 rv32"
TARGETS=${SIZE_TARGETS:-$ALL_TARGETS}
EXTRA_CFLAGS=${SIZE_CFLAGS:-}
if [ "$MODE" != report ]; then
    # The budgets and the tables are about the defaults, on every target.
    TARGETS=$ALL_TARGETS
    EXTRA_CFLAGS=
fi
CONFIGS="primitives boot install bootloader"

. scripts/flags.sh
CFLAGS_SIZE="$FWS_CROSS_CFLAGS -fstack-usage $EXTRA_CFLAGS"
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
    m33)
        CROSS=arm-none-eabi-
        ARCH=$FWS_ARCH_M33
        TNAME="Cortex-M33" ;;
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
# "Linker script and memory map".  The caller (*_min.o) is "(caller)", the
# amalgamation "(amalgamation)".
map_modules() {
    awk '
    function emit(sec, size, file,    mod, cls) {
        if (file ~ /libgcc\.a\(/) mod = "libgcc"
        else if (file ~ /\/lib\.a\(/) {
            mod = file; sub(/.*\/lib\.a\(/, "", mod); sub(/\.o\)$/, "", mod)
            sub(/-/, "/", mod)
        } else if (file ~ /fwseal_verify\.o$/) mod = "(amalgamation)"
        else mod = "(caller)"
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

# The libgcc helpers in the linked image: the symbols defined in libgcc
# input sections that survived --gc-sections (the map's memory map), sorted,
# comma-separated, or "-".  (The "Archive member included" list would also
# name members whose code the garbage collection then dropped.)
map_helpers() {
    awk '
    /^Linker script and memory map/ { go = 1; next }
    !go { next }
    /^ \.text/ {
        keep = 0
        if ($0 ~ /libgcc\.a\(/ && $3 ~ /^0x/ && $3 != "0x0") keep = 1
        else if (NF == 1) { pending = 1; next }
        pending = 0; next
    }
    pending && /libgcc\.a\(/ { keep = ($2 != "0x0"); pending = 0; next }
    /^ [.A-Z*]/ { keep = 0; pending = 0; next }
    keep && /^[ \t]+0x[0-9a-fA-F]+[ \t]+[A-Za-z_][A-Za-z0-9_]*$/ { print $2 }
    ' "$1" | sort -u | awk '{ s = s (s == "" ? "" : ",") $0 } END { print s == "" ? "-" : s }'
}

rm -rf "$OUT"
mkdir -p "$OUT"
status=0
PROBLEMS=$OUT/problems.txt
: >"$PROBLEMS"

# The amalgamation, and headers under the names the callers include.
sh scripts/amalgamate.sh "$OUT/dist" >/dev/null
mkdir -p "$OUT/shim"
for h in fws_verify.h ed25519_verify.h; do
    echo '#include "fwseal_verify.h"' >"$OUT/shim/$h"
done

# link_config T CFG KIND: links the caller against lib.a (KIND lib) or the
# amalgamation (KIND amalg) into $D/KIND/CFG.{elf,map,modules}, and records
# undefined symbols in CFG.undef.
link_config() {
    cfg=$2
    kind=$3
    dir=$D/$kind
    co=$dir/${cfg}_min.o
    if [ "$kind" = lib ]; then
        inc="$FWS_FREE_INCLUDES"
        objs="$D/lib.a"
    else
        inc="-I$OUT/shim -I$OUT/dist"
        objs="$dir/fwseal_verify.o"
    fi
    # shellcheck disable=SC2086
    if ! "${CROSS}gcc" $ARCH $CFLAGS_SIZE $CI $inc -c "examples/size/${cfg}_min.c" -o "$co" \
        2>"$co.log"; then
        echo "$TNAME/$cfg ($kind): examples/size/${cfg}_min.c does not compile:" >>"$PROBLEMS"
        sed 's/^/    /' "$co.log" | head -n 10 >>"$PROBLEMS"
        status=1
        return
    fi
    elf=$dir/$cfg.elf
    # shellcheck disable=SC2086
    if ! "${CROSS}gcc" $ARCH $LDFLAGS_SIZE -Wl,-Map="$dir/$cfg.map" -o "$elf" "$co" \
        $objs -lgcc 2>"$dir/$cfg.link.log"; then
        undef=$(sed -n "s/.*undefined reference to \`\([^']*\)'.*/\1/p" "$dir/$cfg.link.log" |
            sort -u | tr '\n' ' ')
        if [ -z "$undef" ]; then
            echo "$TNAME/$cfg ($kind): link failed:" >>"$PROBLEMS"
            sed 's/^/    /' "$dir/$cfg.link.log" | head -n 20 >>"$PROBLEMS"
            status=1
            return
        fi
        echo "$TNAME/$cfg ($kind): undefined symbols: $undef" >>"$PROBLEMS"
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
            }' "$dir/$cfg.link.log" | sort -u >>"$PROBLEMS"
        status=1
        # Measure anyway: the sizes are still meaningful.
        # shellcheck disable=SC2086
        "${CROSS}gcc" $ARCH $LDFLAGS_SIZE -Wl,--unresolved-symbols=ignore-all \
            -Wl,-Map="$dir/$cfg.map" -o "$elf" "$co" $objs -lgcc 2>/dev/null
        echo "$undef" >"$dir/$cfg.undef"
    fi
    map_modules "$dir/$cfg.map" >"$dir/$cfg.modules"
}

for t in $TARGETS; do
    set_target "$t"
    D=$OUT/$t
    mkdir -p "$D/obj" "$D/lib" "$D/amalg"
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
        if ! "${CROSS}gcc" $ARCH $CFLAGS_SIZE $CI $FWS_FREE_INCLUDES -c "$src" -o "$o" \
            2>"$o.log"; then
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
    # shellcheck disable=SC2086
    if ! "${CROSS}gcc" $ARCH $CFLAGS_SIZE -I"$OUT/dist" -c "$OUT/dist/fwseal_verify.c" \
        -o "$D/amalg/fwseal_verify.o" 2>"$D/amalg/fwseal_verify.log"; then
        echo "$TNAME: the amalgamation does not compile:" >>"$PROBLEMS"
        sed 's/^/    /' "$D/amalg/fwseal_verify.log" | head -n 20 >>"$PROBLEMS"
        status=1
    fi

    for cfg in $CONFIGS; do
        link_config "$t" "$cfg" lib
        [ -f "$D/amalg/fwseal_verify.o" ] && link_config "$t" "$cfg" amalg
    done
done

# ---- figures ----
fmt() { # 12345 -> 12,345
    echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'
}

config_title() {
    case $1 in
    primitives) echo "primitives: fws_ed25519_verify alone (Ed25519 verify + SHA-512)" ;;
    boot) echo "boot: fws_boot_check (signatures incl. delegation, policy, digests in place)" ;;
    install) echo "install: fws_install_init/push/finish with X25519, HKDF, ChaCha20, inflate" ;;
    bootloader) echo "bootloader: install and boot check together" ;;
    esac
}

# is_complete T CFG KIND: the configuration linked with every fws_ function.
is_complete() {
    [ -f "$OUT/$1/$3/$2.modules" ] && ! grep -q 'fws_' "$OUT/$1/$3/$2.undef" 2>/dev/null
}

# total_of T CFG KIND: .text + .rodata of everything but the caller, or "-".
total_of() {
    if is_complete "$1" "$2" "$3"; then
        awk '$1 != "(caller)" { s += $2 + $3 } END { print s + 0 }' "$OUT/$1/$3/$2.modules"
    else
        echo -
    fi
}

module_of() { # T CFG MODULE -> text+rodata or "-" (per-file link)
    f=$OUT/$1/lib/$2.modules
    if is_complete "$1" "$2" lib; then
        awk -v m="$3" '$1 == m { print $2 + $3; found = 1 } END { if (!found) print "-" }' "$f"
    else
        echo -
    fi
}

helpers_of() { # T CFG -> libgcc symbols the verifier pulls in (amalgamation link)
    if [ -f "$OUT/$1/amalg/$2.map" ]; then
        map_helpers "$OUT/$1/amalg/$2.map"
    else
        echo "?"
    fi
}

TOTALS=$OUT/totals.txt
{
    echo "# target config amalgamation per-file helpers (scripts/size.sh)"
    for t in $TARGETS; do
        for cfg in $CONFIGS; do
            echo "$t $cfg $(total_of "$t" "$cfg" amalg) $(total_of "$t" "$cfg" lib) $(helpers_of "$t" "$cfg")"
        done
    done
} >"$TOTALS"
for t in $TARGETS; do
    set_target "$t"
    "${CROSS}gcc" -dumpversion >"$OUT/$t/gcc-version.txt"
done

# ---- what a feature costs ----
# "cost NAME TARGET BUDGET CONFIG FLAG...": CONFIG's amalgamation total
# with the default switches minus the same with FLAG... (which turn the
# feature off), e.g. delegation = bootloader - bootloader with
# -DFWS_CFG_DELEGATION=0.  Lines "NAME TARGET CONFIG with without" in $COSTS.
COSTS=$OUT/costs.txt
: >"$COSTS"
grep '^cost ' "$BUDGETS" | while read -r _ name t _ cfg flags; do
    case " $TARGETS " in *" $t "*) ;; *) continue ;; esac
    set_target "$t"
    D=$OUT/$t
    CI=""
    mkdir -p "$D/cost-$name"
    # shellcheck disable=SC2086
    if "${CROSS}gcc" $ARCH $CFLAGS_SIZE $flags -I"$OUT/dist" -c "$OUT/dist/fwseal_verify.c" \
        -o "$D/cost-$name/fwseal_verify.o" 2>"$D/cost-$name/fwseal_verify.log"; then
        CFLAGS_SAVED=$CFLAGS_SIZE
        CFLAGS_SIZE="$CFLAGS_SIZE $flags"
        link_config "$t" "$cfg" "cost-$name"
        CFLAGS_SIZE=$CFLAGS_SAVED
    fi
    echo "$name $t $cfg $(total_of "$t" "$cfg" amalg) $(total_of "$t" "$cfg" "cost-$name")" >>"$COSTS"
done

# ---- budgets ----
# Lines of mk/size-budgets.txt: "size CONFIG TARGET BUDGET GOAL",
# "helpers TARGET SYMBOL,... | -", "toolchain TARGET VERSION".  GOAL "-"
# is a ratchet (no goal was set for that core: the budget holds the figure
# measured when the gate was set), enforced only with the compiler version
# it was measured with.
BUDGET_OUT=$OUT/budgets.txt
: >"$BUDGET_OUT"
gate_failed=0
check_budgets() {
    while read -r kind a b c d; do
        case $kind in
        size)
            cfg=$a t=$b budget=$c goal=$d
            case " $TARGETS " in *" $t "*) ;; *) continue ;; esac
            v=$(awk -v t="$t" -v c="$cfg" '$1 == t && $2 == c { print $3 }' "$TOTALS")
            tc=$(awk -v t="$t" '$1 == "toolchain" && $2 == t { print $3 }' "$BUDGETS")
            have=$(cat "$OUT/$t/gcc-version.txt")
            if [ "$goal" = - ] && [ -n "$tc" ] && [ "$tc" != "$have" ]; then
                echo "size $cfg $t $v $budget skipped (ratchet set with gcc $tc, this is $have)"
            elif [ -z "$v" ] || [ "$v" = - ]; then
                echo "size $cfg $t - $budget FAIL (not measured)"
            elif [ "$v" -le "$budget" ]; then
                echo "size $cfg $t $v $budget ok"
            else
                echo "size $cfg $t $v $budget FAIL (over by $((v - budget)))"
            fi
            ;;
        cost)
            name=$a t=$b budget=$c
            case " $TARGETS " in *" $t "*) ;; *) continue ;; esac
            set -- $(awk -v n="$name" -v t="$t" '$1 == n && $2 == t { print $4, $5 }' "$COSTS")
            if [ $# != 2 ] || [ "$1" = - ] || [ "$2" = - ]; then
                echo "cost $name $t - $budget FAIL (not measured)"
            elif [ $(($1 - $2)) -le "$budget" ]; then
                echo "cost $name $t $(($1 - $2)) $budget ok"
            else
                echo "cost $name $t $(($1 - $2)) $budget FAIL (over by $(($1 - $2 - budget)))"
            fi
            ;;
        helpers)
            t=$a allowed=$b
            case " $TARGETS " in *" $t "*) ;; *) continue ;; esac
            for cfg in $CONFIGS; do
                used=$(awk -v t="$t" -v c="$cfg" '$1 == t && $2 == c { print $5 }' "$TOTALS")
                bad=""
                for s in $(echo "$used" | tr ',' ' '); do
                    [ "$s" = - ] && continue
                    case ",$allowed," in *",$s,"*) ;; *) bad="$bad $s" ;; esac
                done
                if [ -n "$bad" ]; then
                    echo "helpers $cfg $t $used $allowed FAIL (not allowed:$bad)"
                else
                    echo "helpers $cfg $t $used $allowed ok"
                fi
            done
            ;;
        esac
    done <<EOF
$(grep -v '^[[:space:]]*\(#\|$\)' "$BUDGETS")
EOF
}
check_budgets >"$BUDGET_OUT"
grep -q FAIL "$BUDGET_OUT" && gate_failed=1

budget_of() { # CFG TARGET -> bytes or ""
    awk -v c="$1" -v t="$2" '$1 == "size" && $2 == c && $3 == t { print $4 }' "$BUDGETS"
}
goal_of() { # CFG TARGET -> bytes, or "" (none, or a ratchet)
    awk -v c="$1" -v t="$2" '$1 == "size" && $2 == c && $3 == t && $5 != "-" { print $5 }' "$BUDGETS"
}

verdict() { # VALUE BUDGET
    if [ "$1" = - ]; then
        echo "not measured"
    elif [ -z "$2" ]; then
        echo "no budget"
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
    echo "Per module: .text + .rodata in bytes of one object per source file"
    echo "(the caller itself not counted).  The totals of record are the"
    echo "amalgamation's, below: one translation unit links a little differently."
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
            [ -f "$OUT/$t/lib/$cfg.modules" ] && cut -d' ' -f1 "$OUT/$t/lib/$cfg.modules"
        done | sort -u | grep -v '^(caller)$' || true)
        if [ -z "$mods" ]; then
            echo "  (nothing but the caller linked on any target: see the problems below)"
            continue
        fi
        for t in $TARGETS; do
            if [ -f "$OUT/$t/lib/$cfg.modules" ] && ! is_complete "$t" "$cfg" lib; then
                set_target "$t"
                echo "  ($TNAME: incomplete, entry points missing: $(cat "$OUT/$t/lib/$cfg.undef"))"
            fi
        done
        for m in $mods "(caller)" total; do
            line=$(printf '%-24s' "$m")
            for t in $TARGETS; do
                f=$OUT/$t/lib/$cfg.modules
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
            for kind in lib amalg; do
                f=$OUT/$t/$kind/$cfg.modules
                [ -f "$f" ] && awk -v t="$t" '$1 != "(caller)" && ($4 + $5) > 0 {
                    print "  warning (" t "): " $1 " has " $4 " bytes of .data and " $5 " of .bss" }' "$f"
            done
        done
    done

    echo
    echo "Totals of record: the amalgamation, .text + .rodata (bytes), -Os"
    line=$(printf '%-22s' config)
    for t in $TARGETS; do
        set_target "$t"
        line="$line$(printf '%12s' "$TNAME")"
    done
    echo "$line$(printf '%10s  %s' 'M4 goal' 'Cortex-M4 against the goal')"
    for cfg in $CONFIGS; do
        line=$(printf '%-22s' "$cfg")
        for t in $TARGETS; do
            v=$(total_of "$t" "$cfg" amalg)
            [ "$v" = - ] && line="$line$(printf '%12s' -)" || line="$line$(printf '%12s' "$(fmt "$v")")"
        done
        b=$(goal_of "$cfg" m4)
        echo "$line$(printf '%10s  %s' "$(fmt "${b:--}")" "$(verdict "$(total_of m4 "$cfg" amalg)" "$b")")"
    done
    line=$(printf '%-22s' "(per-file objects)")
    echo "$line"
    for cfg in $CONFIGS; do
        line=$(printf '%-22s' "  $cfg")
        for t in $TARGETS; do
            v=$(total_of "$t" "$cfg" lib)
            [ "$v" = - ] && line="$line$(printf '%12s' -)" || line="$line$(printf '%12s' "$(fmt "$v")")"
        done
        echo "$line"
    done
    line=$(printf '%-22s' "inflate (module)")
    for t in $TARGETS; do
        v=$(module_of "$t" install verifier/inflate)
        [ "$v" = - ] && line="$line$(printf '%12s' -)" || line="$line$(printf '%12s' "$(fmt "$v")")"
    done
    echo "$line"

    echo
    echo "Compiler helpers (libgcc) the verifier pulls in, per configuration:"
    for t in $TARGETS; do
        set_target "$t"
        line=$(printf '  %-12s' "$TNAME:")
        for cfg in $CONFIGS; do
            line="$line $cfg $(helpers_of "$t" "$cfg");"
        done
        echo "$line"
    done

    echo
    echo "Budgets ($BUDGETS):"
    awk '{
        rest = ""
        for (i = 6; i <= NF; i++) rest = rest " " $i
        if ($1 == "size") printf "  %-10s %-7s %7s of %7s %s\n", $2, $3, $4, $5, rest
        else if ($1 == "cost") printf "  %-10s %-7s %7s of %7s %s (what it adds)\n", $2, $3, $4, $5, rest
        else printf "  helpers %-10s %-7s %s (allowed: %s)%s\n", $2, $3, $4, $5, rest
    }' "$BUDGET_OUT"

    echo
    echo "Worst-case stack (bytes) of each entry point along its call graph: gcc"
    echo "-fstack-usage frames summed over the -fcallgraph-info calls (no recursion),"
    echo "per-file objects.  The figures exclude the caller's callbacks (sink,"
    echo "reader, unwrap): 'callback@D' means a callback runs with D bytes of"
    echo "verifier stack below it, so the worst case is max(figure, D + the"
    echo "callback's own stack).  '~libgcc': libgcc helper frames read from the"
    echo "disassembly."
    for t in $TARGETS; do
        set_target "$t"
        echo
        echo "$TNAME:"
        elfs=""
        for cfg in $CONFIGS; do
            [ -f "$OUT/$t/lib/$cfg.elf" ] && elfs="$elfs --elf $OUT/$t/lib/$cfg.elf"
        done
        graph=$(ls "$OUT/$t"/obj/*.ci 2>/dev/null || true)
        if [ -z "$graph" ]; then
            echo "  (no -fcallgraph-info: call graph from the disassembly of the programs)"
            graph=$(ls "$OUT/$t"/obj/*.su)
        fi
        # shellcheck disable=SC2086
        python3 scripts/stack_usage.py --objdump "${CROSS}objdump" $elfs \
            --indirect fws_md_update=fws_sha256_compress,fws_sha512_compress \
            --entry fws_boot_check --entry fws_install_init --entry fws_install_push \
            --entry fws_install_finish --entry fws_ed25519_verify --entry fws_x25519 \
            --entry fws_sha256 --entry fws_sha512 --entry fws_hkdf_sha256 \
            --entry fws_chacha20_xor --entry fws_inflate_push --entry fws_manifest_decode \
            $graph >"$OUT/$t/stack.txt" ||
            echo "$TNAME: dynamic stack frame or recursion, see the stack table" >>"$PROBLEMS"
        sed 's/^/  /' "$OUT/$t/stack.txt"
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

case $MODE in
gate)
    if [ "$gate_failed" = 1 ]; then
        echo "size gate: FAILED: a figure is over its budget or a helper is not allowed" \
            "($BUDGET_OUT, the budgets in $BUDGETS)" >&2
        status=1
    fi
    if ! sh scripts/size-docs.sh --check "$OUT"; then
        status=1
    fi
    [ "$status" = 0 ] && echo "size gate: every configuration within its budget; docs agree"
    ;;
write-docs)
    [ "$status" = 0 ] && sh scripts/size-docs.sh --write "$OUT"
    ;;
esac
exit $status
