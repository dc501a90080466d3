"""Hypothesis strategies for Python values of WIT types (in wasip2ld.host's representation), and the
conversions to and from wasmtime.component's values (type-directed, since wasmtime-py leaves a variant
untagged when its cases' Python types differ)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st
from wasmtime import component as cm

from wasip2ld.host import Err, Ok, Record, Some, Variant
from wasip2ld.wit.model import (
    Enum, FixedListType, Flags, Handle, ListType, MapType, OptionType, Primitive, Record as RecordKind,
    ResultType, Tuple, Type, Variant as VariantKind, resolve_alias,
)  # fmt: skip

INTS = {"u8": (0, 2**8 - 1), "u16": (0, 2**16 - 1), "u32": (0, 2**32 - 1), "u64": (0, 2**64 - 1),
        "s8": (-(2**7), 2**7 - 1), "s16": (-(2**15), 2**15 - 1), "s32": (-(2**31), 2**31 - 1),
        "s64": (-(2**63), 2**63 - 1)}  # fmt: skip
CHARS = st.characters(blacklist_categories=("Cs",))


class HostRes:
    """A host-implemented resource value: compared by identity."""


def strategy(t: Type) -> st.SearchStrategy[Any]:
    t = resolve_alias(t)
    if isinstance(t, Primitive):
        n = t.name
        if n in INTS:
            return st.integers(*INTS[n])
        return {"bool": st.booleans(), "f32": st.floats(width=32, allow_nan=False),
                "f64": st.floats(allow_nan=False), "char": CHARS,
                "string": st.text(CHARS, max_size=12)}[n]
    k = t.kind
    match k:
        case ListType(element=e):
            if isinstance(resolve_alias(e), Primitive) and resolve_alias(e).name == "u8":
                return st.binary(max_size=16)
            return st.lists(strategy(e), max_size=3)
        case FixedListType(element=e, length=n):
            return st.lists(strategy(e), min_size=n, max_size=n)
        case MapType(key=key, value=v):
            return st.dictionaries(strategy(key), strategy(v), max_size=3)
        case RecordKind(fields=fields):
            return st.fixed_dictionaries({f.name: strategy(f.type) for f in fields})
        case Tuple(types=types):
            return st.tuples(*(strategy(x) for x in types))
        case VariantKind(cases=cases):
            return st.one_of(*(st.just(Variant(c.name)) if c.type is None else
                               strategy(c.type).map(lambda v, c=c: Variant(c.name, v)) for c in cases))
        case Enum(cases=cases):
            return st.sampled_from(cases)
        case Flags(names=names):
            return st.frozensets(st.sampled_from(names))
        case OptionType(type=x):
            inner = strategy(x)
            inner_t = resolve_alias(x)
            nested = not isinstance(inner_t, Primitive) and isinstance(inner_t.kind, OptionType)
            return st.one_of(st.none(), inner.map(Some) if nested else inner)
        case ResultType(ok=ok, err=err):
            return st.one_of((strategy(ok) if ok else st.none()).map(Ok), (strategy(err) if err else st.none()).map(Err))
        case Handle():
            return st.builds(HostRes)
    raise AssertionError(f"no strategy for {t}")


def same(t: Type, mine: Any, theirs: Any) -> bool:
    """Whether a lifted value equals the expected one (floats: -0.0/0.0 and bit-equal floats)."""
    return to_plain(t, mine) == to_plain(t, theirs)


def to_plain(t: Type, v: Any) -> Any:
    """A comparable form: records as dicts, floats by value, everything else as is."""
    t = resolve_alias(t)
    if isinstance(t, Primitive):
        return v
    k = t.kind
    match k:
        case ListType(element=e) | FixedListType(element=e):
            return v if isinstance(v, bytes) else [to_plain(e, x) for x in v]
        case MapType(key=key, value=val):
            return {to_plain(key, a): to_plain(val, b) for a, b in v.items()}
        case RecordKind(fields=fields):
            get = v.__getitem__ if isinstance(v, (dict, Record)) else lambda n: getattr(v, n)
            return {f.name: to_plain(f.type, get(f.name)) for f in fields}
        case Tuple(types=types):
            return tuple(to_plain(x, y) for x, y in zip(types, v))
        case VariantKind(cases=cases):
            c = next(c for c in cases if c.name == v.case)
            return (v.case, None if c.type is None else to_plain(c.type, v.value))
        case OptionType(type=x):
            return None if v is None else ("some", to_plain(x, v.value if isinstance(v, Some) else v))
        case ResultType(ok=ok, err=err):
            inner = ok if isinstance(v, Ok) else err
            return (type(v).__name__, None if inner is None else to_plain(inner, v.value))
    return v


# --- wasmtime.component values -----------------------------------------------------------------------------


def to_wasmtime(ty: Any, v: Any) -> Any:
    if isinstance(ty, cm.ListType):
        return v if isinstance(v, bytes) else [to_wasmtime(ty.element, x) for x in v]
    if isinstance(ty, cm.RecordType):
        r = cm.Record()
        for name, fty in ty.fields:
            setattr(r, name, to_wasmtime(fty, v[name]))
        return r
    if isinstance(ty, cm.TupleType):
        return tuple(to_wasmtime(e, x) for e, x in zip(ty.elements, v))
    if isinstance(ty, cm.FlagsType):
        return set(v)
    if isinstance(ty, (cm.VariantType, cm.OptionType, cm.ResultType)):
        cases = ty._cases()
        if isinstance(ty, cm.OptionType):
            case, payload = ("none", None) if v is None else ("some", v.value if isinstance(v, Some) else v)
        elif isinstance(ty, cm.ResultType):
            case, payload = ("ok" if isinstance(v, Ok) else "err"), v.value
        else:
            case, payload = v.case, v.value
        cty = dict(cases)[case]
        value = None if cty is None else to_wasmtime(cty, payload)
        return cm.Variant(case, value) if ty._tagged() else value
    return v


def from_wasmtime(ty: Any, v: Any) -> Any:
    if isinstance(ty, cm.ListType):
        return v if isinstance(v, bytes) else [from_wasmtime(ty.element, x) for x in v]
    if isinstance(ty, cm.RecordType):
        return Record({name: from_wasmtime(fty, getattr(v, name)) for name, fty in ty.fields})
    if isinstance(ty, cm.TupleType):
        return tuple(from_wasmtime(e, x) for e, x in zip(ty.elements, v))
    if isinstance(ty, cm.FlagsType):
        return frozenset(v)
    if isinstance(ty, (cm.VariantType, cm.OptionType, cm.ResultType)):
        cases = ty._cases()
        if ty._tagged():
            case, payload = v.tag, v.payload
        else:
            case, payload = _untagged_case(cases, v)
        cty = dict(cases)[case]
        value = None if cty is None else from_wasmtime(cty, payload)
        if isinstance(ty, cm.OptionType):
            return None if case == "none" else (Some(value) if isinstance(ty.payload, cm.OptionType) else value)
        if isinstance(ty, cm.ResultType):
            return Ok(value) if case == "ok" else Err(value)
        return Variant(case, value)
    return v


def wasmtime_ambiguous(ty: Any) -> bool:
    """wasmtime-py leaves a variant untagged when its cases' Python classes are disjoint, yet picks the
    case with ``isinstance``: an option payload counts as `object`, and `bool` is an `int`, so such
    values cannot be passed to it reliably."""
    if isinstance(ty, (cm.VariantType, cm.OptionType, cm.ResultType)):
        cases = [c for _, c in ty._cases()]
        if not ty._tagged():
            classes = []
            for c in cases:
                found: set = set()
                if c is not None:
                    c.add_classes(found)
                classes.append(found)
            for i, a in enumerate(classes):
                for b in classes[i + 1:]:
                    if any(issubclass(x, y) or issubclass(y, x) for x in a for y in b):
                        return True
        return any(wasmtime_ambiguous(c) for c in cases if c is not None)
    if isinstance(ty, cm.ListType):
        return wasmtime_ambiguous(ty.element)
    if isinstance(ty, cm.RecordType):
        return any(wasmtime_ambiguous(t) for _, t in ty.fields)
    if isinstance(ty, cm.TupleType):
        return any(wasmtime_ambiguous(t) for t in ty.elements)
    return False


def _untagged_case(cases: list, v: Any) -> tuple[str, Any]:
    for name, cty in cases:
        classes: set = set()
        if cty is None:
            if v is None:
                return name, None
            continue
        cty.add_classes(classes)
        if isinstance(v, tuple(classes)):
            return name, v
    raise AssertionError(f"no case of {cases} for {v!r}")
