"""The in-process decoder of ``component-type`` sections (``wasip2ld.wit.binary``) against wasm-tools.

Every world is embedded with the real `wasm-tools component embed`; the decoder's world must equal the one
`wasm-tools component wit --json` decodes from the same section (``embedded.wasm_tools_world``), for the
worlds in tests/wit/data, the conformance suite's worlds, every WASI 0.2/0.3 world of jco's WIT and
Hypothesis-generated worlds (sync and async). `check` gives identical results with either world on the
dummy modules of both manglings. Mutated sections show that the decoder never answers where wasm-tools
refuses, nor answers differently: what it does not take goes to wasm-tools. Sizes:
WASIP2LD_BINARY_WORLDS (generated worlds), WASIP2LD_BINARY_MUTANTS (mutated sections).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from wasip2ld.check import check_module
from wasip2ld.conformance.worlds import generated_worlds, newest_releases, wasi_release_worlds, write_wit
from wasip2ld.errors import WitError
from wasip2ld.wasm import read_module
from wasip2ld.wit import load_packages, world_from_module
from wasip2ld.wit.binary import Unsupported, decode_world
from wasip2ld.wit.embedded import SECTION_PREFIX, wasm_tools_world
from wasip2ld.wit.model import World

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "abi"))
from witgen import wit_package  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
WORLDS = int(os.environ.get("WASIP2LD_BINARY_WORLDS", "40"))
MUTANTS = int(os.environ.get("WASIP2LD_BINARY_MUTANTS", "300"))
SETTINGS = settings(deadline=None, suppress_health_check=list(HealthCheck), database=None,
                    phases=[Phase.explicit, Phase.generate])  # fmt: skip


def embedded(wasm_tools: str, wit: Path, world: str, out: Path, *dummy: str) -> bytes:
    """A module carrying ``world``: an empty one, or wit-component's dummy module with ``dummy`` names."""
    argv = [wasm_tools, "component", "embed", str(wit), "-w", world, "-o", str(out)]
    if dummy:
        argv += ["--dummy-names", *dummy]
    else:
        subprocess.run([wasm_tools, "parse", "-o", str(out)], input=b"(module)", check=True)
        argv.append(str(out))
    subprocess.run(argv, check=True, capture_output=True)
    return out.read_bytes()


def payload(module: bytes) -> bytes:
    (section,) = read_module(module).custom_sections(SECTION_PREFIX)
    return bytes(section.data)


def reference(module: bytes, toolchain: object) -> World:
    sections = read_module(module).custom_sections(SECTION_PREFIX)
    return wasm_tools_world(module, sections, "module", toolchain, None)


def assert_decodes_alike(module: bytes, toolchain: object, what: str) -> World:
    decoded = decode_world(payload(module))
    expected = reference(module, toolchain)
    assert decoded == expected, f"{what}: the in-process world differs from wasm-tools'"
    assert [str(i.key) for i in decoded.imports] == [str(i.key) for i in expected.imports], what
    assert [str(i.key) for i in decoded.exports] == [str(i.key) for i in expected.exports], what
    return decoded


@pytest.mark.parametrize("wit", sorted(p.name for p in DATA.glob("*.wit") if p.stem not in ("invalid", "noworld")))
def test_data_worlds(tmp_path, wasm_tools, toolchain, wit):
    source = DATA / wit
    worlds = load_packages(source, toolchain=toolchain).main.worlds
    assert worlds, f"{wit} defines no world"
    for world in worlds:
        module = embedded(wasm_tools, source, world.name, tmp_path / f"{world.name}.wasm")
        assert assert_decodes_alike(module, toolchain, f"{wit} {world.name}") == world


def test_conformance_and_wasi_worlds(tmp_path, wasm_tools, toolchain, need):
    suite = generated_worlds() + [w for r in newest_releases(need("wasi-wit")) for w in wasi_release_worlds(r)]
    assert len(suite) > 20
    for world in suite:
        wit = write_wit(world, tmp_path / world.slug)
        assert_decodes_alike(embedded(wasm_tools, wit, world.world, tmp_path / "m.wasm"), toolchain, world.slug)


def test_every_wasi_world_of_every_release_checks_alike_in_both_manglings(tmp_path, wasm_tools, toolchain, need):
    root = need("wasi-wit")
    releases = sorted(p for p in root.iterdir() if p.is_dir() and p.name[:4] in ("0.2.", "0.3."))
    assert len(releases) >= 2
    compared = 0
    for release in releases:
        for world in wasi_release_worlds(release):
            wit = write_wit(world, tmp_path / world.slug)
            for mangling in ("legacy", "standard32"):
                module = embedded(wasm_tools, wit, world.world, tmp_path / "d.wasm", mangling)
                expected = reference(module, toolchain)
                assert decode_world(payload(module)) == expected, world.slug
                ours = check_module(module, toolchain=toolchain)
                theirs = check_module(module, expected, toolchain=toolchain)
                assert (ours.ok, ours.mangling, ours.diagnostics) == (theirs.ok, theirs.mangling, theirs.diagnostics)
                compared += 1
    assert compared >= 30


def test_generated_worlds(tmp_path_factory, wasm_tools, toolchain):
    decoded: list[World] = []
    refused: list[str] = []

    @settings(SETTINGS, max_examples=WORLDS)
    @given(wit_package(asyncs=False) | wit_package(asyncs=True))
    def check(source: str) -> None:
        path = tmp_path_factory.mktemp("gen") / "gen.wit"
        if (len(decoded) + len(refused)) % 4:  # keep `stream<char>` (which wasm-tools refuses) in every 4th
            source = source.replace("stream<char>", "stream<u8>")
        path.write_text(source)
        module = embedded(wasm_tools, path, "w", path.with_suffix(".wasm"))
        try:
            expected: World | None = reference(module, toolchain)
        except WitError:  # `component embed` writes some worlds its decoder refuses (`stream<char>`)
            expected = None
        if expected is None:
            with pytest.raises(Unsupported):
                decode_world(payload(module))
            refused.append(source)
        else:
            decoded.append(assert_decodes_alike(module, toolchain, "--- WIT ---\n" + source))

    check()
    assert len(decoded) + len(refused) == WORLDS and len(decoded) > WORLDS // 2
    print(f"{len(decoded)} generated worlds decoded alike, {len(refused)} refused by both")


def test_mutated_sections_never_decode_where_wasm_tools_does_not(tmp_path, wasm_tools, toolchain):
    """Byte flips, insertions and cuts of real sections: whenever the decoder answers, wasm-tools gives the
    same world; wherever wasm-tools refuses, the decoder has refused too (so the user sees its message)."""
    bases = [payload(embedded(wasm_tools, DATA / "kitchen.wit", "w", tmp_path / "k.wasm")),
             payload(embedded(wasm_tools, DATA / "small.wit", "w", tmp_path / "s.wasm"))]  # fmt: skip
    rng = random.Random(12)
    outcomes = {"decoded": 0, "refused by both": 0, "left to wasm-tools": 0}
    for index in range(MUTANTS):
        data = bytearray(rng.choice(bases))
        at = rng.randrange(8, len(data))
        choice = rng.randrange(3)
        if choice == 0:
            data[at] ^= 1 << rng.randrange(8)
        elif choice == 1:
            data.insert(at, rng.randrange(256))
        else:
            del data[at : at + rng.randrange(1, 4)]
        source = tmp_path / f"mutant-{index}.wasm"
        source.write_bytes(bytes(data))
        try:
            ours: World | None = decode_world(bytes(data))
        except Unsupported:
            ours = None
        try:
            theirs: World | None = reference(_module_with(bytes(data)), toolchain)
        except WitError:
            theirs = None
        assert ours is None or ours == theirs, f"mutant {index} (at {at}, kind {choice}) decoded differently"
        outcomes["decoded" if ours else "refused by both" if theirs is None else "left to wasm-tools"] += 1
    print(outcomes)
    assert outcomes["decoded"] > 0 and outcomes["refused by both"] > 0


def test_what_the_decoder_leaves_goes_to_wasm_tools(tmp_path, wasm_tools, toolchain):
    module = embedded(wasm_tools, DATA / "small.wit", "w", tmp_path / "m.wasm")
    section = payload(module)
    broken = _module_with(section[:-3])
    with pytest.raises(Unsupported):
        decode_world(payload(broken))
    with pytest.raises(WitError, match="cannot decode the WIT world in its section `component-type"):
        world_from_module(broken, path="m.wasm", toolchain=toolchain)


def _module_with(section: bytes) -> bytes:
    """An empty core module with one ``component-type`` custom section holding ``section``."""
    name = SECTION_PREFIX.encode()
    body = _leb(len(name)) + name + section
    return b"\0asm\x01\0\0\0" + b"\0" + _leb(len(body)) + body


def _leb(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)
