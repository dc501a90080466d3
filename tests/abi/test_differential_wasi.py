"""expected_interface against wit-component's own dummy modules for every world of the WASI 0.2.x and
0.3.x WIT that jco ships, under both manglings (and, for worlds with async functions, the legacy async
ABIs)."""

from __future__ import annotations

from dummy import differences, dummy_module, has_async

from wasip2ld.abi import expected_interface
from wasip2ld.wit import load_packages

ASYNC_FLAGS = {"async-callback": "--async-callback", "async-stackful": "--async-stackful"}


def check_release(release, wasm_tools: str, toolchain) -> tuple[list[str], list[str]]:
    problems, checked = [], []
    for tree in release.packages:
        packages = load_packages(tree, toolchain=toolchain)
        for world in packages.main.worlds:
            for mangling in ("legacy", "standard32"):
                found = differences(
                    expected_interface(world, mangling), dummy_module(wasm_tools, tree, world.id, mangling)
                )
                problems += [f"{world.id} {mangling}: {p}" for p in found]
                checked.append(f"{world.id} {mangling}")
            if not has_async(world):
                continue
            for abi, flag in ASYNC_FLAGS.items():
                dummy = dummy_module(wasm_tools, tree, world.id, "legacy", extra=(flag,))
                found = differences(expected_interface(world, "legacy", abi), dummy, exact_imports=False)
                problems += [f"{world.id} legacy {abi}: {p}" for p in found]
                checked.append(f"{world.id} legacy {abi}")
    return problems, checked


def test_every_wasi_0_2_world_matches_the_dummy_modules(wasi_releases, wasm_tools, toolchain):
    checked_all = []
    for release in (r for r in wasi_releases if r.version.startswith("0.2.")):
        problems, checked = check_release(release, wasm_tools, toolchain)
        assert not problems, "\n".join(problems)
        checked_all += checked
    assert any("wasi:cli/command@0.2" in c for c in checked_all)
    assert any("wasi:http/proxy@0.2" in c for c in checked_all)


def test_every_wasi_0_3_world_matches_the_dummy_modules(wasi_releases, wasm_tools, toolchain):
    checked_all = []
    for release in (r for r in wasi_releases if r.version.startswith("0.3.")):
        problems, checked = check_release(release, wasm_tools, toolchain)
        assert not problems, "\n".join(problems)
        checked_all += checked
    assert any("wasi:http/service@0.3" in c and "async-callback" in c for c in checked_all)
    assert any("wasi:cli/command@0.3" in c and "standard32" in c for c in checked_all)
