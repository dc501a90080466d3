"""What wasm-tools says a module contains, in the same shape as what our reader says: the oracle for the
differential tests. `wasm-tools print` text is parsed as s-expressions; `wasm-tools objdump` gives section
ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

from wasip2ld.proc import run_checked
from wasip2ld.wasm import CoreModule, Import

_TOKEN = re.compile(r'\(;.*?;\)|"(?:[^"\\]|\\.)*"|[()]|[^\s()"]+', re.S)
_ESCAPE = re.compile(r'\\(u\{([0-9a-fA-F]+)\}|[0-9a-fA-F]{2}|[tnr"\'\\])')
_OBJDUMP_LINE = re.compile(r"^\s*(.+?)\s*\|\s*0x([0-9a-f]+) -\s+0x([0-9a-f]+) \|[^|]*\|\s*(\d+) count", re.M)


class Str(str):
    """A string literal from WAT text, kept apart from atoms such as `func`."""


@dataclass(frozen=True)
class Contents:
    types: tuple[str, ...]  # each definition's WAT text, concrete indices as plain numbers
    imports: tuple[tuple, ...]  # (module, name, kind, detail)
    exports: tuple[tuple, ...]  # (name, kind, index)


def wat_string(literal: str) -> Str:
    """Decode a WAT string literal (without its quotes)."""
    out = bytearray()
    pos = 0
    for m in _ESCAPE.finditer(literal):
        out += literal[pos : m.start()].encode()
        esc = m.group(1)
        if m.group(2):
            out += chr(int(m.group(2), 16)).encode("utf-8")
        elif len(esc) == 2:
            out.append(int(esc, 16))
        else:
            out += {"t": b"\t", "n": b"\n", "r": b"\r"}.get(esc, esc.encode())
        pos = m.end()
    out += literal[pos:].encode()
    return Str(out.decode("utf-8"))


def sexpr(text: str) -> list:
    """WAT text as nested lists of atoms (str) and literals (Str); `(;…;)` comments dropped."""
    stack: list[list] = [[]]
    for tok in _TOKEN.findall(text):
        if tok.startswith("(;"):
            continue
        if tok == "(":
            stack.append([])
        elif tok == ")":
            done = stack.pop()
            stack[-1].append(done)
        elif tok.startswith('"'):
            stack[-1].append(wat_string(tok[1:-1]))
        else:
            stack[-1].append(tok)
    assert len(stack) == 1, "unbalanced parentheses in wasm-tools output"
    return stack[0]


def render(node) -> str:
    return "(" + " ".join(render(n) for n in node) + ")" if isinstance(node, list) else str(node)


def unname(text: str) -> str:
    """The reader writes concrete type indices as `$3`; wasm-tools prints `3` when a module has no names."""
    return re.sub(r"\$(\d+)", r"\1", text)


# --- the oracle ---------------------------------------------------------------------------------------------


def printed_contents(wasm_tools: str, wasm: bytes, *, strip: bool = True) -> Contents:
    """Types, imports and exports as `wasm-tools print` shows them (names stripped first, unless the caller
    knows there are no custom sections)."""
    stripped = wasm
    if strip:
        stripped = run_checked(
            [wasm_tools, "strip", "-a"], tool="wasm-tools", capture=True, input=wasm
        ).stdout
    text = run_checked(
        [wasm_tools, "print", "--skeleton"], tool="wasm-tools", capture=True, input=stripped
    ).stdout
    (module,) = sexpr(text.decode("utf-8"))
    assert module[0] == "module"
    types: list[str] = []
    imports: list[tuple] = []
    exports: list[tuple] = []
    for field in module[1:]:
        if not isinstance(field, list):
            continue
        head = field[0]
        if head == "rec":
            types += [_type_text(t) for t in field[1:]]
        elif head == "type":
            types.append(_type_text(field))
        elif head == "import":
            imports += _imports(field)
        elif head == "export":
            name, (kind, index) = field[1], field[2]
            exports.append((str(name), kind, int(index)))
    return Contents(tuple(types), tuple(imports), tuple(exports))


def _type_text(field: list) -> str:
    assert field[0] == "type"
    return " ".join(render(n) for n in field[1:])


def _imports(field: list) -> list[tuple]:
    module = str(field[1])
    if isinstance(field[2], Str):  # (import "m" "n" (kind …))
        return [(module, str(field[2]), *_import_detail(field[3]))]
    items = [f for f in field[2:] if f[0] == "item"]
    shared = [f for f in field[2:] if f[0] != "item"]
    if shared:  # (import "m" (item "a") (item "b") (kind …))
        return [(module, str(item[1]), *_import_detail(shared[0])) for item in items]
    return [(module, str(item[1]), *_import_detail(item[2])) for item in items]


def _import_detail(desc: list) -> tuple:
    kind = desc[0]
    if kind in ("func", "tag"):
        exact = isinstance(desc[1], list) and desc[1][0] == "exact"
        parts = desc[1][1:] if exact else desc[1:]
        type_index = next(int(p[1]) for p in parts if p[0] == "type")
        return kind, ("type", type_index, exact)
    return kind, unname(render(desc))


def objdump_sections(wasm_tools: str, wasm: bytes) -> list[tuple[str, int, int, int]]:
    """(section label, payload start, end, item count) for every section, from `wasm-tools objdump`."""
    text = run_checked([wasm_tools, "objdump"], tool="wasm-tools", capture=True, input=wasm).stdout.decode()
    return [
        (m.group(1), int(m.group(2), 16), int(m.group(3), 16), int(m.group(4)))
        for m in _OBJDUMP_LINE.finditer(text)
    ]


# --- the reader, in the same shape --------------------------------------------------------------------------


def reader_contents(m: CoreModule) -> Contents:
    types = tuple(unname(str(t)) for t in m.types)
    imports = tuple(_reader_import(i) for i in m.imports)
    exports = tuple((e.name, e.kind, e.index) for e in m.exports)
    return Contents(types, imports, exports)


def _reader_import(i: Import) -> tuple:
    if i.kind in ("func", "tag"):
        return (i.module, i.name, i.kind, ("type", i.type_index, i.exact))
    return (i.module, i.name, i.kind, unname(str(i.entity)))


# objdump label -> how many items the reader found in that section
READER_COUNTS = {
    "functions": lambda m: len(m.functions),
    "tables": lambda m: len(m.tables) - sum(i.kind == "table" for i in m.imports),
    "memories": lambda m: len(m.memories) - sum(i.kind == "memory" for i in m.imports),
    "globals": lambda m: len(m.globals) - sum(i.kind == "global" for i in m.imports),
    "tags": lambda m: len(m.tags) - sum(i.kind == "tag" for i in m.imports),
    "exports": lambda m: len(m.exports),
    "data count": lambda m: 1 if m.data_count is not None else 0,
    "start": lambda m: 1 if m.start is not None else 0,
}


def reader_ranges(m: CoreModule) -> list[tuple[int, int]]:
    customs = iter(m.custom_sections())
    ranges = []
    for s in m.sections:
        start = next(customs).data_offset if s.id == 0 else s.payload_offset
        ranges.append((start, s.end))
    return ranges
