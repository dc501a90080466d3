"""The project's own lazy reader for core WebAssembly modules (no third-party parser).

    m = read_module(data, path="lib.wasm")       # header + section framing only
    m.imports, m.exports, m.func_type(3)         # decoded on first access, then cached
    m.custom_sections("component-type")

See docs/reader.md.
"""

from __future__ import annotations

from ..lazyexports import lazy_exports

# Names are imported on first use (PEP 562), so that a lean submodule (``features``' tables) can be imported
# without the reader's dataclasses: wasip2-clang's in-process link needs one.
_SOURCES = {
    "GlobalType": "entities",
    "MemoryType": "entities",
    "TableType": "entities",
    "TagType": "entities",
    "Export": "externs",
    "Import": "externs",
    "SectionHeader": "framing",
    "sniff": "framing",
    "CoreModule": "module",
    "CustomSection": "module",
    "read_module": "module",
    "read_module_file": "module",
    "without_custom_sections": "module",
    "TypeDef": "typesec",
    "FuncType": "valtypes",
}
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .entities import GlobalType, MemoryType, TableType, TagType
    from .externs import Export, ExternKind, Import
    from .framing import SectionHeader, sniff
    from .module import CoreModule, CustomSection, read_module, read_module_file, without_custom_sections
    from .typesec import TypeDef
    from .valtypes import FuncType


__getattr__ = lazy_exports(globals(), _SOURCES)


__all__ = [
    "CoreModule",
    "CustomSection",
    "Export",
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
