"""The compiler driver's toolchain resolution (clang, sysroots, wasip2ld's linker entry, libc++), cached on
disk so that ``wasip2-clang -c x.c`` costs little more than Python's own startup.

An entry is keyed on everything that feeds discovery: wasip2ld's version, the Python running it, the
``WASIP2LD_*``/``WASI_SDK_PATH``/``PATH``/XDG environment, flag overrides, and the project config file that
applies to the working directory (path, mtime, size). It also records *stamps*, the mtimes of every file and
directory discovery looked at (resolved tools, candidate root parents, PATH directories, descriptor
directories, the user config file); a changed stamp sends the driver back through ``resolve`` (the slow
path, which imports the discovery machinery).

Fast-path module: imports only ``os`` and ``sys``; plain slotted classes instead of dataclasses.
"""

from __future__ import annotations

import os
import sys

FORMAT = "wasip2ld-cc-cache 5"
CONFIG_NAME = "wasip2ld.toml"
# Environment variables that never change what discovery finds.
_UNKEYED_ENV = frozenset({"WASIP2LD_CC_ACTIVE", "WASIP2LD_VERBOSE", "WASIP2LD_BACKTRACE"})
_KEYED_ENV = ("WASI_SDK_PATH", "PATH", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME")
_FIELDS = (
    "clang",
    "clangxx",
    "sysroot_wasip2",
    "sysroot_wasip1",
    "ld",
    "cxx_include",
    "cxx_libdir",
    "family",
    "targets",
    "wasm_ld",
    "wasm_tools",
    "adapter_command",
    "adapter_reactor",
    "adapter_proxy",
    "build_defaults",
)


class ResolvedCc:
    """The parts the compiler driver uses. ``clang``/``clangxx`` are argv prefixes; the rest are paths or
    None. ``targets`` lists the triples the C family supports (empty: all). ``wasm_ld``, ``wasm_tools`` and
    the ``adapter_*`` files serve the in-process links (``fastlink``, ``fastld``); ``build_defaults`` is "1" when a
    ``[build]`` table or ``WASIP2LD_DELEGATE`` changes what a link does (then the full linker runs)."""

    __slots__ = _FIELDS

    def __init__(self, **values: object) -> None:
        for name in _FIELDS:
            setattr(self, name, values.get(name))

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in _FIELDS}


def cache_dir() -> str:
    explicit = os.environ.get("WASIP2LD_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "wasip2ld")


def resolve(overrides: dict[str, object] | None = None) -> ResolvedCc:
    """The cached resolution, or a fresh one (which is then cached)."""
    key = cache_key(overrides)
    path = entry_path(key)
    hit = _load(path, key)
    if hit is not None:
        return hit
    from .resolve import resolve_cc_toolchain

    resolved, stamps = resolve_cc_toolchain(overrides)
    _store(path, key, resolved, stamps)
    return resolved


def cached(overrides: dict[str, object] | None = None) -> ResolvedCc | None:
    """The cached resolution when a valid one exists, else None (nothing is resolved or written): for
    `wasip2ld check`, which would otherwise discover the toolchain for one part."""
    key = cache_key(overrides)
    return _load(entry_path(key), key)


def entry_path(key: str) -> str:
    return os.path.join(cache_dir(), f"cc-{fnv1a(key.encode('utf-8', 'surrogateescape')):08x}")


def cache_key(overrides: dict[str, object] | None) -> str:
    from .. import __version__

    env = os.environ
    parts = [FORMAT, __version__, sys.executable, repr(sorted((overrides or {}).items()))]
    for name in sorted(env):
        if (name.startswith("WASIP2LD_") and name not in _UNKEYED_ENV) or name in _KEYED_ENV:
            parts.append(f"{name}={env[name]}")
    parts.append(repr(project_config_stamp()))
    return "\x1f".join(parts)


def project_config_stamp() -> tuple[str, int, int] | None:
    """The nearest ``wasip2ld.toml`` above the working directory, as (path, mtime_ns, size)."""
    try:
        directory = os.getcwd()
    except OSError:
        return None
    while True:
        candidate = os.path.join(directory, CONFIG_NAME)
        try:
            st = os.stat(candidate)
            return candidate, st.st_mtime_ns, st.st_size
        except OSError:
            pass
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def stamp_of(path: str) -> int:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return -1


def fnv1a(data: bytes) -> int:
    """FNV-1a (32 bit), for cache file names. Not zlib.crc32: importing zlib costs a directory scan on every
    compile."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _load(path: str, key: str) -> ResolvedCc | None:
    try:
        with open(path, encoding="utf-8", errors="surrogateescape") as f:
            lines = f.read().split("\n")
    except OSError:
        return None
    if len(lines) < 2 or lines[0] != FORMAT or lines[1] != key:
        return None
    values: dict[str, object] = {}
    for line in lines[2:]:
        fields = line.split("\t")
        if fields[0] == "s" and len(fields) == 3:
            if stamp_of(fields[2]) != int(fields[1]):
                return None
        elif fields[0] == "v" and len(fields) >= 2 and fields[1] in _FIELDS:
            items = fields[2:]
            values[fields[1]] = (
                tuple(items)
                if fields[1] in ("clang", "clangxx", "targets")
                else (items[0] if items else None)
            )
    if "clang" not in values:
        return None
    return ResolvedCc(**values)


def _store(path: str, key: str, resolved: ResolvedCc, stamps: list[str]) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    lines = [FORMAT, key]
    if any("\t" in stamp_path for stamp_path in stamps):
        return
    for stamp_path in sorted(set(stamps)):
        lines.append(f"s\t{stamp_of(stamp_path)}\t{stamp_path}")
    for name, value in resolved.as_dict().items():
        if value is not None:
            items = list(value) if isinstance(value, (tuple, list)) else [str(value)]
            if any("\t" in item or "\n" in item for item in items):
                return  # not representable; such a toolchain just is not cached
            lines.append("\t".join(["v", name, *items]))
    if any("\n" in line for line in lines):
        return
    try:
        data = ("\n".join(lines) + "\n").encode("utf-8", "surrogateescape")
    except UnicodeError:
        return
    write_entry(path, data)


def write_entry(path: str, data: bytes) -> None:
    """A cache entry written under a temporary name and renamed into place (concurrent writers, ``make -j``,
    never leave a half-written entry). Best effort: a cache that cannot be written only costs speed."""
    tmp = f"{path}.{os.getpid()}-{os.urandom(4).hex()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
