"""Rendering a ``CheckResult``: compiler-style text (``module.wasm: error: … [code]`` with indented
``expected:``/``found:``/``note:``/``hint:`` lines and a summary) or JSON (docs/check.md)."""

from __future__ import annotations

from ..oneline import one_line
from .diagnostic import CheckResult, Diagnostic

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import Protocol

    class SourceContext(Protocol):
        """Source-level additions for one module's diagnostics (``csource.CSource`` for C and C++)."""

        def position(self, d: Diagnostic) -> str | None: ...

        def declaration(self, d: Diagnostic) -> str | None: ...


JSON_VERSION = 1


def render_text(result: CheckResult, display: str, source: SourceContext | None = None) -> str:
    lines: list[str] = []
    for d in result.diagnostics:
        lines += diagnostic_lines(d, display, source)
    lines.append(summary_line(result, display))
    return "\n".join(lines) + "\n"


def diagnostic_lines(d: Diagnostic, display: str, source: SourceContext | None = None) -> list[str]:
    """``where: severity: message [code]`` (``where`` is the source position when known, else ``display``)
    and the indented detail lines."""
    where = (source.position(d) if source is not None else None) or display
    lines = [f"{where}: {d.severity}: {d.message} [{d.code}]"]
    if d.expected is not None:
        lines.append(f"  expected: {d.expected}")
    if d.found is not None:
        lines.append(f"  found:    {d.found}")
    declaration = source.declaration(d) if source is not None else None
    if declaration is not None:
        lines.append(f"  expected C: {declaration}")
    lines += [f"  note: {note}" for note in d.notes]
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    return [one_line(line) for line in lines]


def summary_line(result: CheckResult, display: str) -> str:
    return one_line(_summary(result, display))


def _summary(result: CheckResult, display: str) -> str:
    about = f"world `{result.world.id}`, {result.mangling} names, target {result.target}{', strict' if result.strict else ''}"
    if result.ok:
        extra = _counts(result, ("warning", "note"))
        return f"{display}: ok: matches {about}" + (f" ({extra})" if extra else "")
    return f"{display}: {_counts(result, ('error', 'warning'))}: does not match {about}"


def _counts(result: CheckResult, severities: tuple[str, ...]) -> str:
    parts = []
    for severity in severities:
        n = result.count(severity)  # type: ignore[arg-type]
        if n:
            parts.append(f"{n} {severity}{'s' if n != 1 else ''}")
    return ", ".join(parts)


def render_json(result: CheckResult, display: str) -> str:
    doc = {
        "version": JSON_VERSION,
        "module": display,
        "world": result.world.id,
        "mangling": result.mangling,
        "target": result.target,
        "strict": result.strict,
        "ok": result.ok,
        "counts": {s: result.count(s) for s in ("error", "warning", "note")},
        "diagnostics": [d.as_dict() for d in result.diagnostics],
    }
    import json

    return json.dumps(doc, indent=2) + "\n"
