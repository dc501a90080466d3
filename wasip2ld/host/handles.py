"""Resource types and the module's per-type handle tables (CanonicalABI.md "Handles").

A resource is implemented either by the module (it exports the interface defining it: the module calls
`[resource-new]`/`_new` with its own representation, the host sees a ``Resource``) or by the host (an
imported interface: the representation is the Python object the host function returned).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from .errors import Trap, trap_if


@dataclass(eq=False)
class ResourceType:
    name: str
    owner: str | None
    implemented_by_module: bool
    dtor: Callable[[int], None] | None = None  # the module's destructor export, if any

    def __repr__(self) -> str:
        return f"<resource {self.owner or ''}{'/' if self.owner else ''}{self.name}>"


@dataclass(eq=False)
class HandleEntry:
    rep: Any
    own: bool
    lends: int = 0
    scope: Any = None  # for a borrow lent to the module: the call it belongs to


@dataclass(eq=False)
class HandleTable:
    """One resource type's handles in the module: index 0 is never valid; freed slots are reused."""

    rtype: ResourceType
    slots: list[HandleEntry | None] = field(default_factory=lambda: [None])
    free: list[int] = field(default_factory=list)

    def add(self, entry: HandleEntry) -> int:
        if self.free:
            index = self.free.pop()
            self.slots[index] = entry
        else:
            index = len(self.slots)
            trap_if(index >= 1 << 28, "handle table is full")
            self.slots.append(entry)
        return index

    def get(self, index: int) -> HandleEntry:
        entry = self.slots[index] if 0 < index < len(self.slots) else None
        if entry is None:
            raise Trap(f"unknown handle index {index} for {self.rtype!r}")
        return entry

    def remove(self, index: int) -> HandleEntry:
        entry = self.get(index)
        self.slots[index] = None
        self.free.append(index)
        return entry

    def live(self) -> int:
        return sum(1 for e in self.slots if e is not None)


class Resource:
    """A handle to a resource the module implements, held by the host: pass it back as `own`/`borrow`,
    and ``drop()`` it when done (the module's destructor runs). ``rep`` is the module's representation."""

    def __init__(self, rtype: ResourceType, rep: int, owned: bool = True) -> None:
        self.rtype = rtype
        self.rep = rep
        self.owned = owned
        self.state = "live"  # live | moved (passed back as own) | dropped

    def check_live(self) -> None:
        if self.state != "live":
            raise Trap(f"{self.rtype!r} handle was already {self.state}")

    def drop(self) -> None:
        """Run the module's destructor (a borrowed handle only stops being usable)."""
        self.check_live()
        self.state = "dropped"
        if self.owned and self.rtype.dtor is not None:
            self.rtype.dtor(self.rep)

    def __repr__(self) -> str:
        return f"Resource({self.rtype.name}, rep={self.rep}, {self.state})"
