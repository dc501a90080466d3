"""What the compiler driver and the linker cost over the tools they run.

    python bench/bench_driver.py [--runs 30]

  compile   `wasip2-clang -c x.c` vs `clang --target=wasm32-wasip2 --sysroot=… -c x.c`
            (goal: median overhead <= 15 ms; Python's own startup is most of it)
  link      `wasip2ld-wasm-component-ld <clang's link line>` vs the raw sequence
            `wasm-ld <same line>` + `wasm-tools component new --adapt …` (goal: <= 1.2x)
  link-cxx  the same for a C++ program using iostream (a bigger link: the fixed cost matters less)
  cc-link   `wasip2-clang hello.o -o hello.wasm` vs `clang -fuse-ld=lld …` + `component new`

Runs are interleaved (A, B, A, B, …) so that load from other processes hits both sides alike. Prints the
median and the fastest run of each side; the resolution cache and Python's bytecode cache are warmed first
(PYTHONDONTWRITEBYTECODE is dropped for the measured processes: without .pyc files every run recompiles
wasip2ld's modules, which is not how an installed wasip2ld runs).
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

BIN = Path(sys.executable).parent
SOURCE = "int twice(int x) { return 2 * x; }\n"
HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
HELLO_CXX = '#include <iostream>\nint main() { std::cout << "hello" << std::endl; return 0; }\n'
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - start


def timed_sequence(commands: list[list[str]], cwd: Path) -> float:
    return sum(timed(argv, cwd) for argv in commands)


def compare(name: str, ours, theirs, runs: int) -> tuple[float, float]:
    ours(), theirs()  # warm caches (the driver's resolution cache, the page cache)
    a, b = [], []
    for _ in range(runs):
        a.append(ours())
        b.append(theirs())
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    print(
        f"{name:8}  wasip2ld median {ma:7.1f} ms (fastest {min(a) * 1000:7.1f})   "
        f"direct median {mb:7.1f} ms (fastest {min(b) * 1000:7.1f})   "
        f"overhead {ma - mb:+6.1f} ms = {ma / mb:4.2f}x"
    )
    return ma, mb


def _cxx_libdir() -> str:
    from wasip2ld.driver.fastcache import resolve

    resolved = resolve()
    return str(resolved.cxx_libdir or Path(str(resolved.sysroot_wasip2)) / "lib" / "wasm32-wasip2")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    tc = discover()
    clang = [*tc.require("clang").argv, "--target=wasm32-wasip2", f"--sysroot={tc.path('sysroot-wasip2')}"]
    wasm_ld, wasm_tools = str(tc.path("wasm-ld")), str(tc.path("wasm-tools"))
    adapter = f"wasi_snapshot_preview1={tc.path('adapter-command')}"
    wasip2_clang, ld_entry = str(BIN / "wasip2-clang"), str(BIN / "wasip2ld-wasm-component-ld")
    lib = tc.path("sysroot-wasip2") / "lib" / "wasm32-wasip2"
    line = [
        "-m",
        "wasm32",
        f"-L{lib}",
        str(lib / "crt1-command.o"),
        "hello.o",
        "-lc",
        str(tc.path("compiler-rt")),
    ]
    with tempfile.TemporaryDirectory(prefix="bench-driver-") as tmp:
        work = Path(tmp)
        ENV["WASIP2LD_CACHE_DIR"] = str(work / "cache")
        (work / "x.c").write_text(SOURCE)
        (work / "hello.c").write_text(HELLO)
        (work / "hello.cpp").write_text(HELLO_CXX)
        subprocess.run([*clang, "-c", "hello.c", "-o", "hello.o"], cwd=work, check=True)
        subprocess.run(
            [str(BIN / "wasip2-clang++"), "-c", "hello.cpp", "-o", "hellocxx.o"],
            cwd=work,
            check=True,
            env=ENV,
        )
        print(f"{runs} interleaved runs each; clang {tc.require('clang').path}, wasm-tools {wasm_tools}")
        ma, mb = compare(
            "compile",
            lambda: timed([wasip2_clang, "-c", "x.c", "-o", "a.o"], work),
            lambda: timed([*clang, "-c", "x.c", "-o", "b.o"], work),
            runs,
        )
        print(f"          compile overhead goal <= 15 ms: {'met' if ma - mb <= 15 else 'NOT met'}")
        ma, mb = compare(
            "link",
            lambda: timed([ld_entry, *line, "-o", "ours.wasm"], work),
            lambda: timed_sequence(
                [
                    [wasm_ld, *line, "-o", "core.wasm"],
                    [wasm_tools, "component", "new", "core.wasm", "--adapt", adapter, "-o", "raw.wasm"],
                ],
                work,
            ),
            runs,
        )
        print(f"          link ratio goal <= 1.2x: {'met' if ma / mb <= 1.2 else 'NOT met'}")
        cxx_line = [
            *line[:3],
            str(lib / "crt1-command.o"),
            "hellocxx.o",
            f"-L{_cxx_libdir()}",
            "-lc++",
            "-lc++abi",
            "-lc",
            str(tc.path("compiler-rt")),
        ]
        compare(
            "link-cxx",
            lambda: timed([ld_entry, *cxx_line, "-o", "ourscxx.wasm"], work),
            lambda: timed_sequence(
                [
                    [wasm_ld, *cxx_line, "-o", "corecxx.wasm"],
                    [wasm_tools, "component", "new", "corecxx.wasm", "--adapt", adapter, "-o", "rawcxx.wasm"],
                ],
                work,
            ),
            runs,
        )
        compare(
            "cc-link",
            lambda: timed([wasip2_clang, "hello.o", "-o", "cc.wasm"], work),
            lambda: timed_sequence(
                [
                    [*clang, "-fuse-ld=lld", "hello.o", "-o", "core2.wasm"],
                    [wasm_tools, "component", "new", "core2.wasm", "--adapt", adapter, "-o", "raw2.wasm"],
                ],
                work,
            ),
            runs,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
