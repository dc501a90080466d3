"""``expected_interface``: every core import a module may use and every export it must (or may) provide for
a WIT world, under one name mangling.

The order and content follow what wit-component's dummy module generator (`wasm-tools component embed
--dummy-names …`) produces, so the two can be compared entry for entry:

* ``async_abi="sync"`` (the default, and the only ABI of ``standard32``): async WIT functions are lowered
  and lifted synchronously. The imports are *exactly* the dummy's; the exports are the dummy's too, with
  ``required`` saying which ones wit-component insists on.
* ``"async-callback"`` / ``"async-stackful"`` (``legacy`` only, like `--async-callback`/`--async-stackful`):
  async functions use ``[async-lower]``/``[async-lift]`` names, and the imports additionally list the async
  built-ins a module *may* use (task.return, waitable sets, future/stream intrinsics, …), a superset of the
  dummy's choice.
"""

from __future__ import annotations

from ..errors import UsageError
from ..frozen import frozen
from ..lazyattr import cached_property
from ..wit.model import (
    Function,
    Interface,
    World,
    WorldFunction,
    WorldInterface,
    WorldKey,
    WorldType,
    is_resource,
)
from .flatten import (
    CoreSignature,
    contains_list,
    flatten_functype,
    needs_memory,
    needs_realloc,
    post_return_functype,
    task_return_signature,
)
from .functype import FuncType
from .mangling import ASYNC_LIFT, ASYNC_LOWER, CALLBACK, Mangling, mangling_named, task_return_name

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import Literal

    from .flatten import AbiKind

    ExportRole = Literal["function", "post-return", "callback", "dtor", "memory", "realloc", "initialize"]

ASYNC_ABIS = ("sync", "async-callback", "async-stackful")


@frozen
class ExpectedImport:
    """A core import the module may have. ``wit`` names the WIT item: ``<interface or $root> <item>``
    (``[export]<interface>`` for intrinsics of exported items)."""

    module: str
    name: str
    sig: FuncType
    wit: str
    role: str  # function, resource-drop, resource-new, resource-rep, task-return, future-read, …
    kind: str = "func"
    function: Function | None = None  # the WIT function this import is, or is an intrinsic of
    abi: CoreSignature | None = None  # how the WIT params/result became ``sig`` (functions only)
    needs_memory: bool = False
    needs_realloc: bool = False


@frozen
class ExpectedExport:
    """A core export. ``required`` follows wit-component (every world export function must be present;
    memory/realloc when a required export needs them). ``needed_by`` lists, for memory and realloc, the
    imports (``module::name``) and exports whose use makes them necessary."""

    name: str
    kind: Literal["func", "memory"]
    sig: FuncType | None
    required: bool
    wit: str
    role: ExportRole
    function: Function | None = None
    abi: CoreSignature | None = None
    for_export: str | None = None  # post-return/callback: the export it belongs to
    needs_memory: bool = False
    needs_realloc: bool = False
    needed_by: tuple[str, ...] = ()


@frozen
class ExpectedInterface:
    world: World
    mangling: str
    async_abi: AbiKind
    imports: tuple[ExpectedImport, ...]
    exports: tuple[ExpectedExport, ...]

    @cached_property
    def _imports_by_name(self) -> dict[tuple[str, str], ExpectedImport]:
        return {(i.module, i.name): i for i in self.imports}

    @cached_property
    def _exports_by_name(self) -> dict[str, ExpectedExport]:
        return {e.name: e for e in self.exports}

    def import_named(self, module: str, name: str) -> ExpectedImport | None:
        return self._imports_by_name.get((module, name))

    def export_named(self, name: str) -> ExpectedExport | None:
        return self._exports_by_name.get(name)

    @property
    def required_exports(self) -> tuple[ExpectedExport, ...]:
        return tuple(e for e in self.exports if e.required)


def expected_interface(world: World, mangling: str = "legacy", async_abi: str = "sync") -> ExpectedInterface:
    """The core imports and exports of a module implementing ``world`` with the given name mangling."""
    names = mangling_named(mangling)
    if async_abi not in ASYNC_ABIS:
        raise UsageError(f"unknown async ABI `{async_abi}`", hint="use one of: " + ", ".join(ASYNC_ABIS))
    if async_abi != "sync" and names.name != "legacy":
        raise UsageError(
            f"the {names.name} mangling has no names for the async ABI ({async_abi})",
            hint="use --mangling legacy for async-lowered/lifted functions, or the default synchronous ABI",
        )
    builder = _Builder(names, async_abi)  # type: ignore[arg-type]
    builder.add_world(world)
    imports, exports = tuple(builder.imports), tuple(builder.exports)
    return ExpectedInterface(world, names.name, async_abi, imports, exports)  # type: ignore[arg-type]


def expected_item_exports(world: World, mangling: str = "legacy") -> tuple[ExpectedExport, ...]:
    """The (sync) exports of ``world``'s items — functions, their post-returns, resource destructors — as
    ``expected_interface`` lists them, without the module's memory, realloc and ``_initialize`` (whose
    ``needed_by`` takes the flattening of every import)."""
    builder = _Builder(mangling_named(mangling), "sync")  # type: ignore[arg-type]
    for item in world.exports:
        builder.add_export_item(item)
    return tuple(builder.exports)


def expected_module_imports(world: World, mangling: str, module: str) -> tuple[ExpectedImport, ...]:
    """The entries of ``expected_interface(world, mangling).imports`` (sync ABI) whose module is ``module``,
    in the same order, without flattening the rest of the world: a check looks its imports up one module at
    a time, and a module rarely uses more than a few of a world's interfaces."""
    names = mangling_named(mangling)
    builder = _Builder(names, "sync")  # type: ignore[arg-type]
    for item in world.imports:
        if names.import_module(item.key if isinstance(item, WorldInterface) else None) == module:
            builder.add_import_item(item)
    for item in world.exports:
        if isinstance(item, WorldInterface) and names.exported_intrinsic_module(item.key) == module:
            builder.add_export_intrinsics(item)
    return tuple(builder.imports)


class _Builder:
    def __init__(self, names: Mangling, async_abi: AbiKind) -> None:
        self.names, self.async_abi = names, async_abi
        self.imports: list[ExpectedImport] = []
        self.exports: list[ExpectedExport] = []

    @property
    def is_async(self) -> bool:
        return self.async_abi != "sync"

    def add_world(self, world: World) -> None:
        for item in world.imports:
            self.add_import_item(item)
        if self.is_async:
            from .async_builtins import root_async_builtins  # its tables cost 0.5 ms to build: async only

            self.imports += root_async_builtins(self.names)
        for item in world.exports:
            self.add_export_intrinsics(item)
        for item in world.exports:
            self.add_export_item(item)
        self.add_module_exports()

    # --- imports -----------------------------------------------------------------------------------------

    def add_import_item(self, item) -> None:
        match item:
            case WorldFunction(function=func):
                self.add_imported_function(None, func)
            case WorldInterface(key=key, interface=iface):
                for func in iface.functions:
                    self.add_imported_function(key, func)
                for t in iface.types:
                    if is_resource(t):
                        self.add_resource_drop(key, t.name)
            case WorldType(type=t) if is_resource(t):
                self.add_resource_drop(None, t.name)

    def add_imported_function(self, key: WorldKey | None, func: Function) -> None:
        module = self.names.import_module(key)
        async_lower = self.is_async and func.is_async
        sig = flatten_functype(func, "lower", async_=async_lower)
        name = (ASYNC_LOWER if async_lower else "") + func.name
        self.imports.append(
            ExpectedImport(
                module,
                name,
                sig.functype,
                _wit(key, func.name),
                "function",
                function=func,
                abi=sig,
                needs_memory=needs_memory(func, sig),
                needs_realloc=needs_realloc(func, sig, "lower"),
            )
        )
        if self.is_async:
            from .async_builtins import payload_intrinsics

            self.imports += payload_intrinsics(module, _owner(key), func)

    def add_resource_drop(self, key: WorldKey | None, resource: str | None) -> None:
        assert resource is not None
        self.imports.append(
            ExpectedImport(
                self.names.import_module(key),
                self.names.resource_intrinsic(resource, "drop"),
                FuncType(("i32",), ()),
                _wit(key, f"[resource-drop]{resource}"),
                "resource-drop",
            )
        )

    def add_export_intrinsics(self, item) -> None:
        match item:
            case WorldFunction(function=func):
                self.add_exported_function_intrinsics(None, func)
            case WorldInterface(key=key, interface=iface):
                for func in iface.functions:
                    self.add_exported_function_intrinsics(key, func)
                self.add_exported_resource_intrinsics(key, iface)

    def add_exported_function_intrinsics(self, key: WorldKey | None, func: Function) -> None:
        if not self.is_async:
            return
        module = self.names.exported_intrinsic_module(key)
        sig = task_return_signature(func)
        self.imports.append(
            ExpectedImport(
                module,
                task_return_name(func),
                sig.functype,
                _wit(key, f"[task-return]{func.name}", export=True),
                "task-return",
                function=func,
                abi=sig,
                needs_memory=sig.indirect_params or contains_list(func.result),
            )
        )
        from .async_builtins import payload_intrinsics

        self.imports += payload_intrinsics(module, "[export]" + _owner(key), func)

    def add_exported_resource_intrinsics(self, key: WorldKey, iface: Interface) -> None:
        module = self.names.exported_intrinsic_module(key)
        for t in iface.types:
            if not is_resource(t):
                continue
            for which, sig in (("drop", FuncType(("i32",), ())), ("new", _I32_TO_I32), ("rep", _I32_TO_I32)):
                self.imports.append(
                    ExpectedImport(
                        module,
                        self.names.resource_intrinsic(t.name, which),
                        sig,  # type: ignore[arg-type]
                        _wit(key, f"[resource-{which}]{t.name}", export=True),
                        f"resource-{which}",
                    )
                )

    # --- exports -----------------------------------------------------------------------------------------

    def add_export_item(self, item) -> None:
        match item:
            case WorldFunction(function=func):
                self.add_exported_function(None, func)
            case WorldInterface(key=key, interface=iface):
                for func in iface.functions:
                    self.add_exported_function(key, func)
                for t in iface.types:
                    if is_resource(t):
                        self.add_dtor(key, t.name)  # type: ignore[arg-type]

    def add_exported_function(self, key: WorldKey | None, func: Function) -> None:
        abi: AbiKind = self.async_abi if func.is_async else "sync"
        sig = flatten_functype(func, "lift", async_=abi != "sync", callback=abi == "async-callback")
        base = self.names.export_name(key, func)
        name = ASYNC_LIFT.get(abi, "") + base
        wit = _wit(key, func.name)
        self.exports.append(
            ExpectedExport(
                name,
                "func",
                sig.functype,
                True,
                wit,
                "function",
                function=func,
                abi=sig,
                needs_memory=needs_memory(func, sig),
                needs_realloc=needs_realloc(func, sig, "lift"),
            )
        )
        if abi == "sync":
            self.exports.append(
                ExpectedExport(
                    self.names.post_return(name),
                    "func",
                    post_return_functype(sig),
                    False,
                    _wit(key, f"[post-return]{func.name}"),
                    "post-return",
                    function=func,
                    for_export=name,
                )
            )
        elif abi == "async-callback":
            self.exports.append(
                ExpectedExport(
                    CALLBACK + name,
                    "func",
                    FuncType(("i32", "i32", "i32"), ("i32",)),
                    True,
                    _wit(key, f"[callback]{func.name}"),
                    "callback",
                    function=func,
                    for_export=name,
                )
            )

    def add_dtor(self, key: WorldKey, resource: str) -> None:
        prefix = ASYNC_LIFT.get(self.async_abi, "")
        self.exports.append(
            ExpectedExport(
                prefix + self.names.dtor(key, resource),
                "func",
                FuncType(("i32",), ()),
                False,
                _wit(key, f"[dtor]{resource}"),
                "dtor",
            )
        )

    def add_module_exports(self) -> None:
        memory_users = [_use_name(i) for i in self.imports if i.needs_memory]
        memory_users += [e.name for e in self.exports if e.needs_memory]
        realloc_users = [_use_name(i) for i in self.imports if i.needs_realloc]
        realloc_users += [e.name for e in self.exports if e.needs_realloc]
        required_memory = any(e.required and e.needs_memory for e in self.exports)
        required_realloc = any(e.required and e.needs_realloc for e in self.exports)
        self.exports += [
            ExpectedExport(
                self.names.memory,
                "memory",
                None,
                required_memory,
                "$root [memory]",
                "memory",
                needed_by=tuple(memory_users),
            ),
            ExpectedExport(
                self.names.realloc,
                "func",
                FuncType(("i32",) * 4, ("i32",)),
                required_realloc,
                "$root [realloc]",
                "realloc",
                needed_by=tuple(realloc_users),
            ),
            ExpectedExport(
                self.names.initialize, "func", FuncType((), ()), False, "$root [initialize]", "initialize"
            ),
        ]


_I32_TO_I32 = FuncType(("i32",), ("i32",))


def _owner(key: WorldKey | None) -> str:
    return "$root" if key is None else key.name


def _wit(key: WorldKey | None, item: str, export: bool = False) -> str:
    return f"{'[export]' if export else ''}{_owner(key)} {item}"


def _use_name(i: ExpectedImport) -> str:
    return f"{i.module}::{i.name}"
