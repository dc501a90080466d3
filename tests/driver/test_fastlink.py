"""wasip2-clang's in-process link (driver/fastlink.py): the same bytes as wasip2ld's linker, the linker kept
for every case the in-process link leaves to it, and a stopped link that stops its children and leaves
nothing behind.

`-v` always takes wasip2ld's linker (so that clang shows the linker command), which gives the reference
output to compare with."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from wasip2ld.driver import cc, ccargs, corefacts, fastlink
from wasip2ld.driver.fastcache import resolve
from wasip2ld.driver.pipeline import inspect_core

from .conftest import HELLO_C, SHAPES, leftovers
from .test_faults import SLOW_WASM_LD, _gone

WIT = SHAPES / "shapes.wit"
HELLO_CXX = '#include <iostream>\nint main() { std::cout << "hi" << std::endl; return 0; }\n'
REACTOR = ["-O2", "-mexec-model=reactor", "-I{legacy}", str(SHAPES / "shapes.c"), "--wit", str(WIT)]
MODULE = [
    "-O2",
    "-mexec-model=reactor",
    "-DSHAPES_STANDARD32",
    "-I{standard32}",
    str(SHAPES / "shapes.c"),
    "--module",
    "--mangling",
    "standard32",
    "--wit",
    str(WIT),
    "-Wl,--export-memory=cm32p2_memory",
]
# `wasm-ld` found through clang's -B: records who started it (clang itself, or wasip2ld's linker).
PARENT_RECORDING_WASM_LD = """#!/bin/sh
cat /proc/$PPID/comm > "$MARKER"
exec "$REAL_WASM_LD" "$@"
"""


@pytest.fixture(scope="module")
def headers(tmp_path_factory, driver_env, wasip2ld_cmd) -> dict[str, str]:
    from .conftest import Shell

    out = tmp_path_factory.mktemp("abi")
    for mangling in ("legacy", "standard32"):
        (out / mangling).mkdir()
        Shell(driver_env, out)(
            [*wasip2ld_cmd, "sig", "--wit", WIT, "--format", "c", "--mangling", mangling, "-o",
             out / mangling / "shapes-abi.h"]
        )  # fmt: skip
    return {"legacy": str(out / "legacy"), "standard32": str(out / "standard32")}


@pytest.mark.parametrize("case", ["command", "command-cxx", "reactor-with-wit", "module-target"])
def test_in_process_link_writes_what_the_linker_writes(case, sh, clang_cmd, clangxx_cmd, headers, libcxx,
                                                      tmp_path):  # fmt: skip
    (tmp_path / "hello.cpp").write_text(HELLO_CXX)
    compiler, args = {
        "command": (clang_cmd, [str(HELLO_C)]),
        "command-cxx": (clangxx_cmd, ["hello.cpp"]),
        "reactor-with-wit": (clang_cmd, [a.format(**headers) for a in REACTOR]),
        "module-target": (clang_cmd, [a.format(**headers) for a in MODULE]),
    }[case]
    (tmp_path / "ref").mkdir()
    sh([*compiler, *args, "-o", "ref/out.wasm", "-v"])
    sh([*compiler, *args, "-o", "out.wasm"])
    assert (tmp_path / "out.wasm").read_bytes() == (tmp_path / "ref" / "out.wasm").read_bytes()
    assert leftovers(tmp_path, {"ref", "out.wasm", "hello.cpp"}) == []


def test_wasm_ld_is_started_by_clang_itself(sh, clang_cmd, toolchain, tmp_path):
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "wasm-ld").write_text(PARENT_RECORDING_WASM_LD)
    (bindir / "wasm-ld").chmod(0o755)
    env = {"MARKER": str(tmp_path / "parent"), "REAL_WASM_LD": str(toolchain.path("wasm-ld"))}
    sh([*clang_cmd, "-B", bindir, HELLO_C, "-o", "fast.wasm"], env=env)
    assert (tmp_path / "parent").read_text().strip() == "clang"
    sh([*clang_cmd, "-B", bindir, HELLO_C, "-o", "slow.wasm", "-Wl,--validate-component"], env=env)
    assert (tmp_path / "parent").read_text().strip() != "clang"  # wasip2ld's linker, for its own option


@pytest.mark.parametrize(
    "args, in_process",
    [
        (["hello.o", "-o", "x.wasm"], True),
        (["hello.o", "--module", "--wit", "w.wit", "-o", "x.wasm"], True),
        (["hello.o", "-Wl,--export=f", "-o", "x.wasm"], True),  # wasm-ld's option
        (["hello.o", "-o", "x.wasm", "-v"], False),
        (["hello.o", "-Wl,--adapt,a=b.wasm", "-o", "x.wasm"], False),
        (["hello.o", "-Xlinker", "--skip-wit-component", "-o", "x.wasm"], False),
        (["hello.o", "-shared", "-o", "x.wasm"], False),
        (["hello.o", "--mangling", "legacy", "-o", "x.wasm"], False),
        (["hello.o", "--wit-features", "f", "--wit", "w.wit", "-o", "x.wasm"], False),
        (["hello.o", "--world", "w", "-o", "x.wasm"], False),  # the linker looks for ./wit
        (["hello.o", "-o", "missing-dir/x.wasm"], False),
        (["hello.o", "-o", "-"], False),
        (["hello.o", "-o", "/dev/null"], False),
    ],
)
def test_cases_the_linker_keeps(args, in_process, driver_env, tmp_path, monkeypatch):
    for name, value in driver_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "w.wit").write_text("package a:b;\nworld w {}\n")
    tc = resolve()
    invocation = cc.plan(ccargs.scan(args), tc, cxx=False, default_target=ccargs.TARGET_P2)
    assert (fastlink.plan(invocation, tc) is not None) == in_process


def test_a_build_table_keeps_the_linker(driver_env, tmp_path, monkeypatch):
    for name, value in driver_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wasip2ld.toml").write_text('[build]\nmangling = "standard32"\n')
    tc = resolve()
    line = ccargs.scan(["hello.o", "-o", "x.wasm"])
    invocation = cc.plan(line, tc, cxx=False, default_target=ccargs.TARGET_P2)
    assert fastlink.plan(invocation, tc) is None


def test_core_facts_agree_with_the_module_reader(sh, clang_cmd, clangxx_cmd, headers, libcxx, tmp_path):
    (tmp_path / "hello.cpp").write_text(HELLO_CXX)
    keep = "-Wl,--skip-wit-component"
    builds = {
        "command.wasm": [*clang_cmd, HELLO_C, keep],
        "cxx.wasm": [*clangxx_cmd, "hello.cpp", keep],
        "reactor.wasm": [*clang_cmd, *[a.format(**headers) for a in REACTOR], keep],
        "nolibc.wasm": [*clang_cmd, "-nostdlib", "-Wl,--no-entry", "-x", "c", "/dev/null", keep],
    }
    for name, argv in builds.items():
        sh([*argv, "-o", name])
        facts = inspect_core(tmp_path / name)
        expected = (facts.p1_imports, facts.exports_start, facts.carries_world, facts.features)
        assert corefacts.read_facts(str(tmp_path / name)).as_tuple() == expected, name
    gc_module = tmp_path / "gc.wasm"  # a table of a typed reference: left to the full reader
    gc_module.write_bytes(b"\0asm\1\0\0\0" + b"\x02\x0a\x01\x01m\x01t\x01\x63\x70\x00\x01")
    assert corefacts.read_facts(str(gc_module)) is None


@pytest.fixture
def slow_fast_link(sh, clang_cmd, toolchain, tmp_path):
    """wasip2-clang linking in process with a wasm-ld (found through -B) that hangs."""
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    bindir = tmp_path / "bin"
    bindir.mkdir()
    (bindir / "wasm-ld").write_text(SLOW_WASM_LD)
    (bindir / "wasm-ld").chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    (out / "app.wasm").write_bytes(b"old")
    marker = tmp_path / "marker"
    env = {**sh.env, "MARKER": str(marker), "REAL_WASM_LD": str(toolchain.path("wasm-ld"))}
    argv = [*clang_cmd, "-B", str(bindir), "hello.o", "-o", str(out / "app.wasm")]
    proc = subprocess.Popen(argv, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the slow wasm-ld never started: {proc.communicate()}", pytrace=False)
        time.sleep(0.05)
    yield proc, marker, out
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    try:
        os.kill(int(marker.read_text()), signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 128 + signal.SIGTERM), (signal.SIGINT, 130)])
def test_stopped_in_process_link_stops_clang_and_leaves_nothing(slow_fast_link, sig, code):
    proc, marker, out = slow_fast_link
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert proc.returncode == code
    assert _gone(int(marker.read_text())), "wasm-ld kept running after wasip2-clang was stopped"
    assert (out / "app.wasm").read_bytes() == b"old"
    assert leftovers(out, {"app.wasm"}) == []
    scratch = os.path.dirname((marker.parent / "marker.out").read_text().strip())
    assert os.path.basename(scratch).startswith("wasip2ld-ld-")
    assert not os.path.exists(scratch), "the scratch directory was not removed"


def test_killed_in_process_link_takes_clang_with_it(slow_fast_link):
    """(clang's own wasm-ld outlives it, as under `clang -fuse-ld=lld`: nothing sets its death signal.)"""
    proc, marker, out = slow_fast_link
    clang = _parent_of(int(marker.read_text()))
    proc.kill()
    proc.wait(timeout=30)
    assert _gone(clang), "clang outlived a SIGKILLed wasip2-clang"
    assert (out / "app.wasm").read_bytes() == b"old"


def _parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])

