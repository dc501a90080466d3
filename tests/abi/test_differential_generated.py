"""expected_interface against wit-component's dummy modules for hypothesis-generated worlds.

Each example is one WIT package whose world has dozens of functions (several interfaces, resources,
inline interfaces, world-level functions and resources), so every wasm-tools call checks many cases:
with the default example counts a run compares a few thousand functions and intrinsics. Set
WASIP2LD_GENERATED_EXAMPLES to change the count.
"""

from __future__ import annotations

import os
from pathlib import Path

from dummy import differences, dummy_module
from hypothesis import HealthCheck, Phase, given, settings
from witgen import wit_package

from wasip2ld.abi import expected_interface
from wasip2ld.wit import load_world

EXAMPLES = int(os.environ.get("WASIP2LD_GENERATED_EXAMPLES", "60"))
# No shrinking: each step costs wasm-tools calls, and a failure already prints its whole WIT source.
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    phases=[Phase.explicit, Phase.generate],
)


def _write(tmp_path_factory, source: str) -> Path:
    path = tmp_path_factory.mktemp("gen") / "gen.wit"
    path.write_text(source)
    return path


def test_generated_worlds_match_the_dummy_modules(tmp_path_factory, wasm_tools, toolchain):
    counted = []

    @SETTINGS
    @given(wit_package(asyncs=False))
    def check(source: str) -> None:
        path = _write(tmp_path_factory, source)
        world = load_world(path, toolchain=toolchain)
        for mangling in ("legacy", "standard32"):
            expected = expected_interface(world, mangling)
            problems = differences(expected, dummy_module(wasm_tools, path, "w", mangling))
            assert not problems, f"{mangling}:\n" + "\n".join(problems) + "\n--- WIT ---\n" + source
            counted.append(len(expected.imports) + len(expected.exports))

    check()
    assert len(counted) == 2 * EXAMPLES and sum(counted) > 20 * EXAMPLES
    print(f"compared {sum(counted)} expected imports/exports in {EXAMPLES} generated worlds")


def test_generated_async_worlds_match_the_dummy_modules(tmp_path_factory, wasm_tools, toolchain):
    counted = []

    @settings(SETTINGS, max_examples=max(1, EXAMPLES // 3))
    @given(wit_package(asyncs=True))
    def check(source: str) -> None:
        path = _write(tmp_path_factory, source)
        world = load_world(path, toolchain=toolchain)
        runs = [
            ("legacy", "sync", ()),
            ("standard32", "sync", ()),
            ("legacy", "async-callback", ("--async-callback",)),
            ("legacy", "async-stackful", ("--async-stackful",)),
        ]
        for mangling, abi, flags in runs:
            expected = expected_interface(world, mangling, abi)
            dummy = dummy_module(wasm_tools, path, "w", mangling, extra=flags)
            problems = differences(expected, dummy, exact_imports=abi == "sync")
            assert not problems, f"{mangling} {abi}:\n" + "\n".join(problems) + "\n--- WIT ---\n" + source
            counted.append(len(dummy.imports) + len(dummy.exports))

    check()
    assert sum(counted) > 0
    print(f"compared {sum(counted)} dummy imports/exports in {len(counted) // 4} generated async worlds")
