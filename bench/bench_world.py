"""Time to resolve and lower the WASI 0.2 `wasi:cli/command` world.

Prints, as medians over several runs: the `wasm-tools component wit --json` call, building the Python model
from its JSON, and `expected_interface` under each mangling. Usage: python bench/bench_world.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from wasip2ld.abi import expected_interface
from wasip2ld.toolchain.discover import discover
from wasip2ld.wit.from_json import packages_from_json
from wasip2ld.wit.load import declared_package, read_wit_json, select_world


def wasi_cli_tree(builtin: Path, into: Path) -> Path:
    """jco keeps each WASI package as <release>/<package>/package.wit; give wasi-cli a deps/ of its siblings."""
    release = max(
        (p for p in builtin.iterdir() if p.name.startswith("0.2.")),
        key=lambda p: tuple(map(int, p.name.split("."))),
    )
    tree = into / "wasi-cli"
    (tree / "deps").mkdir(parents=True)
    (tree / "package.wit").symlink_to(release / "wasi-cli" / "package.wit")
    for other in release.iterdir():
        if other.name != "wasi-cli" and (other / "package.wit").is_file():
            (tree / "deps" / other.name).symlink_to(other, target_is_directory=True)
    return tree


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:8.2f} ms"


def main(runs: int) -> None:
    toolchain = discover()
    timings: dict[str, list[float]] = {"wasm-tools": [], "model": [], "legacy": [], "standard32": []}
    with tempfile.TemporaryDirectory() as tmp:
        tree = wasi_cli_tree(toolchain.path("wasi-wit"), Path(tmp))
        for _ in range(runs):
            t0 = time.perf_counter()
            doc = read_wit_json(tree, toolchain=toolchain)
            t1 = time.perf_counter()
            names = [p["name"] for p in doc["packages"]]
            packages = packages_from_json(doc, main=names.index(declared_package(tree)))
            world = select_world(packages, "command")
            t2 = time.perf_counter()
            counts = {}
            for mangling in ("legacy", "standard32"):
                start = time.perf_counter()
                expected = expected_interface(world, mangling)
                timings[mangling].append(time.perf_counter() - start)
                counts[mangling] = (len(expected.imports), len(expected.exports))
            timings["wasm-tools"].append(t1 - t0)
            timings["model"].append(t2 - t1)
    print(
        f"world {world.id}: {counts['legacy'][0]} imports, {counts['legacy'][1]} exports; median of {runs} runs"
    )
    print(f"  wasm-tools component wit --json   {median_ms(timings['wasm-tools'])}")
    print(f"  Python model from the JSON        {median_ms(timings['model'])}")
    print(f"  expected_interface (legacy)       {median_ms(timings['legacy'])}")
    print(f"  expected_interface (standard32)   {median_ms(timings['standard32'])}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)
