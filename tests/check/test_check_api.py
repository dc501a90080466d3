"""``wasip2ld.check_module``: inputs it takes, the result it returns, the errors it raises, and the hints for
signatures the golden cases do not show (spilled parameters, wide export results)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from wasip2ld.wasm.synth import Item, ModuleSpec, encode, spec_from_module

import wasip2ld
from wasip2ld.check import CODES, CheckResult, Diagnostic
from wasip2ld.errors import UsageError, WasmParseError, WitError
from wasip2ld.proc import run_checked
from wasip2ld.wasm import FuncType
from wasip2ld.wit import load_world

DEMO_WIT = Path(__file__).resolve().parent / "cases" / "valid-legacy" / "world.wit"
WIDE_WIT = """package demo:wide@0.2.0;

interface big {
  variant pv { small(f32), large(u64) }
  spill: func(a: u32, b: u32, c: u32, d: u32, e: u32, f: u32, g: u32, h: u32, i: u32, j: u32, k: u32, l: u32,
              m: u32, n: u32, o: u32, p: u32, q: u64);
  pick: func(v: pv) -> option<f64>;
}

world wide {
  import big;
  export big;
}
"""


def empty_module() -> bytes:
    return encode(ModuleSpec(memories=0))


@pytest.fixture(scope="module")
def demo(tmp_path_factory, wasm_tools, toolchain):
    d = tmp_path_factory.mktemp("api")
    modules = {}
    for mangling in ("legacy", "standard32"):
        out = d / f"{mangling}.wasm"
        argv = [wasm_tools, "component", "embed", "--dummy-names", mangling, str(DEMO_WIT), "-o", str(out)]
        run_checked(argv, tool="wasm-tools")
        modules[mangling] = out
    return modules, load_world(DEMO_WIT, toolchain=toolchain)


def test_paths_and_buffers_give_the_same_result(demo):
    modules, world = demo
    path = modules["legacy"]
    data = path.read_bytes()
    results = [
        wasip2ld.check_module(path, world),
        wasip2ld.check_module(str(path), world),
        wasip2ld.check_module(data, world),
        wasip2ld.check_module(bytearray(data), world),
        wasip2ld.check_module(memoryview(data), world),
    ]
    assert all(isinstance(r, CheckResult) and r.ok and r.diagnostics == () for r in results)
    assert [r.path for r in results] == [str(path), str(path), None, None, None]
    assert {r.mangling for r in results} == {"legacy"}


def test_embedded_world_is_the_default(demo):
    modules, world = demo
    result = wasip2ld.check_module(modules["standard32"])
    assert result.ok and result.mangling == "standard32" and result.world == world
    assert (result.target, result.strict) == ("module", False)  # auto: no WASI p1 imports


def test_the_file_can_change_after_a_check(demo, tmp_path):
    modules, world = demo
    copy = tmp_path / "m.wasm"
    copy.write_bytes(modules["legacy"].read_bytes())
    assert wasip2ld.check_module(copy, world).ok
    copy.write_bytes(b"\0asm\x01\x00\x00\x00")  # the check mapped the file; it must have let go of it
    assert wasip2ld.check_module(copy, world).ok is False
    copy.unlink()


def test_diagnostics_are_frozen_and_serializable(demo):
    modules, world = demo
    spec = spec_from_module(modules["legacy"].read_bytes())
    broken = spec.with_exports([e for e in spec.exports if e.name != "run"])
    result = wasip2ld.check_module(encode(broken), world)
    assert not result.ok and result.count("error") == 1 and result.errors == result.diagnostics
    diagnostic = result.diagnostics[0]
    assert isinstance(diagnostic, Diagnostic) and diagnostic.code in CODES
    with pytest.raises(dataclasses.FrozenInstanceError):
        diagnostic.message = "changed"  # type: ignore[misc]
    assert diagnostic.as_dict()["core_item"] == "run" and diagnostic.as_dict()["notes"] == list(
        diagnostic.notes
    )


def test_mangling_detection_and_restriction(demo):
    modules, world = demo
    legacy = spec_from_module(modules["legacy"].read_bytes())
    mixed = legacy.with_exports(
        [*legacy.exports, Item("cm32p2||run", "func", FuncType(("i32", "i32"), ("i32",)))]
    )
    assert wasip2ld.check_module(encode(mixed), world).mangling == "mixed"
    only_standard = wasip2ld.check_module(modules["legacy"], world, mangling="standard32")
    assert {d.code for d in only_standard.errors} == {
        "mangling-mismatch",
        "missing-export",
        "missing-memory",
        "missing-realloc",
    }
    assert wasip2ld.check_module(modules["standard32"], world, mangling="standard32").ok
    assert wasip2ld.check_module(empty_module(), world, mangling="standard32").mangling == "standard32"


def test_module_target_rejects_p1_and_component_target_checks_the_adapter(demo):
    modules, world = demo
    spec = spec_from_module(modules["legacy"].read_bytes())
    p1 = spec.with_imports(
        [*spec.imports, Item("fd_write", "func", FuncType(("i32",) * 4, ("i32",)), "wasi_snapshot_preview1")]
    )
    as_component = wasip2ld.check_module(encode(p1), world)
    assert as_component.target == "component"  # auto: WASI p1 imports need the adapter
    assert as_component.ok and [d.code for d in as_component.diagnostics] == ["needs-p1-adapter"]
    as_module = wasip2ld.check_module(encode(p1), world, target="module")
    assert [(d.severity, d.code) for d in as_module.diagnostics] == [("error", "needs-p1-adapter")]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"mangling": "cm32p2"}, "unknown mangling `cm32p2`"),
        ({"target": "library"}, "unknown target `library`"),
    ],
)
def test_bad_options_raise_usage_errors(demo, kwargs, message):
    modules, world = demo
    with pytest.raises(UsageError, match=message):
        wasip2ld.check_module(modules["legacy"], world, **kwargs)


def test_inputs_that_cannot_be_checked(demo, tmp_path, wasm_tools):
    modules, world = demo
    component = tmp_path / "c.wasm"
    run_checked(
        [wasm_tools, "component", "new", str(modules["legacy"]), "-o", str(component)], tool="wasm-tools"
    )
    with pytest.raises(UsageError, match="is a WebAssembly component, not a core module"):
        wasip2ld.check_module(component)
    with pytest.raises(UsageError, match="no such file"):
        wasip2ld.check_module(tmp_path / "missing.wasm")
    with pytest.raises(UsageError, match="is a directory"):
        wasip2ld.check_module(tmp_path)
    empty = tmp_path / "empty.wasm"
    empty.write_bytes(b"")
    with pytest.raises(WasmParseError, match="bad magic number"):
        wasip2ld.check_module(empty, world)
    with pytest.raises(WasmParseError, match=r"\(at offset 0x"):
        wasip2ld.check_module(modules["legacy"].read_bytes()[:100], world)
    with pytest.raises(WitError, match="has no `component-type` custom section"):
        wasip2ld.check_module(empty_module())


def test_driver_call_shape(demo, toolchain):
    """How the link driver calls the validator (wasip2ld/driver/validate.py)."""
    modules, _ = demo
    result = wasip2ld.check.check_module(
        modules["legacy"], None, mangling="legacy", target="module", toolchain=toolchain
    )
    assert result.ok and result.target == "module"


# --- hints for signatures ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def wide(tmp_path_factory, wasm_tools, toolchain):
    wit = tmp_path_factory.mktemp("wide") / "wide.wit"
    wit.write_text(WIDE_WIT)
    out = wit.with_suffix(".wasm")
    run_checked(
        [wasm_tools, "component", "embed", "--dummy-names", "legacy", str(wit), "-o", str(out)],
        tool="wasm-tools",
    )
    return spec_from_module(out.read_bytes()), load_world(wit, toolchain=toolchain)


def _retype(spec: ModuleSpec, name: str, new: FuncType, *, export: bool) -> bytes:
    if export:
        return encode(
            spec.with_exports(
                [dataclasses.replace(e, type=new) if e.name == name else e for e in spec.exports]
            )
        )
    return encode(
        spec.with_imports([dataclasses.replace(i, type=new) if i.name == name else i for i in spec.imports])
    )


def test_hint_for_spilled_parameters(wide):
    spec, world = wide
    flat = FuncType(("i32",) * 16 + ("i64",), ())
    result = wasip2ld.check_module(_retype(spec, "spill", flat, export=False), world)
    (d,) = result.errors
    assert d.expected == "(func (param i32))" and d.found == str(flat)
    assert (
        d.hint
        == "the parameters flatten to 17 values, more than 16, so they are passed in memory: one i32 pointer"
    )
    assert "the 17 parameter values → one i32 pointer (more than 16)" in d.notes[0]


def test_hint_for_joined_variant_payloads(wide):
    spec, world = wide
    result = wasip2ld.check_module(
        _retype(spec, "pick", FuncType(("i32", "f32", "i32"), ()), export=False), world
    )
    (d,) = result.errors
    assert d.expected == "(func (param i32 i64 i32))"
    assert d.hint == (
        "core parameter 2 should be i64, not f32: it is `v: pv` (payload value 1: the cases' payloads share it, "
        "i32+f32 join to i32, else i64)"
    )
    assert "v → i32 i64" in d.notes[0]


def test_hint_for_wide_export_results(wide):
    spec, world = wide
    name = "demo:wide/big@0.2.0#pick"
    result = wasip2ld.check_module(
        _retype(spec, name, FuncType(("i32", "i64"), ("i32", "f64")), export=True), world
    )
    (d,) = result.errors
    assert d.core_item == name and d.expected == "(func (param i32 i64) (result i32))"
    assert d.hint == (
        "the result `option<f64>` flattens to 2 values (i32 f64); an export returns results wider than one value "
        "through memory, as one i32 pointer"
    )
