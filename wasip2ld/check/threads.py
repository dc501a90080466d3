"""Context slots and cooperative threads: rules that hold across imports (wit-component's encoder and the
component validator, not its name classification).

* Every `context.get`/`context.set` of a component has one value type. The module's uses are its
  ``[context-get-N]``/``[context-set-N]`` imports, wasm-ld's stack-pointer accessors
  (``env::__wasm_{get,set}_stack_pointer``, slot 0) and, when slot 1 is in use (a ``[context-*-1]`` import
  or ``[thread-new-indirect-v0]``), its TLS-base accessors (``env::__wasm_{get,set}_tls_base``).
* Without slot 1, the TLS base lives in a global wit-component makes: all TLS accessors share its type.
* ``[thread-new-indirect-v0]`` calls through the function table, which the module must export as
  ``__indirect_function_table`` (wasm-ld's ``--export-table``; ``--cooperative-threading`` implies it).
"""

from __future__ import annotations

from ..abi.builtin_names import THREAD_NEW_INDIRECT, context_slot
from ..wasm import Import
from .context import Context
from .diagnostic import Diagnostic

TABLE = "__indirect_function_table"
_STACK_POINTER = ("__wasm_get_stack_pointer", "__wasm_set_stack_pointer")
_TLS_BASE = ("__wasm_get_tls_base", "__wasm_set_tls_base")


def check_threads(ctx: Context) -> None:
    contexts = _context_imports(ctx)
    new_indirect = [i for i, _ in ctx.used_imports if i.module == "$root" and i.name == THREAD_NEW_INDIRECT]
    slot1 = bool(new_indirect) or any(slot == 1 for _, _, slot in contexts)
    uses = [(imp, width) for imp, width, _ in contexts]
    uses += [(imp, width) for imp, width in _env_accessors(ctx, _STACK_POINTER)]
    tls = _env_accessors(ctx, _TLS_BASE)
    if slot1:
        uses += tls
    else:
        _check_one_type(ctx, tls, "TLS base",
                        "wit-component keeps the TLS base in one global: its getter and setter must use one type")  # fmt: skip
    _check_one_type(ctx, uses, "context value",
                    "a component's `context.get`/`context.set` all use one type (slot 0 holds the stack pointer, "
                    "slot 1 the TLS base once threads or slot 1 are used)")  # fmt: skip
    if new_indirect:
        _check_table(ctx, new_indirect[0])


def _context_imports(ctx: Context) -> list[tuple[Import, str, int]]:
    out = []
    for imp, _ in ctx.used_imports:
        parsed = context_slot(imp.name) if imp.module == "$root" else None
        if parsed is not None:
            out.append((imp, parsed[1], parsed[2]))
    return out


def _env_accessors(ctx: Context, names: tuple[str, str]) -> list[tuple[Import, str]]:
    """The well-typed accessors (the ill-typed ones already have a diagnostic) with their value type."""
    out = []
    for imp in ctx.module.imports:
        if imp.module != "env" or imp.name not in names or imp.type is None:
            continue
        value = imp.type.results if imp.name == names[0] else imp.type.params
        if len(value) == 1 and value[0] in ("i32", "i64"):
            out.append((imp, value[0]))
    return out


def _check_one_type(ctx: Context, uses: list[tuple[Import, str]], what: str, hint: str) -> None:
    types = list(dict.fromkeys(width for _, width in uses))
    if len(types) < 2:
        return
    first = next(imp for imp, width in uses if width == types[0])
    other = next(imp for imp, width in uses if width == types[1])
    ctx.add(Diagnostic("error", "context-type-mismatch",
                       f"import `{other.module}::{other.name}` uses the {what} as {types[1]}, but "
                       f"`{first.module}::{first.name}` uses it as {types[0]}",
                       core_item=f"{other.module}::{other.name}", offset=other.offset, hint=hint))  # fmt: skip


def _check_table(ctx: Context, imp: Import) -> None:
    for export in ctx.module.exports:
        if export.name == TABLE and export.kind == "table" and ctx.accepts("legacy"):
            tables = ctx.module.tables
            if export.index < len(tables) and tables[export.index].element == "funcref":
                return
    ctx.add(Diagnostic("error", "missing-table",
                       f"import `{imp.module}::{imp.name}` starts threads through the function table, but the module "
                       f"does not export a funcref table named `{TABLE}`",
                       core_item=f"{imp.module}::{imp.name}", offset=imp.offset,
                       expected=f'(table (export "{TABLE}") … funcref)',
                       hint="link with `-Wl,--export-table` (wasm-ld's `--cooperative-threading` exports it by default)"))  # fmt: skip
