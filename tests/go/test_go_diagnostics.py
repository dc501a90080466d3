"""Mismatches between Go's `//go:wasm*` directives and the world, reported at the Go file and line with the
declaration the world expects; exit 1 and no output."""

from __future__ import annotations

import re

BUILD = ["go", "build", "--wit", "wit", "--world", "plugin", "-o", "calc.wasm", "."]


def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _no_output(project) -> bool:
    return not (project / "calc.wasm").exists() and not list(project.glob(".calc.wasm.*"))


def test_wrong_wasmimport_signature_is_reported_at_the_directive(wasip2ld, go_project, line_of):
    project = go_project("calc")
    main = project / "main.go"
    _edit(main, "func hostBase() int32", "func hostBase(scale int32) int64")
    _edit(main, "return a + b + hostBase()", "return a + b + int32(hostBase(1))")
    result = wasip2ld(BUILD, cwd=project, ok=False)
    assert result.returncode == 1
    line = line_of(main, "//go:wasmimport example:calc/host@0.1.0 base")
    assert (f"main.go:{line}:1: error: //go:wasmimport example:calc/host@0.1.0 base: core type "
            "(func (param i32) (result i64)) does not match (func (result i32))") in result.stderr  # fmt: skip
    assert "    declared: func hostBase(scale int32) int64\n" in result.stderr
    assert ("    expected: //go:wasmimport example:calc/host@0.1.0 base\n"
            "              func hostBase() int32\n") in result.stderr  # fmt: skip
    assert (
        "wasip2ld: error: calc.wasm: the Go code does not match world example:calc/plugin@0.1.0: 1 problem"
        in result.stderr
    )
    assert "wasip2ld sig --format go --wit wit --world plugin" in result.stderr
    assert "Traceback" not in result.stderr
    assert _no_output(project)


def test_missing_wasmexport_is_reported_at_main_with_the_declaration(wasip2ld, go_project, line_of):
    project = go_project("calc")
    main = project / "main.go"
    _edit(main, "//go:wasmexport example:calc/calc@0.1.0#scale\n", "")
    result = wasip2ld(BUILD, cwd=project, ok=False)
    assert result.returncode == 1
    line = line_of(main, "func main()")
    assert (f"main.go:{line}:1: error: the world exports example:calc/calc@0.1.0 scale: "
            "func(x: f64, k: f32) -> f64, but no //go:wasmexport example:calc/calc@0.1.0#scale was found") in result.stderr  # fmt: skip
    assert ("    expected: //go:wasmexport example:calc/calc@0.1.0#scale\n"
            "              func calcScale(x float64, k float32) float64\n") in result.stderr  # fmt: skip
    assert _no_output(project)


def test_every_problem_is_listed_in_source_order_with_typo_notes(wasip2ld, go_project, line_of):
    project = go_project("calc")
    main = project / "main.go"
    _edit(main, "#add\n", "#ad\n")  # a typo: add is missing, `ad` matches nothing
    _edit(main, "func scale(x float64, k float32) float64", "func scale(x float32, k float32) float64")
    _edit(main, "return x * float64(k)", "return float64(x * k)")
    _edit(main, "example:calc/host@0.1.0 log", "example:calc/host@0.1.0 logg")
    result = wasip2ld(BUILD, cwd=project, ok=False)
    located = re.findall(r"^main\.go:(\d+):1: (error|warning): (.*)$", result.stderr, flags=re.MULTILINE)
    assert [(int(n), kind) for n, kind, _ in located] == sorted((int(n), kind) for n, kind, _ in located)
    by_line = {int(n): (kind, text) for n, kind, text in located}
    assert by_line[line_of(main, "//go:wasmimport example:calc/host@0.1.0 logg")][0] == "error"
    assert "did you mean `log`?" in result.stderr or "`log`" in result.stderr
    typo = by_line[line_of(main, "#ad")]
    assert typo[0] == "warning" and "matches nothing in the world" in typo[1]
    assert by_line[line_of(main, "#scale")][0] == "error"
    assert by_line[line_of(main, "func main()")][0] == "error"  # the missing `add`
    assert (
        f"note: main.go:{line_of(main, '#ad')} exports `example:calc/calc@0.1.0#ad`: a typo?" in result.stderr
    )
    assert "3 problems" in result.stderr
    assert _no_output(project)


def test_directive_in_another_package_is_located_there(wasip2ld, go_project, line_of):
    project = go_project("layered")
    bindings = project / "bindings" / "bindings.go"
    _edit(bindings, "func add(a, b Amount) Amount", "func add(a, b Amount) uint64")
    _edit(bindings, "return uint32(add(Amount(a), Amount(b)))", "return uint32(add(Amount(a), Amount(b)))")
    result = wasip2ld(["go", "build", "--wit", "wit", "-o", "app.wasm", "."], cwd=project, ok=False)
    line = line_of(bindings, "//go:wasmimport")
    assert (
        f"bindings/bindings.go:{line}:1: error: //go:wasmimport example:layered/host@0.1.0 add"
        in result.stderr
    )
    assert "    declared: func add(a Amount, b Amount) uint64\n" in result.stderr
    assert "              func add(a uint32, b uint32) uint32\n" in result.stderr
    assert not (project / "app.wasm").exists()


def test_named_types_resolve_and_the_layered_build_works(wasip2ld, go_project):
    project = go_project("layered")
    wasip2ld(["go", "build", "--wit", "wit", "-o", "app.wasm", "."], cwd=project)
    assert (project / "app.wasm").read_bytes()[:8] == b"\0asm\x0d\x00\x01\x00"


def test_module_target_explains_that_go_needs_wasi_p1(wasip2ld, go_project):
    project = go_project("calc")
    result = wasip2ld(["go", "build", "--module", *BUILD[2:]], cwd=project, ok=False)
    assert result.returncode == 1
    assert "a module build target cannot import WASI p1, and every Go program does" in result.stderr
    assert "clock_time_get" in result.stderr and "drop --module" in result.stderr
    assert _no_output(project)


def test_unknown_interface_is_an_error_at_the_directive(wasip2ld, go_project, line_of):
    project = go_project("calc")
    main = project / "main.go"
    _edit(
        main, "//go:wasmimport example:calc/host@0.1.0 base", "//go:wasmimport example:calc/hots@0.1.0 base"
    )
    result = wasip2ld(BUILD, cwd=project, ok=False)
    line = line_of(main, "hots@0.1.0 base")
    assert re.search(
        rf"^main\.go:{line}:1: error: //go:wasmimport example:calc/hots@0\.1\.0 base: ",
        result.stderr,
        re.MULTILINE,
    )
    assert _no_output(project)


def test_bad_usage_is_a_one_line_error(wasip2ld, go_project):
    project = go_project("calc")
    cases = [
        (["go", "build", "--mangling", "fancy", "."], "--mangling=fancy: unknown name mangling"),
        (["go", "build", "--module", "."], "--module needs a WIT world"),
        (["go", "build", "--wit", "missing-dir", "."], "missing-dir"),
        (["go", "build", "-o"], "-o: missing value"),
        (["go", "build", "--world", "plugin", "--wit", "wit", "--world", "nope", "."], "nope"),
    ]
    for args, text in cases:
        result = wasip2ld(args, cwd=project, ok=False)
        assert result.returncode == 2, (args, result.stderr)
        first = result.stderr.splitlines()[0]
        assert first.startswith("wasip2ld: error: ") and text in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
