"""Appending to a core module: new types, globals, functions and exports, without touching anything else.

Everything is added at the end of its index space, so no existing index moves: the code, element and name
sections stay byte for byte as they were and only the counts and sizes of the edited sections change.
Section bodies are copied as slices, so a multi-megabyte Go module costs one copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import FuncType, read_module
from .encode import name as name_bytes
from .encode import sleb, uleb
from .framing import CODE, EXPORT, FUNCTION, GLOBAL, HEADER_SIZE, SECTION_ORDER, TYPE
from .reader import Reader

VALTYPE_BYTES = {"i32": 0x7F, "i64": 0x7E, "f32": 0x7D, "f64": 0x7C}
_EXPORT_KINDS = {"func": 0x00, "table": 0x01, "memory": 0x02, "global": 0x03, "tag": 0x04}




@dataclass
class ModuleEditor:
    """Collects additions to ``data`` (a core module) and writes the edited module with ``to_bytes``."""

    data: bytes
    _types: list[bytes] = field(default_factory=list)
    _functions: list[int] = field(default_factory=list)
    _bodies: list[bytes] = field(default_factory=list)
    _globals: list[bytes] = field(default_factory=list)
    _exports: list[bytes] = field(default_factory=list)
    _replaced_bodies: dict[int, bytes] = field(default_factory=dict)
    _export_targets: dict[str, int] = field(default_factory=dict)
    _export_names: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        module = read_module(self.data)
        self.module = module
        self._type_count = len(module.types)
        self._func_count = module.func_count
        self._global_count = len(module.globals)
        self.export_names = {e.name for e in module.exports}

    def export_index(self, name: str, kind: str = "func") -> int | None:
        return next((e.index for e in self.module.exports if e.name == name and e.kind == kind), None)

    def add_global_i32(self, initial: int, *, mutable: bool = True) -> int:
        self._globals.append(
            bytes([VALTYPE_BYTES["i32"], 1 if mutable else 0, 0x41]) + sleb(initial) + b"\x0b"
        )
        return self._global_count + len(self._globals) - 1

    def add_global_i64(self, initial: int, *, mutable: bool = True) -> int:
        self._globals.append(
            bytes([VALTYPE_BYTES["i64"], 1 if mutable else 0, 0x42]) + sleb(initial) + b"\x0b"
        )
        return self._global_count + len(self._globals) - 1

    def add_function(self, signature: FuncType, locals_: tuple[str, ...], code: bytes) -> int:
        """A function whose body is ``code`` (instructions, without the final ``end``)."""
        encoded = b"\x60" + uleb(len(signature.params)) + bytes(VALTYPE_BYTES[t] for t in signature.params)
        encoded += uleb(len(signature.results)) + bytes(VALTYPE_BYTES[t] for t in signature.results)
        self._types.append(encoded)
        self._functions.append(self._type_count + len(self._types) - 1)
        local_decls = b"".join(uleb(1) + bytes([VALTYPE_BYTES[t]]) for t in locals_)
        body = uleb(len(locals_)) + local_decls + code + b"\x0b"
        self._bodies.append(uleb(len(body)) + body)
        return self._func_count + len(self._functions) - 1

    def add_export(self, name: str, kind: str, index: int) -> None:
        self._exports.append(name_bytes(name) + bytes([_EXPORT_KINDS[kind]]) + uleb(index))
        self.export_names.add(name)

    def repoint_export(self, name: str, index: int) -> None:
        """Make the existing function export ``name`` refer to function ``index`` instead."""
        self._export_targets[name] = index

    def rename_export(self, name: str, new_name: str) -> None:
        self._export_names[name] = new_name
        self.export_names.discard(name)
        self.export_names.add(new_name)

    def bodies(self) -> list[tuple[int, int]]:
        """(start, end) in ``data`` of each defined function's body (locals and code, after its size)."""
        if not hasattr(self, "_body_spans"):
            header = self.module.section("code")
            spans: list[tuple[int, int]] = []
            entries: list[int] = []
            if header is not None:
                r = Reader(self.data, pos=header.payload_offset, end=header.end, region="code section")
                for _ in range(r.read_u32("function count")):
                    entries.append(r.pos)
                    size = r.read_u32("body size")
                    spans.append((r.pos, r.pos + size))
                    r.skip(size, "function body")
            self._body_spans = spans
            self._entry_starts = entries
        return self._body_spans

    def replace_body(self, defined_index: int, body: bytes) -> None:
        """Replace the body (locals and code, with its final ``end``) of defined function ``defined_index``."""
        self._replaced_bodies[defined_index] = body

    def to_bytes(self) -> bytes:
        additions = {TYPE: self._types, FUNCTION: [uleb(i) for i in self._functions], GLOBAL: self._globals,
                     EXPORT: self._exports, CODE: self._bodies}  # fmt: skip
        pending = {sid: items for sid, items in additions.items() if items}
        rebuilt = {sid: build for sid, build in ((EXPORT, self._export_payload), (CODE, self._code_payload))
                   if (sid == EXPORT and (self._export_targets or self._export_names))
                   or (sid == CODE and self._replaced_bodies)}  # fmt: skip
        if not pending and not rebuilt:
            return self.data
        out = [self.data[:HEADER_SIZE]]
        for header in self.module.sections:
            for sid in [s for s in pending if _comes_before(s, header.id)]:
                out.append(_section(sid, 0, b"", pending.pop(sid)))
            if header.id in rebuilt:
                count, rest = rebuilt[header.id]()
                out.append(_section(header.id, count, rest, pending.pop(header.id, [])))
            elif header.id in pending:
                r = Reader(self.data, pos=header.payload_offset, end=header.end)
                count = r.read_u32("count")
                out.append(_section(header.id, count, self.data[r.pos : header.end], pending.pop(header.id)))
            else:
                out.append(self.data[header.offset : header.end])
        for sid in sorted(pending, key=SECTION_ORDER.index):
            out.append(_section(sid, 0, b"", pending[sid]))
        return b"".join(out)

    def _export_payload(self) -> tuple[int, bytes]:
        entries = []
        for e in self.module.exports:
            index = self._export_targets.get(e.name, e.index) if e.kind == "func" else e.index
            name = self._export_names.get(e.name, e.name)
            entries.append(name_bytes(name) + bytes([_EXPORT_KINDS[e.kind]]) + uleb(index))
        return len(entries), b"".join(entries)

    def _code_payload(self) -> tuple[int, bytes]:
        spans = self.bodies()
        entries, last = [], self._entry_starts[0] if spans else 0
        for i in sorted(self._replaced_bodies):  # untouched runs of entries are copied in one slice each
            body = self._replaced_bodies[i]
            entries += [self.data[last : self._entry_starts[i]], uleb(len(body)), body]
            last = spans[i][1]
        entries.append(self.data[last : spans[-1][1]] if spans else b"")
        return len(spans), b"".join(entries)


def _comes_before(new_id: int, existing_id: int) -> bool:
    """A missing section goes before the first known section that follows it (custom sections: id 0)."""
    return (
        existing_id != 0
        and existing_id in SECTION_ORDER
        and SECTION_ORDER.index(new_id) < SECTION_ORDER.index(existing_id)
    )


def _section(section_id: int, count: int, rest: bytes, items: list[bytes]) -> bytes:
    payload = uleb(count + len(items)) + rest + b"".join(items)
    return bytes([section_id]) + uleb(len(payload)) + payload


def standard32_exports(editor: ModuleEditor) -> bool:
    """Linkers export ``memory`` and ``_initialize`` (wasi-libc's reactor entry, Go's runtime); under
    standard32 names they are ``cm32p2_memory`` and ``cm32p2_initialize`` (renamed, not aliased: two memory
    exports would be two memories to wit-component). True when something was renamed."""
    renamed = False
    for old, new, kind in (
        ("memory", "cm32p2_memory", "memory"),
        ("_initialize", "cm32p2_initialize", "func"),
    ):
        if editor.export_index(old, kind) is not None and new not in editor.export_names:
            editor.rename_export(old, new)
            renamed = True
    return renamed
