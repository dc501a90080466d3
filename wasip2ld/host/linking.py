"""Every core import and export a world allows, under both name schemes, with the WIT item behind it.

Names come from ``wasip2ld.abi.mangling`` and signatures from ``wasip2ld.abi.flatten`` (the same source as
``wasip2ld sig`` and ``wasip2ld check``), so the host accepts exactly the modules the validator accepts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ..abi.flatten import CoreSignature, flatten_functype
from ..abi.mangling import Legacy, Mangling, Standard32
from ..wit.model import Function, TypeDef, World, WorldFunction, WorldInterface, WorldKey, WorldType, is_resource

ImportRole = Literal["function", "host-drop", "module-new", "module-rep", "module-drop"]
SCHEMES: tuple[Mangling, ...] = (Legacy(), Standard32())


@dataclass(frozen=True)
class ImportSlot:
    role: ImportRole
    key: WorldKey | None
    function: Function | None = None
    resource: TypeDef | None = None
    core: CoreSignature | None = None


@dataclass(frozen=True)
class ExportSlot:
    key: WorldKey | None
    function: Function
    core: CoreSignature
    names: tuple[str, ...]  # the export's name in each scheme
    post_names: tuple[str, ...]


@dataclass
class WorldTable:
    imports: dict[tuple[str, str], ImportSlot] = field(default_factory=dict)
    exports: list[ExportSlot] = field(default_factory=list)
    dtors: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)  # (owner, resource) → names
    exported_owners: set[str] = field(default_factory=set)


def world_table(world: World) -> WorldTable:
    table = WorldTable()
    for item in world.imports:
        for names in SCHEMES:
            _add_import(table, names, item)
    for item in world.exports:
        if isinstance(item, WorldInterface):
            table.exported_owners.add(item.key.name)
        for key, func in _functions(item):
            core = flatten_functype(func, "lift")
            names = tuple(n.export_name(key, func) for n in SCHEMES)
            posts = tuple(n.post_return(e) for n, e in zip(SCHEMES, names))
            table.exports.append(ExportSlot(key, func, core, names, posts))
        if isinstance(item, WorldInterface):
            for t in item.interface.types:
                if is_resource(t):
                    assert t.name is not None
                    table.dtors[(item.key.name, t.name)] = tuple(n.dtor(item.key, t.name) for n in SCHEMES)
                    for names in SCHEMES:
                        module = names.exported_intrinsic_module(item.key)
                        for which in ("new", "rep", "drop"):
                            table.imports[(module, names.resource_intrinsic(t.name, which))] = ImportSlot(
                                f"module-{which}", item.key, resource=t)  # type: ignore[arg-type]
    return table


def _add_import(table: WorldTable, names: Mangling, item: object) -> None:
    match item:
        case WorldFunction(key=_, function=func):
            table.imports[(names.import_module(None), func.name)] = ImportSlot(
                "function", None, func, core=flatten_functype(func, "lower"))
        case WorldInterface(key=key, interface=iface):
            module = names.import_module(key)
            for func in iface.functions:
                table.imports[(module, func.name)] = ImportSlot(
                    "function", key, func, core=flatten_functype(func, "lower"))
            for t in iface.types:
                if is_resource(t):
                    table.imports[(module, names.resource_intrinsic(t.name, "drop"))] = ImportSlot(  # type: ignore[arg-type]
                        "host-drop", key, resource=t)
        case WorldType(type=t) if is_resource(t):
            table.imports[(names.import_module(None), names.resource_intrinsic(t.name, "drop"))] = ImportSlot(  # type: ignore[arg-type]
                "host-drop", None, resource=t)


def _functions(item: object) -> list[tuple[WorldKey | None, Function]]:
    match item:
        case WorldFunction(function=func):
            return [(None, func)]
        case WorldInterface(key=key, interface=iface):
            return [(key, f) for f in iface.functions]
    return []
