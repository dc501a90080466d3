"""``CoreModule``: a core WebAssembly module whose sections are decoded on first access.

``read_module`` checks the header and frames the sections (one cheap scan); each property decodes its section
once, when first asked for, and caches the result. A corrupt section therefore fails only the properties that
need it: the imports of a module with a broken code section still read fine.
"""

from __future__ import annotations

import os

from ..frozen import frozen
from ..lazyattr import cached_property
from .entities import (
    GlobalType,
    MemoryType,
    TableType,
    TagType,
    read_global_section,
    read_memory_section,
    read_table_section,
    read_tag_section,
)
from .externs import (
    Export,
    Import,
    func_type_at,
    read_export_section,
    read_function_section,
    read_import_section,
)
from .framing import (
    CUSTOM,
    DATA_COUNT,
    EXPORT,
    FUNCTION,
    GLOBAL,
    IMPORT,
    MEMORY,
    START,
    TABLE,
    TAG,
    TYPE,
    SectionHeader,
    check_header,
    scan_sections,
)
from .reader import Buffer, Reader
from .typesec import TypeDef, read_type_section
from .valtypes import FuncType

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import Any


@frozen
class CustomSection:
    """A custom section: ``offset`` of its id byte, ``data_offset`` of the payload after the name."""

    name: str
    data: bytes
    offset: int
    data_offset: int = 0


class CoreModule:
    """A lazily decoded core module. Index-space properties (``tables``, ``memories``, ``globals``, ``tags``)
    list imported entities first, then defined ones, exactly as the module's indices count them."""

    def __init__(self, data: Buffer, path: str | None, sections: tuple[SectionHeader, ...]) -> None:
        self.data = data
        self.path = path
        self.sections = sections
        self._by_id = {s.id: s for s in sections if s.id != CUSTOM}

    def __repr__(self) -> str:
        return f"<CoreModule {self.path or ''} {len(self.data)} bytes, {len(self.sections)} sections>"

    def section(self, name: str) -> SectionHeader | None:
        """The header of a known (non-custom) section by name ('type', 'import', 'code', …)."""
        return next((s for s in self._by_id.values() if s.name == name), None)

    def _reader(self, section_id: int) -> Reader | None:
        header = self._by_id.get(section_id)
        if header is None:
            return None
        return Reader(
            self.data,
            pos=header.payload_offset,
            end=header.end,
            path=self.path,
            region=f"{header.name} section",
        )

    # --- types, imports, functions, exports -----------------------------------------------------------------

    @cached_property
    def types(self) -> tuple[TypeDef, ...]:
        r = self._reader(TYPE)
        return read_type_section(r) if r else ()

    @cached_property
    def imports(self) -> tuple[Import, ...]:
        r = self._reader(IMPORT)
        return read_import_section(r, self.types) if r else ()

    @cached_property
    def functions(self) -> tuple[int, ...]:
        """The type index of each *defined* function (the function section)."""
        r = self._reader(FUNCTION)
        return read_function_section(r) if r else ()

    @cached_property
    def _imported_func_types(self) -> tuple[FuncType, ...]:
        return tuple(i.type for i in self.imports if i.kind == "func" and i.type is not None)

    @property
    def imported_func_count(self) -> int:
        return len(self._imported_func_types)

    @property
    def func_count(self) -> int:
        return self.imported_func_count + len(self.functions)

    def func_type(self, func_index: int) -> FuncType:
        """The signature of function ``func_index`` (imported functions first, then defined ones)."""
        return self._func_type(func_index, None)

    def _func_type(self, func_index: int, at: int | None) -> FuncType:
        imported = self._imported_func_types
        if 0 <= func_index < len(imported):
            return imported[func_index]
        defined = func_index - len(imported)
        functions = self.functions
        if 0 <= defined < len(functions) and functions[defined] < len(self.types):
            func = self.types[functions[defined]].func
            if func is not None:
                return func
        return self._func_type_error(func_index, at)

    def _func_type_error(self, func_index: int, at: int | None) -> FuncType:
        section = self._by_id.get(FUNCTION)
        where = at if at is not None else (section.payload_offset if section else 0)
        r = Reader(self.data, path=self.path)
        defined = func_index - self.imported_func_count
        if not 0 <= defined < len(self.functions):
            raise r.error(
                f"unknown function {func_index}: function index out of bounds "
                f"(the module has {self.func_count} functions)",
                where,
            )
        return func_type_at(self.types, self.functions[defined], r, where)  # raises: not a function type

    @cached_property
    def exports(self) -> tuple[Export, ...]:
        r = self._reader(EXPORT)
        return read_export_section(r, self._func_type) if r else ()

    # --- the other index spaces -----------------------------------------------------------------------------

    @cached_property
    def tables(self) -> tuple[TableType, ...]:
        r = self._reader(TABLE)
        return self._imported("table") + (read_table_section(r) if r else ())

    @cached_property
    def memories(self) -> tuple[MemoryType, ...]:
        r = self._reader(MEMORY)
        return self._imported("memory") + (read_memory_section(r) if r else ())

    @cached_property
    def globals(self) -> tuple[GlobalType, ...]:
        r = self._reader(GLOBAL)
        return self._imported("global") + (read_global_section(r) if r else ())

    @cached_property
    def tags(self) -> tuple[TagType, ...]:
        r = self._reader(TAG)
        imported = tuple(
            TagType(i.type_index) for i in self.imports if i.kind == "tag" and i.type_index is not None
        )
        return imported + (read_tag_section(r) if r else ())

    def _imported(self, kind: str) -> tuple[Any, ...]:
        return tuple(i.entity for i in self.imports if i.kind == kind)

    @cached_property
    def start(self) -> int | None:
        """The start function's index, if the module has a start section."""
        r = self._reader(START)
        if r is None:
            return None
        index = r.read_u32("start function index")
        r.expect_end()
        return index

    @cached_property
    def data_count(self) -> int | None:
        r = self._reader(DATA_COUNT)
        if r is None:
            return None
        count = r.read_u32("data count")
        r.expect_end()
        return count

    # --- custom sections ------------------------------------------------------------------------------------

    @cached_property
    def _custom_names(self) -> tuple[tuple[str, SectionHeader, int], ...]:
        named = []
        for header in self.sections:
            if header.id == CUSTOM:
                r = Reader(
                    self.data,
                    pos=header.payload_offset,
                    end=header.end,
                    path=self.path,
                    region="custom section",
                )
                name = r.read_name("custom section name")
                named.append((name, header, r.pos))
        return tuple(named)

    def custom_sections(self, prefix: str = "") -> list[CustomSection]:
        """Custom sections whose name starts with ``prefix``, in file order, with their payload bytes."""
        return [
            CustomSection(name, bytes(self.data[start : header.end]), header.offset, start)
            for name, header, start in self._custom_names
            if name.startswith(prefix)
        ]


def without_custom_sections(module: CoreModule, names: set[str] | frozenset[str]) -> bytes:
    """The module's bytes with the custom sections named ``names`` cut out (nothing else changes)."""
    out = bytearray()
    pos = 0
    for name, header, _ in module._custom_names:
        if name in names:
            out += module.data[pos : header.offset]
            pos = header.end
    out += module.data[pos:]
    return bytes(out)


def read_module(data: Buffer, path: str | None = None) -> CoreModule:
    """Frame a core module; raises ``WasmParseError`` (with ``path`` in the message) if it is not one."""
    check_header(data, path)
    return CoreModule(data, path, scan_sections(data, path))


def read_module_file(path: str | os.PathLike) -> CoreModule:
    """``read_module`` on a file's contents; a missing or unreadable file is a ``UsageError``."""
    from ..inputs import read_input

    name = os.fspath(path)
    return read_module(read_input(name, what="a .wasm file"), name)
