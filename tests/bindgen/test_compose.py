"""Two components built from separately generated bindings: `provider` exports test:compose/api (records,
variants, enums, flags, options, results, tuples, lists and a resource with a constructor, methods, a
static function, own/borrow handles and a destructor); `consumer` imports it and exports `run`, which
calls everything with assertions written in C. Composed with `wasm-tools compose` and run from wasmtime;
both sides' live heap bytes return to their start. The provider is also called directly from Python."""

from __future__ import annotations

import subprocess

import pytest

from .conftest import COUNTING, DATA, Guest

WIT = DATA / "compose" / "compose.wit"


@pytest.fixture(scope="module")
def built(builder, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("compose")
    parts = {}
    for world in ("provider", "consumer"):
        gen = builder.bindgen(WIT, out / f"gen-{world}", "--world", world)
        sources = [DATA / "compose" / f"{world}.c", gen / f"{world}.c", f"-I{gen}", *COUNTING]
        parts[world] = builder.build(WIT, world, sources, out / f"{world}.wasm")
        parts[f"{world}-module"] = builder.build(WIT, world, sources, out / f"{world}.core.wasm", "--module")
        gen32 = builder.bindgen(WIT, out / f"gen32-{world}", "--world", world, "--mangling", "standard32")
        sources32 = [DATA / "compose" / f"{world}.c", gen32 / f"{world}.c", f"-I{gen32}", *COUNTING]
        parts[f"{world}-standard32"] = builder.build(
            WIT, world, sources32, out / f"{world}32.core.wasm", "--module", "--mangling", "standard32"
        )
    parts["dir"] = out
    return parts


def test_composed_components_pass_c_assertions_on_both_sides_without_leaks(built, wasm_tools):
    composed = built["dir"] / "composed.wasm"
    proc = subprocess.run(
        [wasm_tools, "compose", str(built["consumer"]), "-d", str(built["provider"]), "-o", str(composed)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    guest = Guest(composed, {})
    start = guest("live-bytes")
    assert guest("run", 1) == "ok"
    assert guest("run", 40) == "ok"  # `run` itself checks the provider's live bytes
    assert guest("live-bytes") == start


def test_exported_resource_is_usable_from_python(built):
    guest = Guest(built["provider"], {})
    api = guest.instance.get_export_index(guest.store, "test:compose/api")

    def call(name, *args):
        func = guest.instance.get_func(guest.store, guest.instance.get_export_index(guest.store, name, api))
        result = func(guest.store, *args)
        func.post_return(guest.store)
        return result

    start = call("live-bytes")
    for _ in range(10):
        store = call("[constructor]store", "py")
        entry = call("[method]store.get", store, "nope")
        assert entry is None
        from .conftest import record

        assert call("[method]store.put", store, record(key="k", value=b"\x00\x01")) == 1
        assert call("[method]store.put", store, record(key="k", value=b"")) == "duplicate k"
        got = call("[method]store.get", store, "k")
        assert (got.key, bytes(got.value)) == ("k", b"\x00\x01")
        assert call("[method]store.level", store, {"loud"}) == "high"
        assert call("[method]store.name", store) == "py"
        assert call("count-live") == 1
        store.drop(guest.store)
        assert call("count-live") == 0
    assert call("live-bytes") == start


def test_module_targets_pass_check(built, builder):
    from .conftest import BIN, run

    for world in ("provider", "consumer"):
        for names, key in (("legacy", f"{world}-module"), ("standard32", f"{world}-standard32")):
            out = run([BIN / "wasip2ld", "check", built[key]], builder.env, built["dir"])
            assert f"ok: matches world `test:compose/{world}`, {names} names" in out


@pytest.mark.parametrize("target", ["provider-module", "provider-standard32"])
def test_provider_module_target_serves_the_core_host(built, target):
    import wasip2ld.host
    from wasip2ld.host import Err, Ok

    api = wasip2ld.host.instantiate(built[target], {}).exports["test:compose/api"]
    start = api["live-bytes"]()
    for n in range(10):
        store = api["[constructor]store"](f"core{n}")
        assert api["[method]store.put"](store, {"key": "k", "value": b"\x07" * n}) == Ok(1)
        assert api["[method]store.put"](store, {"key": "k", "value": b""}) == Err("duplicate k")
        assert bytes(api["[method]store.get"](store, "k").value) == b"\x07" * n
        other = api["[constructor]store"]("other")
        merged = api["[static]store.merge"](store, other)  # `other` moves into the call
        assert api["[method]store.name"](merged) == f"core{n}+other"
        assert api["count-live"]() == 2
        assert api["echo"]((2**63, 0.5, "z", -1), ["a"]) == ((2**63, 0.5, "z", -1), ["a"])
        store.drop()
        merged.drop()
        assert api["count-live"]() == 0
    assert api["live-bytes"]() == start
