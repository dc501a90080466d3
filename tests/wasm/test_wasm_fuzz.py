"""Fuzzing the reader with hypothesis: truncated, mutated and extended copies of real modules may only ever
raise WasmParseError (with an offset inside the input), never another exception; and damage confined to code
and data bodies never changes what the reader reports about imports, exports and types."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasip2ld.errors import WasmParseError
from wasip2ld.proc import run_checked
from wasip2ld.wasm import CoreModule, read_module

# the reader takes microseconds per module, so thousands of examples cost a few seconds
DAMAGED_EXAMPLES = 2000
RANDOM_EXAMPLES = 1000
CODE_DAMAGE_EXAMPLES = 200


def fuzz(examples: int) -> settings:
    return settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])


RICH_WAT = r"""(module
  (rec (type $node (sub (struct (field i32) (field (mut i8)) (field (ref null $node)))))
       (type $leaf (sub final $node
          (struct (field i32) (field (mut i8)) (field (ref null $node)) (field i16)))))
  (type $arr (array (mut i64)))
  (type $f (func (param i32 i64 f32 f64 v128 funcref externref anyref (ref null $node))
                 (result i32 (ref func))))
  (type $g (func (param i32)))
  (type $k (cont $g))
  (import "wasi:cli/stdout@0.2.0" "get-stdout" (func (result i32)))
  (import "m" (item "a" (func (type $g))) (item "b" (global (mut i64))) (item "c" (table 1 2 funcref)))
  (import "n" (item "x") (item "y") (func (type $g)))
  (import "env" "mem" (memory i64 1 100 shared))
  (import "env" "tag" (tag (param i32)))
  (table i64 1 externref)
  (table 2 (ref null func) (ref.func $h))
  (memory 1 (pagesize 1))
  (global $a i32 (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))
  (global v128 (v128.const i64x2 11 0x0b0b))
  (global (ref null $node) (struct.new $node (i32.const 1) (i32.const 2) (ref.null none)))
  (global (ref null $arr) (array.new_fixed $arr 2 (i64.const 11) (i64.const -1)))
  (global anyref (ref.i31 (i32.const 11)))
  (global (mut f64) (f64.const 11.5))
  (tag (param i64 f32))
  (func $h (export "h") (type $f) unreachable)
  (func $s)
  (start $s)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (data.drop 0) (i32.const 11))
  (export "memory" (memory 0)) (export "t" (table 1)) (export "g" (global 2)) (export "tag" (tag 1))
  (data "\0b\0b\0b")
  (@custom "component-type:world" "\00asm\0d\00\01\00")
  (@custom "producers" "\0b"))"""


@pytest.fixture(scope="session")
def corpus(wat, c_module, go_module, wasm_tools) -> dict[str, bytes]:
    c_data = run_checked(
        [wasm_tools, "strip", "-d", r"^\.debug"], tool="wasm-tools", capture=True, input=c_module.read_bytes()
    ).stdout
    return {"rich": wat(RICH_WAT), "c": c_data, "go": go_module.read_bytes()}


def read_everything(data: bytes) -> None:
    """Decode every part of ``data`` the reader offers; each may fail only with a WasmParseError."""
    try:
        m = read_module(data, "fuzz.wasm")
    except WasmParseError as err:
        check_error(err, data)
        return
    for part in (
        "types",
        "imports",
        "functions",
        "exports",
        "tables",
        "memories",
        "globals",
        "tags",
        "start",
        "data_count",
    ):
        try:
            text = repr(getattr(m, part))
            assert text
        except WasmParseError as err:
            check_error(err, data)
    for read in (
        lambda: m.custom_sections(),
        lambda: [m.func_type(i) for i in range(min(m.func_count, 3000))],
    ):
        try:
            read()
        except WasmParseError as err:
            check_error(err, data)


def check_error(err: WasmParseError, data: bytes) -> None:
    assert 0 <= err.offset <= len(data), err
    assert str(err).startswith("fuzz.wasm: ") and "\n" not in str(err)


def positions(data: bytes) -> st.SearchStrategy[int]:
    """Mostly the first few KiB, where the header, types, imports and exports are; sometimes anywhere."""
    return st.one_of(st.integers(0, min(len(data), 4096) - 1), st.integers(0, len(data) - 1))


@st.composite
def damaged(draw: st.DrawFn, corpus: dict[str, bytes]) -> bytes:
    data = bytearray(corpus[draw(st.sampled_from(sorted(corpus)))])
    how = draw(st.sampled_from(["truncate", "mutate", "insert", "delete"]))
    if how == "truncate":
        return bytes(data[: draw(positions(data))])
    if how == "mutate":
        for _ in range(draw(st.integers(1, 8))):
            data[draw(positions(data))] = draw(st.integers(0, 255))
    elif how == "insert":
        at = draw(positions(data))
        data[at:at] = draw(st.binary(min_size=1, max_size=16))
    else:
        at = draw(positions(data))
        del data[at : at + draw(st.integers(1, 16))]
    return bytes(data)


def test_damaged_modules_only_raise_wasm_parse_errors(corpus):
    @fuzz(DAMAGED_EXAMPLES)
    @given(damaged(corpus))
    def run(data: bytes) -> None:
        read_everything(data)

    run()


@fuzz(RANDOM_EXAMPLES)
@given(st.binary(max_size=64))
def test_random_bytes_after_a_valid_header(tail):
    read_everything(b"\0asm\x01\0\0\0" + tail)


def summary(m: CoreModule) -> tuple:
    return m.types, m.imports, m.exports, m.functions


def test_damage_inside_code_and_data_changes_nothing_the_reader_reports(corpus):
    originals = {name: summary(read_module(data)) for name, data in corpus.items()}

    @fuzz(CODE_DAMAGE_EXAMPLES)
    @given(st.sampled_from(sorted(corpus)), st.data())
    def run(name: str, draw: st.DataObject) -> None:
        data = bytearray(corpus[name])
        m = read_module(bytes(data))
        bodies = [s for s in m.sections if s.name in ("code", "data") and s.size]
        for _ in range(draw.draw(st.integers(1, 20))):
            body = draw.draw(st.sampled_from(bodies))
            data[draw.draw(st.integers(body.payload_offset, body.end - 1))] = draw.draw(st.integers(0, 255))
        assert summary(read_module(bytes(data))) == originals[name]

    run()
