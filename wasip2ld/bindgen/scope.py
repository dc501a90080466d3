"""Where bindings are being generated: an imported or exported interface, or the world itself."""

from __future__ import annotations

from dataclasses import dataclass

from ..abi.mangling import Mangling
from ..wit.model import WorldKey


@dataclass(frozen=True)
class Scope:
    in_import: bool
    key: WorldKey | None  # None: world-level functions and types
    namespace: str  # C prefix of the types defined here
    names: Mangling  # the core name scheme (legacy or standard32)
