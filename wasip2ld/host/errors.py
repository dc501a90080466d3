"""What a call through the host can raise besides ``TypeError``/``ValueError`` for a wrong Python value."""

from __future__ import annotations

from ..errors import UsageError


class Trap(Exception):
    """The guest trapped, or broke a Canonical ABI rule the host checks (an invalid `char`, bad utf-8, a
    discriminant out of range, a pointer out of bounds, an unknown handle…). ``message`` says which."""

    def __init__(self, message: str, details: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details  # the engine's full report (wasm backtrace) for a guest trap


class LinkError(UsageError):
    """The module cannot be instantiated with what was given: an import without an implementation, an
    import that is not part of its world, a missing memory or realloc."""


def trap_if(condition: bool, message: str) -> None:
    if condition:
        raise Trap(message)
