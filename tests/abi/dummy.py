"""Reading the imports and exports (with core types) of `wasm-tools component embed --dummy-names … -t`
output, the reference the differential tests compare ``expected_interface`` against."""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from wasip2ld.abi import FuncType

_TYPE = re.compile(r"^\s*\(type \(;(\d+);\) \(func(.*)\)\)\s*$")
_IMPORT = re.compile(r'^\s*\(import "((?:[^"\\]|\\.)*)" "((?:[^"\\]|\\.)*)" \(func \(;(\d+);\) \(type (\d+)\)')
_EXPORT = re.compile(r'^\s*\(export "((?:[^"\\]|\\.)*)" \((func|memory) (\d+)\)\)\s*$')
_FUNC = re.compile(r"^\s*\(func \(;(\d+);\) \(type (\d+)\)")


@dataclass(frozen=True)
class DummyModule:
    imports: dict[tuple[str, str], FuncType]
    exports: dict[str, FuncType | None]  # None for a memory


def parse_functype(text: str) -> FuncType:
    params = re.search(r"\(param ([^)]*)\)", text)
    results = re.search(r"\(result ([^)]*)\)", text)
    return FuncType(tuple(params.group(1).split()) if params else (), tuple(results.group(1).split()) if results else ())


def parse_dummy_wat(wat: str) -> DummyModule:
    types: dict[int, FuncType] = {}
    func_types: dict[int, FuncType] = {}
    imports: dict[tuple[str, str], FuncType] = {}
    raw_exports: list[tuple[str, str, int]] = []
    for line in wat.splitlines():
        if m := _TYPE.match(line):
            types[int(m[1])] = parse_functype(m[2])
        elif m := _IMPORT.match(line):
            key = (_unescape(m[1]), _unescape(m[2]))
            assert key not in imports, f"duplicate import {key}"
            imports[key] = func_types[int(m[3])] = types[int(m[4])]
        elif m := _EXPORT.match(line):
            raw_exports.append((_unescape(m[1]), m[2], int(m[3])))
        elif m := _FUNC.match(line):
            func_types[int(m[1])] = types[int(m[2])]
    exports = {name: (func_types[index] if kind == "func" else None) for name, kind, index in raw_exports}
    return DummyModule(imports, exports)


def _unescape(text: str) -> str:
    return re.sub(r"\\([0-9a-fA-F]{2})", lambda m: chr(int(m[1], 16)), text).replace('\\"', '"').replace("\\\\", "\\")


def dummy_module(wasm_tools: str, wit: Path, world: str, mangling: str, *, extra: tuple[str, ...] = ()) -> DummyModule:
    argv = [wasm_tools, "component", "embed", "--dummy-names", mangling, str(wit), "-w", world, "-t", *extra]
    proc = subprocess.run(argv, capture_output=True, text=True)
    assert proc.returncode == 0, f"{' '.join(argv)} failed: {proc.stderr}"
    return parse_dummy_wat(proc.stdout)
