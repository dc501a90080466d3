"""Explanations: which WIT item a mangled name stands for, in words; why a core signature is what it is
(``string`` lowers to (ptr, len), results wider than one value go through memory, …); and "did you mean"."""

from __future__ import annotations

from ..abi.expected import ExpectedExport, ExpectedImport
from ..abi.flatten import MAX_FLAT_PARAMS, CoreSignature, despecialize
from ..wasm import FuncType
from ..wit.model import Function, ListType, Primitive, Variant
from ..wit.render import function_text


def closest(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    import difflib  # only when there is something to report

    close = difflib.get_close_matches(name, list(dict.fromkeys(candidates)), n=1, cutoff=0.75)
    return close[0] if close else None


def did_you_mean(name: str, candidates: list[str] | tuple[str, ...]) -> str | None:
    close = closest(name, candidates)
    return f"did you mean `{close}`?" if close else None


# --- WIT items in words ------------------------------------------------------------------------------------

_INTRINSICS = {
    "[resource-drop]": "resource.drop of resource `{}`",
    "[resource-new]": "resource.new of resource `{}`",
    "[resource-rep]": "resource.rep of resource `{}`",
    "[dtor]": "destructor of resource `{}`",
    "[post-return]": "post-return of function `{}`",
    "[callback]": "async callback of function `{}`",
    "[task-return]": "task.return of function `{}`",
}
_MODULE_ITEMS = {
    "[memory]": "the memory",
    "[realloc]": "the realloc function",
    "[initialize]": "the initialize function",
}


def wit_item_text(wit: str, *, exported: bool = False) -> str:
    """``a:b/x@1.2.3 y`` → "function `y` of interface `a:b/x@1.2.3`"; ``$root top`` → "world function `top`";
    ``[export]a:b/x@1.2.3 [resource-new]r`` → "resource.new of resource `r` of exported interface …"."""
    owner, _, item = wit.partition(" ")
    if item in _MODULE_ITEMS:
        return _MODULE_ITEMS[item]
    if owner.startswith("[export]"):
        owner, exported = owner[len("[export]") :], True
    what = next((text.format(item[len(p) :]) for p, text in _INTRINSICS.items() if item.startswith(p)), None)
    if what is None:
        what = (
            f"built-in `{item}`"
            if item.startswith("[") and not item.startswith(("[method]", "[static]", "[constructor]"))
            else f"function `{item}`"
        )
    if owner == "$root":
        return f"{what} {'exported' if exported else 'imported'} by the world"
    return f"{what} of {'exported ' if exported else ''}interface `{owner}`"


# --- signatures --------------------------------------------------------------------------------------------


def _is_list_like(t: object) -> bool:
    spec = despecialize(t)  # type: ignore[arg-type]
    return isinstance(spec, ListType) or (isinstance(spec, Primitive) and spec.name == "string")


def param_slots(func: Function, sig: CoreSignature, context: str) -> list[tuple[str, str]]:
    """(core type, where it comes from) for each core parameter ``sig`` has."""
    if sig.indirect_params:
        slots = [
            (
                "i32",
                f"a pointer to the parameters in memory ({_flat_count(sig)} values are more than {MAX_FLAT_PARAMS})",
            )
        ]
    else:
        slots = []
        for param, flat in zip(func.params, sig.wit_params):
            slots += [
                (core, _describe(param.name, flat.wit_type, param.type, i, len(flat.core)))
                for i, core in enumerate(flat.core)
            ]
    if sig.retptr and context == "lower":
        slots.append(("i32", "the return pointer (the result is written to memory)"))
    return slots


def _flat_count(sig: CoreSignature) -> int:
    return sum(len(p.core) for p in sig.wit_params)


def _describe(name: str, wit_type: str, t: object, index: int, count: int) -> str:
    if _is_list_like(t):
        return f"`{name}: {wit_type}` ({'pointer' if index == 0 else 'length'})"
    if isinstance(despecialize(t), Variant):  # type: ignore[arg-type]
        if index == 0:
            return f"`{name}: {wit_type}` (the discriminant)"
        return f"`{name}: {wit_type}` (payload value {index}: the cases' payloads share it, i32+f32 join to i32, else i64)"
    if count == 1:
        return f"`{name}: {wit_type}`"
    return f"`{name}: {wit_type}` (value {index + 1} of {count})"


def lowering_note(func: Function, sig: CoreSignature, context: str) -> str:
    """``WIT `y: func(s: string) -> string` lowers to (param i32 i32 i32): s → i32 i32 (pointer, length); …``"""
    verb = "lowers" if context == "lower" else "lifts"
    parts = []
    if sig.indirect_params:
        parts.append(
            f"the {_flat_count(sig)} parameter values → one i32 pointer (more than {MAX_FLAT_PARAMS})"
        )
    else:
        for param, flat in zip(func.params, sig.wit_params):
            extra = " (pointer, length)" if _is_list_like(param.type) else ""
            parts.append(f"{param.name} → {' '.join(flat.core) or 'nothing'}{extra}")
    if sig.wit_result is not None:
        if sig.retptr:
            where = (
                "a return pointer, the last parameter" if context == "lower" else "one returned i32 pointer"
            )
            parts.append(f"result → {where} ({len(sig.wit_result.core)} values are more than one)")
        else:
            parts.append(f"result → {' '.join(sig.wit_result.core) or 'nothing'}")
    detail = "; ".join(parts) if parts else "no parameters, no result"
    return f"WIT `{function_text(func)}` {verb} to {sig.functype}: {detail}"


def signature_hint(expected: ExpectedImport | ExpectedExport, found: FuncType, context: str) -> str | None:
    """The most specific reason ``found`` differs from ``expected.sig``."""
    role = expected.role
    if role in FIXED_HINTS:
        return FIXED_HINTS[role]
    if role == "post-return":
        assert expected.sig is not None
        results = " ".join(expected.sig.params) or "nothing"
        return f"a post-return takes the export's core results ({results}) as parameters and returns nothing"
    func, sig = expected.function, expected.abi
    if role != "function" or func is None or sig is None:
        return None
    return _function_hint(func, sig, found, context)


FIXED_HINTS = {
    "resource-drop": "resource.drop takes the handle (i32) and returns nothing",
    "resource-new": "resource.new takes the representation (i32) and returns the new handle (i32)",
    "resource-rep": "resource.rep takes a handle (i32) and returns its representation (i32)",
    "dtor": "a destructor takes the resource's representation (i32) and returns nothing",
    "realloc": "realloc takes (old pointer, old size, alignment, new size) and returns the new pointer, all i32",
    "initialize": "the initialize function takes nothing and returns nothing",
    "callback": "an async callback takes (event, waitable, payload) and returns a status code, all i32",
}


def _function_hint(func: Function, sig: CoreSignature, found: FuncType, context: str) -> str | None:
    result = sig.wit_result
    if sig.retptr and result is not None:
        wide = (
            f"the result `{result.wit_type}` flattens to {len(result.core)} values ({' '.join(result.core)})"
        )
        if context == "lower" and (found.results or len(found.params) == len(sig.params) - 1):
            return f"{wide}; results wider than one value use a return pointer as the last parameter (i32) and no results"
        if context == "lift" and found.results != ("i32",):
            return (
                f"{wide}; an export returns results wider than one value through memory, as one i32 pointer"
            )
    if sig.indirect_params and len(found.params) > 1 + (sig.retptr and context == "lower"):
        return (f"the parameters flatten to {_flat_count(sig)} values, more than {MAX_FLAT_PARAMS}, so they are "
                "passed in memory: one i32 pointer")  # fmt: skip
    slots = param_slots(func, sig, context)
    hint = _param_hint(slots, found.params)
    if hint is not None:
        return hint
    if found.results != sig.results:
        if result is None:
            return "the function has no result, so the core function returns nothing"
        return f"the result `{result.wit_type}` flattens to ({' '.join(sig.results) or 'nothing'})"
    return None


def _param_hint(slots: list[tuple[str, str]], found: tuple[str, ...]) -> str | None:
    for index, (core, origin) in enumerate(slots):
        if index >= len(found):
            if "(pointer)" in origin or "(length)" in origin:
                return f"core parameter {index + 1} should be {core}, from {origin}: a string or list lowers to (ptr, len)"
            return f"core parameter {index + 1} is missing: it should be {core}, from {origin}"
        if found[index] != core:
            return f"core parameter {index + 1} should be {core}, not {found[index]}: it is {origin}"
    if len(found) > len(slots):
        return f"the module's function has {len(found) - len(slots)} parameter(s) too many ({len(found)} instead of {len(slots)})"
    return None
