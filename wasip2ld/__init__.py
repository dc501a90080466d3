"""wasip2ld: one flag for wasm32-wasip2 builds (components and core-module build targets), validated
against their WIT world."""
from __future__ import annotations

__version__ = "0.2.0"

# The Python API (docs/python-api.md). Imports happen on first call so `import wasip2ld` stays cheap.
# Not `from typing import TYPE_CHECKING`: importing typing costs milliseconds, and wasip2-clang's compile fast
# path imports this package.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    from typing import Sequence

    from .abi.expected import ExpectedInterface
    from .check import CheckResult
    from .wit.model import World


def load_world(
    path: "str | os.PathLike[str]",
    world: str | None = None,
    features: Sequence[str] = (),
    all_features: bool = False,
) -> "World":
    """Resolve a WIT file or package directory (with ``deps/``) and select one world."""
    from .wit import load_world as _load_world

    return _load_world(path, world, features, all_features)


def expected_interface(world: "World", mangling: str = "legacy", async_abi: str = "sync") -> "ExpectedInterface":
    """The core imports and exports of a module implementing ``world`` (``legacy`` or ``standard32`` names)."""
    from .abi import expected_interface as _expected_interface

    return _expected_interface(world, mangling, async_abi)


def world_from_module(data: bytes, path: str | None = None) -> "World":
    """The world embedded in a core module's ``component-type`` custom sections."""
    from .wit import world_from_module as _world_from_module

    return _world_from_module(data, path=path)


def check_module(
    path_or_bytes: "str | os.PathLike[str] | bytes",
    world: "World | None" = None,
    *,
    mangling: str = "auto",
    strict: bool = False,
    target: str = "auto",
) -> "CheckResult":
    """Validate a core module against ``world`` (default: the world it carries); every problem is a diagnostic
    of the result (``.ok``, ``.diagnostics``, ``.world``, ``.mangling``)."""
    from .check import check_module as _check_module

    return _check_module(path_or_bytes, world, mangling=mangling, strict=strict, target=target)
