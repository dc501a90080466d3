"""The cheap pass: the 8-byte header and the framing (id, offset, size) of every section, in one scan.

Section bodies are not read here, so a huge code or data section costs nothing. The header's last four bytes
are a u16 version and a u16 layer: (1, 0) is a core module, layer 1 is a component (version 0x0d today).
"""

from __future__ import annotations

from typing import Literal

from ..errors import WasmParseError
from ..frozen import frozen
from .reader import Buffer, Reader
from .limits import MAX_SECTIONS

MAGIC = b"\0asm"
MODULE_VERSION = 1
MODULE_LAYER = 0
COMPONENT_LAYER = 1
HEADER_SIZE = 8

# section ids
CUSTOM, TYPE, IMPORT, FUNCTION, TABLE, MEMORY, GLOBAL, EXPORT, START, ELEMENT, CODE, DATA, DATA_COUNT, TAG = (
    range(14)
)
SECTION_NAMES = {
    0: "custom", 1: "type", 2: "import", 3: "function", 4: "table", 5: "memory", 6: "global", 7: "export",
    8: "start", 9: "element", 10: "code", 11: "data", 12: "data count", 13: "tag",
}  # fmt: skip
# Where each known section must appear (tag sits between memory and global; data count before code).
SECTION_ORDER = (
    TYPE,
    IMPORT,
    FUNCTION,
    TABLE,
    MEMORY,
    TAG,
    GLOBAL,
    EXPORT,
    START,
    ELEMENT,
    DATA_COUNT,
    CODE,
    DATA,
)
_RANK = {section_id: rank for rank, section_id in enumerate(SECTION_ORDER)}


@frozen
class SectionHeader:
    """Where one section is: ``offset`` of its id byte, ``payload_offset``/``size`` of its contents."""

    id: int
    offset: int
    payload_offset: int
    size: int

    @property
    def name(self) -> str:
        return SECTION_NAMES[self.id]

    @property
    def end(self) -> int:
        return self.payload_offset + self.size


def sniff(data: Buffer) -> Literal["module", "component"] | None:
    """What a binary is from its header alone: a core module, a component, or not WebAssembly (None)."""
    if len(data) < HEADER_SIZE or bytes(data[:4]) != MAGIC:
        return None
    version = data[4] | data[5] << 8
    layer = data[6] | data[7] << 8
    if layer == MODULE_LAYER and version == MODULE_VERSION:
        return "module"
    if layer == COMPONENT_LAYER:
        return "component"
    return None


def check_header(data: Buffer, path: str | None) -> None:
    """Raise unless ``data`` starts with a core module header."""
    if len(data) < 4 or bytes(data[:4]) != MAGIC:
        actual = " ".join(f"{b:02x}" for b in bytes(data[:4]))
        raise WasmParseError(
            f"not a WebAssembly binary: bad magic number [{actual}], expected [00 61 73 6d]", 0, path=path
        )
    if len(data) < HEADER_SIZE:
        raise WasmParseError("unexpected end-of-file while reading the binary version", len(data), path=path)
    version = data[4] | data[5] << 8
    layer = data[6] | data[7] << 8
    if layer == COMPONENT_LAYER:
        raise WasmParseError(
            "input is a WebAssembly component, not a core module",
            4,
            path=path,
            hint="pass the core module (the linker's output before `wasm-tools component new`)",
        )
    if layer != MODULE_LAYER or version != MODULE_VERSION:
        raise WasmParseError(f"unknown binary version and encoding: 0x{data[4:8].hex()}", 4, path=path)


def scan_sections(data: Buffer, path: str | None) -> tuple[SectionHeader, ...]:
    """Frame every section after the header, checking ids, sizes and the order of the known sections."""
    r = Reader(data, pos=HEADER_SIZE, path=path)
    headers: list[SectionHeader] = []
    last_rank, last_name = -1, ""
    while not r.at_end():
        offset = r.offset()
        if bytes(data[r.pos : r.pos + 4]) == MAGIC:
            raise r.error("expected section, got wasm magic number (two binaries concatenated?)")
        section_id = r.read_u8("section id")
        if section_id not in SECTION_NAMES:
            raise r.error(f"malformed section id: {section_id}", offset)
        size_at = r.offset()
        size = r.read_u32("section size")
        if size > r.remaining():
            raise r.error(
                f"{SECTION_NAMES[section_id]} section size {size} goes past the end of the file "
                f"({r.remaining()} bytes left)",
                size_at,
            )
        if section_id != CUSTOM:
            rank = _RANK[section_id]
            if rank <= last_rank:
                name = SECTION_NAMES[section_id]
                what = (
                    f"duplicate {name} section"
                    if name == last_name
                    else f"{name} section after the {last_name} section"
                )
                raise r.error(f"section out of order: {what}", offset)
            last_rank, last_name = rank, SECTION_NAMES[section_id]
        headers.append(SectionHeader(section_id, offset, r.offset(), size))
        if len(headers) > MAX_SECTIONS:
            raise r.error(f"too many sections: more than {MAX_SECTIONS} (custom sections included)", offset)
        r.skip(size)
    return tuple(headers)
