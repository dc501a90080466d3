"""The core host implements every import of `wasi:cli/command` (each WASI 0.2.x release jco ships, all
features on, both name schemes): wit-component's dummy module for that world links, and `run --engine core`
reports its trap like the component path does."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import wasmtime

from wasip2ld.host import Trap, instantiate
from wasip2ld.host.command import run_command
from wasip2ld.host.wasi import Wasi


def wasi_trees(root, base):
    """One directory per WASI 0.2.x release: wasi-cli's package.wit with the other packages in deps/."""
    trees = []
    for release in sorted(p for p in root.iterdir() if re.fullmatch(r"0\.2\.\d+", p.name)
                          and (p / "wasi-cli").is_dir()):
        tree = base / release.name
        (tree / "deps").mkdir(parents=True)
        (tree / "package.wit").symlink_to(release / "wasi-cli" / "package.wit")
        for other in release.iterdir():
            if other.name != "wasi-cli" and (other / "package.wit").is_file():
                (tree / "deps" / other.name).symlink_to(other, target_is_directory=True)
        trees.append(tree)
    assert trees, f"no WASI 0.2.x WIT under {root}"
    return trees


@pytest.fixture(scope="module")
def command_dummies(need, wasm_tools, tmp_path_factory):
    base = tmp_path_factory.mktemp("wasi-command")
    out = []
    for tree in wasi_trees(need("wasi-wit"), base):
        for mangling in ("legacy", "standard32"):
            wasm = base / f"{tree.name}-{mangling}.wasm"
            subprocess.run([wasm_tools, "component", "embed", "--all-features", "--dummy-names", mangling, tree,
                            "-w", "wasi:cli/command", "-o", wasm], check=True)
            out.append((tree.name, mangling, wasm))
    return out


def test_every_wasi_cli_command_import_is_implemented(command_dummies):
    for release, mangling, wasm in command_dummies:
        inst = instantiate(wasm, wasi=Wasi())
        assert inst.mangling == mangling, release
        imports = {i.module for i in wasmtime.Module.from_file(inst.store.engine, str(wasm)).imports}
        assert {"wasi:filesystem/types", "wasi:sockets/tcp", "wasi:cli/exit"} <= {_interface(m) for m in imports}
        with pytest.raises(Trap, match="unreachable"):
            run_command(wasm, Wasi())


def _interface(module: str) -> str:
    """`wasi:cli/exit@0.2.12` or `cm32p2|wasi:cli/exit@0.2` → `wasi:cli/exit`."""
    return module.removeprefix("cm32p2|").split("@")[0]


def test_run_engine_core_reports_a_trap_with_exit_134(command_dummies):
    _, _, wasm = command_dummies[0]
    proc = subprocess.run([sys.executable, "-m", "wasip2ld", "run", "--engine", "core", wasm],
                          capture_output=True, text=True)
    assert proc.returncode == 134, proc.stderr
    assert proc.stderr.startswith(f"wasip2ld: error: {wasm}: the program trapped: wasm `unreachable` instruction")
    assert "Traceback" not in proc.stderr


def test_run_engine_core_refuses_a_component(tmp_path):
    comp = tmp_path / "x.wasm"
    comp.write_bytes(b"\0asm\x0d\x00\x01\x00")
    proc = subprocess.run([sys.executable, "-m", "wasip2ld", "run", "--engine", "core", comp],
                          capture_output=True, text=True)
    assert proc.returncode == 2 and "is a component; --engine core runs core module build targets" in proc.stderr
