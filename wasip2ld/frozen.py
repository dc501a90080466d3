"""``@frozen``: immutable value classes that behave like ``@dataclass(frozen=True)`` — keyword and positional
construction with defaults, ``==`` and ``hash`` over the compared fields, a dataclass-style ``repr``,
``__match_args__``, and assignment refused — but cost a few microseconds to define instead of a few hundred
(a dataclass compiles six methods; ``frozen`` compiles ``__init__`` alone, when the class is first
constructed, and imports neither ``dataclasses`` nor ``inspect``). Used for the WIT model, which `wasip2ld check` imports on every run.

    @frozen
    class Field:
        name: str
        type: Type
        docs: str | None = field(default=None, compare=False)
"""

from __future__ import annotations

from operator import attrgetter


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a ``@frozen`` instance (``dataclasses.FrozenInstanceError``'s role)."""


class _Field:
    __slots__ = ("default", "compare")

    def __init__(self, default: object, compare: bool) -> None:
        self.default, self.compare = default, compare


_NO_DEFAULT = object()


def field(*, default: object = _NO_DEFAULT, compare: bool = True) -> object:
    """A field's default, and whether ``==`` and ``hash`` look at it."""
    return _Field(default, compare)


def frozen(cls: type | None = None, *, eq: bool = True):  # type: ignore[no-untyped-def]
    """Make ``cls`` a frozen value class from its annotations; ``eq=False`` keeps its own ``__eq__``/``__hash__``."""

    def wrap(cls: type) -> type:
        names = tuple(cls.__dict__.get("__annotations__", {}))
        defaults: dict[str, object] = {}
        compared = []
        for name in names:
            value = cls.__dict__.get(name, _NO_DEFAULT)
            if isinstance(value, _Field):
                compare, value = value.compare, value.default
            else:
                compare = True
            if value is not _NO_DEFAULT:
                defaults[name] = value
                setattr(cls, name, value)
            elif defaults:
                raise TypeError(f"{cls.__name__}: field `{name}` without a default follows one with a default")
            if compare:
                compared.append(name)
        cls.__init__ = _first_init(cls, names, defaults)  # type: ignore[misc]
        cls.__repr__ = _repr(names)  # type: ignore[method-assign]
        cls.__setattr__ = _refuse  # type: ignore[method-assign, assignment]
        cls.__delattr__ = _refuse  # type: ignore[method-assign, assignment]
        cls.__match_args__ = names  # type: ignore[attr-defined]
        if eq:
            cls.__eq__, cls.__hash__ = _eq_hash(compared)  # type: ignore[method-assign, assignment]
        return cls

    return wrap if cls is None else wrap(cls)


def _first_init(cls: type, names: tuple[str, ...], defaults: dict[str, object]):  # type: ignore[no-untyped-def]
    """An ``__init__`` that compiles the real one on the first construction: classes never constructed in
    a run (most of the model, for most worlds) cost nothing."""

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        init = _init(cls, names, defaults)
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    return __init__


def _init(cls: type, names: tuple[str, ...], defaults: dict[str, object]):  # type: ignore[no-untyped-def]
    params = ", ".join(f"{n}=_d_{n}" if n in defaults else n for n in names)
    body = "".join(f"\n _set(self, {n!r}, {n})" for n in names) or "\n pass"
    namespace: dict[str, object] = {"_set": object.__setattr__, **{f"_d_{n}": v for n, v in defaults.items()}}
    exec(f"def __init__(self, {params}):{body}", namespace)  # noqa: S102 - source built from field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"  # type: ignore[attr-defined]
    return init


def _repr(names: tuple[str, ...]):  # type: ignore[no-untyped-def]
    def __repr__(self: object) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in names)
        return f"{type(self).__qualname__}({fields})"

    return __repr__


def _eq_hash(compared: list[str]):  # type: ignore[no-untyped-def]
    key_of = attrgetter(*compared) if compared else (lambda self: ())

    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return key_of(self) == key_of(other)

    def __hash__(self: object) -> int:
        return hash(key_of(self))

    return __eq__, __hash__


def _refuse(self: object, name: str, *value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")
