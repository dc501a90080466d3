"""The build integrations of `wasip2ld bindgen c`: the commands docs/bindgen.md shows (run as written, in a
copy of examples/bindgen, with the output it documents), the driver's --bindgen, the CMake function and
the Make recipe."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import BIN, run

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "bindgen.md"
EXAMPLE = ROOT / "examples" / "bindgen"


def doc_blocks(lang: str) -> list[str]:
    """The fenced blocks of docs/bindgen.md written ```lang (``""``: no language)."""
    blocks, current, kind = [], [], None
    for line in DOC.read_text().splitlines():
        fence = re.match(r"^\s*```(\S*)\s*$", line)
        if fence and kind is None:
            kind, current = fence.group(1), []
        elif fence:
            if kind == lang:
                blocks.append("\n".join(current) + "\n")
            kind = None
        elif kind is not None:
            current.append(line.strip() if lang == "sh" else line)
    return blocks


def doc_commands(block: str) -> list[list[str]]:
    commands = []
    for line in block.strip().splitlines():
        argv = shlex.split(line.split("  #")[0])
        if argv[0] == "cd":
            continue
        program = sys.executable if argv[0] == "python" else str(BIN / argv[0])
        commands.append([program, *argv[1:]])
    return commands


@pytest.fixture
def example(tmp_path) -> Path:
    copy = tmp_path / "bindgen"
    shutil.copytree(EXAMPLE, copy)
    return copy


def test_documented_example_runs_and_prints_the_documented_output(builder, example):
    block = next(b for b in doc_blocks("sh") if "--wit wit --world drawing --out-dir gen" in b)
    outputs = [run(argv, builder.env, example) for argv in doc_commands(block)]
    documented = next(b for b in doc_blocks("") if "guest says" in b)
    assert outputs[-1] == documented
    assert "ok: matches world `demo:drawing/drawing@0.1.0`" in outputs[-2]


def test_driver_bindgen_flag_generates_compiles_and_links(builder, example):
    block = next(b for b in doc_blocks("sh") if "--bindgen -c" in b)
    (example / "obj").mkdir()
    for argv in doc_commands(block):
        run(argv, builder.env, example)
    assert (example / "obj" / "bindgen" / "drawing.h").is_file()  # beside the object
    assert (example / "bindgen" / "drawing.c").is_file()  # beside the linked component
    run([BIN / "wasip2-clang", "-mexec-model=reactor", "--module", "--wit", "wit", "--bindgen-dir", "gen2",
         "drawing.c", "-o", "drawing.core.wasm"], builder.env, example)  # fmt: skip
    out = run([sys.executable, "call.py", "drawing.wasm", "drawing.core.wasm"], builder.env, example)
    assert "component: ['sketch', 'circle', 'polygon'] 9.142" in out and "module: bounding box" in out


def test_driver_bindgen_dry_run_shows_the_generation_and_writes_nothing(builder, example):
    proc = subprocess.run(
        [BIN / "wasip2-clang", "--dry-run", "-mexec-model=reactor", "--wit", "wit", "--bindgen", "drawing.c",
         "-o", "out.wasm"], env=builder.env, cwd=example, capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "# wasip2ld bindgen c --wit wit --out-dir bindgen\n" in proc.stderr
    assert not (example / "bindgen").exists() and not (example / "out.wasm").exists()


def test_driver_bindgen_without_wit_is_a_one_line_error(builder, example):
    proc = subprocess.run(
        [BIN / "wasip2-clang", "--bindgen", "-c", "drawing.c"], env=builder.env, cwd=example,
        capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 2
    assert (
        proc.stderr.startswith("wasip2-clang: error: bindgen: no WIT given")
        and "Traceback" not in proc.stderr
    )


def test_cmake_function_builds_the_example(builder, example, tmp_path):
    if shutil.which("cmake") is None:
        pytest.fail("cmake is not installed (apt-get install cmake)", pytrace=False)
    build = tmp_path / "build"
    run([BIN / "wasip2ld", "cmake", "-S", example, "-B", build], builder.env, tmp_path)
    run(["cmake", "--build", build], builder.env, tmp_path)
    assert (build / "drawing-bindgen" / "drawing.h").is_file()
    run([BIN / "wasip2-clang", "-mexec-model=reactor", "--module", "--wit", "wit", "--bindgen", "drawing.c",
         "-o", "drawing.core.wasm"], builder.env, example)  # fmt: skip
    out = run([sys.executable, "call.py", build / "drawing.wasm", "drawing.core.wasm"], builder.env, example)
    assert "component: bounding box (-2.0, 3.0) (1.0, 5.0)" in out


def test_make_recipe_generates_once_and_again_when_the_wit_changes(builder, example, tmp_path):
    make = shutil.which("make") or pytest.fail("make is not installed", pytrace=False)
    out = tmp_path / "out"
    out.mkdir()
    first = run([make, "-f", example / "Makefile", f"OUT={out}"], builder.env, example)
    assert first.count("wasip2ld bindgen c") == 1 and (out / "drawing.core.wasm").is_file()
    assert "Nothing to be done" in run([make, "-f", example / "Makefile", f"OUT={out}"], builder.env, example)
    wit = example / "wit" / "drawing.wit"
    wit.write_text(
        wit.read_text().replace("area: func() -> f64;", "area: func() -> f64;\n    clear: func();")
    )
    proc = subprocess.run(
        [make, "-f", example / "Makefile", f"OUT={out}"], env=builder.env, cwd=example, capture_output=True,
        text=True, check=False)  # fmt: skip
    assert "wasip2ld bindgen c" in proc.stdout  # regenerated; drawing.c lacks the new method now
    assert "exports_demo_drawing_shapes_method_canvas_clear" in (out / "gen" / "drawing.h").read_text()
