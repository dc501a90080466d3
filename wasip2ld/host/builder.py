"""Building (and caching) the codec of each WIT type from the WIT model."""

from __future__ import annotations

from typing import Any, Callable

from ..abi import layout
from ..abi.flatten import despecialize, flatten_type
from ..wit.model import (
    Enum,
    FixedListType,
    Flags,
    FutureType,
    Handle,
    ListType,
    MapType,
    OptionType,
    Primitive,
    Record as RecordKind,
    ResultType,
    StreamType,
    Tuple,
    Type,
    TypeDef,
    Variant as VariantKind,
    resolve_alias,
)
from ..wit.render import type_text
from .codec import BadValue, Codec, describe
from .compound import (
    FieldsCodec, FixedListCodec, FlagsCodec, HandleCodec, ListCodec, MapCodec, VariantCodec, option_from_case,
)  # fmt: skip
from .errors import LinkError
from .scalars import primitive
from .values import Err, Ok, Some, Variant


class CodecBuilder:
    """Builds (and caches) codecs. ``resource_type(typedef)`` maps a WIT resource to the instance's
    runtime resource type (which knows whether the module or the host implements it)."""

    def __init__(self, resource_type: Callable[[TypeDef], Any]) -> None:
        self.resource_type = resource_type
        self.cache: dict[Type, Codec] = {}

    def codec(self, t: Type) -> Codec:
        found = self.cache.get(t)
        if found is None:
            found = self.cache[t] = self.build(t)
        return found

    def build(self, t: Type) -> Codec:
        wit = type_text(t)
        target = resolve_alias(t)
        if isinstance(target, Primitive):
            return primitive(target.name)
        kind = target.kind
        flat = tuple(flatten_type(t))
        match kind:
            case ListType(element=e):
                return ListCodec(self.codec(e), wit)
            case MapType(key=k, value=v):
                return MapCodec(self.fields(None, [k, v], f"tuple<{k}, {v}>"), wit)
            case FixedListType(element=e, length=n):
                return FixedListCodec(self.codec(e), n, wit, tuple(flatten_type(e)) * n)
            case RecordKind(fields=fields):
                return self.fields([f.name for f in fields], [f.type for f in fields], wit)
            case Tuple(types=types):
                return self.fields(None, list(types), wit)
            case Flags(names=names):
                return FlagsCodec(names, wit)
            case Handle(kind=hk, resource=r):
                return HandleCodec(hk, self.resource_type(resolve_alias(r)), wit)  # type: ignore[arg-type]
            case FutureType() | StreamType():
                raise LinkError(f"`{wit}`: futures and streams (WASI 0.3 async) are not supported by the core host")
        return self.variant(kind, despecialize(t), wit, flat)

    def fields(self, names: list[str] | None, types: list[Type], wit: str) -> FieldsCodec:
        """A record (``names``) or a tuple, laid out by ``wasip2ld.abi.layout``."""
        size, align = layout.record_size_align(types)
        return FieldsCodec(names, [self.codec(t) for t in types], wit, layout.field_offsets(types), size, align)

    def variant(self, kind: Any, despecialized: Any, wit: str, flat: tuple[str, ...]) -> Codec:
        names = [c.name for c in despecialized.cases]
        cases = [None if c.type is None else self.codec(c.type) for c in despecialized.cases]
        placed = layout.variant_layout([c.type for c in despecialized.cases])
        match kind:
            case Enum():
                return VariantCodec(names, cases, wit, flat, _enum_to_case(names, wit), lambda i, _: names[i], placed)
            case OptionType():
                inner_nullable = cases[1] is not None and cases[1].may_be_none()
                return VariantCodec(names, cases, wit, flat, _option_to_case,
                                    option_from_case if not inner_nullable else
                                    lambda i, v: None if i == 0 else Some(v), placed)
            case ResultType():
                return VariantCodec(names, cases, wit, flat, _result_to_case(wit),
                                    lambda i, v: Ok(v) if i == 0 else Err(v), placed)
            case VariantKind():
                return VariantCodec(names, cases, wit, flat, _variant_to_case(names, cases, wit),
                                    lambda i, v: Variant(names[i], v), placed)
        raise AssertionError(f"unhandled type {wit}")  # pragma: no cover


def _enum_to_case(names: list[str], wit: str) -> Callable[[Any], tuple[int, Any]]:
    def to_case(value: Any) -> tuple[int, Any]:
        if not isinstance(value, str):
            raise BadValue(f"expected an enum case name (str) of {wit}, got {type(value).__name__}")
        if value not in names:
            raise BadValue(f"`{value}` is not a case of {wit} ({', '.join(names)})", ValueError)
        return names.index(value), None

    return to_case


def _option_to_case(value: Any) -> tuple[int, Any]:
    if value is None:
        return 0, None
    return 1, value.value if isinstance(value, Some) else value


def _result_to_case(wit: str) -> Callable[[Any], tuple[int, Any]]:
    def to_case(value: Any) -> tuple[int, Any]:
        if isinstance(value, Ok):
            return 0, value.value
        if isinstance(value, Err):
            return 1, value.value
        raise BadValue(f"expected Ok(…) or Err(…) ({wit}), got {describe(value)}")

    return to_case


def _variant_to_case(names: list[str], cases: list, wit: str) -> Callable[[Any], tuple[int, Any]]:
    def to_case(value: Any) -> tuple[int, Any]:
        if not isinstance(value, Variant):
            raise BadValue(f"expected Variant(case, value) ({wit}), got {describe(value)}")
        if value.case not in names:
            raise BadValue(f"`{value.case}` is not a case of {wit} ({', '.join(names)})", ValueError)
        return names.index(value.case), value.value

    return to_case
