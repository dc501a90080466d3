"""`wasip2ld bindgen c`: typed C bindings for a WIT world, source-compatible with wit-bindgen's C generator
(``generate_c``), written for the project's own WIT model and Canonical ABI layer."""

from __future__ import annotations

from .generate import STRING_ENCODINGS, Bindings, Options, generate_c

__all__ = ["STRING_ENCODINGS", "Bindings", "Options", "generate_c"]
