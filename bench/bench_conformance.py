"""The conformance suite: how long `wasip2ld conformance export` takes, and how fast each checker judges its
modules, side by side: ``check_module`` in process (world resolved once per world), `wasm-tools component
new` per module, and the `wasip2ld check` command line per module (on a sample: it resolves the WIT every
time). Prints modules per second and the ratio to `component new`.

    python bench/bench_conformance.py [--sample 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wasip2ld.check import check_module
from wasip2ld.conformance.export import export_suite
from wasip2ld.conformance.run import command_checker, run_suite
from wasip2ld.toolchain.discover import discover
from wasip2ld.wit import load_world


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=60, help="modules for the `wasip2ld check` command line")
    parser.add_argument("--keep", type=Path, help="export here and keep the suite")
    args = parser.parse_args()
    toolchain = discover()
    scratch = Path(tempfile.mkdtemp(prefix="wasip2ld-bench-conformance-"))
    suite = args.keep or scratch / "suite"
    try:
        start = time.perf_counter()
        worlds, modules = export_suite(suite, toolchain)
        print(f"export: {modules} modules for {worlds} worlds in {time.perf_counter() - start:.1f} s")
        index = json.loads((suite / "index.json").read_text())

        start = time.perf_counter()
        resolved = {w["slug"]: load_world(suite / w["wit"], w["world"], toolchain=toolchain) for w in index["worlds"]}
        for case in index["cases"]:
            check_module(suite / case["module"], resolved[case["world"]])
        in_process = len(index["cases"]) / (time.perf_counter() - start)

        wasm_tools = shlex.quote(str(toolchain.path("wasm-tools")))
        start = time.perf_counter()
        report = run_suite(suite, command_checker(f"{wasm_tools} component new {{module}} -o /dev/null"))
        component_new = len(report.outcomes) / (time.perf_counter() - start)

        wasip2ld = shlex.quote(str(Path(sys.executable).with_name("wasip2ld")))
        start = time.perf_counter()
        words = command_checker(f"{wasip2ld} check {{module}} --wit {{wit}} --world {{world}}")
        sampled = run_suite(suite, words, sample=args.sample)
        command_line = len(sampled.outcomes) / (time.perf_counter() - start)

        print(f"{'checker':<40} {'modules/s':>10} {'vs component new':>17}")
        for name, rate in (("check_module (in process, world resolved)", in_process),
                           ("wasm-tools component new (2 jobs)", component_new),
                           ("wasip2ld check command line (2 jobs)", command_line)):  # fmt: skip
            print(f"{name:<40} {rate:>10.1f} {rate / component_new:>16.2f}x")
        print(f"agreement: component new {report.agreed}/{len(report.outcomes)}, "
              f"wasip2ld check {sampled.agreed}/{len(sampled.outcomes)}")  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
