"""Time `wasip2ld bindgen c` for the WASI 0.2 `wasi:cli/command` world (target: under 100 ms).

Prints medians over several runs of: resolving the WIT (`wasm-tools component wit --json` and the Python
model, as `bindgen c` does on every run), generating `command.h`/`command.c` from the loaded model, and the
whole command-line run (process start included); the generation time is also shown as a fraction of the
100 ms target and of the WIT resolution it follows. Usage: python bench/bench_bindgen.py [RUNS]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_world import wasi_cli_tree

from wasip2ld.bindgen import generate_c
from wasip2ld.toolchain.discover import discover
from wasip2ld.wit.load import load_packages, select_world

TARGET_S = 0.100


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def main(runs: int) -> None:
    toolchain = discover()
    resolve, generate, cli = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tree = wasi_cli_tree(toolchain.path("wasi-wit"), Path(tmp))
        for _ in range(runs):
            t0 = time.perf_counter()
            packages = load_packages(tree, toolchain=toolchain)
            world = select_world(packages, "command")
            t1 = time.perf_counter()
            bindings = generate_c(world, packages)
            t2 = time.perf_counter()
            resolve.append(t1 - t0)
            generate.append(t2 - t1)
        wasip2ld = Path(sys.executable).parent / "wasip2ld"
        argv = [str(wasip2ld), "bindgen", "c", "--wit", str(tree), "--world", "command", "--out-dir", tmp]
        for _ in range(max(3, runs // 4)):
            start = time.perf_counter()
            subprocess.run(argv, check=True)
            cli.append(time.perf_counter() - start)
    gen = median(generate)
    size = len(bindings.header) + len(bindings.source)
    print(
        f"world {world.id}: {bindings.header_name} + {bindings.source_name} = {size} bytes; median of {runs} runs"
    )
    print(f"  resolve the WIT (wasm-tools + model)   {median(resolve) * 1000:8.2f} ms")
    print(f"  generate the bindings                  {gen * 1000:8.2f} ms")
    print(f"  `wasip2ld bindgen c` (whole process)   {median(cli) * 1000:8.2f} ms")
    print(f"  generation / 100 ms target             {gen / TARGET_S:8.2f}x")
    print(f"  generation / WIT resolution            {gen / median(resolve):8.2f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
