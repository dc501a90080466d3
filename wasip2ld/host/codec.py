"""The codec of a WIT type: how a Python value is stored to / loaded from guest memory and lowered to /
lifted from core values, with the type's Canonical ABI size, alignment (``wasip2ld.abi.layout``) and
flattening (``wasip2ld.abi.flatten``).

Written to be read beside CanonicalABI.md (``load``, ``store``, ``lift_flat``, ``lower_flat``). Codecs are
built once per type (``builder.CodecBuilder``); a call only runs them: ``scalars`` (bool, integers, floats,
char, string) and ``compound`` (lists, maps, records, tuples, variants and their specializations, flags,
handles). A wrong Python value raises ``BadValue`` (turned into a ``TypeError``/``ValueError`` naming the
WIT parameter by the caller); a guest value the Canonical ABI forbids raises ``Trap``.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping
from typing import Any

MAX_STRING_BYTES = (1 << 31) - 1


class BadValue(Exception):
    """A Python value that does not fit its WIT type; ``kind`` is TypeError or ValueError."""

    def __init__(self, message: str, kind: type[Exception] = TypeError) -> None:
        super().__init__(message)
        self.kind = kind


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


class PointerLengthCodec(Codec):
    """A string or list: a pointer and a length (``i32 i32``) whose ``lift``/``lower`` handle the data."""

    align, size, flat = 4, 8, ("i32", "i32")

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
        raise NotImplementedError

    def lower(self, cx: Any, value: Any) -> tuple[int, int]:
        raise NotImplementedError


def sequence(value: Any, wit: str) -> list:
    """The elements of a list going in: any iterable but a str or a mapping."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Iterable):
        raise BadValue(f"expected a list ({wit}), got {type(value).__name__}")
    return list(value)


def describe(value: Any) -> str:
    text = repr(value)
    return f"{type(value).__name__} {text[:40]}"


class at:
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
