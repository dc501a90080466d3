"""One call across the boundary, in either direction (CanonicalABI.md ``canon lift`` / ``canon lower``).

``ExportCall``: the host calls a function the module exports (lower the Python arguments into the module,
call, lift the results, call the post-return). ``ImportCall``: the module calls a function the host
implements (lift the core arguments, call the Python function, lower its result).
"""

from __future__ import annotations

from typing import Any, Callable

from ..abi.flatten import CoreSignature
from ..wit.model import Function
from ..wit.render import type_text
from .codec import BadValue, Codec, Flat
from .compound import FieldsCodec
from .errors import Trap, trap_if
from .handles import HandleEntry, Resource, ResourceType
from .memory import GuestMemory

_I32 = 1 << 32
_I64 = 1 << 64


class CallContext:
    """What lifting and lowering need during one call: memory, the string encoding, the handle tables,
    and the borrows to settle when the call ends."""

    __slots__ = ("mem", "_view", "encoding", "tables", "lends", "borrows")

    def __init__(self, mem: GuestMemory | None, encoding: str, tables: Callable[[ResourceType], Any]) -> None:
        self.mem = mem
        self._view: memoryview | None = None
        self.encoding = encoding
        self.tables = tables
        self.lends: list[HandleEntry] = []
        self.borrows = 0

    @property
    def view(self) -> memoryview:
        """The guest memory, fetched on first use (calls passing only numbers never need it)."""
        if self._view is None:
            self._view = self.mem.view() if self.mem is not None else memoryview(b"")
        return self._view

    @view.setter
    def view(self, value: memoryview) -> None:
        self._view = value

    def alloc(self, align: int, size: int) -> int:
        if self.mem is None:
            raise Trap("the module exports no memory, which this call needs")
        ptr = self.mem.realloc(0, 0, align, size)
        self.view = self.mem.view()
        return ptr

    def lift_handle(self, kind: str, rtype: ResourceType, index: int) -> Any:
        table = self.tables(rtype)
        if kind == "own":
            entry = table.remove(index)
            trap_if(entry.lends != 0, f"{rtype!r} handle {index} is lent out and cannot be moved")
            trap_if(not entry.own, f"{rtype!r} handle {index} is a borrow, passed where an own is expected")
        else:
            entry = table.get(index)
            if entry.own:
                entry.lends += 1
                self.lends.append(entry)
        if rtype.implemented_by_module:
            return Resource(rtype, entry.rep, owned=kind == "own")
        return entry.rep

    def lower_handle(self, kind: str, rtype: ResourceType, value: Any) -> int:
        table = self.tables(rtype)
        if rtype.implemented_by_module:
            if not isinstance(value, Resource) or value.rtype is not rtype:
                raise BadValue(f"expected a Resource of {rtype!r}, got {type(value).__name__}")
            if value.state != "live":
                raise BadValue(f"the {rtype!r} handle was already {value.state}", ValueError)
            if kind == "borrow":
                return value.rep  # a borrow into the implementing module is its representation
            if not value.owned:
                raise BadValue(f"a borrowed {rtype!r} handle cannot be passed as own", ValueError)
            value.state = "moved"
            return table.add(HandleEntry(value.rep, own=True))
        if kind == "own":
            return table.add(HandleEntry(value, own=True))
        self.borrows += 1
        return table.add(HandleEntry(value, own=False, scope=self))

    def settle_lends(self) -> None:
        for entry in self.lends:
            entry.lends -= 1
        self.lends.clear()


def to_core(types: tuple[str, ...], values: list) -> list:
    """Python ints as wasmtime takes them: signed i32/i64."""
    out = []
    for t, v in zip(types, values):
        if t == "i32":
            v = (v + (1 << 31)) % _I32 - (1 << 31)
        elif t == "i64":
            v = (v + (1 << 63)) % _I64 - (1 << 63)
        out.append(v)
    return out


class Signature:
    """A function's codecs and its core signature (from ``wasip2ld.abi.flatten``)."""

    def __init__(self, func: Function, core: CoreSignature, params: list[Codec], result: Codec | None,
                 params_tuple: FieldsCodec | None) -> None:
        self.func, self.core, self.params, self.result = func, core, params, result
        self.params_tuple = params_tuple  # the parameters as laid out in memory when they spill

    def bad_param(self, index: int, err: BadValue) -> Exception:
        p = self.func.params[index]
        return err.kind(f"{self.func.name}: parameter `{p.name}` ({type_text(p.type)}): {err.args[0]}")


class ExportCall:
    """A Python callable for a function the module exports."""

    def __init__(self, inst: Any, sig: Signature, func: Any, post: Any | None, label: str) -> None:
        self.inst, self.sig, self.func, self.post, self.label = inst, sig, func, post, label
        self.__name__ = sig.func.name

    def __call__(self, *args: Any) -> Any:
        sig = self.sig
        if len(args) != len(sig.params):
            raise TypeError(f"{sig.func.name}() takes {len(sig.params)} argument(s) "
                            f"({', '.join(p.name for p in sig.func.params)}), got {len(args)}")
        inst = self.inst
        trap_if(inst.host_depth > 0, f"{sig.func.name}: cannot enter the module while it is calling the host")
        cx = inst.context()
        flat: list = []
        if sig.params_tuple is not None:
            tup = sig.params_tuple
            ptr = cx.alloc(tup.align, tup.size)
            for i, (codec, offset, arg) in enumerate(zip(sig.params, tup.offsets, args)):
                try:
                    codec.store(cx, arg, ptr + offset)
                except BadValue as err:
                    raise sig.bad_param(i, err) from None
            flat = [ptr]
        else:
            for i, (codec, arg) in enumerate(zip(sig.params, args)):
                try:
                    codec.lower_flat(cx, arg, flat)
                except BadValue as err:
                    raise sig.bad_param(i, err) from None
        raw = inst.guest_call(self.func, to_core(sig.core.params, flat), self.label)
        results = [] if raw is None else [raw]
        value = None
        if sig.result is not None:
            cx.view = inst.memory.view() if inst.memory is not None else cx.view
            if sig.core.retptr:
                ptr = raw & 0xFFFFFFFF
                inst.memory.check(ptr, sig.result.size, sig.result.align, f"{sig.func.name} return area")
                value = sig.result.load(cx, ptr)
            else:
                value = sig.result.lift_flat(cx, Flat(results))
        trap_if(cx.borrows != 0, f"{sig.func.name}: borrow handles still remain at the end of the call")
        if self.post is not None:
            inst.guest_call(self.post, results, self.label + " post-return")
        return value


class ImportCall:
    """The core function the module imports, backed by a Python callable."""

    def __init__(self, inst: Any, sig: Signature, impl: Callable[..., Any], label: str) -> None:
        self.inst, self.sig, self.impl, self.label = inst, sig, impl, label

    def __call__(self, *core: Any) -> Any:
        sig, inst = self.sig, self.inst
        if inst.memory is not None:
            inst.memory.stale = True  # the guest ran (and may have grown its memory) since the host looked
        cx = inst.context()
        flat = list(core)
        retptr = flat.pop() & 0xFFFFFFFF if sig.core.retptr else None
        if sig.params_tuple is not None:
            ptr = flat[0] & 0xFFFFFFFF
            tup = sig.params_tuple
            inst.memory.check(ptr, tup.size, tup.align, f"{self.label} parameters")
            args = list(tup.load(cx, ptr))
        else:
            reader = Flat(flat)
            args = [codec.lift_flat(cx, reader) for codec in sig.params]
        inst.host_depth += 1
        try:
            result = self.impl(*args)
        finally:
            inst.host_depth -= 1
            cx.settle_lends()
        if sig.result is None:
            return None
        try:
            if retptr is not None:
                inst.memory.check(retptr, sig.result.size, sig.result.align, f"{self.label} return pointer")
                cx.view = inst.memory.view()
                sig.result.store(cx, result, retptr)
                return None
            out: list = []
            sig.result.lower_flat(cx, result, out)
        except BadValue as err:
            raise err.kind(f"host function {self.label} returned a bad value for "
                           f"{type_text(sig.func.result)}: {err.args[0]}") from None  # type: ignore[arg-type]
        return to_core(sig.core.results, out)[0]

