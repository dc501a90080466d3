"""Components made from core modules by `wasip2ld run`, kept in the user cache dir, so that running a module
build target again (ctest, a binfmt `./prog`) costs what running a component costs.

An entry is keyed on everything `component new` reads: the module's bytes (SHA-256), the WASI p1 adapter's
bytes, the wasm-tools binary (path, size, mtime) and wasip2ld's version. The tools are the ones the compiler
driver's cached resolution names (``driver.fastcache``: validated by the same stamps and environment), so a
hit starts no discovery. Entries are written atomically (concurrent runs of the same module write the same
bytes); each holds the SHA-256 of its component, and one that does not match is ignored and replaced. The
oldest entries beyond ``KEEP`` are removed.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

FORMAT = b"wasip2ld-componentized 1\n"
KEEP = 64


class ComponentTools:
    """The `component new` inputs besides the module: the adapter (None: not found) and wasm-tools."""

    __slots__ = ("adapter", "wasm_tools")

    def __init__(self, adapter: Path | None, wasm_tools: Path) -> None:
        self.adapter, self.wasm_tools = adapter, wasm_tools


def cached_tools() -> ComponentTools | None:
    """The tools from the driver's cached resolution; None when it has none (no C toolchain: no cache)."""
    from ..driver.fastcache import resolve
    from ..errors import Wasip2ldError

    try:
        resolved = resolve()
    except Wasip2ldError:
        return None
    if not resolved.wasm_tools:
        return None
    adapter = Path(resolved.adapter_command) if resolved.adapter_command else None
    return ComponentTools(adapter, Path(resolved.wasm_tools))


def entry_key(module: bytes, tools: ComponentTools) -> str | None:
    """None when a tool cannot be read (then nothing is cached)."""
    from .. import __version__

    digest = hashlib.sha256(FORMAT)
    digest.update(f"{__version__}\0{tools.wasm_tools}\0".encode("utf-8", "surrogateescape"))
    try:
        st = os.stat(tools.wasm_tools)
        digest.update(f"{st.st_size}\0{st.st_mtime_ns}\0".encode())
        digest.update(tools.adapter.read_bytes() if tools.adapter is not None else b"no adapter")
    except OSError:
        return None
    digest.update(b"\0module\0" + module)
    return digest.hexdigest()


def entry_path(key: str) -> Path:
    from ..driver.fastcache import cache_dir

    return Path(cache_dir()) / "components" / f"{key}.wasm"


def load(key: str) -> bytes | None:
    """The cached component, or None (missing, unreadable or corrupt)."""
    path = entry_path(key)
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = len(FORMAT) + 32
    if data[: len(FORMAT)] != FORMAT or hashlib.sha256(data[head:]).digest() != data[len(FORMAT):head]:
        return None
    try:
        os.utime(path)  # recently used: kept when older entries are removed
    except OSError:
        pass
    return data[head:]


def store(key: str, component: bytes) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    from ..atomic import write_bytes_atomic

    path = entry_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, FORMAT + hashlib.sha256(component).digest() + component)
        _prune(path.parent)
    except OSError:
        pass


def _prune(directory: Path) -> None:
    entries = []
    for entry in directory.glob("*.wasm"):
        try:
            entries.append((entry.stat().st_mtime_ns, entry))
        except OSError:
            continue
    for _, entry in sorted(entries, reverse=True)[KEEP:]:
        try:
            entry.unlink()
        except OSError:
            pass
