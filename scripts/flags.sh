# SPDX-License-Identifier: MIT
# Sourced by the scripts, from the top of the tree: the compiler flags and
# source lists of mk/flags.mk as FWS_* shell variables (FWS_WARN,
# FWS_FREE_SRCS, FWS_ARCH_M4, ...), so that they are defined in one place.
# A calling make's options and jobserver (MAKEFLAGS) are not passed on.
fws_flags=$(MAKEFLAGS='' MFLAGS='' MAKELEVEL='' make --no-print-directory -s -f mk/flags.mk print-flags) || {
    echo "${0##*/}: cannot read the build flags: 'make -f mk/flags.mk print-flags' failed" >&2
    exit 1
}
eval "$fws_flags"
unset fws_flags
