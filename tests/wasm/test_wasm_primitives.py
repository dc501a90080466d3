"""The byte-level Reader: LEB128, names, vectors, absolute offsets, and the error text for each failure."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasip2ld.errors import WasmParseError
from wasip2ld.wasm import limits
from wasip2ld.wasm.encode import sleb, uleb
from wasip2ld.wasm.reader import Reader


def fails(data: bytes, read, match: str) -> WasmParseError:
    with pytest.raises(WasmParseError, match=match) as info:
        read(Reader(data))
    return info.value


@given(st.integers(0, 2**32 - 1), st.integers(1, 5))
def test_u32_round_trips_including_padded_encodings(value, min_bytes):
    encoded = uleb(value, min_bytes)
    if len(encoded) > 5:
        return
    r = Reader(encoded + b"\xff")
    assert r.read_u32() == value
    assert r.pos == len(encoded)


@given(st.integers(-(2**32), 2**32 - 1))
def test_s33_round_trips(value):
    assert Reader(sleb(value)).read_s33() == value


@given(st.integers(-(2**63), 2**63 - 1))
@settings(max_examples=300)
def test_s64_and_u64_round_trip(value):
    assert Reader(sleb(value)).read_s64() == value
    assert Reader(uleb(value % 2**64)).read_u64() == value % 2**64


def test_u32_too_long_and_too_large_are_different_errors():
    err = fails(b"\x80\x80\x80\x80\x80\x00", Reader.read_u32, r"integer representation too long")
    assert err.offset == 4
    err = fails(b"\xff\xff\xff\xff\x10", Reader.read_u32, r"invalid var_u32: integer too large")
    assert err.offset == 4
    assert Reader(b"\xff\xff\xff\xff\x0f").read_u32() == 2**32 - 1


def test_signed_limits():
    assert Reader(sleb(2**32 - 1)).read_s33() == 2**32 - 1
    assert Reader(sleb(-(2**32))).read_s33() == -(2**32)
    fails(sleb(2**32), Reader.read_s33, r"invalid var_s33: integer too large")
    fails(sleb(-(2**32) - 1), Reader.read_s33, r"invalid var_s33: integer too large")
    fails(sleb(2**31), Reader.read_s32, r"invalid var_s32: integer too large")
    assert Reader(sleb(-(2**31))).read_s32() == -(2**31)
    fails(b"\x80" * 10 + b"\x00", Reader.read_s64, r"invalid var_s64: integer representation too long")
    fails(b"\x80" * 9 + b"\x02", Reader.read_s64, r"invalid var_s64: integer too large")


def test_truncation_names_what_was_being_read():
    err = fails(
        b"\x80\x80",
        lambda r: r.read_u32("export count"),
        r"unexpected end-of-file while reading export count",
    )
    assert err.offset == 2
    r = Reader(b"\x00\x00\x00\x05\x80")
    r.pos = 3
    section = r.sub_reader(2, "import section")
    section.read_u8()
    with pytest.raises(WasmParseError, match=r"unexpected end of the import section while reading module"):
        section.read_u32("module")


def test_sub_readers_report_absolute_offsets_and_paths():
    data = bytes(100) + b"\x03abc\x02\xff\xfe"
    r = Reader(data, pos=100, path="lib.wasm")
    sub = r.sub_reader(7, "custom section")
    assert sub.read_name() == "abc"
    with pytest.raises(WasmParseError) as info:
        sub.read_name("export name")
    assert info.value.offset == 105
    assert str(info.value) == "lib.wasm: malformed UTF-8 encoding in export name (at offset 0x69)"
    based = Reader(b"\x01\x02", base=0x1000)
    based.read_u8()
    assert based.offset() == 0x1001


@given(st.text(max_size=50))
def test_names_round_trip(text):
    raw = text.encode("utf-8")
    assert Reader(uleb(len(raw)) + raw).read_name() == text


def test_name_errors():
    fails(b"\x02\xc3\x28", Reader.read_name, r"malformed UTF-8 encoding in name")
    fails(b"\x03\xed\xa0\x80", Reader.read_name, r"malformed UTF-8")  # a UTF-16 surrogate
    fails(uleb(limits.MAX_STRING_SIZE + 1), Reader.read_name, r"name is too long: 100001 bytes")
    fails(b"\x05ab", Reader.read_name, r"unexpected end-of-file while reading name")


def test_vectors_check_their_count_before_reading():
    r = Reader(b"\x03\x01\x02\x03")
    assert r.read_vec(Reader.read_u8, limit=10, what="thing") == [1, 2, 3]
    over = Reader(b"\x0b" + bytes(11))
    with pytest.raises(WasmParseError, match=r"^thing count 11 is out of bounds \(the limit is 10\)"):
        over.read_vec(Reader.read_u8, limit=10, what="thing")
    huge = Reader(uleb(1_000_000) + bytes(3))
    with pytest.raises(WasmParseError, match=r"thing count 1000000 is larger than the 3 bytes that follow"):
        huge.read_vec(Reader.read_u8, limit=2_000_000, what="thing")


def test_trailing_bytes_in_a_section():
    r = Reader(b"\x00\x01\x02", pos=0, end=3, region="export section")
    r.read_u8()
    with pytest.raises(WasmParseError) as info:
        r.expect_end()
    assert info.value.reason == "section size mismatch: unexpected data at the end of the section"
    assert info.value.offset == 1
