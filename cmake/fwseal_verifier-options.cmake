# SPDX-License-Identifier: MIT
# The verifier's compile-time switches (verifier/fws_config.h and the
# primitives' headers) as CMake cache options, shared by the source tree's
# CMakeLists.txt and the installed fwseal_verifierConfig.cmake.  An empty
# value keeps the header's default; any other value becomes a PUBLIC
# -DNAME=VALUE on fwseal::verifier, so the consumer's code that includes
# the header sees the same structure sizes as the library.  The headers
# reject out-of-range values with #error.
#
#   cmake -DFWS_CFG_MAX_TRUSTED=4 -DFWS_CFG_DELEGATION=0 ...

set(FWSEAL_VERIFIER_SWITCHES
    FWS_CFG_MAX_MANIFEST FWS_CFG_MAX_TRUSTED FWS_CFG_MAX_ROOTS FWS_CFG_MAX_THRESHOLD
    FWS_CFG_DELEGATION FWS_CFG_CT_MUL64 FWS_FE25519_FAST_SQ FWS_ED25519_WINDOW
    FWS_ED25519_B_WINDOW FWS_SHA256_UNROLL)

set(FWS_CFG_MAX_MANIFEST "" CACHE STRING
    "largest manifest accepted, 1..8192 bytes of work area (empty: 8192)")
set(FWS_CFG_MAX_TRUSTED "" CACHE STRING
    "most trusted keys a policy may list, 1..32 (empty: 8)")
set(FWS_CFG_MAX_ROOTS "" CACHE STRING
    "most root keys a policy may list, 1..32 (empty: 4)")
set(FWS_CFG_MAX_THRESHOLD "" CACHE STRING
    "largest signature threshold a policy may ask for, 1..8 (empty: 4)")
set(FWS_CFG_DELEGATION "" CACHE STRING
    "1: accept signing keys certified by root keys; 0: leave it out (empty: 1)")
set(FWS_CFG_CT_MUL64 "" CACHE STRING
    "1: constant-time 32x32->64 products for Cortex-M3 (empty: 0)")
set(FWS_FE25519_FAST_SQ "" CACHE STRING
    "1: a dedicated field squaring, ~20% faster squarings for ~356 bytes (empty: 0)")
set(FWS_ED25519_WINDOW "" CACHE STRING
    "window width 2..5 for the public key's multiples, stack 160 B x 2^(w-2) (empty: 2)")
set(FWS_ED25519_B_WINDOW "" CACHE STRING
    "window width 2..5 for the base point's table, flash 96 B x 2^(w-2) (empty: 2)")
set(FWS_SHA256_UNROLL "" CACHE STRING
    "SHA-256 rounds per loop turn, 2 or 4: 4 is ~14% faster for ~128 bytes (empty: 2)")
set_property(CACHE FWS_SHA256_UNROLL PROPERTY STRINGS "" 2 4)
foreach(_fws_switch IN ITEMS FWS_CFG_DELEGATION FWS_CFG_CT_MUL64 FWS_FE25519_FAST_SQ)
    set_property(CACHE ${_fws_switch} PROPERTY STRINGS "" 0 1)
endforeach()

# Gives `target` the switches that are set, as PUBLIC definitions.
function(fwseal_verifier_apply_switches target)
    foreach(_fws_switch IN LISTS FWSEAL_VERIFIER_SWITCHES)
        if(NOT "${${_fws_switch}}" STREQUAL "")
            if(NOT "${${_fws_switch}}" MATCHES "^[0-9]+$")
                message(FATAL_ERROR
                    "fwseal_verifier: ${_fws_switch}='${${_fws_switch}}': expected a number")
            endif()
            target_compile_definitions(${target} PUBLIC ${_fws_switch}=${${_fws_switch}})
        endif()
    endforeach()
endfunction()
