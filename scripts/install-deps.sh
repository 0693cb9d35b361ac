#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian/Ubuntu packages a make target needs (the Makefile's
# PKGS_* lists), or says exactly how to.
#
#   scripts/install-deps.sh PACKAGE...
#
# PACKAGE? (a trailing question mark): installed only where the
# distribution has such a package.  Packages already installed are left
# alone.  As root it runs apt-get; otherwise it goes through sudo when sudo
# works without a password; otherwise it prints the command and exits 1.
# NO_INSTALL=1: only report what is missing, and exit 0.
set -eu
say() { echo "fwseal: $*" >&2; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "not a Debian/Ubuntu system: install the equivalents of these packages yourself:"
    say "  $(echo "$@" | tr -d '?')"
    say "then run the target again with NO_INSTALL=1"
    [ "${NO_INSTALL:-}" = 1 ] && exit 0
    exit 1
fi

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed'
}
missing="" optional=""
for p in "$@"; do
    case $p in
    *\?) installed "${p%\?}" || optional="$optional ${p%\?}" ;;
    *) installed "$p" || missing="$missing $p" ;;
    esac
done
[ -z "$missing$optional" ] && exit 0

if [ "${NO_INSTALL:-}" = 1 ]; then
    say "NO_INSTALL=1: not installing${missing:+ the missing packages:$missing}${optional:+ (optional:$optional)}"
    exit 0
fi

# Moves the optional packages that the package lists know to $missing; an
# unknown name would make the whole apt-get command fail.
take_optional() {
    for p in $optional; do
        if apt-cache show "$p" >/dev/null 2>&1; then
            missing="$missing $p"
        else
            say "optional package $p is not available here; going on without it"
        fi
    done
    optional=""
}

if [ "$(id -u)" = 0 ]; then
    as_root=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root="sudo"
else
    take_optional
    [ -n "$missing" ] || exit 0
    if command -v sudo >/dev/null 2>&1; then
        how="run:"
        cmd="sudo apt-get update && sudo apt-get install -y$missing"
    else
        how="run as root (there is no sudo here):"
        cmd="apt-get update && apt-get install -y$missing"
    fi
    say "these packages are missing:$missing"
    say "installing them needs root; $how"
    say "  $cmd"
    say "or run the target with NO_INSTALL=1 to use what is installed"
    exit 1
fi

# sudo resets the environment: the frontend setting goes through env.
apt_get() { $as_root env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }
say "installing:$missing$optional"
apt_get update -qq >&2 || say "apt-get update failed; going on with the package lists there are"
take_optional
[ -n "$missing" ] || exit 0
# shellcheck disable=SC2086
if ! apt_get install -y -qq $missing >&2; then
    say "apt-get could not install:$missing; the command was:"
    say "  ${as_root:+$as_root }apt-get install -y$missing"
    exit 1
fi
