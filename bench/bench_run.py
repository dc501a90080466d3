"""`wasip2ld run` start-up against wasmtime-py instantiating the same component directly, CPU and wall.

    python bench/bench_run.py [--runs 20]

A hello-world C component (built with wasip2-clang) is run by `wasip2ld run hello.wasm` and by a minimal
wasmtime-py script (engine with wasmtime's compilation cache on, as `wasip2ld run` has it; WASI 0.2 linker;
`wasi:cli/run` called), each a fresh Python process, alternating. Goal: <= 1.3x.

  run-module   the same program as a `--module` build target vs as a component, both through `wasip2ld
               run` (what ctest and binfmt do): the module is componentized once, then taken from the
               componentize cache in the user cache dir (goal: <= 1.3x)
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
        env = {**ENV, "WASIP2LD_CACHE_DIR": str(work / "cache")}
        for flags, output in (([], "hello.wasm"), (["--module"], "hello-module.wasm")):
            subprocess.run([str(BIN / "wasip2-clang"), *flags, "hello.c", "-o", output], cwd=work, check=True,
                           env=env)  # fmt: skip
        wasip2ld = str(BIN / "wasip2ld")
        result = compare("run", [[wasip2ld, "run", "hello.wasm"]], [[sys.executable, "direct.py", "hello.wasm"]],
                         work, runs, env)  # fmt: skip
        module = compare("run-module", [[wasip2ld, "run", "hello-module.wasm"]], [[wasip2ld, "run", "hello.wasm"]],
                         work, runs, env)  # fmt: skip
        return [ratio_goal(result, 1.3), ratio_goal(module, 1.3)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    run(parser.parse_args().runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
