"""The core function type used for expected signatures.

``wasip2ld.wasm.FuncType`` is the project's single core function type; until that package exists this
module provides an identical definition, and it re-exports the real one as soon as it can be imported.
"""
from __future__ import annotations

from dataclasses import dataclass

try:  # pragma: no cover - depends on which engineer's work is present
    from ..wasm import FuncType  # type: ignore[attr-defined]
except ImportError:

    @dataclass(frozen=True)
    class FuncType:  # type: ignore[no-redef]
        """A core wasm function type; value types are ``"i32"``, ``"i64"``, ``"f32"``, ``"f64"``, …"""

        params: tuple[str, ...]
        results: tuple[str, ...]

        def __str__(self) -> str:
            return f"[{', '.join(self.params)}] -> [{', '.join(self.results)}]"


__all__ = ["FuncType"]
