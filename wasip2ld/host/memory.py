"""Bounds-checked access to the guest's linear memory and its ``cabi_realloc``."""

from __future__ import annotations

import ctypes
from typing import Any

from .errors import Trap, trap_if


class GuestMemory:
    """The module's exported memory (wasmtime core API) seen as a ``memoryview``. Only guest code grows
    it, so the view is checked again (has it moved or grown?) only after a call into the guest, which
    sets ``stale``."""

    def __init__(self, store: Any, memory: Any, realloc: Any | None) -> None:
        self.store = store
        self.memory = memory
        self._realloc = realloc
        self._key: tuple[int, int] = (0, -1)
        self._view = memoryview(b"")
        self.stale = True

    def view(self) -> memoryview:
        if not self.stale:
            return self._view
        self.stale = False
        size = self.memory.data_len(self.store)
        base = ctypes.addressof(self.memory.data_ptr(self.store).contents)
        if (base, size) != self._key:
            self._key = (base, size)
            self._view = memoryview((ctypes.c_ubyte * size).from_address(base)).cast("B")
        return self._view

    def check(self, ptr: int, size: int, align: int, what: str) -> memoryview:
        """The view, after trapping on a misaligned or out-of-bounds ``ptr``."""
        view = self.view()
        trap_if(ptr % align != 0, f"{what}: pointer {ptr:#x} is not {align}-byte aligned")
        trap_if(ptr + size > len(view), f"{what}: {size} bytes at {ptr:#x} are out of bounds "
                                        f"(memory is {len(view)} bytes)")
        return view

    def read(self, ptr: int, size: int, what: str = "read") -> bytes:
        return bytes(self.check(ptr, size, 1, what)[ptr:ptr + size])

    def write(self, ptr: int, data: bytes, what: str = "write") -> None:
        self.check(ptr, len(data), 1, what)[ptr:ptr + len(data)] = data

    def realloc(self, old: int, old_size: int, align: int, size: int) -> int:
        """Allocate through the guest's realloc; the result is checked for alignment and bounds."""
        if self._realloc is None:
            raise Trap("the module exports no realloc function (cabi_realloc / cm32p2_realloc), "
                       "which this call needs to pass memory to it")
        ptr = self._realloc(old, old_size, align, size) & 0xFFFFFFFF
        self.check(ptr, size, align, "realloc result")
        return ptr
