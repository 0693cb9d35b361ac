# SPDX-License-Identifier: MIT
# fwseal: the host tool, the verifier on the host, the examples, the tests.
#
#   make               build/fwseal, build/fwsv and build/sim, with the
#                      compiler and libraries already installed; installs
#                      nothing and needs no root
#   make demo          keygen, pack, inspect, verify, unpack the example firmware
#   make test          the Criterion suite, the size gate, then each fuzz
#                      harness for 20 s (SAN=1: the suite under ASan+UBSan and
#                      the size gate, no fuzzing)
#   make sim-demo      the A/B bootloader on simulated flash (examples/sim/)
#   make qemu-demo     the bare-metal bootloader on QEMU's Cortex-M4 (examples/qemu-m4/)
#   make size          the verifier's code size, helpers and stack on Cortex-M0+/M3/M4/M33
#                      and RV32, against mk/size-budgets.txt (make test enforces them)
#   make size-docs     rewrites the size tables of README.md and docs/PORTING.md
#   make bench-device  the verifier's instruction counts on Cortex-M0, M4 and M33 under QEMU
#   make fuzz          every libFuzzer harness for FUZZ_SECONDS (60)
#   make bench         host throughput against gzip, pigz, sha256sum and the peers
#   make bench-mem     peak RSS of pack/verify/unpack on a 1 GiB input
#   make bench-rewrap  fleet re-wrap: capsules per minute, peak memory (also
#                      the last part of make bench)
#   make amalgamate    build/dist/fwseal_verify.{c,h}, the two-file verifier
#   make install       fwseal, fwsv, man pages, completions and the verifier for
#                      firmware builds (amalgamation + CMake package) under
#                      $(DESTDIR)$(PREFIX) (PREFIX=/usr/local); make uninstall
#   make deb           Debian packages in build/deb/ (dpkg-buildpackage)
#   make check-one T=tests/test_sha256.c   one test file on its own
#
# Every target from `demo` to `bench-mem` first installs the Debian/Ubuntu
# packages it uses (the PKGS_* lists below) with scripts/install-deps.sh:
# apt-get as root, sudo when that works without a password; otherwise it
# stops and prints the command to run.  `make deps` installs what demo and
# test need, `make deps-TARGET` what one target needs; NO_INSTALL=1 installs
# nothing and runs with what is there.
#
# CC, CFLAGS (default -O2 -g), CPPFLAGS, LDFLAGS and LDLIBS are honoured; the
# libraries' flags come from pkg-config.  Flags and source lists shared with
# the scripts are in mk/flags.mk.

.DEFAULT_GOAL := all
include mk/flags.mk

CFLAGS  ?= -O2 -g
SAN     ?= 0
BUILD   ?= build
ifeq ($(SAN),1)
BUILD    := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

FREE_CFLAGS := $(FREE_STD) $(FREE_INCLUDES) $(CPPFLAGS) $(WARN) $(SANFLAGS) $(CFLAGS)
HOST_CFLAGS := $(HOST_STD) $(HOST_INCLUDES) $(CPPFLAGS) $(LIB_CFLAGS) -pthread $(WARN) \
               $(SANFLAGS) $(CFLAGS)
LINK        := $(CC) $(CFLAGS) $(SANFLAGS) -pthread $(LDFLAGS)
HOST_LIBS   := $(LIB_LIBS) $(LDLIBS)
TEST_CFLAGS := $(shell $(PKG_CONFIG) --cflags criterion 2>/dev/null)
TEST_LIBS   := $(or $(shell $(PKG_CONFIG) --libs criterion 2>/dev/null),-lcriterion)

FREE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(FREE_SRCS))
HOST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(HOST_LIB_SRCS))
MAIN_OBJ  := $(patsubst %.c,$(BUILD)/obj/%.o,$(FWSEAL_MAIN))
LIB       := $(BUILD)/libfwseal.a

# The verifier on the host (build/fwsv) and its two-file amalgamation.
FWSV_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard examples/fwsv/*.c))
DIST         := $(BUILD)/dist
AMALGAMATION := $(DIST)/fwseal_verify.c $(DIST)/fwseal_verify.h

TEST_SRCS    := $(wildcard tests/*.c)
TEST_SUPPORT := $(filter-out tests/test_%.c,$(TEST_SRCS))
TEST_OBJS    := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRCS))
# Where the tests find the programs and data; only the test objects see these.
TEST_DEFS := -DFWSEAL_BIN='"$(abspath $(BUILD)/fwseal)"' \
             -DFWSEAL_BUILD='"$(abspath $(BUILD))"' \
             -DFWSEAL_SRC='"$(abspath .)"' \
             -DVECTORS_DIR='"$(abspath ../shared/vectors)"' \
             -DFWSV_BIN='"$(abspath $(BUILD)/fwsv)"' \
             -DFWSEAL_DIST='"$(abspath $(DIST))"' \
             -DCT_BIN='"$(abspath $(BUILD)/ct_secrets)"' \
             -DFWSEAL_MAKE_VARS='"SAN=$(SAN) NO_INSTALL=1"'
# Skipped tests are listed again at the end of `make test`.
SKIP_LOG  := $(abspath $(BUILD)/test-skips.txt)

# ---- packages (Debian/Ubuntu names), by what runs them ----
# A trailing '?' marks a package installed only where the distribution has it.
PKGS_BUILD := gcc libc6-dev binutils make pkg-config libsodium-dev zlib1g-dev libarchive-dev \
              libp11-kit-dev libsqlite3-dev
PKGS_ARM   := gcc-arm-none-eabi binutils-arm-none-eabi
PKGS_RV32  := gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
PKGS_QEMU  := qemu-system-arm
# clang-14 builds the libFuzzer harnesses; Debian 12 packages libFuzzer and
# the sanitizer runtimes apart (Ubuntu 22.04 ships them with clang-14).
PKGS_FUZZ  := clang-14 libclang-rt-14-dev? libc6-dev binutils make pkg-config \
              libsodium-dev zlib1g-dev libarchive-dev libp11-kit-dev libsqlite3-dev
PKGS_demo         := $(PKGS_BUILD)
PKGS_sim-demo     := $(PKGS_BUILD)
# The suite also runs zip, openssl, valgrind (the constant-time check),
# clang and the cross compilers (the amalgamation, and the size gate with
# python3), script(1), awk, QEMU (the bare-metal bootloader), SoftHSM2 and
# OpenSC's pkcs11-tool (keys in a token) and the fuzz smoke.  The install
# test renders the man pages (groff, man), parses the zsh completion, builds
# a CMake consumer; the docs test runs README.md's and docs/CI.md's commands
# (python3 with PyYAML).
PKGS_test         := $(PKGS_BUILD) libcriterion-dev zip openssl valgrind clang bsdutils mawk \
                     softhsm2 opensc \
                     $(PKGS_ARM) $(PKGS_RV32) $(PKGS_QEMU) $(PKGS_FUZZ) \
                     groff-base man-db zsh cmake python3 python3-yaml
PKGS_fuzz         := $(PKGS_FUZZ)
PKGS_size         := make mawk python3 $(PKGS_ARM) $(PKGS_RV32)
PKGS_size-docs    := $(PKGS_size)
PKGS_bench-device := $(PKGS_BUILD) $(PKGS_ARM) $(PKGS_QEMU)
PKGS_qemu-demo    := $(PKGS_BUILD) mawk $(PKGS_ARM) $(PKGS_QEMU)
# The MCU-sized input is Cortex-M code; the peers are compared where packaged;
# SoftHSM2 and OpenSSL sign through a token and through a command.
PKGS_bench        := $(PKGS_BUILD) mawk pigz gnuplot-nox time $(PKGS_ARM) softhsm2 openssl \
                     mender-artifact? rauc? squashfs-tools?
PKGS_bench-mem    := $(PKGS_BUILD) time
# make deb: the Debian packaging tools (the build itself needs debian/control's
# Build-Depends, which are PKGS_BUILD's libraries).
PKGS_deb          := $(PKGS_BUILD) debhelper dpkg-dev fakeroot lintian
PKGS_bench-rewrap := $(PKGS_BUILD) time

DEPS_TARGETS := demo sim-demo test qemu-demo size size-docs bench-device fuzz bench bench-mem \
                bench-rewrap deb
INSTALL_DEPS := NO_INSTALL=$(NO_INSTALL) scripts/install-deps.sh

.PHONY: all deps deps-build deps-cross amalgamate completions check-one clean check-build
.PHONY: install uninstall
.PHONY: $(DEPS_TARGETS) $(addprefix deps-,$(DEPS_TARGETS)) $(addprefix run-,$(DEPS_TARGETS))

all: $(BUILD)/fwseal $(BUILD)/fwsv $(BUILD)/sim completions

deps:
	@$(INSTALL_DEPS) $(sort $(PKGS_demo) $(PKGS_test))
deps-build:
	@$(INSTALL_DEPS) $(PKGS_BUILD)
deps-cross:
	@$(INSTALL_DEPS) $(PKGS_ARM) $(PKGS_RV32) $(PKGS_QEMU)
$(addprefix deps-,$(DEPS_TARGETS)): deps-%:
	@$(INSTALL_DEPS) $(PKGS_$*)

# Each of these installs its packages, then does its work in a sub-make:
# nothing is compiled before the compiler is there, and the sub-make reads
# pkg-config again.
$(DEPS_TARGETS): %: deps-%
	@$(MAKE) --no-print-directory run-$*

# `make demo test`: one after the other, since each sub-make builds in the
# same tree (the sub-makes themselves still run -j).
ifneq ($(and $(filter $(DEPS_TARGETS),$(MAKECMDGOALS)),$(word 2,$(MAKECMDGOALS))),)
.NOTPARALLEL:
endif

# ---- compiling ----

# Before the first compiler error: a missing compiler or library, named.
check-build:
	@CC='$(CC)' CPPFLAGS='$(CPPFLAGS) $(LIB_CFLAGS)' scripts/check-build.sh

$(FREE_OBJS): $(BUILD)/obj/%.o: %.c | check-build
	@mkdir -p $(dir $@)
	$(CC) $(FREE_CFLAGS) -MMD -MP -c $< -o $@

$(HOST_OBJS) $(MAIN_OBJ) $(FWSV_OBJS): $(BUILD)/obj/%.o: %.c | check-build
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(TEST_OBJS): $(BUILD)/obj/%.o: %.c | check-build
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(TEST_CFLAGS) $(TEST_DEFS) -MMD -MP -c $< -o $@

$(LIB): $(FREE_OBJS) $(HOST_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/fwseal: $(MAIN_OBJ) $(LIB)
	$(LINK) -o $@ $^ $(HOST_LIBS)

# fwsv: the freestanding verifier behind a thin file-I/O main.
$(BUILD)/fwsv: $(FWSV_OBJS) $(LIB)
	$(LINK) -o $@ $^ $(HOST_LIBS)

amalgamate: $(AMALGAMATION)
$(AMALGAMATION) &: scripts/amalgamate.sh host/version.h $(FREE_SRCS) $(wildcard $(addsuffix /*.h,$(FREE_DIRS)))
	scripts/amalgamate.sh $(DIST)

# Shell completions, generated from the programs' command and option tables.
COMPLETIONS := $(BUILD)/completion/fwseal.bash $(BUILD)/completion/_fwseal \
               $(BUILD)/completion/fwsv.bash $(BUILD)/completion/_fwsv
completions: $(COMPLETIONS)
$(BUILD)/completion/fwseal.bash $(BUILD)/completion/_fwseal &: $(BUILD)/fwseal scripts/completions.sh
	scripts/completions.sh $(BUILD)/fwseal $(BUILD)/completion
$(BUILD)/completion/fwsv.bash $(BUILD)/completion/_fwsv &: $(BUILD)/fwsv scripts/completions.sh
	scripts/completions.sh $(BUILD)/fwsv $(BUILD)/completion

# examples/sim: an A/B bootloader on simulated NOR flash, built from the
# amalgamated verifier alone (nothing from libfwseal.a).
SIM_SRCS := $(wildcard examples/sim/*.c)
SIM_VERIFY_OBJ := $(BUILD)/obj/dist/fwseal_verify.o
$(SIM_VERIFY_OBJ): $(AMALGAMATION) | check-build
	@mkdir -p $(dir $@)
	$(CC) $(FREE_STD) -I$(DIST) $(CPPFLAGS) $(WARN) $(SANFLAGS) $(CFLAGS) -c $(DIST)/fwseal_verify.c -o $@
$(BUILD)/sim: $(SIM_SRCS) $(wildcard examples/sim/*.h examples/common/*.h) $(SIM_VERIFY_OBJ)
	$(CC) $(HOST_STD) -I$(DIST) -Iexamples/sim $(CPPFLAGS) $(WARN) $(SANFLAGS) $(CFLAGS) $(LDFLAGS) \
	    -o $@ $(SIM_SRCS) $(SIM_VERIFY_OBJ) $(LDLIBS)

# The constant-time check runs under Valgrind: no sanitizers, and the
# optimisation level fixed, since the check is about what -O2 makes of the code.
$(BUILD)/ct_secrets: tests/ct/ct_secrets.c $(FREE_SRCS) | check-build
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g $(FREE_INCLUDES) -o $@ $^

$(BUILD)/fwseal-tests: $(TEST_OBJS) $(LIB)
	$(LINK) -o $@ $^ $(HOST_LIBS) $(TEST_LIBS)

# One test file on its own, with what is installed: make check-one T=tests/test_sha256.c
check-one: $(BUILD)/fwseal $(LIB) | check-build
	@mkdir -p $(BUILD)/one
	$(CC) $(HOST_CFLAGS) $(TEST_CFLAGS) $(TEST_DEFS) $(LDFLAGS) -o $(BUILD)/one/t $(T) $(TEST_SUPPORT) \
	    $(LIB) $(HOST_LIBS) $(TEST_LIBS)
	$(BUILD)/one/t $(ARGS)

# ---- the targets that install first (see deps-% above) ----

run-demo: $(BUILD)/fwseal
	@BUILD=$(BUILD) CC='$(CC)' sh examples/demo.sh

run-sim-demo: $(BUILD)/fwseal $(BUILD)/sim
	@BUILD=$(BUILD) sh examples/sim/demo.sh

run-test: $(BUILD)/fwseal $(BUILD)/fwseal-tests $(BUILD)/fwsv $(AMALGAMATION) $(BUILD)/ct_secrets $(BUILD)/sim \
          completions
	@rm -f $(SKIP_LOG)
	FWS_SKIP_LOG=$(SKIP_LOG) LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp) \
	    $(BUILD)/fwseal-tests --jobs 2 $(ARGS)
	@# The size gate: every configuration within its budget
	@# (mk/size-budgets.txt), helpers as allowed, the docs' tables current.
	@BUILD=$(BUILD) sh scripts/size.sh --gate >$(BUILD)/size-gate.log 2>&1 || \
	    { tail -n 60 $(BUILD)/size-gate.log; exit 1; }
	@grep -E '^size gate' $(BUILD)/size-gate.log
ifneq ($(SAN),1)
	@# Fuzz smoke (the harnesses are ASan/UBSan builds already): 20 s each,
	@# every saved regression replayed; fails on any finding.
	@FUZZ_SECONDS=20 BUILD=$(BUILD) scripts/fuzz.sh
endif
	@if [ -s $(SKIP_LOG) ]; then \
	    echo "make test: passed, but these did not run (also printed above):"; cat $(SKIP_LOG); fi

# the bare-metal bootloader on QEMU mps2-an386 (examples/qemu-m4/)
run-qemu-demo: $(BUILD)/fwseal
	@BUILD=$(BUILD) sh scripts/qemu-demo.sh

run-size:
	@BUILD=$(BUILD) sh scripts/size.sh

# Rewrites the size tables of README.md and docs/PORTING.md from a fresh run.
run-size-docs:
	@BUILD=$(BUILD) sh scripts/size.sh --write-docs >$(BUILD)/size-docs.log 2>&1 || \
	    { tail -n 40 $(BUILD)/size-docs.log; exit 1; }
	@grep '^size-docs' $(BUILD)/size-docs.log || echo "size-docs: the tables were current"

# The host half of the bench (its inputs and expected results) links the library.
run-bench-device: $(LIB)
	@BUILD=$(BUILD) CC='$(CC)' sh scripts/bench-device.sh

FUZZ_SECONDS ?= 60
run-fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(BUILD) scripts/fuzz.sh

run-bench: $(BUILD)/fwseal $(LIB)
	@BUILD=$(BUILD) CC='$(CC)' sh scripts/bench.sh
	@BUILD=$(BUILD) sh scripts/bench-rewrap.sh

run-bench-rewrap: $(BUILD)/fwseal
	@BUILD=$(BUILD) sh scripts/bench-rewrap.sh

run-bench-mem: $(BUILD)/fwseal
	@BUILD=$(BUILD) sh scripts/bench-mem.sh

# ---- installing (nothing here installs packages) ----
# GNU layout; each directory can be set on its own (debian/rules sets
# ZSHCOMPDIR to Debian's vendor-completions).
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
DATADIR     ?= $(PREFIX)/share
MANDIR      ?= $(DATADIR)/man
DOCDIR      ?= $(DATADIR)/doc/fwseal
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
ZSHCOMPDIR  ?= $(DATADIR)/zsh/site-functions
# The verifier for firmware builds: the amalgamation and its CMake package
# side by side, where find_package(fwseal_verifier) looks under PREFIX.
VERIFIERDIR ?= $(DATADIR)/fwseal_verifier
INSTALL     ?= install
VERSION     := $(shell sed -n 's/^\#define FWSEAL_VERSION "\([^"]*\)"$$/\1/p' host/version.h)
MANPAGES    := docs/fwseal.1 docs/fwsv.1 docs/fwseal-container.5
DOCS        := README.md CHANGELOG.md LICENSE docs/PORTING.md docs/KEYS.md docs/CI.md \
               docs/THREAT_MODEL.md format/SPEC.md
CMAKE_PKG   := cmake/fwseal_verifier-options.cmake

install: all $(AMALGAMATION)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(VERIFIERDIR) $(DESTDIR)$(DOCDIR)
	$(INSTALL) -m 0755 $(BUILD)/fwseal $(BUILD)/fwsv $(DESTDIR)$(BINDIR)/
	@# the man pages name the files under this DATADIR
	for m in $(MANPAGES); do \
	    sed 's|/usr/share/|$(DATADIR)/|g' $$m >$(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} && \
	    chmod 0644 $(DESTDIR)$(MANDIR)/man$${m##*.}/$${m##*/} || exit 1; done
	$(INSTALL) -m 0644 $(BUILD)/completion/fwseal.bash $(DESTDIR)$(BASHCOMPDIR)/fwseal
	$(INSTALL) -m 0644 $(BUILD)/completion/fwsv.bash $(DESTDIR)$(BASHCOMPDIR)/fwsv
	$(INSTALL) -m 0644 $(BUILD)/completion/_fwseal $(BUILD)/completion/_fwsv $(DESTDIR)$(ZSHCOMPDIR)/
	$(INSTALL) -m 0644 $(AMALGAMATION) $(CMAKE_PKG) $(DESTDIR)$(VERIFIERDIR)/
	sed 's/@FWSEAL_VERSION@/$(VERSION)/' cmake/fwseal_verifierConfig.cmake.in \
	    >$(DESTDIR)$(VERIFIERDIR)/fwseal_verifierConfig.cmake
	sed 's/@FWSEAL_VERSION@/$(VERSION)/' cmake/fwseal_verifierConfigVersion.cmake.in \
	    >$(DESTDIR)$(VERIFIERDIR)/fwseal_verifierConfigVersion.cmake
	chmod 0644 $(DESTDIR)$(VERIFIERDIR)/*.cmake
	$(INSTALL) -m 0644 $(DOCS) $(DESTDIR)$(DOCDIR)/

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/fwseal $(DESTDIR)$(BINDIR)/fwsv \
	    $(DESTDIR)$(MANDIR)/man1/fwseal.1 $(DESTDIR)$(MANDIR)/man1/fwsv.1 \
	    $(DESTDIR)$(MANDIR)/man5/fwseal-container.5 \
	    $(DESTDIR)$(BASHCOMPDIR)/fwseal $(DESTDIR)$(BASHCOMPDIR)/fwsv \
	    $(DESTDIR)$(ZSHCOMPDIR)/_fwseal $(DESTDIR)$(ZSHCOMPDIR)/_fwsv
	@# only the files install wrote, then the directories if that left them empty
	rm -f $(addprefix $(DESTDIR)$(VERIFIERDIR)/,fwseal_verify.c fwseal_verify.h \
	    fwseal_verifier-options.cmake fwseal_verifierConfig.cmake \
	    fwseal_verifierConfigVersion.cmake) \
	    $(addprefix $(DESTDIR)$(DOCDIR)/,$(notdir $(DOCS)))
	-rmdir $(DESTDIR)$(VERIFIERDIR) $(DESTDIR)$(DOCDIR) 2>/dev/null

# make deb: dpkg-buildpackage on a copy of the tree (the packages land
# beside the copy, in build/deb/, not in the parent of this tree), then
# lintian, whose findings are printed; an error fails the target.
run-deb:
	@rm -rf $(BUILD)/deb && mkdir -p $(BUILD)/deb/fwseal-$(VERSION)
	@tar -cf - --exclude=./build --exclude=./.git . | tar -xf - -C $(BUILD)/deb/fwseal-$(VERSION)
	cd $(BUILD)/deb/fwseal-$(VERSION) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    dpkg-buildpackage -b -us -uc
	lintian --fail-on error --info $(BUILD)/deb/*.changes
	@ls -l $(BUILD)/deb/*.deb

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
