"""Wall time of `wasip2ld go build` against the hand-written sequence it replaces, in the same run.

    python bench/bench_go.py [--runs 5]

Projects (copied from tests/go/data into a temporary directory):
  hello   a Go command, no world: go build + `component new` with the command adapter
  calc    a reactor implementing a WIT world: go build -buildmode=c-shared + `component embed` +
          `component new` with the reactor adapter

By hand means exactly those commands (`go build`, `wasm-tools component embed`, `wasm-tools component new`),
each its own process, with the WASI p1 adapters wasip2ld uses (Go's wasip1 output imports WASI p1 whatever
the C sysroot is). Note that the hand-made calc component is the one that breaks at instantiation
(docs/go.md, adapter pitfalls); wasip2ld's extra work (the arena overlay, the module edits and the
validator, or on a repeated build the record of the previous one) is what the difference pays for.
wasip2ld runs as users run it, through its console script, with a cache directory of its own.

Goal: wasip2ld within 2x of the hand-written sequence on a warm GOCACHE (CPU and wall). Both run
alternately, GOCACHE and wasip2ld's cache are warmed first; prints the medians of N runs and their ratio.
The `-edit` figures are the edit-build loop: before each run main.go gets a new `init` function, so Go
compiles the main package and links again (and wasip2ld takes its full path); no goal, for the record.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_driver import BIN, ENV, Comparison, compare, measure, ratio_goal  # noqa: E402

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
    return [str(BIN / "wasip2ld"), "go", "build", *world, "-o", "wasip2ld.wasm", "."]


def bench(name: str, runs: int, workdir: Path) -> str:
    project = workdir / name
    shutil.copytree(DATA / name, project)
    env = {**ENV, **WASM_ENV, "GOCACHE": str(workdir / "gocache"), "WASIP2LD_CACHE_DIR": str(workdir / "cache")}
    result = compare(f"go-{name}", [wasip2ld_command(name)], hand_commands(project, name), project, runs, env)
    goal = ratio_goal(result, 2.0)
    edit_loop(name, runs, project, env)
    return goal


def edit_loop(name: str, runs: int, project: Path, env: dict[str, str]) -> None:
    """Both sides side by side again, each run after its own edit of main.go."""
    main = project / "main.go"
    source = main.read_text()
    ours, theirs = [wasip2ld_command(name)], hand_commands(project, name)
    a, b = [], []
    for run in range(runs):
        main.write_text(f'{source}\nfunc init() {{ println("wasip2ld edit {run}") }}\n')
        a.append(measure(ours, project, env))
        main.write_text(f'{source}\nfunc init() {{ println("hand edit {run}") }}\n')
        b.append(measure(theirs, project, env))
    main.write_text(source)
    print(Comparison(f"go-{name}-edit", a, b).line(), flush=True)


def run(runs: int) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bench-go-") as tmp:
        return [bench(name, runs, Path(tmp)) for name in ("hello", "calc")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run(args.runs)


if __name__ == "__main__":
    main()
