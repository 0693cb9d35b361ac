# fwseal: `make demo` and `make test` set up everything on Debian/Ubuntu.
#   make            build build/fwseal (host tool)
#   make test       build and run the Criterion suite (SAN=1: ASan+UBSan)
#   make demo       keygen, pack, inspect, verify, unpack the example firmware
#   make bench-mem  peak RSS of pack/unpack on a 1 GiB input

CC      ?= cc
SAN     ?= 0
BUILD   ?= build
ifeq ($(SAN),1)
BUILD   := build/san
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

DEPS_PKGS := libsodium-dev zlib1g-dev libarchive-dev libcriterion-dev pkg-config valgrind \
             gcc-arm-none-eabi binutils-arm-none-eabi qemu-system-arm

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
OPT       := -O2 -g
# Host code: one folder per layer (host/, keys/, signer/ and its
# subfolders), sources found by wildcard, one -I per folder.
HOST_DIRS := host keys $(patsubst %/,%,$(sort $(dir $(wildcard signer/*.c signer/*/*.c))))
INCLUDES  := -Iformat -Iverifier $(addprefix -I,$(HOST_DIRS))
HOST_CFLAGS := -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) $(INCLUDES) $(SANFLAGS) $(CFLAGS)
# format/ and verifier/ are freestanding C99: no libc headers, no builtins.
FREE_CFLAGS := -std=c99 -pedantic -ffreestanding $(OPT) $(WARN) -Iformat -Iverifier $(SANFLAGS) $(CFLAGS)
LDLIBS_HOST := -lsodium -lz -larchive
LDFLAGS_ALL := $(SANFLAGS) $(LDFLAGS)

FORMAT_SRCS   := $(wildcard format/*.c)
VERIFIER_SRCS := $(wildcard verifier/*.c)
FWSEAL_MAIN   := $(wildcard signer/main.c signer/*/main.c)
HOST_SRCS     := $(filter-out $(FWSEAL_MAIN),$(wildcard $(addsuffix /*.c,$(HOST_DIRS))))
FREE_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(FORMAT_SRCS) $(VERIFIER_SRCS))
HOST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(HOST_SRCS))
LIB       := $(BUILD)/libfwseal.a

# The verifier on the host (build/fwsv) and its two-file amalgamation.
FWSV_SRCS    := $(wildcard examples/fwsv/*.c)
DIST         := $(BUILD)/dist
AMALGAMATION := $(DIST)/fwseal_verify.c $(DIST)/fwseal_verify.h

TEST_SRCS := $(wildcard tests/*.c)
TEST_SUPPORT := $(filter-out tests/test_%.c,$(TEST_SRCS))
TEST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(TEST_SRCS))
VECTORS   := $(abspath ../shared/vectors)
TEST_DEFS := -DFWSEAL_BIN='"$(abspath $(BUILD)/fwseal)"' \
             -DFWSEAL_BUILD='"$(abspath $(BUILD))"' \
             -DFWSEAL_SRC='"$(abspath .)"' \
             -DVECTORS_DIR='"$(VECTORS)"' \
             -DFWSV_BIN='"$(abspath $(BUILD)/fwsv)"' \
             -DFWSEAL_DIST='"$(abspath $(DIST))"' \
             -DCT_BIN='"$(abspath $(BUILD)/ct_secrets)"'

.PHONY: all deps test demo clean bench bench-mem check-one amalgamate size bench-device fuzz
all: $(BUILD)/fwseal
all: $(BUILD)/fwsv

deps:
	@scripts/install-deps.sh $(DEPS_PKGS)

$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(if $(filter format/% verifier/%,$<),$(FREE_CFLAGS),$(HOST_CFLAGS) $(TEST_DEFS)) -MMD -MP -c $< -o $@

$(LIB): $(FREE_OBJS) $(HOST_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/fwseal: $(patsubst %.c,$(BUILD)/obj/%.o,$(FWSEAL_MAIN)) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_HOST)

# fwsv: the freestanding verifier behind a thin file-I/O main.
$(BUILD)/fwsv: $(patsubst %.c,$(BUILD)/obj/%.o,$(FWSV_SRCS)) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_HOST)

# make amalgamate: $(DIST)/fwseal_verify.{c,h} for "copy two files" users.
amalgamate: $(AMALGAMATION)
$(AMALGAMATION) &: scripts/amalgamate.sh $(FORMAT_SRCS) $(VERIFIER_SRCS) \
                   $(wildcard format/*.h verifier/*.h)
	scripts/amalgamate.sh $(DIST)

# examples/sim: an A/B bootloader on simulated NOR flash, built from the
# amalgamated verifier alone (nothing from libfwseal.a).
SIM_SRCS := $(wildcard examples/sim/*.c)
SIM_VERIFY_OBJ := $(BUILD)/obj/dist/fwseal_verify.o
$(SIM_VERIFY_OBJ): $(AMALGAMATION)
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -pedantic -ffreestanding $(OPT) $(WARN) -I$(DIST) $(SANFLAGS) $(CFLAGS) -c $(DIST)/fwseal_verify.c -o $@
$(BUILD)/sim: $(SIM_SRCS) $(wildcard examples/sim/*.h examples/common/*.h) $(SIM_VERIFY_OBJ)
	$(CC) -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -I$(DIST) -Iexamples/sim $(SANFLAGS) $(CFLAGS) \
	    -o $@ $(SIM_SRCS) $(SIM_VERIFY_OBJ) $(LDFLAGS_ALL)
all: $(BUILD)/sim

.PHONY: sim-demo qemu-demo
# make qemu-demo: the bare-metal bootloader on QEMU mps2-an386 (examples/qemu-m4/)
qemu-demo: $(BUILD)/fwseal | deps
	@BUILD=$(BUILD) sh scripts/qemu-demo.sh

sim-demo: $(BUILD)/fwseal $(BUILD)/sim
	@BUILD=$(BUILD) sh examples/sim/demo.sh

# The constant-time check runs under Valgrind, so no sanitizers here.
$(BUILD)/ct_secrets: tests/ct/ct_secrets.c $(FORMAT_SRCS) $(VERIFIER_SRCS) | deps
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O2 -g -Iformat -Iverifier -o $@ $^

$(BUILD)/fwseal-tests: $(TEST_OBJS) $(LIB)
	$(CC) $(LDFLAGS_ALL) -o $@ $^ $(LDLIBS_HOST) -lcriterion

# One test file on its own: make check-one T=tests/test_sha256.c
check-one: $(BUILD)/fwseal $(LIB) | deps
	@mkdir -p $(BUILD)/one
	$(CC) $(HOST_CFLAGS) $(TEST_DEFS) -o $(BUILD)/one/t $(T) $(TEST_SUPPORT) $(LIB) $(LDFLAGS_ALL) $(LDLIBS_HOST) -lcriterion
	$(BUILD)/one/t $(ARGS)

test: $(BUILD)/fwseal $(BUILD)/fwseal-tests $(BUILD)/fwsv $(AMALGAMATION) $(BUILD)/ct_secrets $(BUILD)/sim
	LSAN_OPTIONS=suppressions=$(abspath tests/lsan.supp) $(BUILD)/fwseal-tests --jobs 2 $(ARGS)
ifneq ($(SAN),1)
	@# Fuzz smoke (the harnesses are ASan/UBSan builds already): 20 s each,
	@# every saved regression replayed; fails on any finding.
	@FUZZ_SECONDS=20 BUILD=$(BUILD) sh scripts/fuzz.sh
endif

# make fuzz FUZZ_SECONDS=N: every libFuzzer harness for N seconds.
FUZZ_SECONDS ?= 60
fuzz: $(BUILD)/fwseal
	@FUZZ_SECONDS=$(FUZZ_SECONDS) BUILD=$(BUILD) sh scripts/fuzz.sh

demo: $(BUILD)/fwseal | deps
	@BUILD=$(BUILD) CC=$(CC) sh examples/demo.sh

# Cross-compiled code size and stack of the verifier (Cortex-M0+/M4, RV32).
size:
	@BUILD=$(BUILD) sh scripts/size.sh

# Instruction counts on a Cortex-M4 under QEMU.
bench-device:
	@BUILD=$(BUILD) sh scripts/bench-device.sh

# Host throughput against gzip, pigz, sha256sum and the peers.
bench: $(BUILD)/fwseal $(LIB)
	@BUILD=$(BUILD) sh scripts/bench.sh

bench-mem: $(BUILD)/fwseal
	@BUILD=$(BUILD) sh scripts/bench-mem.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
