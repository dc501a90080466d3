"""C types for WIT types, named and laid out the way wit-bindgen's C generator does it.

Every C type has the Canonical ABI's memory layout (a ``list`` is ``{T *ptr; size_t len;}``, a variant is
``{uintN_t tag; union {…} val;}``, an option ``{bool is_some; T val;}``, …), so values move between C and
linear memory as plain struct copies. Names: a named type is ``<namespace>_<name>_t``; an anonymous type
made only of primitives is shared by the whole world (``<world>_list_u8_t``); other anonymous types belong
to the interface that uses them. ``<prefix>_free`` releases what a value owns (strings, lists).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..abi.layout import discriminant_size
from ..errors import UsageError
from ..wit.model import (
    Alias,
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
    Resource,
    ResultType,
    StreamType,
    Tuple,
    Type,
    TypeDef,
    Variant,
    resolve_alias,
)  # fmt: skip
from .names import c_ident, shouty, snake
from .resources import ResourceInfo, define_resource
from .scope import Scope
from .source import Sources, block

C_PRIMITIVES = {
    "bool": "bool", "char": "uint32_t", "u8": "uint8_t", "s8": "int8_t", "u16": "uint16_t",
    "s16": "int16_t", "u32": "uint32_t", "s32": "int32_t", "u64": "uint64_t", "s64": "int64_t",
    "f32": "float", "f64": "double", "error-context": "error_context",
}  # fmt: skip


def int_repr(n: int) -> str:
    """The C integer holding the discriminant of a variant or enum with ``n`` cases."""
    return {1: "uint8_t", 2: "uint16_t", 4: "uint32_t"}[discriminant_size(n)]


def flags_repr(n: int) -> str:
    return "uint8_t" if n <= 8 else "uint16_t" if n <= 16 else "uint32_t" if n <= 32 else "uint64_t"


def _encoded(t: Type) -> str:
    """The type part of an identifier (wit-bindgen's ``push_ty_name``)."""
    if isinstance(t, Primitive):
        return {"char": "char32", "error-context": "error_context"}.get(t.name, t.name)
    if t.name is not None:
        return snake(t.name)
    match t.kind:
        case Alias(target=x):
            return _encoded(x)
        case Tuple(types=types):
            return f"tuple{len(types)}" + "".join("_" + _encoded(x) for x in types)
        case OptionType(type=x):
            return "option_" + _encoded(x)
        case ResultType(ok=ok, err=err):
            return f"result_{_encoded_or_void(ok)}_{_encoded_or_void(err)}"
        case ListType(element=e):
            return "list_" + _encoded(e)
        case FixedListType(element=e, length=n):
            return f"list{n}_" + _encoded(e)
        case MapType(key=k, value=v):
            return f"map_{_encoded(k)}_{_encoded(v)}"
        case FutureType(type=x):
            return "future_" + _encoded_or_void(x)
        case StreamType(type=x):
            return "stream_" + _encoded_or_void(x)
        case Handle(kind=kind, resource=r):
            return f"{kind}_{_encoded(r)}"
    raise UsageError(f"bindgen: cannot name the anonymous type {t}")


def _encoded_or_void(t: Type | None) -> str:
    return "void" if t is None else _encoded(t)


def is_prim(t: Type) -> bool:
    """Anonymous and built only from primitives: one definition shared by the whole world."""
    if isinstance(t, Primitive):
        return True
    if t.name is not None:
        return False
    match t.kind:
        case ListType(element=x) | OptionType(type=x) | Alias(target=x) | FixedListType(element=x):
            return is_prim(x)
        case Tuple(types=types):
            return all(is_prim(x) for x in types)
        case MapType(key=k, value=v):
            return is_prim(k) and is_prim(v)
    return False


def children(t: TypeDef) -> list[Type]:
    match t.kind:
        case Record(fields=fields):
            return [f.type for f in fields]
        case Variant(cases=cases):
            return [c.type for c in cases if c.type is not None]
        case Tuple(types=types):
            return list(types)
        case ListType(element=x) | FixedListType(element=x) | OptionType(type=x) | Alias(target=x):
            return [x]
        case MapType(key=k, value=v):
            return [k, v]
        case ResultType(ok=ok, err=err):
            return [x for x in (ok, err) if x is not None]
        case FutureType(type=x) | StreamType(type=x):
            return [x] if x is not None else []
        case Handle(resource=r):
            return [r]
    return []


def live_types(roots: list[Type], out: dict[TypeDef, None]) -> None:
    """Add ``roots`` and everything they use to ``out``, dependencies first (wit-parser's LiveTypes)."""
    for t in roots:
        if isinstance(t, Primitive) or t in out:
            continue
        live_types(children(t), out)
        out[t] = None


@dataclass
class CTypes:
    world: str  # the world's snake-case name
    char_type: str  # uint8_t (utf8) or uint16_t (utf16)
    src: Sources

    def __post_init__(self) -> None:
        self.names: dict[TypeDef, str] = {}
        self.dtors: dict[TypeDef, str] = {}
        self.prim_defined: set[str] = set()
        self.prim_dtors: dict[str, str] = {}
        self.resources: dict[TypeDef, ResourceInfo] = {}
        self.needs_string = False
        self._by_id: dict[int, tuple[TypeDef, str]] = {}  # name() fast path; keeps its key alive

    # --- names ---------------------------------------------------------------------------------------

    def name(self, t: Type) -> str:
        if isinstance(t, Primitive):
            if t.name == "string":
                self.needs_string = True
                return f"{self.world}_string_t"
            return C_PRIMITIVES[t.name]
        found = self._by_id.get(id(t))
        if found is None or found[0] is not t:
            found = self._by_id[id(t)] = (t, self.names[t])
        return found[1]

    def resource_of(self, handle: Handle) -> ResourceInfo:
        return self.resources[resolve_alias(handle.resource)]  # type: ignore[index]

    def keep_only(self, keep: set[TypeDef]) -> None:
        """Forget every type outside ``keep``, so exports define their own copies (wit-bindgen's
        ``remove_types_redefined_by_exports``)."""
        self._by_id.clear()
        self.names = {t: n for t, n in self.names.items() if t in keep}
        self.dtors = {t: n for t, n in self.dtors.items() if t in keep}
        self.resources = {t: r for t, r in self.resources.items() if t in keep}

    # --- definitions ---------------------------------------------------------------------------------

    def define_all(self, types: dict[TypeDef, None], scope: Scope) -> None:
        for t in types:
            self.define(t, scope)

    def define(self, t: TypeDef, scope: Scope) -> None:
        if t in self.names:
            return
        if t.name is not None:
            self.names[t] = f"{scope.namespace}_{snake(t.name)}_t"
            self._define_body(t, scope)
        else:
            shared = is_prim(t)
            name = f"{self.world if shared else scope.namespace}_{_encoded(t)}_t"
            self.names[t] = name
            if shared and name in self.prim_defined:
                if name in self.prim_dtors:
                    self.dtors[t] = self.prim_dtors[name]
                return
            if shared:
                self.prim_defined.add(name)
            if isinstance(t.kind, Handle) and not isinstance(t.kind.resource.kind, Alias):
                return  # `own<r>`/`borrow<r>` of the resource itself: defined with the resource
            self._define_body(t, scope)
        self._define_dtor(t)
        if t.name is None and is_prim(t) and t in self.dtors:
            self.prim_dtors[self.names[t]] = self.dtors[t]

    def _define_body(self, t: TypeDef, scope: Scope) -> None:
        name = self.names[t]
        if isinstance(t.kind, Alias) and _is_resource(resolve_alias(t)):
            return  # a `use`d resource: its handles name the original
        if isinstance(t.kind, Resource):
            self.resources[t] = define_resource(t, name, scope, self.src)
            return
        out = self.src.h_defs
        out.append("\n" + "".join(f"// {line}\n" for line in (t.docs or "").strip().splitlines()))
        fields = self._struct_fields(t.kind, name)
        if fields is None:
            out.append(f"typedef {self._scalar_target(t.kind)} {name};\n")
        else:
            tag = f"{name} " if t.name is not None else ""
            out.append(f"typedef struct {tag}{{\n{fields}}} {name};\n")
        out += _constants(t, shouty(scope.namespace))

    def _struct_fields(self, kind: object, name: str) -> str | None:
        """The members of the struct a type is, or None for a type that is a plain typedef."""
        match kind:
            case Record(fields=fields):
                return "".join(f"  {self.name(f.type)} {c_ident(f.name)};\n" for f in fields)
            case Tuple(types=types):
                return "".join(f"  {self.name(x)} f{i};\n" for i, x in enumerate(types))
            case Variant(cases=cases):
                union = "".join(f"    {self.name(c.type)} {c_ident(c.name)};\n" for c in cases if c.type)
                return f"  {int_repr(len(cases))} tag;\n" + (
                    f"  union {{\n{union}  }} val;\n" if union else ""
                )
            case OptionType(type=x):
                return f"  bool is_some;\n  {self.name(x)} val;\n"
            case ResultType(ok=ok, err=err):
                arms = "".join(f"    {self.name(x)} {arm};\n" for x, arm in ((ok, "ok"), (err, "err")) if x)
                return "  bool is_err;\n" + (f"  union {{\n{arms}  }} val;\n" if arms else "")
            case ListType(element=e):
                return f"  {self.name(e)} *ptr;\n  size_t len;\n"
            case FixedListType(element=e, length=n):
                return f"  {self.name(e)} val[{n}];\n"
            case MapType(key=k, value=v):
                entry = _entry_name(name)
                members = f"  {self.name(k)} key;\n  {self.name(v)} value;\n"
                self.src.h_defs.append(f"typedef struct {{\n{members}}} {entry};\n\n")
                return f"  {entry} *ptr;\n  size_t len;\n"
        return None

    def _scalar_target(self, kind: object) -> str:
        match kind:
            case Flags(names=flags):
                return flags_repr(len(flags))
            case Enum(cases=cases):
                return int_repr(len(cases))
            case Handle(kind=which):
                info = self.resource_of(kind)
                return info.own if which == "own" else info.borrow
            case Alias(target=target):
                return self.name(target)
        return "uint32_t"  # future, stream

    def _define_dtor(self, t: TypeDef) -> None:
        body = self._dtor_body(t)
        if body is None:
            return
        name = self.names[t]
        prefix = name.removesuffix("_t")
        self.src.h_helpers.append(f"\nvoid {prefix}_free({name} *ptr);\n")
        self.src.c_helpers.append(f"\nvoid {prefix}_free({name} *ptr) {{\n" + block(body) + "}\n")
        self.dtors[t] = f"{prefix}_free"

    def _dtor_body(self, t: TypeDef) -> list[str] | None:
        match t.kind:
            case Alias(target=x):
                return self._frees([(x, "ptr")]) or None
            case Record(fields=fields):
                return self._frees([(f.type, f"&ptr->{c_ident(f.name)}") for f in fields]) or None
            case Tuple(types=types):
                return self._frees([(x, f"&ptr->f{i}") for i, x in enumerate(types)]) or None
            case ListType(element=e) | MapType(key=e):
                entry = _entry_name(self.names[t]) if isinstance(t.kind, MapType) else self.name(e)
                items = (
                    [(t.kind.key, "&list_ptr[i].key"), (t.kind.value, "&list_ptr[i].value")]
                    if isinstance(t.kind, MapType)
                    else [(e, "&list_ptr[i]")]
                )
                loop = self._frees(items)
                inner = ["for (size_t i = 0; i < list_len; i++) {", *loop, "}"] if loop else []
                return [
                    "size_t list_len = ptr->len;",
                    "if (list_len > 0) {",
                    f"{entry} *list_ptr = ptr->ptr;",
                    *inner,
                    "free(list_ptr);",
                    "}",
                ]
            case FixedListType(element=e, length=n):
                loop = self._frees([(e, "&ptr->val[i]")])
                return [f"for (size_t i = 0; i < {n}; i++) {{", *loop, "}"] if loop else None
            case Variant(cases=cases):
                lines = ["switch ((int32_t) ptr->tag) {"]
                for i, c in enumerate(cases):
                    if c.type is not None:
                        lines += [
                            f"case {i}: {{",
                            *self._frees([(c.type, f"&ptr->val.{c_ident(c.name)}")]),
                            "break;",
                            "}",
                        ]
                return [*lines, "}"]
            case OptionType(type=x):
                return ["if (ptr->is_some) {", *self._frees([(x, "&ptr->val")]), "}"]
            case ResultType(ok=ok, err=err):
                lines = ["if (!ptr->is_err) {", *self._frees([(ok, "&ptr->val.ok")] if ok else [])]
                if err is not None:
                    lines += ["} else {", *self._frees([(err, "&ptr->val.err")])]
                return [*lines, "}"]
        return None

    def _frees(self, items: list[tuple[Type, str]]) -> list[str]:
        return [line for t, expr in items if (line := self.free(t, expr))]

    def free(self, t: Type, expr: str) -> str | None:
        """The statement releasing what the value at pointer ``expr`` owns, if anything."""
        if isinstance(t, Primitive):
            return f"{self.world}_string_free({expr});" if t.name == "string" and self._string() else None
        dtor = self.dtors.get(t)
        return f"{dtor}({expr});" if dtor else None

    def _string(self) -> bool:
        self.needs_string = True
        return True


def _constants(t: TypeDef, ns: str) -> list[str]:
    """``NS_TYPE_CASE i`` for variant and enum cases, ``NS_TYPE_FLAG (1 << i)`` for flags."""
    stem = shouty(t.name or "")
    match t.kind:
        case Flags(names=flags):
            return ["\n", *(f"#define {ns}_{stem}_{shouty(f)} (1 << {i})\n" for i, f in enumerate(flags))]
        case Enum(cases=cases):
            return ["\n", *(f"#define {ns}_{stem}_{shouty(c)} {i}\n" for i, c in enumerate(cases))]
        case Variant(cases=cases):
            return ["\n", *(f"#define {ns}_{stem}_{shouty(c.name)} {i}\n" for i, c in enumerate(cases))]
    return []


def _is_resource(t: Type) -> bool:
    return isinstance(t, TypeDef) and isinstance(t.kind, Resource)


def _entry_name(map_name: str) -> str:
    return map_name.removesuffix("_t") + "_entry_t"
