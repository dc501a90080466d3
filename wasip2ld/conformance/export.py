"""``export_suite``: write the conformance suite (layout and scoring in ``readme.SUITE_README``).

For every world: its WIT package, the expected core interface (``sig --format json``) per mangling and
async ABI, a canonical module per variant (every import the world allows, every export, memory and
realloc: the `sig` WAT skeleton as a binary), near misses of it (``mutants``) and, for the legacy
variants, the built-in shapes (``shapes``). Each module carries the world in a `component-type` custom
section, as a build target does. Its expected verdict and diagnostic codes are those of
``wasip2ld.check.check_module`` (the policy of `wasm-tools component new`, which the tests hold it to).

The output is deterministic: the same wasip2ld, wasm-tools and jco WIT give the same bytes."""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..abi.expected import ExpectedInterface, expected_interface
from ..abi.formats import render
from ..check import check_module
from ..errors import UsageError
from ..proc import path_arg, run_checked
from ..wasm import read_module
from ..wasm.synth import Item, ModuleSpec, encode
from ..wit import load_world
from ..wit.model import World, WorldFunction, WorldInterface
from .mutants import mutants
from .readme import suite_readme
from .shapes import shapes
from .worlds import SuiteWorld, generated_worlds, newest_releases, wasi_release_worlds, write_wit

FORMAT = "wasip2ld-conformance/1"
MUTANTS_PER_VARIANT = 16
Customs = tuple[tuple[str, bytes], ...]  # custom sections: (name, payload)
SHAPES_PER_WORLD = 48


@dataclass(frozen=True)
class Case:
    module: str  # path relative to the suite root
    world: str  # slug
    variant: str  # legacy, standard32, legacy-async-callback, …
    category: str  # canonical, mutant/<kind>, shape/<family>, feature-gate
    label: str
    verdict: str  # accept | reject
    codes: tuple[str, ...]  # the error codes wasip2ld check reports (reject only)


@dataclass
class _Suite:
    root: Path
    toolchain: object
    worlds: list[dict] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # modules written per world


def export_suite(directory: Path, toolchain: object) -> tuple[int, int]:
    """Write the suite to ``directory`` (created or replaced as a whole); returns (worlds, modules)."""
    directory = Path(directory)
    if directory.exists() and not (directory / "index.json").is_file() and any(directory.iterdir()):
        raise UsageError(f"{directory}: exists and is not a conformance suite",
                         hint="give a new or empty directory, or one an earlier `conformance export` wrote")  # fmt: skip
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
    try:
        suite = _Suite(staging, toolchain)
        for world in suite_worlds(toolchain):
            _export_world(suite, world)
        _write_index(suite)
        _replace(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return len(suite.worlds), len(suite.cases)


def suite_worlds(toolchain: object) -> list[SuiteWorld]:
    wasi_wit = toolchain.path("wasi-wit", "the WASI worlds of the conformance suite")  # type: ignore[attr-defined]
    worlds = [w for release in newest_releases(wasi_wit) for w in wasi_release_worlds(release)]
    return sorted(worlds, key=lambda w: w.slug) + generated_worlds()


def _replace(staging: Path, directory: Path) -> None:
    if not directory.exists():
        staging.rename(directory)
        return
    old = directory.with_name(f".{directory.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    directory.rename(old)
    staging.rename(directory)
    shutil.rmtree(old, ignore_errors=True)


def _export_world(suite: _Suite, sw: SuiteWorld) -> None:
    wit_dir = write_wit(sw, suite.root / "worlds" / sw.slug / "wit")
    world = load_world(wit_dir, sw.world, toolchain=suite.toolchain)
    customs = _component_type(suite, wit_dir, world)
    variants = [("legacy", "sync"), ("standard32", "sync")]
    if _has_async(world):
        variants += [("legacy", "async-callback"), ("legacy", "async-stackful")]
    sigs = {}
    for mangling, abi in variants:
        name = _variant(mangling, abi)
        interface = expected_interface(world, mangling, abi)
        sig = suite.root / "worlds" / sw.slug / f"sig-{name}.json"
        sig.write_text(render(interface, "json"))
        sigs[name] = sig.relative_to(suite.root).as_posix()
        canonical = _canonical(interface, customs)
        _add(suite, sw, world, name, "canonical", "every import and export of the world", canonical)
        for m in mutants(canonical, limit=MUTANTS_PER_VARIANT, seed=f"{sw.slug}/{name}"):
            _add(suite, sw, world, name, f"mutant/{m.category}", m.label, m.spec)
        if mangling == "legacy" and abi != "async-stackful":
            found = shapes(canonical, world)
            for s in random.Random(f"{sw.slug}/{name}/shapes").sample(
                found, min(SHAPES_PER_WORLD, len(found))
            ):
                _add(suite, sw, world, name, f"shape/{s.category}", s.label, s.spec)
    _feature_gates(suite, sw, wit_dir, world, customs)
    suite.worlds.append({"slug": sw.slug, "source": sw.source, "world": world.id, "name": sw.world,
                         "wit": wit_dir.relative_to(suite.root).as_posix(), "sig": sigs})  # fmt: skip


def _feature_gates(suite: _Suite, sw: SuiteWorld, wit_dir: Path, world: World, customs: Customs) -> None:
    """Modules written for the world with every @unstable feature on, checked against the default world."""
    everything = load_world(wit_dir, sw.world, all_features=True, toolchain=suite.toolchain)
    if everything == world:
        return
    for mangling in ("legacy", "standard32"):
        spec = _canonical(expected_interface(everything, mangling), customs)
        _add(
            suite, sw, world, mangling, "feature-gate", "the world with every @unstable feature enabled", spec
        )
        required = [e for e in spec.exports if e.kind != "func" or e.name in _required(world, mangling)]
        _add(suite, sw, world, mangling, "feature-gate", "the gated imports only",
             spec.with_exports(required))  # fmt: skip


def _required(world: World, mangling: str) -> set[str]:
    return {e.name for e in expected_interface(world, mangling).exports if e.required or e.role != "function"}


def _add(suite: _Suite, sw: SuiteWorld, world: World, variant: str, category: str, label: str,
         spec: ModuleSpec) -> None:  # fmt: skip
    data = encode(spec)
    result = check_module(data, world, target="component")
    verdict = "accept" if result.ok else "reject"
    number = suite.counts.get(sw.slug, 0)
    suite.counts[sw.slug] = number + 1
    slug = category.replace("/", "-")
    path = Path(verdict) / sw.slug / f"{number:04d}-{variant}-{slug}.wasm"
    (suite.root / path).parent.mkdir(parents=True, exist_ok=True)
    (suite.root / path).write_bytes(data)
    codes = tuple(dict.fromkeys(d.code for d in result.errors))
    suite.cases.append(Case(path.as_posix(), sw.slug, variant, category, label, verdict, codes))


def _variant(mangling: str, abi: str) -> str:
    return mangling if abi == "sync" else f"{mangling}-{abi}"


def _has_async(world: World) -> bool:
    functions = [i.function for i in world.imports + world.exports if isinstance(i, WorldFunction)]
    functions += [f for i in world.imports + world.exports if isinstance(i, WorldInterface)
                  for f in i.interface.functions]  # fmt: skip
    return any(f.is_async for f in functions)


def _canonical(interface: ExpectedInterface, customs: Customs) -> ModuleSpec:
    imports = {(i.module, i.name): Item(i.name, "func", i.sig, i.module) for i in interface.imports}
    exports = [Item(e.name, e.kind, e.sig) for e in interface.exports]
    return ModuleSpec(tuple(imports.values()), tuple(exports), 1, customs)


def _component_type(suite: _Suite, wit_dir: Path, world: World) -> Customs:
    """The `component-type` custom section(s) `wasm-tools component embed` writes for the world."""
    wasm_tools = suite.toolchain.require("wasm-tools", "embedding worlds in the suite's modules")  # type: ignore[attr-defined]
    with tempfile.TemporaryDirectory(prefix="wasip2ld-embed-") as tmp:
        out = Path(tmp) / "embedded.wasm"
        argv = [*wasm_tools.argv, "component", "embed", "--dummy-names", "legacy", "--world", world.id,
                "-o", path_arg(out), path_arg(wit_dir)]  # fmt: skip
        run_checked(argv, tool="wasm-tools", capture=True)
        module = read_module(out.read_bytes(), str(out))
        return tuple(
            (c.name, bytes(c.data)) for c in module.custom_sections() if c.name.startswith("component-type")
        )


def _write_index(suite: _Suite) -> None:
    cases = [{"module": c.module, "world": c.world, "variant": c.variant, "category": c.category,
              "label": c.label, "verdict": c.verdict, "codes": list(c.codes)} for c in suite.cases]  # fmt: skip
    index = {"format": FORMAT, "generator": f"wasip2ld {__version__}",
             "reference": "wasm-tools component new 1.262", "worlds": suite.worlds, "cases": cases}  # fmt: skip
    (suite.root / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    (suite.root / "README.md").write_text(suite_readme(suite.worlds, suite.cases))
