"""C-level context for the validator's diagnostics on a module clang built: the C declaration the world
expects for the item (the prototype `wasip2ld sig --format c` prints, under the C name the module already
uses) and, when the module carries DWARF line information (`-g`), the source position of the function
involved: an export's definition, an import's first call. Positions come from `wasm-tools print
--print-offsets` (where each function and call is) and `wasm-tools addr2line` (which line that is); both run
only when there is something to report."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..abi.expected import ExpectedExport, ExpectedImport
from ..abi.formats.as_c import c_declaration
from ..wasm import CoreModule
from ..wasm.metadata import function_names, languages
from .catalog import catalog_for
from .diagnostic import CheckResult, Diagnostic

_LINE = re.compile(r"^\(;@([0-9a-f]+)\s*;\)\s*(.*)$")
_INDEX = re.compile(r"\(;(\d+);\)")
_CALL = re.compile(r"^(?:return_)?call (\S+)")
_C_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_POSITIONED = ("error", "warning")


class CSource:
    """Declarations and source positions for the diagnostics of one C/C++ module."""

    def __init__(self, module: CoreModule, path: str | None, result: CheckResult, wasm_tools: Path | None) -> None:
        self.module = module
        self.path = path
        self.catalog = catalog_for(result.world)
        self.names = function_names(module)
        self._positions = self._locate(result.diagnostics, wasm_tools)

    def declaration(self, d: Diagnostic) -> str | None:
        """``__attribute__((…)) int64_t add(int32_t a, int64_t b);`` for a mismatched or missing function."""
        item = self._expected(d)
        if item is None:
            return None
        index = self._function_index(d)
        name = self.names.get(index) if index is not None else None
        return c_declaration(item, name if name and _C_IDENT.fullmatch(name) else None)

    def position(self, d: Diagnostic) -> str | None:
        """``lib.c:3:5`` (relative to the working directory when below it), when DWARF knows it."""
        return self._positions.get(d)

    def _expected(self, d: Diagnostic) -> ExpectedImport | ExpectedExport | None:
        if d.code == "missing-realloc":
            return next((e for e in self.catalog.legacy.exports if e.role == "realloc"), None)
        if d.core_item is None or d.code not in ("signature-mismatch", "missing-export"):
            return None
        module, sep, name = d.core_item.partition("::")
        for scheme in ("legacy", "standard32"):
            found = (
                self.catalog.expected_import(scheme, module, name) if sep  # type: ignore[arg-type]
                else self.catalog.expected_export(scheme, d.core_item)  # type: ignore[arg-type]
            )
            if found is not None:
                return found
        return None

    def _function_index(self, d: Diagnostic) -> int | None:
        if d.core_item is None or d.code == "missing-export":
            return None
        module, sep, name = d.core_item.partition("::")
        if sep:
            funcs = [i for i in self.module.imports if i.kind == "func"]
            return next((k for k, i in enumerate(funcs) if (i.module, i.name) == (module, name)), None)
        return next((e.index for e in self.module.exports if e.name == d.core_item and e.kind == "func"), None)

    def _locate(self, diagnostics: tuple[Diagnostic, ...], wasm_tools: Path | None) -> dict[Diagnostic, str]:
        if wasm_tools is None or not any(s.name == ".debug_line" for s in self.module.custom_sections(".debug_line")):
            return {}
        wanted = {d: index for d in diagnostics if d.severity in _POSITIONED
                  for index in [self._function_index(d)] if index is not None}  # fmt: skip
        if not wanted or self.path is None:
            return {}
        addresses = _code_addresses(self.path, set(wanted.values()), self.module.imported_func_count, wasm_tools)
        lines = _addr2line(self.path, sorted(set(addresses.values())), wasm_tools)
        return {key: lines[addresses[index]] for key, index in wanted.items()
                if index in addresses and addresses[index] in lines}  # fmt: skip


def c_source(path: str | os.PathLike | None, module: CoreModule, result: CheckResult,
             toolchain: object | None) -> CSource | None:  # fmt: skip
    """A CSource when clang built the module (its `producers` section names C or C++), else None."""
    if not any(lang.startswith("C") for lang in languages(module)):
        return None
    wasm_tools = None
    if toolchain is not None:
        part = toolchain.get("wasm-tools")  # type: ignore[attr-defined]
        wasm_tools = part.path if part is not None else None
    return CSource(module, os.fspath(path) if path is not None else None, result, wasm_tools)


def _code_addresses(path: str, indices: set[int], imported: int, wasm_tools: Path) -> dict[int, int]:
    """Function index -> a code address: a defined function's first instruction, an import's first call."""
    from ..proc import Runner

    result = Runner().run([wasm_tools, "print", "--print-offsets", Path(path)], tool="wasm-tools", capture=True,
                          check=False)  # fmt: skip
    if result.returncode != 0:
        return {}
    tokens: dict[str, int] = {}
    found: dict[int, int] = {}
    current: int | None = None
    for raw in result.stdout.decode("utf-8", "replace").splitlines():
        match = _LINE.match(raw)
        if match is None:
            continue
        offset, text = int(match.group(1), 16), match.group(2)
        if text.startswith(("(func ", "(import ")) and "(func " in text:
            index = _INDEX.search(text)
            if index is None:
                continue
            number = int(index.group(1))
            tokens[str(number)] = number
            name = text.split("(func ", 1)[1].split(" ", 1)[0]
            if name.startswith("$"):
                tokens[name] = number
            current = number if text.startswith("(func ") else None
            continue
        if current is not None and current in indices and current not in found and not text.startswith("("):
            found[current] = offset
        call = _CALL.match(text)
        if call is not None:
            callee = tokens.get(call.group(1))
            if callee is not None and callee < imported and callee in indices and callee not in found:
                found[callee] = offset
    return found


def _addr2line(path: str, addresses: list[int], wasm_tools: Path) -> dict[int, str]:
    if not addresses:
        return {}
    from ..proc import Runner

    result = Runner().run([wasm_tools, "addr2line", Path(path), *(hex(a) for a in addresses)], tool="wasm-tools",
                          capture=True, check=False)  # fmt: skip
    positions: dict[int, str] = {}
    for line in result.stdout.decode("utf-8", "replace").splitlines():
        head, sep, rest = line.partition(": ")
        if not sep or not head.startswith("0x") or int(head, 16) in positions:
            continue
        where = rest.rsplit(" ", 1)[-1]  # `add /src/lib.c:3:73`: the function, then file:line:column
        file, _, line_col = where.partition(":")
        if file and line_col and not line_col.startswith("0"):
            positions[int(head, 16)] = f"{_display(file)}:{line_col.removesuffix(':0')}"
    return positions


def _display(file: str) -> str:
    try:
        relative = os.path.relpath(file)
    except ValueError:
        return file
    return relative if not relative.startswith("..") else file
