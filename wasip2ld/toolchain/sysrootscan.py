"""What a wasi-libc sysroot imports: the WASI p1 functions its ``wasm32-wasip2`` objects still call.

A p1-free sysroot (Debian's wasi-libc from 2026 on, upstream wasi-libc PR #613) lets a C program become a
component without the WASI p1 adapter and a module build target at all. The answer comes from the objects
themselves (the import sections of every member of ``libc.a`` and of the ``crt1`` files), not from a version
number.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Wasip2ldError
from ..wasm import read_module

P1_MODULE = "wasi_snapshot_preview1"
P2_TRIPLE = "wasm32-wasip2"
_AR_MAGIC = b"!<arch>\n"
_AR_HEADER = 60


@dataclass(frozen=True)
class SysrootFacts:
    """``p1_imports``: the distinct ``wasi_snapshot_preview1`` functions the p2 libc objects import."""

    path: Path
    p1_imports: tuple[str, ...]

    @property
    def p1_free(self) -> bool:
        return not self.p1_imports


def scan_sysroot(usr: Path) -> SysrootFacts:
    """The WASI p1 imports of ``usr``'s wasm32-wasip2 libc (``usr`` holds ``lib/wasm32-wasip2/libc.a``)."""
    return replace(scan_libdir(usr / "lib" / P2_TRIPLE), path=usr)


def scan_libdir(lib: Path) -> SysrootFacts:
    """The WASI p1 imports of the ``libc.a`` and ``crt1*.o`` in ``lib``."""
    names: set[str] = set()
    for obj in sorted(lib.glob("crt1*.o")):
        names |= _p1_imports(obj.read_bytes(), str(obj))
    for member, data in archive_members((lib / "libc.a").read_bytes(), str(lib / "libc.a")):
        names |= _p1_imports(data, member)
    return SysrootFacts(lib, tuple(sorted(names)))


def archive_members(data: bytes, path: str) -> list[tuple[str, bytes]]:
    """The wasm members of a System V/GNU ``ar`` archive (the symbol table and the long-name table skipped)."""
    if not data.startswith(_AR_MAGIC):
        raise Wasip2ldError(f"{path}: not an ar archive")
    members = []
    pos = len(_AR_MAGIC)
    while pos + _AR_HEADER <= len(data):
        header = data[pos : pos + _AR_HEADER]
        name = header[:16].decode("ascii", "replace").strip()
        try:
            size = int(header[48:58].decode("ascii").strip())
        except ValueError:
            raise Wasip2ldError(f"{path}: malformed ar member header at offset {pos}") from None
        body = data[pos + _AR_HEADER : pos + _AR_HEADER + size]
        if body.startswith(b"\0asm"):
            members.append((f"{path}({name.rstrip('/')})", body))
        pos += _AR_HEADER + size + (size & 1)
    return members


def _p1_imports(data: bytes, where: str) -> set[str]:
    if not data.startswith(b"\0asm"):
        return set()
    return {imp.name for imp in read_module(data, where).imports if imp.module == P1_MODULE}
