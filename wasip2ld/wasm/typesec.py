"""The type section: rec groups, sub types and the func/struct/array/cont composite types.

Encoding of one entry (bytes before the composite form are optional, in this order):

    0x4e vec(subtype)                 rec group (otherwise the entry is one subtype, an implicit group)
    0x50 vec(typeidx) comp            sub  (non-final) with its supertypes
    0x4f vec(typeidx) comp            sub final
    comp := [0x4c typeidx] [0x4d typeidx] [0x65] form
            0x4c describes, 0x4d descriptor (custom descriptors), 0x65 shared (shared-everything)
    form := 0x60 vec(valtype) vec(valtype)   func
          | 0x5f vec(fieldtype)              struct     fieldtype := storagetype mut(0x00|0x01)
          | 0x5e fieldtype                   array
          | 0x5d typeidx                     cont (stack switching)
"""

from __future__ import annotations


from ..frozen import frozen
from . import limits
from .reader import Reader
from .valtypes import FuncType, read_mutability, read_storage_type, read_val_type

REC_GROUP = 0x4E
SUB = 0x50
SUB_FINAL = 0x4F
DESCRIBES = 0x4C
DESCRIPTOR = 0x4D
SHARED = 0x65
FUNC_FORM = 0x60
STRUCT_FORM = 0x5F
ARRAY_FORM = 0x5E
CONT_FORM = 0x5D


@frozen
class TypeDef:
    """One entry of the type index space.

    ``kind`` is 'func', 'struct', 'array' or 'cont'; ``func`` is set for function types. ``body`` is the
    composite type's WAT text; ``str()`` gives the whole definition as ``wasm-tools print`` writes it
    (``(sub final $0 (struct (field i32)))``). ``rec_group`` numbers the groups from 0.
    """

    index: int
    kind: str
    body: str
    offset: int
    rec_group: int
    func: FuncType | None = None
    final: bool = True
    supertype: int | None = None
    shared: bool = False
    describes: int | None = None
    descriptor: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.describes is not None:
            parts.append(f"(describes ${self.describes})")
        if self.descriptor is not None:
            parts.append(f"(descriptor ${self.descriptor})")
        parts.append(f"(shared {self.body})" if self.shared else self.body)
        text = " ".join(parts)
        if self.final and self.supertype is None:
            return text
        head = "(sub final" if self.final else "(sub"
        if self.supertype is not None:
            head += f" ${self.supertype}"
        return f"{head} {text})"


def read_type_section(r: Reader) -> tuple[TypeDef, ...]:
    types: list[TypeDef] = []
    for group in range(r.read_count(limits.MAX_TYPES, "type")):
        _read_rec_group(r, types, group)
        if len(types) > limits.MAX_TYPES:
            raise r.error(f"too many types: more than {limits.MAX_TYPES}")
    r.expect_end()
    return tuple(types)


def _read_rec_group(r: Reader, types: list[TypeDef], group: int) -> None:
    if r.peek_u8() == REC_GROUP:
        r.pos += 1
        for _ in range(r.read_count(limits.MAX_REC_GROUP_SIZE, "rec group type")):
            types.append(_read_sub_type(r, len(types), group))
    else:
        types.append(_read_sub_type(r, len(types), group))


def _read_sub_type(r: Reader, index: int, group: int) -> TypeDef:
    offset = r.offset()
    final, supertype = True, None
    if r.peek_u8() in (SUB, SUB_FINAL):
        final = r.read_u8() == SUB_FINAL
        supers = r.read_vec(
            lambda r: r.read_u32("supertype index"), limit=limits.MAX_SUPERTYPES, what="supertype"
        )
        supertype = supers[0] if supers else None
    describes = descriptor = None
    if r.peek_u8() == DESCRIBES:
        r.pos += 1
        describes = r.read_u32("described type index")
    if r.peek_u8() == DESCRIPTOR:
        r.pos += 1
        descriptor = r.read_u32("descriptor type index")
    shared = r.peek_u8() == SHARED
    if shared:
        r.pos += 1
    kind, body, func = _read_composite(r)
    return TypeDef(index, kind, body, offset, group, func, final, supertype, shared, describes, descriptor)


def _read_composite(r: Reader) -> tuple[str, str, FuncType | None]:
    at = r.offset()
    form = r.read_u8("type")
    if form == FUNC_FORM:
        func = read_func_type_body(r)
        return "func", str(func), func
    if form == STRUCT_FORM:
        fields = r.read_vec(_read_field, limit=limits.MAX_STRUCT_FIELDS, what="struct field")
        return "struct", "(struct" + "".join(f" (field {f})" for f in fields) + ")", None
    if form == ARRAY_FORM:
        return "array", f"(array {_read_field(r)})", None
    if form == CONT_FORM:
        return "cont", f"(cont ${r.read_u32('continuation function type index')})", None
    raise r.invalid_byte(form, "type", at)


def read_func_type_body(r: Reader) -> FuncType:
    params = r.read_vec(read_val_type, limit=limits.MAX_FUNCTION_PARAMS, what="function param")
    results = r.read_vec(read_val_type, limit=limits.MAX_FUNCTION_RESULTS, what="function result")
    return FuncType(tuple(params), tuple(results))


def _read_field(r: Reader) -> str:
    storage = read_storage_type(r)
    return f"(mut {storage})" if read_mutability(r, "field") else storage
