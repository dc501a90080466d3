"""Core value types, written as WAT text ('i32', 'funcref', '(ref null $3)', …), and function types.

Type-encoding bytes (one byte each; as a signed LEB128 they are the negative numbers shown):

    byte  sleb  meaning                     byte  sleb  meaning
    0x7f   -1   i32                         0x6f  -17   extern     (externref)
    0x7e   -2   i64                         0x6e  -18   any        (anyref)
    0x7d   -3   f32                         0x6d  -19   eq         (eqref)
    0x7c   -4   f64                         0x6c  -20   i31        (i31ref)
    0x7b   -5   v128                        0x6b  -21   struct     (structref)
    0x78   -8   i8     (storage only)       0x6a  -22   array      (arrayref)
    0x77   -9   i16    (storage only)       0x69  -23   exn        (exnref)
    0x75  -11   nocont                      0x68  -24   cont
    0x74  -12   noexn  (nullexnref)         0x65  -27   shared <abstract heap type>
    0x73  -13   nofunc (nullfuncref)        0x64  -28   (ref ht)
    0x72  -14   noextern (nullexternref)    0x63  -29   (ref null ht)
    0x71  -15   none   (nullref)            0x62  -30   exact <type index>
    0x70  -16   func   (funcref)            >= 0        concrete heap type: a type index (s33)

A one-byte abstract heap type used as a value type means ``(ref null ht)``. Concrete type indices are written
``$N`` (``(ref null $3)``); wasm-tools prints the same type as ``(ref null 3)`` when the module has no names.
"""

from __future__ import annotations


from ..frozen import frozen
from .reader import Reader

NUMERIC_TYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128"}
PACKED_TYPES = {0x78: "i8", 0x77: "i16"}
ABSTRACT_HEAP_TYPES = {
    0x75: "nocont", 0x74: "noexn", 0x73: "nofunc", 0x72: "noextern", 0x71: "none", 0x70: "func",
    0x6F: "extern", 0x6E: "any", 0x6D: "eq", 0x6C: "i31", 0x6B: "struct", 0x6A: "array", 0x69: "exn",
    0x68: "cont",
}  # fmt: skip
# `(ref null ht)` has a short spelling for these heap types (cont/nocont have none in wasm-tools' printer).
NULLABLE_SHORTHANDS = {
    "func": "funcref", "extern": "externref", "any": "anyref", "eq": "eqref", "i31": "i31ref",
    "struct": "structref", "array": "arrayref", "exn": "exnref", "none": "nullref", "nofunc": "nullfuncref",
    "noextern": "nullexternref", "noexn": "nullexnref",
}  # fmt: skip
SHARED_PREFIX = 0x65
REF = 0x64
REF_NULL = 0x63
EXACT_PREFIX = 0x62


@frozen
class FuncType:
    """A core function type; ``str()`` is its WAT form, ``(func (param i32 i32) (result i32))``."""

    params: tuple[str, ...] = ()
    results: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = "(func"
        if self.params:
            text += " (param " + " ".join(self.params) + ")"
        if self.results:
            text += " (result " + " ".join(self.results) + ")"
        return text + ")"


def ref_type_text(nullable: bool, heap_type: str) -> str:
    if nullable and heap_type in NULLABLE_SHORTHANDS:
        return NULLABLE_SHORTHANDS[heap_type]
    return f"(ref null {heap_type})" if nullable else f"(ref {heap_type})"


def read_heap_type(r: Reader) -> str:
    at = r.offset()
    byte = r.peek_u8()
    if byte == SHARED_PREFIX:
        r.pos += 1
        return f"(shared {_read_abstract_heap_type(r)})"
    if byte == EXACT_PREFIX:
        r.pos += 1
        return f"(exact ${r.read_u32('exact type index')})"
    if byte in ABSTRACT_HEAP_TYPES:
        r.pos += 1
        return ABSTRACT_HEAP_TYPES[byte]
    index = r.read_s33("heap type")
    if index < 0:
        raise r.invalid_byte(byte or 0, "heap type", at)
    return f"${index}"


def _read_abstract_heap_type(r: Reader) -> str:
    at = r.offset()
    byte = r.read_u8("shared heap type")
    if byte not in ABSTRACT_HEAP_TYPES:
        raise r.invalid_byte(byte, "shared heap type", at)
    return ABSTRACT_HEAP_TYPES[byte]


def read_val_type(r: Reader, what: str = "value type") -> str:
    at = r.offset()
    byte = r.read_u8(what)
    name = NUMERIC_TYPES.get(byte)
    if name is not None:
        return name
    return _read_ref_type_after(r, byte, what, at)


def read_ref_type(r: Reader, what: str = "reference type") -> str:
    at = r.offset()
    return _read_ref_type_after(r, r.read_u8(what), what, at)


def _read_ref_type_after(r: Reader, byte: int, what: str, at: int) -> str:
    if byte in ABSTRACT_HEAP_TYPES:
        return ref_type_text(True, ABSTRACT_HEAP_TYPES[byte])
    if byte == SHARED_PREFIX:
        return ref_type_text(True, f"(shared {_read_abstract_heap_type(r)})")
    if byte in (REF, REF_NULL):
        return ref_type_text(byte == REF_NULL, read_heap_type(r))
    raise r.invalid_byte(byte, what, at)


def read_storage_type(r: Reader) -> str:
    """A struct field or array element type: a value type or a packed i8/i16."""
    byte = r.peek_u8()
    if byte in PACKED_TYPES:
        r.pos += 1
        return PACKED_TYPES[byte]
    return read_val_type(r, "storage type")


def read_mutability(r: Reader, what: str) -> bool:
    at = r.offset()
    byte = r.read_u8(f"{what} mutability")
    if byte > 1:
        raise r.error(f"malformed mutability (0x{byte:x}) for {what}", at)
    return byte == 1
