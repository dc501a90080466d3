"""Did a trap come from the program's stack running out?

wasm-ld puts the stack first in linear memory (addresses 0 up to the initial ``__stack_pointer``) and LLVM's
function prologues subtract each frame's size from ``__stack_pointer``. A program whose frames do not fit
goes below address 0 and traps with "out of bounds memory access", which says nothing about the stack. So
the frames of the trap's backtrace are summed from the code (each prologue's ``i32.const N; i32.sub``) and
compared with the stack's size: frames that need at least the whole stack mean the stack ran out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import WasmParseError
from ..wasm import read_module
from ..wasm.reader import Reader

_GLOBAL_SECTION, _CODE_SECTION = 6, 10
_GLOBAL_GET, _I32_CONST, _I32_SUB, _END = 0x23, 0x41, 0x6B, 0x0B
_FUNCTION_NAMES, _GLOBAL_NAMES = 1, 7
_NUMBERED = re.compile(r"^<wasm function (\d+)>$")


@dataclass(frozen=True)
class StackUse:
    frames: int  # bytes the backtrace's frames take
    stack: int  # bytes of stack the program was linked with


def stack_exhaustion(wasm: bytes, functions: list[str]) -> StackUse | None:
    """``functions``: the trap's backtrace (innermost first), as wasmtime names them. None when the frames
    fit in the stack, or the module does not have the layout this relies on."""
    try:
        return _stack_exhaustion(wasm, functions)
    except WasmParseError:
        return None


def _stack_exhaustion(wasm: bytes, functions: list[str]) -> StackUse | None:
    module = _main_module(wasm)
    if module is None:
        return None
    names = _names(module)
    stack_global = names.globals.get("__stack_pointer", 0)
    stack = _stack_size(module, stack_global)
    if not stack:
        return None
    bodies = _bodies(module)
    imported = module.imported_func_count
    used = 0
    for function in functions:
        match = _NUMBERED.match(function)
        index = int(match.group(1)) if match else names.functions.get(function)
        if index is not None and 0 <= index - imported < len(bodies):
            used += _frame_size(module.data, bodies[index - imported], stack_global)
    return StackUse(used, stack) if used >= stack else None


def _main_module(wasm: bytes):
    """The core module itself, or a component's largest core module (the program; the others are glue)."""
    if wasm[4:8] == b"\x01\x00\x00\x00":
        return read_module(wasm)
    r = Reader(wasm, pos=8)
    best: tuple[int, int] | None = None
    while not r.at_end():
        section_id = r.read_u8("section id")
        size = r.read_u32("section size")
        if section_id == 1 and (best is None or size > best[1]):  # a core module
            best = (r.pos, size)
        r.skip(size)
    return read_module(wasm[best[0] : best[0] + best[1]]) if best else None


@dataclass(frozen=True)
class _Names:
    functions: dict[str, int]
    globals: dict[str, int]


def _names(module) -> _Names:
    found: dict[int, dict[str, int]] = {_FUNCTION_NAMES: {}, _GLOBAL_NAMES: {}}
    for section in module.custom_sections("name"):
        if section.name != "name":
            continue
        r = Reader(section.data)
        while not r.at_end():
            kind = r.read_u8("name subsection id")
            sub = r.sub_reader(r.read_u32("name subsection size"), "name subsection")
            if kind in found:
                for _ in range(sub.read_u32("name count")):
                    index = sub.read_u32("index")
                    found[kind].setdefault(sub.read_name(), index)
    return _Names(found[_FUNCTION_NAMES], found[_GLOBAL_NAMES])


def _stack_size(module, stack_global: int) -> int | None:
    """The initial value of the stack pointer, when the stack is first in memory (it then is the size)."""
    header = module.section("global")
    imported = sum(1 for imp in module.imports if imp.kind == "global")
    if header is None or stack_global < imported:
        return None
    r = Reader(module.data, pos=header.payload_offset, end=header.end)
    for index in range(imported, imported + r.read_u32("global count")):
        r.read_u8("value type")
        r.read_u8("mutability")
        opcode = r.read_u8("init opcode")
        value = r.read_s32("i32.const") if opcode == _I32_CONST else None
        if opcode != _I32_CONST or r.read_u8("end") != _END:
            return None
        if index == stack_global:
            return value if value and value > 0 else None
    return None


def _bodies(module) -> list[int]:
    """The offset of each function body (after its size)."""
    header = module.section("code")
    if header is None:
        return []
    r = Reader(module.data, pos=header.payload_offset, end=header.end)
    bodies = []
    for _ in range(r.read_u32("function count")):
        size = r.read_u32("body size")
        bodies.append(r.pos)
        r.skip(size)
    return bodies


def _frame_size(data, body: int, stack_global: int) -> int:
    """N when the body starts (after its locals) with `global.get $sp; i32.const N; i32.sub`, else 0."""
    r = Reader(data, pos=body)
    for _ in range(r.read_u32("local groups")):
        r.read_u32("local count")
        r.read_u8("local type")
    if r.read_u8("opcode") != _GLOBAL_GET or r.read_u32("global index") != stack_global:
        return 0
    if r.read_u8("opcode") != _I32_CONST:
        return 0
    size = r.read_s32("frame size")
    return size if r.read_u8("opcode") == _I32_SUB and size > 0 else 0

