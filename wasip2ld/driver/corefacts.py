"""The facts the link pipeline needs about a module wasm-ld just wrote (``pipeline.CoreFacts``: its WASI p1
imports, whether it exports ``_start``, whether it carries a ``component-type`` section, the proposals its
``target_features`` section marks as used), read in one pass.

``wasip2ld.wasm`` reads every entity with typed dataclasses; importing it costs more than a small link
itself. This reader understands only the plain encodings wasm-ld emits and answers None for anything else,
and the caller then asks ``wasip2ld.wasm``. Fast-path module: no imports.
"""

from __future__ import annotations

P1_MODULE = "wasi_snapshot_preview1"
_HEADER = b"\0asm\x01\x00\x00\x00"
_CUSTOM, _IMPORT, _EXPORT, _TAG_SECTION = 0, 2, 7, 13
_MISSING_MAIN = (b"undefined_weak:main", b"undefined_weak:__main_argc_argv")  # execmodel's stubs
_FUNC, _TABLE, _MEMORY, _GLOBAL, _TAG = range(5)
_SIMPLE_VALTYPES = frozenset({0x7F, 0x7E, 0x7D, 0x7C, 0x7B, 0x70, 0x6F})  # i32 … v128, funcref, externref


class Facts:
    """Also ``world_sections``, the number of ``component-type`` sections, and ``lacks_main``: wasm-ld
    replaced a missing ``main`` by a trapping ``undefined_weak:`` stub (see ``execmodel``)."""

    __slots__ = ("p1_imports", "exports_start", "carries_world", "features", "world_sections", "lacks_main")

    def __init__(
        self, p1_imports: tuple[str, ...], exports_start: bool, carries_world: bool, features: tuple[str, ...],
        world_sections: int = 0, lacks_main: bool = False,
    ) -> None:
        self.p1_imports, self.exports_start = p1_imports, exports_start
        self.carries_world, self.features = carries_world, features
        self.world_sections, self.lacks_main = world_sections, lacks_main

    def as_tuple(self) -> tuple[tuple[str, ...], bool, bool, tuple[str, ...]]:
        return self.p1_imports, self.exports_start, self.carries_world, self.features


class Unusual(Exception):
    """An encoding this reader leaves to ``wasip2ld.wasm``."""


def read_facts(path: str) -> Facts | None:
    """The facts, or None when the module uses an encoding this reader does not handle."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return _facts(data)
    except (Unusual, IndexError, UnicodeDecodeError):
        return None


def _facts(data: bytes) -> Facts:
    if data[:8] != _HEADER:
        raise Unusual
    p1: set[str] = set()
    features: list[str] = []
    exports_start = tags = lacks_main = False
    world_sections = 0
    pos = 8
    while pos < len(data):
        section = data[pos]
        size, pos = uleb(data, pos + 1)
        end = pos + size
        if end > len(data):
            raise Unusual
        if section == _CUSTOM:
            name, payload = _name(data, pos)
            world_sections += name.startswith("component-type")
            if name == "target_features":
                features += _used_features(data[payload:end])
            elif name == "name":
                lacks_main = any(stub in data[payload:end] for stub in _MISSING_MAIN)
        elif section == _IMPORT:
            imported, tag_imports = _p1_imports(data, pos)
            p1.update(imported)
            tags = tags or tag_imports
        elif section == _EXPORT:
            exports_start = _exports_start(data, pos)
        elif section == _TAG_SECTION:
            tags = True
        pos = end
    # wasip2-clang compiles all C with setjmp/longjmp lowering, which marks `exception-handling` even in code
    # that never calls setjmp; code that uses exceptions has tags.
    used = tuple(f for f in features if f != "exception-handling" or tags)
    return Facts(tuple(sorted(p1)), exports_start, world_sections > 0, used, world_sections, lacks_main)


def _used_features(data: bytes) -> list[str]:
    used = []
    count, pos = uleb(data, 0)
    for _ in range(count):
        prefix = data[pos]
        name, pos = _name(data, pos + 1)
        if prefix == ord("+"):
            used.append(name)
    if pos != len(data):
        raise Unusual
    return used


def _p1_imports(data: bytes, pos: int) -> tuple[list[str], bool]:
    """The WASI p1 functions imported, and whether a tag is imported."""
    names = []
    tags = False
    count, pos = uleb(data, pos)
    for _ in range(count):
        module, pos = _name(data, pos)
        name, pos = _name(data, pos)
        if not name and data[pos] in (0x7E, 0x7F):  # compact import encodings
            raise Unusual
        tags = tags or data[pos] == _TAG
        pos = _skip_extern_type(data, pos)
        if module == P1_MODULE:
            names.append(name)
    return names, tags


def _skip_extern_type(data: bytes, pos: int) -> int:
    kind = data[pos]
    pos += 1
    if kind in (_FUNC, _TAG):
        if kind == _TAG:
            pos += 1  # attribute
        return uleb(data, pos)[1]
    if kind == _TABLE:
        if data[pos] not in _SIMPLE_VALTYPES:
            raise Unusual
        return _skip_limits(data, pos + 1)
    if kind == _MEMORY:
        return _skip_limits(data, pos)
    if kind == _GLOBAL:
        if data[pos] not in _SIMPLE_VALTYPES:
            raise Unusual
        return pos + 2  # value type, mutability
    raise Unusual


def _skip_limits(data: bytes, pos: int) -> int:
    flags = data[pos]
    if flags & ~0x0F:
        raise Unusual
    pos = uleb(data, pos + 1)[1]
    if flags & 1:
        pos = uleb(data, pos)[1]
    if flags & 8:
        pos = uleb(data, pos)[1]
    return pos


def _exports_start(data: bytes, pos: int) -> bool:
    count, pos = uleb(data, pos)
    found = False
    for _ in range(count):
        name, pos = _name(data, pos)
        found = found or (name == "_start" and data[pos] == _FUNC)
        pos = uleb(data, pos + 1)[1]
    return found


def _name(data: bytes, pos: int) -> tuple[str, int]:
    size, pos = uleb(data, pos)
    if pos + size > len(data):
        raise Unusual
    return data[pos : pos + size].decode("utf-8"), pos + size


def uleb(data: bytes, pos: int) -> tuple[int, int]:
    """An unsigned LEB128 at ``pos``: (value, position after it); Unusual or IndexError when malformed."""
    result = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise Unusual
