"""Import rules: every import must be a function that resolves to an item of the world (or a WASI p1 function
the adapter provides) with exactly the core type the item lowers to. Duplicate imports are fine."""

from __future__ import annotations

from ..abi.builtin_names import builtin_hint
from ..abi.expected import ExpectedImport
from ..abi.mangling import Legacy, Standard32
from ..wasm import FuncType, Import
from .catalog import (
    ENV_INTRINSICS,
    LEGACY_EXPORT_PREFIX,
    LEGACY_ROOT,
    ModuleMatch,
    ModuleMiss,
    scheme_of_import,
)
from .context import Context
from .diagnostic import Diagnostic
from .hints import did_you_mean, lowering_note, signature_hint, wit_item_text

P1_MODULE = "wasi_snapshot_preview1"


def check_imports(ctx: Context) -> None:
    for imp in ctx.module.imports:
        check_import(ctx, imp)


def check_import(ctx: Context, imp: Import) -> None:
    item = f"{imp.module}::{imp.name}"
    if imp.module == "env" and imp.name == "memory" and imp.kind == "memory":
        return  # the memory wasm-ld imports with --import-memory; wit-component accepts it
    if imp.module == "__main_module__":
        ctx.add(Diagnostic("error", "adapter-only-import", f"import `{item}` is from `__main_module__`, which only adapters may import from",
                           core_item=item, offset=imp.offset, hint="a main module cannot import from itself: remove the import"))  # fmt: skip
        return
    if imp.kind != "func":
        ctx.add(_non_function(imp, item))
        return
    if imp.module == P1_MODULE:
        ctx.p1_imports.append(imp)
        return
    if imp.module == "env" and imp.name in ENV_INTRINSICS:
        if not ctx.accepts("legacy"):
            ctx.add(_mangling_mismatch(ctx, imp, item, "legacy"))
            return
        ctx.used("legacy")
        _check_env_intrinsic(ctx, imp, item)
        return
    scheme = scheme_of_import(imp.module)
    if not ctx.accepts(scheme):
        ctx.add(_mangling_mismatch(ctx, imp, item, scheme))
        return
    expected = ctx.catalog.expected_import(scheme, imp.module, imp.name)
    if expected is not None:
        ctx.used(scheme)
        _compare(ctx, imp, item, expected)
        return
    match = ctx.catalog.resolve_module(scheme, imp.module)
    if isinstance(match, ModuleMiss):
        ctx.add(Diagnostic("error", match.code, f"import `{item}`: {match.reason}", core_item=item, offset=imp.offset,
                           hint=match.hint))  # fmt: skip
        return
    expected = ctx.catalog.expected_import(scheme, match.table_module, imp.name)
    if expected is None:
        problem = ctx.catalog.builtin_problem(scheme, match.table_module, imp.name)
        if problem is not None:
            ctx.add(Diagnostic("error", problem.code, f"import `{item}`: {problem.reason}", core_item=item,
                               offset=imp.offset, hint=problem.hint))  # fmt: skip
        else:
            ctx.add(_unknown_name(ctx, imp, item, match))
        return
    ctx.used(scheme)
    if match.semver_bound:
        ctx.add(Diagnostic(
            "note", "semver-compatible-import",
            f"import module `{imp.module}` is on the same semver track as world "
            f"{'export' if match.exported else 'import'} `{match.semver_bound}`, so it binds to it",
            core_item=item, wit_item=wit_item_text(expected.wit), offset=imp.offset,
        ))  # fmt: skip
    _compare(ctx, imp, item, expected)


def _compare(ctx: Context, imp: Import, item: str, expected: ExpectedImport) -> None:
    ctx.used_imports.append((imp, expected))
    assert imp.type is not None
    if imp.type == expected.sig:
        return
    notes = ()
    if expected.role == "function" and expected.function is not None and expected.abi is not None:
        notes = (lowering_note(expected.function, expected.abi, "lower"),)
    wit = wit_item_text(expected.wit)
    ctx.add(Diagnostic(
        "error", "signature-mismatch", f"import `{item}` has the wrong type for {wit}",
        core_item=item, wit_item=wit, expected=str(expected.sig), found=str(imp.type),
        hint=signature_hint(expected, imp.type, "lower"), notes=notes, offset=imp.offset,
    ))  # fmt: skip


def _check_env_intrinsic(ctx: Context, imp: Import, item: str) -> None:
    """wasm-ld's accessors of the stack pointer and TLS base, which wit-component backs with a global of the
    type the import uses: a getter ``() -> T``, a setter ``(T) -> ()``, T being i32 or i64."""
    assert imp.type is not None
    getter = imp.name.startswith("__wasm_get_")
    value = (imp.type.results if getter else imp.type.params) or ("i32",)
    t = value[0] if value[0] in ("i32", "i64") else "i32"
    expected = FuncType((), (t,)) if getter else FuncType((t,), ())
    if imp.type != expected:
        ctx.add(Diagnostic(
            "error", "signature-mismatch", f"import `{item}` has the wrong type for wasm-ld's {'getter' if getter else 'setter'} `{imp.name}`",
            core_item=item, wit_item=f"the global behind `{imp.name}`", expected=str(expected), found=str(imp.type),
            offset=imp.offset, hint="a getter takes nothing and returns the value (i32 or i64); a setter takes the value and returns nothing",
        ))  # fmt: skip


def _non_function(imp: Import, item: str) -> Diagnostic:
    hint = "a component's core module can import only functions"
    if imp.kind == "table" and imp.name == "__indirect_function_table":
        hint = "link without `--import-table` so that wasm-ld defines the table itself"
    elif imp.kind == "global" and imp.module == "env":
        hint = "position-independent or shared-memory builds import globals: link a plain (non -shared, non -pie) module"
    elif imp.kind == "memory":
        hint = "only `env::memory` may be imported as a memory (what wasm-ld's --import-memory produces)"
    return Diagnostic("error", "non-function-import", f"import `{item}` is a {imp.kind}, but a module can import only functions",
                      core_item=item, offset=imp.offset, hint=hint)  # fmt: skip


def _mangling_mismatch(ctx: Context, imp: Import, item: str, scheme: str) -> Diagnostic:
    asked = ctx.mangling
    hint = f"drop --mangling {asked} to accept both schemes"
    counterpart = _counterpart_import(ctx, imp, scheme)
    if counterpart is not None:
        hint = f"its {asked} name is `{counterpart}`; or {hint}"
    return Diagnostic("error", "mangling-mismatch", f"import `{item}` uses a {scheme} name, but --mangling {asked} accepts only {asked} names",
                      core_item=item, offset=imp.offset, hint=hint)  # fmt: skip


def _counterpart_import(ctx: Context, imp: Import, scheme: str) -> str | None:
    """The same world item's import name in the other scheme, if the import resolves in its own."""
    if imp.module == "env":
        return None
    expected = ctx.catalog.expected_import(scheme, imp.module, imp.name)  # type: ignore[arg-type]
    if expected is None:
        return None
    other = ctx.catalog.interface("standard32" if scheme == "legacy" else "legacy")
    twin = next((i for i in other.imports if i.wit == expected.wit and i.role == expected.role), None)
    return f"{twin.module}::{twin.name}" if twin else None


def _unknown_name(ctx: Context, imp: Import, item: str, match: ModuleMatch) -> Diagnostic:
    names = [i.name for i in ctx.catalog.interface(match.scheme).imports if i.module == match.table_module]
    if match.key is None:
        where = "the world's exports" if match.exported else "the world"
        message = f"import `{item}`: {where} {'have' if match.exported else 'has'} no item `{imp.name}`"
    else:
        side = "exported interface" if match.exported else "interface"
        message = f"import `{item}`: {side} `{match.key.name}` has no function or intrinsic `{imp.name}`"
    hint = _misplaced_hint(ctx, imp, match) or did_you_mean(imp.name, names)
    return Diagnostic("error", "unknown-import", message, core_item=item, offset=imp.offset, hint=hint,
                      wit_item=None if match.key is None else f"{'exported ' if match.exported else ''}interface `{match.key.name}`")  # fmt: skip


def _misplaced_hint(ctx: Context, imp: Import, match: ModuleMatch) -> str | None:
    """An imported-resource intrinsic used on the wrong side, or a name that is an export of the world."""
    names = Legacy() if match.scheme == "legacy" else Standard32()
    for which in ("new", "rep"):
        for resource in _resource_names(ctx, match):
            if imp.name == names.resource_intrinsic(resource, which) and not match.exported:
                module = (
                    (LEGACY_EXPORT_PREFIX + (match.key.name if match.key else LEGACY_ROOT))
                    if match.scheme == "legacy"
                    else names.exported_intrinsic_module(match.key)
                )
                return (f"resource.{which} exists only for resources the world exports; if `{resource}` is exported, "
                        f"import it from `{module}`")  # fmt: skip
    if match.key is None and not match.exported:
        exported = [
            e.function.name
            for e in ctx.catalog.function_exports(match.scheme)
            if e.function and e.wit.startswith("$root ")
        ]
        if imp.name in exported:
            return f"`{imp.name}` is a function the world exports: the module must export it, not import it"
    if match.scheme == "standard32" and imp.name.startswith("["):
        return "the standard32 scheme has no names for async built-ins; use legacy names for them"
    if match.scheme == "legacy" and imp.name.startswith("["):
        kind = ("export-" if match.exported else "") + ("root" if match.key is None else "interface")
        return builtin_hint(kind, imp.name)  # type: ignore[arg-type]
    return None


def _resource_names(ctx: Context, match: ModuleMatch) -> list[str]:
    from ..wit.model import WorldInterface, is_resource

    items = ctx.catalog.world.exports + ctx.catalog.world.imports
    for item in items:
        if isinstance(item, WorldInterface) and match.key is not None and item.key == match.key:
            return [t.name for t in item.interface.types if is_resource(t) and t.name]
    return []
