"""wasip2ld: one flag for wasm32-wasip2 builds (components and core-module build targets), validated
against their WIT world."""
from __future__ import annotations

__version__ = "0.1.0"
