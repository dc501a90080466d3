"""Real open-source C projects, fetched as Debian source packages, built with wasip2ld's integration files
and no source patches, and their own test suites run as they are, with wasm programs run by the kernel
through `wasip2ld binfmt` (a private registration). See docs/real-projects.md.

- cJSON (CMake): the library and its 22 ctest tests (Unity's setjmp-based protection on), registered by
  path; the sample program's output is compared with a native build of the same source. As components and as
  core module build targets (`--module`).
- zlib (its own configure script + Make): the library and `make teststatic`, zlib's own test target; as
  components and as module build targets.
- GNU FriBidi (Meson, and autotools with libtool): its whole `meson test` suite (the Unicode conformance
  suites and the charset tests a Python script drives) and its whole `make check`.
- TinyXML-2 (C++, Meson): its `xmltest` suite, as a component and as a module build target.
"""
from __future__ import annotations

import gzip
import re
import shlex
import shutil
from pathlib import Path

import pytest

from .conftest import JOBS, copy_tree, wasm_layer
from .debsrc import fetch_source

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mode", ["component", "module"])
def test_cjson_with_cmake(programs, sh, wasip2ld_argv, debian_sources, binfmt, tmp_path, mode):
    src = fetch_source("cjson", debian_sources)
    build = tmp_path / "build"
    # Unity protects each test with setjmp/longjmp, which wasip2-clang supports with no flags. In module
    # mode every program is a core module build target (a whole program: stdio, files, exit).
    module = ["-DCMAKE_EXE_LINKER_FLAGS=--module"] if mode == "module" else []
    sh([*wasip2ld_argv, "cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF", "-DENABLE_CJSON_TEST=ON", "-DENABLE_CJSON_UTILS=ON", *module], env=binfmt)
    sh(["cmake", "--build", build, JOBS], env=binfmt)
    assert wasm_layer(build / "tests" / "parse_examples") == mode
    # cJSON registers its tests by path (add_test(NAME x COMMAND ${CMAKE_CURRENT_BINARY_DIR}/x)): with the
    # binfmt registration they have native names and ctest runs them directly, none "Not Run".
    tests = sh(["ctest", "--test-dir", build, "-j2", "--output-on-failure"], env=binfmt)
    assert "100% tests passed, 0 tests failed out of 22" in tests.stdout, tests.stdout[-3000:]
    native = tmp_path / "cJSON_test.native"
    sh(["cc", "-O1", "-o", native, src / "test.c", src / "cJSON.c", "-lm"])
    expected = sh([native]).stdout
    wasm = sh([build / "cJSON_test"], env=binfmt).stdout
    assert wasm == expected and "Version: 1.7.15" in wasm


@pytest.mark.parametrize("mode", ["component", "module"])
def test_zlib_with_configure_and_make(programs, sh, wasip2ld_argv, debian_sources, binfmt, tmp_path, mode):
    tree = copy_tree(fetch_source("zlib", debian_sources), tmp_path / "zlib")
    env = _make_env(sh, wasip2ld_argv)
    if mode == "module":
        env["LDFLAGS"] = "--module"  # example and minigzip become core module build targets
    # zlib's configure takes the cross tools from CC/AR/RANLIB; CHOST only names the target.
    sh(["./configure", "--static"], cwd=tree, env={**env, "CHOST": "wasm32-unknown-wasip2"})
    sh(["make", JOBS, "libz.a", "example", "minigzip"], cwd=tree, env=env)
    assert wasm_layer(tree / "example") == mode
    test = sh(["make", "teststatic"], cwd=tree, env={**env, **binfmt})  # runs ./example, ./minigzip directly
    assert "*** zlib test OK ***" in test.stdout
    # minigzip writes real gzip: the host's decompressor reads it back.
    data = b"wasip2ld " * 1000
    packed = sh([*wasip2ld_argv, "run", tree / "minigzip"], stdin=data, binary=True).stdout
    assert gzip.decompress(packed) == data


# fribidi's CLI keeps several 65000-element buffers on the stack: wasip2ld's default 8 MiB stack holds them
# (wasm-ld's own 64 KiB default would not).
FRIBIDI_CLOCKS = ("-D_WASI_EMULATED_PROCESS_CLOCKS", "-lwasi-emulated-process-clocks")


def test_fribidi_with_meson(programs, sh, wasip2ld_argv, debian_sources, binfmt, tmp_path):
    src = fetch_source("fribidi", debian_sources)
    cross = tmp_path / "wasip2.ini"
    sh([*wasip2ld_argv, "meson-cross", "-o", cross])
    build = tmp_path / "build"
    # fribidi-benchmark uses times(): wasi-libc emulates it when asked to.
    sh(["meson", "setup", build, src, "--cross-file", cross, "-Ddocs=false", f"-Dc_args={FRIBIDI_CLOCKS[0]}",
        f"-Dc_link_args=['{FRIBIDI_CLOCKS[1]}']"], env=binfmt)
    sh(["meson", "compile", "-C", build, JOBS], env=binfmt)
    assert wasm_layer(build / "bin" / "fribidi") == "component"
    # The conformance suites run through the exe_wrapper; the 6 charset tests through test-runner.py,
    # which executes bin/fribidi itself (binfmt).
    tests = sh(["meson", "test", "-C", build, "--num-processes", "2"], env=binfmt)
    assert re.search(r"^Ok:\s+8\s*$", tests.stdout, re.M), tests.stdout


def test_fribidi_with_autotools(programs, sh, wasip2ld_argv, debian_sources, binfmt, tmp_path):
    tree = copy_tree(fetch_source("fribidi", debian_sources), tmp_path / "fribidi")
    # The 2018 config.sub in the tarball predates WASI; refresh it from autotools-dev exactly as Debian's
    # own build does (dh_update_autotools_config). The sources themselves are untouched.
    config_sub = Path("/usr/share/misc/config.sub")
    if not config_sub.is_file():
        pytest.fail("/usr/share/misc/config.sub is missing (apt-get install autotools-dev)", pytrace=False)
    shutil.copy2(config_sub, tree / "config.sub")
    env = _make_env(sh, wasip2ld_argv)
    configure = sh(["./configure", "--host=wasm32-unknown-wasip2", "--disable-shared", f"CFLAGS=-O2 {FRIBIDI_CLOCKS[0]}",
        f"LIBS={FRIBIDI_CLOCKS[1]}"], cwd=tree, env=env)
    # libtool's symbol check reads wasm objects with the NM that `wasip2ld make --print-env` provides.
    assert re.search(r"^checking command to parse \S*llvm-nm output from .* object\.\.\. ok$",
                     configure.stdout, re.M), configure.stdout
    sh(["make", JOBS], cwd=tree, env=env)
    assert wasm_layer(tree / "bin" / "fribidi") == "component"
    check = sh(["make", "check", JOBS], cwd=tree, env={**env, **binfmt})  # run.tests executes bin/fribidi
    assert sorted(re.findall(r"^(PASS|FAIL|ERROR): (\S+)", check.stdout, re.M)) == [
        ("PASS", "BidiCharacterTest.txt"), ("PASS", "BidiTest.txt"), ("PASS", "run.tests")], check.stdout


@pytest.mark.parametrize("mode", ["component", "module"])
def test_tinyxml2_cxx_with_meson(programs, sh, wasip2ld_argv, debian_sources, binfmt, tmp_path, mode):
    """C++ (libc++ strings, containers, stdio) through Meson; `xmltest` is tinyxml2's whole suite."""
    src = fetch_source("tinyxml2", debian_sources)
    cross = tmp_path / "wasip2.ini"
    sh([*wasip2ld_argv, "meson-cross", "-o", cross])
    build = tmp_path / "build"
    # xmltest times itself with clock(); --module makes the test program a core module build target (whose
    # compiler sanity check, `int main` importing nothing, Meson runs first).
    link = ["--emulate=clocks", *(["--module"] if mode == "module" else [])]
    sh(["meson", "setup", build, src, "--cross-file", cross, "-Dcpp_args=--emulate=clocks",
        f"-Dcpp_link_args={link!r}"], env=binfmt)
    sh(["meson", "compile", "-C", build, JOBS], env=binfmt)
    assert wasm_layer(build / "xmltest") == mode
    tests = sh(["meson", "test", "-C", build], env=binfmt)
    assert re.search(r"^Ok:\s+1\s*$", tests.stdout, re.M), tests.stdout
    log = (build / "meson-logs" / "testlog.txt").read_text()
    assert re.search(r"^Pass (\d+), Fail 0$", log, re.M) and int(re.search(r"^Pass (\d+)", log, re.M)[1]) > 400


def _make_env(sh, wasip2ld_argv) -> dict[str, str]:
    """CC, AR, RANLIB, … as `wasip2ld make --print-env` gives them to configure scripts."""
    exports = sh([*wasip2ld_argv, "make", "--print-env"]).stdout
    return dict(shlex.split(line)[1].split("=", 1) for line in exports.splitlines())
