"""The imports and exports (with core types) of wit-component's dummy module, `wasm-tools component embed
--dummy-names …`: the reference the differential tests compare ``expected_interface`` against."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wasip2ld.wasm import FuncType, read_module
from wasip2ld.wit.model import World, WorldFunction, WorldInterface


@dataclass(frozen=True)
class DummyModule:
    imports: dict[tuple[str, str], FuncType]
    exports: dict[str, FuncType | None]  # None for a memory


def dummy_bytes(wasm_tools: str, wit: Path, world: str, mangling: str, extra: tuple[str, ...] = ()) -> bytes:
    """The dummy module itself (also used by the validator's differential tests)."""
    with tempfile.TemporaryDirectory(prefix="wasip2ld-dummy-") as tmp:
        out = Path(tmp) / "dummy.wasm"
        argv = [wasm_tools, "component", "embed", "--dummy-names", mangling, str(wit), "-w", world,
                "-o", str(out), *extra]  # fmt: skip
        proc = subprocess.run(argv, check=False, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(argv)} failed: {proc.stderr}"
        return out.read_bytes()


def dummy_module(
    wasm_tools: str, wit: Path, world: str, mangling: str, *, extra: tuple[str, ...] = ()
) -> DummyModule:
    module = read_module(dummy_bytes(wasm_tools, wit, world, mangling, extra), f"dummy of {world}")
    imports: dict[tuple[str, str], FuncType] = {}
    for i in module.imports:
        assert i.kind == "func" and i.type is not None, f"non-function import {i}"
        # The async dummy repeats an intrinsic when a function uses one future type twice; wit-component
        # deduplicates such imports, so only a repeat with a different type would matter.
        assert imports.get((i.module, i.name), i.type) == i.type, f"conflicting imports {i.module}::{i.name}"
        imports[(i.module, i.name)] = i.type
    exports = {e.name: (e.type if e.kind == "func" else None) for e in module.exports}
    return DummyModule(imports, exports)


PRIMARY_IMPORT_ROLES = ("function", "resource-drop", "resource-new", "resource-rep")


def differences(expected, dummy: DummyModule, *, exact_imports: bool = True) -> list[str]:
    """Where ``expected_interface`` and the dummy disagree, one line each (empty when they agree).

    Imports: with ``exact_imports`` the two sets are equal, types included; otherwise (async ABIs, whose
    built-ins are a menu the dummy samples) every dummy import is expected with the same type and every
    function/resource import is in the dummy. Exports: every dummy export is expected with the same type,
    and every required export is in the dummy.
    """
    problems = []
    wanted = {(i.module, i.name): i for i in expected.imports}
    for key, sig in dummy.imports.items():
        item = wanted.get(key)
        if item is None:
            problems.append(f"dummy imports {key[0]}::{key[1]} {sig}, not expected")
        elif item.sig != sig:
            problems.append(f"import {key[0]}::{key[1]}: expected {item.sig}, dummy has {sig}")
    for key, item in wanted.items():
        if key not in dummy.imports and (exact_imports or item.role in PRIMARY_IMPORT_ROLES):
            problems.append(f"expected import {key[0]}::{key[1]} {item.sig} ({item.wit}) is not in the dummy")
    exports = {e.name: e for e in expected.exports}
    for name, sig in dummy.exports.items():
        item = exports.get(name)
        if item is None:
            problems.append(f"dummy exports {name} {sig}, not expected")
        elif item.sig != sig:
            problems.append(f"export {name}: expected {item.sig}, dummy has {sig}")
    for item in expected.exports:
        if item.required and item.name not in dummy.exports:
            problems.append(f"required export {item.name} ({item.wit}) is not in the dummy")
    return problems


def has_async(world: World) -> bool:
    """Whether any function of the world is an `async func` (those get the legacy async ABIs too)."""
    functions = [i.function for i in world.imports + world.exports if isinstance(i, WorldFunction)]
    functions += [
        f
        for i in world.imports + world.exports
        if isinstance(i, WorldInterface)
        for f in i.interface.functions
    ]
    return any(f.is_async for f in functions)
