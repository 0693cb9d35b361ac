# SPDX-License-Identifier: MIT
# The libFuzzer harnesses of tests/fuzz/, run by scripts/fuzz.sh as
#   make -f mk/fuzz.mk CC=clang-14 OUT=build/fuzz
# The project's sources are compiled again with clang, coverage and
# sanitizers (the gcc-built libfwseal.a cannot be instrumented) into
# $(OUT)/libfwseal-fuzz.a; one binary per harness; fwseal and the seed tool
# (sanitized, not fuzzed) for scripts/fuzz-corpus.sh.
.DEFAULT_GOAL := all
include mk/flags.mk

OUT      ?= build/fuzz
TARGETS  := $(patsubst tests/fuzz/%.c,%,$(filter-out tests/fuzz/fuzz_common.c tests/fuzz/fuzz_corpus_tool.c,\
              $(wildcard tests/fuzz/fuzz_*.c)))
SAN      := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
COMMON   := -g -O1 $(WARN) $(SAN) -fsanitize=fuzzer-no-link
FREE     := $(FREE_STD) $(FREE_INCLUDES) $(COMMON)
HOST     := $(HOST_STD) $(HOST_INCLUDES) -Itests -Itests/fuzz $(LIB_CFLAGS) -pthread $(COMMON)
LIBS     := $(LIB_LIBS)
OBJS     := $(patsubst %.c,$(OUT)/obj/%.o,$(FREE_SRCS) $(HOST_LIB_SRCS))
LIB      := $(OUT)/libfwseal-fuzz.a
COMMON_OBJ := $(OUT)/obj/tests/fuzz/fuzz_common.o $(OUT)/obj/tests/inflate_oracle.o \
              $(OUT)/obj/tests/spec_digest.o

.PHONY: all
all: $(addprefix $(OUT)/,$(TARGETS)) $(OUT)/fwseal $(OUT)/fuzz_corpus_tool

# Comparison tracing helps the fuzzer guess magic values, not invert hashes
# or signatures: it is left out of the arithmetic of the primitives, where
# it made an Ed25519 verification several times slower.
NOCMP := verifier/fe25519.c verifier/x25519.c verifier/ed25519_verify.c verifier/sha256.c \
         verifier/sha512.c verifier/chacha20.c verifier/hmac_sha256.c

$(OUT)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(if $(filter $(FREE_SRCS),$<),$(FREE),$(HOST)) \
	    $(if $(filter $(NOCMP),$<),-fno-sanitize-coverage=trace-cmp) -MMD -MP -c $< -o $@

$(LIB): $(OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(OUT)/fuzz_%: $(OUT)/obj/tests/fuzz/fuzz_%.o $(COMMON_OBJ) $(LIB)
	$(CC) $(SAN) -fsanitize=fuzzer -pthread -o $@ $^ $(LIBS)

$(OUT)/fuzz_corpus_tool: $(OUT)/obj/tests/fuzz/fuzz_corpus_tool.o $(COMMON_OBJ) $(LIB)
	$(CC) $(SAN) -pthread -o $@ $^ $(LIBS)

$(OUT)/fwseal: $(OUT)/obj/$(FWSEAL_MAIN:.c=.o) $(LIB)
	$(CC) $(SAN) -pthread -o $@ $^ $(LIBS)

.SECONDARY:
-include $(shell find $(OUT)/obj -name '*.d' 2>/dev/null)
