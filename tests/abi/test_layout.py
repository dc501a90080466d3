"""Canonical ABI sizes, alignments and field offsets (wasm32), against values worked out from
CanonicalABI.md; the bindgen tests check the same layout end to end against clang's C structs."""

from __future__ import annotations

import pytest

from wasip2ld.abi.layout import field_offsets, record_size_align, size_align
from wasip2ld.wit.model import (
    Case,
    Enum,
    Field,
    FixedListType,
    Flags,
    ListType,
    OptionType,
    Primitive,
    Record,
    ResultType,
    Tuple,
    TypeDef,
    Variant,
)  # fmt: skip

U8, U16, U32, U64, F32, STR = (Primitive(n) for n in ("u8", "u16", "u32", "u64", "f32", "string"))


def anon(kind) -> TypeDef:
    return TypeDef(None, kind)


@pytest.mark.parametrize(
    "t, expected",
    [
        (U8, (1, 1)), (U64, (8, 8)), (STR, (8, 4)), (anon(ListType(U64)), (8, 4)),
        (anon(Record((Field("a", U8), Field("b", U32), Field("c", U16)))), (12, 4)),
        (anon(Record(())), (0, 1)),
        (anon(Tuple((U8, U64))), (16, 8)),
        (anon(Variant((Case("a", U8), Case("b", None)))), (2, 1)),
        (anon(Variant((Case("a", F32), Case("b", U64)))), (16, 8)),
        (anon(Enum(tuple(f"c{i}" for i in range(300)))), (2, 2)),
        (anon(OptionType(STR)), (12, 4)),
        (anon(ResultType(None, None)), (1, 1)),
        (anon(Flags(tuple(f"f{i}" for i in range(9)))), (2, 2)),
        (anon(Flags(tuple(f"f{i}" for i in range(17)))), (4, 4)),
        (anon(FixedListType(U16, 3)), (6, 2)),
    ],
)  # fmt: skip
def test_size_and_alignment(t, expected):
    assert size_align(t) == expected


def test_field_offsets_and_record_size():
    types = [U8, STR, U16, U64]
    assert field_offsets(types) == [0, 4, 12, 16]
    assert record_size_align(types) == (24, 8)
