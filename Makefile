# Two commands on a fresh Debian/Ubuntu machine:
#   make demo   build examples/hello/hello.c into a wasip2 component and run it
#   make test   run the whole test suite
# Both install what is missing first: a virtualenv with wasip2ld and its test dependencies, then the
# toolchain (`wasip2ld toolchain install`, plus `--system` apt packages when run as root).

PYTHON ?= python3
VENV ?= .venv
BIN := $(CURDIR)/$(VENV)/bin
WASIP2LD := $(BIN)/wasip2ld
export PATH := $(BIN):$(PATH)
SYSTEM_FLAG := $(if $(filter 0,$(shell id -u)),--system,)
# Extra Debian packages the integration tests drive (build systems, compiler launchers).
# python3-venv: the packaging test installs the built wheel into a fresh venv of Debian's python3 (which the
# unprivileged distccd of the distcc test can run); distcc: distributed compiles.
TEST_DEBS := ccache dpkg-dev autotools-dev cmake make python3-venv distcc
PYTEST_ARGS ?=

.PHONY: demo test setup toolchain test-deps clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed

toolchain: setup
	$(WASIP2LD) toolchain install $(SYSTEM_FLAG)
	$(WASIP2LD) doctor

# The tests also keep the older, p1-importing wasi-libc working: installed beside the default one.
OLD_WASI_LIBC_SUITE := trixie

test-deps: toolchain
	$(WASIP2LD) toolchain install --suite $(OLD_WASI_LIBC_SUITE)
	@if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  missing=""; for p in $(TEST_DEBS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; fi; \
	fi

demo: toolchain
	mkdir -p out
	$(BIN)/wasip2-clang examples/hello/hello.c -o out/hello.wasm
	$(WASIP2LD) run out/hello.wasm

test: test-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf out .pytest_cache
