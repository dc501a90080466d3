"""wasip2ld as released: the wheel built from this checkout, installed (not editable) with its `run` and
`go` extras into a fresh venv, builds and runs hello in C and in Go, and carries its integration files."""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from .conftest import ROOT

HELLO_C = ROOT / "examples" / "hello" / "hello.c"
HELLO_GO = ROOT / "tests" / "go" / "data" / "hello"


def _run(argv: list, cwd: Path) -> subprocess.CompletedProcess:
    # Only the venv's own commands: nothing of this checkout's environment on PATH.
    full_env = {**os.environ, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([str(a) for a in argv], cwd=cwd, env=full_env, capture_output=True, text=True)
    assert result.returncode == 0, f"{argv}: {result.returncode}\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result


def test_wheel_in_a_fresh_venv_builds_and_runs_c_and_go(wheel_venv, tmp_path):
    bin_dir = wheel_venv / "bin"
    version = re.search(r'__version__ = "(.+)"', (ROOT / "wasip2ld" / "__init__.py").read_text()).group(1)
    assert _run([bin_dir / "wasip2ld", "--version"], tmp_path).stdout.strip().endswith(version)
    _run([bin_dir / "wasip2-clang", HELLO_C, "-o", "hello"], tmp_path)
    assert os.access(tmp_path / "hello", os.X_OK)
    greeting = _run([bin_dir / "wasip2ld", "run", "hello"], tmp_path).stdout
    assert greeting.startswith("Hello")
    _run([bin_dir / "wasip2ld", "go", "build", "-o", tmp_path / "hello-go.wasm", "."], HELLO_GO)
    out = _run([bin_dir / "wasip2ld", "run", "hello-go.wasm", "from", "a", "wheel"], tmp_path).stdout
    assert out.startswith("hello from Go: from a wheel\n")
    cross = _run([bin_dir / "wasip2ld", "meson-cross"], tmp_path).stdout  # integration files are in the wheel
    assert f"exe_wrapper = ['{bin_dir / 'wasip2ld'}', 'run'" in cross
    make_mk = _run([bin_dir / "wasip2ld", "make", "--print-env"], tmp_path).stdout
    assert re.search(r"^export WASIP2_MK=\S*/site-packages/wasip2ld/integration/make/wasip2\.mk$", make_mk, re.M)
