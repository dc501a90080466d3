"""Table, memory, global and tag types, and the sections that define them.

Limits flags (one byte before the minimum):
    memory: bit 0 has maximum, bit 1 shared, bit 2 memory64 (u64 limits),
            bit 3 custom page size (its log2 follows the limits)
    table:  bit 0 has maximum, bit 1 shared, bit 2 table64 (u64 limits)
Global flags: bit 0 mutable, bit 1 shared. A table entry starting 0x40 0x00 carries an initialiser expression.
"""

from __future__ import annotations


from ..frozen import frozen
from . import limits
from .constexpr import skip_const_expr
from .reader import Reader
from .valtypes import read_ref_type, read_val_type


@frozen
class TableType:
    element: str  # a reference type, e.g. 'funcref'
    minimum: int
    maximum: int | None = None
    table64: bool = False
    shared: bool = False

    def __str__(self) -> str:
        words = ["table"] + ["shared"] * self.shared + ["i64"] * self.table64 + [str(self.minimum)]
        if self.maximum is not None:
            words.append(str(self.maximum))
        return "(" + " ".join([*words, self.element]) + ")"


@frozen
class MemoryType:
    """Limits in pages; ``page_size_log2`` is set only by the custom-page-sizes encoding (default 16)."""

    minimum: int
    maximum: int | None = None
    memory64: bool = False
    shared: bool = False
    page_size_log2: int | None = None

    @property
    def page_size(self) -> int:
        return 1 << (16 if self.page_size_log2 is None else self.page_size_log2)

    def __str__(self) -> str:
        words = ["memory"] + ["i64"] * self.memory64 + [str(self.minimum)]
        if self.maximum is not None:
            words.append(str(self.maximum))
        if self.shared:
            words.append("shared")
        if self.page_size_log2 is not None:
            words.append(f"(pagesize 0x{self.page_size:x})")
        return "(" + " ".join(words) + ")"


@frozen
class GlobalType:
    value: str
    mutable: bool = False
    shared: bool = False

    def __str__(self) -> str:
        if self.shared:  # wasm-tools prints `(shared mut i32)`
            return f"(global (shared {'mut ' * self.mutable}{self.value}))"
        return f"(global (mut {self.value}))" if self.mutable else f"(global {self.value})"


@frozen
class TagType:
    """An exception tag: its type index (a function type whose params are the payload)."""

    type_index: int


_MEMORY_FLAGS = 0x0F
_TABLE_FLAGS = 0x07
_GLOBAL_FLAGS = 0x03
TABLE_WITH_INIT = 0x40


def read_memory_type(r: Reader) -> MemoryType:
    at = r.offset()
    flags = r.read_u8("memory limits flags")
    if flags & ~_MEMORY_FLAGS:
        raise r.error(f"invalid memory limits flags (0x{flags:x})", at)
    memory64 = bool(flags & 4)
    read_limit = r.read_u64 if memory64 else r.read_u32
    minimum = read_limit("memory minimum")
    maximum = read_limit("memory maximum") if flags & 1 else None
    page_size_log2 = None
    if flags & 8:
        page_at = r.offset()
        page_size_log2 = r.read_u32("memory page size")
        if page_size_log2 > 64:
            raise r.error(f"invalid custom page size: 2**{page_size_log2} bytes", page_at)
    return MemoryType(minimum, maximum, memory64, bool(flags & 2), page_size_log2)


def read_table_type(r: Reader) -> TableType:
    element = read_ref_type(r, "table element type")
    at = r.offset()
    flags = r.read_u8("table limits flags")
    if flags & ~_TABLE_FLAGS:
        raise r.error(f"invalid table limits flags (0x{flags:x})", at)
    table64 = bool(flags & 4)
    read_limit = r.read_u64 if table64 else r.read_u32
    minimum = read_limit("table minimum")
    maximum = read_limit("table maximum") if flags & 1 else None
    return TableType(element, minimum, maximum, table64, bool(flags & 2))


def read_global_type(r: Reader) -> GlobalType:
    value = read_val_type(r, "global type")
    at = r.offset()
    flags = r.read_u8("global mutability")
    if flags & ~_GLOBAL_FLAGS:
        raise r.error(f"malformed mutability (0x{flags:x}) for global", at)
    return GlobalType(value, bool(flags & 1), bool(flags & 2))


def read_tag_type(r: Reader) -> TagType:
    at = r.offset()
    attribute = r.read_u8("tag attribute")
    if attribute != 0:
        raise r.error(f"invalid tag attribute (0x{attribute:x}): only exceptions (0x0) exist", at)
    return TagType(r.read_u32("tag type index"))


def read_table_section(r: Reader) -> tuple[TableType, ...]:
    tables = tuple(r.read_vec(_read_table, limit=limits.MAX_TABLES, what="table"))
    r.expect_end()
    return tables


def _read_table(r: Reader) -> TableType:
    if r.peek_u8() != TABLE_WITH_INIT:
        return read_table_type(r)
    r.pos += 1
    at = r.offset()
    reserved = r.read_u8("table encoding")
    if reserved != 0:
        raise r.error(f"invalid table encoding: expected 0x00 after 0x40, got 0x{reserved:x}", at)
    table = read_table_type(r)
    skip_const_expr(r, "table initialiser")
    return table


def read_memory_section(r: Reader) -> tuple[MemoryType, ...]:
    memories = tuple(r.read_vec(read_memory_type, limit=limits.MAX_MEMORIES, what="memory"))
    r.expect_end()
    return memories


def read_global_section(r: Reader) -> tuple[GlobalType, ...]:
    globals_ = tuple(r.read_vec(_read_global, limit=limits.MAX_GLOBALS, what="global"))
    r.expect_end()
    return globals_


def _read_global(r: Reader) -> GlobalType:
    global_type = read_global_type(r)
    skip_const_expr(r, "global initialiser")
    return global_type


def read_tag_section(r: Reader) -> tuple[TagType, ...]:
    tags = tuple(r.read_vec(read_tag_type, limit=limits.MAX_TAGS, what="tag"))
    r.expect_end()
    return tags
