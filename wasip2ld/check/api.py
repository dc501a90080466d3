"""``check_module``: validate a core module against a WIT world and return every problem found."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Union

from ..errors import UsageError
from ..wasm import read_module, sniff
from .adapter import check_p1_imports
from .catalog import catalog_for
from .context import MANGLING_CHOICES, TARGETS, Context
from .diagnostic import CheckResult
from .exports import check_exports
from .imports import check_imports
from .requirements import check_requirements

if TYPE_CHECKING:
    from ..wit.model import World

ModuleSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def check_module(
    path_or_bytes: ModuleSource,
    world: World | None = None,
    *,
    mangling: str = "auto",
    strict: bool = False,
    target: str = "component",
    toolchain: object | None = None,
) -> CheckResult:
    """Check a core module against ``world`` (default: the world in its ``component-type`` sections).

    ``mangling``: ``auto`` accepts legacy and standard32 names, per name, as `wasm-tools component new` does;
    ``legacy``/``standard32`` accept only that scheme. ``strict`` adds the BuildTargets.md rules.
    ``target``: ``component`` (WASI p1 imports are a note: the adapter provides them) or ``module`` (a core
    module build target: they are an error). Raises ``WasmParseError``/``UsageError``/``WitError`` for input
    that cannot be checked at all; mismatches are diagnostics in the result.
    """
    if mangling not in MANGLING_CHOICES:
        raise UsageError(f"unknown mangling `{mangling}`", hint="use one of: " + ", ".join(MANGLING_CHOICES))
    if target not in TARGETS:
        raise UsageError(f"unknown target `{target}`", hint="use `component` or `module`")
    data, path = _read(path_or_bytes)
    where = path or "module"
    if sniff(data) == "component":
        raise UsageError(
            f"{where}: is a WebAssembly component, not a core module",
            hint="check validates the core module (before `wasm-tools component new`); "
            f"`wasm-tools component wit {where}` shows a component's world",
        )
    module = read_module(data, path)
    if world is None:
        from ..wit import world_from_module

        world = world_from_module(bytes(data), path=path, toolchain=toolchain)
    ctx = Context(module, catalog_for(world), mangling=mangling, strict=strict, target=target, toolchain=toolchain)
    check_imports(ctx)
    check_p1_imports(ctx)
    check_exports(ctx)
    check_requirements(ctx)
    return CheckResult(path, world, ctx.detected_mangling, target, strict, tuple(ctx.diagnostics))


def _read(source: ModuleSource) -> tuple[bytes | bytearray | memoryview, str | None]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return source, None
    name = os.fspath(source)
    try:
        with open(name, "rb") as f:
            return f.read(), name
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise UsageError(f"{name}: is a directory, expected a .wasm file") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror}") from None
