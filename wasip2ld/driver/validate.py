"""The validation phase: does the linked core module match the world it carries?

With wasip2ld's validator (``wasip2ld.check``) every mismatch is reported as a diagnostic. Without it the
verdict is wit-component's: in component mode `component new` (which runs right after this phase) decides;
in module mode a `component new` into the scratch directory does.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import ValidationFailed

if TYPE_CHECKING:
    from .pipeline import CoreFacts, Pipeline


def check_core(pipeline: Pipeline, module: Path, *, target: str, mangling: str, facts: CoreFacts, display: Path) -> None:
    """Raise ValidationFailed (listing every diagnostic) if ``module`` does not match its world; messages
    name ``display`` (the output being built), not the scratch file."""
    if pipeline.runner.dry_run:
        return
    checker = _validator()
    if checker is not None and not (target == "component" and facts.p1_imports):
        result = checker(module, None, mangling=mangling, target=target)
        if not result.ok:
            raise _failure(display, result)
        return
    if target == "module":
        pipeline.verdict(module, mangling=mangling, display=display)


def _validator() -> Callable | None:
    try:
        from ..check import check_module
    except ImportError:
        return None
    return check_module


def _failure(module: Path, result: object) -> ValidationFailed:
    diagnostics = list(getattr(result, "diagnostics", []))
    errors = [d for d in diagnostics if getattr(d, "severity", "error") == "error"] or diagnostics
    first = getattr(errors[0], "message", str(errors[0])) if errors else "does not match its world"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ValidationFailed(
        f"{module}: does not match its world: {first}{more}",
        diagnostics,
        hint=f"run `wasip2ld check {module}` for the full report",
    )
