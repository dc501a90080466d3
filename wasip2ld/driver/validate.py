"""The validation phase: does the linked core module match the world it carries?

wasip2ld's validator (``wasip2ld.check``) reports every mismatch as a diagnostic, before `component new`
runs. The verdict of wit-component is the fallback (and the last word in component mode anyway): `component
new` itself, which runs right after this phase, or for a module build target a `component new` into the
scratch directory.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ValidationFailed

if TYPE_CHECKING:
    from .pipeline import CoreFacts, Pipeline

_SHOWN = ("error", "warning")


def check_core(pipeline: Pipeline, module: Path, *, target: str, mangling: str, facts: CoreFacts, display: Path) -> None:
    """Raise ValidationFailed (with every error and warning, rendered) if ``module`` does not match its
    world; messages name ``display`` (the output being built), not the scratch file."""
    if pipeline.runner.dry_run:
        return
    checker = _validator()
    if checker is not None and facts.carries_world:
        result = checker(module, None, mangling=mangling, target=target, toolchain=pipeline.tc)
        if not result.ok:
            raise _failure(display, result)
    elif target == "module":
        pipeline.verdict(module, mangling=mangling, display=display)


def _validator():
    try:
        from ..check import check_module
    except ImportError:  # the validator is optional: wit-component's verdict still applies
        return None
    return check_module


def _failure(display: Path, result) -> ValidationFailed:
    from ..check.render import diagnostic_lines

    errors = result.errors
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    lines = [line for d in result.diagnostics if d.severity in _SHOWN for line in diagnostic_lines(d, str(display))]
    return ValidationFailed(
        f"{display}: does not match its world `{result.world.id}`: {errors[0].message}{more}",
        lines,
        hint="every problem is listed above; `wasip2ld check FILE` reports on a core module at any time",
    )
