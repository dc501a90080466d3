"""Wall time of `wasip2ld go build` against the hand-written sequence it replaces, in the same run.

    python bench/bench_go.py [--runs 5]

Projects (copied from tests/go/data into a temporary directory):
  hello   a Go command, no world: go build + `component new` with the command adapter
  calc    a reactor implementing a WIT world: go build -buildmode=c-shared + `component embed` +
          `component new` with the reactor adapter

By hand means exactly those commands (`go build`, `wasm-tools component embed`, `wasm-tools component new`),
each its own process. Note that the hand-made calc component is the one that breaks at instantiation
(docs/go.md, adapter pitfalls); wasip2ld's extra work (go list, the arena overlay, the module edits and the
validator) is what the difference pays for.

Goal: wasip2ld within 1 s of the hand-written sequence on a warm GOCACHE. Both run alternately, GOCACHE
is warmed first; prints the median and the fastest of N runs and the difference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wasip2ld.toolchain.discover import discover

DATA = ROOT / "tests" / "go" / "data"
WASM_ENV = {"GOOS": "wasip1", "GOARCH": "wasm", "GOTOOLCHAIN": "local"}


def hand_commands(project: Path, name: str) -> list[list[str]]:
    tc = discover()
    go, wasm_tools = tc.require("go").argv, str(tc.path("wasm-tools"))
    core, out = project / "hand-core.wasm", project / "hand.wasm"
    if name == "hello":
        adapter = tc.path("adapter-command")
        return [[*go, "build", "-o", str(core), "."],
                [wasm_tools, "component", "new", str(core), "--adapt", f"wasi_snapshot_preview1={adapter}", "-o", str(out)]]  # fmt: skip
    adapter = tc.path("adapter-reactor")
    embedded = project / "hand-embedded.wasm"
    return [[*go, "build", "-buildmode=c-shared", "-o", str(core), "."],
            [wasm_tools, "component", "embed", "wit", str(core), "--world", "plugin", "-o", str(embedded)],
            [wasm_tools, "component", "new", str(embedded), "--adapt", f"wasi_snapshot_preview1={adapter}", "-o", str(out)]]  # fmt: skip


def wasip2ld_command(name: str) -> list[str]:
    world = ["--wit", "wit", "--world", "plugin"] if name == "calc" else []
    return [sys.executable, "-m", "wasip2ld", "go", "build", *world, "-o", "wasip2ld.wasm", "."]


def timed(commands: list[list[str]], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    for argv in commands:
        subprocess.run(
            argv, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
    return time.perf_counter() - start


def bench(name: str, runs: int, workdir: Path) -> None:
    project = workdir / name
    shutil.copytree(DATA / name, project)
    env = {**os.environ, **WASM_ENV, "GOCACHE": str(workdir / "gocache")}
    by_hand, ours = hand_commands(project, name), [wasip2ld_command(name)]
    timed(by_hand, project, env)  # warm the cache (and the OS's file cache) for both
    timed(ours, project, env)
    hand_times, our_times = [], []
    for _ in range(runs):
        hand_times.append(timed(by_hand, project, env))
        our_times.append(timed(ours, project, env))
    hand, mine = statistics.median(hand_times), statistics.median(our_times)
    print(
        f"{name:6} by hand   median {hand * 1000:7.0f} ms   fastest {min(hand_times) * 1000:7.0f} ms   ({len(by_hand)} commands)"
    )
    print(f"{name:6} wasip2ld  median {mine * 1000:7.0f} ms   fastest {min(our_times) * 1000:7.0f} ms   "
          f"(+{(mine - hand) * 1000:.0f} ms, x{mine / hand:.2f})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-go-") as tmp:
        for name in ("hello", "calc"):
            bench(name, args.runs, Path(tmp))


if __name__ == "__main__":
    main()
