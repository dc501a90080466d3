"""The Python values of WIT types, as the host lifts and lowers them.

| WIT | Python |
|---|---|
| `bool`, integers, floats | `bool`, `int`, `float` |
| `char`, `string` | `str` (one code point for `char`) |
| `list<u8>` | `bytes` (any bytes-like object going in) |
| `list<T>`, `list<T, N>` | `list` (any sequence going in) |
| `map<K, V>` | `dict` |
| `tuple<…>` | `tuple` |
| `record` | a `Record` going out; a dict, a `Record` or any object with the fields going in |
| `variant` | `Variant(case, value)` |
| `enum` | the case name (`str`) |
| `flags` | `frozenset` of the set labels (any iterable of labels going in) |
| `option<T>` | `None` or the value; `Some(v)` when `T` itself can be `None` (`option<option<u8>>`) |
| `result<T, E>` | `Ok(v)` / `Err(v)` (`v` is None for `_`) |
| `own<R>`, `borrow<R>` | a `Resource` for resources the module implements; for resources the host implements, the Python object the host function returned |
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Ok:
    value: Any = None


@dataclass(frozen=True)
class Err:
    value: Any = None


@dataclass(frozen=True)
class Some:
    """The `some` case of an `option<T>` whose payload can itself be `None`."""

    value: Any


@dataclass(frozen=True)
class Variant:
    case: str
    value: Any = None


class Record:
    """A lifted record: fields as attributes (WIT names with `-` become `_`), equal to a dict of the WIT
    names or to another record with the same fields."""

    __slots__ = ("_fields",)

    def __init__(self, fields: dict[str, Any]) -> None:
        object.__setattr__(self, "_fields", dict(fields))

    def __getattr__(self, name: str) -> Any:
        fields = object.__getattribute__(self, "_fields")
        for key in (name, name.replace("_", "-")):
            if key in fields:
                return fields[key]
        raise AttributeError(name)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a lifted record is immutable")

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def as_dict(self) -> dict[str, Any]:
        return dict(self._fields)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Record):
            return self._fields == other._fields
        if isinstance(other, dict):
            return self._fields == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self._fields.items()))

    def __repr__(self) -> str:
        return "Record(" + ", ".join(f"{k}={v!r}" for k, v in self._fields.items()) + ")"
