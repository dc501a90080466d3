"""How long the core-module reader takes to read imports, exports, types and custom sections, in-process.

    python bench/bench_reader.py [--runs 50]

Modules (built here with the real tools, in a temporary directory):
  go      a `GOOS=wasip1 GOARCH=wasm go build` hello world (~2.5 MB)
  big     a generated module with a ~4 MB code section and a 20 MB data segment (~24 MB)
  small   the same imports, exports and types as `big`, with one tiny function and no data

Goal: under 50 ms per read, and `big` no slower than `small` (the code and data bodies are never read).
Prints the median and the fastest of N fresh reads per module.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wasip2ld.proc import run_checked  # noqa: E402
from wasip2ld.toolchain.discover import discover  # noqa: E402
from wasip2ld.wasm import read_module  # noqa: E402

GO_SOURCE = """package main

import "fmt"

//go:wasmexport add
func add(a, b int32) int32 { return a + b }

func main() { fmt.Println("hello from go") }
"""
TYPES = ["i32", "i64", "f32", "f64"]


def build_go(workdir: Path) -> bytes:
    tc = discover()
    (workdir / "main.go").write_text(GO_SOURCE)
    (workdir / "go.mod").write_text("module example.com/bench\n\ngo 1.24\n")
    env = {"GOOS": "wasip1", "GOARCH": "wasm", "GOTOOLCHAIN": "local"}
    out = workdir / "go.wasm"
    run_checked(
        [*tc.require("go").argv, "build", "-o", str(out), "."], tool="go", capture=True, env=env, cwd=workdir
    )
    return out.read_bytes()


def generated_wat(functions: int, body_ops: int, data_bytes: int) -> str:
    sig = [f"(param {' '.join(TYPES[: n % 5])}) (result {TYPES[n % 4]})" for n in range(40)]
    parts = ["(module"]
    parts += [f'(import "wasi:cli/env@0.2.{n % 3}" "f{n}" (func {sig[n]}))' for n in range(40)]
    parts.append('(memory (export "memory") 400)')
    body = " i32.const 1 i32.add" * body_ops
    parts += [f'(func (export "e{n}") (result i32) i32.const 0{body})' for n in range(functions)]
    if data_bytes:
        parts.append(f'(data (i32.const 0) "{"x" * data_bytes}")')
    parts.append('(@custom "component-type:bench" "\\00asm\\0d\\00\\01\\00"))')
    return "\n".join(parts)


def build_wat(workdir: Path, name: str, text: str) -> bytes:
    source, out = workdir / f"{name}.wat", workdir / f"{name}.wasm"
    source.write_text(text)
    wasm_tools = str(discover().path("wasm-tools"))
    run_checked([wasm_tools, "parse", str(source), "-o", str(out)], tool="wasm-tools", capture=True)
    return out.read_bytes()


def read_all(data: bytes) -> int:
    m = read_module(data)
    return len(m.imports) + len(m.exports) + len(m.types) + len(m.custom_sections())


def measure(data: bytes, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        gc.collect()  # so that one run does not pay for the garbage of the previous ones
        start = time.perf_counter()
        read_all(data)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="fresh reads per module (default 50)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as tmp:
        workdir = Path(tmp)
        modules = {
            "go": build_go(workdir),
            "big": build_wat(workdir, "big", generated_wat(2000, 1000, 20 * 1024 * 1024)),
            "small": build_wat(workdir, "small", generated_wat(2000, 0, 0)),
        }
    print(f"{'module':8} {'size':>10} {'imports':>8} {'exports':>8} {'median':>10} {'fastest':>10}")
    for name, data in modules.items():
        m = read_module(data)
        median, fastest = measure(data, args.runs)
        print(
            f"{name:8} {len(data) / 1e6:8.2f}MB {len(m.imports):8} {len(m.exports):8} "
            f"{median * 1e3:8.3f}ms {fastest * 1e3:8.3f}ms"
        )


if __name__ == "__main__":
    main()
