"""The project's own lazy reader for core WebAssembly modules (no third-party parser).

    m = read_module(data, path="lib.wasm")       # header + section framing only
    m.imports, m.exports, m.func_type(3)         # decoded on first access, then cached
    m.custom_sections("component-type")

See docs/reader.md.
"""

from __future__ import annotations

from .entities import GlobalType, MemoryType, TableType, TagType
from .externs import Export, ExternKind, Import
from .framing import SectionHeader, sniff
from .module import CoreModule, CustomSection, read_module, read_module_file, without_custom_sections
from .typesec import TypeDef
from .valtypes import FuncType

__all__ = [
    "CoreModule",
    "CustomSection",
    "Export",
    "ExternKind",
    "FuncType",
    "GlobalType",
    "Import",
    "MemoryType",
    "SectionHeader",
    "TableType",
    "TagType",
    "TypeDef",
    "read_module",
    "read_module_file",
    "sniff",
    "without_custom_sections",
]
