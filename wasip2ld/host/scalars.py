"""Codecs of the primitive WIT types: bool, integers, floats, char and string (utf8, utf16, latin1+utf16)."""

from __future__ import annotations

import struct
from typing import Any

from .codec import MAX_STRING_BYTES, BadValue, Codec, PointerLengthCodec, describe
from .errors import LinkError, Trap, trap_if

UTF16_TAG = 1 << 31


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
            raise BadValue(f"expected a one-character str (char), got {describe(value)}")
        code = ord(value)
        if 0xD800 <= code <= 0xDFFF:
            raise BadValue(f"a surrogate ({code:#x}) is not a char", ValueError)
        return code


class StringCodec(PointerLengthCodec):
    wit = "string"

    def lift(self, cx: Any, ptr: int, tagged: int) -> str:
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

    def lower(self, cx: Any, value: Any) -> tuple[int, int]:
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


_PRIMITIVES: dict[str, Codec] = {
    "bool": BoolCodec(), "char": CharCodec(), "string": StringCodec(),
    **{n: IntCodec(n) for n in ("u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64")},
    "f32": FloatCodec("f32"), "f64": FloatCodec("f64"),
}  # fmt: skip


def primitive(name: str) -> Codec:
    if name not in _PRIMITIVES:
        raise LinkError(f"`{name}` values are not supported by the core host")
    return _PRIMITIVES[name]
