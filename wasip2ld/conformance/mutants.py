"""Near misses of a module a world accepts: each mutation changes one thing (an export removed or retyped,
an import retyped, a module renamed or re-versioned, memory or realloc dropped, a duplicate, a second
memory, an unknown `cm32p2` export). Most are rejected; some are not (a semver-compatible version, a
duplicate import, an unknown export), which is exactly what a checker must tell apart."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from ..wasm import FuncType
from ..wasm.synth import Item, ModuleSpec

_VERSIONED = re.compile(r"^(?P<head>.*@)(?P<version>[0-9][0-9A-Za-z.+-]*)$")
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$")
_OTHER_TYPE = {"i32": "i64", "i64": "i32", "f32": "i32", "f64": "i64"}
RETYPINGS = ("param", "last-param", "extra-param", "result")


@dataclass(frozen=True)
class Mutant:
    category: str  # the kind of mutation (a key of the conformance index)
    label: str  # what exactly changed
    spec: ModuleSpec


def retyped(t: FuncType, how: str) -> FuncType:
    """``t`` with one change: the first or last parameter's type, one more parameter, or the result arity."""
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
    return FuncType(t.params, ()) if t.results else FuncType(t.params, ("i32",))


def version_bumps(version: str, scheme: str) -> list[tuple[str, str]]:
    """(label, new version) pairs: semver-compatible and incompatible bumps of ``version``."""
    m = _SEMVER.match(version)
    if m is None:  # a canonical standard32 version: 1, 0.2, 0.0.4, 1.2.3-rc
        parts = version.split(".")
        bumped = ".".join(parts[:-1] + [str(int(parts[-1]) + 1)]) if parts[-1].isdigit() else version + "x"
        full = version + ".0" * (3 - len(parts)) if len(parts) < 3 else version + ".1"
        return [("incompatible", bumped), ("full-version", full)]
    major, minor, patch = int(m[1]), int(m[2]), int(m[3])
    out = []
    if m[4]:
        out.append(("incompatible", f"{major}.{minor}.{patch}{m[4]}.9"))
    elif major:
        out += [("compatible", f"{major}.{minor + 1}.0"), ("compatible", f"{major}.0.0"),
                ("incompatible", f"{major + 1}.0.0")]  # fmt: skip
    elif minor:
        out += [("compatible", f"0.{minor}.{patch + 7}"), ("compatible", f"0.{minor}.0"),
                ("incompatible", f"0.{minor + 1}.0")]  # fmt: skip
    else:
        out.append(("incompatible", f"0.0.{patch + 1}"))
    if scheme == "standard32":
        out = [(label + "-full", v) for label, v in out]
    return out


def _part(how: str) -> str:
    return "result" if how == "result" else "param"


def _near_miss(module: str) -> str:
    if "/" in module:
        head, _, rest = module.partition("/")
        return f"{head}/{rest[0]}z{rest[1:]}" if rest else module + "z"
    return module + "z"


def _rename_module(spec: ModuleSpec, old: str, new: str) -> ModuleSpec:
    return spec.with_imports([replace(i, module=new) if i.module == old else i for i in spec.imports])


def _export_mutants(spec: ModuleSpec) -> list[Mutant]:
    out = []
    exports = list(spec.exports)
    for i, e in enumerate(exports):
        others = exports[:i] + exports[i + 1 :]
        out.append(Mutant("export-removed", f"remove export {e.name}", spec.with_exports(others)))
        if e.kind != "func":
            continue
        assert e.type is not None
        for how in RETYPINGS:
            changed = exports[:i] + [replace(e, type=retyped(e.type, how))] + exports[i + 1 :]
            out.append(
                Mutant(
                    f"export-{_part(how)}-retyped", f"{how} of export {e.name}", spec.with_exports(changed)
                )
            )
        renamed = exports[:i] + [replace(e, name=e.name + "x")] + exports[i + 1 :]
        out.append(Mutant("export-renamed", f"near-miss export name {e.name}", spec.with_exports(renamed)))
    return out


def _import_mutants(spec: ModuleSpec) -> list[Mutant]:
    out = []
    imports, exports = list(spec.imports), list(spec.exports)
    for i, imp in enumerate(imports):
        assert imp.type is not None
        item = f"{imp.module}::{imp.name}"
        for how in RETYPINGS:
            changed = imports[:i] + [replace(imp, type=retyped(imp.type, how))] + imports[i + 1 :]
            out.append(
                Mutant(f"import-{_part(how)}-retyped", f"{how} of import {item}", spec.with_imports(changed))
            )
        alone = spec.with_imports([imp])
        out.append(Mutant("memory", f"only import {item}, no memory",
                          alone.with_exports([e for e in exports if e.kind != "memory"])))  # fmt: skip
        out.append(Mutant("realloc", f"only import {item}, no realloc",
                          alone.with_exports([e for e in exports if not e.name.endswith("realloc")])))  # fmt: skip
        out.append(Mutant("duplicate-import", f"duplicate import {item}", spec.with_imports(imports + [imp])))
    for module in dict.fromkeys(i.module for i in imports):
        out.append(
            Mutant(
                "module-renamed", f"rename module {module}", _rename_module(spec, module, _near_miss(module))
            )
        )
        m = _VERSIONED.match(module)
        if m:
            scheme = "standard32" if module.startswith("cm32p2") else "legacy"
            for label, version in version_bumps(m["version"], scheme):
                out.append(Mutant("module-version", f"{label} version of {module} -> {version}",
                                  _rename_module(spec, module, m["head"] + version)))  # fmt: skip
    return out


def mutants(spec: ModuleSpec, *, limit: int, seed: str) -> list[Mutant]:
    """Every mutation kind, sampled down to ``limit`` (deterministically for ``seed``)."""
    exports = list(spec.exports)
    out = _export_mutants(spec) + _import_mutants(spec)
    second = Item("cm32p2_memory" if "memory" in {e.name for e in exports} else "memory", "memory")
    out += [
        Mutant("memory", "no imports, no memory",
               spec.with_imports([]).with_exports([e for e in exports if e.kind != "memory"])),
        Mutant("realloc", "no imports, no realloc",
               spec.with_imports([]).with_exports([e for e in exports if not e.name.endswith("realloc")])),
        Mutant("unknown-export", "unknown cm32p2 export",
               spec.with_exports(exports + [Item("cm32p2||bogus", "func", FuncType())])),
        Mutant("memory", "second memory", spec.with_exports(exports + [second])),
    ]  # fmt: skip
    if len(out) > limit:
        out = random.Random(seed).sample(out, limit)
    return out
