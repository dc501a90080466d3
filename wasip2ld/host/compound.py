"""Codecs of the WIT types built from others: lists (and maps), fixed-length lists, records and tuples,
variants (and enum, option, result), flags and handles. Sizes, alignments and offsets are given by the
builder from ``wasip2ld.abi.layout``."""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import Any, Callable

from ..abi.layout import discriminant_size
from .codec import MAX_STRING_BYTES, BadValue, Codec, Flat, PointerLengthCodec, at, sequence
from .errors import trap_if
from .scalars import IntCodec
from .values import Record


class ListCodec(PointerLengthCodec):
    def __init__(self, element: Codec, wit: str) -> None:
        self.element = element
        self.wit = wit
        self.is_bytes = isinstance(element, IntCodec) and element.wit == "u8"

    def lift(self, cx: Any, ptr: int, length: int) -> Any:
        element = self.element
        view = cx.mem.check(ptr, length * element.size, element.align, f"list ({self.wit})")
        if self.is_bytes:
            return bytes(view[ptr:ptr + length])
        return [element.load(cx, ptr + i * element.size) for i in range(length)]

    def lower(self, cx: Any, value: Any) -> tuple[int, int]:
        element = self.element
        if self.is_bytes and isinstance(value, (bytes, bytearray, memoryview)):
            data = bytes(value)
            ptr = cx.alloc(1, len(data))
            cx.view[ptr:ptr + len(data)] = data
            return ptr, len(data)
        items = sequence(value, self.wit)
        if len(items) * element.size > MAX_STRING_BYTES:
            raise BadValue("the list is longer than 2^31-1 bytes", ValueError)
        ptr = cx.alloc(element.align, len(items) * element.size)
        for i, item in enumerate(items):
            with at(f"[{i}]"):
                element.store(cx, item, ptr + i * element.size)
        return ptr, len(items)


class FixedListCodec(Codec):
    def __init__(self, element: Codec, length: int, wit: str, flat: tuple[str, ...]) -> None:
        self.element, self.length, self.wit = element, length, wit
        self.align, self.size = element.align, element.size * length
        self.flat = flat

    def load(self, cx, ptr):
        return [self.element.load(cx, ptr + i * self.element.size) for i in range(self.length)]

    def store(self, cx, value, ptr):
        for i, item in enumerate(self.items(value)):
            with at(f"[{i}]"):
                self.element.store(cx, item, ptr + i * self.element.size)

    def lift_flat(self, cx, flat):
        return [self.element.lift_flat(cx, flat) for _ in range(self.length)]

    def lower_flat(self, cx, value, out):
        for i, item in enumerate(self.items(value)):
            with at(f"[{i}]"):
                self.element.lower_flat(cx, item, out)

    def items(self, value: Any) -> list:
        items = sequence(value, self.wit)
        if len(items) != self.length:
            raise BadValue(f"expected {self.length} elements ({self.wit}), got {len(items)}", ValueError)
        return items


class MapCodec(ListCodec):
    """``map<K, V>`` is a ``list<tuple<K, V>>`` in memory and a dict in Python."""

    def lift(self, cx, ptr, length):
        return dict(super().lift(cx, ptr, length))

    def lower(self, cx, value):
        if isinstance(value, Mapping):
            value = list(value.items())
        return super().lower(cx, value)


class FieldsCodec(Codec):
    """A record (Python: dict / object with the fields in, ``Record`` out) or a tuple (Python tuple)."""

    def __init__(self, names: list[str] | None, fields: list[Codec], wit: str, offsets: list[int], size: int,
                 align: int) -> None:
        self.names, self.fields, self.wit = names, fields, wit
        self.offsets, self.size, self.align = offsets, size, align
        self.flat = tuple(t for f in fields for t in f.flat)

    def load(self, cx, ptr):
        return self.build([f.load(cx, ptr + o) for f, o in zip(self.fields, self.offsets)])

    def store(self, cx, value, ptr):
        for label, f, o, item in zip(self.labels(), self.fields, self.offsets, self.items(value)):
            with at(label):
                f.store(cx, item, ptr + o)

    def lift_flat(self, cx, flat):
        return self.build([f.lift_flat(cx, flat) for f in self.fields])

    def lower_flat(self, cx, value, out):
        for label, f, item in zip(self.labels(), self.fields, self.items(value)):
            with at(label):
                f.lower_flat(cx, item, out)

    def labels(self) -> list[str]:
        return [f".{n}" for n in self.names] if self.names is not None else [f"[{i}]" for i in
                                                                              range(len(self.fields))]

    def build(self, items: list) -> Any:
        return tuple(items) if self.names is None else Record(dict(zip(self.names, items)))

    def items(self, value: Any) -> list:
        if self.names is None:
            if not isinstance(value, (tuple, list)):
                raise BadValue(f"expected tuple ({self.wit}), got {type(value).__name__}")
            if len(value) != len(self.fields):
                raise BadValue(f"expected {len(self.fields)} elements ({self.wit}), got {len(value)}", ValueError)
            return list(value)
        if isinstance(value, Record):
            value = value.as_dict()
        items = []
        for name in self.names:
            if isinstance(value, Mapping):
                if name not in value:
                    raise BadValue(f"missing field `{name}` of record {self.wit}")
                items.append(value[name])
            else:
                attr = name.replace("-", "_")
                if not hasattr(value, attr):
                    raise BadValue(f"expected record {self.wit} (a dict or an object with field `{attr}`), "
                                   f"got {type(value).__name__}")
                items.append(getattr(value, attr))
        return items


class VariantCodec(Codec):
    """variant / enum / option / result: a discriminant, then the case's payload at a common offset.
    ``to_case``/``from_case`` translate between the Python value and (case index, payload)."""

    def __init__(self, names: list[str], cases: list[Codec | None], wit: str, flat: tuple[str, ...],
                 to_case: Callable[[Any], tuple[int, Any]], from_case: Callable[[int, Any], Any],
                 layout: tuple[int, int, int]) -> None:
        self.names, self.cases, self.wit, self.flat = names, cases, wit, flat
        self.to_case, self.from_case = to_case, from_case
        self.size, self.align, self.payload_offset = layout
        self.disc_size = discriminant_size(len(cases))
        self.disc = struct.Struct("<" + {1: "B", 2: "H", 4: "I"}[self.disc_size])

    def may_be_none(self) -> bool:
        return self.from_case is option_from_case

    def load(self, cx, ptr):
        index = self.disc.unpack_from(cx.view, ptr)[0]
        case = self.case(index)
        return self.from_case(index, None if case is None else case.load(cx, ptr + self.payload_offset))

    def store(self, cx, value, ptr):
        index, payload = self.to_case(value)
        self.disc.pack_into(cx.view, ptr, index)
        case = self.cases[index]
        if case is not None:
            with at(f"<{self.names[index]}>"):
                case.store(cx, payload, ptr + self.payload_offset)

    def lift_flat(self, cx, flat):
        index = flat.next() & 0xFFFFFFFF
        case = self.case(index)
        joined = self.flat[1:]
        values = [flat.next() for _ in joined]
        if case is None:
            return self.from_case(index, None)
        coerced = [_coerce_lift(v, have, want) for v, have, want in zip(values, joined, case.flat)]
        return self.from_case(index, case.lift_flat(cx, Flat(coerced)))

    def lower_flat(self, cx, value, out):
        index, payload = self.to_case(value)
        out.append(index)
        payload_flat: list = []
        case = self.cases[index]
        if case is not None:
            with at(f"<{self.names[index]}>"):
                case.lower_flat(cx, payload, payload_flat)
            wants = case.flat
        else:
            wants = ()
        joined = self.flat[1:]
        for i, have in enumerate(joined):
            out.append(_coerce_lower(payload_flat[i], wants[i], have) if i < len(payload_flat) else
                       (0.0 if have in ("f32", "f64") else 0))

    def case(self, index: int) -> Codec | None:
        trap_if(index >= len(self.cases), f"invalid discriminant {index} for {self.wit} "
                                          f"({len(self.cases)} cases)")
        return self.cases[index]


_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")
_F64 = struct.Struct("<d")
_U64 = struct.Struct("<Q")


def _coerce_lift(value: Any, have: str, want: str) -> Any:
    if have == want:
        return value
    if want == "f32":
        return _F32.unpack(_U32.pack(value & 0xFFFFFFFF))[0]
    if want == "f64":
        return _F64.unpack(_U64.pack(value & 0xFFFFFFFFFFFFFFFF))[0]
    return value & 0xFFFFFFFF  # i64 carrying an i32


def _coerce_lower(value: Any, have: str, want: str) -> Any:
    if have == want:
        return value
    if have == "f32":
        return _U32.unpack(_pack_f32(value))[0]
    if have == "f64":
        return _U64.unpack(_F64.pack(value))[0]
    return value & 0xFFFFFFFF  # an i32 zero-extended into an i64


def _pack_f32(value: float) -> bytes:
    try:
        return _F32.pack(value)
    except OverflowError:
        return _F32.pack(float("inf") if value > 0 else float("-inf"))


def option_from_case(index: int, payload: Any) -> Any:
    return None if index == 0 else payload


class FlagsCodec(Codec):
    flat = ("i32",)

    def __init__(self, names: tuple[str, ...], wit: str) -> None:
        self.names, self.wit = names, wit
        self.size = self.align = 1 if len(names) <= 8 else 2 if len(names) <= 16 else 4
        self.struct = struct.Struct("<" + {1: "B", 2: "H", 4: "I"}[self.size])

    def load(self, cx, ptr):
        return self.lift(self.struct.unpack_from(cx.view, ptr)[0])

    def store(self, cx, value, ptr):
        self.struct.pack_into(cx.view, ptr, self.bits(value))

    def lift_flat(self, cx, flat):
        return self.lift(flat.next() & 0xFFFFFFFF)

    def lower_flat(self, cx, value, out):
        out.append(self.bits(value))

    def lift(self, bits: int) -> frozenset[str]:
        return frozenset(n for i, n in enumerate(self.names) if bits >> i & 1)

    def bits(self, value: Any) -> int:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise BadValue(f"expected a set of flag names ({self.wit}), got {type(value).__name__}")
        bits = 0
        for name in value:
            if name not in self.names:
                raise BadValue(f"`{name}` is not a flag of {self.wit} ({', '.join(self.names)})", ValueError)
            bits |= 1 << self.names.index(name)
        return bits


class HandleCodec(Codec):
    align, size, flat = 4, 4, ("i32",)

    def __init__(self, kind: str, resource: Any, wit: str) -> None:
        self.kind, self.resource, self.wit = kind, resource, wit

    def load(self, cx, ptr):
        return self.lift(cx, struct.unpack_from("<I", cx.view, ptr)[0])

    def store(self, cx, value, ptr):
        struct.pack_into("<I", cx.view, ptr, self.lower(cx, value))

    def lift_flat(self, cx, flat):
        return self.lift(cx, flat.next() & 0xFFFFFFFF)

    def lower_flat(self, cx, value, out):
        out.append(self.lower(cx, value))

    def lift(self, cx: Any, index: int) -> Any:
        return cx.lift_handle(self.kind, self.resource, index)

    def lower(self, cx: Any, value: Any) -> int:
        return cx.lower_handle(self.kind, self.resource, value)
