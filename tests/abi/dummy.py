"""The imports and exports (with core types) of wit-component's dummy module, `wasm-tools component embed
--dummy-names …`: the reference the differential tests compare ``expected_interface`` against."""
from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wasip2ld.wasm import FuncType, read_module


@dataclass(frozen=True)
class DummyModule:
    imports: dict[tuple[str, str], FuncType]
    exports: dict[str, FuncType | None]  # None for a memory


def dummy_module(wasm_tools: str, wit: Path, world: str, mangling: str, *, extra: tuple[str, ...] = ()) -> DummyModule:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "dummy.wasm"
        argv = [wasm_tools, "component", "embed", "--dummy-names", mangling, str(wit), "-w", world, "-o", str(out), *extra]
        proc = subprocess.run(argv, capture_output=True, text=True)
        assert proc.returncode == 0, f"{' '.join(argv)} failed: {proc.stderr}"
        module = read_module(out.read_bytes(), str(out))
    imports: dict[tuple[str, str], FuncType] = {}
    for i in module.imports:
        assert i.kind == "func" and i.type is not None, f"non-function import {i}"
        assert (i.module, i.name) not in imports, f"duplicate import {i.module}::{i.name}"
        imports[(i.module, i.name)] = i.type
    exports = {e.name: (e.type if e.kind == "func" else None) for e in module.exports}
    return DummyModule(imports, exports)
