"""Real open-source C projects, fetched as Debian source packages, built with wasip2ld's integration files
and no source patches, and their own tests run under `wasip2ld run`. See docs/real-projects.md.

- cJSON (CMake): the library, its Unity test suite and its sample program; the sample's output is compared
  with a native build of the same source.
- zlib (its own configure script + Make): the library and `make teststatic`, zlib's own test target, with
  its QEMU_RUN hook set to `wasip2ld run`.
- GNU FriBidi (Meson, and autotools): `meson test` for the Unicode conformance suites through the
  exe_wrapper; the charset reference tests by the fribidi CLI's own --test mode; the autotools build too.
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


def test_cjson_with_cmake(programs, sh, wasip2ld_argv, debian_sources, tmp_path):
    src = fetch_source("cjson", debian_sources)
    build = tmp_path / "build"
    # Unity's setjmp-based test protection needs the wasm exception-handling proposal; Unity has a switch.
    sh([*wasip2ld_argv, "cmake", "-S", src, "-B", build, "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
        "-DBUILD_SHARED_LIBS=OFF", "-DENABLE_CJSON_TEST=ON", "-DENABLE_CJSON_UTILS=ON",
        "-DCMAKE_C_FLAGS=-DUNITY_EXCLUDE_SETJMP_H"])
    sh(["cmake", "--build", build, JOBS])
    suites = sorted((build / "tests").glob("*.wasm"))
    assert len(suites) == 21, [s.name for s in suites]
    for suite in suites:
        assert wasm_layer(suite) == "component"
        # Run as ctest would (cjson's add_test names a path, not a target, so ctest cannot add the emulator):
        # in the tests' build directory, where CMake copied the inputs/ the suites read.
        result = sh([*wasip2ld_argv, "run", "--dir=.", suite], cwd=build / "tests", ok=False)
        assert result.returncode == 0, f"{suite.name}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"
        assert re.search(r"^\d+ Tests 0 Failures \d+ Ignored\s*\nOK$", result.stdout, re.M), result.stdout
    native = tmp_path / "cJSON_test.native"
    sh(["cc", "-O1", "-o", native, src / "test.c", src / "cJSON.c", "-lm"])
    expected = sh([native]).stdout
    wasm = sh([*wasip2ld_argv, "run", build / "cJSON_test.wasm"]).stdout
    assert wasm == expected and "Version: 1.7.15" in wasm


def test_zlib_with_configure_and_make(programs, sh, wasip2ld_argv, debian_sources, tmp_path):
    tree = copy_tree(fetch_source("zlib", debian_sources), tmp_path / "zlib")
    env = _make_env(sh, wasip2ld_argv)
    # zlib's configure takes the cross tools from CC/AR/RANLIB; CHOST only names the target.
    sh(["./configure", "--static"], cwd=tree, env={**env, "CHOST": "wasm32-unknown-wasip2"})
    sh(["make", JOBS, "libz.a", "example", "minigzip"], cwd=tree, env=env)
    assert wasm_layer(tree / "example") == "component"
    run = " ".join([*wasip2ld_argv, "run", "--dir=."])
    test = sh(["make", "teststatic", f"QEMU_RUN={run}"], cwd=tree, env=env)
    assert "*** zlib test OK ***" in test.stdout
    # minigzip writes real gzip: the host's decompressor reads it back.
    data = b"wasip2ld " * 1000
    packed = sh([*wasip2ld_argv, "run", tree / "minigzip"], stdin=data, binary=True).stdout
    assert gzip.decompress(packed) == data


FRIBIDI_CLOCKS = ("-D_WASI_EMULATED_PROCESS_CLOCKS", "-lwasi-emulated-process-clocks")
# fribidi's CLI keeps several 65000-element buffers on the stack: give it a native-sized (8 MiB) stack
# instead of wasm-ld's 64 KiB default.
FRIBIDI_STACK = "-Wl,-z,stack-size=8388608"


def test_fribidi_with_meson(programs, sh, wasip2ld_argv, debian_sources, tmp_path):
    src = fetch_source("fribidi", debian_sources)
    cross = tmp_path / "wasip2.ini"
    sh([*wasip2ld_argv, "meson-cross", "-o", cross])
    build = tmp_path / "build"
    # fribidi-benchmark uses times(): wasi-libc emulates it when asked to.
    sh(["meson", "setup", build, src, "--cross-file", cross, "-Ddocs=false", f"-Dc_args={FRIBIDI_CLOCKS[0]}",
        f"-Dc_link_args=['{FRIBIDI_CLOCKS[1]}', '{FRIBIDI_STACK}']"])
    sh(["meson", "compile", "-C", build, JOBS])
    assert wasm_layer(build / "bin" / "fribidi") == "component"
    conformance = sh(["meson", "test", "-C", build, "BidiTest", "BidiCharacterTest", "--num-processes", "2"])
    assert re.search(r"^Ok:\s+2\s*$", conformance.stdout, re.M), conformance.stdout
    _fribidi_reference_tests(sh, wasip2ld_argv, build / "bin" / "fribidi", src / "test")


def test_fribidi_with_autotools(programs, sh, wasip2ld_argv, debian_sources, tmp_path):
    tree = copy_tree(fetch_source("fribidi", debian_sources), tmp_path / "fribidi")
    # The 2018 config.sub in the tarball predates WASI; refresh it from autotools-dev exactly as Debian's
    # own build does (dh_update_autotools_config). The sources themselves are untouched.
    config_sub = Path("/usr/share/misc/config.sub")
    if not config_sub.is_file():
        pytest.fail("/usr/share/misc/config.sub is missing (apt-get install autotools-dev)", pytrace=False)
    shutil.copy2(config_sub, tree / "config.sub")
    env = _make_env(sh, wasip2ld_argv)
    sh(["./configure", "--host=wasm32-unknown-wasip2", "--disable-shared", f"CFLAGS=-O2 {FRIBIDI_CLOCKS[0]}",
        f"LIBS={FRIBIDI_CLOCKS[1]}", f"LDFLAGS={FRIBIDI_STACK}"], cwd=tree, env=env)
    sh(["make", JOBS], cwd=tree, env=env)
    assert wasm_layer(tree / "bin" / "fribidi") == "component"
    _fribidi_reference_tests(sh, wasip2ld_argv, tree / "bin" / "fribidi", tree / "test")


def _fribidi_reference_tests(sh, wasip2ld_argv, fribidi: Path, tests: Path) -> None:
    """What fribidi's test/test-runner.py does, with the wasm program run by `wasip2ld run`."""
    inputs = sorted(tests.glob("test_*.input"))
    assert len(inputs) == 6
    for source in inputs:
        charset = source.stem.removeprefix("test_").rsplit("_", 1)[0]
        out = sh([*wasip2ld_argv, "run", "--dir=.", fribidi, "--test", "--charset", charset, source.name],
                 cwd=tests, binary=True).stdout
        assert out == source.with_suffix(".reference").read_bytes(), source.name


def _make_env(sh, wasip2ld_argv) -> dict[str, str]:
    """CC, AR, RANLIB, … as `wasip2ld make --print-env` gives them to configure scripts."""
    exports = sh([*wasip2ld_argv, "make", "--print-env"]).stdout
    return dict(shlex.split(line)[1].split("=", 1) for line in exports.splitlines())
