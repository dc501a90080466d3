"""The Canonical ABI host (wasip2ld.host) on real module targets: the calc and shapes examples built by
wasip2-clang, called with Python values, compared with wasmtime's component API running the same C code
built as a component; wrong Python values; guests that break the ABI (hand-written WAT)."""

from __future__ import annotations

import wasmtime
import pytest

from wasip2ld.host import Err, LinkError, Ok, Record, Resource, Trap, Variant, instantiate

SHAPES_IFACE = "demo:shapes/geometry@0.1.0"


def test_python_api_example_from_the_docs(calc):
    from wasip2ld.host import instantiate, Ok, Err  # the import line docs/python-api.md shows

    logs = []
    inst = instantiate(calc, imports={"demo:calc/log@1.0.0": {"log": logs.append}})
    assert inst.exports["add"](2, 3) == 5
    assert inst.exports["greet"]("Ann") == "Hello, Ann"
    assert inst.exports["parse"]("4x") == Err("bad")
    assert inst.exports["parse"]("4000000000") == Ok(4000000000)
    assert inst.exports["add"](2**31 - 1, 1) == -(2**31)
    assert logs == ["greet called"]
    assert inst.mangling == "legacy"


def test_wrong_python_values_name_the_wit_parameter(calc):
    inst = instantiate(calc, imports={"demo:calc/log@1.0.0": {"log": print}})
    with pytest.raises(TypeError, match=r"add: parameter `b` \(s32\): expected int \(s32\), got str"):
        inst.exports["add"](1, "2")
    with pytest.raises(ValueError, match=r"parameter `a` \(s32\): 2147483648 is out of range for s32"):
        inst.exports["add"](2**31, 0)
    with pytest.raises(TypeError, match=r"greet: parameter `name` \(string\): expected str, got bytes"):
        inst.exports["greet"](b"Ann")
    with pytest.raises(TypeError, match=r"add\(\) takes 2 argument\(s\) \(a, b\), got 1"):
        inst.exports["add"](1)


def test_missing_import_is_a_link_error_naming_it(calc):
    with pytest.raises(LinkError, match=r"no implementation for the import `demo:calc/log@1.0.0` `log`"):
        instantiate(calc)


def _shapes_module(path):
    logs: list[str] = []
    inst = instantiate(path, imports={"demo:shapes/host@0.1.0": {"log": logs.append}})
    return inst, inst.exports[SHAPES_IFACE], logs


def test_shapes_module_standard32_every_type(shapes):
    inst, geo, logs = _shapes_module(shapes / "shapes.module.wasm")
    assert inst.mangling == "standard32"
    assert geo["greet"]("core") == "Hello, core!"
    assert geo["sum"]([5, -7, 40, 2**31 - 1]) == 2**31 + 37
    assert geo["area"](Variant("circle", 2)) == 12
    assert geo["area"](Variant("rect", {"x": 3, "y": -4})) == 12
    assert geo["area"](Variant("nothing")) == 0
    assert geo["find"](["x", "needle", "y"], "needle") == 1
    assert geo["find"](["x"], "q") is None
    parsed = geo["parse-point"]("7,8")
    assert isinstance(parsed, Ok) and parsed.value.x == 7 and parsed.value == {"x": 7, "y": 8}
    assert geo["parse-point"]("oops") == Err("expected `x,y`, got oops")

    class P:  # any object with the fields is a record going in
        x, y = 1, 2

    assert geo["translate"](P(), 10, 20) == Record({"x": 11, "y": 22})
    counter = geo["[constructor]counter"](40)
    assert isinstance(counter, Resource)
    assert geo["[method]counter.bump"](counter, 2) == 42
    assert inst.live_handles() == 0  # the module's own handle moved to the host
    counter.drop()
    assert logs == ["greet called", "counter created at 40", "counter dropped"]
    with pytest.raises(ValueError, match="already dropped"):
        geo["[method]counter.bump"](counter, 1)


def test_shapes_matches_wasmtime_component_api(shapes):
    """The same C code: the module target under this host, the component under wasmtime.component."""
    from wasmtime import component as cm

    engine = wasmtime.Engine()
    linker = cm.Linker(engine)
    component_logs: list[str] = []
    with linker.root() as root, root.add_instance("demo:shapes/host@0.1.0") as host:
        host.add_func("log", lambda store, message: component_logs.append(message))
    store = wasmtime.Store(engine)
    comp = linker.instantiate(store, cm.Component.from_file(engine, str(shapes / "shapes.component.wasm")))
    iface = comp.get_export_index(store, SHAPES_IFACE)

    def reference(name, *args):
        func = comp.get_func(store, comp.get_export_index(store, name, iface))
        result = func(store, *args)
        func.post_return(store)
        return result

    _, geo, logs = _shapes_module(shapes / "shapes.module.wasm")
    for text in ("wasm", "ünï☃de", "x" * 5000):
        assert geo["greet"](text) == reference("greet", text)
    for values in ([], [1], [-(2**31), 2**31 - 1, 7] * 100):
        assert geo["sum"](values) == reference("sum", values)
    for hay, needle in ((["a", "bb"], "bb"), ([], "x"), (["q"] * 50 + ["z"], "z")):
        assert geo["find"](hay, needle) == reference("find", hay, needle)
    for text in ("1,2", "-5,99", "1,", "2147483648,0"):
        mine, theirs = geo["parse-point"](text), reference("parse-point", text)
        if isinstance(mine, Ok):
            assert (mine.value.x, mine.value.y) == (theirs.x, theirs.y)
        else:
            assert mine.value == theirs
    assert logs == component_logs
    # shapes.c frees the pointer realloc gave for an empty string (its `align`): both engines trap.
    with pytest.raises(Trap, match="out of bounds memory access"):
        geo["greet"]("")
    with pytest.raises(wasmtime.WasmtimeError, match="out of bounds memory access"):
        reference("greet", "")


BAD_WIT = """
package t:bad;
interface res { resource r; }
interface api {
  enum e { a, b }
  get-char: func() -> char;
  get-string: func() -> string;
  get-enum: func() -> e;
  get-list: func() -> list<u32>;
  bad-drop: func();
  boom: func();
  take: func(x: own<r>);
  use res.{r};
}
world bad { import res; export api; }
"""

BAD_WAT = r"""
(module
  (import "t:bad/res" "[resource-drop]r" (func $drop (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\ff\fe")
  (data (i32.const 32) "\10\00\00\00\02\00\00\00")          ;; string at 16, 2 bytes: invalid utf-8
  (data (i32.const 48) "\f0\ff\ff\ff\04\00\00\00")          ;; list at 0xfffffff0: out of bounds
  (func (export "t:bad/api#get-char") (result i32) (i32.const 0xd800))
  (func (export "t:bad/api#get-string") (result i32) (i32.const 32))
  (func (export "t:bad/api#get-enum") (result i32) (i32.const 5))
  (func (export "t:bad/api#get-list") (result i32) (i32.const 48))
  (func (export "t:bad/api#bad-drop") (call $drop (i32.const 7)))
  (func (export "t:bad/api#boom") unreachable)
  (func (export "t:bad/api#take") (param i32) (call $drop (local.get 0)))
)
"""


def test_guest_values_that_break_the_abi_trap(tmp_path):
    (tmp_path / "bad.wit").write_text(BAD_WIT)
    dropped = []
    inst = instantiate(wasmtime.wat2wasm(BAD_WAT), wit=tmp_path / "bad.wit", world="bad",
                       imports={"t:bad/res": {"[resource-drop]r": dropped.append}})
    api = inst.exports["t:bad/api"]
    for name, message in (("get-char", "invalid char: code point 0xd800"),
                          ("get-string", "invalid utf-8 in a string"),
                          ("get-enum", "invalid discriminant 5 for e"),
                          ("get-list", "out of bounds"),
                          ("bad-drop", "unknown handle index 7"),
                          ("boom", "unreachable")):
        with pytest.raises(Trap, match=message):
            api[name]()
    host_object = object()
    api["take"](host_object)  # an own handle of a host resource: the module drops it, the host's drop runs
    assert dropped == [host_object] and inst.live_handles() == 0


def test_dummy_modules_link_under_both_manglings(tmp_path, wasm_tools):
    """wit-component's dummy module for a world: every import resolves, every export is found."""
    import subprocess

    (tmp_path / "bad.wit").write_text(BAD_WIT)
    for mangling in ("legacy", "standard32"):
        out = tmp_path / f"{mangling}.wasm"
        subprocess.run([wasm_tools, "component", "embed", "--dummy-names", mangling, tmp_path / "bad.wit",
                        "-w", "bad", "-o", out], check=True)
        inst = instantiate(out, imports={"t:bad/res": {}})
        assert inst.mangling == mangling
        assert sorted(inst.exports["t:bad/api"]) == sorted(
            ["get-char", "get-string", "get-enum", "get-list", "bad-drop", "boom", "take"])
        with pytest.raises(Trap, match="unreachable"):
            inst.exports["t:bad/api"]["get-char"]()


def test_host_code_cannot_reenter_the_module_during_an_import(calc):
    holder = {}

    def log(message):
        holder["inst"].exports["add"](1, 2)  # the module is mid-call: re-entering it is refused

    holder["inst"] = instantiate(calc, imports={"demo:calc/log@1.0.0": {"log": log}})
    with pytest.raises(Trap, match="add: cannot enter the module while it is calling the host"):
        holder["inst"].exports["greet"]("x")
