"""`wasi_snapshot_preview1` imports. A module build target cannot have them (nothing would provide them). For a
component, `component new --adapt` lets the WASI p1 adapter provide them: the command adapter when the
module exports `_start`, else the reactor one. Each import must then be a function the adapter exports,
with the adapter's type, which is checked here when the adapter is installed."""

from __future__ import annotations

from ..wasm import FuncType, Import, read_module_file
from .context import Context
from .diagnostic import Diagnostic
from .hints import did_you_mean

P1_MODULE = "wasi_snapshot_preview1"
_LISTED = 5
_ADAPTER_EXPORTS: dict[str, dict[str, FuncType]] = {}


def check_p1_imports(ctx: Context) -> None:
    imports = ctx.p1_imports
    if not imports:
        return
    names = sorted({i.name for i in imports})
    listed = ", ".join(names[:_LISTED]) + (", …" if len(names) > _LISTED else "")
    count = f"{len(names)} WASI p1 function{'s' if len(names) != 1 else ''} from `{P1_MODULE}` ({listed})"
    first = imports[0]
    item = f"{P1_MODULE}::{first.name}"
    if ctx.target == "module":
        ctx.add(Diagnostic("error", "needs-p1-adapter", f"the module imports {count}; a module build target cannot use WASI p1",
                           core_item=item, offset=first.offset,
                           hint="they come from a library built for WASI p1, or from an older wasi-libc (stdio, files, clocks, exit): "
                           "install the p1-free one with `wasip2ld toolchain install`, rebuild the library for "
                           "wasm32-wasip2, or build a component (drop --module)"))  # fmt: skip
        return
    kind = (
        "command" if any(e.name == "_start" and e.kind == "func" for e in ctx.module.exports) else "reactor"
    )
    exports, missing_note = _adapter_exports(ctx, kind)
    notes = (missing_note,) if missing_note else ()
    ctx.add(Diagnostic("note", "needs-p1-adapter",
                       f"the module imports {count}; `component new` needs the WASI p1 {kind} adapter for them "
                       f"(`--adapt {P1_MODULE}=…`, which wasip2ld adds)", core_item=item, offset=first.offset, notes=notes))  # fmt: skip
    if exports is not None:
        for imp in imports:
            _check_against_adapter(ctx, imp, exports, kind)


def _adapter_exports(ctx: Context, kind: str) -> tuple[dict[str, FuncType] | None, str | None]:
    toolchain = ctx.toolchain or default_toolchain()
    part = toolchain.get(f"adapter-{kind}")  # type: ignore[attr-defined]
    if part is None or part.path is None:
        return (
            None,
            f"the {kind} adapter is not installed, so these imports were not checked (run `wasip2ld toolchain install`)",
        )
    path = str(part.path)
    if path not in _ADAPTER_EXPORTS:
        module = read_module_file(path)
        _ADAPTER_EXPORTS[path] = {
            e.name: e.type for e in module.exports if e.kind == "func" and e.type is not None
        }
    return _ADAPTER_EXPORTS[path], None


_DEFAULT_TOOLCHAIN: list[object] = []


def default_toolchain() -> object:
    """The toolchain found from the environment, once per process (callers that care pass their own)."""
    if not _DEFAULT_TOOLCHAIN:
        from ..toolchain.discover import discover

        _DEFAULT_TOOLCHAIN.append(discover())
    return _DEFAULT_TOOLCHAIN[0]


def _check_against_adapter(ctx: Context, imp: Import, exports: dict[str, FuncType], kind: str) -> None:
    item = f"{P1_MODULE}::{imp.name}"
    have = exports.get(imp.name)
    if have is None:
        p1_names = [n for n in exports if not n.startswith(("adapter_", "cabi_", "reset_")) and ":" not in n]
        ctx.add(Diagnostic("error", "unknown-import", f"import `{item}`: the WASI p1 {kind} adapter has no function `{imp.name}`",
                           core_item=item, offset=imp.offset, hint=did_you_mean(imp.name, p1_names)))  # fmt: skip
    elif have != imp.type:
        ctx.add(Diagnostic("error", "signature-mismatch", f"import `{item}` has the wrong type for the WASI p1 function `{imp.name}`",
                           core_item=item, wit_item=f"WASI p1 function `{imp.name}` ({kind} adapter)", expected=str(have),
                           found=str(imp.type), offset=imp.offset,
                           hint="WASI p1 signatures are fixed by wasi_snapshot_preview1; rebuild against the wasi-libc headers"))  # fmt: skip


def clear_adapter_cache() -> None:
    _ADAPTER_EXPORTS.clear()
    _DEFAULT_TOOLCHAIN.clear()
