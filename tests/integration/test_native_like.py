"""Builds behave like native ones: `wasip2ld binfmt` lets the kernel run wasm programs as `./prog`, and
projects whose tests execute programs directly (ctest tests registered by path, scripts behind `make
check`, Meson tests with relative and absolute test data and extra link arguments) run their suites
unmodified through the integrations. tests/integration/projects/paths is the project."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

from wasip2ld.runner.binfmt import BINFMT_DIR

from .conftest import JOBS, copy_tree, wasm_layer

PROJECT = Path(__file__).resolve().parent / "projects" / "paths"
CLOCKS = "--emulate=clocks"  # lines.c uses clock(): one extra compile and link argument


def test_binfmt_install_status_and_uninstall(sh, wasip2ld_argv, tmp_path):
    name = f"wasip2ld-cycle-{os.getpid()}"
    env = {"WASIP2LD_BINFMT_NAME": name}
    sh(["wasip2-clang", CLOCKS, PROJECT / "lines.c", "-o", "lines"], cwd=tmp_path)
    (tmp_path / "words.txt").write_text("one\ntwo\n")
    assert sh([*wasip2ld_argv, "binfmt", "status"], env=env, ok=False).returncode == 1
    sh([*wasip2ld_argv, "binfmt", "install"], env=env)
    try:
        status = sh([*wasip2ld_argv, "binfmt", "status"], env=env)
        assert status.stdout.startswith(f"binfmt: ok, wasm programs run directly ({name} -> ")
        assert f"binfmt: ok, wasm programs run directly ({name}" in sh([*wasip2ld_argv, "doctor"], env=env).stdout
        entry = json.loads(sh([*wasip2ld_argv, "binfmt", "status", "--json"], env=env).stdout)["entry"]
        assert entry["interpreter"].endswith("/wasip2ld-exec") and entry["flags"] == "PF"
        assert entry["magic"] == "0061736d" and entry["enabled"]
        ran = sh(["./lines", "words.txt", "2"], cwd=tmp_path)
        assert ran.stdout == "words.txt: 2 lines (clock ok)\n"
        assert sh(["./lines", str(tmp_path / "words.txt"), "3"], cwd=tmp_path, ok=False).returncode == 1
        usage = sh(["./lines"], cwd=tmp_path, ok=False)
        assert usage.returncode == 1 and usage.stderr == "usage: ./lines FILE EXPECTED\n"  # argv[0] kept
    finally:
        sh([*wasip2ld_argv, "binfmt", "uninstall"], env=env)
    assert sh([*wasip2ld_argv, "binfmt", "status"], env=env, ok=False).returncode == 1
    assert not (BINFMT_DIR / name).exists()  # (other runs on this machine may have entries of their own)


def test_binfmt_refuses_a_bad_name_in_one_line(sh, wasip2ld_argv):
    res = sh([*wasip2ld_argv, "binfmt", "install", "--name", "a/b"], ok=False)
    assert res.returncode == 2
    assert res.stderr.splitlines()[0] == "wasip2ld: error: --name 'a/b': not a usable binfmt_misc entry name"


def test_ctest_runs_tests_registered_by_path(programs, sh, wasip2ld_argv, binfmt, tmp_path):
    build = tmp_path / "build"
    sh([*wasip2ld_argv, "cmake", "-S", PROJECT, "-B", build, "-G", "Ninja", f"-DCMAKE_C_FLAGS={CLOCKS}"], env=binfmt)
    sh(["cmake", "--build", build, JOBS], env=binfmt)
    assert wasm_layer(build / "lines") == "component" and os.access(build / "lines", os.X_OK)
    tests = sh(["ctest", "--test-dir", build, "--output-on-failure"], env=binfmt)
    assert "100% tests passed, 0 tests failed out of 3" in tests.stdout, tests.stdout


def test_cmake_keeps_the_wasm_suffix_without_binfmt(programs, sh, wasip2ld_argv, tmp_path):
    build = tmp_path / "build"
    sh([*wasip2ld_argv, "cmake", "-S", PROJECT, "-B", build, "-G", "Ninja", f"-DCMAKE_C_FLAGS={CLOCKS}"],
       env={"WASIP2LD_BINFMT_NAME": f"wasip2ld-absent-{os.getpid()}"})
    sh(["cmake", "--build", build, JOBS])
    assert (build / "lines.wasm").is_file() and not (build / "lines").exists()


def test_meson_tests_with_relative_and_absolute_data_and_extra_link_args(programs, sh, wasip2ld_argv, binfmt,
                                                                         tmp_path):
    cross = tmp_path / "wasip2.ini"
    sh([*wasip2ld_argv, "meson-cross", "-o", cross])
    build = tmp_path / "build"  # outside the source tree: Meson passes files() as <build>/../…/words.txt
    sh(["meson", "setup", build, PROJECT, "--cross-file", cross, f"-Dc_args={CLOCKS}",
        f"-Dc_link_args=['{CLOCKS}', '-Wl,-z,stack-size=1048576']"], cwd=tmp_path, env=binfmt)
    # Meson probes linker flags with `wasip2-clang -Wl,--as-needed` in its own directory: no a.out there.
    assert not (tmp_path / "a.out").exists()
    sh(["meson", "compile", "-C", build, JOBS], env=binfmt)
    tests = sh(["meson", "test", "-C", build, "--num-processes", "2"], env=binfmt)
    assert re.search(r"^Ok:\s+4\s*$", tests.stdout, re.M), tests.stdout


def test_make_check_script_runs_the_program_directly(programs, sh, wasip2ld_argv, binfmt, tmp_path):
    tree = copy_tree(PROJECT, tmp_path / "paths")
    sh([*wasip2ld_argv, "make", f"CFLAGS=-O2 {CLOCKS}", f"LDFLAGS={CLOCKS}", "check"], cwd=tree, env=binfmt)
    assert os.access(tree / "lines", os.X_OK)
    assert "by_path: ok" in sh(["sh", "by_path.sh", "./lines"], cwd=tree, env=binfmt).stdout
