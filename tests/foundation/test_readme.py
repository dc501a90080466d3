"""The README's two commands stay true: `make demo` builds and runs the hello component (its recipe is run
here with this environment's scripts), and `.ci/run` calls `make test`."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text().splitlines()
    start = lines.index(next(line for line in lines if line.startswith(f"{target}:")))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make demo" in readme and "make test" in readme
    assert re.search(r"^make test\b", (ROOT / ".ci/run").read_text(), re.M)


def test_make_demo_recipe_builds_a_component_that_greets(tmp_path):
    recipe = _recipe("demo")
    build = next(line for line in recipe if "wasip2-clang" in line)
    run = next(line for line in recipe if " run " in line)
    assert build == "$(BIN)/wasip2-clang examples/hello/hello.c -o out/hello.wasm"
    assert run == "$(WASIP2LD) run out/hello.wasm"
    scripts = Path(sys.executable).parent
    out = tmp_path / "hello.wasm"
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([str(scripts / "wasip2-clang"), str(ROOT / "examples/hello/hello.c"), "-o", str(out)],
                   check=True, env=env)
    assert out.read_bytes()[:8] == b"\0asm\x0d\x00\x01\x00", "a component, not a core module"
    ran = subprocess.run([str(scripts / "wasip2ld"), "run", str(out)], capture_output=True, text=True, env=env)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout == "Hello from a wasm32-wasip2 component!\n"
