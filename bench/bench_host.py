"""The core host (wasip2ld.host, Canonical ABI in Python over wasmtime's core API) against wasmtime's
component host, side by side.

Prints calls per second of `add(s32, s32) -> s32` and of a string round trip (`greet(string) -> string`)
on examples/calc (the module target through wasip2ld.host; the same C built as a component through
wasmtime.component), and the median wall time of `wasip2ld run` for examples/hello under `--engine core`
(a module target) and under the component path (a component), with the ratios.
Usage: python bench/bench_host.py [SECONDS_PER_MEASUREMENT]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def build(tmp: Path) -> dict[str, Path]:
    calc = ROOT / "examples" / "calc"
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}  # the Makefile calls wasip2ld
    subprocess.run(["make", "-s", "-f", calc / "Makefile", f"OUT={tmp}"], check=True, env=env)
    clang = BIN / "wasip2-clang"
    subprocess.run([clang, "-O2", "-mexec-model=reactor", f"-I{tmp}", calc / "calc.c", "--wit", calc / "calc.wit",
                    "-o", tmp / "calc.component.wasm"], check=True)
    hello = ROOT / "examples" / "hello" / "hello.c"
    subprocess.run([clang, "-O2", hello, "-o", tmp / "hello.wasm"], check=True)
    subprocess.run([clang, "-O2", "--module", hello, "-o", tmp / "hello.module.wasm"], check=True)
    return {name: tmp / f"{name}.wasm" for name in ("calc", "calc.component", "hello", "hello.module")}


def rate(call, seconds: float) -> float:
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        for _ in range(100):
            call()
        count += 100
    return count / elapsed


def core_calls(path: Path, seconds: float) -> tuple[float, float]:
    from wasip2ld.host import instantiate

    inst = instantiate(path, imports={"demo:calc/log@1.0.0": {"log": lambda message: None}})
    add, greet = inst.exports["add"], inst.exports["greet"]
    return rate(lambda: add(2, 3), seconds), rate(lambda: greet("Ann"), seconds)


def component_calls(path: Path, seconds: float) -> tuple[float, float]:
    import wasmtime
    from wasmtime import component as cm

    engine = wasmtime.Engine()
    linker = cm.Linker(engine)
    with linker.root() as root, root.add_instance("demo:calc/log@1.0.0") as log:
        log.add_func("log", lambda store, message: None)
    store = wasmtime.Store(engine)
    instance = linker.instantiate(store, cm.Component.from_file(engine, str(path)))
    add = instance.get_func(store, instance.get_export_index(store, "add"))
    greet = instance.get_func(store, instance.get_export_index(store, "greet"))

    def call(func, *args):
        func(store, *args)
        func.post_return(store)

    return rate(lambda: call(add, 2, 3), seconds), rate(lambda: call(greet, "Ann"), seconds)


def startup(argv: list, runs: int = 7) -> float:
    subprocess.run(argv, check=True, capture_output=True)  # warm the compile cache
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main(seconds: float) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-host-") as tmp:
        wasm = build(Path(tmp))
        core_add, core_greet = core_calls(wasm["calc"], seconds)
        comp_add, comp_greet = component_calls(wasm["calc.component"], seconds)
        print(f"{'calls/s':<28}{'core host':>12}{'wasmtime.component':>20}{'ratio':>8}")
        print(f"{'add(s32, s32)':<28}{core_add:>12,.0f}{comp_add:>20,.0f}{core_add / comp_add:>8.2f}")
        print(f"{'greet(string) -> string':<28}{core_greet:>12,.0f}{comp_greet:>20,.0f}"
              f"{core_greet / comp_greet:>8.2f}")
        run = [str(BIN / "wasip2ld"), "run"]
        core = startup([*run, "--engine", "core", str(wasm["hello.module"])])
        comp = startup([*run, str(wasm["hello"])])
        print(f"{'hello start-up (median)':<28}{core * 1000:>10.0f}ms{comp * 1000:>18.0f}ms{core / comp:>8.2f}")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 2.0)
