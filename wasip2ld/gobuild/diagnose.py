"""Comparing the module Go built with the world, reported at the Go source that caused each difference.

The built module says what is really imported and exported, with the core types cmd/compile chose (an
unused `//go:wasmimport` is not linked and so never checked); the directives found in the package sources
say where each name came from. Only differences wit-component would also reject are errors; an export
that matches nothing in the world is a warning (wit-component ignores it, so it is probably a typo).
"""
from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal, Sequence

from ..abi.expected import ExpectedExport, ExpectedImport, ExpectedInterface
from ..abi.formats.go import describe, go_declaration
from ..wasm import CoreModule, FuncType
from .directives import WasmDirective

P1_MODULE = "wasi_snapshot_preview1"
# Exports that Go's linker, its runtime or wasip2ld itself provide.
_INFRASTRUCTURE = {"_start", "_initialize", "memory", "cabi_realloc_adapter"}


@dataclass(frozen=True)
class GoDiagnostic:
    """One problem, at a Go source position when one is known. ``expected`` holds the Go declaration the
    world wants (directive line and signature); ``declared`` the signature as written."""

    severity: Literal["error", "warning"]
    message: str
    path: Path | None = None
    line: int | None = None
    expected: tuple[str, ...] = ()
    declared: str | None = None
    notes: tuple[str, ...] = ()

    def render(self, cwd: Path | None = None, fallback: str = "wasip2ld") -> str:
        """``main.go:12:1: error: …`` and indented ``declared:``/``expected:`` lines."""
        where = fallback
        if self.path is not None:
            where = f"{_display_path(self.path, cwd)}:{self.line or 1}:1"
        lines = [f"{where}: {self.severity}: {self.message}"]
        if self.declared:
            lines.append(f"    declared: {self.declared}")
        for i, text in enumerate(self.expected):
            lines.append(("    expected: " if i == 0 else "              ") + text)
        lines += [f"    note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class SourceIndex:
    """The directives of the packages being built and where a missing export should be reported."""

    directives: tuple[WasmDirective, ...]
    main_path: Path | None = None
    main_line: int | None = None

    def import_directive(self, module: str, name: str) -> WasmDirective | None:
        return next((d for d in self.directives if d.kind == "wasmimport" and (d.module, d.name) == (module, name)), None)

    def export_directive(self, name: str) -> WasmDirective | None:
        return next((d for d in self.directives if d.kind == "wasmexport" and d.name == name), None)


def diagnose(module: CoreModule, expected: ExpectedInterface, sources: Callable[[], SourceIndex], *,
             provided: Sequence[str] = ()) -> list[GoDiagnostic]:  # fmt: skip
    """Every difference between ``module`` and ``expected``; ``sources`` is called only if there is one.
    ``provided`` names exports wasip2ld adds itself (the ``wasi:cli/run`` of a command)."""
    problems: list[tuple[str, object, object]] = []
    for imp in module.imports:
        if imp.kind != "func" or imp.module == P1_MODULE:
            continue
        want = expected.import_named(imp.module, imp.name) or _semver_compatible(expected, imp.module, imp.name)
        if want is None:
            problems.append(("unknown-import", imp, None))
        elif imp.type != want.sig:
            problems.append(("import-type", imp, want))
    exported = {e.name: e for e in module.exports}
    for exp in module.exports:
        if exp.kind != "func" or exp.name in _INFRASTRUCTURE:
            continue
        want_export = expected.export_named(exp.name)
        if want_export is not None and want_export.sig is not None and exp.type != want_export.sig:
            problems.append(("export-type", exp, want_export))
        elif want_export is None and _looks_like_world_export(exp.name):
            problems.append(("unknown-export", exp, None))
    for want_export in expected.exports:
        if want_export.kind == "func" and want_export.name not in exported and want_export.name not in provided:
            if want_export.required or (want_export.role == "realloc" and _realloc_used(want_export, module, exported)):
                problems.append(("missing-export", None, want_export))
    if not problems:
        return []
    index = sources()
    return [_diagnostic(kind, found, want, expected, index) for kind, found, want in problems]  # type: ignore[arg-type]


def _diagnostic(kind: str, found, want, expected: ExpectedInterface, index: SourceIndex) -> GoDiagnostic:
    if kind in ("import-type", "unknown-import"):
        directive = index.import_directive(found.module, found.name)
        label = f"//go:wasmimport {found.module} {found.name}"
    elif kind == "missing-export":
        return _missing_export(want, index, expected)
    else:
        directive = index.export_directive(found.name)
        label = f"//go:wasmexport {found.name}"
    where = {"path": directive.path, "line": directive.line} if directive else {}
    declared = directive.signature if directive and directive.func else None
    func_name = directive.func if directive else None
    if kind in ("import-type", "export-type"):
        return GoDiagnostic(
            "error", f"{label}: core type {_core(found.type)} does not match the world's {_core(want.sig)} "
            f"({describe(want)})", expected=tuple(go_declaration(want, func_name)), declared=declared, **where,
        )  # fmt: skip
    if kind == "unknown-import":
        return GoDiagnostic("error", f"{label}: world {expected.world.id} has no such import",
                            declared=declared, notes=_import_suggestions(found.module, found.name, expected), **where)  # fmt: skip
    return GoDiagnostic("warning", f"{label}: matches no export of world {expected.world.id}; it will not be reachable",
                        declared=declared, notes=_export_suggestions(found.name, expected), **where)  # fmt: skip


def _missing_export(want: ExpectedExport, index: SourceIndex, expected: ExpectedInterface) -> GoDiagnostic:
    where = {"path": index.main_path, "line": index.main_line} if index.main_path else {}
    if want.role == "realloc":
        message = (f"the world passes strings or lists into Go ({', '.join(want.needed_by[:3])}), so the module "
                   f"must export `{want.name}`, and nothing does")  # fmt: skip
        notes = ("`wasip2ld sig --format go` writes a cabi_realloc that pins what it allocates",)
    else:
        message = f"world {expected.world.id} exports {describe(want)}, but no //go:wasmexport {want.name} was found"
        notes = _near_misses(want.name, index)
    return GoDiagnostic("error", message, expected=tuple(go_declaration(want)), notes=notes, **where)  # type: ignore[arg-type]


def _realloc_used(realloc: ExpectedExport, module: CoreModule, exported: dict) -> bool:
    """cabi_realloc is needed once an import that returns a string or list is linked, or an export that
    takes one is present."""
    used = {f"{i.module}::{i.name}" for i in module.imports} | set(exported)
    return any(user in used for user in realloc.needed_by)


def _semver_compatible(expected: ExpectedInterface, module: str, name: str) -> ExpectedImport | None:
    """wit-component's legacy names accept an interface version on the same semver track as the world's."""
    base, _, version = module.partition("@")
    if not version:
        return None
    for want in expected.imports:
        other_base, _, other_version = want.module.partition("@")
        if want.name == name and other_base == base and _track(other_version) == _track(version):
            return want
    return None


def _track(version: str) -> tuple[str, ...]:
    """The part of a version that must agree: major (>= 1), major.minor (0.x), all of 0.0.x and of
    prereleases."""
    core = version.split("+")[0]
    parts = core.split(".")
    if "-" in core or len(parts) != 3:
        return (core,)
    major, minor, patch = parts
    return (major,) if major != "0" else (major, minor) if minor != "0" else (major, minor, patch)


def _looks_like_world_export(name: str) -> bool:
    return "#" in name or name.startswith(("cabi_post_", "cm32p2")) or name.endswith("_post")


def _import_suggestions(module: str, name: str, expected: ExpectedInterface) -> tuple[str, ...]:
    same_module = [i.name for i in expected.imports if i.module == module]
    if same_module:
        close = difflib.get_close_matches(name, same_module, n=1)
        if close:
            return (f"did you mean `{close[0]}`? ({module} has {', '.join(same_module[:6])})",)
        return (f"{module} has {', '.join(same_module[:6])}{', …' if len(same_module) > 6 else ''}",)
    modules = sorted({i.module for i in expected.imports})
    close = difflib.get_close_matches(module, modules, n=1)
    if close:
        return (f"did you mean the interface `{close[0]}`?",)
    return (f"the world imports from: {', '.join(modules[:6])}" if modules else "the world has no imports",)


def _export_suggestions(name: str, expected: ExpectedInterface) -> tuple[str, ...]:
    names = [e.name for e in expected.exports if e.role == "function"]
    close = difflib.get_close_matches(name, names, n=1)
    return (f"did you mean `{close[0]}`?",) if close else ()


def _near_misses(name: str, index: SourceIndex) -> tuple[str, ...]:
    exports = [d for d in index.directives if d.kind == "wasmexport"]
    close = difflib.get_close_matches(name, [d.name for d in exports], n=1)
    for d in exports:
        if close and d.name == close[0]:
            return (f"{_display_path(d.path, None)}:{d.line} exports `{d.name}`: a typo?",)
    return ()


def _core(sig: FuncType | None) -> str:
    return str(sig) if sig is not None else "(none)"


def _display_path(path: Path, cwd: Path | None) -> str:
    cwd = cwd or Path.cwd()
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)
