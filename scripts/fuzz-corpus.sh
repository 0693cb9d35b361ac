#!/bin/bash
# SPDX-License-Identifier: MIT
# Seed corpora for the fuzz harnesses (scripts/fuzz.sh runs this), made
# from real artifacts: containers packed by fwseal (plain, compressed with
# several windows, encrypted to X25519 and to a PSK, several signers,
# several components, Intel HEX and tar inputs, 0-byte components, a
# rollback, another class, an untrusted signer) with the harnesses' own
# test keys (tests/fuzz/fuzz_common.c), key files written by the keys/
# code, Intel HEX from objcopy, zlib streams from zlib's deflate.
#
# Output: $BUILD/fuzz/corpus/<harness>/, each seed prefixed with the
# harness's option bytes (see the comment at the top of each harness).
# Regenerated only when this script, fwseal or the seed tool changed.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
OUT="$BUILD/fuzz"
FWSEAL="$OUT/fwseal"
TOOL="$OUT/fuzz_corpus_tool"
C="$OUT/corpus"
W="$OUT/seed-work"

if [ ! -x "$FWSEAL" ] || [ ! -x "$TOOL" ]; then
    BUILD="$BUILD" scripts/fuzz.sh --build
fi
if [ -f "$C/.stamp" ] && [ "$C/.stamp" -nt "$0" ] && [ "$C/.stamp" -nt "$FWSEAL" ] &&
    [ "$C/.stamp" -nt "$TOOL" ]; then
    exit 0
fi

# fwseal and the tool are built with ASan; their leaks are not the point here.
export ASAN_OPTIONS=detect_leaks=0
export SOURCE_DATE_EPOCH=1700000000
rm -rf "$C" "$W"
for h in fuzz_install fuzz_install_resigned fuzz_boot fuzz_inflate fuzz_container_reader \
    fuzz_keyfile fuzz_ihex fuzz_image_inputs; do
    mkdir -p "$C/$h"
done
mkdir -p "$W/keys" "$W/in"
K="$W/keys"

# One byte, from a decimal value.
# shellcheck disable=SC2059
byte() { printf "\\$(printf '%03o' "$1")"; }

# ---- keys ----
"$TOOL" keys "$K" >/dev/null
for f in "$K"/*.key "$K"/*.pub; do
    n=${f##*/}
    { byte 1; cat "$f"; } >"$C/fuzz_keyfile/s-$n"
    { byte 0; cat "$f"; } >"$C/fuzz_keyfile/p-$n"
    { byte 2; cat "$f"; } >"$C/fuzz_keyfile/f-$n"
done

# ---- inputs ----
I="$W/in"
head -c 3000 format/SPEC.md >"$I/text.bin"
head -c 9000 format/SPEC.md | tail -c 6000 >"$I/text2.bin"
head -c 700 "$TOOL" >"$I/bin.bin"
tail -c 1500 "$TOOL" >"$I/bin2.bin"
: >"$I/empty.bin"
objcopy -I binary -O ihex --change-addresses 0x08000000 "$I/bin.bin" "$I/fw.hex"
objcopy -I binary -O ihex "$I/text.bin" "$I/low.hex"
# Segment addressing (02) with a start record (03), written by hand.
printf ':020000021000EC\n:0400000048656C6C77\n:0400000300001000E9\n:00000001FF\n' >"$I/seg.hex"
(cd "$I" && tar cf two.tar text.bin bin.bin)

# ---- containers ----
n=0
pack() {   # pack NAME ARGS...: a container in $W/NAME.fws
    name=$1
    shift
    (cd "$W" && "../fwseal" pack -o "$name.fws" --version 1.2.3+4 --class fuzz.example/device \
        "$@") >/dev/null
    n=$((n + 1))
}
S1="--key keys/sign1.key"
C5="--counter 5"
# shellcheck disable=SC2086
{
    pack plain $S1 $C5 --level 0 --chunk-size 256 app=in/text.bin
    pack z9 $S1 $C5 --level 9 --window-bits 9 --chunk-size 512 app=in/text.bin
    pack z12 $S1 $C5 --level 6 --window-bits 12 --chunk-size 1024 app=in/text.bin cfg=in/bin.bin
    pack z15 $S1 $C5 --level 6 --chunk-size 4096 app=in/text2.bin
    pack x25519 $S1 $C5 --encrypt-to keys/dev.pub --level 6 --window-bits 10 --chunk-size 256 \
        app=in/text.bin
    pack psk $S1 $C5 --encrypt-to keys/psk.key --level 0 --chunk-size 320 app=in/bin.bin
    pack padded $S1 $C5 --encrypt-to keys/dev.pub --pad-to 512 --level 6 --chunk-size 256 \
        app=in/text.bin
    pack both $S1 $C5 --encrypt-to keys/dev.pub --encrypt-to keys/psk.key --level 9 \
        --chunk-size 448 app=in/text.bin cfg=in/bin2.bin
    pack multisig $S1 --key keys/sign2.key $C5 --level 1 --chunk-size 256 app=in/text.bin
    pack untrusted-first --key keys/sign3.key $S1 $C5 --level 0 --chunk-size 1024 app=in/bin.bin
    pack multicomp $S1 $C5 --level 6 --window-bits 11 --chunk-size 256 --meta build=42 \
        --meta git=0123abcd app=in/text.bin@0x08000000 cfg=in/bin.bin@0 boot=in/fw.hex
    pack hex $S1 $C5 --level 0 --chunk-size 256 low=in/low.hex seg=in/seg.hex
    pack tar $S1 $C5 --level 9 --window-bits 9 --chunk-size 256 in/two.tar
    pack empty $S1 $C5 --allow-empty --chunk-size 256 empty=in/empty.bin
    pack empty-mixed $S1 $C5 --allow-empty --level 6 --chunk-size 256 a=in/empty.bin \
        app=in/bin.bin z=in/empty.bin
    pack empty-enc $S1 $C5 --allow-empty --encrypt-to keys/psk.key empty=in/empty.bin
    pack rollback $S1 --counter 1 --level 0 --chunk-size 256 app=in/bin.bin
    pack untrusted --key keys/sign3.key $C5 --level 0 --chunk-size 256 app=in/bin.bin
    # sign2 certified by root sign3 (as fz_sig_block does), raising the floor to 2.
    "$W/../fwseal" cert issue --root "$W/keys/sign3.key" --subject "$W/keys/sign2.pub" \
        --generation 2 --class fuzz.example/device -o "$W/keys/sign2.cert" >/dev/null
    pack delegated --key keys/sign2.key --cert keys/sign2.cert --min-key-generation 2 $C5 \
        --level 6 --chunk-size 256 app=in/text.bin
}
# shellcheck disable=SC2086
(cd "$W" && "../fwseal" pack -o other-class.fws --version 1.0.0 --class other/device \
    $S1 $C5 --level 0 --chunk-size 256 app=in/bin.bin) >/dev/null

# Per container: its device key mode (FZ_MODE_*: 0 X25519, 1 PSK) and extras.
mode_of() {
    case "$1" in
    psk | empty-enc) echo 1 ;;
    multisig) echo 8 ;;    # threshold 2
    delegated) echo 128 ;; # trusts root sign3
    plain | z9) echo 4 ;;  # class checked
    *) echo 0 ;;
    esac
}
for f in "$W"/*.fws; do
    b=${f##*/}
    b=${b%.fws}
    m=$(mode_of "$b")
    { byte 0; cat "$f"; } >"$C/fuzz_container_reader/$b"
    { byte 3; cat "$f"; } >"$C/fuzz_container_reader/$b-json"
    { byte 0; byte "$m"; cat "$f"; } >"$C/fuzz_install/$b"
    { byte 1; byte "$((m | 4))"; cat "$f"; } >"$C/fuzz_install/$b-bytewise"
    fix=15
    [ "$b" = delegated ] && fix=$((15 | 128))   # re-signed through the delegation too
    { byte 7; byte "$m"; byte "$fix"; cat "$f"; } >"$C/fuzz_install_resigned/$b"
    case "$b" in
    rollback | untrusted | untrusted-first | other-class) ;;
    *) "$TOOL" boot "$f" "$C/fuzz_boot/$b" "$m" ;;
    esac
done
# The SPEC.md worked example (signed by another key: rejected, but parsed).
sed -n '/EXAMPLE-HEX-BEGIN/,/EXAMPLE-HEX-END/p' format/SPEC.md |
    sed -n 's/^[0-9a-f]\{4\}: \(\([0-9a-f][0-9a-f] \?\)*\).*/\1/p' | tr -d ' \n' |
    sed 's/../\\x&/g' | xargs -0 printf '%b' >"$W/spec-example.bin" 2>/dev/null || true
if [ -s "$W/spec-example.bin" ]; then
    { byte 0; cat "$W/spec-example.bin"; } >"$C/fuzz_container_reader/spec-example"
    { byte 0; byte 0; cat "$W/spec-example.bin"; } >"$C/fuzz_install/spec-example"
fi

# ---- Intel HEX ----
for f in "$I"/*.hex; do
    b=${f##*/}
    { byte 3; cat "$f"; } >"$C/fuzz_ihex/$b"
    { byte 4; cat "$f"; } >"$C/fuzz_ihex/$b-gap0"
done

# ---- S-records (mode 0) and ELF (mode 1) ----
objcopy -I binary -O srec --change-addresses 0x08000000 "$I/bin.bin" "$I/fw.srec"
objcopy -I binary -O srec --srec-forceS3 "$I/text.bin" "$I/s3.srec"
for f in "$I"/*.srec; do
    { byte 6; cat "$f"; } >"$C/fuzz_image_inputs/${f##*/}"
done
printf 'int x = 1; void _start(void); void _start(void) { for (;;) x++; }\n' >"$I/tiny.c"
if ${CC:-cc} -Os -nostdlib -static -no-pie -Wl,--build-id=none -o "$I/tiny.elf" "$I/tiny.c" \
        2>/dev/null; then
    { byte 7; cat "$I/tiny.elf"; } >"$C/fuzz_image_inputs/tiny.elf"
fi

# ---- zlib ----
"$TOOL" zlib "$C/fuzz_inflate" >/dev/null
# and the compressed containers' payloads are covered by fuzz_install_resigned.

touch "$C/.stamp"
for h in "$C"/*/; do
    h=${h%/}
    printf 'fuzz-corpus: %-22s %3d seeds\n' "${h##*/}" "$(find "$h" -type f | wc -l)" >&2
done
printf 'fuzz-corpus: %d containers packed\n' "$((n + 1))" >&2
