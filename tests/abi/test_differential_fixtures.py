"""expected_interface against wit-component's dummy modules for the hand-written WIT of tests/wit/data
(includes, `use` at world level, an interface both imported and exported, nested packages, gated items)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dummy import differences, dummy_module, has_async

from wasip2ld.abi import expected_interface
from wasip2ld.wit import load_world

DATA = Path(__file__).resolve().parent.parent / "wit" / "data"
CASES = [
    ("kitchen.wit", "w", ()),
    ("kitchen.wit", "w", ("--all-features",)),
    ("small.wit", "w", ()),
    ("buildtargets.wit", "w", ()),
    ("include.wit", "w", ()),
    ("include.wit", "base", ()),
    ("multi.wit", "second", ()),
    ("nested.wit", "w", ()),
    ("nested.wit", "z:dep/zw@2.0.0", ()),
    ("async.wit", "w", ()),
]


@pytest.mark.parametrize("wit,world,flags", CASES, ids=[f"{c[0]}:{c[1]}{''.join(c[2])}" for c in CASES])
def test_fixture_worlds_match_the_dummy_modules(wasm_tools, toolchain, wit, world, flags):
    chosen = load_world(DATA / wit, world, all_features="--all-features" in flags, toolchain=toolchain)
    runs = [("legacy", "sync", ()), ("standard32", "sync", ())]
    if has_async(chosen):
        runs += [
            ("legacy", "async-callback", ("--async-callback",)),
            ("legacy", "async-stackful", ("--async-stackful",)),
        ]
    for mangling, abi, extra in runs:
        dummy = dummy_module(wasm_tools, DATA / wit, world, mangling, extra=(*flags, *extra))
        problems = differences(expected_interface(chosen, mangling, abi), dummy, exact_imports=abi == "sync")
        assert not problems, f"{mangling} {abi}:\n" + "\n".join(problems)
