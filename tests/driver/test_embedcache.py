"""The cache of embedded world sections (driver/embedcache.py): a hit gives what `wasm-tools component embed`
gives, and every input of the section (WIT files, world, encoding, the wasm-tools binary) is in its key."""

from __future__ import annotations

import os
import subprocess

import pytest

from wasip2ld.driver import embedcache

WORLD = "package demo:m;\nworld w {\n  export answer: func() -> u32;\n}\n"
LIB = '__attribute__((export_name("answer"))) int answer(void) { return 42; }\n'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WASIP2LD_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def embed(wasm_tools: str, wit, core, out, *extra: str) -> bytes:
    argv = [wasm_tools, "component", "embed", str(wit), str(core), "-o", str(out), *extra]
    subprocess.run(argv, check=True)
    return out.read_bytes()


def test_a_stored_section_is_what_embed_appends_to_any_module(toolchain, tmp_path, cache):
    wasm_tools = str(toolchain.path("wasm-tools"))
    wit = tmp_path / "w.wit"
    wit.write_text(WORLD)
    empty = tmp_path / "empty.wasm"
    empty.write_bytes(b"\0asm\1\0\0\0")
    key = embedcache.key(wasm_tools, str(wit), "w", None)
    assert key is not None and embedcache.lookup(key) is None
    embedded = embed(wasm_tools, wit, empty, tmp_path / "e.wasm", "-w", "w")
    embedcache.remember(key, empty.read_bytes(), embedded)
    other = tmp_path / "other.wasm"  # a module that already carries a world
    other.write_bytes((tmp_path / "e.wasm").read_bytes())
    section = embedcache.lookup(key)
    assert section is not None
    assert other.read_bytes() + section == embed(wasm_tools, wit, other, tmp_path / "o.wasm", "-w", "w")


def test_every_input_is_in_the_key(toolchain, tmp_path, cache):
    wasm_tools = str(toolchain.path("wasm-tools"))
    package = tmp_path / "wit"
    (package / "deps" / "dep").mkdir(parents=True)
    (package / "w.wit").write_text(WORLD)
    dep = package / "deps" / "dep" / "d.wit"
    dep.write_text("package demo:dep;\ninterface i {}\n")
    key = embedcache.key(wasm_tools, str(package), None, None)
    assert key is not None
    assert embedcache.key(wasm_tools, str(package), "w", None) != key
    assert embedcache.key(wasm_tools, str(package), None, "utf16") != key
    dep.write_text("package demo:dep;\ninterface j {}\n")
    assert embedcache.key(wasm_tools, str(package), None, None) != key
    copy = tmp_path / "wasm-tools"
    copy.write_bytes(open(wasm_tools, "rb").read())
    current = embedcache.key(wasm_tools, str(package), None, None)
    assert embedcache.key(str(copy), str(package), None, None) != current
    assert embedcache.key(wasm_tools, str(tmp_path / "missing.wit"), None, None) is None


def test_stale_corrupt_or_foreign_entries_are_ignored(toolchain, tmp_path, cache):
    wasm_tools = str(toolchain.path("wasm-tools"))
    wit = tmp_path / "w.wit"
    wit.write_text(WORLD)
    core = b"\0asm\1\0\0\0"
    section = b"\0\x10\x0ecomponent-type\x00"
    key = embedcache.key(wasm_tools, str(wit), None, None)
    embedcache.remember(key, core, core + section)
    assert embedcache.lookup(key) == section
    wit.write_text(WORLD.replace("u32", "u64"))
    changed = embedcache.key(wasm_tools, str(wit), None, None)
    assert embedcache.lookup(changed) is None  # same entry file, other content: a miss
    [entry] = list(cache.iterdir())
    entry.write_bytes(entry.read_bytes()[:-3])  # truncated
    assert embedcache.lookup(key) is None
    embedcache.remember(key, core, b"\0asm\1\0\0\0\1\1\0" + section)  # embed changed the module: not stored
    assert embedcache.lookup(key) is None


def test_a_warm_link_is_the_linkers_output(sh, clang_cmd, tmp_path, driver_env):
    (tmp_path / "w.wit").write_text(WORLD)
    (tmp_path / "lib.c").write_text(LIB)
    module = ["-mexec-model=reactor", "lib.c", "--module", "--wit", "w.wit"]
    cache = driver_env["WASIP2LD_CACHE_DIR"]
    for name in ("cold", "warm", "ref"):
        os.makedirs(tmp_path / name)
    sh([*clang_cmd, *module, "-o", "ref/out.wasm", "-v"])  # wasip2ld's linker: `wasm-tools component embed`
    for name in ("cold", "warm"):
        sh([*clang_cmd, *module, "-o", f"{name}/out.wasm"])
    assert any(entry.startswith("embed-") for entry in os.listdir(cache))
    reference = (tmp_path / "ref" / "out.wasm").read_bytes()
    assert (tmp_path / "cold" / "out.wasm").read_bytes() == reference
    assert (tmp_path / "warm" / "out.wasm").read_bytes() == reference
