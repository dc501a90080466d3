"""A small core-module synthesizer: a module is a list of imports, exports and custom sections, and every
exported function gets its own body (``unreachable``), so any mutation of names or signatures still gives a
valid module. The conformance suite and the differential tests build and mutate modules with it, at the
binary level, without index bookkeeping."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from .encode import name as _name
from .encode import uleb as _uleb
from .module import read_module
from .valtypes import FuncType

VALTYPES = {"i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C}


@dataclass(frozen=True)
class Item:
    """An import (``module`` set) or an export; ``kind`` is func, memory, global or table."""

    name: str
    kind: str = "func"
    type: FuncType | None = None
    module: str | None = None


@dataclass(frozen=True)
class ModuleSpec:
    imports: tuple[Item, ...] = ()
    exports: tuple[Item, ...] = ()
    memories: int = 1  # defined memories
    customs: tuple[tuple[str, bytes], ...] = ()
    tables: int = 0  # defined funcref tables

    def with_imports(self, imports: list[Item]) -> ModuleSpec:
        return replace(self, imports=tuple(imports))

    def with_exports(self, exports: list[Item]) -> ModuleSpec:
        return replace(self, exports=tuple(exports))


def spec_from_module(data: bytes) -> ModuleSpec:
    module = read_module(data)
    imports = tuple(Item(i.name, i.kind, i.type, i.module) for i in module.imports)
    exports = tuple(Item(e.name, e.kind, e.type) for e in module.exports)
    customs = tuple((c.name, c.data) for c in module.custom_sections())
    defined = len(module.memories) - sum(1 for i in module.imports if i.kind == "memory")
    tables = len(module.tables) - sum(1 for i in module.imports if i.kind == "table")
    return ModuleSpec(imports, exports, defined, customs, tables)


def _vec(items: list[bytes]) -> bytes:
    return _uleb(len(items)) + b"".join(items)


def _section(section_id: int, payload: bytes) -> bytes:
    return bytes([section_id]) + _uleb(len(payload)) + payload


@dataclass
class _Types:
    order: list[FuncType] = field(default_factory=list)

    def index(self, t: FuncType) -> int:
        if t not in self.order:
            self.order.append(t)
        return self.order.index(t)

    def encode(self) -> bytes:
        return _vec([bytes([0x60]) + _vec([bytes([VALTYPES[v]]) for v in t.params])
                     + _vec([bytes([VALTYPES[v]]) for v in t.results]) for t in self.order])  # fmt: skip


def encode(spec: ModuleSpec) -> bytes:
    types = _Types()
    imports, func_imports, memory_imports = [], 0, 0
    for item in spec.imports:
        assert item.module is not None
        if item.kind == "func":
            assert item.type is not None
            desc = b"\x00" + _uleb(types.index(item.type))
            func_imports += 1
        elif item.kind == "memory":
            desc = b"\x02\x00\x00"
            memory_imports += 1
        elif item.kind == "global":
            desc = b"\x03\x7f\x00"
        elif item.kind == "table":
            desc = b"\x01\x70\x00\x00"
        else:
            raise ValueError(item.kind)
        imports.append(_name(item.module) + _name(item.name) + desc)
    funcs = [item for item in spec.exports if item.kind == "func"]
    exports = []
    next_func = func_imports
    for item in spec.exports:
        if item.kind == "func":
            exports.append(_name(item.name) + b"\x00" + _uleb(next_func))
            next_func += 1
        elif item.kind == "memory":
            exports.append(_name(item.name) + b"\x02" + _uleb(0))
        elif item.kind == "global":
            exports.append(_name(item.name) + b"\x03" + _uleb(0))
        elif item.kind == "table":
            exports.append(_name(item.name) + b"\x01" + _uleb(0))
        else:
            raise ValueError(item.kind)
    func_types = [types.index(item.type) for item in funcs]  # type: ignore[arg-type]
    needs_global = any(i.kind == "global" for i in spec.exports) and not any(
        i.kind == "global" for i in spec.imports
    )
    out = bytearray(b"\0asm\x01\x00\x00\x00")
    out += _section(1, types.encode())
    if imports:
        out += _section(2, _vec(imports))
    out += _section(3, _vec([_uleb(t) for t in func_types]))
    if spec.tables:
        out += _section(4, _vec([b"\x70\x00\x00"] * spec.tables))
    if spec.memories:
        out += _section(5, _vec([b"\x00\x00"] * spec.memories))
    if needs_global:
        out += _section(6, _vec([b"\x7f\x00\x41\x00\x0b"]))
    out += _section(7, _vec(exports))
    out += _section(10, _vec([b"\x03\x00\x00\x0b"] * len(funcs)))
    for name, payload in spec.customs:
        out += _section(0, _name(name) + payload)
    return bytes(out)
