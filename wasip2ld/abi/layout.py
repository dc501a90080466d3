"""Canonical ABI memory layout for wasm32 (CanonicalABI.md §Alignment, §Element Size): the size and
alignment of a WIT value stored in linear memory, and the offsets of a record's fields."""

from __future__ import annotations

from ..wit.model import (
    FixedListType,
    Flags,
    FutureType,
    Handle,
    ListType,
    MapType,
    Primitive,
    Record,
    StreamType,
    Type,
    Variant,
)  # fmt: skip
from .flatten import despecialize, discriminant_type

_PRIMITIVE = {
    "bool": 1, "s8": 1, "u8": 1, "s16": 2, "u16": 2, "s32": 4, "u32": 4, "s64": 8, "u64": 8,
    "f32": 4, "f64": 8, "char": 4, "error-context": 4,
}  # fmt: skip
PTR_SIZE = 4


def align_to(offset: int, alignment: int) -> int:
    return -(-offset // alignment) * alignment


def alignment(t: Type) -> int:
    match despecialize(t):
        case Primitive(name="string"):
            return PTR_SIZE
        case Primitive(name=name):
            return _PRIMITIVE[name]
        case ListType() | MapType():
            return PTR_SIZE
        case FixedListType(element=e):
            return alignment(e)
        case Record(fields=fields):
            return max((alignment(f.type) for f in fields), default=1)
        case Variant(cases=cases):
            return max(_size_of_int(discriminant_type(cases)), _max_case_alignment(cases))
        case Flags(names=names):
            return _flags_size(len(names))
        case Handle() | FutureType() | StreamType():
            return 4
    raise AssertionError(f"no memory layout for {t!r}")  # pragma: no cover


def size(t: Type) -> int:
    match despecialize(t):
        case Primitive(name="string"):
            return 2 * PTR_SIZE
        case Primitive(name=name):
            return _PRIMITIVE[name]
        case ListType() | MapType():
            return 2 * PTR_SIZE
        case FixedListType(element=e, length=n):
            return size(e) * n
        case Record(fields=fields):
            end = 0
            for f in fields:
                end = align_to(end, alignment(f.type)) + size(f.type)
            return align_to(end, alignment(t))
        case Variant(cases=cases):
            end = align_to(_size_of_int(discriminant_type(cases)), _max_case_alignment(cases))
            end += max((size(c.type) for c in cases if c.type is not None), default=0)
            return align_to(end, alignment(t))
        case Flags(names=names):
            return _flags_size(len(names))
        case Handle() | FutureType() | StreamType():
            return 4
    raise AssertionError(f"no memory layout for {t!r}")  # pragma: no cover


def field_offsets(types: list[Type]) -> list[int]:
    """Where each of ``types`` starts when they are laid out as the fields of one record."""
    offsets, end = [], 0
    for t in types:
        end = align_to(end, alignment(t))
        offsets.append(end)
        end += size(t)
    return offsets


def record_size_align(types: list[Type]) -> tuple[int, int]:
    align = max((alignment(t) for t in types), default=1)
    end = 0
    for t in types:
        end = align_to(end, alignment(t)) + size(t)
    return align_to(end, align), align


def _size_of_int(p: Primitive) -> int:
    return _PRIMITIVE[p.name]


def _max_case_alignment(cases) -> int:
    return max((alignment(c.type) for c in cases if c.type is not None), default=1)


def _flags_size(n: int) -> int:
    if n == 0:
        return 0
    if n <= 8:
        return 1
    if n <= 16:
        return 2
    return 4 * -(-n // 32)

