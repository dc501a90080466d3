"""A Canonical ABI host in Python for core module build targets, over wasmtime's core API (no component
model): ``instantiate`` a module, call its exports with Python values, implement its imports with Python
functions; ``Wasi`` provides WASI 0.2 (``wasi:cli/command``) with a preopen sandbox. See docs/python-api.md
and docs/core-engines.md."""

from __future__ import annotations

from .command import run_command
from .errors import LinkError, Trap
from .handles import Resource
from .instance import Instance, instantiate
from .values import Err, Ok, Record, Some, Variant
from .wasi import Exit, Wasi

__all__ = [
    "Err", "Exit", "Instance", "LinkError", "Ok", "Record", "Resource", "Some", "Trap", "Variant", "Wasi",
    "instantiate", "run_command",
]  # fmt: skip
