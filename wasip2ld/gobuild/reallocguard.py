"""Keeping Go's clock reads inside the component while the host is allocating.

The Component Model forbids a component to call its imports while the host runs its ``cabi_realloc`` or a
post-return function (wasmtime: "cannot leave component instance"). Go's allocator reads the clock (GC
pacing, scavenging) through ``wasi_snapshot_preview1::clock_time_get``, which the adapter turns into a
``wasi:clocks`` import call, so a Go ``cabi_realloc`` traps whenever an allocation starts a GC cycle or
grows the heap.

wasip2ld edits the linked module:

* each function export the host calls in that state (``cabi_realloc``, ``cabi_post_*``, ``cm32p2_realloc``,
  ``cm32p2…_post``) is pointed at a wrapper that raises a flag around the Go function;
* the Go function that calls the clock import (cmd/compile's wasmimport thunk, found by decoding the small
  function bodies that call it) calls a guard instead, which answers from the last clock values seen while
  the flag is up and otherwise calls the import and remembers what it returned.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..wasm import FuncType
from ..wasm.reader import Reader
from ..wasm.encode import uleb
from ..wasm.edit import ModuleEditor

P1_MODULE = "wasi_snapshot_preview1"
CLOCK_TYPE = FuncType(("i32", "i64", "i32"), ("i32",))
_THUNK_MAX = 256  # bytes: cmd/compile's wasmimport thunks are a few dozen


def host_only_exports(editor: ModuleEditor) -> list[str]:
    """The function exports the host may call while the component must not leave."""
    names = []
    for e in editor.module.exports:
        if e.kind != "func":
            continue
        if (
            e.name in ("cabi_realloc", "cm32p2_realloc")
            or e.name.startswith("cabi_post_")
            or e.name.startswith("cm32p2")
            and e.name.endswith("_post")
        ):
            names.append(e.name)
    return names


@dataclass(frozen=True)
class GuardReport:
    wrapped_exports: tuple[str, ...]
    guarded_thunks: int


def guard_realloc(editor: ModuleEditor) -> GuardReport:
    """Apply both edits; nothing changes when the module exports nothing the host calls that way."""
    exports = host_only_exports(editor)
    if not exports:
        return GuardReport((), 0)
    flag = editor.add_global_i32(0)
    for name in exports:
        _wrap_export(editor, name, flag)
    thunks = 0
    for import_index in _clock_imports(editor):
        thunks += _guard_clock_import(editor, import_index, flag)
    return GuardReport(tuple(exports), thunks)


def _wrap_export(editor: ModuleEditor, name: str, flag: int) -> None:
    index = editor.export_index(name)
    assert index is not None
    sig = editor.module.func_type(index)
    code = b"\x41\x01\x24" + uleb(flag)
    code += b"".join(b"\x20" + uleb(i) for i in range(len(sig.params)))
    code += b"\x10" + uleb(index) + b"\x41\x00\x24" + uleb(flag)
    editor.repoint_export(name, editor.add_function(sig, (), code))


def _clock_imports(editor: ModuleEditor) -> list[int]:
    funcs = [i for i in editor.module.imports if i.kind == "func"]
    return [
        n
        for n, i in enumerate(funcs)
        if i.module == P1_MODULE and i.name == "clock_time_get" and i.type == CLOCK_TYPE
    ]


def _guard_clock_import(editor: ModuleEditor, import_index: int, flag: int) -> int:
    """Redirect every thunk calling ``import_index`` to a caching guard; returns how many were found."""
    real, mono = editor.add_global_i64(0), editor.add_global_i64(0)
    g = uleb(flag)
    code = b"".join([
        # while the host allocates: the last value seen (clock 0 realtime, others monotonic), success
        b"\x23" + g + b"\x04\x40",
        b"\x20\x02\x20\x00\x45\x04\x7e\x23" + uleb(real) + b"\x05\x23" + uleb(mono) + b"\x0b",
        b"\x37\x03\x00\x41\x00\x0f\x0b",
        # otherwise: the real clock, remembered on success
        b"\x20\x00\x20\x01\x20\x02\x10" + uleb(import_index) + b"\x22\x03\x45\x04\x40",
        b"\x20\x00\x45\x04\x40\x20\x02\x29\x03\x00\x24" + uleb(real),
        b"\x05\x20\x02\x29\x03\x00\x24" + uleb(mono) + b"\x0b\x0b",
        b"\x20\x03",
    ])  # fmt: skip
    guard = editor.add_function(CLOCK_TYPE, ("i32",), code)
    found = 0
    call = b"\x10" + uleb(import_index)
    for defined, (start, end) in enumerate(editor.bodies()):
        if end - start > _THUNK_MAX or editor.data.find(call, start, end) < 0:
            continue
        body = bytes(editor.data[start:end])
        rewritten = redirect_calls(body, import_index, guard)
        if rewritten is not None:
            editor.replace_body(defined, rewritten)
            found += 1
    return found


def redirect_calls(body: bytes, target: int, replacement: int) -> bytes | None:
    """``body`` with every ``call target`` turned into ``call replacement``; None if it has none or uses an
    instruction this decoder does not know (such a function is left alone)."""
    try:
        spans = list(_call_spans(body, target))
    except _Unknown:
        return None
    if not spans:
        return None
    out, last = [], 0
    for start, end in spans:
        out += [body[last:start], b"\x10" + uleb(replacement)]
        last = end
    out.append(body[last:])
    return b"".join(out)


class _Unknown(Exception):
    pass


# Immediate shapes of the opcodes wasip2ld decodes (the MVP set plus sign-extension, saturating and bulk
# memory, which is what cmd/compile emits): "" none, "u" one u32, "m" a memarg, "b" a block type.
_IMMEDIATES = {0x00: "", 0x01: "", 0x02: "b", 0x03: "b", 0x04: "b", 0x05: "", 0x0B: "", 0x0C: "u", 0x0D: "u",
               0x0F: "", 0x10: "u", 0x1A: "", 0x1B: "", 0x20: "u", 0x21: "u", 0x22: "u", 0x23: "u", 0x24: "u",
               0x3F: "u", 0x40: "u"}  # fmt: skip
_IMMEDIATES.update({op: "m" for op in range(0x28, 0x3F)})
_IMMEDIATES.update({op: "" for op in range(0x45, 0xC5)})


def _call_spans(body: bytes, target: int) -> Iterator[tuple[int, int]]:
    r = Reader(body, region="function body")
    for _ in range(r.read_u32("local groups")):
        r.read_u32("local count")
        r.read_u8("local type")
    while not r.at_end():
        start = r.pos
        op = r.read_u8("opcode")
        shape = _IMMEDIATES.get(op)
        if op == 0x0E:  # br_table
            for _ in range(r.read_u32("br_table size") + 1):
                r.read_u32("label")
        elif op == 0x11:  # call_indirect
            r.read_u32("type")
            r.read_u32("table")
        elif op == 0x41:
            r.read_s32("i32.const")
        elif op == 0x42:
            r.read_s64("i64.const")
        elif op in (0x43, 0x44):
            r.skip(4 if op == 0x43 else 8, "float constant")
        elif op == 0xFC:
            _misc_immediates(r)
        elif shape is None:
            raise _Unknown(op)
        elif shape == "u":
            value = r.read_u32("immediate")
            if op == 0x10 and value == target:
                yield start, r.pos
        elif shape == "m":
            r.read_u32("align")
            r.read_u32("offset")
        elif shape == "b":
            if r.peek_u8() in (0x40, 0x7F, 0x7E, 0x7D, 0x7C):
                r.read_u8()
            else:
                r.read_s33("block type")


def _misc_immediates(r: Reader) -> None:
    sub = r.read_u32("0xfc opcode")
    if sub <= 7:
        return
    counts = {8: 2, 9: 1, 10: 2, 11: 1, 12: 2, 13: 1, 14: 2, 15: 1, 16: 1, 17: 1}
    if sub not in counts:
        raise _Unknown(0xFC)
    for _ in range(counts[sub]):
        r.read_u32("immediate")
