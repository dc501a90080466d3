"""The WIT model (``model``), its loader through `wasm-tools component wit --json` (``load``), and the world
embedded in a core module's ``component-type`` custom sections (``embedded``)."""

from __future__ import annotations

from .load import load_packages, load_world, select_world
from .model import (
    Function,
    Interface,
    Package,
    PackageName,
    Packages,
    Stability,
    Type,
    TypeDef,
    World,
    WorldFunction,
    WorldInterface,
    WorldItem,
    WorldKey,
    WorldType,
)  # fmt: skip


def world_from_module(data: bytes, *, path: str | None = None, toolchain: object | None = None) -> World:
    """The world a core module carries in its ``component-type*`` custom sections (several are merged)."""
    from .embedded import world_from_module as decode

    return decode(data, path=path, toolchain=toolchain)


__all__ = [
    "Function", "Interface", "Package", "PackageName", "Packages", "Stability", "Type", "TypeDef", "World",
    "WorldFunction", "WorldInterface", "WorldItem", "WorldKey", "WorldType",
    "load_packages", "load_world", "select_world", "world_from_module",
]  # fmt: skip
