"""Canonical ABI flattening for wasm32, written to be read side by side with CanonicalABI.md §Flattening
(and ``definitions.py``): ``despecialize``, ``flatten_type``, ``flatten_variant``, ``join``,
``flatten_functype``. Core value types are the strings ``"i32"``, ``"i64"``, ``"f32"``, ``"f64"``.

Beyond the spec functions, ``CoreSignature`` records *why* each core value exists (which WIT parameter it
came from, whether parameters were spilled to memory, whether results go through a pointer) so a
validator can explain a mismatch, and ``needs_memory``/``needs_realloc`` say which canonical options a
function requires (spec §2.5 of docs/… ``wit-to-core-abi.md``).
"""

from __future__ import annotations

from typing import Literal

from ..frozen import frozen
from ..wit.model import (
    Case,
    Enum,
    Field,
    FixedListType,
    Flags,
    Function,
    FutureType,
    Handle,
    ListType,
    MapType,
    OptionType,
    Primitive,
    Record,
    Resource,
    ResultType,
    StreamType,
    Tuple,
    Type,
    TypeDef,
    Variant,
    resolve_alias,
)  # fmt: skip
from ..wit.render import type_text
from .functype import FuncType

MAX_FLAT_PARAMS = 16
MAX_FLAT_ASYNC_PARAMS = 4
MAX_FLAT_RESULTS = 1
PTR = "i32"  # wasm32: one 32-bit linear memory
# Past this many values the exact count never changes an outcome (16 params, 1 result), so fixed-length
# lists stop expanding there instead of building lists of millions of entries.
_ENOUGH = MAX_FLAT_PARAMS + 1

Context = Literal["lift", "lower"]
AbiKind = Literal["sync", "async-callback", "async-stackful"]

_PRIMITIVE_FLAT = {
    "bool": ["i32"], "s8": ["i32"], "u8": ["i32"], "s16": ["i32"], "u16": ["i32"], "s32": ["i32"],
    "u32": ["i32"], "char": ["i32"], "s64": ["i64"], "u64": ["i64"], "f32": ["f32"], "f64": ["f64"],
    "string": [PTR, PTR], "error-context": ["i32"],
}  # fmt: skip


def despecialize(t: Type):
    """tuple → record, enum → variant of empty cases, option/result → variant, map → list of pairs."""
    t = resolve_alias(t)
    if isinstance(t, Primitive):
        return t
    match t.kind:
        case Tuple(types=types):
            return Record(tuple(Field(str(i), x) for i, x in enumerate(types)))
        case Enum(cases=cases):
            return Variant(tuple(Case(c, None) for c in cases))
        case OptionType(type=x):
            return Variant((Case("none", None), Case("some", x)))
        case ResultType(ok=ok, err=err):
            return Variant((Case("ok", ok), Case("error", err)))
        case MapType(key=k, value=v):
            return ListType(TypeDef(None, Tuple((k, v))))
    return t.kind


# fmt: off
def flatten_type(t: Type) -> list[str]:
    match despecialize(t):
        case Primitive(name=name):                      return list(_PRIMITIVE_FLAT[name])
        case ListType():                                return [PTR, PTR]
        case FixedListType(element=e, length=n):        return flatten_fixed_list(e, n)
        case Record(fields=fields):                     return flatten_record(fields)
        case Variant(cases=cases):                      return flatten_variant(cases)
        case Flags():                                   return ["i32"]  # 1 to 32 labels (wasm-tools checks)
        case Handle() | FutureType() | StreamType():    return ["i32"]
        case Resource():
            raise ValueError(f"a resource type is used only through own<…>/borrow<…>: {type_text(t)}")
    raise AssertionError(f"unhandled type {t!r}")  # pragma: no cover
# fmt: on


def flatten_fixed_list(element: Type, length: int) -> list[str]:
    flat = flatten_type(element)
    return (flat * min(length, _ENOUGH))[: max(_ENOUGH, len(flat))]


def flatten_record(fields: tuple[Field, ...]) -> list[str]:
    flat: list[str] = []
    for f in fields:
        flat += flatten_type(f.type)
    return flat


def flatten_variant(cases: tuple[Case, ...]) -> list[str]:
    flat: list[str] = []
    for c in cases:
        if c.type is not None:
            for i, ft in enumerate(flatten_type(c.type)):
                if i < len(flat):
                    flat[i] = join(flat[i], ft)
                else:
                    flat.append(ft)
    return flatten_type(discriminant_type(cases)) + flat


def join(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} == {"i32", "f32"}:
        return "i32"
    return "i64"


def discriminant_type(cases: tuple[Case, ...]) -> Primitive:
    n = len(cases)
    assert 0 < n < (1 << 32)
    return Primitive("u8" if n <= 256 else "u16" if n <= 65536 else "u32")


def flatten_types(types: list[Type]) -> list[str]:
    return [ft for t in types for ft in flatten_type(t)]


# --- function signatures ---------------------------------------------------------------------------------


@frozen
class FlatValue:
    """One WIT parameter (or the result) and the core values it flattens to before any spilling."""

    name: str  # the parameter name, or "result"
    wit_type: str
    core: tuple[str, ...]


@frozen
class CoreSignature:
    """What ``flatten_functype`` decided, with the reasons kept (after wit-parser's ``WasmSignature``)."""

    params: tuple[str, ...]
    results: tuple[str, ...]
    indirect_params: bool  # more than the flat limit: one pointer to the parameters in memory
    retptr: bool  # results spilled: lowered → a trailing pointer param; lifted → a returned pointer
    wit_params: tuple[FlatValue, ...] = ()
    wit_result: FlatValue | None = None

    @property
    def functype(self) -> FuncType:
        return FuncType(self.params, self.results)


def flatten_functype(
    func: Function, context: Context, async_: bool = False, callback: bool = False
) -> CoreSignature:
    """The core signature of ``func`` lifted (an export) or lowered (an import), per CanonicalABI.md;
    ``async_``/``callback`` are the canonical options of the same names."""
    wit_params = tuple(FlatValue(p.name, type_text(p.type), tuple(flatten_type(p.type))) for p in func.params)
    wit_result = None
    if func.result is not None:
        wit_result = FlatValue("result", type_text(func.result), tuple(flatten_type(func.result)))
    flat_params = [ft for p in wit_params for ft in p.core]
    flat_results = list(wit_result.core) if wit_result else []
    indirect = retptr = False
    if not async_:
        if len(flat_params) > MAX_FLAT_PARAMS:
            flat_params, indirect = [PTR], True
        if len(flat_results) > MAX_FLAT_RESULTS:
            retptr = True
            if context == "lift":
                flat_results = [PTR]
            else:
                flat_params, flat_results = flat_params + [PTR], []
    elif context == "lift":
        if len(flat_params) > MAX_FLAT_PARAMS:
            flat_params, indirect = [PTR], True
        flat_results = ["i32"] if callback else []
    else:
        if len(flat_params) > MAX_FLAT_ASYNC_PARAMS:
            flat_params, indirect = [PTR], True
        if func.result is not None:  # wit-parser: any result, even one that flattens to nothing
            flat_params, retptr = flat_params + [PTR], True
        flat_results = ["i32"]
    return CoreSignature(tuple(flat_params), tuple(flat_results), indirect, retptr, wit_params, wit_result)


def task_return_signature(func: Function) -> CoreSignature:
    """``task.return`` for an async export: the flattened result as parameters (a pointer past 16)."""
    wit_result = None
    flat: list[str] = []
    if func.result is not None:
        flat = flatten_type(func.result)
        wit_result = FlatValue("result", type_text(func.result), tuple(flat))
    indirect = len(flat) > MAX_FLAT_PARAMS
    params = (PTR,) if indirect else tuple(flat)
    return CoreSignature(params, (), indirect, False, (wit_result,) if wit_result else (), None)


def post_return_functype(lifted: CoreSignature) -> FuncType:
    """A post-return takes the export's core results as its parameters and returns nothing."""
    return FuncType(lifted.results, ())


# --- which canonical options a function needs (CanonicalABI canonopt validation) -------------------------


def contains_list(t: Type | None) -> bool:
    """True if values of ``t`` own memory the callee must allocate: a string or list anywhere inside."""
    if t is None:
        return False
    match despecialize(t):
        case Primitive(name=name):
            return name == "string"
        case ListType():
            return True
        case FixedListType(element=e):
            return contains_list(e)
        case Record(fields=fields):
            return any(contains_list(f.type) for f in fields)
        case Variant(cases=cases):
            return any(contains_list(c.type) for c in cases)
    return False


def needs_memory(func: Function, sig: CoreSignature) -> bool:
    return sig.indirect_params or sig.retptr or any(contains_list(t) for t in _signature_types(func))


def needs_realloc(func: Function, sig: CoreSignature, context: Context) -> bool:
    """Lifting an export allocates its arguments; lowering an import allocates its results."""
    if context == "lift":
        return sig.indirect_params or any(contains_list(p.type) for p in func.params)
    return contains_list(func.result)


def _signature_types(func: Function) -> list[Type]:
    return [p.type for p in func.params] + ([func.result] if func.result is not None else [])
