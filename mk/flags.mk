# SPDX-License-Identifier: MIT
# Compiler flags and source lists: the one definition that the Makefile,
# mk/fuzz.mk and the scripts use (scripts read them as FWS_* shell variables
# through scripts/flags.sh, which runs `make -f mk/flags.mk print-flags`).
# Paths are relative to the top of the tree.

WARN     := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
FREE_STD := -std=c99 -pedantic -ffreestanding
HOST_STD := -std=c11 -D_GNU_SOURCE

# rwildcard DIRS,PATTERN: files matching PATTERN anywhere below DIRS.
rwildcard = $(foreach d,$(wildcard $(addsuffix /*,$1)),$(call rwildcard,$d,$2) $(filter $(subst *,%,$2),$d))

# format/ and verifier/: the freestanding code, shared with the device.
FREE_DIRS     := format verifier
FREE_SRCS     := $(sort $(wildcard $(addsuffix /*.c,$(FREE_DIRS))))
FREE_INCLUDES := $(addprefix -I,$(FREE_DIRS))

# The host code: every .c below these folders, whatever subfolders they grow
# (host/ is the bottom layer once it exists).  The one main.c (signer/main.c)
# is fwseal's main(); everything else goes into the library.  Every folder
# that holds a header is on the include path, after format/ and verifier/.
HOST_DIRS     := $(wildcard host keys signer)
HOST_SRCS     := $(sort $(call rwildcard,$(HOST_DIRS),*.c))
FWSEAL_MAIN   := $(filter %/main.c,$(HOST_SRCS))
HOST_LIB_SRCS := $(filter-out %/main.c,$(HOST_SRCS))
HOST_INCLUDES := $(FREE_INCLUDES) $(addprefix -I,$(HOST_DIRS) \
                   $(filter-out $(HOST_DIRS),$(sort $(patsubst %/,%,$(dir $(call rwildcard,$(HOST_DIRS),*.h))))))

# Libraries, from pkg-config; without it (or without their .pc files), the
# plain -l flags.
PKG_CONFIG ?= pkg-config
HOST_PKGS  := libsodium zlib libarchive sqlite3
# PKCS#11 modules are loaded at run time: p11-kit's pkcs11.h only, no library.
LIB_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(HOST_PKGS) 2>/dev/null) \
              $(or $(shell $(PKG_CONFIG) --cflags p11-kit-1 2>/dev/null),-I/usr/include/p11-kit-1)
LIB_LIBS   := $(or $(shell $(PKG_CONFIG) --libs $(HOST_PKGS) 2>/dev/null),-lsodium -lz -larchive -lsqlite3)

# Bare-metal targets: the cores the verifier is measured on, sections for
# --gc-sections, and a link with nothing but the program and libgcc.
ARCH_M0PLUS   := -mcpu=cortex-m0plus -mthumb -mfloat-abi=soft
ARCH_M3       := -mcpu=cortex-m3 -mthumb -mfloat-abi=soft
ARCH_M4       := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
ARCH_M33      := -mcpu=cortex-m33 -mthumb -mfloat-abi=soft
ARCH_RV32     := -march=rv32imac -mabi=ilp32 -mcmodel=medlow
CROSS_CFLAGS  := $(FREE_STD) -Os $(WARN) -ffunction-sections -fdata-sections
BARE_LDFLAGS  := -nostdlib -nostartfiles -Wl,--gc-sections

FLAG_VARS := WARN FREE_STD HOST_STD FREE_SRCS FREE_INCLUDES HOST_LIB_SRCS HOST_INCLUDES \
             LIB_CFLAGS LIB_LIBS ARCH_M0PLUS ARCH_M3 ARCH_M4 ARCH_M33 ARCH_RV32 CROSS_CFLAGS BARE_LDFLAGS

# print-flags: FWS_NAME='value' lines for the shell (scripts/flags.sh).
shell_quote = '$(subst ','\'',$1)'
.PHONY: print-flags
print-flags:
	$(foreach v,$(FLAG_VARS),$(info FWS_$v=$(call shell_quote,$(strip $($v)))))@:
