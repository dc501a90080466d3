"""The WIT model (``model``), its loader through `wasm-tools component wit --json` (``load``), and the world
embedded in a core module's ``component-type`` custom sections (``embedded``, decoded in-process by
``binary`` where it can).

Names are imported on first use (PEP 562): `wasip2ld check` imports ``wasip2ld.wit.embedded`` on its fast
path without the loader's sub-process machinery."""

from __future__ import annotations

from ..lazyexports import lazy_exports

_SOURCES = {
    "load_packages": "load", "load_world": "load", "select_world": "load",
    "Function": "model", "Interface": "model", "Package": "model", "PackageName": "model", "Packages": "model",
    "Stability": "model", "Type": "model", "TypeDef": "model", "World": "model", "WorldFunction": "model",
    "WorldInterface": "model", "WorldItem": "model", "WorldKey": "model", "WorldType": "model",
}  # fmt: skip
TYPE_CHECKING = False
if TYPE_CHECKING:
    from .load import load_packages, load_world, select_world
    from .model import (
        Function, Interface, Package, PackageName, Packages, Stability, Type, TypeDef, World, WorldFunction,
        WorldInterface, WorldItem, WorldKey, WorldType,
    )  # fmt: skip


__getattr__ = lazy_exports(globals(), _SOURCES)


def world_from_module(data: bytes, *, path: str | None = None, toolchain: object | None = None) -> World:
    """The world a core module carries in its ``component-type*`` custom sections (several are merged)."""
    from .embedded import world_from_module as decode

    return decode(data, path=path, toolchain=toolchain)


__all__ = [
    "Function", "Interface", "Package", "PackageName", "Packages", "Stability", "Type", "TypeDef", "World",
    "WorldFunction", "WorldInterface", "WorldItem", "WorldKey", "WorldType",
    "load_packages", "load_world", "select_world", "world_from_module",
]  # fmt: skip
