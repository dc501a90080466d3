"""Rendering a ``CheckResult``: compiler-style text (``module.wasm: error: … [code]`` with indented
``expected:``/``found:``/``note:``/``hint:`` lines and a summary) or JSON (docs/check.md)."""

from __future__ import annotations

import json

from .diagnostic import CheckResult, Diagnostic

JSON_VERSION = 1


def render_text(result: CheckResult, display: str) -> str:
    lines: list[str] = []
    for d in result.diagnostics:
        lines += diagnostic_lines(d, display)
    lines.append(summary_line(result, display))
    return "\n".join(lines) + "\n"


def diagnostic_lines(d: Diagnostic, display: str) -> list[str]:
    lines = [f"{display}: {d.severity}: {d.message} [{d.code}]"]
    if d.expected is not None:
        lines.append(f"  expected: {d.expected}")
    if d.found is not None:
        lines.append(f"  found:    {d.found}")
    lines += [f"  note: {note}" for note in d.notes]
    if d.hint:
        lines.append(f"  hint: {d.hint}")
    return lines


def summary_line(result: CheckResult, display: str) -> str:
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
    return json.dumps(doc, indent=2) + "\n"
