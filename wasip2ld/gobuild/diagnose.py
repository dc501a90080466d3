"""The validator's verdict on the module Go built, reported at the Go source that caused each problem.

``wasip2ld.check`` compares the module with the world (with the core types cmd/compile chose: an unused
`//go:wasmimport` is not linked and so never checked). Each of its diagnostics names a core import
(``module::name``) or export; here that name is traced back to the `//go:wasmimport`/`//go:wasmexport`
directive in the package sources, and the Go declaration the world expects is added. Problems with no
directive (a missing export, a missing ``cabi_realloc``) are reported at ``func main``.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..abi.expected import ExpectedExport, ExpectedImport, ExpectedInterface
from ..abi.formats.go import describe, go_declaration
from ..check import Diagnostic
from .directives import WasmDirective

P1_MODULE = "wasi_snapshot_preview1"
_AT_MAIN = {"missing-export", "missing-realloc", "missing-memory"}
_SUBJECT = re.compile(r"^(?:import|export) `[^`]*`:? ")  # the directive line already names the item
_BUILD_A_COMPONENT = (
    "build a component instead (drop --module): the WASI p1 adapter turns these imports into WASI 0.2 ones"
)
_OTHER_SCHEME = ("the standard32 name", "the legacy name")  # Go code names items one way


@dataclass(frozen=True)
class GoDiagnostic:
    """One problem, at a Go source position when one is known. ``expected`` holds the Go declaration the
    world wants (directive line and signature); ``declared`` the signature as written."""

    severity: Literal["error", "warning", "note"]
    message: str
    path: Path | None = None
    line: int | None = None
    expected: tuple[str, ...] = ()
    declared: str | None = None
    notes: tuple[str, ...] = ()
    code: str | None = None

    def render(self, cwd: Path | None = None, fallback: str = "wasip2ld") -> str:
        """``main.go:12:1: error: …`` and indented ``declared:``/``expected:``/``note:`` lines."""
        where = fallback
        if self.path is not None:
            where = f"{display_path(self.path, cwd)}:{self.line or 1}:1"
        lines = [f"{where}: {self.severity}: {self.message}"]
        if self.declared:
            lines.append(f"    declared: {self.declared}")
        for i, text in enumerate(self.expected):
            lines.append(("    expected: " if i == 0 else "              ") + text)
        lines += [f"    note: {note}" for note in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class SourceIndex:
    """The directives of the packages being built and where a problem without a directive is reported."""

    directives: tuple[WasmDirective, ...]
    main_path: Path | None = None
    main_line: int | None = None

    def import_directive(self, module: str, name: str) -> WasmDirective | None:
        return next(
            (d for d in self.directives if d.kind == "wasmimport" and (d.module, d.name) == (module, name)),
            None,
        )

    def export_directive(self, name: str) -> WasmDirective | None:
        return next((d for d in self.directives if d.kind == "wasmexport" and d.name == name), None)


def go_diagnostics(found: tuple[Diagnostic, ...], expected: ExpectedInterface,
                   sources: Callable[[], SourceIndex], *, display: str) -> list[GoDiagnostic]:  # fmt: skip
    """The validator's errors and warnings as Go diagnostics, sorted by file and line. ``sources`` is
    called only when there is something to report; ``display`` names the output in p1 messages."""
    shown = [d for d in found if d.severity in ("error", "warning")]
    if not shown:
        return []
    index = sources()
    mapped = [_map(d, expected, index, display) for d in shown]
    return sorted(mapped, key=lambda g: (g.path is None, str(g.path or ""), g.line or 0))


def _map(d: Diagnostic, expected: ExpectedInterface, index: SourceIndex, display: str) -> GoDiagnostic:
    if d.code == "needs-p1-adapter":
        return _p1_in_module(d, display)
    module, name = _split_core_item(d.core_item)
    directive = None
    if module is not None:
        directive = index.import_directive(module, name)
    elif name is not None:
        directive = index.export_directive(name)
    want = _expected_item(expected, d, module, name)
    where: dict[str, object] = {}
    if directive is not None:
        where = {"path": directive.path, "line": directive.line}
    elif d.code in _AT_MAIN and index.main_path is not None:
        where = {"path": index.main_path, "line": index.main_line}
    message = _message(d, directive, want)
    declaration = (
        tuple(go_declaration(want, directive.func if directive else None)) if want is not None else ()
    )
    notes = [n for n in d.notes if not n.startswith(_OTHER_SCHEME)] + (
        [d.hint] if d.hint and not declaration else []
    )
    if d.code == "missing-export" and name is not None:
        notes += _near_misses(name, index)
    return GoDiagnostic(
        d.severity,
        message,
        expected=declaration,
        notes=tuple(notes),
        code=d.code,  # type: ignore[arg-type]
        declared=directive.signature if directive is not None and directive.func else None,
        **where,
    )  # type: ignore[arg-type]


def _message(
    d: Diagnostic, directive: WasmDirective | None, want: ExpectedImport | ExpectedExport | None
) -> str:
    if d.code == "signature-mismatch" and d.expected and d.found:
        subject = directive.directive_text if directive is not None else f"`{d.core_item}`"
        what = describe(want) if want is not None else d.wit_item
        return f"{subject}: core type {d.found} does not match {d.expected}, the world's {what}"
    if d.code == "missing-export" and want is not None:
        return f"the world exports {describe(want)}, but no //go:wasmexport {want.name} was found"
    if d.code == "missing-realloc" and want is not None:
        return f"{d.message}: a //go:wasmexport {want.name} is needed"
    if directive is not None:
        return f"{directive.directive_text}: {_SUBJECT.sub('', d.message)}"
    return d.message


def _p1_in_module(d: Diagnostic, display: str) -> GoDiagnostic:
    imported = d.message.split(";")[0].replace("the module imports ", "")
    return GoDiagnostic(
        "error",
        f"{display}: a module build target cannot import WASI p1, and every Go program does: Go's wasip1 "
        f"runtime (clocks, scheduler, stdio, exit) imports {imported}",
        notes=(_BUILD_A_COMPONENT,), code=d.code,
    )  # fmt: skip


def _split_core_item(item: str | None) -> tuple[str | None, str | None]:
    if item is None:
        return None, None
    module, sep, name = item.partition("::")
    return (module, name) if sep else (None, item)


def _expected_item(expected: ExpectedInterface, d: Diagnostic, module: str | None,
                   name: str | None) -> ExpectedImport | ExpectedExport | None:  # fmt: skip
    if d.code == "missing-realloc":
        return next((e for e in expected.exports if e.role == "realloc"), None)
    if d.code not in ("signature-mismatch", "missing-export") or name is None:
        return None
    if module is not None:
        return expected.import_named(module, name) or _same_name_import(expected, module, name)
    return expected.export_named(name)


def _same_name_import(expected: ExpectedInterface, module: str, name: str) -> ExpectedImport | None:
    """An import accepted on the same semver track as the world's interface (``@0.2.3`` for ``@0.2.0``)."""
    base = module.partition("@")[0]
    return next((i for i in expected.imports if i.name == name and i.module.partition("@")[0] == base), None)


def _near_misses(name: str, index: SourceIndex) -> list[str]:
    exports = [d for d in index.directives if d.kind == "wasmexport"]
    close = difflib.get_close_matches(name, [d.name for d in exports], n=1)
    return [
        f"{display_path(d.path, None)}:{d.line} exports `{d.name}`: a typo?"
        for d in exports
        if close and d.name == close[0]
    ][:1]


def display_path(path: Path, cwd: Path | None) -> str:
    """``path`` relative to ``cwd`` (default: the working directory) when it is below it."""
    cwd = cwd or Path.cwd()
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:
        return str(path)
    return relative if not relative.startswith("..") else str(path)
