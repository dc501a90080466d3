"""Skipping constant expressions (global and table initialisers) without evaluating them.

Only the instructions the spec allows in constant expressions are known; their immediates are read so that a
0x0b byte inside an immediate is not taken for ``end``. Anything else cannot appear in a valid module's
initialiser and is reported as such.
"""

from __future__ import annotations

from .reader import Reader
from .valtypes import read_heap_type

END = 0x0B
GC_PREFIX = 0xFB
ATOMIC_PREFIX = 0xFE
REF_I31_SHARED = 0x72  # 0xfe 0x72 (shared-everything threads)
SIMD_PREFIX = 0xFD
V128_CONST = 12

_NO_IMMEDIATE = frozenset({0x6A, 0x6B, 0x6C, 0x7C, 0x7D, 0x7E})  # i32/i64 add, sub, mul (extended-const)
# 0xfb sub-opcode -> number of u32 immediates
_GC_OPS = {
    0x00: 1,  # struct.new
    0x01: 1,  # struct.new_default
    0x06: 1,  # array.new
    0x07: 1,  # array.new_default
    0x08: 2,  # array.new_fixed
    0x1A: 0,  # any.convert_extern
    0x1B: 0,  # extern.convert_any
    0x1C: 0,  # ref.i31
    0x20: 1,  # struct.new_desc (custom descriptors)
    0x21: 1,  # struct.new_default_desc
}


def skip_const_expr(r: Reader, what: str) -> None:
    """Advance past one constant expression, including its ``end``."""
    while True:
        at = r.offset()
        op = r.read_u8(f"{what} instruction")
        if op == END:
            return
        if op in _NO_IMMEDIATE:
            continue
        if op == 0x41:
            r.read_s32("i32.const immediate")
        elif op == 0x42:
            r.read_s64("i64.const immediate")
        elif op == 0x43:
            r.skip(4, "f32.const immediate")
        elif op == 0x44:
            r.skip(8, "f64.const immediate")
        elif op in (0x23, 0xD2):  # global.get, ref.func
            r.read_u32("index immediate")
        elif op == 0xD0:  # ref.null
            read_heap_type(r)
        elif op == GC_PREFIX:
            _skip_prefixed(r, at, what)
        elif op == ATOMIC_PREFIX:
            sub = r.read_u32("atomic opcode")
            if sub != REF_I31_SHARED:
                raise r.error(
                    f"invalid instruction (0xfe 0x{sub:x}) in {what}: not allowed in a constant expression",
                    at,
                )
        elif op == SIMD_PREFIX:
            sub = r.read_u32("simd opcode")
            if sub != V128_CONST:
                raise r.error(
                    f"invalid instruction (0xfd 0x{sub:x}) in {what}: not allowed in a constant expression",
                    at,
                )
            r.skip(16, "v128.const immediate")
        else:
            raise r.error(
                f"invalid instruction (0x{op:x}) in {what}: not allowed in a constant expression", at
            )


def _skip_prefixed(r: Reader, at: int, what: str) -> None:
    sub = r.read_u32("gc opcode")
    if sub not in _GC_OPS:
        raise r.error(
            f"invalid instruction (0xfb 0x{sub:x}) in {what}: not allowed in a constant expression", at
        )
    for _ in range(_GC_OPS[sub]):
        r.read_u32("type index immediate")
