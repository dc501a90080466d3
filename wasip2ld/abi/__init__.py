"""Canonical ABI lowering of a WIT world to core wasm: flattening (``flatten``), the legacy and standard32
name manglings (``mangling``), and the resulting table of expected imports and exports (``expected``)."""

from __future__ import annotations

from .expected import ASYNC_ABIS, ExpectedExport, ExpectedImport, ExpectedInterface, expected_interface
from .flatten import CoreSignature, FlatValue, flatten_functype, flatten_type
from .functype import FuncType
from .mangling import MANGLINGS, canonical_interface_name, canonical_version

__all__ = [
    "ASYNC_ABIS", "MANGLINGS", "CoreSignature", "ExpectedExport", "ExpectedImport", "ExpectedInterface",
    "FlatValue", "FuncType", "canonical_interface_name", "canonical_version", "expected_interface",
    "flatten_functype", "flatten_type",
]  # fmt: skip
