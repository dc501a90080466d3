"""The catalog answers a check's lookups from partial tables (one import module at a time; the world items'
exports without the import tables). Each answer must be the one the whole ``expected_interface`` gives, for
every name it lists and for names it does not, over the WASI 0.2/0.3 worlds and the test worlds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from wasi_worlds import wasi_worlds

from wasip2ld.abi.expected import expected_interface
from wasip2ld.check.catalog import Catalog
from wasip2ld.wit import load_packages, load_world

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "abi"))
from witgen import wit_package  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "wit" / "data"
SCHEMES = ("legacy", "standard32")


@pytest.fixture(scope="module")
def all_worlds(toolchain, need, tmp_path_factory):
    found = wasi_worlds(need("wasi-wit"), tmp_path_factory.mktemp("wasi-wit"), toolchain)
    worlds = [load_world(w.package_dir, w.world, toolchain=toolchain) for w in found]
    for wit in ("kitchen.wit", "async.wit", "buildtargets.wit", "multi.wit", "small.wit", "nested.wit"):
        worlds += load_packages(DATA / wit, toolchain=toolchain).main.worlds
    assert len(worlds) >= 20
    return worlds


def test_partial_import_tables_answer_as_the_whole_interface(all_worlds):
    assert _compare_imports(all_worlds) > 1000


def _compare_imports(worlds) -> int:
    compared = 0
    for world in worlds:
        for scheme in SCHEMES:
            whole = expected_interface(world, scheme)
            catalog = Catalog(world)
            modules = {i.module for i in whole.imports}
            for module in sorted(modules):
                for name in [i.name for i in whole.imports if i.module == module] + ["no-such-function"]:
                    assert catalog.sync_import(scheme, module, name) == whole.import_named(module, name), (world.id, module, name)  # fmt: skip
                    compared += 1
            assert catalog.sync_import(scheme, "no:such/module", "f") is None
            # a fresh catalog has built none of the whole tables for these lookups
            assert "legacy" not in catalog.__dict__ and "standard" not in catalog.__dict__
    return compared


def test_partial_export_tables_answer_as_the_whole_interface(all_worlds):
    assert _compare_exports(all_worlds) >= 200


def _compare_exports(worlds) -> int:
    compared = 0
    for world in worlds:
        whole = {scheme: expected_interface(world, scheme) for scheme in SCHEMES}
        catalog = Catalog(world)
        for scheme in SCHEMES:
            item_names = [e.name for e in whole[scheme].exports if e.role not in ("memory", "realloc", "initialize")]
            for name in item_names + ["_start", "no-such-export"]:
                assert catalog.sync_export(scheme, name) == whole[scheme].export_named(name), (world.id, name)
                compared += 1
            functions = tuple(e for e in whole[scheme].exports if e.role == "function")
            assert catalog.function_exports(scheme) == functions
        assert "legacy" not in catalog.__dict__ and "standard" not in catalog.__dict__
        assert catalog.export_pairs == tuple(zip(catalog.function_exports("legacy"), catalog.function_exports("standard32")))  # fmt: skip
        for scheme in SCHEMES:  # the module's own exports come from the whole table, needed_by and all
            for e in whole[scheme].exports:
                if e.role in ("memory", "realloc", "initialize"):
                    assert catalog.sync_export(scheme, e.name) == e
    return compared


@settings(max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])  # fmt: skip
@given(text=wit_package(asyncs=True))
def test_generated_worlds_partial_tables_answer_as_the_whole_interface(tmp_path_factory, toolchain, text):
    """Generated worlds: functions of every type, resources in imports and exports, async functions."""
    wit = tmp_path_factory.mktemp("gen") / "world.wit"
    wit.write_text(text.replace("stream<char>", "stream<u8>"))  # wasm-tools takes no `stream<char>` yet
    world = load_world(wit, "w", toolchain=toolchain)
    _compare_imports([world])
    _compare_exports([world])
