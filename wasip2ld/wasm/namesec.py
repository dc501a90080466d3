"""The `name` custom section, read the way wit-component reads it: `wasm-tools component new` decodes every
known subsection and refuses a module whose names are malformed, so `check` must too. wasmparser's rules:
subsection ids are 7-bit and strictly increase (unknown ids are skipped but count), a known subsection holds nothing after
its content, names are UTF-8, and the indices of a name map strictly increase.
"""

from __future__ import annotations

from . import limits
from .module import CoreModule
from .reader import Reader

_NAME = 0  # the module's own name
_NAME_MAPS = {1: "function", 4: "type", 5: "table", 6: "memory", 7: "global", 8: "elem", 9: "data", 11: "tag"}
_INDIRECT_MAPS = {2: "local", 3: "label", 10: "field"}


def validate_names(module: CoreModule) -> None:
    """Raise ``WasmParseError`` (with the file offset) when a `name` section is malformed."""
    for section in module.custom_sections("name"):
        if section.name != "name":
            continue
        reader = Reader(section.data, base=section.data_offset, path=module.path, region="name section")
        last_id = -1
        while not reader.at_end():
            at = reader.offset()
            sub_id = reader.read_u8("name subsection id")
            if sub_id & 0x80:
                raise reader.error("invalid name subsection id (a u7)", at)
            if sub_id <= last_id:
                raise reader.error("name subsection out of order", at)
            last_id = sub_id
            sub = reader.sub_reader(reader.read_u32("name subsection size"), "name subsection")
            if sub_id == _NAME:
                sub.read_name("module name")
            elif sub_id in _NAME_MAPS:
                _name_map(sub, _NAME_MAPS[sub_id])
            elif sub_id in _INDIRECT_MAPS:
                _indirect_map(sub, _INDIRECT_MAPS[sub_id])
            else:
                continue
            if not sub.at_end():
                raise sub.error("unexpected data at the end of a name subsection", sub.offset())


def _name_map(reader: Reader, what: str) -> None:
    last = -1
    for _ in range(reader.read_count(limits.MAX_FUNCTIONS, f"{what} name")):
        at = reader.offset()
        index = reader.read_u32(f"{what} index")
        if index <= last:
            raise reader.error(f"{what} names out of order", at)
        last = index
        reader.read_name(f"{what} name")


def _indirect_map(reader: Reader, what: str) -> None:
    last = -1
    for _ in range(reader.read_count(limits.MAX_FUNCTIONS, f"{what} name map")):
        at = reader.offset()
        index = reader.read_u32("index")
        if index <= last:
            raise reader.error(f"{what} name maps out of order", at)
        last = index
        _name_map(reader, what)
