"""`wasip2ld check` from the command line: exit codes (0 valid, 1 mismatches, 2 unusable input), the text
and JSON reports, input errors as one line, and damaged modules never ending in a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasip2ld.cli import main
from wasip2ld.proc import run_checked

DEMO_WIT = Path(__file__).resolve().parent / "cases" / "valid-legacy" / "world.wit"
JSON_KEYS = {
    "severity",
    "code",
    "message",
    "core_item",
    "wit_item",
    "expected",
    "found",
    "hint",
    "notes",
    "offset",
}


def run_check(argv: list[str]) -> int:
    try:
        return main(["check", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture(scope="module")
def modules(tmp_path_factory, wasm_tools) -> dict[str, Path]:
    """A valid module carrying its world, a broken one, a module without a world, and a component."""
    d = tmp_path_factory.mktemp("cli")
    valid = d / "valid.wasm"
    run_checked(
        [wasm_tools, "component", "embed", "--dummy-names", "legacy", str(DEMO_WIT), "-o", str(valid)],
        tool="wasm-tools",
    )
    printed = run_checked([wasm_tools, "print", str(valid)], tool="wasm-tools", capture=True).stdout.decode()
    broken_wat = d / "broken.wat"
    broken_wat.write_text(
        printed.replace('"greet"', '"greeet"', 1).replace('(export "run"', '(export "runn"')
    )
    broken = d / "broken.wasm"
    run_checked([wasm_tools, "parse", str(broken_wat), "-o", str(broken)], tool="wasm-tools")
    bare = d / "bare.wasm"
    run_checked([wasm_tools, "strip", "--all", str(valid), "-o", str(bare)], tool="wasm-tools")
    component = d / "component.wasm"
    run_checked([wasm_tools, "component", "new", str(valid), "-o", str(component)], tool="wasm-tools")
    return {"valid": valid, "broken": broken, "bare": bare, "component": component}


def test_valid_module_exits_0(modules, capsys):
    assert run_check([str(modules["valid"])]) == 0
    out = capsys.readouterr().out
    assert (
        out
        == f"{modules['valid']}: ok: matches world `demo:lib/plugin@1.2.3`, legacy names, target module\n"
    )


def test_valid_against_given_wit(modules, capsys):
    assert (
        run_check(
            [
                str(modules["bare"]),
                "--wit",
                str(DEMO_WIT),
                "--world",
                "plugin",
                "--mangling",
                "legacy",
                "--strict",
            ]
        )
        == 0
    )
    assert (
        "ok: matches world `demo:lib/plugin@1.2.3`, legacy names, target module, strict"
        in capsys.readouterr().out
    )


def test_mismatches_exit_1_and_list_every_problem(modules, capsys):
    assert run_check([str(modules["broken"])]) == 1
    out = capsys.readouterr().out
    assert "[unknown-import]" in out and "[missing-export]" in out
    assert "hint: did you mean `greet`?" in out
    assert out.rstrip().endswith(
        "2 errors: does not match world `demo:lib/plugin@1.2.3`, legacy names, target module"
    )


def test_json_report(modules, capsys):
    assert run_check([str(modules["broken"]), "--format", "json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["ok"] is False and doc["world"] == "demo:lib/plugin@1.2.3" and doc["mangling"] == "legacy"
    assert doc["counts"] == {"error": 2, "warning": 0, "note": 0}
    assert all(set(d) == JSON_KEYS for d in doc["diagnostics"])
    unknown = next(d for d in doc["diagnostics"] if d["code"] == "unknown-import")
    assert unknown["core_item"] == "demo:lib/types@1.2.3::greeet" and unknown["severity"] == "error"
    missing = next(d for d in doc["diagnostics"] if d["code"] == "missing-export")
    assert (
        missing["expected"] == "(func (param i32 i32) (result i32))"
        and missing["wit_item"] == "function `run` exported by the world"
    )


def test_target_module_rejects_p1_imports(tmp_path, wasm_tools, capsys):
    wat = tmp_path / "m.wat"
    wat.write_text(
        '(module (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32))) (memory (export "memory") 1))'
    )
    wasm = tmp_path / "m.wasm"
    run_checked([wasm_tools, "parse", str(wat), "-o", str(wasm)], tool="wasm-tools")
    world = tmp_path / "w.wit"
    world.write_text("package t:t;\nworld w { import f: func(); }\n")
    assert run_check([str(wasm), "--wit", str(world)]) == 0
    out = capsys.readouterr().out
    assert "[needs-p1-adapter]" in out and out.rstrip().endswith("target component (1 note)")
    assert run_check([str(wasm), "--wit", str(world), "--target", "module"]) == 1
    assert "error: the module imports 1 WASI p1 function" in capsys.readouterr().out


@pytest.mark.parametrize("case, message", [
    ("component", "is a WebAssembly component, not a core module"),
    ("bare", "has no `component-type` custom section"),
    ("missing", "no such file"),
    ("text", "not a WebAssembly binary: bad magic number"),
])  # fmt: skip
def test_unusable_input_exits_2_with_one_line(modules, tmp_path, capsys, case, message):
    path = {"missing": tmp_path / "nope.wasm", "text": DEMO_WIT}.get(case) or modules[case]
    assert run_check([str(path)]) == 2
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0].startswith("wasip2ld: error: ") and message in lines[0], captured.err
    assert len(lines) <= 2 and all(
        line.startswith(("wasip2ld: error: ", "wasip2ld: hint: ")) for line in lines
    )
    assert captured.out == ""


@pytest.mark.parametrize("argv, message", [
    (["--world", "plugin"], "check: --world needs --wit"),
    (["--mangling", "cm32"], "invalid value for '--mangling'"),
    (["--target", "library"], "invalid value for '--target'"),
])  # fmt: skip
def test_usage_errors_exit_2(modules, capsys, argv, message):
    assert run_check([str(modules["valid"]), *argv]) == 2
    assert message in capsys.readouterr().err


def test_bad_wit_exits_2(modules, tmp_path, capsys):
    bad = tmp_path / "bad.wit"
    bad.write_text("package a:b;\nworld w { import f: func(x: nosuchtype); }\n")
    assert run_check([str(modules["valid"]), "--wit", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("wasip2ld: error: ") and "nosuchtype" in err


def test_exit_status_of_the_process(modules):
    """The codes reach the shell (the command runs in click's non-standalone mode)."""
    for name, status in (("valid", 0), ("broken", 1), ("component", 2)):
        proc = subprocess.run(
            [sys.executable, "-m", "wasip2ld", "check", str(modules[name])],
            capture_output=True,
            text=True,
            check=False,
        )
        assert proc.returncode == status, (name, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr


# --- damaged modules: one line, exit 2 (or a verdict when the damage leaves a readable module) ------------


def _assert_clean(code: int, captured) -> None:
    assert code in (0, 1, 2), code
    assert "Traceback" not in captured.err and "internal error" not in captured.err, captured.err
    if code == 2:
        lines = captured.err.splitlines()
        assert 1 <= len(lines) <= 2 and lines[0].startswith("wasip2ld: error: "), captured.err
    else:
        assert captured.err == "" and captured.out.strip(), (code, captured)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)
@given(data=st.data())
def test_truncated_modules(modules, tmp_path, capsys, data):
    raw = modules["valid"].read_bytes()
    cut = data.draw(st.integers(0, len(raw) - 1))
    path = tmp_path / "cut.wasm"
    path.write_bytes(raw[:cut])
    code = run_check([str(path), "--wit", str(DEMO_WIT)] if data.draw(st.booleans()) else [str(path)])
    _assert_clean(code, capsys.readouterr())


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture], database=None
)
@given(data=st.data())
def test_mutated_modules(modules, tmp_path, capsys, data):
    raw = bytearray(modules["valid"].read_bytes())
    for _ in range(data.draw(st.integers(1, 4))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    path = tmp_path / "mutated.wasm"
    path.write_bytes(bytes(raw))
    _assert_clean(run_check([str(path)]), capsys.readouterr())


def test_features_enable_unstable_items(tmp_path, wasm_tools, capsys):
    world = tmp_path / "w.wit"
    world.write_text(
        "package t:gated;\n\nworld w {\n  import base: func();\n  @unstable(feature = extra)\n  import extra: func();\n}\n"
    )
    wat = tmp_path / "m.wat"
    wat.write_text('(module (import "$root" "base" (func)) (import "$root" "extra" (func)))')
    wasm = tmp_path / "m.wasm"
    run_checked([wasm_tools, "parse", str(wat), "-o", str(wasm)], tool="wasm-tools")
    assert run_check([str(wasm), "--wit", str(world)]) == 1
    assert "import `$root::extra`: the world has no item `extra` [unknown-import]" in capsys.readouterr().out
    assert run_check([str(wasm), "--wit", str(world), "--features", "extra"]) == 0
    assert run_check([str(wasm), "--wit", str(world), "--all-features"]) == 0
    assert run_check([str(wasm), "--features", "extra"]) == 2
    assert "check: --features needs --wit" in capsys.readouterr().err
