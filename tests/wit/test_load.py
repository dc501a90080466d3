"""Loading WIT through `wasm-tools component wit --json`: the model, features, world selection, errors."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from wasip2ld.errors import WitError
from wasip2ld.wit import load_packages, load_world
from wasip2ld.wit.model import (
    Alias,
    Enum,
    FixedListType,
    Flags,
    FutureType,
    Handle,
    ListType,
    MapType,
    OptionType,
    PackageName,
    Primitive,
    Record,
    Resource,
    ResultType,
    StreamType,
    Tuple,
    TypeDef,
    Variant,
    WorldFunction,
    WorldInterface,
    WorldType,
)
from wasip2ld.wit.render import function_text

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def kitchen(toolchain):
    return load_world(DATA / "kitchen.wit", toolchain=toolchain)


def _interface(world, key):
    return next(
        i.interface
        for i in world.imports + world.exports
        if isinstance(i, WorldInterface) and i.key.name == key
    )


def test_every_type_kind(kitchen):
    types = {t.name: t for t in _interface(kitchen, "t:all/types@1.2.3").types}
    kinds = {name: type(t.kind) for name, t in types.items()}
    assert kinds == {
        "point": Record,
        "v": Variant,
        "color": Enum,
        "perms": Flags,
        "alias": Alias,
        "tup": Tuple,
        "lst": ListType,
        "fixed": FixedListType,
        "opt": OptionType,
        "res": ResultType,
        "res2": ResultType,
        "res3": ResultType,
        "res4": ResultType,
        "r": Resource,
        "fut": FutureType,
        "fut0": FutureType,
        "strm": StreamType,
        "m": MapType,
        "ec": Alias,
    }
    assert types["alias"].kind.target is types["point"]
    assert types["fixed"].kind == FixedListType(Primitive("u8"), 4)
    assert types["res3"].kind == ResultType(None, Primitive("u8"))
    assert types["ec"].kind.target == Primitive("error-context")
    assert [c.name for c in types["v"].kind.cases] == ["a", "b", "c"] and types["v"].kind.cases[
        2
    ].type is None
    assert types["r"].owner == "t:all/types@1.2.3" and types["r"].docs == "A resource."
    assert [str(t) for t in (types["tup"].kind.types[1], types["m"])] == ["string", "m"]


def test_functions_and_resources(kitchen):
    iface = _interface(kitchen, "t:all/types@1.2.3")
    ctor, method, static = (
        iface.function("[constructor]r"),
        iface.function("[method]r.m"),
        iface.function("[static]r.s"),
    )
    assert (ctor.kind, method.kind, static.kind) == ("constructor", "method", "static")
    assert ctor.resource is method.resource is iface.type("r")
    assert method.item_name == "m" and static.item_name == "s" and ctor.item_name == "constructor"
    assert method.params[0].name == "self" and method.params[0].type.kind == Handle("borrow", iface.type("r"))
    assert function_text(static) == "[static]r.s: func(x: borrow<r>) -> r"
    assert (
        function_text(iface.function("asy")) == "asy: async func(s: string) -> u32"
        and iface.function("asy").is_async
    )
    user = _interface(kitchen, "t:all/user@1.2.3")
    assert user.type("r").kind == Alias(iface.type("r"))  # `use types.{r}`
    assert function_text(user.function("f")) == "f: func(p: point, x: r) -> list<point>"


def test_stability_and_docs(kitchen):
    iface = _interface(kitchen, "t:all/types@1.2.3")
    assert iface.docs == "Shared types."
    assert iface.function("sincef").stability.since == "1.0.0"
    assert iface.function("deprec").stability.deprecated == "1.1.0"
    assert iface.function("gated") is None  # @unstable(feature = foo) is off by default
    assert [i.key.name for i in kitchen.imports if isinstance(i, WorldFunction)] == ["top", "[method]wr.m"]


def test_world_items(kitchen):
    assert kitchen.id == "t:all/w@1.2.3" and kitchen.package == PackageName("t", "all", "1.2.3")
    assert [(type(i).__name__, i.key.name, i.key.is_interface_id) for i in kitchen.imports] == [
        ("WorldInterface", "t:all/types@1.2.3", True),
        ("WorldInterface", "j", False),
        ("WorldType", "wr", False),
        ("WorldType", "wt", False),
        ("WorldFunction", "top", False),
        ("WorldFunction", "[method]wr.m", False),
    ]
    j = _interface(kitchen, "j")
    assert j.name is None and j.id is None and j.functions[0].name == "g"
    wr = next(i.type for i in kitchen.imports if isinstance(i, WorldType) and i.key.name == "wr")
    assert wr.owner == "world t:all/w@1.2.3" and isinstance(wr.kind, Resource)
    assert [i.key.name for i in kitchen.exports] == ["run", "t:all/user@1.2.3"]


@pytest.mark.parametrize(
    "features,all_features,present",
    [
        ((), False, set()),
        (("foo",), False, {"gated"}),
        (("bar",), False, {"k"}),
        ((), True, {"gated", "k"}),
    ],
)
def test_features(toolchain, features, all_features, present):
    world = load_world(
        DATA / "kitchen.wit", features=features, all_features=all_features, toolchain=toolchain
    )
    names = {f.name for f in _interface(world, "t:all/types@1.2.3").functions}
    names |= {i.key.name for i in world.imports}
    assert {"gated", "k"} & names == present
    if "gated" in present:
        assert _interface(world, "t:all/types@1.2.3").function("gated").stability.unstable_feature == "foo"


def test_feature_names_are_checked(toolchain):
    with pytest.raises(WitError, match="`Foo Bar` is not a WIT feature name"):
        load_world(DATA / "kitchen.wit", features=("Foo Bar",), toolchain=toolchain)


def test_the_single_world_is_the_default(toolchain):
    assert load_world(DATA / "small.wit", toolchain=toolchain).id == "a:b/w@1.2.3"


def test_several_worlds_need_a_choice(toolchain):
    with pytest.raises(WitError, match="has 2 worlds; choose one with --world") as err:
        load_world(DATA / "multi.wit", toolchain=toolchain)
    assert err.value.hint == "available worlds: m:multi/first@0.1.0, m:multi/second@0.1.0"
    assert load_world(DATA / "multi.wit", "second", toolchain=toolchain).id == "m:multi/second@0.1.0"
    assert load_world(DATA / "multi.wit", "m:multi/first", toolchain=toolchain).id == "m:multi/first@0.1.0"
    assert load_world(DATA / "multi.wit", "m:multi/first@0.1.0", toolchain=toolchain).name == "first"


def test_unknown_world(toolchain):
    with pytest.raises(WitError, match="no world named `third` in package `m:multi@0.1.0`") as err:
        load_world(DATA / "multi.wit", "third", toolchain=toolchain)
    assert "m:multi/first@0.1.0" in err.value.hint


@pytest.mark.parametrize("bad", ["m:multi", "m:multi/", "m:multi@0.1.0/first", "/first"])
def test_malformed_world_names(toolchain, bad):
    with pytest.raises(WitError, match="is not a world name|no world"):
        load_world(DATA / "multi.wit", bad, toolchain=toolchain)


def test_nested_packages_and_versions(toolchain):
    packages = load_packages(DATA / "nested.wit", toolchain=toolchain)
    assert str(packages.main.name) == "top:main@1.0.0"  # not the last package of the JSON
    assert sorted(str(p.name) for p in packages.packages) == ["top:main@1.0.0", "z:dep", "z:dep@2.0.0"]
    with pytest.raises(WitError, match="ambiguous: several versions are present"):
        load_world(DATA / "nested.wit", "z:dep/zw", toolchain=toolchain)
    world = load_world(DATA / "nested.wit", "z:dep/zw@2.0.0", toolchain=toolchain)
    assert world.imports[0].interface.functions[0].params[0].name == "x"


def test_main_package_of_a_directory_whose_dependencies_depend_on_it(tmp_path, toolchain):
    (tmp_path / "deps" / "user").mkdir(parents=True)
    (tmp_path / "main.wit").write_text("package a:main;\ninterface i { f: func(); }\nworld w { import i; }\n")
    (tmp_path / "deps" / "user" / "u.wit").write_text("package a:user;\nworld u { import a:main/i; }\n")
    packages = load_packages(tmp_path, toolchain=toolchain)
    assert str(packages.main.name) == "a:main" and str(packages.packages[-1].name) == "a:user"
    assert load_world(tmp_path, toolchain=toolchain).id == "a:main/w"


def test_no_world(toolchain):
    with pytest.raises(WitError, match="package `a:empty` defines no world"):
        load_world(DATA / "noworld.wit", toolchain=toolchain)


def test_invalid_wit_names_the_place(toolchain):
    with pytest.raises(WitError) as err:
        load_world(DATA / "invalid.wit", toolchain=toolchain)
    assert err.value.message.endswith("invalid.wit:4:14: name `strin` does not exist")
    assert err.value.hint == "at: f: func(a: strin);" and err.value.exit_code == 2


def test_missing_source(tmp_path, toolchain):
    with pytest.raises(WitError, match="no such file or directory"):
        load_world(tmp_path / "nope.wit", toolchain=toolchain)


def test_a_binary_wit_package_gives_the_same_model(tmp_path, wasm_tools, toolchain):
    binary = tmp_path / "kitchen.wasm"
    subprocess.run(
        [wasm_tools, "component", "wit", "--wasm", str(DATA / "kitchen.wit"), "-o", str(binary)], check=True
    )
    from_binary = load_world(binary, toolchain=toolchain)
    assert from_binary == load_world(DATA / "kitchen.wit", toolchain=toolchain)


def test_types_are_shared_values(kitchen):
    """A named type used in several places is one object; anonymous types compare by structure."""
    iface = _interface(kitchen, "t:all/types@1.2.3")
    point = iface.type("point")
    user_f = _interface(kitchen, "t:all/user@1.2.3").function("f")
    assert user_f.params[0].type.kind.target is point
    assert TypeDef(None, ListType(Primitive("u8"))) == TypeDef(None, ListType(Primitive("u8")))
