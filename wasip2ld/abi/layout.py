"""Canonical ABI memory layout for wasm32 (CanonicalABI.md §Alignment, §Element Size): the size and
alignment of a WIT value stored in linear memory, and the offsets of a record's fields."""

from __future__ import annotations

from ..wit.model import (
    Enum,
    FixedListType,
    Flags,
    FutureType,
    Handle,
    ListType,
    MapType,
    OptionType,
    Primitive,
    Record,
    ResultType,
    StreamType,
    Tuple,
    Type,
    Variant,
    resolve_alias,
)  # fmt: skip

_PRIMITIVE = {
    "bool": 1, "s8": 1, "u8": 1, "s16": 2, "u16": 2, "s32": 4, "u32": 4, "s64": 8, "u64": 8,
    "f32": 4, "f64": 8, "char": 4, "error-context": 4, "string": 8,
}  # fmt: skip
PTR_SIZE = 4


def align_to(offset: int, alignment: int) -> int:
    return -(-offset // alignment) * alignment


def size(t: Type) -> int:
    return size_align(t)[0]


def alignment(t: Type) -> int:
    return size_align(t)[1]


def size_align(t: Type) -> tuple[int, int]:
    """(size, alignment) of ``t``; the spec's ``despecialize`` is applied case by case."""
    t = resolve_alias(t)
    if isinstance(t, Primitive):
        n = _PRIMITIVE[t.name]
        return n, min(n, PTR_SIZE) if t.name == "string" else n
    match t.kind:
        case ListType() | MapType():
            return 2 * PTR_SIZE, PTR_SIZE
        case FixedListType(element=e, length=n):
            s, a = size_align(e)
            return s * n, a
        case Record(fields=fields):
            return record_size_align([f.type for f in fields])
        case Tuple(types=types):
            return record_size_align(list(types))
        case Variant(cases=cases):
            return _variant([c.type for c in cases])
        case Enum(cases=cases):
            return _variant([None] * len(cases))
        case OptionType(type=x):
            return _variant([None, x])
        case ResultType(ok=ok, err=err):
            return _variant([ok, err])
        case Flags(names=names):
            n = _flags_size(len(names))
            return n, max(n, 1) if n <= 4 else 4
        case Handle() | FutureType() | StreamType():
            return 4, 4
    raise AssertionError(f"no memory layout for {t!r}")  # pragma: no cover


def field_offsets(types: list[Type]) -> list[int]:
    """Where each of ``types`` starts when they are laid out as the fields of one record."""
    offsets, end = [], 0
    for t in types:
        s, a = size_align(t)
        end = align_to(end, a)
        offsets.append(end)
        end += s
    return offsets


def record_size_align(types: list[Type]) -> tuple[int, int]:
    end, align = 0, 1
    for t in types:
        s, a = size_align(t)
        end = align_to(end, a) + s
        align = max(align, a)
    return align_to(end, align), align


def discriminant_size(cases: int) -> int:
    """Bytes of the discriminant of a variant with ``cases`` cases."""
    return 1 if cases <= 256 else 2 if cases <= 65536 else 4


def variant_layout(payloads: list[Type | None]) -> tuple[int, int, int]:
    """(size, alignment, payload offset) of a variant whose cases carry ``payloads`` (None: no payload)."""
    disc = discriminant_size(len(payloads))
    case_size, case_align = 0, 1
    for p in payloads:
        if p is not None:
            s, a = size_align(p)
            case_size, case_align = max(case_size, s), max(case_align, a)
    align = max(disc, case_align)
    payload_offset = align_to(disc, case_align)
    return align_to(payload_offset + case_size, align), align, payload_offset


def _variant(payloads: list[Type | None]) -> tuple[int, int]:
    size, align, _ = variant_layout(payloads)
    return size, align


def _flags_size(n: int) -> int:
    if n == 0:
        return 0
    if n <= 8:
        return 1
    if n <= 16:
        return 2
    return 4 * -(-n // 32)
