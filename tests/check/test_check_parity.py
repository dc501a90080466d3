"""``check_module`` accepts exactly what `wasm-tools component new` accepts for the module shapes outside the
per-function names (wasip2ld.conformance.shapes): unit future/stream built-ins, every world-level async and
threading built-in and its near misses, context slots and their one value type, imported memory with and
without realloc and task hook, the function table `thread.new-indirect` needs. Each shape is built on
wit-component's dummy module for a world with imported and exported interfaces, resources, futures, streams
and async functions, for both manglings and the async ABI, and judged by both tools (also with
`--reject-legacy-names`)."""

from __future__ import annotations

import pytest
from differential import component_new_verdicts, dummy_module

from wasip2ld.check import check_module
from wasip2ld.conformance.shapes import shapes
from wasip2ld.wasm.synth import encode, spec_from_module
from wasip2ld.wit import load_world

WIT = """package t:p@1.0.0;

interface i {
  resource r { constructor(); m: func() -> u32; }
  f: func(x: future<u32>) -> stream<string>;
  g: async func(s: string) -> u32;
  h: func(a: list<u8>) -> list<u8>;
}

interface e {
  resource er { constructor(); }
  ef: func(x: future) -> stream;
  eg: async func(s: string) -> string;
}

world w {
  import i;
  import top: func(x: future<u8>) -> u32;
  import topa: async func() -> stream;
  export e;
  export run: func() -> u32;
  export runa: async func(s: string) -> u32;
}
"""

BASES = {
    "legacy": ("legacy", ()),
    "standard32": ("standard32", ()),
    "async": ("legacy", ("--async-callback",)),
}


@pytest.fixture(scope="module")
def world_wit(tmp_path_factory, toolchain):
    path = tmp_path_factory.mktemp("parity") / "w.wit"
    path.write_text(WIT)
    return path, load_world(path, "w", toolchain=toolchain)


@pytest.mark.parametrize("base_name", list(BASES))
def test_shapes_agree_with_component_new(world_wit, wasm_tools, base_name):
    wit, world = world_wit
    names, extra = BASES[base_name]
    base = spec_from_module(dummy_module(wasm_tools, wit, "w", names, extra))
    cases = shapes(base, world)
    assert len(cases) > 250
    modules = [encode(s.spec) for s in cases]
    disagreements, accepted = [], 0
    for mangling, flags in (("auto", ()), ("standard32", ("--reject-legacy-names",))):
        if mangling == "standard32" and base_name != "standard32":
            continue
        for shape, data, (theirs, error) in zip(
            cases, modules, component_new_verdicts(wasm_tools, modules, flags)
        ):
            ours = check_module(data, world, mangling=mangling)
            accepted += theirs
            if ours.ok != theirs:
                disagreements.append(f"[{shape.category}] {shape.label} (--mangling {mangling}): check "
                                     f"{'accepts' if ours.ok else [d.code for d in ours.errors]}, component new "
                                     f"{'accepts' if theirs else 'rejects: ' + error}")  # fmt: skip
    assert not disagreements, f"{len(disagreements)} disagree:\n" + "\n".join(disagreements[:40])
    assert accepted > 100  # the families are mostly accepted forms, not only near misses


def test_diagnostics_of_new_rules(world_wit, wasm_tools):
    """The codes and hints for the rules beyond names: one context type, the table, slot 2, i64 waits."""
    wit, world = world_wit
    base = spec_from_module(dummy_module(wasm_tools, wit, "w", "legacy"))
    by_label = {s.label: s.spec for s in shapes(base, world)}
    expected = {
        "context-0 i32 + context-1 i64": ("context-type-mismatch", "one type"),
        "TLS base i32 + TLS base i64": ("context-type-mismatch", "one global"),
        "thread.new-indirect without a table": ("missing-table", "--export-table"),
        "$root::[context-get-2]": ("invalid-builtin", "slots, 0 and 1"),
        "$root::[waitable-set-wait-i64]": ("invalid-builtin", "`[waitable-set-wait]`"),
        "env::memory imported twice": ("multiple-memories", "once"),
        "task hook mistyped": ("signature-mismatch", "one i32"),
    }
    for label, (code, hint) in expected.items():
        errors = check_module(encode(by_label[label]), world).errors
        assert [d.code for d in errors] == [code], (label, errors)
        assert hint in (errors[0].hint or ""), (label, errors[0])


def test_imported_memory_is_an_error_only_under_strict(world_wit, wasm_tools):
    wit, world = world_wit
    base = spec_from_module(dummy_module(wasm_tools, wit, "w", "standard32"))
    data = encode(next(s.spec for s in shapes(base, world) if s.label == "env::memory imported"))
    assert check_module(data, world).ok
    strict = check_module(data, world, strict=True)
    assert [d.code for d in strict.errors] == ["missing-memory"]
    assert "BuildTargets.md" in strict.errors[0].message and "cm32p2_memory" in strict.errors[0].message


def test_hints_for_built_in_near_misses(world_wit, wasm_tools):
    wit, world = world_wit
    base = spec_from_module(dummy_module(wasm_tools, wit, "w", "legacy"))
    by_label = {s.label: s.spec for s in shapes(base, world)}
    expected = {
        "$root::[cancellable][thread-yield]": "accepts no `[cancellable]` names: import `[thread-yield]`",
        "[export]$root::[waitable-set-new]": "world-level built-in: import it from `$root`",
        "$root::[task-cancel]": "`[export]$root` or `[export]<interface>`",
        "t:p/i@1.0.0::[async-lower][future-new-unit] (not async-lowerable)": "only to read, write, cancel-read",
    }
    for label, hint in expected.items():
        errors = check_module(encode(by_label[label]), world).errors
        assert [d.code for d in errors] == ["unknown-import"] and hint in (errors[0].hint or ""), (
            label,
            errors,
        )
