"""One codec per WIT type: its Canonical ABI size, alignment and flattening (from ``wasip2ld.abi.flatten``),
and how a Python value is stored to / loaded from guest memory and lowered to / lifted from core values.

Written to be read beside CanonicalABI.md (``alignment``, ``elem_size``, ``load``, ``store``, ``lift_flat``,
``lower_flat``). Codecs are built once per type (``CodecBuilder.codec``); a call only runs them.
A wrong Python value raises ``BadValue`` (turned into a ``TypeError``/``ValueError`` naming the WIT
parameter by the caller); a guest value the Canonical ABI forbids raises ``Trap``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import Any, Callable

from ..abi.flatten import despecialize, flatten_type
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
    Record as RecordKind,
    ResultType,
    StreamType,
    Tuple,
    Type,
    TypeDef,
    Variant as VariantKind,
    resolve_alias,
)
from ..wit.render import type_text
from .errors import LinkError, Trap, trap_if
from .values import Err, Ok, Record, Some, Variant

MAX_STRING_BYTES = (1 << 31) - 1
UTF16_TAG = 1 << 31


class BadValue(Exception):
    """A Python value that does not fit its WIT type; ``kind`` is TypeError or ValueError."""

    def __init__(self, message: str, kind: type[Exception] = TypeError) -> None:
        super().__init__(message)
        self.kind = kind


def align_to(ptr: int, alignment: int) -> int:
    return -(-ptr // alignment) * alignment


class Flat:
    """The core values of one lifted value, read left to right."""

    __slots__ = ("values", "pos")

    def __init__(self, values: list) -> None:
        self.values = values
        self.pos = 0

    def next(self) -> Any:
        value = self.values[self.pos]
        self.pos += 1
        return value


class Codec:
    align: int
    size: int
    flat: tuple[str, ...]
    wit: str

    def load(self, cx: Any, ptr: int) -> Any:
        raise NotImplementedError

    def store(self, cx: Any, value: Any, ptr: int) -> None:
        raise NotImplementedError

    def lift_flat(self, cx: Any, flat: Flat) -> Any:
        raise NotImplementedError

    def lower_flat(self, cx: Any, value: Any, out: list) -> None:
        raise NotImplementedError

    def may_be_none(self) -> bool:
        return False


# --- scalars ---------------------------------------------------------------------------------------------


class BoolCodec(Codec):
    align, size, flat, wit = 1, 1, ("i32",), "bool"

    def load(self, cx, ptr):
        return cx.view[ptr] != 0

    def store(self, cx, value, ptr):
        cx.view[ptr] = int(self.check(value))

    def lift_flat(self, cx, flat):
        return flat.next() != 0

    def lower_flat(self, cx, value, out):
        out.append(int(self.check(value)))

    @staticmethod
    def check(value: Any) -> bool:
        if not isinstance(value, bool):
            raise BadValue(f"expected bool, got {type(value).__name__}")
        return value


class IntCodec(Codec):
    def __init__(self, name: str) -> None:
        self.wit = name
        self.signed = name[0] == "s"
        bits = int(name[1:])
        self.size = self.align = bits // 8
        self.flat = ("i64",) if bits == 64 else ("i32",)
        self.lo = -(1 << (bits - 1)) if self.signed else 0
        self.hi = (1 << (bits - 1)) - 1 if self.signed else (1 << bits) - 1
        self.mask = (1 << bits) - 1
        self.bits = bits
        code = {8: "b", 16: "h", 32: "i", 64: "q"}[bits]
        self.struct = struct.Struct("<" + (code if self.signed else code.upper()))

    def load(self, cx, ptr):
        return self.struct.unpack_from(cx.view, ptr)[0]

    def store(self, cx, value, ptr):
        self.struct.pack_into(cx.view, ptr, self.check(value))

    def lift_flat(self, cx, flat):
        value = flat.next() & self.mask
        if self.signed and value > self.hi:
            value -= 1 << self.bits
        return value

    def lower_flat(self, cx, value, out):
        out.append(self.check(value))

    def check(self, value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise BadValue(f"expected int ({self.wit}), got {type(value).__name__}")
        if not self.lo <= value <= self.hi:
            raise BadValue(f"{value} is out of range for {self.wit}", ValueError)
        return value


class FloatCodec(Codec):
    def __init__(self, name: str) -> None:
        self.wit = name
        self.size = self.align = 4 if name == "f32" else 8
        self.flat = (name,)
        self.struct = struct.Struct("<f" if name == "f32" else "<d")

    def load(self, cx, ptr):
        return self.struct.unpack_from(cx.view, ptr)[0]

    def store(self, cx, value, ptr):
        value = self.check(value)
        try:
            self.struct.pack_into(cx.view, ptr, value)
        except OverflowError:  # beyond f32's range: rounds to infinity
            self.struct.pack_into(cx.view, ptr, float("inf") if value > 0 else float("-inf"))

    def lift_flat(self, cx, flat):
        return float(flat.next())

    def lower_flat(self, cx, value, out):
        out.append(self.check(value))

    def check(self, value: Any) -> float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise BadValue(f"expected float ({self.wit}), got {type(value).__name__}")
        return float(value)


class CharCodec(Codec):
    align, size, flat, wit = 4, 4, ("i32",), "char"

    def load(self, cx, ptr):
        return self.lift(struct.unpack_from("<I", cx.view, ptr)[0])

    def store(self, cx, value, ptr):
        struct.pack_into("<I", cx.view, ptr, self.check(value))

    def lift_flat(self, cx, flat):
        return self.lift(flat.next() & 0xFFFFFFFF)

    def lower_flat(self, cx, value, out):
        out.append(self.check(value))

    @staticmethod
    def lift(code: int) -> str:
        trap_if(code >= 0x110000 or 0xD800 <= code <= 0xDFFF, f"invalid char: code point {code:#x}")
        return chr(code)

    @staticmethod
    def check(value: Any) -> int:
        if not isinstance(value, str) or len(value) != 1:
            raise BadValue(f"expected a one-character str (char), got {_describe(value)}")
        code = ord(value)
        if 0xD800 <= code <= 0xDFFF:
            raise BadValue(f"a surrogate ({code:#x}) is not a char", ValueError)
        return code


class StringCodec(Codec):
    align, size, flat, wit = 4, 8, ("i32", "i32"), "string"

    def load(self, cx, ptr):
        return self.lift(cx, *struct.unpack_from("<II", cx.view, ptr))

    def store(self, cx, value, ptr):
        data_ptr, length = self.lower(cx, value)
        struct.pack_into("<II", cx.view, ptr, data_ptr, length)

    def lift_flat(self, cx, flat):
        return self.lift(cx, flat.next() & 0xFFFFFFFF, flat.next() & 0xFFFFFFFF)

    def lower_flat(self, cx, value, out):
        out.extend(self.lower(cx, value))

    @staticmethod
    def lift(cx: Any, ptr: int, tagged: int) -> str:
        encoding = cx.encoding
        if encoding == "utf8":
            codec, align, nbytes = "utf-8", 1, tagged
        elif encoding == "utf16":
            codec, align, nbytes = "utf-16-le", 2, 2 * tagged
        elif tagged & UTF16_TAG:
            codec, align, nbytes = "utf-16-le", 2, 2 * (tagged ^ UTF16_TAG)
        else:
            codec, align, nbytes = "latin-1", 1, tagged
        view = cx.mem.check(ptr, nbytes, align, "string")
        try:
            return bytes(view[ptr:ptr + nbytes]).decode(codec)
        except UnicodeDecodeError as err:
            raise Trap(f"invalid {'utf-8' if codec == 'utf-8' else 'utf-16'} in a string: {err.reason} "
                       f"at byte {err.start}") from None

    @staticmethod
    def lower(cx: Any, value: Any) -> tuple[int, int]:
        if not isinstance(value, str):
            raise BadValue(f"expected str, got {type(value).__name__}")
        encoding = cx.encoding
        try:
            if encoding == "utf8":
                data, align, length = value.encode("utf-8"), 1, None
            elif encoding == "utf16" or any(ord(c) > 0xFF for c in value):
                data, align = value.encode("utf-16-le"), 2
                length = len(data) // 2 | (UTF16_TAG if encoding != "utf16" else 0)
            else:
                data, align, length = value.encode("latin-1"), 1, None
        except UnicodeEncodeError as err:
            raise BadValue(f"the string has a lone surrogate at index {err.start}", ValueError) from None
        if len(data) > MAX_STRING_BYTES:
            raise BadValue("the string is longer than 2^31-1 bytes", ValueError)
        ptr = cx.alloc(align, len(data))
        cx.view[ptr:ptr + len(data)] = data
        return ptr, len(data) if length is None else length


# --- lists -----------------------------------------------------------------------------------------------


class ListCodec(Codec):
    align, size, flat = 4, 8, ("i32", "i32")

    def __init__(self, element: Codec, wit: str) -> None:
        self.element = element
        self.wit = wit
        self.is_bytes = isinstance(element, IntCodec) and element.wit == "u8"

    def load(self, cx, ptr):
        return self.lift(cx, *struct.unpack_from("<II", cx.view, ptr))

    def store(self, cx, value, ptr):
        data_ptr, length = self.lower(cx, value)
        struct.pack_into("<II", cx.view, ptr, data_ptr, length)

    def lift_flat(self, cx, flat):
        return self.lift(cx, flat.next() & 0xFFFFFFFF, flat.next() & 0xFFFFFFFF)

    def lower_flat(self, cx, value, out):
        out.extend(self.lower(cx, value))

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
        items = _sequence(value, self.wit)
        if len(items) * element.size > MAX_STRING_BYTES:
            raise BadValue("the list is longer than 2^31-1 bytes", ValueError)
        ptr = cx.alloc(element.align, len(items) * element.size)
        for i, item in enumerate(items):
            with _at(f"[{i}]"):
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
            with _at(f"[{i}]"):
                self.element.store(cx, item, ptr + i * self.element.size)

    def lift_flat(self, cx, flat):
        return [self.element.lift_flat(cx, flat) for _ in range(self.length)]

    def lower_flat(self, cx, value, out):
        for i, item in enumerate(self.items(value)):
            with _at(f"[{i}]"):
                self.element.lower_flat(cx, item, out)

    def items(self, value: Any) -> list:
        items = _sequence(value, self.wit)
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


# --- records and tuples ----------------------------------------------------------------------------------


class FieldsCodec(Codec):
    """A record (Python: dict / object with the fields in, ``Record`` out) or a tuple (Python tuple)."""

    def __init__(self, names: list[str] | None, fields: list[Codec], wit: str) -> None:
        self.names, self.fields, self.wit = names, fields, wit
        self.offsets = []
        offset = 0
        for f in fields:
            offset = align_to(offset, f.align)
            self.offsets.append(offset)
            offset += f.size
        self.align = max((f.align for f in fields), default=1)
        self.size = align_to(offset, self.align)
        self.flat = tuple(t for f in fields for t in f.flat)

    def load(self, cx, ptr):
        return self.build([f.load(cx, ptr + o) for f, o in zip(self.fields, self.offsets)])

    def store(self, cx, value, ptr):
        for label, f, o, item in zip(self.labels(), self.fields, self.offsets, self.items(value)):
            with _at(label):
                f.store(cx, item, ptr + o)

    def lift_flat(self, cx, flat):
        return self.build([f.lift_flat(cx, flat) for f in self.fields])

    def lower_flat(self, cx, value, out):
        for label, f, item in zip(self.labels(), self.fields, self.items(value)):
            with _at(label):
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


# --- variants and their specializations ------------------------------------------------------------------


class VariantCodec(Codec):
    """variant / enum / option / result: a discriminant, then the case's payload at a common offset.
    ``to_case``/``from_case`` translate between the Python value and (case index, payload)."""

    def __init__(self, names: list[str], cases: list[Codec | None], wit: str, flat: tuple[str, ...],
                 to_case: Callable[[Any], tuple[int, Any]], from_case: Callable[[int, Any], Any]) -> None:
        self.names, self.cases, self.wit, self.flat = names, cases, wit, flat
        self.to_case, self.from_case = to_case, from_case
        n = len(cases)
        self.disc_size = 1 if n <= 256 else 2 if n <= 65536 else 4
        self.disc = struct.Struct("<" + {1: "B", 2: "H", 4: "I"}[self.disc_size])
        case_align = max((c.align for c in cases if c is not None), default=1)
        self.align = max(self.disc_size, case_align)
        self.payload_offset = align_to(self.disc_size, case_align)
        self.size = align_to(self.payload_offset + max((c.size for c in cases if c is not None), default=0),
                             self.align)

    def may_be_none(self) -> bool:
        return self.from_case is _option_from_case

    def load(self, cx, ptr):
        index = self.disc.unpack_from(cx.view, ptr)[0]
        case = self.case(index)
        return self.from_case(index, None if case is None else case.load(cx, ptr + self.payload_offset))

    def store(self, cx, value, ptr):
        index, payload = self.to_case(value)
        self.disc.pack_into(cx.view, ptr, index)
        case = self.cases[index]
        if case is not None:
            with _at(f"<{self.names[index]}>"):
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
            with _at(f"<{self.names[index]}>"):
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


def _option_from_case(index: int, payload: Any) -> Any:
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


# --- building codecs from the WIT model ------------------------------------------------------------------


class CodecBuilder:
    """Builds (and caches) codecs. ``resource_type(typedef)`` maps a WIT resource to the instance's
    runtime resource type (which knows whether the module or the host implements it)."""

    def __init__(self, resource_type: Callable[[TypeDef], Any]) -> None:
        self.resource_type = resource_type
        self.cache: dict[Type, Codec] = {}

    def codec(self, t: Type) -> Codec:
        found = self.cache.get(t)
        if found is None:
            found = self.cache[t] = self.build(t)
        return found

    def build(self, t: Type) -> Codec:
        wit = type_text(t)
        target = resolve_alias(t)
        if isinstance(target, Primitive):
            return _primitive(target.name)
        kind = target.kind
        flat = tuple(flatten_type(t))
        match kind:
            case ListType(element=e):
                return ListCodec(self.codec(e), wit)
            case MapType(key=k, value=v):
                return MapCodec(FieldsCodec(None, [self.codec(k), self.codec(v)], f"tuple<{k}, {v}>"), wit)
            case FixedListType(element=e, length=n):
                return FixedListCodec(self.codec(e), n, wit, tuple(flatten_type(e)) * n)
            case RecordKind(fields=fields):
                return FieldsCodec([f.name for f in fields], [self.codec(f.type) for f in fields], wit)
            case Tuple(types=types):
                return FieldsCodec(None, [self.codec(x) for x in types], wit)
            case Flags(names=names):
                return FlagsCodec(names, wit)
            case Handle(kind=hk, resource=r):
                return HandleCodec(hk, self.resource_type(resolve_alias(r)), wit)  # type: ignore[arg-type]
            case FutureType() | StreamType():
                raise LinkError(f"`{wit}`: futures and streams (WASI 0.3 async) are not supported by the core host")
        return self.variant(kind, despecialize(t), wit, flat)

    def variant(self, kind: Any, despecialized: Any, wit: str, flat: tuple[str, ...]) -> Codec:
        names = [c.name for c in despecialized.cases]
        cases = [None if c.type is None else self.codec(c.type) for c in despecialized.cases]
        match kind:
            case Enum():
                return VariantCodec(names, cases, wit, flat, _enum_to_case(names, wit), lambda i, _: names[i])
            case OptionType():
                inner_nullable = cases[1] is not None and cases[1].may_be_none()
                return VariantCodec(names, cases, wit, flat, _option_to_case,
                                    _option_from_case if not inner_nullable else
                                    lambda i, v: None if i == 0 else Some(v))
            case ResultType():
                return VariantCodec(names, cases, wit, flat, _result_to_case(wit),
                                    lambda i, v: Ok(v) if i == 0 else Err(v))
            case VariantKind():
                return VariantCodec(names, cases, wit, flat, _variant_to_case(names, cases, wit),
                                    lambda i, v: Variant(names[i], v))
        raise AssertionError(f"unhandled type {wit}")  # pragma: no cover


def _enum_to_case(names: list[str], wit: str) -> Callable[[Any], tuple[int, Any]]:
    def to_case(value: Any) -> tuple[int, Any]:
        if not isinstance(value, str):
            raise BadValue(f"expected an enum case name (str) of {wit}, got {type(value).__name__}")
        if value not in names:
            raise BadValue(f"`{value}` is not a case of {wit} ({', '.join(names)})", ValueError)
        return names.index(value), None

    return to_case


def _option_to_case(value: Any) -> tuple[int, Any]:
    if value is None:
        return 0, None
    return 1, value.value if isinstance(value, Some) else value


def _result_to_case(wit: str) -> Callable[[Any], tuple[int, Any]]:
    def to_case(value: Any) -> tuple[int, Any]:
        if isinstance(value, Ok):
            return 0, value.value
        if isinstance(value, Err):
            return 1, value.value
        raise BadValue(f"expected Ok(…) or Err(…) ({wit}), got {_describe(value)}")

    return to_case


def _variant_to_case(names: list[str], cases: list, wit: str) -> Callable[[Any], tuple[int, Any]]:
    def to_case(value: Any) -> tuple[int, Any]:
        if not isinstance(value, Variant):
            raise BadValue(f"expected Variant(case, value) ({wit}), got {_describe(value)}")
        if value.case not in names:
            raise BadValue(f"`{value.case}` is not a case of {wit} ({', '.join(names)})", ValueError)
        return names.index(value.case), value.value

    return to_case


_PRIMITIVES: dict[str, Codec] = {
    "bool": BoolCodec(), "char": CharCodec(), "string": StringCodec(),
    **{n: IntCodec(n) for n in ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64")},
    "f32": FloatCodec("f32"), "f64": FloatCodec("f64"),
}  # fmt: skip


def _primitive(name: str) -> Codec:
    if name not in _PRIMITIVES:
        raise LinkError(f"`{name}` values are not supported by the core host")
    return _PRIMITIVES[name]


def _sequence(value: Any, wit: str) -> list:
    """The elements of a list going in: any iterable but a str or a mapping."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise BadValue(f"expected a list ({wit}), got {type(value).__name__}")
    return list(value)


def _describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}"


class _at:
    """Prefix a BadValue's message with where in the value it happened (``.field``, ``[3]``, ``<case>``)."""

    def __init__(self, label: str) -> None:
        self.label = label

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind, err, tb) -> bool:
        if isinstance(err, BadValue) and not getattr(err, "located", False):
            err.args = (f"{self.label}: {err.args[0]}",)
            err.located = True  # type: ignore[attr-defined]
        elif isinstance(err, BadValue):
            err.args = (f"{self.label}{err.args[0]}",)
        return False
