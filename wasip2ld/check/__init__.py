"""The validator: does a core module implement a WIT world the way `wasm-tools component new` (and, with
``strict``, BuildTargets.md) requires? Every problem becomes a ``Diagnostic``; see docs/check.md and
docs/diagnostics.md.

    result = check_module("lib.wasm")                 # against the world embedded in the module
    result = check_module(data, load_world("wit/"), target="module")
    result.ok, result.diagnostics, result.mangling
"""

from __future__ import annotations

from .api import check_module
from .diagnostic import CODES, CheckResult, Diagnostic

__all__ = ["CODES", "CheckResult", "Diagnostic", "check_module"]
