"""A guest cannot crash the host: whatever bytes a module returns (Hypothesis fills its return area and
the memory around it), lifting yields a value or raises the Canonical ABI's trap, never another Python
exception; a realloc handing out misaligned or out-of-bounds memory traps too."""

from __future__ import annotations

import pytest
import wasmtime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasip2ld.host import Trap, instantiate

TYPES = [
    "list<string>", "option<char>", "result<list<u16>, string>", "v", "fl", "rec", "tuple<bool, char, f32>",
    "list<list<u8>>", "option<option<e>>", "list<tuple<string, s64>>",
]  # fmt: skip

WIT = """
package t:garbage;
interface types {
  variant v { a(string), b(list<u32>), c, d(f64) }
  flags fl { x, y, z }
  enum e { p, q, r }
  record rec { name: string, tags: list<e>, ok: bool }
}
world w {
  use types.{v, fl, rec, e};
""" + "".join(f"  export get{i}: func() -> tuple<{t}, u32>;\n" for i, t in enumerate(TYPES)) + """
  export put: func(s: string) -> u32;
  export put-list: func(l: list<u32>) -> u32;
}
"""

WAT = """
(module
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.load (i32.const 4096)))
  (func (export "put") (param i32 i32) (result i32) (local.get 1))
  (func (export "put-list") (param i32 i32) (result i32) (local.get 1))
""" + "".join(f'  (func (export "get{i}") (result i32) (i32.const 1024))\n' for i in range(len(TYPES))) + ")"

WORDS = st.one_of(st.integers(0, 3), st.sampled_from([0, 1, 2, 3, 4, 1024, 1028, 2048, 4095, 65532, 65536, 2**31, 2**32 - 1]),
                  st.integers(0, 2**32 - 1), st.integers(0, 300))


@pytest.fixture(scope="module")
def inst(tmp_path_factory):
    wit = tmp_path_factory.mktemp("garbage") / "w.wit"
    wit.write_text(WIT)
    return instantiate(wasmtime.wat2wasm(WAT), wit=wit, world="w")


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.integers(0, len(TYPES) - 1), st.lists(WORDS, min_size=16, max_size=16), st.binary(min_size=256, max_size=256))
def test_any_return_area_lifts_or_traps(inst, which, words, noise):
    memory = inst.memory
    memory.write(0, noise * 16)  # the first 4 KiB: what small pointers point at
    memory.write(1024, b"".join(w.to_bytes(4, "little") for w in words))
    try:
        inst.exports[f"get{which}"]()
    except Trap:
        pass


@pytest.mark.parametrize("export,arg,pointer,message", [
    ("put", "abcd", 65534, "out of bounds"),
    ("put", "abcd", 2**32 - 1, "out of bounds"),
    ("put-list", [1, 2], 4098, "not 4-byte aligned"),
    ("put-list", [1, 2], 65532, "out of bounds"),
])
def test_a_realloc_handing_out_bad_memory_traps(inst, export, arg, pointer, message):
    inst.memory.write(4096, pointer.to_bytes(4, "little"))  # what the module's realloc returns
    with pytest.raises(Trap, match=f"realloc result: .*{message}"):
        inst.exports[export](arg)
    inst.memory.write(4096, (8192).to_bytes(4, "little"))
    assert inst.exports[export](arg) == len(arg)


GROW_WIT = """
package t:grow;
world w {
  import note: func(s: string);
  export grow-then-call: func(pages: u32, tag: string);
}
"""

GROW_WAT = r"""
(module
  (import "$root" "note" (func $note (param i32 i32)))
  (memory (export "memory") 1)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 64))
  (func (export "grow-then-call") (param $pages i32) (param i32 i32) (local $at i32)
    (local.set $at (i32.mul (memory.grow (local.get $pages)) (i32.const 65536)))
    (i32.store (local.get $at) (i32.const 0x6b6f))                 ;; "ok" at the start of the new pages
    (call $note (local.get $at) (i32.const 2)))
)
"""


def test_memory_grown_by_the_guest_is_seen_by_an_import(tmp_path):
    (tmp_path / "w.wit").write_text(GROW_WIT)
    notes = []
    inst = instantiate(wasmtime.wat2wasm(GROW_WAT), imports={"note": notes.append}, wit=tmp_path / "w.wit", world="w")
    for pages in (1, 3):
        inst.exports["grow-then-call"](pages, "x")  # lowering "x" looks at the memory before it grows
    assert notes == ["ok", "ok"]
