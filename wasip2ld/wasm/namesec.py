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
    if not _valid_name_map(reader):
        _exact_name_map(reader, what)


def _exact_name_map(reader: Reader, what: str) -> None:
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


def _valid_name_map(reader: Reader) -> bool:
    """A quick pass over a well-formed name map (a Go module names ~10,000 functions): True and the reader
    moved past it, or False and the reader untouched, so that the exact reads above report the problem.
    Indices and sizes below 16384 are read inline; running off the end is an IndexError or ``pos > end``.

    The names' UTF-8 is checked with one decode of the whole map: every LEB128 byte but the last of each
    number (the only bytes >= 0x80 outside the names) is zeroed first, so each name stands between ASCII
    bytes, where no multi-byte sequence can begin or end, and the decode succeeds iff every name is valid."""
    buf, end = bytearray(reader.data[reader.pos : reader.end]), reader.end - reader.pos
    count, pos = _zeroed_u32(buf, 0, end)
    if count < 0 or count > limits.MAX_FUNCTIONS or count > end - pos:
        return False
    last = -1
    try:
        for _ in range(count):
            index = buf[pos]
            if index < 0x80:
                pos += 1
            else:
                second = buf[pos + 1]
                if second < 0x80:
                    index = (index & 0x7F) | second << 7
                    buf[pos] = 0
                    pos += 2
                else:
                    index, pos = _zeroed_u32(buf, pos, end)
                    if index < 0:
                        return False
            if index <= last:
                return False
            last = index
            size = buf[pos]
            if size < 0x80:
                pos += 1
            else:
                size, pos = _zeroed_u32(buf, pos, end)
                if size < 0 or size > limits.MAX_STRING_SIZE:
                    return False
            pos += size
    except IndexError:
        return False
    if pos > end:
        return False
    try:
        buf[:pos].decode("utf-8")
    except UnicodeDecodeError:
        return False
    reader.pos += pos
    return True


def _zeroed_u32(buf: bytearray, pos: int, end: int) -> tuple[int, int]:
    """``_small_u32``, with the number's bytes but the last (its continuation bytes) zeroed in ``buf``."""
    value, after = _small_u32(buf, pos, end)
    if value >= 0:
        buf[pos : after - 1] = bytes(after - 1 - pos)
    return value, after


def _small_u32(data, pos: int, end: int) -> tuple[int, int]:
    """A LEB128 u32 of up to three bytes (below 2**21) at ``pos``, and the position after it; -1 for anything
    else (longer, or past ``end``)."""
    if pos < end:
        first = data[pos]
        if first < 0x80:
            return first, pos + 1
        if pos + 1 < end:
            second = data[pos + 1]
            if second < 0x80:
                return (first & 0x7F) | second << 7, pos + 2
            if pos + 2 < end and data[pos + 2] < 0x80:
                return (first & 0x7F) | (second & 0x7F) << 7 | data[pos + 2] << 14, pos + 3
    return -1, pos
