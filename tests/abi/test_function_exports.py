"""``expected_function_exports`` (what the validator builds for the scheme a module does not use) lists the
function exports exactly as ``expected_interface`` does, for worlds with exported functions, interfaces,
resources and async functions."""

from __future__ import annotations

from pathlib import Path

import pytest

from wasip2ld.abi.expected import expected_function_exports, expected_interface
from wasip2ld.wit import load_packages

DATA = Path(__file__).resolve().parent.parent / "wit" / "data"


@pytest.mark.parametrize("wit", ["kitchen.wit", "async.wit", "buildtargets.wit", "multi.wit", "small.wit"])
def test_function_exports_alone_match_the_whole_interface(wit, toolchain):
    worlds = load_packages(DATA / wit, toolchain=toolchain).main.worlds
    compared = 0
    for world in worlds:
        for mangling in ("legacy", "standard32"):
            whole = tuple(e for e in expected_interface(world, mangling).exports if e.role == "function")
            assert expected_function_exports(world, mangling) == whole
            compared += len(whole)
    assert compared > 0
