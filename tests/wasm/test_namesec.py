"""The quick pass over a name map (``namesec._valid_name_map``) against the exact reads: whenever the quick
pass accepts a map, the exact reads accept it too and stop at the same byte; when it declines, the exact
reads decide (tests/reliability/test_modules.py compares that verdict with `component new`)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from wasip2ld.errors import WasmParseError
from wasip2ld.wasm import namesec
from wasip2ld.wasm.encode import uleb
from wasip2ld.wasm.reader import Reader

INDEX = st.one_of(st.integers(0, 200), st.integers(0, 20000), st.integers(0, 2**22))
NAME = st.one_of(st.text(max_size=8).map(str.encode), st.binary(max_size=8), st.binary(min_size=126, max_size=140))


def _exact(data: bytes) -> int | None:
    """Where the exact reads of a name map end, or None when they refuse it."""
    reader = Reader(data, base=0, path="m.wasm", region="name section")
    try:
        namesec._exact_name_map(reader, "function")
    except WasmParseError:
        return None
    return reader.pos


def _quick(data: bytes) -> int | None:
    reader = Reader(data, base=0, path="m.wasm", region="name section")
    return reader.pos if namesec._valid_name_map(reader) else None


def _agree(data: bytes) -> bool:
    quick = _quick(data)
    if quick is not None:
        assert _exact(data) == quick, data
    return quick is not None


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(INDEX, NAME), max_size=8), st.booleans(), st.integers(0, 3), st.binary(max_size=3))
def test_quick_pass_accepts_only_what_the_exact_reads_accept(entries, rising, cut, tail):
    if rising:
        entries = sorted({i: n for i, n in entries}.items())
    data = uleb(len(entries)) + b"".join(uleb(i) + uleb(len(n)) + n for i, n in entries)
    _agree(data[: len(data) - cut] + tail)


@settings(max_examples=600, deadline=None)
@given(st.binary(max_size=64))
def test_quick_pass_on_arbitrary_bytes(data):
    _agree(data)


def test_quick_pass_takes_what_a_go_module_names():
    """Thousands of rising indices (two-byte LEB128), ASCII and non-ASCII names, long names: accepted, and
    the first bad name (a truncated sequence before the next entry's index) declined."""
    names = [(i, (f"main.f{i}" if i % 7 else f"ü.{i}" + "x" * 130).encode()) for i in range(0, 20000, 3)]
    good = uleb(len(names)) + b"".join(uleb(i) + uleb(len(n)) + n for i, n in names)
    assert _agree(good)
    bad_names = names[:200] + [(700, b"a\xc3")] + [(i + 1000, b"\xa9b") for i, _ in names[200:400]]
    bad = uleb(len(bad_names)) + b"".join(uleb(i) + uleb(len(n)) + n for i, n in bad_names)
    assert not _agree(bad) and _exact(bad) is None
