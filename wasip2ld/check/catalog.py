"""Every name a module may use for a world, under both schemes, indexed for lookup, and the rules that map an
import's module name to a world item (wit-component's ``module_to_interface``):

* legacy: a bare world key (``j``), else an interface id that must parse as ``ns:pkg/iface[@semver]``; an
  exact id wins, else the first world item of the same interface on the same semver track (``1.0.0`` binds to
  ``1.2.3``); ``[export]<key>`` modules hold the intrinsics of exported items;
* standard32: ``cm32p2`` (world level), ``cm32p2|<key or canonical id>``, ``cm32p2|_ex_<…>`` for exports; the
  canonical id must match exactly.

The expected names themselves come from ``wasip2ld.abi.expected_interface`` (sync ABI). Legacy modules may
also use the async family (``[async-lower]f``, ``[async-lift]f``, waitable sets, futures, …); those tables are
built only when a name is not found in the sync ones. Last come the spellings wit-component parses rather
than looks up (``wasip2ld.abi.builtin_names``: unit futures/streams, context slots, threads, …).
"""

from __future__ import annotations

from ..abi.builtin_names import BuiltinProblem, canonical_payload_name, match_builtin
from ..abi.expected import (
    ExpectedExport,
    ExpectedImport,
    ExpectedInterface,
    expected_interface,
    expected_item_exports,
    expected_module_imports,
)
from ..abi.flatten import flatten_functype, needs_memory, needs_realloc
from ..abi.mangling import (
    CALLBACK,
    Legacy,
    Standard32,
    canonical_interface_name,
    canonical_version,
    mangling_named,
)
from ..frozen import frozen, replace
from ..lazyattr import cached_property
from ..wasm import FuncType
from ..wit.model import World, WorldInterface, WorldKey

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Literal

    from ..abi.builtin_names import ModuleKind

    Scheme = Literal["legacy", "standard32"]
    ItemExports = tuple[tuple[ExpectedExport, ...], dict[str, ExpectedExport]]  # in order, and by name

STANDARD_PREFIX = "cm32p2"
LEGACY_ROOT = "$root"
LEGACY_EXPORT_PREFIX = "[export]"
ASYNC_LOWER = "[async-lower]"
ASYNC_LIFT_PREFIXES = ("[async-lift]", "[async-lift-stackful]")
# Exact export names wit-component takes as a realloc without checking their type there (only when used).
UNCHECKED_REALLOCS = (
    "canonical_abi_realloc",
    "cabi_import_realloc",
    "cabi_export_realloc",
    "cabi_realloc_adapter",
)
# wasm-ld's stack-pointer/TLS accessors for the p1 adapter; the type is whatever the module declares.
ENV_INTRINSICS = (
    "__wasm_get_stack_pointer",
    "__wasm_set_stack_pointer",
    "__wasm_get_tls_base",
    "__wasm_set_tls_base",
)

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-")


def scheme_of_import(module: str) -> Scheme:
    return "standard32" if module.startswith(STANDARD_PREFIX) else "legacy"


def scheme_of_export(name: str) -> Scheme:
    return "standard32" if name.startswith(STANDARD_PREFIX) else "legacy"


@frozen
class InterfaceName:
    """``ns:pkg/iface@version`` split into its parts (version may be None)."""

    namespace: str
    package: str
    interface: str
    version: str | None

    @classmethod
    def parse(cls, text: str) -> InterfaceName | None:
        """What ``^(ns):(pkg)/(iface)(?:@(ver))?$`` over ``[a-zA-Z0-9-]+`` names and a one-line version
        matches (``$`` allowing one final newline), without importing ``re``."""
        namespace, _, rest = text.partition(":")
        package, _, rest = rest.partition("/")
        interface, at, version = rest.partition("@")
        if version.endswith("\n"):
            version = version[:-1]
        elif not at and interface.endswith("\n"):
            interface = interface[:-1]
        if not all(part and _NAME_CHARS.issuperset(part) for part in (namespace, package, interface)):
            return None
        if at and (not version or "\n" in version):
            return None
        return cls(namespace, package, interface, version if at else None)

    @property
    def track(self) -> str | None:
        """The semver compatibility track (``1``, ``0.2``, ``0.0.4``, ``2.0.0-rc.1``), None if not semver."""
        if self.version is None:
            return None
        try:
            return canonical_version(self.version)
        except ValueError:
            return None

    def same_interface(self, other: InterfaceName) -> bool:
        return (self.namespace, self.package, self.interface) == (
            other.namespace,
            other.package,
            other.interface,
        )


@frozen
class ModuleMatch:
    """What an import's module name refers to: ``key`` (None = world level), whether it is the intrinsics
    module of an *exported* item, the module string the expected tables use for it, and, for a legacy
    semver-compatible match, the world's interface id the module was bound to."""

    scheme: Scheme
    key: WorldKey | None
    exported: bool
    table_module: str
    semver_bound: str | None = None


@frozen
class ModuleMiss:
    """Why an import's module name refers to nothing; ``code`` is the diagnostic code."""

    code: str
    reason: str
    hint: str | None = None


@frozen(eq=False)
class Catalog:
    """The expected names of ``world`` for both schemes. Build once per world (see ``catalog_for``)."""

    world: World

    @cached_property
    def legacy(self) -> ExpectedInterface:
        return expected_interface(self.world, "legacy")

    @cached_property
    def standard(self) -> ExpectedInterface:
        return expected_interface(self.world, "standard32")

    def interface(self, scheme: Scheme) -> ExpectedInterface:
        """The whole table of ``scheme``; the lookups below answer as it would, building less of it."""
        return self.legacy if scheme == "legacy" else self.standard

    def sync_import(self, scheme: Scheme, module: str, name: str) -> ExpectedImport | None:
        """``interface(scheme).import_named(module, name)``, from the table of ``module`` alone."""
        table = self._module_imports.get((scheme, module))
        if table is None:
            table = self._module_imports[(scheme, module)] = {
                i.name: i for i in expected_module_imports(self.world, scheme, module)
            }
        return table.get(name)

    def sync_export(self, scheme: Scheme, name: str) -> ExpectedExport | None:
        """``interface(scheme).export_named(name)``; the world items' exports are looked up without the
        import tables, which only the memory, realloc and ``_initialize`` entries need (for ``needed_by``)."""
        names = mangling_named(scheme)
        if name in (names.memory, names.realloc, names.initialize):
            return self.interface(scheme).export_named(name)
        return self._item_exports(scheme)[1].get(name)

    def _item_exports(self, scheme: Scheme) -> ItemExports:
        """The world items' exports of ``scheme``, in order and by name."""
        tables = self._item_export_tables.get(scheme)
        if tables is None:
            exports = expected_item_exports(self.world, scheme)
            tables = self._item_export_tables[scheme] = (exports, {e.name: e for e in exports})
        return tables

    @cached_property
    def _module_imports(self) -> dict[tuple[Scheme, str], dict[str, ExpectedImport]]:
        return {}

    @cached_property
    def _item_export_tables(self) -> dict[Scheme, ItemExports]:
        return {}

    def expected_import(self, scheme: Scheme, module: str, name: str) -> ExpectedImport | None:
        found = self.sync_import(scheme, module, name)
        if found is None and scheme == "legacy":
            found = self.legacy_async_imports.get((module, name))
            if found is None:
                parsed = self._parsed_builtin(module, name)
                found = parsed if isinstance(parsed, ExpectedImport) else None
        return found

    def builtin_problem(self, scheme: Scheme, module: str, name: str) -> BuiltinProblem | None:
        """Why a built-in name wit-component recognizes cannot be used (e.g. context slot 2)."""
        if scheme != "legacy":
            return None
        parsed = self._parsed_builtin(module, name)
        return parsed if isinstance(parsed, BuiltinProblem) else None

    def _parsed_builtin(self, module: str, name: str) -> ExpectedImport | BuiltinProblem | None:
        where = self._legacy_module_kinds.get(module)
        if where is None:
            return None
        canonical = canonical_payload_name(name)
        if canonical is not None:
            found = self.sync_import("legacy", module, canonical) or self.legacy_async_imports.get(
                (module, canonical)
            )
            return None if found is None else replace(found, name=name)
        return match_builtin(where[0], module, where[1], name)

    @cached_property
    def _legacy_module_kinds(self) -> dict[str, tuple[ModuleKind, str]]:
        """Each legacy import module of the world: what it holds, and the owner its items are named after."""
        names = Legacy()
        kinds: dict[str, tuple[ModuleKind, str]] = {
            LEGACY_ROOT: ("root", LEGACY_ROOT),
            LEGACY_EXPORT_PREFIX + LEGACY_ROOT: ("export-root", LEGACY_EXPORT_PREFIX + LEGACY_ROOT),
        }
        for item in self.world.imports:
            if isinstance(item, WorldInterface):
                kinds[names.import_module(item.key)] = ("interface", item.key.name)
        for item in self.world.exports:
            if isinstance(item, WorldInterface):
                kinds[names.exported_intrinsic_module(item.key)] = ("export-interface", "[export]" + item.key.name)
        return kinds

    def expected_export(self, scheme: Scheme, name: str) -> ExpectedExport | None:
        found = self.sync_export(scheme, name)
        if found is None and scheme == "legacy":
            found = self.legacy_async_exports.get(name)
        return found

    # --- the legacy async family ------------------------------------------------------------------------

    @cached_property
    def legacy_async_imports(self) -> dict[tuple[str, str], ExpectedImport]:
        """``[async-lower]`` forms of every imported function plus the async built-ins and intrinsics."""
        table: dict[tuple[str, str], ExpectedImport] = {}
        for i in expected_interface(self.world, "legacy", "async-callback").imports:
            table.setdefault((i.module, i.name), i)
        for i in self.legacy.imports:
            if i.role != "function" or i.function is None:
                continue
            sig = flatten_functype(i.function, "lower", async_=True)
            table.setdefault((i.module, ASYNC_LOWER + i.name), ExpectedImport(
                i.module, ASYNC_LOWER + i.name, sig.functype, i.wit, "function", function=i.function, abi=sig,
                needs_memory=needs_memory(i.function, sig), needs_realloc=needs_realloc(i.function, sig, "lower"),
            ))  # fmt: skip
        for key in [k for k in table if k in self._sync_legacy_imports]:
            del table[key]
        return table

    @cached_property
    def _sync_legacy_imports(self) -> set[tuple[str, str]]:
        return {(i.module, i.name) for i in self.legacy.imports}

    @cached_property
    def legacy_async_exports(self) -> dict[str, ExpectedExport]:
        """``[async-lift]f`` (with its required ``[callback][async-lift]f``) and ``[async-lift-stackful]f``."""
        table: dict[str, ExpectedExport] = {}
        for e in self.function_exports("legacy"):
            if e.function is None:
                continue
            for prefix in ASYNC_LIFT_PREFIXES:
                callback = prefix == "[async-lift]"
                sig = flatten_functype(e.function, "lift", async_=True, callback=callback)
                table[prefix + e.name] = ExpectedExport(
                    prefix + e.name, "func", sig.functype, False, e.wit, "function", function=e.function, abi=sig,
                    needs_memory=needs_memory(e.function, sig), needs_realloc=needs_realloc(e.function, sig, "lift"),
                )  # fmt: skip
            name = CALLBACK + ASYNC_LIFT_PREFIXES[0] + e.name
            table[name] = ExpectedExport(name, "func", FuncType(("i32", "i32", "i32"), ("i32",)), False,
                                         e.wit.replace(" ", " [callback]", 1), "callback", function=e.function,
                                         for_export=ASYNC_LIFT_PREFIXES[0] + e.name)  # fmt: skip
        return table

    # --- world exports ----------------------------------------------------------------------------------

    def function_exports(self, scheme: Scheme) -> tuple[ExpectedExport, ...]:
        return tuple(e for e in self._item_exports(scheme)[0] if e.role == "function")

    @cached_property
    def export_pairs(self) -> tuple[tuple[ExpectedExport, ExpectedExport], ...]:
        """Each world export function as (legacy export, standard32 export), in world order."""
        return tuple(zip(self.function_exports("legacy"), self.function_exports("standard32")))

    # --- import module names ----------------------------------------------------------------------------

    def resolve_module(self, scheme: Scheme, module: str) -> ModuleMatch | ModuleMiss:
        if scheme == "standard32":
            return self._resolve_standard(module)
        return self._resolve_legacy(module)

    def _resolve_standard(self, module: str) -> ModuleMatch | ModuleMiss:
        rest = module[len(STANDARD_PREFIX) :]
        if rest == "":
            return ModuleMatch("standard32", None, False, STANDARD_PREFIX)
        if not rest.startswith("|"):
            return ModuleMiss("invalid-import-name", f"`{module}` is not a standard32 module name",
                              "standard32 import modules are `cm32p2`, `cm32p2|<interface>` or `cm32p2|_ex_<interface>`")  # fmt: skip
        name = rest[1:]
        exported = name.startswith("_ex_")
        if exported:
            name = name[len("_ex_") :]
        items = self.world.exports if exported else self.world.imports
        names = Standard32()
        for item in items:
            if isinstance(item, WorldInterface) and canonical_interface_name(item.key) == name:
                table = (
                    names.exported_intrinsic_module(item.key) if exported else names.import_module(item.key)
                )
                return ModuleMatch("standard32", item.key, exported, table)
        side = "exports" if exported else "imports"
        return ModuleMiss("unknown-interface", f"the world {side} no interface whose standard32 name is `{name}`",
                          self._standard_hint(name, exported))  # fmt: skip

    def _resolve_legacy(self, module: str) -> ModuleMatch | ModuleMiss:
        if module == LEGACY_ROOT:
            return ModuleMatch("legacy", None, False, LEGACY_ROOT)
        exported = module.startswith(LEGACY_EXPORT_PREFIX)
        name = module[len(LEGACY_EXPORT_PREFIX) :] if exported else module
        if exported and name == LEGACY_ROOT:
            return ModuleMatch("legacy", None, True, module)
        items = [
            i
            for i in (self.world.exports if exported else self.world.imports)
            if isinstance(i, WorldInterface)
        ]
        names = Legacy()
        table = names.exported_intrinsic_module if exported else names.import_module
        for item in items:
            if not item.key.is_interface_id and item.key.name == name:
                return ModuleMatch("legacy", item.key, exported, table(item.key))
        wanted = InterfaceName.parse(name)
        if wanted is None:
            return ModuleMiss("unknown-interface", self._missing_interface_text(name, exported),
                              self._legacy_hint(name, exported))  # fmt: skip
        if wanted.version is not None and wanted.track is None:
            return ModuleMiss("invalid-import-name", f"`{name}` is not a legacy interface name: `{wanted.version}` is "
                              "not a full semver version", self._legacy_hint(name, exported))  # fmt: skip
        for item in items:
            if item.key.is_interface_id and item.key.name == name:
                return ModuleMatch("legacy", item.key, exported, table(item.key))
        for item in items:
            have = InterfaceName.parse(item.key.name) if item.key.is_interface_id else None
            if have and have.same_interface(wanted) and wanted.track and have.track == wanted.track:
                return ModuleMatch("legacy", item.key, exported, table(item.key), semver_bound=item.key.name)
        return ModuleMiss("unknown-interface", self._missing_interface_text(name, exported),
                          self._legacy_hint(name, exported))  # fmt: skip

    # --- explanations for a module that refers to nothing -----------------------------------------------

    def _missing_interface_text(self, name: str, exported: bool) -> str:
        side = "exports" if exported else "imports"
        return f"the world {side} no interface `{name}`"

    def _interface_keys(self, exported: bool) -> list[WorldKey]:
        items = self.world.exports if exported else self.world.imports
        return [i.key for i in items if isinstance(i, WorldInterface)]

    def _other_side(self, exported: bool, match: Callable[[WorldKey], bool]) -> WorldKey | None:
        return next((k for k in self._interface_keys(not exported) if match(k)), None)

    def _legacy_hint(self, name: str, exported: bool) -> str | None:
        wanted = InterfaceName.parse(name)
        if wanted is None:
            return _did_you_mean(name, [k.name for k in self._interface_keys(exported)])
        if wanted.version is not None and wanted.track is None:
            canonical = [k.name for k in self._interface_keys(exported) if _same(k, wanted)]
            spelled = f" such as `{canonical[0]}`" if canonical else ""
            return (f"legacy module names spell the full semver version{spelled}; `@{wanted.version}` is the "
                    f"standard32 spelling, which needs module `cm32p2|{'_ex_' if exported else ''}{name}`")  # fmt: skip
        same = [k for k in self._interface_keys(exported) if _same(k, wanted)]
        if same:
            have = InterfaceName.parse(same[0].name)
            assert have is not None
            return (f"the world {'exports' if exported else 'imports'} `{same[0].name}` (semver track "
                    f"{have.track or 'none'}); `{name}` is on track {wanted.track or 'none'}, which is not compatible")  # fmt: skip
        other = self._other_side(exported, lambda k: k.name == name or _same(k, wanted))
        if other is not None:
            return _other_side_hint(other.name, exported, "legacy")
        return _did_you_mean(name, [k.name for k in self._interface_keys(exported)])

    def _standard_hint(self, name: str, exported: bool) -> str | None:
        wanted = InterfaceName.parse(name)
        keys = self._interface_keys(exported)
        if wanted is not None:
            same = [k for k in keys if _same(k, wanted)]
            if same:
                canonical = canonical_interface_name(same[0])
                have = InterfaceName.parse(same[0].name)
                if have is not None and wanted.version == have.version:
                    return (f"standard32 module names carry the canonical version (`@{have.track}`), not the full "
                            f"`@{have.version}`: `cm32p2|{'_ex_' if exported else ''}{canonical}`")  # fmt: skip
                if wanted.track and have is not None and wanted.track == have.track:
                    return (f"module `{name}` is on the same semver track as world "
                            f"{'export' if exported else 'import'} `{same[0].name}`, but standard32 names use the "
                            f"canonical version only: `cm32p2|{'_ex_' if exported else ''}{canonical}`")  # fmt: skip
                return (f"the world {'exports' if exported else 'imports'} `{same[0].name}`, whose standard32 "
                        f"module is `cm32p2|{'_ex_' if exported else ''}{canonical}`")  # fmt: skip
        other = self._other_side(exported, lambda k: canonical_interface_name(k) == name)
        if other is not None:
            return _other_side_hint(other.name, exported, "standard32")
        return _did_you_mean(name, [canonical_interface_name(k) for k in keys])


def _same(key: WorldKey, wanted: InterfaceName) -> bool:
    have = InterfaceName.parse(key.name) if key.is_interface_id else None
    return have is not None and have.same_interface(wanted)


def _other_side_hint(key: str, exported: bool, scheme: Scheme) -> str:
    if exported:
        return f"`{key}` is imported by the world, not exported: its functions and resource drops are imported without the `{'[export]' if scheme == 'legacy' else '_ex_'}` marker"
    module = (
        f"[export]{key}"
        if scheme == "legacy"
        else f"cm32p2|_ex_{canonical_interface_name(WorldKey(key, True))}"
    )
    return f"`{key}` is exported by the world, not imported: the intrinsics of its resources are imported from `{module}`"


def _did_you_mean(name: str, candidates: list[str]) -> str | None:
    from .hints import did_you_mean

    return did_you_mean(name, candidates)


# One catalog per world object: building the tables costs more than checking a module's names.
_CATALOGS: dict[int, tuple[World, Catalog]] = {}


def catalog_for(world: World) -> Catalog:
    cached = _CATALOGS.get(id(world))
    if cached is not None and cached[0] is world:
        return cached[1]
    catalog = Catalog(world)
    if len(_CATALOGS) >= 16:
        _CATALOGS.pop(next(iter(_CATALOGS)))
    _CATALOGS[id(world)] = (world, catalog)
    return catalog


def clear_catalogs() -> None:
    _CATALOGS.clear()
