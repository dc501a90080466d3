"""Sizes and instantiate+run times of the three ways to ship a wasm32-wasip2 C/C++ program, side by side.

    python bench/bench_sizes.py [--runs 40]

For hello (examples/hello/hello.c) and a bigger program (C++: iostream, containers, strings), each built
unstripped and stripped (`-s`):

  adapter    a component built against the older, p1-importing wasi-libc (`wasip2ld toolchain install
             --suite trixie`): wasi-libc's core module plus the WASI p1 adapter
  component  a component built against the default p1-free wasi-libc: one core module, no adapter
  module     the core module build target (`--module`) of the same program, which carries
             `wasi:cli/command`

Sizes are the files' bytes. Time is one instantiation plus the run of `wasi:cli/run` under wasmtime-py
(each file compiled once beforehand; a module target is componentized once, as `wasip2ld run` does, and
that component is timed), median of interleaved runs (A, B, C, A, B, C, …) so that load from other processes
hits all alike. Ratios are against the adapter build.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wasip2ld.toolchain.discover import discover

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OLD_SUITE = "trixie"
BIGGER = r"""
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
int main() {
    std::vector<std::string> words{"components", "without", "an", "adapter", "from", "C++"};
    std::sort(words.begin(), words.end());
    std::map<char, int> initials;
    for (const auto &w : words) initials[w[0]] += static_cast<int>(w.size());
    std::ostringstream out;
    for (const auto &[c, n] : initials) out << c << '=' << n << ' ';
    std::cout << out.str() << std::endl;
    return 0;
}
"""
KINDS = ("adapter", "component", "module")


def build(work: Path, old_sysroot: Path) -> dict[tuple[str, str, str], Path]:
    """(program, kind, stripped?) -> the built file."""
    (work / "bigger.cpp").write_text(BIGGER)
    programs = {"hello": (BIN / "wasip2-clang", ROOT / "examples/hello/hello.c"),
                "bigger": (BIN / "wasip2-clang++", work / "bigger.cpp")}
    built = {}
    for program, (driver, source) in programs.items():
        for kind in KINDS:
            for strip in ("unstripped", "stripped"):
                out = work / f"{program}-{kind}-{strip}.wasm"
                argv = [str(driver), "-O2", str(source), "-o", str(out)]
                argv += ["--module"] if kind == "module" else []
                argv += ["-s"] if strip == "stripped" else []
                env = dict(os.environ)
                if kind == "adapter":
                    env["WASIP2LD_SYSROOT_WASIP2"] = str(old_sysroot)
                subprocess.run(argv, check=True, env=env, cwd=work)
                built[(program, kind, strip)] = out
    return built


def runnable(path: Path, kind: str, wasm_tools: Path, work: Path) -> Path:
    """What gets instantiated: a module target is componentized first (no adapter: it imports no WASI p1)."""
    if kind != "module":
        return path
    component = work / (path.stem + ".component.wasm")
    subprocess.run([str(wasm_tools), "component", "new", str(path), "-o", str(component)], check=True)
    return component


def instantiate_and_run(engine, component) -> float:
    import wasmtime
    from wasmtime import component as cm

    start = time.perf_counter()
    linker = cm.Linker(engine)
    linker.add_wasip2()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.stdout_file = os.devnull
    store.set_wasi(wasi)
    instance = linker.instantiate(store, component)
    run = instance.get_export_index(store, "wasi:cli/run@0.2.0")
    func = instance.get_func(store, instance.get_export_index(store, "run", run))
    func(store)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    import wasmtime
    from wasmtime import component as cm

    tc = discover()
    old = tc.settings.data_dir / f"wasi-libc-{OLD_SUITE}" / "usr"
    if not (old / "lib/wasm32-wasip2/libc.a").is_file():
        sys.exit(f"the older wasi-libc is missing: run `wasip2ld toolchain install --suite {OLD_SUITE}`")
    wasm_tools = tc.path("wasm-tools")
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as tmp:
        work = Path(tmp)
        built = build(work, old)
        engine = wasmtime.Engine()
        components = {key: cm.Component.from_file(engine, str(runnable(path, key[1], wasm_tools, work)))
                      for key, path in built.items()}
        times: dict[tuple[str, str, str], list[float]] = {key: [] for key in built}
        for _ in range(args.runs):
            for key, component in components.items():
                times[key].append(instantiate_and_run(engine, component))
        print(f"{'program':8} {'build':10} {'kind':10} {'bytes':>9} {'size×':>6} {'inst+run ms':>12} {'time×':>6}")
        for program in ("hello", "bigger"):
            for strip in ("unstripped", "stripped"):
                base_size = built[(program, "adapter", strip)].stat().st_size
                base_time = statistics.median(times[(program, "adapter", strip)])
                for kind in KINDS:
                    key = (program, kind, strip)
                    size = built[key].stat().st_size
                    median = statistics.median(times[key])
                    print(f"{program:8} {strip:10} {kind:10} {size:9d} {size / base_size:6.2f} "
                          f"{median * 1e3:12.3f} {median / base_time:6.2f}")


if __name__ == "__main__":
    main()
