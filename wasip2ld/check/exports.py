"""Export rules: names that match the world are type-checked; every world export function must be present
(under either scheme, or an async-lift form); unknown names are ignored, as wit-component does, except that
mangled-looking ones get a warning (an error under --strict for `cm32p2` names, per BuildTargets.md)."""

from __future__ import annotations

from ..abi.expected import ExpectedExport
from ..abi.mangling import mangling_named
from ..wasm import Export, FuncType
from .catalog import ASYNC_LIFT_PREFIXES, STANDARD_PREFIX, UNCHECKED_REALLOCS, scheme_of_export
from .context import Context
from .diagnostic import Diagnostic
from .hints import closest, did_you_mean, lowering_note, signature_hint, wit_item_text

LEGACY_TABLE = "__indirect_function_table"
TASK_HOOK = "__wasm_task_hook"  # wasi-libc's hook for task start/end with cooperative threads
TASK_HOOK_TYPE = FuncType(("i32",), ())


def check_exports(ctx: Context) -> None:
    seen: set[str] = set()
    for export in ctx.module.exports:
        if export.name in seen:
            ctx.add(Diagnostic("error", "duplicate-export", f"export name `{export.name}` is used twice",
                               core_item=export.name, offset=export.offset,
                               hint="a module's export names must be unique (`wasm-tools validate` rejects the module)"))  # fmt: skip
            continue
        seen.add(export.name)
        classify_export(ctx, export)
    check_required_exports(ctx)
    check_callbacks(ctx)
    if ctx.strict:
        check_strict_exports(ctx)


def classify_export(ctx: Context, export: Export) -> None:
    if export.name in UNCHECKED_REALLOCS and export.kind == "func":
        ctx.extra_reallocs.append(export)
        return
    scheme = scheme_of_export(export.name)
    if not ctx.accepts(scheme):
        ctx.ignored_exports.append(export)
        return
    if export.kind == "memory":
        if export.name == mangling_named(scheme).memory:
            ctx.memories.append(export)
            ctx.used(scheme)
        else:
            ctx.ignored_exports.append(export)
        return
    if export.kind == "table" and scheme == "legacy" and export.name == LEGACY_TABLE:
        return
    if export.name == TASK_HOOK and scheme == "legacy":
        if export.kind == "func" and export.type != TASK_HOOK_TYPE:
            ctx.add(Diagnostic("error", "signature-mismatch", f"export `{TASK_HOOK}` has the wrong type for the task hook",
                               core_item=TASK_HOOK, wit_item="the task hook", expected=str(TASK_HOOK_TYPE),
                               found=str(export.type), offset=export.offset,
                               hint="wit-component calls the task hook with one i32 (the event) and no result"))  # fmt: skip
        return
    expected = ctx.catalog.expected_export(scheme, export.name) if export.kind == "func" else None
    if expected is None or expected.kind != "func":
        ctx.ignored_exports.append(export)
        _unknown_export(ctx, export, scheme)
        return
    ctx.used(scheme)
    ctx.found_exports[export.name] = (export, expected)
    if export.type != expected.sig:
        ctx.add(_export_mismatch(export, expected))


def _export_mismatch(export: Export, expected: ExpectedExport) -> Diagnostic:
    assert export.type is not None
    notes = ()
    if expected.role == "function" and expected.function is not None and expected.abi is not None:
        notes = (lowering_note(expected.function, expected.abi, "lift"),)
    wit = wit_item_text(expected.wit, exported=True)
    return Diagnostic(
        "error", "signature-mismatch", f"export `{export.name}` has the wrong type for {wit}",
        core_item=export.name, wit_item=wit, expected=str(expected.sig), found=str(export.type),
        hint=signature_hint(expected, export.type, "lift"), notes=notes, offset=export.offset,
    )  # fmt: skip


def _looks_mangled(name: str) -> bool:
    return name.startswith((STANDARD_PREFIX, "cabi_post_", "[")) or "#" in name


def _unknown_export(ctx: Context, export: Export, scheme: str) -> None:
    if not _looks_mangled(export.name):
        return
    strict_error = ctx.strict and export.name.startswith(STANDARD_PREFIX)
    names = [e.name for e in ctx.catalog.interface(scheme).exports]  # type: ignore[arg-type]
    hint = did_you_mean(export.name, names)
    consequence = (
        "BuildTargets.md requires rejecting it" if strict_error else "`wasm-tools component new` ignores it"
    )
    if export.kind != "func" and ctx.catalog.expected_export(scheme, export.name) is not None:  # type: ignore[arg-type]
        consequence = f"it is exported as a {export.kind}, so {consequence}"
    ctx.add(Diagnostic("error" if strict_error else "warning", "unknown-export",
                       f"export `{export.name}` matches nothing in the world; {consequence}",
                       core_item=export.name, offset=export.offset, hint=hint))  # fmt: skip


def check_required_exports(ctx: Context) -> None:
    for legacy, standard in ctx.catalog.export_pairs:
        candidates = (
            [standard.name]
            if ctx.mangling == "standard32"
            else [legacy.name]
            if ctx.mangling == "legacy"
            else [legacy.name, standard.name]
        )
        if ctx.mangling != "standard32":
            candidates += [prefix + legacy.name for prefix in ASYNC_LIFT_PREFIXES]
        if any(name in ctx.found_exports for name in candidates):
            continue
        ctx.add(_missing_export(ctx, legacy, standard))


def _missing_export(ctx: Context, legacy: ExpectedExport, standard: ExpectedExport) -> Diagnostic:
    main, other = (standard, legacy) if ctx.preferred == "standard32" else (legacy, standard)
    wit = wit_item_text(main.wit, exported=True)
    notes = []
    if ctx.mangling == "auto":
        notes.append(
            f"the {'legacy' if main is standard else 'standard32'} name `{other.name}` would do as well"
        )
    if main.function is not None and main.abi is not None:
        notes.append(lowering_note(main.function, main.abi, "lift"))
    return Diagnostic("error", "missing-export", f"missing export `{main.name}` for {wit}", core_item=main.name,
                      wit_item=wit, expected=str(main.sig), hint=_missing_hint(ctx, main, other), notes=tuple(notes))  # fmt: skip


def _missing_hint(ctx: Context, main: ExpectedExport, other: ExpectedExport) -> str | None:
    for export in ctx.module.exports:
        if export.name in (main.name, other.name):
            if export.kind != "func":
                return f"`{export.name}` is exported as a {export.kind}, not a function"
            if ctx.mangling != "auto":
                return f"the module exports `{export.name}`, a name --mangling {ctx.mangling} does not accept"
    legacy_key, _, func = main.name.rpartition("#") if "#" in main.name else ("", "", "")
    ignored = [e.name for e in ctx.ignored_exports if e.kind == "func"]
    if legacy_key and func:
        for name in ignored:
            key, sep, item = name.rpartition("#")
            if sep and item == func and key.split("@")[0] == legacy_key.split("@")[0]:
                return (f"the module exports `{name}`; legacy export names must spell the world's interface id "
                        f"exactly: `{main.name}`")  # fmt: skip
    close = closest(main.name, ignored) or closest(other.name, ignored)
    if close:
        return f"the module exports `{close}`, which matches nothing in the world: a misspelling of `{main.name}`?"
    return None


def check_callbacks(ctx: Context) -> None:
    for name, (export, _) in list(ctx.found_exports.items()):
        if name.startswith(ASYNC_LIFT_PREFIXES[0]) and f"[callback]{name}" not in ctx.found_exports:
            ctx.add(Diagnostic("error", "missing-callback", f"export `{name}` is lifted async with a callback, but `[callback]{name}` is not exported",
                               core_item=name, offset=export.offset, expected="(func (param i32 i32 i32) (result i32))",
                               hint=f"export the callback as `[callback]{name}`, or use `[async-lift-stackful]` for a stackful export"))  # fmt: skip


def check_strict_exports(ctx: Context) -> None:
    for name, (export, expected) in ctx.found_exports.items():
        if expected.role == "post-return" and expected.for_export not in ctx.found_exports:
            ctx.add(Diagnostic("error", "orphan-post-return",
                               f"export `{name}` is a post-return, but the module does not export `{expected.for_export}`",
                               core_item=name, wit_item=wit_item_text(expected.wit, exported=True), offset=export.offset,
                               hint="BuildTargets.md: a post-return requires the export it belongs to"))  # fmt: skip
    if ctx.scheme_counts["legacy"] and ctx.scheme_counts["standard32"]:
        ctx.add(Diagnostic("warning", "mixed-mangling",
                           f"the module mixes legacy ({ctx.scheme_counts['legacy']}) and standard32 "
                           f"({ctx.scheme_counts['standard32']}) names",
                           hint="wit-component accepts both, but one scheme per module is easier to follow; "
                           "`wasip2ld sig --mangling …` lists all names of one scheme"))  # fmt: skip
