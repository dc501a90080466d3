"""`wasip2ld check` without click (``wasip2ld.check.cmdline``, taken by ``wasip2ld.main``) against the click
command: the same parameters for every command line the fast path takes, and the same report, messages and
exit status on the golden cases (their world embedded in the module) and on input that cannot be checked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from test_check_golden import CASES, case_flags

from wasip2ld.check.cmdline import CHOICES, parse
from wasip2ld.check.context import MANGLING_CHOICES, TARGETS
from wasip2ld.cli import main as click_main
from wasip2ld.commands.check import check as click_check
from wasip2ld.main import main as fast_main

ARGS = [
    ["m.wasm"], ["m.wasm", "--strict"], ["--strict", "m.wasm"], ["m.wasm", "--mangling", "legacy"],
    ["m.wasm", "--mangling=standard32", "--target", "module", "--format", "json"], ["--target=component", "m.wasm"],
    ["--", "-odd.wasm"], ["m.wasm", "--format=text", "--strict", "--mangling", "auto"], ["./d/../m.wasm"],
    # click's: unknown, malformed and --wit options, help, no or two modules, a missing value, a bad choice
    ["m.wasm", "--wit", "w.wit"], ["--world=x", "m.wasm"], ["m.wasm", "--features", "a"], ["m.wasm", "--all-features"],
    ["--help"], ["-h"], [], ["a.wasm", "b.wasm"], ["m.wasm", "--mangling"], ["m.wasm", "--target", "core"],
    ["m.wasm", "--strict=1"], ["m.wasm", "-v"], ["-"], ["m.wasm", "--format", "JSON"], [""],
]  # fmt: skip


def test_the_choices_are_the_commands():
    assert CHOICES["--mangling"][1] == MANGLING_CHOICES and CHOICES["--target"][1] == TARGETS
    assert {p.name for p in click_check.params} >= {param for param, _ in CHOICES.values()} | {"strict", "module"}


@pytest.mark.parametrize("args", ARGS, ids=" ".join)
def test_parse_agrees_with_click(args):
    params = parse(args)
    if params is None:
        return  # click parses it, as before
    ctx = click_check.make_context("check", list(args))
    expected = {k: v for k, v in ctx.params.items() if k not in ("wit", "world", "features", "all_features")}
    assert ctx.params["wit"] is None and ctx.params["world"] is None and not ctx.params["all_features"]
    assert params == {**expected, "module": str(expected["module"]) if args != ["./d/../m.wasm"] else args[0]}


def test_what_the_fast_path_leaves_to_click():
    taken = [args for args in ARGS if parse(args) is not None]
    assert len(taken) == 9, taken


def _both(argv: list[str], capsys) -> tuple[tuple, tuple]:
    results = []
    for entry in (fast_main, click_main):
        try:
            code = entry(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        results.append((code, captured.out, captured.err))
    return results[0], results[1]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_cases_with_the_embedded_world_report_alike(case, tmp_path, monkeypatch, wasm_tools, capsys):
    subprocess.run([wasm_tools, "parse", str(case / "module.wat"), "-o", str(tmp_path / "raw.wasm")], check=True)
    subprocess.run([wasm_tools, "component", "embed", str(case / "world.wit"), str(tmp_path / "raw.wasm"), "-o",
                    str(tmp_path / "module.wasm")], check=True)  # fmt: skip
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json"):
        argv = ["check", "./module.wasm", *case_flags(case), "--format", fmt]
        assert parse(argv[1:]) is not None
        fast, slow = _both(argv, capsys)
        assert fast == slow
        assert fast[0] == (1 if case.name.startswith("error-") else 0), fast[1]


def test_input_that_cannot_be_checked_fails_alike(tmp_path, monkeypatch, wasm_tools, capsys):
    monkeypatch.chdir(tmp_path)
    Path("garbage.wasm").write_bytes(b"\0asm\x01\0\0\0\x01\x05")
    subprocess.run([wasm_tools, "parse", "-o", "empty.wasm"], input=b"(module)", check=True)
    subprocess.run([wasm_tools, "parse", "-o", "component.wasm"], input=b"(component)", check=True)
    Path("dir.wasm").mkdir()
    for name in ("missing.wasm", "garbage.wasm", "empty.wasm", "component.wasm", "dir.wasm"):
        fast, slow = _both(["check", name], capsys)
        assert fast == slow and fast[0] == 2 and fast[2].startswith("wasip2ld: error: "), fast


def test_the_fast_path_does_not_import_click(tmp_path, wasm_tools):
    case = next(c for c in CASES if not case_flags(c) and not c.name.startswith("error-"))
    raw, module = tmp_path / "raw.wasm", tmp_path / "module.wasm"
    subprocess.run([wasm_tools, "parse", str(case / "module.wat"), "-o", str(raw)], check=True)
    subprocess.run([wasm_tools, "component", "embed", str(case / "world.wit"), str(raw), "-o", str(module)], check=True)
    probe = ("import sys; from wasip2ld.main import main; code = main(['check', sys.argv[1]]); "
             "print(sorted(m for m in sys.modules if m.startswith(('click', 'wasip2ld.'))), code)")
    out = subprocess.run([sys.executable, "-c", probe, str(module)], capture_output=True, text=True, check=True).stdout
    modules, _, code = out.strip().splitlines()[-1].rpartition(" ")
    assert code == "0" and "'wasip2ld.wit.binary'" in modules, out
    for unwanted in ("click", "wasip2ld.cli", "wasip2ld.commands", "wasip2ld.wit.load", "wasip2ld.wit.from_json"):
        assert f"'{unwanted}'" not in modules, out


def _p1_module(tmp_path: Path, wasm_tools) -> Path:
    """tmp_path/module.wasm: the golden case whose module imports WASI p1 (a check needs the adapter)."""
    case = next(c for c in CASES if c.name == "needs-p1-adapter-component")
    raw, module = tmp_path / "raw.wasm", tmp_path / "module.wasm"
    subprocess.run([wasm_tools, "parse", str(case / "module.wat"), "-o", str(raw)], check=True)
    subprocess.run([wasm_tools, "component", "embed", str(case / "world.wit"), str(raw), "-o", str(module)], check=True)
    return module


def test_the_adapter_comes_from_the_drivers_cached_resolution(tmp_path, wasm_tools):
    """After a wasip2-clang run has cached the toolchain's resolution, a check that needs the WASI p1 adapter
    takes it from there, without the discovery machinery, and reports exactly what the click command does."""
    _p1_module(tmp_path, wasm_tools)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    (tmp_path / "x.c").write_text("int x;\n")
    subprocess.run([bin_dir / "wasip2-clang", "-c", "x.c", "-o", "x.o"], cwd=tmp_path, env=env, check=True)
    fast = subprocess.run([bin_dir / "python3", "-X", "importtime", bin_dir / "wasip2ld", "check", "module.wasm"],
                          cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
    slow = subprocess.run([bin_dir / "wasip2ld", "--traceback", "check", "module.wasm"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)  # fmt: skip
    assert (fast.returncode, fast.stdout) == (slow.returncode, slow.stdout) and "p1 reactor adapter" in fast.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in fast.stderr.splitlines() if "|" in line}
    assert "wasip2ld.check.adapter" in imported and "wasip2ld.toolchain.discover" not in imported, fast.stderr[-2000:]
    # nor the standard modules that cost a millisecond or more to import (issue 12: a cold check <= 30 ms)
    slow_to_import = {"functools", "collections", "contextlib", "dataclasses", "typing", "re", "importlib",
                      "wasip2ld.abi.async_builtins"}
    assert not imported & slow_to_import, sorted(imported & slow_to_import)


def test_a_check_that_needs_a_tool_caches_the_resolution_for_the_next(tmp_path, wasm_tools):
    """With nothing cached, the first check that needs the WASI p1 adapter resolves the toolchain (and writes
    the driver's cache entry); the next check takes the adapter from that entry without discovery."""
    _p1_module(tmp_path, wasm_tools)
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    runs = [subprocess.run([bin_dir / "python3", "-X", "importtime", bin_dir / "wasip2ld", "check", "module.wasm"],
                           cwd=tmp_path, env=env, capture_output=True, text=True) for _ in range(2)]  # fmt: skip
    assert runs[0].stdout == runs[1].stdout and "p1 reactor adapter" in runs[0].stdout
    assert [p.name[:3] for p in (tmp_path / "cache").iterdir()] == ["cc-"]
    imported = {line.rsplit("|", 1)[-1].strip() for line in runs[1].stderr.splitlines() if "|" in line}
    assert "wasip2ld.toolchain.discover" not in imported, runs[1].stderr[-2000:]


def test_toolchain_install_leaves_the_resolution_a_first_check_takes(tmp_path, wasm_tools):
    """`wasip2ld toolchain install` (here with everything installed already, so it runs no step) caches the
    toolchain's resolution: the first check after it, and the first compile, discover nothing."""
    _p1_module(tmp_path, wasm_tools)
    bin_dir = Path(sys.executable).parent
    cache = tmp_path / "cache"
    env = {**os.environ, "WASIP2LD_CACHE_DIR": str(cache)}
    install = subprocess.run([bin_dir / "wasip2ld", "toolchain", "install"], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=300)  # fmt: skip
    assert install.returncode == 0, install.stderr
    entries = sorted(p.name for p in cache.iterdir())
    assert [e[:3] for e in entries] == ["cc-"], entries
    check = subprocess.run([bin_dir / "python3", "-X", "importtime", bin_dir / "wasip2ld", "check", "module.wasm"],
                           cwd=tmp_path, env=env, capture_output=True, text=True)  # fmt: skip
    assert check.returncode == 0 and "p1 reactor adapter" in check.stdout, check.stdout + check.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in check.stderr.splitlines() if "|" in line}
    assert "wasip2ld.toolchain.discover" not in imported, check.stderr[-2000:]
    (tmp_path / "x.c").write_text("int x;\n")
    subprocess.run([bin_dir / "wasip2-clang", "-c", "x.c", "-o", "x.o"], cwd=tmp_path, env=env, check=True)
    assert sorted(p.name for p in cache.iterdir()) == entries
