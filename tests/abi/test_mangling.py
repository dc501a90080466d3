"""The two name schemes: interface-name canonicalization (BuildTargets.md), the BuildTargets.md worked
example, and the legacy names (spec §3.4/§3.6) on real worlds resolved by wasm-tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasip2ld.abi import canonical_interface_name, canonical_version, expected_interface
from wasip2ld.errors import UsageError
from wasip2ld.wasm import FuncType
from wasip2ld.wit import load_world
from wasip2ld.wit.model import WorldKey

DATA = Path(__file__).resolve().parent.parent / "wit" / "data"


@pytest.mark.parametrize(
    "version,canonical",
    [
        ("1.2.3+alpha", "1"),  # the four BuildTargets.md examples
        ("0.1.2+alpha", "0.1"),
        ("0.0.1+alpha", "0.0.1"),
        ("1.2.3-nightly+alpha", "1.2.3-nightly"),
        ("0.2.12", "0.2"),
        ("10.20.30", "10"),
        ("0.0.0", "0.0.0"),
        ("0.3.0-rc-2026-02-09", "0.3.0-rc-2026-02-09"),
        ("2.0.0-rc.1", "2.0.0-rc.1"),
    ],
)
def test_canonical_version(version, canonical):
    assert canonical_version(version) == canonical


@pytest.mark.parametrize("bad", ["1.2", "01.2.3", "1.2.3-", "v1.2.3", ""])
def test_canonical_version_rejects_non_semver(bad):
    with pytest.raises(ValueError, match="semver"):
        canonical_version(bad)


@pytest.mark.parametrize(
    "key,canonical",
    [
        (WorldKey("wasi:cli/environment@0.2.12", True), "wasi:cli/environment@0.2"),
        (WorldKey("a:b/c@1.2.3+alpha", True), "a:b/c@1"),
        (WorldKey("a:b/c", True), "a:b/c"),
        (WorldKey("j"), "j"),
    ],
)
def test_canonical_interface_name(key, canonical):
    assert canonical_interface_name(key) == canonical


def test_buildtargets_worked_example(toolchain):
    """BuildTargets.md's example world (as corrected in wasm-tools' cm32-names test)."""
    ei = expected_interface(load_world(DATA / "buildtargets.wit", toolchain=toolchain), "standard32")
    assert {i.module for i in ei.imports} == {
        "cm32p2",
        "cm32p2|ns:pkg/i@0.2",
        "cm32p2|j",
        "cm32p2|_ex_ns:pkg/i@0.2",
        "cm32p2|_ex_j",
    }
    exports = {e.name: e for e in ei.exports}
    assert exports["cm32p2||g"].sig == FuncType((), ("i32",)) and exports["cm32p2||g"].required
    assert exports["cm32p2||g_post"].sig == FuncType(("i32",), ()) and not exports["cm32p2||g_post"].required
    assert exports["cm32p2|ns:pkg/i@0.2|frob"].sig == FuncType(("i32",), ("i32",))  # BT's typo corrected
    assert exports["cm32p2|j|r_dtor"].sig == FuncType(("i32",), ())  # likewise
    for name in (
        "cm32p2|ns:pkg/i@0.2|[constructor]r",
        "cm32p2|ns:pkg/i@0.2|[method]r.m",
        "cm32p2|ns:pkg/i@0.2|r_dtor",
    ):
        assert name in exports
    assert [(e.name, e.kind) for e in ei.exports[-3:]] == [
        ("cm32p2_memory", "memory"),
        ("cm32p2_realloc", "func"),
        ("cm32p2_initialize", "func"),
    ]
    assert ei.import_named("cm32p2", "f").sig == FuncType(("i32",), ())  # string result: return pointer
    assert ei.import_named("cm32p2|_ex_j", "r_new").sig == FuncType(("i32",), ("i32",))


def test_legacy_names_of_the_spec_example(toolchain):
    """Spec §3.6: `import x; export x; import top; export run` in package a:b@1.2.3."""
    ei = expected_interface(load_world(DATA / "small.wit", toolchain=toolchain), "legacy")
    assert [(i.module, i.name, i.role) for i in ei.imports] == [
        ("a:b/x@1.2.3", "[method]r.m", "function"),
        ("a:b/x@1.2.3", "y", "function"),
        ("a:b/x@1.2.3", "[resource-drop]r", "resource-drop"),
        ("$root", "top", "function"),
        ("[export]a:b/x@1.2.3", "[resource-drop]r", "resource-drop"),
        ("[export]a:b/x@1.2.3", "[resource-new]r", "resource-new"),
        ("[export]a:b/x@1.2.3", "[resource-rep]r", "resource-rep"),
    ]
    assert [e.name for e in ei.exports] == [
        "run",
        "cabi_post_run",
        "a:b/x@1.2.3#[method]r.m",
        "cabi_post_a:b/x@1.2.3#[method]r.m",
        "a:b/x@1.2.3#y",
        "cabi_post_a:b/x@1.2.3#y",
        "a:b/x@1.2.3#[dtor]r",
        "memory",
        "cabi_realloc",
        "_initialize",
    ]
    assert [e.name for e in ei.required_exports] == [
        "run",
        "a:b/x@1.2.3#[method]r.m",
        "a:b/x@1.2.3#y",
        "memory",
        "cabi_realloc",
    ]


def test_standard32_names_of_the_spec_example(toolchain):
    ei = expected_interface(load_world(DATA / "small.wit", toolchain=toolchain), "standard32")
    assert {(i.module, i.name) for i in ei.imports} == {
        ("cm32p2|a:b/x@1", "y"),
        ("cm32p2|a:b/x@1", "[method]r.m"),
        ("cm32p2|a:b/x@1", "r_drop"),
        ("cm32p2", "top"),
        ("cm32p2|_ex_a:b/x@1", "r_drop"),
        ("cm32p2|_ex_a:b/x@1", "r_new"),
        ("cm32p2|_ex_a:b/x@1", "r_rep"),
    }
    assert {e.name for e in ei.exports} == {
        "cm32p2||run",
        "cm32p2||run_post",
        "cm32p2|a:b/x@1|y",
        "cm32p2|a:b/x@1|y_post",
        "cm32p2|a:b/x@1|[method]r.m",
        "cm32p2|a:b/x@1|[method]r.m_post",
        "cm32p2|a:b/x@1|r_dtor",
        "cm32p2_memory",
        "cm32p2_realloc",
        "cm32p2_initialize",
    }


def test_memory_and_realloc_say_who_needs_them(toolchain):
    ei = expected_interface(load_world(DATA / "small.wit", toolchain=toolchain), "legacy")
    memory, realloc = ei.export_named("memory"), ei.export_named("cabi_realloc")
    assert memory.required and "a:b/x@1.2.3::y" in memory.needed_by and "a:b/x@1.2.3#y" in memory.needed_by
    assert realloc.required and realloc.needed_by == ("a:b/x@1.2.3#y",)  # lifting y's string argument


def test_world_level_resources_and_async_names(toolchain):
    world = load_world(DATA / "async.wit", toolchain=toolchain)
    ei = expected_interface(world, "legacy", "async-callback")
    assert ei.import_named("a:c/x@0.2.0", "[async-lower]f").sig == FuncType(("i32", "i32", "i32"), ("i32",))
    assert ei.import_named("a:c/x@0.2.0", "g").role == "function"  # sync functions stay sync
    assert ei.import_named("[export]a:c/x@0.2.0", "[task-return]h").sig == FuncType(("i32", "i32"), ())
    assert ei.import_named("$root", "[future-read-0]top").sig == FuncType(("i32", "i32"), ("i32",))
    assert ei.import_named("[export]a:c/x@0.2.0", "[stream-write-0]g").sig == FuncType(
        ("i32", "i32", "i32"), ("i32",)
    )
    callback = ei.export_named("[callback][async-lift]run")
    assert callback.required and callback.for_export == "[async-lift]run"
    stackful = expected_interface(world, "legacy", "async-stackful")
    assert stackful.export_named("[async-lift-stackful]a:c/x@0.2.0#h").sig == FuncType(("i32",) * 5, ())


def test_standard32_has_no_async_names(toolchain):
    world = load_world(DATA / "async.wit", toolchain=toolchain)
    with pytest.raises(UsageError, match="standard32 mangling has no names for the async ABI"):
        expected_interface(world, "standard32", "async-callback")
    sync = expected_interface(world, "standard32")  # async functions lowered and lifted synchronously
    assert sync.import_named("cm32p2|a:c/x@0.2", "f").sig == FuncType(("i32", "i32"), ("i32",))


def test_unknown_mangling_is_a_usage_error(toolchain):
    world = load_world(DATA / "small.wit", toolchain=toolchain)
    with pytest.raises(UsageError, match="unknown name mangling `standard64`") as err:
        expected_interface(world, "standard64")
    assert "standard32" in err.value.hint
