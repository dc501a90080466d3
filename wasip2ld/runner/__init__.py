"""`wasip2ld run`: run a WASI 0.2 component, a WASI p1 module or a core-module build target under wasmtime,
with the guest's exit code as the caller's."""
from __future__ import annotations

from .execute import run_wasm
from .spec import RunSpec, host_args, host_view, parse_dir, parse_env

__all__ = ["RunSpec", "host_args", "host_view", "parse_dir", "parse_env", "run_wasm"]
