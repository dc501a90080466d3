"""``check_module``: validate a core module against a WIT world and return every problem found."""

from __future__ import annotations

import mmap
import os

from ..errors import UsageError
from ..wasm import CoreModule, read_module, sniff
from ..wasm.namesec import validate_names
from ..wasm.reader import Buffer
from .adapter import P1_MODULE, check_p1_imports
from .catalog import catalog_for
from .context import MANGLING_CHOICES, TARGETS, Context
from .diagnostic import CheckResult
from .exports import check_exports
from .imports import check_imports
from .requirements import check_requirements
from .threads import check_threads

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import BinaryIO, Union

    from ..wit.model import World

    ModuleSource = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]


def check_module(
    path_or_bytes: ModuleSource,
    world: World | None = None,
    *,
    mangling: str = "auto",
    strict: bool = False,
    target: str = "auto",
    toolchain: object | None = None,
) -> CheckResult:
    """Check a core module against ``world`` (default: the world in its ``component-type`` sections).

    ``mangling``: ``auto`` accepts legacy and standard32 names, per name, as `wasm-tools component new` does;
    ``legacy``/``standard32`` accept only that scheme. ``strict`` adds the BuildTargets.md rules.
    ``target``: ``component`` (WASI p1 imports are a note: the adapter provides them), ``module`` (a core
    module build target: they are an error) or ``auto`` (``component`` when the module imports WASI p1
    functions, else ``module``). Raises ``WasmParseError``/``UsageError``/``WitError`` for input
    that cannot be checked at all; mismatches are diagnostics in the result.
    """
    if mangling not in MANGLING_CHOICES:
        raise UsageError(f"unknown mangling `{mangling}`", hint="use one of: " + ", ".join(MANGLING_CHOICES))
    if target not in TARGETS:
        raise UsageError(f"unknown target `{target}`", hint="use `auto`, `component` or `module`")
    with opened(path_or_bytes) as (data, path):
        return _check(data, path, world, mangling=mangling, strict=strict, target=target, toolchain=toolchain)


def _check(data: Buffer, path: str | None, world: World | None, *, mangling: str, strict: bool, target: str,
           toolchain: object | None) -> CheckResult:  # fmt: skip
    where = path or "module"
    if sniff(data) == "component":
        raise UsageError(
            f"{where}: is a WebAssembly component, not a core module",
            hint="check validates the core module (before `wasm-tools component new`); "
            f"`wasm-tools component wit {where}` shows a component's world",
        )
    module = read_module(data, path)
    validate_names(module)
    if target == "auto":
        target = detect_target(module)
    if world is None:
        from ..wit import world_from_module

        world = world_from_module(data, path=path, toolchain=toolchain)  # type: ignore[arg-type]
    ctx = Context(
        module, catalog_for(world), mangling=mangling, strict=strict, target=target, toolchain=toolchain
    )
    check_imports(ctx)
    check_p1_imports(ctx)
    check_exports(ctx)
    check_requirements(ctx)
    check_threads(ctx)
    return CheckResult(path, world, ctx.detected_mangling, target, strict, tuple(ctx.diagnostics))


def detect_target(module: CoreModule) -> str:
    """A module that imports WASI p1 functions can only become a component (the adapter provides them);
    any other module is checked as what it can be as it is: a module build target."""
    return "component" if any(imp.module == P1_MODULE for imp in module.imports) else "module"


def clear_caches() -> None:
    """Forget the per-world name tables and the adapters' exports (for measurements of a first check)."""
    from .adapter import clear_adapter_cache
    from .catalog import clear_catalogs

    clear_catalogs()
    clear_adapter_cache()


class opened:
    """``with opened(source) as (data, path)``: the module's bytes. A file is mapped, not read: only the pages
    of the sections the check looks at are touched, so a large code section costs nothing. (A class, not
    ``contextlib.contextmanager``: `wasip2ld check` starts without importing contextlib.)"""

    def __init__(self, source: ModuleSource) -> None:
        self._source = source
        self._file: BinaryIO | None = None
        self._mapped: mmap.mmap | None = None

    def __enter__(self) -> tuple[Buffer, str | None]:
        source = self._source
        if isinstance(source, (bytes, bytearray, memoryview)):
            return source, None
        name = os.fspath(source)
        self._file = f = _open(name)
        try:
            self._mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty files and special files cannot be mapped
            try:
                return f.read(), name
            except BaseException:
                f.close()
                raise
        return self._mapped, name

    def __exit__(self, *exc: object) -> None:
        if self._mapped is not None:
            try:
                self._mapped.close()
            except BufferError:  # a view still held elsewhere: the GC unmaps it later
                pass
        if self._file is not None:
            self._file.close()


def _open(name: str) -> BinaryIO:
    from ..inputs import open_input

    return open_input(name, what="a .wasm file")
