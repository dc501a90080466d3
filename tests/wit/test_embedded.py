"""world_from_module: the world a core module carries in its component-type custom sections."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from wasip2ld import world_from_module as api_world_from_module
from wasip2ld.errors import WitError
from wasip2ld.wit import load_world, world_from_module
from wasip2ld.wit.model import WorldFunction, WorldInterface

DATA = Path(__file__).resolve().parent / "data"


def embed(wasm_tools: str, wit: Path, world: str, module: Path, out: Path, *extra: str) -> bytes:
    subprocess.run(
        [wasm_tools, "component", "embed", str(wit), "-w", world, str(module), "-o", str(out), *extra],
        check=True,
    )
    return out.read_bytes()


@pytest.fixture
def empty_module(tmp_path, wasm_tools) -> Path:
    path = tmp_path / "empty.wasm"
    subprocess.run([wasm_tools, "parse", "-o", str(path)], input=b"(module)", check=True)
    return path


@pytest.mark.parametrize(
    "wit,world",
    [
        ("kitchen.wit", "w"),
        ("small.wit", "w"),
        ("async.wit", "w"),
        ("buildtargets.wit", "w"),
        ("nested.wit", "w"),
    ],
)
def test_embedded_world_equals_the_source_world(tmp_path, wasm_tools, toolchain, empty_module, wit, world):
    data = embed(wasm_tools, DATA / wit, world, empty_module, tmp_path / "m.wasm")
    assert world_from_module(data, toolchain=toolchain) == load_world(DATA / wit, world, toolchain=toolchain)


def test_a_dummy_module_with_code_too(tmp_path, wasm_tools, toolchain):
    out = tmp_path / "dummy.wasm"
    subprocess.run(
        [
            wasm_tools,
            "component",
            "embed",
            "--dummy-names",
            "legacy",
            str(DATA / "kitchen.wit"),
            "-o",
            str(out),
        ],
        check=True,
    )
    assert world_from_module(out.read_bytes(), toolchain=toolchain).id == "t:all/w@1.2.3"


def test_several_sections_are_merged(tmp_path, wasm_tools, toolchain, empty_module):
    first = tmp_path / "first.wasm"
    embed(wasm_tools, DATA / "multi.wit", "first", empty_module, first)
    data = embed(wasm_tools, DATA / "multi.wit", "second", first, tmp_path / "both.wasm")
    world = world_from_module(data, toolchain=toolchain)
    assert world.id == "root:root/root"
    assert [i.key.name for i in world.imports if isinstance(i, WorldInterface)] == ["m:multi/greet@0.1.0"]
    assert {i.key.name for i in world.exports} == {"m:multi/greet@0.1.0", "run"}
    assert any(isinstance(i, WorldFunction) for i in world.exports)


def test_a_module_without_a_world(empty_module, toolchain):
    with pytest.raises(WitError, match="empty.wasm: has no `component-type` custom section") as err:
        world_from_module(empty_module.read_bytes(), path=str(empty_module), toolchain=toolchain)
    assert "wasm-tools component embed" in err.value.hint


def test_a_corrupt_section(tmp_path, wasm_tools, toolchain):
    wat = '(module (@custom "component-type:broken" "\\00asm\\0d\\00\\01\\00garbage"))'
    path = tmp_path / "broken.wasm"
    subprocess.run([wasm_tools, "parse", "-o", str(path)], input=wat.encode(), check=True)
    with pytest.raises(
        WitError, match=r"broken.wasm: cannot decode the WIT world in its section `component-type:broken`"
    ):
        world_from_module(path.read_bytes(), path="broken.wasm", toolchain=toolchain)


def test_not_a_module(toolchain):
    from wasip2ld.errors import WasmParseError

    with pytest.raises(WasmParseError):
        world_from_module(b"not wasm at all", path="x.wasm", toolchain=toolchain)


def test_python_api(tmp_path, wasm_tools, empty_module):
    data = embed(wasm_tools, DATA / "small.wit", "w", empty_module, tmp_path / "m.wasm")
    assert api_world_from_module(data).id == "a:b/w@1.2.3"
