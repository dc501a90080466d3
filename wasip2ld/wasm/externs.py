"""Imports, exports and the function section.

An import entry is ``module name externtype``. The compact-imports encodings share one module name:

    module ""  0x7f vec(name externtype)     many items, each with its own type
    module ""  0x7e externtype vec(name)     many items of one type

Extern kinds: 0x00 func (type index), 0x20 exact func (type index), 0x01 table, 0x02 memory, 0x03 global,
0x04 tag. Exports are ``name kind index`` with the same kind bytes.
"""

from __future__ import annotations

from typing import Callable, Literal

from ..frozen import frozen
from . import limits
from .entities import (
    GlobalType,
    MemoryType,
    TableType,
    read_global_type,
    read_memory_type,
    read_table_type,
    read_tag_type,
)
from .reader import Reader
from .typesec import TypeDef
from .valtypes import FuncType

ExternKind = Literal["func", "table", "memory", "global", "tag"]

COMPACT_PER_ITEM_TYPES = 0x7F
COMPACT_SHARED_TYPE = 0x7E
FUNC_EXACT = 0x20
KIND_BYTES: dict[int, ExternKind] = {0x00: "func", 0x01: "table", 0x02: "memory", 0x03: "global", 0x04: "tag"}


@frozen
class Import:
    """One import. ``type`` is the signature of a func or tag import; ``entity`` the type of a table, memory
    or global import. ``offset`` is where the entry (or, in a compact group, the item's name) starts."""

    module: str
    name: str
    kind: ExternKind
    type: FuncType | None
    offset: int
    type_index: int | None = None
    entity: TableType | MemoryType | GlobalType | None = None
    exact: bool = False


@frozen
class Export:
    """One export; ``type`` is the signature when ``kind == 'func'`` (imported or defined function)."""

    name: str
    kind: ExternKind
    index: int
    offset: int
    type: FuncType | None = None


@frozen
class _ExternType:
    kind: ExternKind
    type: FuncType | None = None
    type_index: int | None = None
    entity: TableType | MemoryType | GlobalType | None = None
    exact: bool = False


def func_type_at(types: tuple[TypeDef, ...], index: int, r: Reader, at: int) -> FuncType:
    """The function type at ``index`` of the type index space; errors point at ``at``."""
    if index >= len(types):
        raise r.error(
            f"unknown type {index}: type index out of bounds (the module has {len(types)} types)", at
        )
    func = types[index].func
    if func is None:
        raise r.error(f"type {index} is a {types[index].kind} type, not a function type", at)
    return func


def _read_extern_type(r: Reader, types: tuple[TypeDef, ...]) -> _ExternType:
    at = r.offset()
    byte = r.read_u8("external kind")
    if byte in (0x00, FUNC_EXACT, 0x04):
        if byte == 0x04:
            index = read_tag_type(r).type_index
        else:
            index = r.read_u32("function type index")
        kind: ExternKind = "tag" if byte == 0x04 else "func"
        return _ExternType(kind, func_type_at(types, index, r, at), index, exact=byte == FUNC_EXACT)
    if byte == 0x01:
        return _ExternType("table", entity=read_table_type(r))
    if byte == 0x02:
        return _ExternType("memory", entity=read_memory_type(r))
    if byte == 0x03:
        return _ExternType("global", entity=read_global_type(r))
    raise r.invalid_byte(byte, "external kind", at)


def _make_import(module: str, name: str, ext: _ExternType, offset: int) -> Import:
    return Import(module, name, ext.kind, ext.type, offset, ext.type_index, ext.entity, ext.exact)


def read_import_section(r: Reader, types: tuple[TypeDef, ...]) -> tuple[Import, ...]:
    imports: list[Import] = []
    for _ in range(r.read_count(limits.MAX_IMPORTS, "import")):
        _read_import_entry(r, types, imports)
        if len(imports) > limits.MAX_IMPORTS:
            raise r.error(f"too many imports: more than {limits.MAX_IMPORTS}")
    r.expect_end()
    return tuple(imports)


def _read_import_entry(r: Reader, types: tuple[TypeDef, ...], out: list[Import]) -> None:
    offset = r.offset()
    module = r.read_name("import module name")
    name = r.read_name("import name")
    marker = r.peek_u8()
    if name or marker not in (COMPACT_PER_ITEM_TYPES, COMPACT_SHARED_TYPE):
        out.append(_make_import(module, name, _read_extern_type(r, types), offset))
        return
    r.pos += 1
    if marker == COMPACT_PER_ITEM_TYPES:
        for _ in range(r.read_count(limits.MAX_IMPORTS, "compact import item")):
            item_at = r.offset()
            item_name = r.read_name("import name")
            out.append(_make_import(module, item_name, _read_extern_type(r, types), item_at))
    else:
        shared = _read_extern_type(r, types)
        for _ in range(r.read_count(limits.MAX_IMPORTS, "compact import item")):
            item_at = r.offset()
            out.append(_make_import(module, r.read_name("import name"), shared, item_at))


def read_function_section(r: Reader) -> tuple[int, ...]:
    """The type index of every defined function, in order."""
    count = r.read_count(limits.MAX_FUNCTIONS, "function")
    payload = r.data[r.pos : r.end]
    # Below 128 types every index is one byte: then the whole section decodes in one step (big modules
    # have tens of thousands of functions).
    if len(payload) == count and (not count or max(payload) < 0x80):
        r.pos = r.end
        return tuple(payload)
    indices = tuple(r.read_u32("function type index") for _ in range(count))
    r.expect_end()
    return indices


def read_export_section(r: Reader, func_type: Callable[[int, int], FuncType]) -> tuple[Export, ...]:
    """``func_type(func_index, offset)`` resolves an exported function's signature."""
    exports = tuple(r.read_vec(lambda r: _read_export(r, func_type), limit=limits.MAX_EXPORTS, what="export"))
    r.expect_end()
    return exports


def _read_export(r: Reader, func_type: Callable[[int, int], FuncType]) -> Export:
    offset = r.offset()
    name = r.read_name("export name")
    kind_at = r.offset()
    byte = r.read_u8("export kind")
    kind = "func" if byte == FUNC_EXACT else KIND_BYTES.get(byte)
    if kind is None:
        raise r.invalid_byte(byte, "external kind", kind_at)
    index = r.read_u32("export index")
    return Export(name, kind, index, offset, func_type(index, offset) if kind == "func" else None)
