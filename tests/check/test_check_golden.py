"""Golden diagnostics: ``tests/check/cases/<name>/`` holds ``world.wit``, ``module.wat``, an optional ``flags``
file (extra `wasip2ld check` arguments) and ``expected.txt``, the exact report. A name starting with
``error-`` must fail (exit 1); any other must pass (exit 0, warnings and notes allowed).

Regenerate the reports after a deliberate change with ``BLESS=1 pytest tests/check/test_check_golden.py``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wasip2ld.check import CODES
from wasip2ld.cli import main
from wasip2ld.proc import run_checked

CASES_DIR = Path(__file__).resolve().parent / "cases"
CASES = sorted(p for p in CASES_DIR.iterdir() if p.is_dir())
BLESS = bool(os.environ.get("BLESS"))
# Flags with a `component new` equivalent; cases using others (--strict, --target module) have none.
_COMPONENT_NEW_FLAGS = {"": (), "--mangling standard32": ("--reject-legacy-names",)}


def run_check(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def case_flags(case: Path) -> list[str]:
    flags = case / "flags"
    return flags.read_text().split() if flags.exists() else []


@pytest.fixture
def prepared(request, tmp_path, monkeypatch, wasm_tools):
    case: Path = request.param
    run_checked(
        [wasm_tools, "parse", str(case / "module.wat"), "-o", str(tmp_path / "module.wasm")],
        tool="wasm-tools",
    )
    shutil.copy(case / "world.wit", tmp_path / "world.wit")
    monkeypatch.chdir(tmp_path)
    return case


@pytest.mark.parametrize("prepared", CASES, ids=[c.name for c in CASES], indirect=True)
def test_golden_report(prepared, capsys):
    case = prepared
    code = run_check(["check", "module.wasm", "--wit", "world.wit", *case_flags(case)])
    captured = capsys.readouterr()
    assert captured.err == "", captured.err
    expected_file = case / "expected.txt"
    if BLESS:
        expected_file.write_text(captured.out)
    assert expected_file.exists(), f"{expected_file} is missing: run with BLESS=1 to create it"
    assert captured.out == expected_file.read_text()
    assert code == (1 if case.name.startswith("error-") else 0), captured.out


@pytest.mark.parametrize("prepared", [c for c in CASES if " ".join(case_flags(c)) in _COMPONENT_NEW_FLAGS],
                         ids=lambda c: c.name, indirect=True)  # fmt: skip
def test_golden_verdict_matches_component_new(prepared, wasm_tools, toolchain):
    """The cases whose flags `component new` also has get the same verdict from it (the p1 adapter added
    the way the driver adds it: command if the module exports `_start`, else reactor)."""
    case = prepared
    argv = [wasm_tools, "component", "embed", "world.wit", "module.wasm", "-o", "embedded.wasm"]
    run_checked(argv, tool="wasm-tools")
    argv = [wasm_tools, "component", "new", "embedded.wasm", "-o", "component.wasm"]
    argv += _COMPONENT_NEW_FLAGS[" ".join(case_flags(case))]
    if "wasi_snapshot_preview1" in (case / "module.wat").read_text():
        argv += ["--adapt", f"wasi_snapshot_preview1={toolchain.path('adapter-reactor')}"]
    accepted = run_checked(argv, tool="wasm-tools", capture=True, check=False).returncode == 0
    assert accepted == (not case.name.startswith("error-"))


def test_every_code_has_a_golden_case():
    reports = "".join(
        (case / "expected.txt").read_text() for case in CASES if (case / "expected.txt").exists()
    )
    missing = [code for code in CODES if f"[{code}]" not in reports]
    assert not missing, f"no golden case shows {missing}"


def test_every_code_is_documented():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "diagnostics.md").read_text()
    missing = [code for code in CODES if f"## `{code}`" not in docs]
    assert not missing, f"docs/diagnostics.md has no section for {missing}"


def test_documented_examples_are_real_output():
    """Every report line quoted in docs/diagnostics.md and docs/check.md is produced by some golden case."""
    produced = set()
    for case in CASES:
        for line in (case / "expected.txt").read_text().splitlines():
            produced.add(line.replace("module.wasm:", "lib.wasm:", 1))
            produced.add(line)
    root = Path(__file__).resolve().parents[2] / "docs"
    quoted = []
    for doc in ("diagnostics.md", "check.md"):
        in_block = False
        for line in (root / doc).read_text().splitlines():
            if line.startswith("```"):
                in_block = not in_block
            elif in_block and line.startswith(
                ("module.wasm: ", "lib.wasm: ", "  expected: ", "  found: ", "  note: ", "  hint: ")
            ):
                quoted.append((doc, line))
    assert len(quoted) > 60
    stale = [f"{doc}: {line}" for doc, line in quoted if line not in produced]
    assert not stale, "documented output no golden case produces:\n" + "\n".join(stale)
