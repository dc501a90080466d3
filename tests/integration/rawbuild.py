"""Building test guests with the raw toolchain (clang-22 + wasm-ld + `wasm-tools component new`), so the
`wasip2ld run` tests do not depend on the compiler driver they are meant to complement."""
from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Sequence

from wasip2ld.toolchain.discover import Toolchain


def core_module(tc: Toolchain, source: Path, out: Path, *, target: str = "wasm32-wasip2",
                flags: Sequence[str] = ()) -> Path:
    sysroot = tc.path("sysroot-wasip2" if target.endswith("wasip2") else "sysroot-wasip1")
    argv = [*tc.require("clang").argv, f"--target={target}", f"--sysroot={sysroot}", "-fuse-ld=lld",
            "-O1", *flags, str(source), "-o", str(out)]
    subprocess.run(argv, check=True)
    return out


def component(tc: Toolchain, core: Path, out: Path, *, adapter: str = "adapter-command") -> Path:
    """`component new`, with the WASI p1 adapter when the libc still imports WASI p1."""
    from wasip2ld.wasm import read_module_file

    p1 = any(imp.module == "wasi_snapshot_preview1" for imp in read_module_file(core).imports)
    adapt = ["--adapt", f"wasi_snapshot_preview1={tc.path(adapter)}"] if p1 else []
    subprocess.run([str(tc.path("wasm-tools")), "component", "new", str(core), *adapt, "-o", str(out)], check=True)
    return out


def c_component(tc: Toolchain, tmp: Path, name: str, code: str, *, flags: Sequence[str] = (),
                adapter: str = "adapter-command") -> Path:
    source = tmp / f"{name}.c"
    source.write_text(code)
    core = core_module(tc, source, tmp / f"{name}.core.wasm", flags=flags)
    return component(tc, core, tmp / f"{name}.wasm", adapter=adapter)
