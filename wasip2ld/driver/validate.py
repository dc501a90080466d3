"""The validation phase: does the linked core module match the world it carries?

The verdict is wit-component's (`wasm-tools component new`, which must accept the module anyway): in
component mode the encoding itself, in module mode an encoding into the scratch directory. When it says no,
wasip2ld's validator (``wasip2ld.check``) explains why, listing every mismatch as a diagnostic. The
validator runs up front only where wit-component cannot judge: ``--mangling legacy`` (wit-component accepts
both name schemes).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ValidationFailed

if TYPE_CHECKING:
    from .pipeline import CoreFacts, Pipeline

_SHOWN = ("error", "warning")


def validate(
    pipeline: Pipeline,
    module: Path,
    *,
    target: str,
    mangling: str,
    facts: CoreFacts,
    display: Path,
    verdict: Callable[[], None],
) -> None:
    """Run ``verdict``; if it rejects ``module``, raise the validator's diagnostics instead (when it finds
    errors). Messages name ``display`` (the output being built), not the scratch file."""
    if pipeline.runner.dry_run:
        verdict()
        return
    if mangling == "legacy":
        explain(pipeline, module, target=target, mangling=mangling, facts=facts, display=display)
    try:
        verdict()
    except ValidationFailed:
        explain(pipeline, module, target=target, mangling=mangling, facts=facts, display=display)
        raise


def explain(
    pipeline: Pipeline, module: Path, *, target: str, mangling: str, facts: CoreFacts, display: Path
) -> None:
    """Raise ValidationFailed with every error and warning the validator finds (nothing if it finds none)."""
    checker = _validator()
    if checker is None or not facts.carries_world:
        return
    result = checker(module, None, mangling=mangling, target=target, toolchain=pipeline.tc)
    if not result.ok:
        from ..check.csource import c_source
        from ..wasm import read_module_file

        raise _failure(display, result, c_source(module, read_module_file(module), result, pipeline.tc))


def _validator():
    try:
        from ..check import check_module
    except ImportError:  # the validator is optional: wit-component's verdict still applies
        return None
    return check_module


def _failure(display: Path, result, source) -> ValidationFailed:
    from ..check.render import diagnostic_lines

    errors = result.errors
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    lines = [
        line
        for d in result.diagnostics
        if d.severity in _SHOWN
        for line in diagnostic_lines(d, str(display), source)
    ]
    return ValidationFailed(
        f"{display}: does not match its world `{result.world.id}`: {errors[0].message}{more}",
        lines,
        hint="every problem is listed above; `wasip2ld check FILE` reports on a core module at any time",
    )
