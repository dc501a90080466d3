"""Bad modules (Hypothesis, bounded): `check` agrees with `wasm-tools component new` on `name` sections
(malformed or non-UTF-8 names are refused by both), and no byte-level corruption of a real module makes
`check` fail with anything but a wasip2ld error (no traceback, no other exception)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasip2ld.check.api import check_module
from wasip2ld.errors import Wasip2ldError
from wasip2ld.wasm.encode import uleb as leb128_u32

WIT = "package a:b;\nworld w {\n  export f: func(x: string) -> string;\n}\n"


@pytest.fixture(scope="module")
def base(tmp_path_factory, wasm_tools) -> tuple[bytes, Path]:
    """A module that matches world a:b/w and carries it (the dummy module of the world)."""
    root = tmp_path_factory.mktemp("modules")
    (root / "w.wit").write_text(WIT)
    out = root / "m.wasm"
    subprocess.run([wasm_tools, "component", "embed", "--dummy-names", "legacy", "w.wit", "-o", out], cwd=root, check=True)
    return out.read_bytes(), root


def _custom(name: bytes, payload: bytes) -> bytes:
    body = leb128_u32(len(name)) + name + payload
    return b"\x00" + leb128_u32(len(body)) + body


def _subsection(sub_id: int, content: bytes) -> bytes:
    return bytes([sub_id]) + leb128_u32(len(content)) + content


NAME_BYTES = st.one_of(st.text(max_size=6).map(lambda t: t.encode()), st.binary(max_size=6))
NAME = NAME_BYTES.map(lambda b: leb128_u32(len(b)) + b)
NAME_MAP = st.lists(st.tuples(st.integers(0, 3), NAME), max_size=3).map(
    lambda items: leb128_u32(len(items)) + b"".join(leb128_u32(i) + n for i, n in items)
)
SUBSECTION = st.one_of(
    NAME.map(lambda n: _subsection(0, n)),
    st.tuples(st.sampled_from([1, 4, 5, 6, 7, 8, 9, 11]), NAME_MAP).map(lambda t: _subsection(*t)),
    st.tuples(st.sampled_from([2, 3, 10]), st.lists(st.tuples(st.integers(0, 3), NAME_MAP), max_size=2)).map(
        lambda t: _subsection(t[0], leb128_u32(len(t[1])) + b"".join(leb128_u32(i) + m for i, m in t[1]))
    ),
    st.binary(max_size=8),  # anything at all, truncated subsections included
)


def _component_new_accepts(wasm_tools: str, module: bytes, root: Path) -> bool:
    path = root / "candidate.wasm"
    path.write_bytes(module)
    result = subprocess.run([wasm_tools, "component", "new", path, "-o", root / "candidate.component.wasm"],
                            capture_output=True, timeout=60)
    return result.returncode == 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(SUBSECTION, min_size=1, max_size=3))
def test_name_section_verdicts_agree_with_component_new(base, wasm_tools, subsections):
    data, root = base
    module = data + _custom(b"name", b"".join(subsections))
    try:
        ours = check_module(module).ok
    except Wasip2ldError:
        ours = False
    assert ours == _component_new_accepts(wasm_tools, module, root)


# Function name maps past the quick pass's inline reads: indices of one to four LEB128 bytes (rising, or not),
# names of 0 to 300 bytes (a two-byte size), valid UTF-8 or not, and the map cut short or not.
WIDE_INDEX = st.one_of(st.integers(0, 127), st.integers(128, 16383), st.integers(16384, 2**21 - 1), st.integers(2**21, 2**28))
WIDE_NAME = st.one_of(st.text(min_size=0, max_size=150).map(str.encode), st.binary(min_size=120, max_size=300))
WIDE_MAP = st.tuples(st.lists(st.tuples(WIDE_INDEX, WIDE_NAME), min_size=1, max_size=6), st.booleans(), st.booleans())


def _wide_function_names(entries: list[tuple[int, bytes]], sort: bool, cut: bool) -> bytes:
    if sort:
        entries = sorted({i: n for i, n in entries}.items())
    content = leb128_u32(len(entries)) + b"".join(leb128_u32(i) + leb128_u32(len(n)) + n for i, n in entries)
    return _subsection(1, content[:-1] if cut else content)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(WIDE_MAP)
def test_wide_function_name_maps_agree_with_component_new(base, wasm_tools, wide):
    data, root = base
    module = data + _custom(b"name", _wide_function_names(*wide))
    try:
        ours = check_module(module).ok
    except Wasip2ldError:
        ours = False
    assert ours == _component_new_accepts(wasm_tools, module, root)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_corrupted_modules_fail_cleanly(base, data):
    """Flip, drop or insert bytes anywhere: `check` returns a verdict or raises a wasip2ld error."""
    module = bytearray(base[0])
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(module)))
        edit = data.draw(st.sampled_from(["flip", "drop", "insert", "truncate"]))
        if edit == "flip" and at < len(module):
            module[at] ^= data.draw(st.integers(1, 255))
        elif edit == "drop":
            del module[at : at + data.draw(st.integers(1, 16))]
        elif edit == "insert":
            module[at:at] = data.draw(st.binary(min_size=1, max_size=8))
        else:
            del module[at:]
    try:
        check_module(bytes(module))
    except Wasip2ldError as err:
        assert "\n" not in err.message
