"""What the compiler driver and the linker cost over the tools they run, CPU and wall time side by side.

    python bench/bench_driver.py [--runs 30]

  compile      `wasip2-clang -c x.c` vs `clang --target=wasm32-wasip2 --sysroot=… -c x.c`
  compile-same the same against the very clang command wasip2-clang execs (its setjmp flags included):
               the driver's own cost (goal: median overhead <= 8 ms)
  cc-link      `wasip2-clang hello.o -o hello.wasm` vs
               `clang -fuse-ld=lld hello.o` + `component new` (`--adapt …` only when the core module
               imports WASI p1, as wasm-component-ld does: not with a p1-free wasi-libc)
               (goal: <= 1.4x, CPU and wall)
  cc-link-cxx  the same for a C++ program using iostream
  module-link  `wasip2-clang --module --wit w.wit lib.o` (validated by `component new`) vs
               `clang -fuse-ld=lld lib.o` + `component embed` (goal: <= 1.4x, CPU and wall)
  ld           `wasip2ld-wasm-component-ld <clang's link line>` (the linker clang runs for a
               `-fuse-ld=wasip2ld-wasm-component-ld` link, or wasip2-clang for `-v`, `-Wl,--adapt`, …) vs
               `wasm-ld <same line>` + `wasm-tools component new --adapt …`

Runs are interleaved (A, B, A, B, …) so that load from other processes hits both sides alike. CPU time is
the children's user + system time (every process of a side, clang's own children included). Prints the
medians of each side and their ratio; the resolution cache and Python's bytecode cache are warmed first
(PYTHONDONTWRITEBYTECODE is dropped for the measured processes: without .pyc files every run recompiles
wasip2ld's modules, which is not how an installed wasip2ld runs).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wasip2ld.toolchain.discover import discover

BIN = Path(sys.executable).parent
SOURCE = "int twice(int x) { return 2 * x; }\n"
HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
HELLO_CXX = '#include <iostream>\nint main() { std::cout << "hello" << std::endl; return 0; }\n'
LIB = '__attribute__((export_name("answer"))) int answer(void) { return 42; }\n'
WORLD = "package demo:bench;\nworld lib {\n  export answer: func() -> u32;\n}\n"
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

Commands = list[list[str]]


class Sample:
    """CPU and wall seconds of one run of one side."""

    def __init__(self, cpu: float, wall: float) -> None:
        self.cpu, self.wall = cpu, wall


def measure(commands: Commands, cwd: Path, env: dict[str, str] | None = None) -> Sample:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    for argv in commands:
        subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=ENV if env is None else env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return Sample(cpu, wall)


class Comparison:
    """Medians (ms) of both sides of one figure."""

    def __init__(self, name: str, ours: list[Sample], theirs: list[Sample]) -> None:
        self.name = name
        self.cpu = (_median_ms(ours, "cpu"), _median_ms(theirs, "cpu"))
        self.wall = (_median_ms(ours, "wall"), _median_ms(theirs, "wall"))

    def line(self) -> str:
        (oc, tc), (ow, tw) = self.cpu, self.wall
        return (
            f"{self.name:12} cpu {oc:6.1f} vs {tc:6.1f} ms = {oc / tc:4.2f}x ({oc - tc:+6.1f} ms)   "
            f"wall {ow:6.1f} vs {tw:6.1f} ms = {ow / tw:4.2f}x ({ow - tw:+6.1f} ms)"
        )


def _median_ms(samples: list[Sample], what: str) -> float:
    return statistics.median(getattr(s, what) for s in samples) * 1000


def compare(
    name: str, ours: Commands, theirs: Commands, cwd: Path, runs: int, env: dict[str, str] | None = None
) -> Comparison:
    measure(ours, cwd, env), measure(theirs, cwd, env)  # warm caches (the resolution cache, the page cache)
    a, b = [], []
    for _ in range(runs):
        a.append(measure(ours, cwd, env))
        b.append(measure(theirs, cwd, env))
    result = Comparison(name, a, b)
    print(result.line(), flush=True)
    return result


def goal(text: str, met: bool) -> str:
    line = f"  goal {text}: {'met' if met else 'NOT met'}"
    print(line, flush=True)
    return line


def ratio_goal(result: Comparison, limit: float) -> str:
    worst = max(result.cpu[0] / result.cpu[1], result.wall[0] / result.wall[1])
    return goal(f"{result.name} <= {limit}x (cpu and wall)", worst <= limit)


def run(runs: int) -> list[str]:
    """Every figure of this script; returns the goal lines."""
    tc = discover()
    sysroot = tc.path("sysroot-wasip2")
    clang = [*tc.require("clang").argv, "--target=wasm32-wasip2", f"--sysroot={sysroot}"]
    clangxx = [*clang, "--driver-mode=g++"]
    wasm_ld, wasm_tools = str(tc.path("wasm-ld")), str(tc.path("wasm-tools"))
    adapter = f"wasi_snapshot_preview1={tc.path('adapter-command')}"
    wasip2_clang, wasip2_clangxx = str(BIN / "wasip2-clang"), str(BIN / "wasip2-clang++")
    ld_entry = str(BIN / "wasip2ld-wasm-component-ld")
    lib = sysroot / "lib" / "wasm32-wasip2"
    line = ["-m", "wasm32", f"-L{lib}", str(lib / "crt1-command.o"), "hello.o", "-lc"]
    line.append(str(tc.path("compiler-rt")))
    goals = []
    with tempfile.TemporaryDirectory(prefix="bench-driver-") as tmp:
        work = Path(tmp)
        ENV["WASIP2LD_CACHE_DIR"] = str(work / "cache")
        for name, text in (("x.c", SOURCE), ("hello.c", HELLO), ("hello.cpp", HELLO_CXX), ("lib.c", LIB),
                           ("w.wit", WORLD)):  # fmt: skip
            (work / name).write_text(text)
        for argv in ([wasip2_clang, "-c", "hello.c"], [wasip2_clangxx, "-c", "hello.cpp", "-o", "hellocxx.o"],
                     [wasip2_clang, "-c", "lib.c"]):  # fmt: skip
            subprocess.run(argv, cwd=work, check=True, env=ENV)
        print(f"{runs} interleaved runs each; clang {tc.require('clang').path}, wasm-tools {wasm_tools}")
        compile_x = ["-c", "x.c", "-o", "x.o"]
        compare("compile", [[wasip2_clang, *compile_x]], [[*clang, *compile_x]], work, runs)
        result = compare("compile-same", [[wasip2_clang, *compile_x]], [clang_argv(compile_x)], work, runs)
        goals.append(goal("compile overhead <= 8 ms (wall median)", result.wall[0] - result.wall[1] <= 8))
        floor = _median_ms([measure([[str(BIN / "python3"), "-c", "pass"]], work, ENV) for _ in range(runs)], "wall")
        print(f"  floor: the console scripts' interpreter starts in {floor:.1f} ms (`python3 -c pass`, site included); "
              f"wasip2-clang's own share of the overhead is {result.wall[0] - result.wall[1] - floor:+.1f} ms")  # fmt: skip
        subprocess.run([*clang, "-fuse-ld=lld", "hello.o", "-o", "core.wasm"], cwd=work, check=True, env=ENV)
        adapt = ["--adapt", adapter] if imports_p1(work / "core.wasm") else []
        new = [wasm_tools, "component", "new", "core.wasm", *adapt, "-o", "raw.wasm"]
        result = compare(
            "cc-link",
            [[wasip2_clang, "hello.o", "-o", "cc.wasm"]],
            [[*clang, "-fuse-ld=lld", "hello.o", "-o", "core.wasm"], new],
            work,
            runs,
        )
        goals.append(ratio_goal(result, 1.4))
        compare(
            "cc-link-cxx",
            [[wasip2_clangxx, "hellocxx.o", "-o", "cccxx.wasm"]],
            [[*clangxx, "-fuse-ld=lld", "hellocxx.o", f"-L{_cxx_libdir()}", "-o", "core.wasm"], new],
            work,
            runs,
        )
        reactor = ["-mexec-model=reactor", "lib.o"]
        result = compare(
            "module-link",
            [[wasip2_clang, *reactor, "--module", "--wit", "w.wit", "-o", "mod.wasm"]],
            [[*clang, "-fuse-ld=lld", *reactor, "-o", "libcore.wasm"],
             [wasm_tools, "component", "embed", "w.wit", "libcore.wasm", "-o", "rawmod.wasm"]],
            work,
            runs,
        )  # fmt: skip
        goals.append(ratio_goal(result, 1.4))
        compare(
            "ld",
            [[ld_entry, *line, "-o", "ours.wasm"]],
            [[wasm_ld, *line, "-o", "core.wasm"], new],
            work,
            runs,
        )
    return goals


def clang_argv(args: list[str]) -> list[str]:
    """The clang command wasip2-clang runs for ``args`` (a compile: it execs exactly this)."""
    from wasip2ld.driver import ccargs
    from wasip2ld.driver.cc import plan
    from wasip2ld.driver.fastcache import resolve

    invocation = plan(ccargs.scan(args), resolve(), cxx=False, default_target=ccargs.TARGET_P2)
    return invocation.argv


def imports_p1(path: Path) -> bool:
    from wasip2ld.wasm import read_module

    return any(i.module == "wasi_snapshot_preview1" for i in read_module(path.read_bytes()).imports)


def _cxx_libdir() -> str:
    from wasip2ld.driver.fastcache import resolve

    resolved = resolve()
    return str(resolved.cxx_libdir or Path(str(resolved.sysroot_wasip2)) / "lib" / "wasm32-wasip2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    run(parser.parse_args().runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
