"""The typed, immutable WIT model.

Nothing here knows where a model came from: the JSON of `wasm-tools component wit --json`
(``wasip2ld.wit.from_json``), a world decoded from a core module's ``component-type`` section, or a future
native front end all produce these same values. Every class is frozen and compared by value
(``wasip2ld.frozen``: like a frozen dataclass, but quicker to define), so two front ends can be checked
against each other with ``==`` (the order of an interface's items or a world's imports is presentation and
does not count either). Docs and stability gates are annotations that not
every source keeps (a world embedded in a module has neither), so they do not take part in comparisons.

Types form a tree: a use of a named type refers to its ``TypeDef``; an alias (``type a = b``, or
``use i.{b}``) is a ``TypeDef`` whose kind is ``Alias``. Resources are ``TypeDef``s of kind ``Resource``;
two resources are the same resource when name and owner agree.
"""

from __future__ import annotations

from ..frozen import field, frozen

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` imports the model on every run
if TYPE_CHECKING:
    from typing import Literal

# --- names -----------------------------------------------------------------------------------------------


@frozen
class PackageName:
    """``namespace:name@version`` (version optional, kept exactly as written)."""

    namespace: str
    name: str
    version: str | None = None

    def __str__(self) -> str:
        base = f"{self.namespace}:{self.name}"
        return f"{base}@{self.version}" if self.version else base

    def interface_id(self, interface: str) -> str:
        """``ns:pkg/iface@ver``, the name a world uses for a package's interface."""
        base = f"{self.namespace}:{self.name}/{interface}"
        return f"{base}@{self.version}" if self.version else base

    @classmethod
    def parse(cls, text: str) -> PackageName:
        """Parse ``ns:pkg`` or ``ns:pkg@1.2.3``; raises ValueError on anything else."""
        head, _, version = text.partition("@")
        namespace, sep, name = head.partition(":")
        if not sep or not namespace or not name or "/" in head:
            raise ValueError(f"not a WIT package name: `{text}`")
        return cls(namespace, name, version or None)


@frozen
class Stability:
    """A `@since`/`@unstable`/`@deprecated` gate; ``Stability()`` is the ungated default."""

    since: str | None = None
    unstable_feature: str | None = None
    deprecated: str | None = None

    @property
    def is_unstable(self) -> bool:
        return self.unstable_feature is not None


UNGATED = Stability()
Docs = str | None

# --- types -----------------------------------------------------------------------------------------------

PRIMITIVE_NAMES = (
    "bool", "u8", "u16", "u32", "u64", "s8", "s16", "s32", "s64",
    "f32", "f64", "char", "string", "error-context",
)  # fmt: skip


@frozen
class Primitive:
    name: str  # one of PRIMITIVE_NAMES

    def __str__(self) -> str:
        return self.name


@frozen
class Field:
    name: str
    type: Type


@frozen
class Case:
    name: str
    type: Type | None


@frozen
class Record:
    fields: tuple[Field, ...]


@frozen
class Variant:
    cases: tuple[Case, ...]


@frozen
class Enum:
    cases: tuple[str, ...]


@frozen
class Flags:
    names: tuple[str, ...]


@frozen
class Tuple:
    types: tuple[Type, ...]


@frozen
class ListType:
    element: Type


@frozen
class FixedListType:
    element: Type
    length: int


@frozen
class MapType:
    key: Type
    value: Type


@frozen
class OptionType:
    type: Type


@frozen
class ResultType:
    ok: Type | None
    err: Type | None


@frozen
class Handle:
    kind: Literal["own", "borrow"]
    resource: TypeDef  # a TypeDef whose kind is Resource (possibly through aliases)


@frozen
class FutureType:
    type: Type | None


@frozen
class StreamType:
    type: Type | None


@frozen
class Resource:
    pass


@frozen
class Alias:
    target: Type


TypeKind = (
    Record | Variant | Enum | Flags | Tuple | ListType | FixedListType | MapType | OptionType | ResultType |
    Handle | FutureType | StreamType | Resource | Alias
)  # fmt: skip


@frozen
class TypeDef:
    """A type definition: named (``record point``) or anonymous (``list<u8>`` written inline).

    ``owner`` names where a named type lives: an interface id (``wasi:io/streams@0.2.0``), a world-level
    interface key (``j``), or ``world ns:pkg/w`` for types declared in a world; ``None`` for anonymous types.
    """

    name: str | None
    kind: TypeKind
    owner: str | None = None
    docs: Docs = field(default=None, compare=False)
    stability: Stability = field(default=UNGATED, compare=False)

    def __str__(self) -> str:
        from .render import type_text

        return type_text(self)

    def __repr__(self) -> str:
        what = type(self.kind).__name__
        return f"TypeDef({self}: {what}{f' in {self.owner}' if self.owner else ''})"


Type = Primitive | TypeDef


def resolve_alias(t: Type) -> Type:
    """Follow ``type a = b`` chains to the defining type."""
    while isinstance(t, TypeDef) and isinstance(t.kind, Alias):
        t = t.kind.target
    return t


def is_resource(t: Type) -> bool:
    """True for an original resource definition (not an alias of one)."""
    return isinstance(t, TypeDef) and isinstance(t.kind, Resource)


# --- functions, interfaces, worlds -----------------------------------------------------------------------

if TYPE_CHECKING:
    FunctionKind = Literal["freestanding", "method", "static", "constructor"]


@frozen
class Param:
    name: str
    type: Type


@frozen
class Function:
    """A WIT function. ``name`` is the component-level name: ``f``, ``[constructor]r``, ``[method]r.m``,
    ``[static]r.s``. ``resource`` is set for the three resource kinds."""

    name: str
    kind: FunctionKind
    params: tuple[Param, ...]
    result: Type | None
    is_async: bool = False
    resource: TypeDef | None = None
    docs: Docs = field(default=None, compare=False)
    stability: Stability = field(default=UNGATED, compare=False)

    @property
    def item_name(self) -> str:
        """The name without the ``[method]r.`` style prefix."""
        if self.kind == "constructor":
            return "constructor"
        return self.name.rsplit(".", 1)[-1] if self.kind in ("method", "static") else self.name


@frozen(eq=False)
class Interface:
    """An interface. ``name`` is None for an inline ``import j: interface { … }``; ``package`` is None
    for those too (they belong to the world, not to a package namespace)."""

    name: str | None
    package: PackageName | None
    types: tuple[TypeDef, ...]
    functions: tuple[Function, ...]
    docs: Docs = field(default=None, compare=False)
    stability: Stability = field(default=UNGATED, compare=False)

    @property
    def id(self) -> str | None:
        """``ns:pkg/name@ver``, or None for an inline interface."""
        if self.name is None or self.package is None:
            return None
        return self.package.interface_id(self.name)

    def __repr__(self) -> str:
        return f"Interface({self.id or self.name or '<inline>'})"

    # Order is presentation: a world decoded from a component lists resource functions first.
    def _identity(self) -> tuple:
        return (self.name, self.package, frozenset(self.types), frozenset(self.functions))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Interface) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())

    def function(self, name: str) -> Function | None:
        return next((f for f in self.functions if f.name == name), None)

    def type(self, name: str) -> TypeDef | None:
        return next((t for t in self.types if t.name == name), None)


@frozen
class WorldKey:
    """How a world names an item: a plain name (``j``, ``top``) or an interface referenced by id."""

    name: str  # the plain name, or the interface id ``ns:pkg/i@ver``
    is_interface_id: bool = False

    def __str__(self) -> str:
        return self.name


@frozen
class WorldInterface:
    key: WorldKey
    interface: Interface
    stability: Stability = field(default=UNGATED, compare=False)


@frozen
class WorldFunction:
    key: WorldKey
    function: Function
    stability: Stability = field(default=UNGATED, compare=False)


@frozen
class WorldType:
    key: WorldKey
    type: TypeDef
    stability: Stability = field(default=UNGATED, compare=False)


WorldItem = WorldInterface | WorldFunction | WorldType


@frozen(eq=False)
class World:
    name: str
    package: PackageName | None
    imports: tuple[WorldItem, ...]
    exports: tuple[WorldItem, ...]
    docs: Docs = field(default=None, compare=False)
    stability: Stability = field(default=UNGATED, compare=False)

    @property
    def id(self) -> str:
        """``ns:pkg/world@ver`` (just the name for a world outside any package)."""
        return self.package.interface_id(self.name) if self.package else self.name

    def __str__(self) -> str:
        return self.id

    def _identity(self) -> tuple:
        return (self.name, self.package, frozenset(self.imports), frozenset(self.exports))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, World) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash(self._identity())


@frozen
class Package:
    name: PackageName
    interfaces: tuple[Interface, ...]
    worlds: tuple[World, ...]
    docs: Docs = field(default=None, compare=False)

    def world(self, name: str) -> World | None:
        return next((w for w in self.worlds if w.name == name), None)


@frozen
class Packages:
    """Everything a WIT source resolved to. ``main`` is the package the source itself declared (the
    others are its dependencies)."""

    packages: tuple[Package, ...]
    main: Package

    @property
    def worlds(self) -> tuple[World, ...]:
        return tuple(w for p in self.packages for w in p.worlds)
