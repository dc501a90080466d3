"""Round trips of every WIT type through generated worlds (tests/host/worldgen.py), with values from
Hypothesis: the same C forwarder built as module targets under both name schemes runs on wasip2ld.host,
and built as a component runs under wasmtime's component API; every value must come back unchanged from
both. Worlds with fixed-length lists, maps and resources (which wasmtime-py cannot pass) run on the core
host only. Budget: WASIP2LD_ROUNDTRIP_WORLDS worlds per kind (default 3) and WASIP2LD_ROUNDTRIP_EXAMPLES
Hypothesis examples per function (default 15)."""

from __future__ import annotations

import os

import pytest
import wasmtime
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wasmtime import component as cm

from wasip2ld.host import instantiate
from wasip2ld.wit import load_world

from .values import from_wasmtime, same, strategy, to_wasmtime, wasmtime_ambiguous
from .worldgen import forwarder_c, interface, random_wit

WORLDS = int(os.environ.get("WASIP2LD_ROUNDTRIP_WORLDS", "3"))
EXAMPLES = int(os.environ.get("WASIP2LD_ROUNDTRIP_EXAMPLES", "15"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))


def build(sh, clang_cmd, tmp_path, seed: int, extended: bool) -> dict:
    wit = tmp_path / "w.wit"
    wit.write_text(random_wit(seed, extended))
    world = load_world(wit)
    out = {"world": world}
    for scheme in ("legacy", "standard32"):
        source = tmp_path / f"{scheme}.c"
        source.write_text(forwarder_c(world, scheme))
        flags = ["--mangling", scheme, "-Wl,--export-memory=cm32p2_memory"] if scheme == "standard32" else []
        sh([*clang_cmd, "-O1", "-mexec-model=reactor", "--module", "--wit", wit, "--world", "w", *flags,
            source, "-o", f"{scheme}.wasm"], cwd=tmp_path)
        out[scheme] = tmp_path / f"{scheme}.wasm"
    if not extended:
        sh([*clang_cmd, "-O1", "-mexec-model=reactor", "--wit", wit, "--world", "w", tmp_path / "legacy.c",
            "-o", "component.wasm"], cwd=tmp_path)
        out["component"] = tmp_path / "component.wasm"
    return out


def identity(func):
    kept = [i for i, p in enumerate(func.params) if "borrow" not in str(p.type)]
    single = func.result is not None and len(func.params) == 1 and str(func.result) == str(func.params[0].type)

    def echo(*args):
        return args[kept[0]] if single else tuple(args[i] for i in kept)

    return echo


def core_instances(built) -> list:
    world = built["world"]
    host_key, host_funcs = interface(world, "host")
    types_key, _ = interface(world, "types")
    dropped: list = []
    imports = {host_key.name: {f.name: identity(f) for f in host_funcs},
               types_key.name: {"[resource-drop]res": dropped.append}}
    return [instantiate(built[scheme], imports=imports) for scheme in ("legacy", "standard32")]


def expected(func, args):
    return identity(func)(*args)


@pytest.mark.parametrize("seed", range(WORLDS))
def test_generated_worlds_round_trip_on_the_core_host_and_wasmtime(seed, sh, clang_cmd, tmp_path):
    built = build(sh, clang_cmd, tmp_path, 1000 + seed, extended=False)
    legacy, standard = core_instances(built)
    assert (legacy.mangling, standard.mangling) == ("legacy", "standard32")
    engine = wasmtime.Engine()
    linker = cm.Linker(engine)
    world = built["world"]
    host_key, host_funcs = interface(world, "host")
    api_key, api_funcs = interface(world, "api")
    store = wasmtime.Store(engine)
    comp = cm.Component.from_file(engine, str(built["component"]))
    with linker.root() as root, root.add_instance(host_key.name) as host:
        for f in host_funcs:
            host.add_func(f.name, _wasmtime_echo(comp, engine, f))
    instance = linker.instantiate(store, comp)
    api_index = instance.get_export_index(store, api_key.name)
    compared = 0
    for func in api_funcs:
        reference = instance.get_func(store, instance.get_export_index(store, func.name, api_index))
        ftype = reference.type(store)
        comparable = not any(wasmtime_ambiguous(t) for _, t in ftype.params)
        compared += comparable

        @SETTINGS
        @given(st.tuples(*(strategy(p.type) for p in func.params)))
        def round_trip(args):
            want = expected(func, args)
            for inst in (legacy, standard):
                got = inst.exports[api_key.name][func.name](*args)
                assert same(func.result, got, want), (inst.mangling, func.name, args, got)
            if not comparable:
                return
            theirs = reference(store, *(to_wasmtime(t, a) for (_, t), a in zip(ftype.params, args)))
            reference.post_return(store)
            assert same(func.result, from_wasmtime(ftype.result, theirs), want), (func.name, args, theirs)

        round_trip()
    assert compared, "no function of this world could be passed to wasmtime-py"


def _wasmtime_echo(comp, engine, func):
    kept = [i for i, p in enumerate(func.params) if "borrow" not in str(p.type)]
    single = func.result is not None and len(func.params) == 1 and str(func.result) == str(func.params[0].type)

    def echo(store, *args):
        return args[kept[0]] if single else tuple(args[i] for i in kept)

    return echo


@pytest.mark.parametrize("seed", range(WORLDS))
def test_generated_worlds_with_fixed_lists_maps_and_resources_round_trip(seed, sh, clang_cmd, tmp_path):
    built = build(sh, clang_cmd, tmp_path, 2000 + seed, extended=True)
    instances = core_instances(built)
    api_key, api_funcs = interface(built["world"], "api")
    for func in api_funcs:

        @SETTINGS
        @given(st.tuples(*(strategy(p.type) for p in func.params)))
        def round_trip(args):
            want = expected(func, args)
            for inst in instances:
                got = inst.exports[api_key.name][func.name](*args)
                assert same(func.result, got, want), (inst.mangling, func.name, args, got)
                assert inst.live_handles() == 0, "the module kept a handle"

        round_trip()
