"""`wasip2ld run` start-up against wasmtime-py instantiating the same component directly, CPU and wall.

    python bench/bench_run.py [--runs 20]

A hello-world C component (built with wasip2-clang) is run by `wasip2ld run hello.wasm` and by a minimal
wasmtime-py script (engine with wasmtime's compilation cache on, as `wasip2ld run` has it; WASI 0.2 linker;
`wasi:cli/run` called), each a fresh Python process, alternating. Goal: <= 1.3x.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_driver import BIN, ENV, compare, ratio_goal  # noqa: E402

HELLO = '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n'
DIRECT = """import sys, wasmtime
from wasmtime import component
config = wasmtime.Config()
config.cache = True
engine = wasmtime.Engine(config)
comp = component.Component.from_file(engine, sys.argv[1])
linker = component.Linker(engine)
linker.add_wasip2()
store = wasmtime.Store(engine)
wasi = wasmtime.WasiConfig()
wasi.inherit_stdout()
store.set_wasi(wasi)
instance = linker.instantiate(store, comp)
run = instance.get_export_index(store, "wasi:cli/run@0.2.0")
instance.get_func(store, instance.get_export_index(store, "run", run))(store)
"""


def run(runs: int) -> list[str]:
    import subprocess

    with tempfile.TemporaryDirectory(prefix="bench-run-") as tmp:
        work = Path(tmp)
        (work / "hello.c").write_text(HELLO)
        (work / "direct.py").write_text(DIRECT)
        build = [str(BIN / "wasip2-clang"), "hello.c", "-o", "hello.wasm"]
        subprocess.run(build, cwd=work, check=True, env=ENV)
        result = compare(
            "run",
            [[str(BIN / "wasip2ld"), "run", "hello.wasm"]],
            [[sys.executable, "direct.py", "hello.wasm"]],
            work,
            runs,
        )
        return [ratio_goal(result, 1.3)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    run(parser.parse_args().runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
