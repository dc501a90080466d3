"""WIT text for types and function signatures, as a person would write them (for messages and hints)."""

from __future__ import annotations

from .model import (
    Alias,
    Enum,
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
)  # fmt: skip


def type_text(t: Type | None) -> str:
    """``string``, ``list<point>``, ``result<_, u32>``, ``borrow<r>``; named types by their name."""
    if t is None:
        return "_"
    if isinstance(t, Primitive):
        return t.name
    if t.name is not None:
        return t.name
    return _anonymous_text(t)


def _anonymous_text(t: TypeDef) -> str:
    match t.kind:
        case ListType(element=e):
            return f"list<{type_text(e)}>"
        case FixedListType(element=e, length=n):
            return f"list<{type_text(e)}, {n}>"
        case MapType(key=k, value=v):
            return f"map<{type_text(k)}, {type_text(v)}>"
        case OptionType(type=e):
            return f"option<{type_text(e)}>"
        case ResultType(ok=None, err=None):
            return "result"
        case ResultType(ok=ok, err=None):
            return f"result<{type_text(ok)}>"
        case ResultType(ok=ok, err=err):
            return f"result<{type_text(ok)}, {type_text(err)}>"
        case Tuple(types=ts):
            return f"tuple<{', '.join(type_text(x) for x in ts)}>"
        case Handle(kind="own", resource=r):
            return type_text(r)
        case Handle(kind="borrow", resource=r):
            return f"borrow<{type_text(r)}>"
        case FutureType(type=e):
            return "future" if e is None else f"future<{type_text(e)}>"
        case StreamType(type=e):
            return "stream" if e is None else f"stream<{type_text(e)}>"
        case Alias(target=target):
            return type_text(target)
        case Record() | Variant() | Enum() | Flags() | Resource():
            return f"<anonymous {type(t.kind).__name__.lower()}>"
    raise AssertionError(f"unhandled type kind {t.kind!r}")


def function_text(f: Function) -> str:
    """``f: func(a: u32, s: string) -> list<u8>`` (``async func`` for async functions)."""
    params = ", ".join(f"{p.name}: {type_text(p.type)}" for p in f.params)
    result = f" -> {type_text(f.result)}" if f.result is not None else ""
    prefix = "async func" if f.is_async else "func"
    return f"{f.name}: {prefix}({params}){result}"
