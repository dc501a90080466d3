"""C code that turns C values into the Canonical ABI's flat core values and back (CanonicalABI.md
``lower_flat``/``lift_flat``), with variant payloads joined to a common core type (``flatten_variant``).

Values in linear memory need no conversion: every C type has the ABI's memory layout (see ``ctypes``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..abi.flatten import flatten_type, flatten_variant
from ..wit.model import (
    Case,
    Enum,
    FixedListType,
    Flags,
    FutureType,
    Handle,
    ListType,
    MapType,
    OptionType,
    Primitive,
    Record,
    ResultType,
    StreamType,
    Tuple,
    Type,
    Variant,
    resolve_alias,
)  # fmt: skip
from .ctypes import CTypes
from .names import c_ident

CORE_C = {"i32": "int32_t", "i64": "int64_t", "f32": "float", "f64": "double"}
_INT_LIFT = {
    "bool": "bool", "u8": "uint8_t", "s8": "int8_t", "u16": "uint16_t", "s16": "int16_t",
    "u32": "uint32_t", "s32": "int32_t", "char": "uint32_t", "u64": "uint64_t", "s64": "int64_t",
}  # fmt: skip
# Bitcasts through unions (declared in the .c file when used).
UNIONS = {
    "int32_float": "union int32_float { int32_t a; float b; };",
    "float_int32": "union float_int32 { float a; int32_t b; };",
    "int64_double": "union int64_double { int64_t a; double b; };",
    "double_int64": "union double_int64 { double a; int64_t b; };",
}


@dataclass
class Body:
    """The statements of one generated function, with fresh local names."""

    types: CTypes
    lines: list[str] = field(default_factory=list)
    unions: set[str] = field(default_factory=set)
    counter: int = 0

    def tmp(self, base: str) -> str:
        self.counter += 1
        return f"{base}{self.counter}"

    def emit(self, *lines: str) -> None:
        self.lines.extend(lines)

    # --- lowering: C value -> core values ----------------------------------------------------------

    def lower(self, t: Type, e: str) -> list[str]:
        r = resolve_alias(t)
        if isinstance(r, Primitive):
            if r.name == "string":
                return _ptr_len(e)
            if r.name in ("u64", "s64"):
                return [f"(int64_t) ({e})"]
            if r.name in ("f32", "f64"):
                return [e]
            return [f"(int32_t) ({e})"]
        match r.kind:
            case ListType() | MapType():
                return _ptr_len(e)
            case FixedListType(element=x, length=n):
                return [v for i in range(n) for v in self.lower(x, f"({e}).val[{i}]")]
            case Record(fields=fields):
                return [v for f in fields for v in self.lower(f.type, f"({e}).{c_ident(f.name)}")]
            case Tuple(types=types):
                return [v for i, x in enumerate(types) for v in self.lower(x, f"({e}).f{i}")]
            case Flags() | Enum() | FutureType() | StreamType():
                return [f"(int32_t) ({e})"]
            case Handle(kind=kind):
                if kind == "borrow" and self.types.resource_of(r.kind).exported:
                    return [f"(int32_t) (uintptr_t) ({e})"]
                return [f"({e}).__handle"]
            case Variant(cases=cases):
                arms = [(c, f"({e}).val.{c_ident(c.name)}") for c in cases]
                return self._lower_variant(cases, f"({e}).tag", arms)
            case OptionType(type=x):
                cases = (Case("none", None), Case("some", x))
                return self._lower_variant(cases, f"({e}).is_some", list(zip(cases, ["", f"({e}).val"])))
            case ResultType(ok=ok, err=err):
                cases = (Case("ok", ok), Case("error", err))
                arms = list(zip(cases, [f"({e}).val.ok", f"({e}).val.err"]))
                return self._lower_variant(cases, f"({e}).is_err", arms)
        raise AssertionError(f"cannot lower {t!r}")  # pragma: no cover

    def _lower_variant(self, cases: tuple[Case, ...], tag: str, arms: list[tuple[Case, str]]) -> list[str]:
        joined = flatten_variant(cases)[1:]
        slots = []
        for core in joined:
            slot = self.tmp("variant")
            self.emit(f"{CORE_C[core]} {slot} = 0;")
            slots.append(slot)
        self.emit(f"switch ((int32_t) {tag}) {{")
        for i, (case, access) in enumerate(arms):
            self.emit(f"case {i}: {{")
            if case.type is not None:
                have = flatten_type(case.type)
                for slot, want, kind, value in zip(slots, joined, have, self.lower(case.type, access)):
                    self.emit(f"{slot} = {self._widen(value, kind, want)};")
            self.emit("break;", "}")
        self.emit("}")
        return [f"(int32_t) ({tag})", *slots]

    def _widen(self, value: str, have: str, want: str) -> str:
        if have == want:
            return value
        if have == "f32":
            value = self._cast(value, "float_int32")
            return value if want == "i32" else f"(int64_t) {value}"
        if have == "f64":
            return self._cast(value, "double_int64")
        return f"(int64_t) {value}"  # i32 -> i64

    # --- lifting: core values -> C value ------------------------------------------------------------

    def lift(self, t: Type, vals: Iterator[str]) -> str:
        r = resolve_alias(t)
        if isinstance(r, Primitive):
            if r.name == "string":
                ptr, length = next(vals), next(vals)
                chars = self.types.char_type
                return f"({self.types.name(t)}) {{ ({chars}*) (uintptr_t) ({ptr}), (size_t) ({length}) }}"
            if r.name in ("f32", "f64"):
                return next(vals)
            return f"({_INT_LIFT[r.name]}) ({next(vals)})"
        name = self.types.name(t)
        match r.kind:
            case ListType(element=x):
                ptr, length = next(vals), next(vals)
                return f"({name}) {{ ({self.types.name(x)}*) (uintptr_t) ({ptr}), (size_t) ({length}) }}"
            case MapType():
                ptr, length = next(vals), next(vals)
                entry = self.types.name(r).removesuffix("_t") + "_entry_t"
                return f"({name}) {{ ({entry}*) (uintptr_t) ({ptr}), (size_t) ({length}) }}"
            case FixedListType(element=x, length=n):
                items = ", ".join(self.lift(x, vals) for _ in range(n))
                return f"({name}) {{ {{ {items} }} }}"
            case Record(fields=fields):
                return self._compound(name, [f.type for f in fields], vals)
            case Tuple(types=types):
                return self._compound(name, list(types), vals)
            case Flags() | Enum() | FutureType() | StreamType():
                return f"({name}) ({next(vals)})"
            case Handle(kind=kind):
                info = self.types.resource_of(r.kind)
                if kind == "borrow" and info.exported:
                    return f"(({info.rep}*) (uintptr_t) ({next(vals)}))"
                return f"({name}) {{ {next(vals)} }}"
            case Variant(cases=cases):
                fields = [f"val.{c_ident(c.name)}" if c.type is not None else None for c in cases]
                return self._lift_variant(name, cases, "tag", fields, vals)
            case OptionType(type=x):
                cases = (Case("none", None), Case("some", x))
                return self._lift_variant(name, cases, "is_some", [None, "val"], vals)
            case ResultType(ok=ok, err=err):
                cases = (Case("ok", ok), Case("error", err))
                return self._lift_variant(name, cases, "is_err", ["val.ok", "val.err"], vals)
        raise AssertionError(f"cannot lift {t!r}")  # pragma: no cover

    def _compound(self, name: str, types: list[Type], vals: Iterator[str]) -> str:
        return f"({name}) {{ {', '.join(self.lift(x, vals) for x in types)} }}"

    def _lift_variant(
        self, name: str, cases: tuple[Case, ...], tag: str, fields: list[str | None], vals: Iterator[str]
    ) -> str:
        joined = flatten_variant(cases)
        given = [next(vals) for _ in joined]
        result = self.tmp("variant")
        self.emit(f"{name} {result};", f"{result}.{tag} = ({given[0]});")
        self.emit(f"switch ((int32_t) ({given[0]})) {{")
        for i, (case, where) in enumerate(zip(cases, fields)):
            self.emit(f"case {i}: {{")
            if case.type is not None and where is not None:
                have = flatten_type(case.type)
                narrowed = iter(self._narrow(v, w, h) for v, w, h in zip(given[1:], joined[1:], have))
                self.emit(f"{result}.{where} = {self.lift(case.type, narrowed)};")
            self.emit("break;", "}")
        self.emit("}")
        return result

    def _narrow(self, value: str, have: str, want: str) -> str:
        if have == want:
            return value
        if want == "f32":
            return self._cast(value if have == "i32" else f"(int32_t) {value}", "int32_float")
        if want == "f64":
            return self._cast(value, "int64_double")
        return f"(int32_t) {value}"  # i64 -> i32

    def _cast(self, value: str, union: str) -> str:
        self.unions.add(union)
        source = "int32_t" if union.startswith("int32") else "int64_t" if union.startswith("int64") else None
        inner = f"({source}) {value}" if source else value
        return f"((union {union}){{ {inner} }}).b"


def _ptr_len(e: str) -> list[str]:
    return [f"(int32_t) (uintptr_t) ({e}).ptr", f"(int32_t) ({e}).len"]


def load(ctype: str, base: str, offset: int) -> str:
    return f"*(({ctype}*) ({base} + {offset}))"
