"""Fixtures for the bindgen tests: generating bindings with the installed `wasip2ld bindgen c`, building C
against them with `wasip2-clang` (component and module target), and calling components from wasmtime's
component API."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
BIN = Path(sys.executable).parent
# Count every heap allocation (see data/roundtrip/counting.c).
COUNTING = ["-Wl,--wrap=malloc,--wrap=free,--wrap=realloc,--wrap=calloc", str(DATA / "counting.c")]


def run(argv: Sequence[str | os.PathLike], env: dict[str, str], cwd: Path) -> str:
    proc = subprocess.run(
        [os.fspath(a) for a in argv], env=env, cwd=cwd, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        pytest.fail(
            f"`{' '.join(map(str, argv))}` exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}",
            pytrace=False,
        )
    return proc.stdout


@dataclass(frozen=True)
class Builder:
    env: dict[str, str]

    def bindgen(self, wit: Path, out: Path, *extra: str) -> Path:
        run([BIN / "wasip2ld", "bindgen", "c", "--wit", wit, "--out-dir", out, *extra], self.env, out.parent)
        return out

    def build(self, wit: Path, world: str, sources: Sequence[Path | str], out: Path, *extra: str) -> Path:
        """A reactor component, or (``--module`` in ``extra``) a module target, checked by the linker."""
        argv = [BIN / "wasip2-clang", "-mexec-model=reactor", "-Wall", "-Wextra", "-Werror", "-O1"]
        argv += ["--wit", wit, "--world", world, *extra, *sources, "-o", out]
        run(argv, self.env, out.parent)
        return out


@pytest.fixture(scope="session")
def builder(tmp_path_factory, need) -> Builder:
    for part in ("clang", "wasm-ld", "wasm-tools", "sysroot-wasip2", "adapter-reactor"):
        need(part)
    env = {k: v for k, v in os.environ.items() if k not in ("WASIP2LD_CC_ACTIVE", "WASIP2LD_VERBOSE")}
    env["WASIP2LD_CACHE_DIR"] = str(tmp_path_factory.mktemp("bindgen-cache"))
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return Builder(env)


class Guest:
    """A component instantiated in wasmtime with WASI and the given host functions at the root."""

    def __init__(self, path: Path, host: dict[str, object]) -> None:
        import wasmtime
        from wasmtime import component as cm

        engine = wasmtime.Engine()
        linker = cm.Linker(engine)
        linker.add_wasip2()
        with linker.root() as root:
            for name, func in host.items():
                root.add_func(name, func)
        self.store = wasmtime.Store(engine)
        self.store.set_wasi(wasmtime.WasiConfig())
        self.instance = linker.instantiate(self.store, cm.Component.from_file(engine, str(path)))

    def __call__(self, name: str, *args: object) -> object:
        func = self.instance.get_func(self.store, name)
        assert func is not None, f"no export `{name}`"
        result = func(self.store, *args)
        func.post_return(self.store)
        return result


def record(**fields: object):
    from wasmtime import component as cm

    value = cm.Record()
    for key, item in fields.items():
        setattr(value, key, item)
    return value
