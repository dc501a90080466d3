"""Calling a core export with plain Python numbers, its core type known in advance.

wasmtime-py's ``Func.__call__`` asks the engine for the function's type and converts every value through
``Val`` objects on every call, which costs more than the call itself; the host knows each export's core
type from the WIT signature, so it fills the raw value array directly. This leans on wasmtime-py's
``_ffi`` and ``_func.enter_wasm``; when those are not there (another wasmtime-py), the public call is used.
"""

from __future__ import annotations

import ctypes
from typing import Any, Callable


def core_caller(store: Any, func: Any, params: tuple[str, ...], results: tuple[str, ...]) -> Callable[..., Any]:
    """A callable ``f(*values)`` returning None, the single result, or a list of results."""
    try:
        from wasmtime import WasmtimeError
        from wasmtime import _ffi as ffi
        from wasmtime._func import enter_wasm
        kinds = {"i32": (ffi.WASMTIME_I32.value, "i32"), "i64": (ffi.WASMTIME_I64.value, "i64"),
                 "f32": (ffi.WASMTIME_F32.value, "f32"), "f64": (ffi.WASMTIME_F64.value, "f64")}
        param_kinds = [kinds[t] for t in params]
        result_fields = [kinds[t][1] for t in results]
        raw_func = func._func
        array_in, array_out = ffi.wasmtime_val_t * len(params), ffi.wasmtime_val_t * len(results)
        call_raw = ffi.wasmtime_func_call
    except (ImportError, AttributeError):
        return lambda *values: func(store, *values)

    def call(*values: Any) -> Any:
        raw_in = array_in()
        for slot, (kind, field), value in zip(raw_in, param_kinds, values):
            slot.kind = kind
            setattr(slot.of, field, value)
        raw_out = array_out()
        with enter_wasm(store) as trap:
            error = call_raw(store._context(), ctypes.byref(raw_func), raw_in, len(params), raw_out,
                             len(results), trap)
            if error:
                raise WasmtimeError._from_ptr(error)
        if not result_fields:
            return None
        out = [getattr(slot.of, field) for slot, field in zip(raw_out, result_fields)]
        return out[0] if len(out) == 1 else out

    return call
