"""The example projects in integration/examples, built with their own build systems through wasip2ld
(-j4) and run under wasmtime; the CMake one also as a core module build target; reproducible outputs;
ccache and sccache hits. Module mode applies where it makes sense: a module build target may not import WASI p1, so
command-line programs using stdio are components, and the module build exports the library via WIT."""
from __future__ import annotations

import filecmp
import json
import re
import shutil
import socket
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES, JOBS, copy_tree, wasm_layer

MODULE_FLAGS = ["--module", "--wit", str(EXAMPLES / "cmake" / "wit" / "wordstat.wit")]


def cmake_build(sh, wasip2ld_argv, build: Path, *flags: str) -> Path:
    sh([*wasip2ld_argv, "cmake", *flags, "-S", EXAMPLES / "cmake", "-B", build, "-G", "Ninja"])
    sh(["cmake", "--build", build, JOBS])
    return build


def test_cmake_example_builds_and_ctest_runs_it(programs, sh, wasip2ld_argv, tmp_path):
    build = cmake_build(sh, wasip2ld_argv, tmp_path / "build")
    for name in ("wordcount.wasm", "test_wordstat.wasm"):
        assert wasm_layer(build / name) == "component"
    assert (build / "libwordstat.a").read_bytes().startswith(b"!<arch>\n")
    tests = sh(["ctest", "--test-dir", build, "--output-on-failure", JOBS])
    assert "100% tests passed, 0 tests failed out of 3" in tests.stdout
    ran = sh([*wasip2ld_argv, "run", build / "wordcount.wasm"], stdin="to be or not to be\n")
    assert ran.stdout == "words=6 distinct=4 top=to:2\n"


def test_cmake_example_as_module_build_target_exports_its_world(programs, sh, wasip2ld_argv, toolchain, tmp_path):
    build = cmake_build(sh, wasip2ld_argv, tmp_path / "build", *MODULE_FLAGS)
    module = build / "wordstat_api.wasm"
    assert wasm_layer(module) == "module"
    assert not (build / "wordcount.wasm").exists()
    # The module carries its world: `component new` needs nothing else (no adapter: no WASI p1 imports).
    component = tmp_path / "wordstat.component.wasm"
    sh([toolchain.path("wasm-tools"), "component", "new", module, "-o", component])
    import wasmtime
    from wasmtime import component as cm

    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    instance = cm.Linker(engine).instantiate(store, cm.Component.from_file(engine, str(component)))
    assert instance.get_func(store, "count-words")(store, "to be or not to be") == (6, 4)


def test_cmake_probes_see_wasi_not_the_host(programs, sh, wasip2ld_argv, tmp_path):
    build = tmp_path / "build"
    sh([*wasip2ld_argv, "cmake", "-S", EXAMPLES / "cmake", "-B", build, "-G", "Ninja"])
    cache = (build / "CMakeCache.txt").read_text()
    assert re.search(r"^HAVE_STRCASECMP:INTERNAL=1$", cache, re.M)
    assert re.search(r"^HAVE_FORK:INTERNAL=$", cache, re.M)
    assert re.search(r"^POINTERS_ARE_32_BIT:INTERNAL=1$", cache, re.M)  # try_run through `wasip2ld run`
    compiler = next(build.glob("CMakeFiles/*/CMakeCCompiler.cmake")).read_text()
    assert re.search(r'^set\(CMAKE_C_COMPILER ".*/wasip2-clang"\)$', compiler, re.M)
    assert re.search(r'^set\(CMAKE_C_COMPILER_ID "Clang"\)$', compiler, re.M)


def test_cmake_builds_are_byte_identical_across_build_directories(programs, sh, wasip2ld_argv, tmp_path):
    first = cmake_build(sh, wasip2ld_argv, tmp_path / "one")
    second = cmake_build(sh, wasip2ld_argv, tmp_path / "elsewhere" / "two")
    outputs = ["wordcount.wasm", "test_wordstat.wasm", "libwordstat.a"]
    assert all(filecmp.cmp(first / name, second / name, shallow=False) for name in outputs)


def _outputs(build: Path) -> dict[str, bytes]:
    """Every object, archive and program of a build tree (the configure's probes aside)."""
    return {str(p.relative_to(build)): p.read_bytes() for p in sorted(build.rglob("*"))
            if p.suffix in (".o", ".a", ".wasm") and "CMakeScratch" not in p.parts}


@pytest.mark.parametrize("mode", ["component", "module"])
def test_cmake_direct_compiles_make_the_bytes_wasip2_clang_makes(programs, sh, wasip2ld_argv, tmp_path, mode):
    """Compiles run clang itself (no Python per object), links wasip2-clang; every output is byte-identical to
    a build that compiles through wasip2-clang too (-DWASIP2LD_DIRECT_COMPILE=OFF)."""
    flags = MODULE_FLAGS if mode == "module" else []
    direct = cmake_build(sh, wasip2ld_argv, tmp_path / "direct", *flags)
    driver = cmake_build(sh, wasip2ld_argv, tmp_path / "driver", *flags, "-DWASIP2LD_DIRECT_COMPILE=OFF")
    rules = (direct / "CMakeFiles" / "rules.ninja").read_text()
    compiles = [line for line in rules.splitlines() if line.strip().startswith("command =") and " -c $in" in line]
    assert compiles and all("wasip2-clang" not in line and "--target=wasm32-wasip2 " in line for line in compiles)
    assert "wasip2-clang $FLAGS" in rules  # links
    assert "wasip2-clang" in (driver / "CMakeFiles" / "rules.ninja").read_text().split(" -c $in")[0]
    # A configure run again by cmake itself (not by `wasip2ld cmake`, which passes the rules it worked out)
    # asks `wasip2ld toolchain compile-flags` for them: the same rules.
    sh(["cmake", direct])
    assert (direct / "CMakeFiles" / "rules.ninja").read_text() == rules
    ours, theirs = _outputs(direct), _outputs(driver)
    assert len(ours) >= (3 if mode == "module" else 6) and ours.keys() == theirs.keys()
    assert [name for name in ours if ours[name] != theirs[name]] == []


def test_cmake_direct_compiles_follow_the_flags_and_the_toolchain(programs, sh, wasip2ld_argv, tmp_path):
    """Flags given when configuring that change what wasip2-clang adds (here --emulate) keep compiles on
    wasip2-clang; a change to a file the compile command depends on (here a wasip2ld.toml) re-runs the
    configure, which works the command out again."""
    build = tmp_path / "build"
    config = tmp_path / "wasip2ld.toml"
    config.write_text("")
    sh([*wasip2ld_argv, "cmake", "-S", EXAMPLES / "cmake", "-B", build, "-G", "Ninja",
        "-DCMAKE_C_FLAGS=--emulate=signal"])
    rules = (build / "CMakeFiles" / "rules.ninja").read_text()
    assert "wasip2-clang $DEFINES $INCLUDES $FLAGS" in rules
    sh(["cmake", "--build", build, JOBS])
    assert "no work to do" in sh(["ninja", "-C", build]).stdout
    config.write_text("# changed\n")
    assert "Re-running CMake" in sh(["ninja", "-C", build]).stdout


def test_second_build_under_ccache_hits_the_cache(programs, sh, wasip2ld_argv, tmp_path):
    env = {"CCACHE_DIR": str(tmp_path / "ccache"), "CCACHE_NOHASHDIR": "1"}
    build = tmp_path / "build"
    sh([*wasip2ld_argv, "cmake", "-S", EXAMPLES / "cmake", "-B", build, "-G", "Ninja",
        "-DCMAKE_C_COMPILER_LAUNCHER=ccache"], env=env)
    sh(["cmake", "--build", build, JOBS], env=env)
    first = (build / "wordcount.wasm").read_bytes()
    sh(["ccache", "--zero-stats"], env=env)
    sh(["cmake", "--build", build, "--target", "clean"], env=env)
    sh(["cmake", "--build", build, JOBS], env=env)
    stats = dict(line.split("\t", 1) for line in sh(["ccache", "--print-stats"], env=env).stdout.splitlines())
    hits = int(stats["direct_cache_hit"]) + int(stats["preprocessed_cache_hit"])
    assert hits == 3 and int(stats["cache_miss"]) == 0  # wordstat.c, main.c, test_wordstat.c
    assert (build / "wordcount.wasm").read_bytes() == first


def test_second_build_under_sccache_hits_the_cache(programs, sh, wasip2ld_argv, tmp_path):
    sccache = shutil.which("sccache") or str(Path(sys.executable).parent / "sccache")
    with socket.socket() as probe:  # a private server port, so parallel runs do not share a server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"SCCACHE_DIR": str(tmp_path / "sccache"), "SCCACHE_SERVER_PORT": str(port)}
    build = tmp_path / "build"
    try:
        sh([*wasip2ld_argv, "cmake", "-S", EXAMPLES / "cmake", "-B", build, "-G", "Ninja",
            f"-DCMAKE_C_COMPILER_LAUNCHER={sccache}"], env=env)
        sh(["cmake", "--build", build, JOBS], env=env)
        first = (build / "wordcount.wasm").read_bytes()
        sh([sccache, "--zero-stats"], env=env)
        sh(["cmake", "--build", build, "--target", "clean"], env=env)
        sh(["cmake", "--build", build, JOBS], env=env)
        stats = json.loads(sh([sccache, "--show-stats", "--stats-format", "json"], env=env).stdout)["stats"]
    finally:
        sh([sccache, "--stop-server"], env=env)
    assert stats["cache_hits"]["counts"] == {"C/C++": 3}  # wordstat.c, main.c, test_wordstat.c
    assert stats["cache_misses"]["counts"] == {}
    assert (build / "wordcount.wasm").read_bytes() == first


def test_make_example_builds_a_static_library_and_checks(programs, sh, wasip2ld_argv, tmp_path):
    tree = copy_tree(EXAMPLES / "make", tmp_path / "make")
    sh([*wasip2ld_argv, "make", JOBS], cwd=tree)
    assert wasm_layer(tree / "rpn") == "component"
    assert (tree / "librpn.a").read_bytes().startswith(b"!<arch>\n")
    check = sh([*wasip2ld_argv, "make", "check"], cwd=tree)
    assert "rpn: all checks passed" in check.stdout


def test_make_example_with_wasip2_mk_included(programs, sh, tmp_path):
    """Plain `make`, no wrapper: the Makefile includes wasip2.mk itself (ROOT on the command line)."""
    tree = copy_tree(EXAMPLES / "make", tmp_path / "make")
    mk = EXAMPLES.parent / "make" / "wasip2.mk"
    (tree / "GNUmakefile").write_text(f"include {mk}\nRUN = $(WASIP2_RUN)\ninclude Makefile\n")
    sh(["make", JOBS, "check"], cwd=tree)
    assert wasm_layer(tree / "rpn") == "component"


def test_meson_example_builds_and_meson_test_runs_it(programs, sh, wasip2ld_argv, tmp_path):
    cross = tmp_path / "wasip2.ini"
    sh([*wasip2ld_argv, "meson-cross", "-o", cross])
    build = tmp_path / "build"
    sh(["meson", "setup", build, EXAMPLES / "meson", "--cross-file", cross])
    sh(["meson", "compile", "-C", build, JOBS])
    assert wasm_layer(build / "caesar") == "component"
    tests = sh(["meson", "test", "-C", build, "--num-processes", "2"])
    assert re.search(r"^Ok:\s+2\s*$", tests.stdout, re.M) and re.search(r"^Fail:\s+0\s*$", tests.stdout, re.M)
    shifted = sh([*wasip2ld_argv, "run", build / "caesar", "13"], stdin="Hello\n")
    assert shifted.stdout == "Uryyb\n"
