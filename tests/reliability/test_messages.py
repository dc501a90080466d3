"""Messages: wasm-tools' multi-line errors arrive whole on the one error line; names with newlines or other
control characters cannot split or forge a line; `run` on a reactor is a usage error (exit 2)."""

from __future__ import annotations

import pytest

from .conftest import HELLO_C


def test_unknown_package_lists_the_known_ones(sh, wasip2ld_cmd, tmp_path):
    (tmp_path / "main.wit").write_text("package a:b;\nworld w { import c:d/i; }\n")
    result = sh([*wasip2ld_cmd, "sig", "--wit", "main.wit"], ok=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        "wasip2ld: error: main.wit:2:18: package 'c:d' not found. known packages: a:b"
    )


def test_duplicate_package_names_both_places(sh, wasip2ld_cmd, tmp_path):
    (tmp_path / "deps").mkdir()
    (tmp_path / "main.wit").write_text("package a:b;\nworld w { import x:y/i; }\n")
    for name in ("one", "two"):
        (tmp_path / "deps" / f"{name}.wit").write_text("package x:y;\ninterface i {}\n")
    result = sh([*wasip2ld_cmd, "sig", "--wit", "."], ok=False)
    assert result.returncode == 2
    first = result.stderr.splitlines()[0]
    assert "package `x:y` is defined in two different locations: " in first
    assert "deps/one.wit:1:9" in first and "deps/two.wit:1:9" in first


@pytest.mark.parametrize("name", ["evil\nm.wasm: ok: matches world", "tab\there", "cr\rx", "nel\u0085x"])
def test_control_characters_in_names_stay_on_one_line(sh, wasip2ld_cmd, wasm_tools, tmp_path, name):
    (tmp_path / "w.wit").write_text("package a:b;\nworld w {\n  export f: func();\n}\n")
    escaped = "".join(f"\\{byte:02x}" for byte in name.encode("utf-8"))  # WAT's \hh byte escapes
    wat = f'(module (import "{escaped}" "g" (func)) (func (export "f")))'
    (tmp_path / "m.wat").write_text(wat)
    sh([wasm_tools, "parse", "m.wat", "-o", "m.wasm"])
    result = sh([*wasip2ld_cmd, "check", "--wit", "w.wit", "m.wasm"], ok=False)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("m.wasm: ok")] == []
    assert lines[-1].startswith("m.wasm: 1 error: does not match world `a:b/w`")
    assert all(line.startswith(("m.wasm: ", "  ")) for line in lines)


def test_file_name_with_a_newline_in_an_error(sh, wasip2ld_cmd, tmp_path):
    result = sh([*wasip2ld_cmd, "check", "no\nsuch.wasm"], ok=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == "wasip2ld: error: no\\nsuch.wasm: no such file"


@pytest.mark.parametrize("flags", [["--wasip1"], ["-Wl,--skip-wit-component"], []])
def test_run_on_a_reactor_is_a_usage_error(sh, clang_cmd, wasip2ld_cmd, tmp_path, flags):
    (tmp_path / "lib.c").write_text('__attribute__((export_name("f"))) int f(void) { return 1; }\n')
    sh([*clang_cmd, *flags, "-mexec-model=reactor", "lib.c", "-o", "r.wasm"])
    result = sh([*wasip2ld_cmd, "run", "r.wasm"], ok=False)
    assert result.returncode == 2
    assert result.stderr.startswith("wasip2ld: error: r.wasm: the ")
    assert "it is not a command" in result.stderr.splitlines()[0]
    assert len(result.stderr.splitlines()) == 2  # the error and its hint


def test_link_error_of_wasm_ld_is_passed_through(sh, clang_cmd, tmp_path):
    """A sub-tool's own multi-line diagnostic reaches the user whole (here wasm-ld's duplicate symbol)."""
    (tmp_path / "u.c").write_text("int main(void) { return 0; }\n")
    result = sh([*clang_cmd, "u.c", HELLO_C, "-o", "u.wasm"], ok=False)
    assert result.returncode == 1
    assert "wasm-ld: error: duplicate symbol: " in result.stderr
    assert ">>> defined in " in result.stderr  # the lines after the first are kept
    assert not (tmp_path / "u.wasm").exists()
