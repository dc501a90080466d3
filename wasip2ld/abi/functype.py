"""The core function type of expected signatures: the project's one ``FuncType`` (``wasip2ld.wasm``)."""

from __future__ import annotations

from ..wasm import FuncType

__all__ = ["FuncType"]
