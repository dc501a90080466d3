"""Differential testing of ``check_module`` against `wasm-tools component new`: wit-component's dummy module
for a world (`component embed --dummy-names …`) and mutations of it (exports removed, types changed,
modules renamed or re-versioned, memory/realloc removed), each judged by both. ``component new`` runs once
per mutant, two at a time."""

from __future__ import annotations

import random
import re
import sys
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from wasip2ld.wasm.synth import Item, ModuleSpec, encode, spec_from_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "abi"))  # the WIT/ABI tests' helpers
from dummy import dummy_bytes as dummy_module  # noqa: E402,F401  (re-exported for the tests)

from wasip2ld.check import check_module
from wasip2ld.wasm import FuncType
from wasip2ld.wit.model import World

MANGLINGS = ("legacy", "standard32")
_VERSIONED = re.compile(r"^(?P<head>.*@)(?P<version>[0-9][0-9A-Za-z.+-]*)$")
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")


@dataclass(frozen=True)
class Mutant:
    label: str
    data: bytes


def component_new_verdicts(
    wasm_tools: str, modules: list[bytes], extra: tuple[str, ...] = ()
) -> list[tuple[bool, str]]:
    """(accepted, last line of the error) from `wasm-tools component new [extra…]` for each module."""
    with tempfile.TemporaryDirectory(prefix="wasip2ld-mutants-") as tmp:
        paths = []
        for index, data in enumerate(modules):
            path = Path(tmp) / f"m{index}.wasm"
            path.write_bytes(data)
            paths.append(path)

        def verdict(path: Path) -> tuple[bool, str]:
            argv = [
                wasm_tools,
                "component",
                "new",
                str(path),
                "-o",
                str(path.with_suffix(".component")),
                *extra,
            ]
            proc = subprocess.run(argv, capture_output=True, text=True, check=False)
            lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
            if proc.returncode == 101:  # a panic is a rejection too, but note it
                return False, "panic: " + next(
                    (line for line in lines if "panicked" in line), lines[0] if lines else ""
                )
            return proc.returncode == 0, lines[-1] if lines else ""

        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(verdict, paths))


# --- mutations --------------------------------------------------------------------------------------------

_OTHER_TYPE = {"i32": "i64", "i64": "i32", "f32": "i32", "f64": "i64"}


def _retyped(t: FuncType, how: str) -> FuncType:
    if how == "param":
        if t.params:
            return FuncType((_OTHER_TYPE[t.params[0]],) + t.params[1:], t.results)
        return FuncType(("i32",), t.results)
    if how == "last-param":
        if t.params:
            return FuncType(t.params[:-1] + (_OTHER_TYPE[t.params[-1]],), t.results)
        return FuncType(("i64",), t.results)
    if how == "extra-param":
        return FuncType(t.params + ("i32",), t.results)
    return FuncType(t.params, ()) if t.results else FuncType(t.params, ("i32",))  # result arity


def _bumps(version: str, scheme: str) -> list[tuple[str, str]]:
    """(label, new version) pairs: semver-compatible and incompatible bumps of ``version``."""
    m = _SEMVER.match(version)
    if m is None:  # a canonical standard32 version: 1, 0.2, 0.0.4, 1.2.3-rc
        parts = version.split(".")
        out = [
            (
                "incompatible",
                ".".join(parts[:-1] + [str(int(parts[-1]) + 1)]) if parts[-1].isdigit() else version + "x",
            )
        ]
        out.append(("full-version", version + ".0" * (3 - len(parts)) if len(parts) < 3 else version + ".1"))
        return out
    major, minor, patch = int(m[1]), int(m[2]), int(m[3])
    out = []
    if m[4]:
        out.append(("incompatible", f"{major}.{minor}.{patch}{m[4]}.9"))
    elif major:
        out += [
            ("compatible", f"{major}.{minor + 1}.0"),
            ("compatible", f"{major}.0.0"),
            ("incompatible", f"{major + 1}.0.0"),
        ]
    elif minor:
        out += [
            ("compatible", f"0.{minor}.{patch + 7}"),
            ("compatible", f"0.{minor}.0"),
            ("incompatible", f"0.{minor + 1}.0"),
        ]
    else:
        out.append(("incompatible", f"0.0.{patch + 1}"))
    if scheme == "standard32":
        out = [(label + "-full", v) for label, v in out]
    return out


def _near_miss(module: str) -> str:
    if "/" in module:
        head, _, rest = module.partition("/")
        return f"{head}/{rest[0]}z{rest[1:]}" if rest else module + "z"
    return module + "z"


def mutants(spec: ModuleSpec, *, limit: int, seed: str) -> list[tuple[str, ModuleSpec]]:
    """Every mutation kind, sampled down to ``limit`` (deterministically for ``seed``)."""
    out: list[tuple[str, ModuleSpec]] = []
    exports, imports = list(spec.exports), list(spec.imports)
    for i, e in enumerate(exports):
        out.append((f"remove export {e.name}", spec.with_exports(exports[:i] + exports[i + 1 :])))
        if e.kind == "func":
            assert e.type is not None
            for how in ("param", "last-param", "extra-param", "result"):
                changed = replace(e, type=_retyped(e.type, how))
                out.append(
                    (
                        f"{how} of export {e.name}",
                        spec.with_exports(exports[:i] + [changed] + exports[i + 1 :]),
                    )
                )
            out.append(
                (
                    f"near-miss export name {e.name}",
                    spec.with_exports(exports[:i] + [replace(e, name=e.name + "x")] + exports[i + 1 :]),
                )
            )
    for i, imp in enumerate(imports):
        assert imp.type is not None
        for how in ("param", "last-param", "extra-param", "result"):
            changed = replace(imp, type=_retyped(imp.type, how))
            out.append(
                (
                    f"{how} of import {imp.module}::{imp.name}",
                    spec.with_imports(imports[:i] + [changed] + imports[i + 1 :]),
                )
            )
        out.append(
            (
                f"only import {imp.module}::{imp.name}, no memory",
                spec.with_imports([imp]).with_exports([e for e in exports if e.kind != "memory"]),
            )
        )
        out.append(
            (
                f"only import {imp.module}::{imp.name}, no realloc",
                spec.with_imports([imp]).with_exports([e for e in exports if not e.name.endswith("realloc")]),
            )
        )
        out.append((f"duplicate import {imp.module}::{imp.name}", spec.with_imports(imports + [imp])))
    for module in dict.fromkeys(i.module for i in imports):
        out.append((f"rename module {module}", _rename_module(spec, module, _near_miss(module))))
        m = _VERSIONED.match(module)
        if m:
            scheme = "standard32" if module.startswith("cm32p2") else "legacy"
            for label, version in _bumps(m["version"], scheme):
                out.append(
                    (
                        f"{label} version of {module} -> {version}",
                        _rename_module(spec, module, m["head"] + version),
                    )
                )
    out.append(
        (
            "no imports, no memory",
            spec.with_imports([]).with_exports([e for e in exports if e.kind != "memory"]),
        )
    )
    out.append(
        (
            "no imports, no realloc",
            spec.with_imports([]).with_exports([e for e in exports if not e.name.endswith("realloc")]),
        )
    )
    out.append(
        ("unknown cm32p2 export", spec.with_exports(exports + [Item("cm32p2||bogus", "func", FuncType())]))
    )
    out.append(
        (
            "second memory",
            spec.with_exports(
                exports
                + [Item("cm32p2_memory" if "memory" in {e.name for e in exports} else "memory", "memory")]
            ),
        )
    )
    rng = random.Random(seed)
    if len(out) > limit:
        out = rng.sample(out, limit)
    return out


def _rename_module(spec: ModuleSpec, old: str, new: str) -> ModuleSpec:
    return spec.with_imports([replace(i, module=new) if i.module == old else i for i in spec.imports])


# --- the comparison ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    label: str
    ours: bool
    theirs: bool
    their_error: str
    our_errors: tuple[str, ...]

    def __str__(self) -> str:
        ours = "accepts" if self.ours else "rejects"
        theirs = "accepts" if self.theirs else f"rejects ({self.their_error})"
        return f"{self.label}: check {ours} {list(self.our_errors)}, component new {theirs}"


# `check --mangling standard32` is `component new --reject-legacy-names`; auto is the default of both.
REJECT_LEGACY = {"auto": (), "standard32": ("--reject-legacy-names",)}


def compare(wasm_tools: str, world: World, base: bytes, *, limit: int, seed: str,
            mangling: str = "auto") -> tuple[int, list[Disagreement]]:  # fmt: skip
    """Check the dummy module itself and its mutants with both tools; return (cases, disagreements). With
    ``mangling="auto"`` the dummy module must be accepted by both."""
    spec = spec_from_module(base)
    cases = [("dummy module as generated", base), ("dummy module re-encoded", encode(spec))]
    cases += [(label, encode(s)) for label, s in mutants(spec, limit=limit, seed=seed)]
    theirs = component_new_verdicts(wasm_tools, [data for _, data in cases], REJECT_LEGACY[mangling])
    disagreements = []
    for (label, data), (accepted, error) in zip(cases, theirs):
        result = check_module(data, world, mangling=mangling)
        if result.ok != accepted:
            disagreements.append(
                Disagreement(
                    label, result.ok, accepted, error, tuple(f"{d.code}: {d.message}" for d in result.errors)
                )
            )
    if mangling == "auto":
        assert theirs[0][0] and theirs[1][0], (
            f"component new rejects the dummy module: {theirs[0][1] or theirs[1][1]}"
        )
    return len(cases), disagreements
