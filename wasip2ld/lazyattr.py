"""``cached_property`` without ``functools``: importing ``functools`` (and the ``collections`` it imports)
costs about a millisecond, more than `wasip2ld check` spends on a module's imports and exports. The value is
computed on first access and stored in the instance's ``__dict__``, which then answers every later access
(this is a non-data descriptor), as with ``functools.cached_property``, minus its per-class lock."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable


class cached_property:  # noqa: N801 - named after the functools decorator it stands in for
    __slots__ = ("func", "name", "__doc__")

    def __init__(self, func: Callable[[Any], Any]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, instance: object, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
