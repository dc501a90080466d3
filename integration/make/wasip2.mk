# wasip2.mk: build plain Makefiles for wasm32-wasip2 with wasip2ld.
#
# Use it in one of two ways:
#   wasip2ld make [--module] [TARGETS…]       sets CC/CXX/AR/RANLIB/LD in make's environment (like emmake)
#   include $(WASIP2_MK)  /  include <path>/wasip2.mk      at the top of a Makefile, after which
#                                             $(CC) etc. point at wasip2ld whoever runs make.
# Settings (environment or `make VAR=…`):
#   WASIP2_MODE   component (default: executables are WASI 0.2 components) or module (core module build
#                 targets that carry their WIT world)
#   WASIP2_WIT / WASIP2_WORLD   the WIT file or directory and world executables target
# Running what was built: $(WASIP2_RUN) prog.wasm ARGS (wasmtime, the build directory preopened).
# C bindings of a WIT world (docs/bindgen.md):  $(eval $(call wasip2_bindgen,WIT,WORLD,DIR))  adds a rule
#   making DIR/<world>.h and DIR/<world>.c with `wasip2ld bindgen c` (remade when WIT changes).
# See docs/integration-make.md.

WASIP2LD ?= wasip2ld
WASIP2_MODE ?= component

# `wasip2ld make` exports these; otherwise ask wasip2ld once (:= evaluates each $(shell) only here).
ifeq ($(origin WASIP2_CC),undefined)
WASIP2_CC := wasip2-clang
endif
ifeq ($(origin WASIP2_CXX),undefined)
WASIP2_CXX := wasip2-clang++
endif
ifeq ($(origin WASIP2_AR),undefined)
WASIP2_AR := $(shell $(WASIP2LD) toolchain path llvm-ar)
endif
ifeq ($(origin WASIP2_RANLIB),undefined)
WASIP2_RANLIB := $(shell $(WASIP2LD) toolchain path llvm-ranlib)
endif
ifeq ($(origin WASIP2_NM),undefined)
WASIP2_NM := $(shell $(WASIP2LD) toolchain path llvm-nm 2>/dev/null)
endif
# No suffix when the kernel runs wasm programs directly (`wasip2ld binfmt install`), else .wasm.
ifeq ($(origin WASIP2_EXEEXT),undefined)
WASIP2_EXEEXT := $(if $(filter 0,$(shell $(WASIP2LD) binfmt status >/dev/null 2>&1; echo $$?)),,.wasm)
endif
ifeq ($(WASIP2_AR),)
$(error wasip2.mk: `$(WASIP2LD) toolchain path llvm-ar` found no archiver; run `wasip2ld doctor`)
endif

ifeq ($(origin WASIP2_MODE_FLAGS),undefined)
WASIP2_MODE_FLAGS := $(if $(filter module,$(WASIP2_MODE)),--module) \
                     $(if $(WASIP2_WIT),--wit=$(WASIP2_WIT)) $(if $(WASIP2_WORLD),--world=$(WASIP2_WORLD))
WASIP2_MODE_FLAGS := $(strip $(WASIP2_MODE_FLAGS))
endif
ifeq ($(filter component module,$(WASIP2_MODE)),)
$(error wasip2.mk: WASIP2_MODE must be `component` or `module`, not `$(WASIP2_MODE)`)
endif

CC := $(WASIP2_CC) $(WASIP2_MODE_FLAGS)
CXX := $(WASIP2_CXX) $(WASIP2_MODE_FLAGS)
LD := $(CC)
AR := $(WASIP2_AR)
RANLIB := $(WASIP2_RANLIB)
EXEEXT := $(WASIP2_EXEEXT)
ifneq ($(WASIP2_NM),)
NM := $(WASIP2_NM)
endif
WASIP2_RUN ?= $(WASIP2LD) run --dir=.

# $(call wasip2_bindgen,WIT,WORLD,DIR): the rule for DIR/<world>.h and DIR/<world>.c (world `my-world` or
# `ns:pkg/my-world@1.0` -> my_world.h/.c); WIT is a .wit file or a directory of them.
wasip2_bindgen_stem = $(subst -,_,$(firstword $(subst @, ,$(lastword $(subst /, ,$(1))))))
wasip2_bindgen_deps = $(if $(wildcard $(1)/.),$(wildcard $(1)/*.wit $(1)/deps/*.wit $(1)/deps/*/*.wit),$(1))
define wasip2_bindgen
$(3)/$(call wasip2_bindgen_stem,$(2)).h $(3)/$(call wasip2_bindgen_stem,$(2)).c &: $(call wasip2_bindgen_deps,$(1))
	$$(WASIP2LD) bindgen c --wit $(1) --world $(2) --out-dir $(3)
endef
