"""Finding `//go:wasmimport` and `//go:wasmexport` directives in Go sources, with the function each one
annotates, so a mismatch found in the built module can be reported at the Go file and line.

This is a scanner, not a Go parser: it reads the directive line and the signature of the ``func`` that
follows, which is all the compiler itself allows there (no methods, no type parameters, no bodies for
imports). Named types declared in the same package (``type Handle uint32``) are resolved to their
underlying type so the core types can be worked out the way cmd/compile does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..wasm import FuncType

DirectiveKind = Literal["wasmimport", "wasmexport"]
_DIRECTIVE = re.compile(r"^//go:(wasmimport|wasmexport)\b(.*)$", re.MULTILINE)
_FUNC = re.compile(r"func\s+([A-Za-z_]\w*)\s*\(")
_TYPE_LINE = re.compile(r"^type\s+([A-Za-z_]\w*)\s*=?\s*([\w.*\[\]]+)\s*(?://.*)?$", re.MULTILINE)
_TYPE_BLOCK = re.compile(r"^type\s*\((.*?)^\)", re.MULTILINE | re.DOTALL)
_BLOCK_ENTRY = re.compile(r"^\s+([A-Za-z_]\w*)\s*=?\s*([\w.*\[\]]+)\s*(?://.*)?$", re.MULTILINE)

# cmd/compile/internal/ssagen/abi.go, paramsToWasmFields/resultsToWasmFields: the Go types allowed in a
# wasmimport/wasmexport signature and the core values each becomes (pointers are 32-bit addresses).
GO_CORE_TYPES = {
    "int32": ("i32",), "uint32": ("i32",), "rune": ("i32",), "int64": ("i64",), "uint64": ("i64",),
    "float32": ("f32",), "float64": ("f64",), "bool": ("i32",), "uintptr": ("i32",),
    "unsafe.Pointer": ("i32",), "string": ("i32", "i32"),
}  # fmt: skip


@dataclass(frozen=True)
class GoParam:
    name: str | None
    type: str


@dataclass(frozen=True)
class WasmDirective:
    """One directive and the function under it. ``module`` is set for wasmimport only."""

    kind: DirectiveKind
    module: str | None
    name: str
    path: Path
    line: int
    func: str | None = None
    params: tuple[GoParam, ...] = ()
    results: tuple[str, ...] = ()
    types: tuple[tuple[str, str], ...] = ()  # the package's `type Name Underlying` declarations

    @property
    def directive_text(self) -> str:
        return (
            f"//go:{self.kind} {self.module} {self.name}" if self.module else f"//go:{self.kind} {self.name}"
        )

    @property
    def signature(self) -> str:
        """The Go signature as declared, e.g. ``func add(a int32, b int32) int32``."""
        params = ", ".join(f"{p.name} {p.type}" if p.name else p.type for p in self.params)
        results = (
            self.results[0]
            if len(self.results) == 1
            else f"({', '.join(self.results)})"
            if self.results
            else ""
        )
        return f"func {self.func}({params}) {results}".rstrip()

    def core_type(self) -> FuncType | None:
        """The core function type cmd/compile gives this signature, or None if a type is not one wasip2ld
        can resolve (the compiler checks those itself)."""
        if self.func is None:
            return None
        aliases = dict(self.types)
        params: list[str] = []
        for p in self.params:
            core = core_values(p.type, aliases)
            if core is None:
                return None
            params += core
        results: list[str] = []
        for r in self.results:
            core = core_values(r, aliases)
            if core is None or len(core) != 1:
                return None
            results += core
        return FuncType(tuple(params), tuple(results))


def core_values(go_type: str, aliases: dict[str, str] | None = None) -> tuple[str, ...] | None:
    """``int32`` -> ``("i32",)``; ``string`` -> two i32; ``*T`` -> an i32 address; None when unknown."""
    aliases = aliases or {}
    for _ in range(8):  # follow `type A B` chains, never forever
        if go_type in GO_CORE_TYPES:
            return GO_CORE_TYPES[go_type]
        if go_type.startswith("*"):
            return ("i32",)
        if go_type not in aliases:
            return None
        go_type = aliases[go_type]
    return None


def scan_files(paths: Iterable[Path]) -> tuple[WasmDirective, ...]:
    """Every directive in ``paths`` (one package's files: type declarations are shared between them)."""
    texts = []
    for path in paths:
        try:
            texts.append((path, path.read_text(encoding="utf-8", errors="replace")))
        except OSError:
            continue
    types = tuple(t for _, text in texts for t in _type_declarations(text))
    found: list[WasmDirective] = []
    for path, text in texts:
        if "//go:wasm" in text:
            found += scan_text(text, path, types)
    return tuple(found)


def scan_text(text: str, path: Path, types: tuple[tuple[str, str], ...] = ()) -> list[WasmDirective]:
    found = []
    for match in _DIRECTIVE.finditer(text):
        kind = match.group(1)
        fields = match.group(2).split()
        want = 2 if kind == "wasmimport" else 1
        if len(fields) != want:
            continue  # malformed: the Go compiler reports it
        line = text.count("\n", 0, match.start()) + 1
        module, name = (fields[0], fields[1]) if kind == "wasmimport" else (None, fields[0])
        func, params, results = _function_after(text, match.end())
        found.append(WasmDirective(kind, module, name, path, line, func, params, results, types))  # type: ignore[arg-type]
    return found


def _type_declarations(text: str) -> list[tuple[str, str]]:
    if "type" not in text:
        return []
    found = [(m.group(1), m.group(2)) for m in _TYPE_LINE.finditer(text)]
    for block in _TYPE_BLOCK.finditer(text):
        found += [(m.group(1), m.group(2)) for m in _BLOCK_ENTRY.finditer(block.group(1))]
    return found


def _function_after(text: str, pos: int) -> tuple[str | None, tuple[GoParam, ...], tuple[str, ...]]:
    """The function declared after the directive's comment group: name, parameters, results."""
    for line_start, line in _lines_from(text, pos):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        match = _FUNC.match(stripped)
        if not match:
            return None, (), ()
        open_paren = line_start + line.index(stripped) + match.end() - 1
        close = _matching(text, open_paren)
        if close is None:
            return match.group(1), (), ()
        params = _params(text[open_paren + 1 : close])
        return match.group(1), params, _results(text, close + 1)
    return None, (), ()


def _lines_from(text: str, pos: int) -> Iterator[tuple[int, str]]:
    start = text.find("\n", pos) + 1
    while 0 < start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        yield start, text[start:end]
        start = end + 1


def _matching(text: str, open_pos: int) -> int | None:
    depth = 0
    for i in range(open_pos, len(text)):
        ch = text[i]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                return i
    return None


def _split_top(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [" ".join(p.split()) for p in parts if p.strip()]


def _params(text: str) -> tuple[GoParam, ...]:
    """Go's rule: either every parameter is named (``a, b int32`` shares the type) or none is."""
    pieces = _split_top(_strip_comments(text))
    if not any(" " in p for p in pieces):
        return tuple(GoParam(None, p) for p in pieces)
    params: list[GoParam] = []
    pending: list[str] = []
    for piece in pieces:
        if " " not in piece:
            pending.append(piece)
            continue
        name, go_type = piece.split(" ", 1)
        params += [GoParam(n, go_type) for n in pending] + [GoParam(name, go_type)]
        pending = []
    return tuple(params)


def _results(text: str, pos: int) -> tuple[str, ...]:
    end = len(text)
    for stop in ("\n", "{", "//"):
        found = text.find(stop, pos)
        if found >= 0:
            end = min(end, found)
    rest = text[pos:end].strip()
    if rest.startswith("("):
        close = _matching(text, text.index("(", pos))
        if close is None:
            return ()
        return tuple(
            p.split(" ", 1)[-1] for p in _split_top(_strip_comments(text[text.index("(", pos) + 1 : close]))
        )
    return (rest,) if rest else ()


def _strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/|//[^\n]*", " ", text, flags=re.DOTALL)
