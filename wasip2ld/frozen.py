"""``@frozen``: immutable value classes that behave like ``@dataclass(frozen=True)`` — keyword and positional
construction with defaults, ``==`` and ``hash`` over the compared fields, a dataclass-style ``repr``,
``__match_args__``, ``replace``, and assignment refused — but cost a few microseconds to define instead of a few hundred
(a dataclass compiles six methods per class; ``frozen`` fills the field names into an ``__init__``
compiled once per number of fields, when a class is first constructed, and imports neither
``dataclasses`` nor ``inspect``). Used for the WIT model, which `wasip2ld check` imports on every run.

    @frozen
    class Field:
        name: str
        type: Type
        docs: str | None = field(default=None, compare=False)
"""

from __future__ import annotations

from _operator import attrgetter  # not `operator`, which costs 0.2 ms to import and re-exports this


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


def replace(obj: object, **changes: object) -> object:
    """A copy of a ``@frozen`` instance with some fields changed (``dataclasses.replace``)."""
    names = type(obj).__match_args__  # type: ignore[attr-defined]
    unknown = set(changes) - set(names)
    if unknown:
        raise TypeError(f"{type(obj).__name__} has no field {sorted(unknown)[0]!r}")
    return type(obj)(**{n: changes[n] if n in changes else getattr(obj, n) for n in names})


def _first_init(cls: type, names: tuple[str, ...], defaults: dict[str, object]):  # type: ignore[no-untyped-def]
    """An ``__init__`` that compiles the real one on the first construction: classes never constructed in
    a run (most of the model, for most worlds) cost nothing."""

    def __init__(self: object, *args: object, **kwargs: object) -> None:
        init = _init(cls, names, defaults)
        cls.__init__ = init  # type: ignore[misc]
        init(self, *args, **kwargs)

    return __init__


def _init(cls: type, names: tuple[str, ...], defaults: dict[str, object]):  # type: ignore[no-untyped-def]
    """``def __init__(self, a, b=…): _set(self, 'a', a); …``: the compiled template for this many fields, with
    the field names put in (a compile per class would cost more than the rest of ``frozen`` together)."""
    template = _template(len(names))
    placeholders = {f"_f{i}": name for i, name in enumerate(names)}
    code = template.replace(
        co_varnames=("self", *names),
        co_consts=tuple(placeholders.get(c, c) if isinstance(c, str) else c for c in template.co_consts),
        co_qualname=f"{cls.__qualname__}.__init__",
    )
    return FunctionType(code, {"_set": object.__setattr__}, "__init__", tuple(defaults[n] for n in names if n in defaults))


FunctionType = type(lambda: None)  # types.FunctionType and CodeType, without importing `types`
CodeType = type((lambda: None).__code__)
_TEMPLATES: dict[int, CodeType] = {}


def _template(count: int) -> CodeType:
    code = _TEMPLATES.get(count)
    if code is None:
        params = "".join(f", _a{i}" for i in range(count))
        body = "".join(f"\n _set(self, '_f{i}', _a{i})" for i in range(count)) or "\n pass"
        namespace: dict[str, object] = {}
        exec(f"def __init__(self{params}):{body}", namespace)  # noqa: S102 - fixed source, no user input
        code = _TEMPLATES[count] = namespace["__init__"].__code__  # type: ignore[attr-defined]
    return code


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
    from dataclasses import FrozenInstanceError  # what a frozen dataclass raises; imported only for the error

    raise FrozenInstanceError(f"cannot assign to field {name!r}")
