"""Primitive reads over a WebAssembly binary: bytes, LEB128 integers, names and vectors.

A ``Reader`` walks ``data[pos:end]`` and reports every position as an absolute file offset
(``base + pos``), so a reader made for one section (``sub_reader``) still raises errors that point at a byte
of the original file.
Every failure is a ``WasmParseError`` naming what was being read.
"""

from __future__ import annotations

from ..errors import WasmParseError
from .limits import MAX_STRING_SIZE

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import Callable, TypeVar

    T = TypeVar("T")

Buffer = bytes | bytearray | memoryview


class Reader:
    """A cursor over ``data[pos:end]``; ``base`` is the file offset of ``data[0]``."""

    __slots__ = ("data", "pos", "end", "base", "path", "region")

    def __init__(
        self,
        data: Buffer,
        *,
        pos: int = 0,
        end: int | None = None,
        base: int = 0,
        path: str | None = None,
        region: str = "file",
    ) -> None:
        self.data = data
        self.pos = pos
        self.end = len(data) if end is None else end
        self.base = base
        self.path = path
        self.region = region  # what ``end`` is the end of, for "unexpected end of …" messages

    # --- position and errors ------------------------------------------------------------------------------

    def offset(self) -> int:
        """The absolute file offset of the next byte."""
        return self.base + self.pos

    def remaining(self) -> int:
        return self.end - self.pos

    def at_end(self) -> bool:
        return self.pos >= self.end

    def error(self, message: str, offset: int | None = None) -> WasmParseError:
        return WasmParseError(message, self.offset() if offset is None else offset, path=self.path)

    def _truncated(self, what: str) -> WasmParseError:
        where = "end-of-file" if self.region == "file" else f"end of the {self.region}"
        return self.error(f"unexpected {where} while reading {what}")

    def expect_end(self) -> None:
        """The section must be used up exactly (wasm's "section size mismatch")."""
        if self.pos != self.end:
            raise self.error("section size mismatch: unexpected data at the end of the section")

    # --- bytes --------------------------------------------------------------------------------------------

    def peek_u8(self) -> int | None:
        return self.data[self.pos] if self.pos < self.end else None

    def read_u8(self, what: str = "byte") -> int:
        pos = self.pos
        if pos >= self.end:
            raise self._truncated(what)
        self.pos = pos + 1
        return self.data[pos]

    def read_bytes(self, count: int, what: str = "bytes") -> bytes:
        if count > self.end - self.pos:
            raise self._truncated(what)
        start = self.pos
        self.pos = start + count
        return bytes(self.data[start : self.pos])

    def skip(self, count: int, what: str = "bytes") -> None:
        if count > self.end - self.pos:
            raise self._truncated(what)
        self.pos += count

    def sub_reader(self, size: int, region: str) -> Reader:
        """A reader over the next ``size`` bytes (consumed here), keeping absolute offsets."""
        if size > self.end - self.pos:
            raise self._truncated(region)
        sub = Reader(
            self.data, pos=self.pos, end=self.pos + size, base=self.base, path=self.path, region=region
        )
        self.pos += size
        return sub

    def invalid_byte(self, byte: int, what: str, offset: int) -> WasmParseError:
        return self.error(f"invalid leading byte (0x{byte:x}) for {what}", offset)

    # --- LEB128 -------------------------------------------------------------------------------------------

    def read_u32(self, what: str = "u32") -> int:
        data, pos, end = self.data, self.pos, self.end
        # one- and two-byte encodings (every index below 16384) stay off the general path
        if pos < end:
            first = data[pos]
            if first < 0x80:
                self.pos = pos + 1
                return first
            if pos + 1 < end and data[pos + 1] < 0x80:
                self.pos = pos + 2
                return (first & 0x7F) | data[pos + 1] << 7
        return self._read_unsigned(32, what)

    def read_u64(self, what: str = "u64") -> int:
        return self._read_unsigned(64, what)

    def read_s32(self, what: str = "s32") -> int:
        return self._read_signed(32, what)

    def read_s33(self, what: str = "s33") -> int:
        return self._read_signed(33, what)

    def read_s64(self, what: str = "s64") -> int:
        return self._read_signed(64, what)

    def _read_unsigned(self, bits: int, what: str) -> int:
        max_bytes = (bits + 6) // 7
        spare = bits - 7 * (max_bytes - 1)  # value bits the last byte may carry
        result = shift = 0
        for i in range(max_bytes):
            byte = self.read_u8(what)
            if i == max_bytes - 1:
                if byte & 0x80:
                    raise self.error(
                        f"invalid var_u{bits}: integer representation too long", self.offset() - 1
                    )
                if byte >> spare:
                    raise self.error(f"invalid var_u{bits}: integer too large", self.offset() - 1)
            result |= (byte & 0x7F) << shift
            if not byte & 0x80:
                return result
            shift += 7
        raise AssertionError("unreachable: the last byte always returns or raises")

    def _read_signed(self, bits: int, what: str) -> int:
        max_bytes = (bits + 6) // 7
        spare = bits - 7 * (max_bytes - 1)
        result = shift = 0
        for i in range(max_bytes):
            byte = self.read_u8(what)
            if i == max_bytes - 1:
                if byte & 0x80:
                    raise self.error(
                        f"invalid var_s{bits}: integer representation too long", self.offset() - 1
                    )
                # the bits above the value's sign bit must all repeat it
                upper = (byte & 0x7F) >> (spare - 1)
                if upper not in (0, 0x7F >> (spare - 1)):
                    raise self.error(f"invalid var_s{bits}: integer too large", self.offset() - 1)
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                if byte & 0x40:
                    result -= 1 << shift
                return result
        raise AssertionError("unreachable: the last byte always returns or raises")

    # --- names and vectors --------------------------------------------------------------------------------

    def read_name(self, what: str = "name") -> str:
        at = self.offset()
        size = self.read_u32(f"{what} length")
        if size > MAX_STRING_SIZE:
            raise self.error(f"{what} is too long: {size} bytes (the limit is {MAX_STRING_SIZE})", at)
        start = self.pos
        if size > self.end - start:
            raise self._truncated(what)
        self.pos = start + size
        try:
            return str(self.data[start : self.pos], "utf-8")
        except UnicodeDecodeError as exc:
            raise self.error(f"malformed UTF-8 encoding in {what}", self.base + start + exc.start) from None

    def read_count(self, limit: int, what: str) -> int:
        """A vector length: at most ``limit``, and at most one item per remaining byte."""
        at = self.offset()
        count = self.read_u32(f"{what} count")
        if count > limit:
            raise self.error(f"{what} count {count} is out of bounds (the limit is {limit})", at)
        if count > self.end - self.pos:
            raise self.error(
                f"{what} count {count} is larger than the {self.end - self.pos} bytes that follow", at
            )
        return count

    def read_vec(self, read_item: Callable[[Reader], T], *, limit: int, what: str) -> list[T]:
        """A length-prefixed vector; ``read_item`` reads one element."""
        return [read_item(self) for _ in range(self.read_count(limit, what))]
