"""The world in one ``component-type`` custom section, decoded in-process: no `wasm-tools` sub-process.

The section is a small component (wit-component's "WIT package" encoding, version 2) exporting one component
type that exports the world's component type, named ``ns:pkg/world@version``. ``decode_world`` reads it and
builds the model the way wit-parser's decoder (``decoding.rs``) builds its ``Resolve``, so the result equals
what `wasm-tools component wit --json` + ``from_json`` give (tests/wit/test_binary_differential.py).

It decodes what WIT worlds hold: every value type (futures, streams, maps and fixed-length lists too),
resources, sync and async functions, interfaces (by id or inline), world-level functions and types. Anything
else — name options (`implements`), docs sections, the older package encoding, a malformed or unusual
binary — raises ``Unsupported`` and the caller asks wasm-tools, whose answer (or error message) is
authoritative.
"""

from __future__ import annotations

from ..errors import WasmParseError
from ..wasm.reader import Reader
from .model import (
    Alias, Case, Enum, Field, FixedListType, Flags, Function, FutureType, Handle, Interface, ListType, MapType,
    OptionType, PackageName, Param, Primitive, Record, Resource, ResultType, StreamType, Tuple, Type, TypeDef,
    Variant, World, WorldFunction,
    WorldInterface, WorldItem, WorldKey, WorldType,
)  # fmt: skip

_HEADER = b"\0asm\x0d\x00\x01\x00"
_PRIMITIVES = {0x7F: "bool", 0x7E: "s8", 0x7D: "u8", 0x7C: "s16", 0x7B: "u16", 0x7A: "s32", 0x79: "u32",
               0x78: "s64", 0x77: "u64", 0x76: "f32", 0x75: "f64", 0x74: "char", 0x73: "string",
               0x64: "error-context"}  # fmt: skip
_MAP_KEYS = frozenset(("bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "char", "string"))
_VALUE_KINDS = frozenset(("prim", "record", "variant", "list", "fixed-list", "map", "tuple", "flags", "enum",
                          "option", "result", "own", "borrow", "future", "stream"))  # fmt: skip
_NOMINAL = frozenset(("record", "variant", "flags", "enum"))  # never anonymous in WIT
_MAX_FLAGS = 32
_MAX_ITEMS = 100_000
_MAX_TYPE_SIZE = 1_000_000  # wasmparser's MAX_WASM_TYPE_SIZE
_MAX_TYPE_DEPTH = 90  # below wasmparser's MAX_WASM_COMPONENT_TYPE_DEPTH (100): stricter is safe
_MAX_LIST_LENGTH = 1 << 30  # wasmparser's MAX_WASM_FIXED_LENGTH_LIST_ELEMENTS


class Unsupported(Exception):
    """Not decoded here (unsupported or invalid): ask `wasm-tools component wit`."""


def decode_world(payload: bytes | bytearray | memoryview) -> World:
    """The world in a ``component-type`` section's payload; raises ``Unsupported`` for anything else."""
    try:
        parser = _Parser(payload)
        name, world_type = parser.top_level()
    except (WasmParseError, IndexError, KeyError) as err:
        raise Unsupported(str(err)) from None
    return _Builder(parser.defs).world(name, world_type)


# --- the binary: type definitions with wasmparser's type identities ------------------------------------------
#
# Every definition gets an id (its index in ``defs``). ``(export "x" (type (eq T)))`` creates a new id aliasing
# T's (wasmparser's ``with_unique``), `sub resource` a fresh resource id; outer and export aliases copy an id.
# A def is a tuple: ("prim", name), ("record", ((name, vt), ...)), ("variant", ((name, vt | None), ...)),
# ("list", vt), ("tuple", (vt, ...)), ("flags", names), ("enum", names), ("option", vt), ("result", ok, err),
# ("fixed-list", vt, length), ("map", vt, vt), ("future", vt | None), ("stream", vt | None), ("own", id),
# ("borrow", id), ("func", ((name, vt), ...), vt | None, is_async), ("instance", scope),
# ("component", scope), ("resource",), ("alias", id). A value type ``vt`` is a primitive's name or an id.


class _Scope:
    """The index spaces of one component or instance type, and what it imports and exports."""

    __slots__ = ("outer", "types", "instances", "imports", "exports", "_folded")

    def __init__(self, outer: _Scope | None) -> None:
        self.outer = outer
        self.types: list[int] = []
        self.instances: list[dict[str, tuple]] = []
        self.imports: list[tuple[str, tuple]] = []
        self.exports: list[tuple[str, tuple]] = []
        self._folded: tuple[set[str], set[str]] = (set(), set())  # the names of imports, of exports, lowered

    def declare(self, name: str, entity: tuple, exported: bool) -> None:
        folded = name.lower()  # wasmparser: names are unique ignoring case (imports and exports apart)
        seen = self._folded[exported]
        if folded in seen:
            raise Unsupported(f"duplicate name `{name}`")
        seen.add(folded)
        (self.exports if exported else self.imports).append((name, entity))


class _Parser:
    def __init__(self, payload: bytes | bytearray | memoryview) -> None:
        if bytes(payload[:8]) != _HEADER:
            raise Unsupported("not a component")
        self.r = Reader(payload, pos=8, region="component-type section")
        self.defs: list[tuple] = []
        self.infos: list[tuple[int, int, bool]] = []

    def top_level(self) -> tuple[str, int]:
        """The world's ``ns:pkg/name@version`` and the id of its component type."""
        r, top, exported = self.r, _Scope(None), []
        while not r.at_end():
            section_id = r.read_u8()
            size = r.read_u32()
            end = r.pos + size
            if section_id == 0:
                if r.read_name() == "package-docs":
                    raise Unsupported("docs section")
                r.skip(end - r.pos)
            elif section_id == 7:
                for _ in range(self.count()):
                    top.types.append(self.type_def(top))
            elif section_id == 11:
                for _ in range(self.count()):
                    exported.append(self.top_export(top))
            else:
                raise Unsupported(f"section {section_id}")
            if r.pos != end:
                raise Unsupported("section size mismatch")
        if len(exported) != 1 or not _is_label(exported[0][0]):
            raise Unsupported("not one world")
        package = self.defs[exported[0][1]]
        if package[0] != "component" or package[1].imports or len(package[1].exports) != 1:
            raise Unsupported("not a world package")
        ((name, entity),) = package[1].exports
        if entity[0] != "component" or _interface_name(name) is None:
            raise Unsupported("not a world")
        return name, entity[1]

    def top_export(self, top: _Scope) -> tuple[str, int]:
        name = self.extern_name()
        if self.r.read_u8() != 0x03:
            raise Unsupported("export of something other than a type")
        index = self.r.read_u32()
        if self.r.read_u8() != 0x00:
            raise Unsupported("export with a type ascription")
        return name, top.types[index]

    def count(self) -> int:
        n = self.r.read_u32()
        if n > _MAX_ITEMS or n > self.r.remaining():
            raise Unsupported("count out of bounds")
        return n

    def new(self, definition: tuple) -> int:
        self.infos.append(self.info(definition))
        self.defs.append(definition)
        return len(self.defs) - 1

    def info(self, d: tuple) -> tuple[int, int, bool]:
        """wasmparser's ``TypeInfo`` (size, depth, contains a borrow), with its limits and the checks that
        use it: a function result cannot hold a borrow, a stream cannot carry `char`."""
        tag = d[0]
        if tag == "alias":
            return self.infos[d[1]]
        if tag == "borrow":
            return (1, 1, True)
        if tag == "stream" and d[1] is not None and self.prim(d[1]) == "char":
            raise Unsupported("stream<char>")
        size, depth, borrow = 1, 1, False
        for child in _children(d):
            if isinstance(child, str):
                child_info = (1, 1, False)
            else:
                child_info = self.infos[child]
            size += child_info[0]
            depth = max(depth, child_info[1] + 1)
            borrow = borrow or child_info[2]
        if size > _MAX_TYPE_SIZE or depth > _MAX_TYPE_DEPTH:
            raise Unsupported("type too large")
        if tag == "func" and d[2] is not None and not isinstance(d[2], str) and self.infos[d[2]][2]:
            raise Unsupported("function result with a borrow")
        return (size, depth, borrow)

    def prim(self, vt: str | int) -> str | None:
        if isinstance(vt, str):
            return vt
        definition = self.defs[self.peel(vt)]
        return definition[1] if definition[0] == "prim" else None

    def type_def(self, scope: _Scope) -> int:
        r = self.r
        byte = r.read_u8()
        if byte in _PRIMITIVES:
            return self.new(("prim", _PRIMITIVES[byte]))
        if byte in (0x40, 0x43):
            params = self.named_values(scope, "parameter")
            tag = r.read_u8()
            if tag == 0x00:
                result = self.valtype(scope)
            elif tag == 0x01 and r.read_u8() == 0x00:
                result = None
            else:
                raise Unsupported("function results")
            return self.new(("func", params, result, byte == 0x43))
        if byte in (0x41, 0x42):
            return self.new(("component" if byte == 0x41 else "instance", self.decls(scope, byte == 0x41)))
        return self.new(self.defined(scope, byte))

    def defined(self, scope: _Scope, byte: int) -> tuple:
        if byte == 0x72:
            return ("record", self.named_values(scope, "field", at_least=1))
        if byte == 0x71:
            return ("variant", self.cases(scope))
        if byte == 0x70:
            return ("list", self.valtype(scope))
        if byte == 0x67:
            element, length = self.valtype(scope), self.r.read_u32()
            if not 0 < length <= _MAX_LIST_LENGTH:
                raise Unsupported("fixed-length list length")
            return ("fixed-list", element, length)
        if byte == 0x63:
            key, value = self.valtype(scope), self.valtype(scope)
            if key not in _MAP_KEYS:
                raise Unsupported("map key")
            return ("map", key, value)
        if byte in (0x65, 0x66):
            return ("future" if byte == 0x65 else "stream", self.optional_valtype(scope))
        if byte == 0x6F:
            return ("tuple", tuple(self.valtype(scope) for _ in range(self.count_at_least(1))))
        if byte in (0x6E, 0x6D):
            names = self.labels(self.count_at_least(1))
            if byte == 0x6E and len(names) > _MAX_FLAGS:
                raise Unsupported("too many flags")
            return ("flags" if byte == 0x6E else "enum", names)
        if byte == 0x6B:
            return ("option", self.valtype(scope))
        if byte == 0x6A:
            return ("result", self.optional_valtype(scope), self.optional_valtype(scope))
        if byte in (0x69, 0x68):
            resource = self.type_at(scope, self.r.read_u32())
            if self.defs[self.peel(resource)][0] != "resource":
                raise Unsupported("handle to a non-resource")
            return ("own" if byte == 0x69 else "borrow", resource)
        raise Unsupported(f"type 0x{byte:02x}")

    def decls(self, outer: _Scope, component: bool) -> _Scope:
        scope, r = _Scope(outer), self.r
        for _ in range(self.count()):
            tag = r.read_u8()
            if tag == 0x01:
                scope.types.append(self.type_def(scope))
            elif tag == 0x02:
                scope.types.append(self.alias(scope, component))
            elif tag == 0x03 and component:
                scope.declare(self.extern_name(), self.extern_desc(scope), exported=False)
            elif tag == 0x04:
                scope.declare(self.extern_name(), self.extern_desc(scope), exported=True)
            else:
                raise Unsupported(f"declarator 0x{tag:02x}")
        return scope

    def alias(self, scope: _Scope, component: bool) -> int:
        r = self.r
        if r.read_u8() != 0x03:
            raise Unsupported("alias of something other than a type")
        target = r.read_u8()
        if target == 0x02:
            count, index = r.read_u32(), r.read_u32()
            outer: _Scope | None = scope
            for _ in range(count):
                outer = outer.outer if outer is not None else None
            if outer is None or count == 0:
                raise Unsupported("outer alias out of range")
            return self.type_at(outer, index)
        if target == 0x00 and component:
            instance = scope.instances[r.read_u32()]
            entity = instance.get(r.read_name())
            if entity is None or entity[0] != "type":
                raise Unsupported("alias of a missing type export")
            return entity[2]
        raise Unsupported("alias target")

    def extern_name(self) -> str:
        if self.r.read_u8() not in (0x00, 0x01):
            raise Unsupported("name with options")
        return self.r.read_name()

    def extern_desc(self, scope: _Scope) -> tuple:
        r = self.r
        sort = r.read_u8()
        if sort == 0x03:
            bound = r.read_u8()
            if bound == 0x00:
                referenced = self.type_at(scope, r.read_u32())
                if self.defs[self.peel(referenced)][0] not in _VALUE_KINDS | {"resource"}:
                    raise Unsupported("type bound to a non-value type")
                created = self.new(("alias", referenced))
            elif bound == 0x01:
                referenced = created = self.new(("resource",))
            else:
                raise Unsupported("type bound")
            scope.types.append(created)
            return ("type", referenced, created)
        kinds = {0x01: "func", 0x04: "component", 0x05: "instance"}
        if sort not in kinds:
            raise Unsupported(f"extern sort 0x{sort:02x}")
        type_id = self.type_at(scope, r.read_u32())
        if self.defs[type_id][0] != kinds[sort]:
            raise Unsupported("extern type mismatch")
        if sort == 0x05:
            scope.instances.append(dict(self.defs[type_id][1].exports))
        return (kinds[sort], type_id)

    def type_at(self, scope: _Scope, index: int) -> int:
        if index >= len(scope.types):
            raise Unsupported("type index out of range")
        return scope.types[index]

    def peel(self, type_id: int) -> int:
        while self.defs[type_id][0] == "alias":
            type_id = self.defs[type_id][1]
        return type_id

    def valtype(self, scope: _Scope) -> str | int:
        r = self.r
        byte = r.peek_u8()
        if byte in _PRIMITIVES:
            r.pos += 1
            return _PRIMITIVES[byte]  # type: ignore[index]
        index = r.read_s33()
        if index < 0:
            raise Unsupported(f"value type 0x{byte:02x}")
        type_id = self.type_at(scope, index)
        if self.defs[self.peel(type_id)][0] not in _VALUE_KINDS:
            raise Unsupported("value type index of a non-value type")
        return type_id

    def optional_valtype(self, scope: _Scope) -> str | int | None:
        tag = self.r.read_u8()
        if tag not in (0x00, 0x01):
            raise Unsupported("optional value type")
        return self.valtype(scope) if tag else None

    def count_at_least(self, minimum: int) -> int:
        n = self.count()
        if n < minimum:
            raise Unsupported("empty type")
        return n

    def named_values(self, scope: _Scope, what: str, at_least: int = 0) -> tuple:
        n = self.count_at_least(at_least)
        items = tuple((self.label(), self.valtype(scope)) for _ in range(n))
        _unique(name for name, _ in items)
        return items

    def cases(self, scope: _Scope) -> tuple:
        cases = []
        for _ in range(self.count_at_least(1)):
            name = self.label()
            case = (name, self.optional_valtype(scope))
            if self.r.read_u8() != 0x00:
                raise Unsupported("variant case refinement")
            cases.append(case)
        _unique(name for name, _ in cases)
        return tuple(cases)

    def labels(self, n: int) -> tuple[str, ...]:
        names = tuple(self.label() for _ in range(n))
        _unique(names)
        return names

    def label(self) -> str:
        name = self.r.read_name()
        if not _is_label(name):
            raise Unsupported(f"`{name}` is not a kebab-case label")
        return name


def _children(d: tuple) -> list:
    """The value types a definition is made of (for ``_Parser.info``)."""
    tag = d[0]
    if tag in ("record", "func"):
        items = [t for _, t in d[1]]
        return items + [d[2]] if tag == "func" and d[2] is not None else items
    if tag == "variant":
        return [t for _, t in d[1] if t is not None]
    if tag == "tuple":
        return list(d[1])
    if tag in ("list", "option", "fixed-list", "future", "stream"):
        return [] if d[1] is None else [d[1]]
    if tag in ("map", "result"):
        return [t for t in d[1:] if t is not None]
    return []


def _unique(names) -> None:
    seen: set[str] = set()
    for name in names:
        if name.lower() in seen:
            raise Unsupported(f"duplicate name `{name}`")
        seen.add(name.lower())


def _is_label(name: str) -> bool:
    """wasmparser's kebab-case: words of ASCII letters and digits, each starting with a letter and
    all lower- or all upper-case, joined by single hyphens (stricter is safe: the rest goes to wasm-tools)."""
    if not name.isascii():
        return False
    for word in name.split("-"):  # "" and "a--b" have an empty word, whose [:1] is not alphabetic
        if not (word[:1].isalpha() and word.isalnum() and (word.islower() or word.isupper())):
            return False
    return True


def _interface_name(name: str) -> tuple[PackageName, str] | None:
    """``ns:pkg/name@version`` as (package, name), or None for any other form."""
    head, slash, rest = name.partition("/")
    namespace, colon, package = head.partition(":")
    item, at, version = rest.partition("@")
    parts = (namespace, package, item)
    if not (slash and colon and all(_is_label(p) and p.islower() for p in parts)):  # wasmparser: no acronyms
        return None
    if at and not _is_version(version):
        return None
    return PackageName(namespace, package, version if at else None), item


def _is_version(text: str) -> bool:
    """A semver ``major.minor.patch[-pre][+build]`` (stricter than semver is safe)."""
    text, plus, build = text.partition("+")
    core, dash, pre = text.partition("-")
    parts = core.split(".")
    if len(parts) != 3 or not all(_numeric(p) for p in parts):
        return False
    if dash and not all(_numeric(i) or _alphanumeric(i) for i in pre.split(".")):
        return False
    return not plus or all(_alphanumeric(i) or i.isdigit() for i in build.split("."))


def _numeric(ident: str) -> bool:
    return ident.isascii() and ident.isdigit() and (ident == "0" or ident[0] != "0")


def _alphanumeric(ident: str) -> bool:
    return bool(ident) and ident.isascii() and ident.replace("-", "a").isalnum() and not ident.isdigit()


# --- the model, as wit-parser's decoder builds it ------------------------------------------------------------


class _Interface:
    """An interface being filled in: one named interface may be both imported and exported, and wit-parser
    then merges what the two instance types list."""

    __slots__ = ("name", "package", "types", "functions")

    def __init__(self, name: str | None, package: PackageName | None) -> None:
        self.name, self.package = name, package
        self.types: dict[str, TypeDef] = {}
        self.functions: dict[str, Function] = {}


class _Builder:
    def __init__(self, defs: list[tuple]) -> None:
        self.defs = defs
        self.type_map: dict[int, TypeDef] = {}
        self.resources: dict[str, dict[str, TypeDef]] = {}
        self.named: dict[str, _Interface] = {}
        self.world_id = ""

    def world(self, name: str, type_id: int) -> World:
        package, world_name = _interface_name(name)  # type: ignore[misc]
        self.world_id = package.interface_id(world_name)
        scope: _Scope = self.defs[type_id][1]
        owner = f"world {self.world_id}"
        imports = [self.world_item(n, e, owner, "import") for n, e in scope.imports]
        exports = [self.world_item(n, e, owner, "export") for n, e in scope.exports]
        built: dict[int, Interface] = {}
        return World(world_name, package, self.finish(imports, built), self.finish(exports, built))

    def world_item(self, name: str, entity: tuple, owner: str, direction: str) -> WorldItem | tuple:
        kind = entity[0]
        if kind == "instance":
            return self.world_instance(name, entity[1], direction)
        if kind == "func":
            return WorldFunction(WorldKey(name), self.function(name, entity[1], owner))
        if kind == "type" and direction == "import" and _is_label(name):
            return WorldType(WorldKey(name), self.type_export(name, entity, owner))
        raise Unsupported(f"world {direction} `{name}`")

    def world_instance(self, name: str, type_id: int, direction: str) -> tuple[WorldKey, _Interface]:
        scope: _Scope = self.defs[type_id][1]
        parsed = _interface_name(name)
        if parsed is not None:
            package, interface_name = parsed
            interface = self.named.get(name)
            if interface is None:
                interface = self.named[name] = _Interface(interface_name, package)
            self.fill(interface, scope, package.interface_id(interface_name))
            return WorldKey(name, True), interface
        if not _is_label(name):
            raise Unsupported(f"interface name `{name}`")
        interface = _Interface(None, None)
        self.fill(interface, scope, f"world {self.world_id} {direction} {name}")
        return WorldKey(name), interface

    def fill(self, interface: _Interface, scope: _Scope, owner: str) -> None:
        """wit-parser's ``register_import``: what the interface already has keeps its definition (a type's
        new identity maps to it), the rest is added."""
        for item, entity in scope.exports:
            if entity[0] == "type":
                known = interface.types.get(item)
                if known is None:
                    interface.types[item] = self.type_export(item, entity, owner)
                elif entity[2] in self.type_map:
                    raise Unsupported(f"type `{item}` twice")
                else:
                    self.type_map[entity[2]] = known
            elif entity[0] == "func":  # converted even when known: that validates it
                interface.functions.setdefault(item, self.function(item, entity[1], owner))
            else:
                raise Unsupported(f"instance export `{item}`")

    @staticmethod
    def finish(items: list, built: dict[int, Interface]) -> tuple[WorldItem, ...]:
        out: list[WorldItem] = []
        for item in items:
            if isinstance(item, tuple):
                key, partial = item
                interface = built.get(id(partial))
                if interface is None:
                    interface = built[id(partial)] = Interface(
                        partial.name, partial.package, tuple(partial.types.values()),
                        tuple(partial.functions.values()),
                    )  # fmt: skip
                item = WorldInterface(key, interface)
            out.append(item)
        return tuple(out)

    def type_export(self, name: str, entity: tuple, owner: str) -> TypeDef:
        _, referenced, created = entity
        if not _is_label(name):
            raise Unsupported(f"type name `{name}`")
        previous = self.find_alias(referenced)
        if previous is not None:
            kind: object = Alias(previous)
        else:
            definition = self.defs[self.peel(referenced)]
            kind = Resource() if definition[0] == "resource" else self.kind(definition)
        typedef = TypeDef(name, kind, owner)  # type: ignore[arg-type]
        if isinstance(kind, Resource):
            self.resources.setdefault(owner, {})[name] = typedef
        if created in self.type_map:
            raise Unsupported(f"type `{name}` twice")
        self.type_map[created] = typedef
        return typedef

    def find_alias(self, type_id: int) -> TypeDef | None:
        while type_id not in self.type_map:
            definition = self.defs[type_id]
            if definition[0] != "alias":
                return None
            type_id = definition[1]
        return self.type_map[type_id]

    def peel(self, type_id: int) -> int:
        while self.defs[type_id][0] == "alias":
            type_id = self.defs[type_id][1]
        return type_id

    def function(self, name: str, type_id: int, owner: str) -> Function:
        _, params, result, is_async = self.defs[type_id]
        converted = tuple(Param(p, self.value(t)) for p, t in params)
        value = None if result is None else self.value(result)
        if _is_label(name):
            return Function(name, "freestanding", converted, value, is_async)
        for kind in ("constructor", "method", "static"):
            prefix = f"[{kind}]"
            if name.startswith(prefix):
                resource, dot, item = name[len(prefix) :].partition(".")
                if (kind == "constructor") == bool(dot) or not _is_label(resource) or dot and not _is_label(item):
                    break
                found = self.resources.get(owner, {}).get(resource)
                if found is None or not _fits(kind, found, converted, value, is_async):
                    break
                is_async = is_async and kind != "constructor"  # wit-parser has no async constructor kind
                return Function(name, kind, converted, value, is_async, found)  # type: ignore[arg-type]
        raise Unsupported(f"function name `{name}`")

    def value(self, vt: str | int) -> Type:
        if isinstance(vt, str):
            return _PRIMITIVE_TYPES[vt]
        known = self.type_map.get(vt)
        if known is not None:
            return known
        definition = self.defs[self.peel(vt)]
        if definition[0] in _NOMINAL:
            raise Unsupported("anonymous record, variant, flags or enum")
        typedef = TypeDef(None, self.kind(definition))  # type: ignore[arg-type]
        self.type_map[vt] = typedef
        return typedef

    def kind(self, d: tuple) -> object:
        tag = d[0]
        if tag == "prim":
            return Alias(_PRIMITIVE_TYPES[d[1]])
        if tag == "record":
            return Record(tuple(Field(n, self.value(t)) for n, t in d[1]))
        if tag == "variant":
            return Variant(tuple(Case(n, None if t is None else self.value(t)) for n, t in d[1]))
        if tag == "list":
            return ListType(self.value(d[1]))
        if tag == "fixed-list":
            return FixedListType(self.value(d[1]), d[2])
        if tag == "map":
            return MapType(self.value(d[1]), self.value(d[2]))
        if tag in ("future", "stream"):
            payload = None if d[1] is None else self.value(d[1])
            return FutureType(payload) if tag == "future" else StreamType(payload)
        if tag == "tuple":
            return Tuple(tuple(self.value(t) for t in d[1]))
        if tag == "flags":
            return Flags(d[1])
        if tag == "enum":
            return Enum(d[1])
        if tag == "option":
            return OptionType(self.value(d[1]))
        if tag == "result":
            return ResultType(*(None if t is None else self.value(t) for t in d[1:]))
        if tag in ("own", "borrow"):
            resource = self.type_map.get(d[1])
            if resource is None:
                raise Unsupported("handle to an unnamed resource")
            return Handle(tag, resource)
        raise Unsupported(f"type kind {tag}")


def _fits(kind: str, resource: TypeDef, params: tuple[Param, ...], result: Type | None, is_async: bool) -> bool:
    """wasmparser's rules for resource functions: a method takes ``self: borrow<r>`` first, a constructor
    (never async) returns ``own<r>`` or ``result<own<r>, …>``."""

    def handle(t: Type | None, how: str) -> bool:
        return isinstance(t, TypeDef) and isinstance(t.kind, Handle) and t.kind.kind == how and t.kind.resource is resource

    if kind == "method":
        return bool(params) and params[0].name == "self" and handle(params[0].type, "borrow")
    if kind == "constructor":
        ok = result.kind.ok if isinstance(result, TypeDef) and isinstance(result.kind, ResultType) else None
        return not is_async and (handle(result, "own") or handle(ok, "own"))
    return True


_PRIMITIVE_TYPES = {name: Primitive(name) for name in _PRIMITIVES.values()}
