"""Fixtures for the driver tests: the installed entry points (wasip2-clang, wasip2ld, the linker), a private
resolution cache, a command runner that shows output on failure, and runners for the built programs."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
HELLO_C = EXAMPLES / "hello" / "hello.c"
SHAPES = EXAMPLES / "shapes"
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: str
    stderr: str


@dataclass(frozen=True)
class Shell:
    """Runs commands with the driver's environment; ``ok=True`` fails the test (showing output) on error."""

    env: Mapping[str, str]
    cwd: Path
    extra: dict[str, str] = field(default_factory=dict)

    def __call__(
        self,
        argv: Sequence[str | os.PathLike],
        *,
        ok: bool = True,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
        stdin: str | None = None,
        preexec_fn=None,
        timeout: float | None = None,
    ) -> Result:
        full_env = {**self.env, **(env or {})}
        proc = subprocess.run(
            [os.fspath(a) for a in argv],
            cwd=cwd or self.cwd,
            env=full_env,
            capture_output=True,
            text=True,
            input=stdin,
            preexec_fn=preexec_fn,
            check=False,
            timeout=timeout,
        )
        if ok and proc.returncode != 0:
            pytest.fail(
                f"`{' '.join(map(str, argv))}` exited {proc.returncode}:\n{proc.stdout[-3000:]}\n"
                f"{proc.stderr[-3000:]}",
                pytrace=False,
            )
        return Result(proc.returncode, proc.stdout, proc.stderr)


def entry(name: str) -> Path:
    path = BIN / name
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: install wasip2ld with its console scripts (`pip install -e .`)",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def driver_env(tmp_path_factory, need) -> dict[str, str]:
    """The environment of every driver run: a private cache, the same discovery settings as this process."""
    for part in ("clang", "wasm-ld", "wasm-tools", "sysroot-wasip2", "adapter-command", "adapter-reactor"):
        need(part)
    # Discovery settings stay (the `toolchain` fixture sees the same ones); driver state does not.
    driver_state = {"WASIP2LD_CC_ACTIVE", "WASIP2LD_VERBOSE", "WASIP2LD_DELEGATE", "WASIP2LD_CACHE_DIR"}
    env = {k: v for k, v in os.environ.items() if k not in driver_state}
    env["WASIP2LD_CACHE_DIR"] = str(tmp_path_factory.mktemp("driver-cache"))
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


@pytest.fixture(scope="session")
def libcxx(toolchain) -> None:
    """libc++ for wasm: in the sysroot (wasi-sdk) or beside clang (Debian's libc++-N-dev-wasm32)."""
    from wasip2ld.driver.resolve import find_libcxx

    sysroot = toolchain.path("sysroot-wasip2")
    in_sysroot = (sysroot / "include" / "wasm32-wasip2" / "c++" / "v1").is_dir() or (
        sysroot / "include" / "c++" / "v1"
    ).is_dir()
    if not in_sysroot and find_libcxx(toolchain.c_root, sysroot) == (None, None):
        pytest.fail(
            "libc++ for wasm is missing: apt-get install libc++-22-dev-wasm32 libc++abi-22-dev-wasm32",
            pytrace=False,
        )


@pytest.fixture
def sh(driver_env, tmp_path) -> Shell:
    return Shell(driver_env, tmp_path)


@pytest.fixture(scope="session")
def clang_cmd() -> list[str]:
    return [str(entry("wasip2-clang"))]


@pytest.fixture(scope="session")
def clangxx_cmd() -> list[str]:
    return [str(entry("wasip2-clang++"))]


@pytest.fixture(scope="session")
def wasip2ld_cmd() -> list[str]:
    return [str(entry("wasip2ld"))]


@pytest.fixture(scope="session")
def ld_entry() -> Path:
    return entry("wasip2ld-wasm-component-ld")


def run_command_component(path: Path, workdir: Path) -> tuple[bool, str]:
    """Run a wasi:cli/command component under wasmtime (add_wasip2); returns (exited ok, stdout)."""
    import wasmtime
    from wasmtime import component as cm

    out = workdir / f"{path.name}.stdout"
    engine = wasmtime.Engine()
    linker = cm.Linker(engine)
    linker.add_wasip2()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.stdout_file = str(out)
    store.set_wasi(wasi)
    instance = linker.instantiate(store, cm.Component.from_file(engine, str(path)))
    run_interface = instance.get_export_index(store, "wasi:cli/run@0.2.0")
    assert run_interface is not None, f"{path} does not export wasi:cli/run@0.2.0"
    run = instance.get_func(store, instance.get_export_index(store, "run", run_interface))
    result = run(store)
    ok = getattr(result, "tag", "ok") == "ok" if result is not None else True
    return ok, out.read_text()


def run_p1_module(path: Path, workdir: Path) -> str:
    """Run a WASI p1 command module under wasmtime's core API; returns its stdout."""
    import wasmtime

    out = workdir / f"{path.name}.stdout"
    engine = wasmtime.Engine()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.stdout_file = str(out)
    store.set_wasi(wasi)
    instance = linker.instantiate(store, wasmtime.Module.from_file(engine, str(path)))
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as trap:
        assert trap.code == 0
    return out.read_text()


def layer(path: Path) -> str:
    """'component' or 'module', from the binary header."""
    head = path.read_bytes()[:8]
    assert head[:4] == b"\0asm", f"{path} is not wasm"
    return "component" if head[4:8] == b"\x0d\x00\x01\x00" else "module"


def imports_of(path: Path) -> list[tuple[str, str]]:
    from wasip2ld.wasm import read_module_file

    return [(imp.module, imp.name) for imp in read_module_file(path).imports]


def exports_of(path: Path) -> list[str]:
    from wasip2ld.wasm import read_module_file

    return [exp.name for exp in read_module_file(path).exports]


def leftovers(directory: Path, keep: set[str]) -> list[str]:
    """Files in ``directory`` other than ``keep`` (temporary outputs that should not survive)."""
    return sorted(p.name for p in directory.iterdir() if p.name not in keep)
