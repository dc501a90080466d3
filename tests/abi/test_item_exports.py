"""``expected_item_exports`` (what the validator builds instead of the whole interface when it looks up a
module's exports) lists the world items' exports exactly as ``expected_interface`` does — all of its exports
but the module's memory, realloc and ``_initialize`` — for worlds with exported functions, interfaces,
resources and async functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasip2ld.abi.expected import expected_interface, expected_item_exports
from wasip2ld.wit import load_packages

DATA = Path(__file__).resolve().parent.parent / "wit" / "data"


@pytest.mark.parametrize("wit", ["kitchen.wit", "async.wit", "buildtargets.wit", "multi.wit", "small.wit"])
def test_item_exports_alone_match_the_whole_interface(wit, toolchain):
    worlds = load_packages(DATA / wit, toolchain=toolchain).main.worlds
    compared = 0
    for world in worlds:
        for mangling in ("legacy", "standard32"):
            whole = expected_interface(world, mangling).exports
            assert [e.role for e in whole[-3:]] == ["memory", "realloc", "initialize"]
            assert expected_item_exports(world, mangling) == whole[:-3]
            compared += len(whole) - 3
    assert compared > 0
