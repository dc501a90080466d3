"""``instantiate``: a core module build target under wasmtime's *core* API, its imports implemented by Python
functions and its exports callable with Python values."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Callable, Protocol

from ..wit.model import Function, TypeDef, World, WorldKey, resolve_alias
from .calls import CallContext, ExportCall, ImportCall, Signature
from .builder import CodecBuilder
from .errors import LinkError, Trap, trap_if
from .fastcall import core_caller
from .handles import HandleEntry, HandleTable, ResourceType
from .linking import SCHEMES, ImportSlot, world_table
from .memory import GuestMemory
from .world import module_world, string_encoding

Imports = Mapping[str, Any]


class ImportProvider(Protocol):
    """Implements whole interfaces (``wasip2ld.host.wasi.Wasi`` does this for WASI 0.2)."""

    def lookup(self, interface: str, name: str) -> Callable[..., Any] | None: ...


class Instance:
    """An instantiated module. ``exports``: world-level functions by name, interface functions as
    ``exports["ns:pkg/iface@ver"]["name"]``; each is a Python callable. ``world`` is its WIT world."""

    def __init__(self, world: World, encoding: str, store: Any, mangling: str) -> None:
        self.world = world
        self.encoding = encoding
        self.store = store
        self.mangling = mangling
        self.exports: dict[str, Any] = {}
        self.memory: GuestMemory | None = None
        self.host_depth = 0  # > 0 while the module is calling the host: no re-entering it then
        self._types: dict[tuple[str, str | None, str], ResourceType] = {}
        self._tables: dict[ResourceType, HandleTable] = {}
        self.dtors: dict[tuple[str | None, str], Callable[[int], None]] = {}

    def context(self) -> CallContext:
        return CallContext(self.memory, self.encoding, self.table)

    def table(self, rtype: ResourceType) -> HandleTable:
        found = self._tables.get(rtype)
        if found is None:
            found = self._tables[rtype] = HandleTable(rtype)
        return found

    def resource_type(self, resource: TypeDef, by_module: bool) -> ResourceType:
        key = ("module" if by_module else "host", resource.owner, resource.name or "")
        found = self._types.get(key)
        if found is None:
            found = self._types[key] = ResourceType(resource.name or "", resource.owner, by_module)
            if by_module:
                found.dtor = self.dtors.get((resource.owner, found.name))
        return found

    def live_handles(self) -> int:
        """How many handles the module holds (all types): a leak check for tests."""
        return sum(t.live() for t in self._tables.values())

    def guest_call(self, call: Callable[..., Any], args: list, label: str) -> Any:
        import wasmtime

        try:
            return call(*args)
        except (wasmtime.Trap, wasmtime.WasmtimeError) as err:
            raise Trap(f"{label}: {_trap_text(err)}", str(err)) from None
        finally:
            if self.memory is not None:
                self.memory.stale = True


def instantiate(module: str | os.PathLike | bytes, imports: Imports | None = None, *,
                wit: str | os.PathLike | None = None, world: str | None = None,
                wasi: ImportProvider | None = None, encoding: str | None = None,
                engine: Any | None = None, store: Any | None = None) -> Instance:
    """Instantiate a core module build target. Its world comes from its ``component-type`` section, or
    from ``wit`` (a WIT file or directory) and ``world``. ``imports`` maps world-level import names and
    interface names (``"ns:pkg/iface@ver"``) to Python callables (a dict of them for an interface);
    ``wasi`` provides the ``wasi:*`` interfaces. ``engine``/``store``: wasmtime's, to configure them
    (epoch interruption, fuel); new ones by default. Raises ``LinkError`` if an import has no implementation."""
    import wasmtime

    path = None if isinstance(module, (bytes, bytearray)) else str(module)
    data = bytes(module) if path is None else Path(path).read_bytes()
    the_world = module_world(data, path, wit, world)
    where = path or "module"
    if store is not None:
        engine = store.engine
    engine = engine or wasmtime.Engine()
    store = store or wasmtime.Store(engine)
    try:
        core = wasmtime.Module(engine, data)
    except wasmtime.WasmtimeError as err:
        raise LinkError(f"{where}: wasmtime cannot compile it: {_trap_text(err)}") from None
    table = world_table(the_world)
    inst = Instance(the_world, encoding or string_encoding(data, path), store, "legacy")
    host_codecs = CodecBuilder(lambda r: inst.resource_type(r, False))
    module_codecs = CodecBuilder(lambda r: inst.resource_type(r, r.owner in table.exported_owners))
    linker = wasmtime.Linker(engine)
    schemes = set()
    for imp in core.imports:
        slot = table.imports.get((imp.module, imp.name))
        label = f"`{imp.module}::{imp.name}`"
        if slot is None:
            raise LinkError(f"{where}: imports {label}, which is not part of its world `{the_world.id}`",
                            hint=f"check it with `wasip2ld check {where}`")
        schemes.add("standard32" if imp.module.startswith("cm32p2") else "legacy")
        func, functype = _import_func(inst, slot, imports or {}, wasi, host_codecs, label, where)
        _check_type(imp.type, functype, f"the import {label}", where)
        linker.define_func(imp.module, imp.name, wasmtime.FuncType(*(
            [_valtype(t) for t in ts] for ts in functype)), func)
    try:
        instance = linker.instantiate(store, core)
    except wasmtime.Trap as err:
        raise Trap(f"{where}: trapped while starting: {_trap_text(err)}") from None
    except wasmtime.WasmtimeError as err:
        raise LinkError(f"{where}: cannot instantiate: {_trap_text(err)}") from None
    _bind_exports(inst, instance.exports(store), table, module_codecs, schemes, where)
    inst.mangling = "standard32" if schemes == {"standard32"} else "legacy" if schemes <= {"legacy"} else "mixed"
    return inst


def _import_func(inst: Instance, slot: ImportSlot, imports: Imports, wasi: ImportProvider | None,
                 codecs: CodecBuilder, label: str, where: str) -> tuple[Callable[..., Any], tuple]:
    if slot.role == "function":
        assert slot.function is not None and slot.core is not None
        impl = _implementation(imports, wasi, slot.key, slot.function.name)
        if impl is None:
            raise LinkError(f"{where}: no implementation for the import {_wit_name(slot.key, slot.function.name)} "
                            f"({label})", hint=_provide_hint(slot.key, slot.function.name))
        sig = _signature(slot.function, slot.core, codecs)
        return ImportCall(inst, sig, impl, label), (slot.core.params, slot.core.results)
    assert slot.resource is not None
    resource = resolve_alias(slot.resource)
    name = resource.name or ""  # type: ignore[union-attr]
    if slot.role == "host-drop":
        rtype = inst.resource_type(resource, False)  # type: ignore[arg-type]
        dtor = _implementation(imports, wasi, slot.key, f"[resource-drop]{name}")
        return _host_drop(inst, rtype, dtor), (("i32",), ())
    rtype = inst.resource_type(resource, True)  # type: ignore[arg-type]
    table = inst.table(rtype)
    if slot.role == "module-new":
        return (lambda rep: table.add(HandleEntry(rep & 0xFFFFFFFF, own=True))), (("i32",), ("i32",))
    if slot.role == "module-rep":
        return (lambda index: table.get(index & 0xFFFFFFFF).rep), (("i32",), ("i32",))
    return _module_drop(rtype, table), (("i32",), ())


def _host_drop(inst: Instance, rtype: ResourceType, dtor: Callable[[Any], Any] | None) -> Callable[[int], None]:
    def drop(index: int) -> None:
        entry = inst.table(rtype).remove(index & 0xFFFFFFFF)
        if not entry.own:
            entry.scope.borrows -= 1
            return
        trap_if(entry.lends != 0, f"{rtype!r} handle {index} is dropped while lent out")
        if dtor is not None:
            dtor(entry.rep)

    return drop


def _module_drop(rtype: ResourceType, table: HandleTable) -> Callable[[int], None]:
    def drop(index: int) -> None:
        entry = table.remove(index & 0xFFFFFFFF)
        trap_if(entry.lends != 0, f"{rtype!r} handle {index} is dropped while lent out")
        if entry.own and rtype.dtor is not None:
            rtype.dtor(entry.rep)

    return drop


def _bind_exports(inst: Instance, exports: Any, table: Any, codecs: CodecBuilder, schemes: set[str],
                  where: str) -> None:
    def find(names: tuple[str, ...], sig: tuple | None = None, function: bool = False) -> tuple[Any, str | None]:
        """The export (as a fast caller when ``sig``, its expected core type, is given) and its name."""
        for scheme, name in zip(SCHEMES, names):
            if name in exports:
                if function:  # memory, realloc and _initialize come from libc and say nothing
                    schemes.add(scheme.name)
                found = exports[name]
                if sig is None:
                    return found, name
                _check_type(found.type(inst.store), sig, f"the export `{name}`", where)
                return core_caller(inst.store, found, *sig), name
        return None, None

    memory, _ = find(tuple(s.memory for s in SCHEMES))
    realloc, realloc_name = find(tuple(s.realloc for s in SCHEMES), (("i32",) * 4, ("i32",)))
    if memory is not None:
        guarded = None if realloc is None else (
            lambda *args: inst.guest_call(realloc, list(args), f"`{realloc_name}`"))
        inst.memory = GuestMemory(inst.store, memory, guarded)
    for (owner, resource), names in table.dtors.items():
        func, name = find(names, (("i32",), ()))
        if func is not None:
            inst.dtors[(owner, resource)] = _dtor(inst, func, name)
    for rtype in inst._types.values():
        if rtype.implemented_by_module:
            rtype.dtor = inst.dtors.get((rtype.owner, rtype.name))
    for slot in table.exports:
        func, name = find(slot.names, (slot.core.params, slot.core.results), function=True)
        if func is None:
            continue
        post, _ = find(slot.post_names, (slot.core.results, ()))
        sig = _signature(slot.function, slot.core, codecs)
        call = ExportCall(inst, sig, func, post, f"`{name}`")
        if slot.key is None:
            inst.exports[slot.function.name] = call
        else:
            inst.exports.setdefault(slot.key.name, {})[slot.function.name] = call
    init, name = find(tuple(s.initialize for s in SCHEMES), ((), ()))
    if init is not None:
        inst.guest_call(init, [], f"`{name}`")


def _dtor(inst: Instance, func: Any, name: str | None) -> Callable[[int], None]:
    return lambda rep: inst.guest_call(func, [rep], f"`{name}`")


def _signature(func: Function, core: Any, codecs: CodecBuilder) -> Signature:
    params = [codecs.codec(p.type) for p in func.params]
    result = codecs.codec(func.result) if func.result is not None else None
    spilled = codecs.fields(None, [p.type for p in func.params], "params") if core.indirect_params else None
    return Signature(func, core, params, result, spilled)


def _implementation(imports: Imports, wasi: ImportProvider | None, key: WorldKey | None,
                    name: str) -> Callable[..., Any] | None:
    if key is None:
        impl = imports.get(name)
    else:
        iface = imports.get(key.name)
        impl = iface.get(name) if isinstance(iface, Mapping) else getattr(iface, _py_name(name), None)
    if impl is None and wasi is not None and key is not None:
        impl = wasi.lookup(key.name, name)
    return impl


def _py_name(name: str) -> str:
    return name.rsplit("]", 1)[-1].replace(".", "_").replace("-", "_")


def _wit_name(key: WorldKey | None, name: str) -> str:
    return f"`{name}`" if key is None else f"`{key.name}` `{name}`"


def _provide_hint(key: WorldKey | None, name: str) -> str:
    if key is not None and key.name.startswith("wasi:"):
        return "pass wasi=wasip2ld.host.Wasi(…) to provide the WASI 0.2 interfaces"
    if key is None:
        return f"pass imports={{{name!r}: function}}"
    return f"pass imports={{{key.name!r}: {{{name!r}: function}}}}"


def _check_type(ty: Any, functype: tuple, label: str, where: str) -> None:
    have = ([str(t) for t in ty.params], [str(t) for t in ty.results])
    want = (list(functype[0]), list(functype[1]))
    if have != want:
        raise LinkError(f"{where}: {label} has type {_sig_text(have)}, its world says {_sig_text(want)}",
                        hint=f"check it with `wasip2ld check {where}`")


def _sig_text(sig: tuple[list[str], list[str]]) -> str:
    return f"({' '.join(sig[0])}) -> ({' '.join(sig[1])})"


def _valtype(name: str) -> Any:
    import wasmtime

    return getattr(wasmtime.ValType, name)()


def _trap_text(err: Exception) -> str:
    text = str(err)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if "Caused by:" in lines:
        after = lines[lines.index("Caused by:") + 1:]
        if after:
            return after[-1].split(": ", 1)[-1].removeprefix("wasm trap: ")
    return lines[0].removeprefix("wasm trap: ") if lines else text
