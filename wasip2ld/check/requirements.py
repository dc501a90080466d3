"""Whole-module rules: at most one exported memory, and memory/realloc present when something the module
uses needs them (CanonicalABI canonopt validation; spec §2.5). Only *used* imports count; every world
export counts, since all of them must be exported anyway.

Reallocs, as wit-component picks them: imports use ``cabi_import_realloc``, else the general one; exports use
``cabi_export_realloc``, else the general one (``cabi_realloc``, ``cm32p2_realloc`` or
``canonical_abi_realloc``, the first exported)."""

from __future__ import annotations

from ..abi.expected import ExpectedExport
from ..abi.mangling import mangling_named
from ..wasm import Export, FuncType, Import
from .catalog import ASYNC_LIFT_PREFIXES
from .context import Context
from .diagnostic import Diagnostic
from .hints import FIXED_HINTS

REALLOC_TYPE = FuncType(("i32", "i32", "i32", "i32"), ("i32",))
_SHOWN = 6


def check_requirements(ctx: Context) -> None:
    if len(ctx.memories) > 1:
        names = ", ".join(f"`{m.name}`" for m in ctx.memories)
        ctx.add(Diagnostic("error", "multiple-memories", f"the module exports {len(ctx.memories)} memories ({names}); a component's module may export one",
                           core_item=ctx.memories[1].name, offset=ctx.memories[1].offset,
                           hint="export the memory under one name only (`memory` for legacy names, `cm32p2_memory` for standard32)"))  # fmt: skip
    imported = _env_memory_imports(ctx)
    if len(imported) > 1:
        ctx.add(Diagnostic("error", "multiple-memories", f"the module imports `env::memory` {len(imported)} times; a component's module may have one memory",
                           core_item="env::memory", offset=imported[1].offset, hint="import the memory once"))  # fmt: skip
    _check_memory(ctx)
    _check_realloc(ctx)


def world_export_uses(ctx: Context) -> list[tuple[str, ExpectedExport]]:
    """Each world export function as the module provides it (or, if missing, under the preferred name)."""
    uses = []
    for legacy, standard in ctx.catalog.export_pairs:
        names = [legacy.name, standard.name] + [p + legacy.name for p in ASYNC_LIFT_PREFIXES]
        found = next((ctx.found_exports[n][1] for n in names if n in ctx.found_exports), None)
        chosen = found or (standard if ctx.preferred == "standard32" else legacy)
        uses.append((f"export `{chosen.name}`", chosen))
    return uses


def _memory_users(ctx: Context) -> list[str]:
    users = [f"import `{imp.module}::{imp.name}`" for imp, e in ctx.used_imports if e.needs_memory]
    users += [name for name, e in world_export_uses(ctx) if e.needs_memory]
    if ctx.p1_imports and ctx.target == "component" and not _imports_env_memory(ctx):
        users.append("the WASI p1 adapter (it works in the module's memory)")
    return users


def _env_memory_imports(ctx: Context) -> list[Import]:
    return [i for i in ctx.module.imports if i.module == "env" and i.name == "memory" and i.kind == "memory"]


def _imports_env_memory(ctx: Context) -> bool:
    return bool(_env_memory_imports(ctx))


def _check_memory(ctx: Context) -> None:
    """wit-component takes an exported memory, or the ``env::memory`` wasm-ld imports with --import-memory
    (it defines that memory itself). BuildTargets.md knows only the exported ``cm32p2_memory``: --strict."""
    users = _memory_users(ctx)
    if ctx.memories or not users:
        return
    name = mangling_named(ctx.preferred).memory
    if _imports_env_memory(ctx):
        if ctx.strict:
            ctx.add(Diagnostic("error", "missing-memory",
                               f"the module imports its memory, but BuildTargets.md requires it exported as `{name}`",
                               expected=f"(memory (export \"{name}\") …)", notes=_listed("needed by", users),
                               hint="link without --import-memory (wit-component accepts `env::memory`; drop --strict to follow it)"))  # fmt: skip
        return
    ctx.add(Diagnostic("error", "missing-memory",
                       f"the module exports no memory, but {_count(users)} pass{'es' if len(users) == 1 else ''} data through memory",
                       expected=f"(memory (export \"{name}\") …)", notes=_listed("needed by", users),
                       hint=f"export the linear memory as `{name}` (wasm-ld exports it as `memory` unless it is linked "
                       "with --import-memory or --no-export-memory)"))  # fmt: skip


def _check_realloc(ctx: Context) -> None:
    general = [e for e in ctx.module.exports if _is_general_realloc(ctx, e)]
    by_name = {e.name: e for e in ctx.extra_reallocs}
    import_users = [f"import `{imp.module}::{imp.name}`" for imp, e in ctx.used_imports if e.needs_realloc]
    export_users = [name for name, e in world_export_uses(ctx) if e.needs_realloc]
    missing: list[tuple[list[str], str, str]] = []
    for users, special, what in ((import_users, "cabi_import_realloc", "results of imports"),
                                 (export_users, "cabi_export_realloc", "arguments of exports")):  # fmt: skip
        if not users:
            continue
        chosen = by_name.get(special) or (general[0] if general else None)
        if chosen is None:
            missing.append((users, special, what))
        elif chosen.name in by_name and chosen.type != REALLOC_TYPE:
            ctx.add(Diagnostic("error", "signature-mismatch", f"export `{chosen.name}` has the wrong type for the realloc function",
                               core_item=chosen.name, wit_item="the realloc function", expected=str(REALLOC_TYPE),
                               found=str(chosen.type), hint=FIXED_HINTS["realloc"], offset=chosen.offset,
                               notes=_listed("used by", users)))  # fmt: skip
    if missing:
        users = [u for group in missing for u in group[0]]
        ctx.add(
            _missing_realloc(
                ctx, users, " and the ".join(m[2] for m in missing), " or ".join(f"`{m[1]}`" for m in missing)
            )
        )


def _is_general_realloc(ctx: Context, export: Export) -> bool:
    if export.kind != "func":
        return False
    if export.name == "canonical_abi_realloc":
        return True
    found = ctx.found_exports.get(export.name)
    return found is not None and found[1].role == "realloc"


def _missing_realloc(ctx: Context, users: list[str], what: str, special: str) -> Diagnostic:
    name = mangling_named(ctx.preferred).realloc
    return Diagnostic("error", "missing-realloc",
                      f"the module exports no `{name}`, but {_count(users)} need{'s' if len(users) == 1 else ''} it to allocate the {what}",
                      expected=f"(func (export \"{name}\") {str(REALLOC_TYPE)[6:-1]})", notes=_listed("needed by", users),
                      hint=f"export `{name}` (or {special}): {FIXED_HINTS['realloc']}; wit-bindgen's generated code "
                      "and wasi-libc provide one")  # fmt: skip


def _count(users: list[str]) -> str:
    return (
        f"{len(users)} function{'s' if len(users) != 1 else ''} it uses"
        if not any("adapter" in u for u in users)
        else f"{len(users)} of the items it uses"
    )


def _listed(prefix: str, users: list[str]) -> tuple[str, ...]:
    shown = [f"{prefix} {user}" for user in users[:_SHOWN]]
    if len(users) > _SHOWN:
        shown.append(f"… and {len(users) - _SHOWN} more")
    return tuple(shown)
