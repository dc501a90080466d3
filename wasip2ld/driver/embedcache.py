"""A cache of the ``component-type`` section ``wasm-tools component embed`` appends to a core module.

That section is the encoded WIT world: it depends on the WIT files, the world, the string encoding and the
wasm-tools build, never on the module (``embed`` appends it and changes nothing else; ``remember`` checks
exactly that before storing). So a link whose world has been embedded before appends the stored section
itself instead of running wasm-tools.

An entry is named after the WIT path, world, encoding and wasm-tools binary (path, mtime, size), and holds
the whole key: those, and the name and content of every file under the WIT path. A lookup
compares the stored key with the current one byte for byte, so a changed file (or a corrupt entry) is a
miss, never a wrong section. Entries are written atomically (``make -j`` links share them). Fast-path module:
imports only os.
"""

from __future__ import annotations

import os

from .corefacts import Unusual, uleb
from .fastcache import cache_dir, fnv1a, write_entry

FORMAT = b"wasip2ld-embed-cache 1\n"
_SECTION_NAME = b"component-type"


def key(wasm_tools: str, wit: str, world: str | None, encoding: str | None) -> bytes | None:
    """Everything the section depends on; None when the WIT cannot be read (the embed then runs uncached
    and reports the problem)."""
    from .. import __version__

    try:
        tool = os.stat(wasm_tools)
        parts = [__version__, wasm_tools, str(tool.st_mtime_ns), str(tool.st_size), os.path.abspath(wit)]
        parts += [world or "", encoding or ""]
        return b"".join(_counted(part.encode("utf-8", "surrogateescape")) for part in parts) + b"".join(
            _counted(item) for item in _wit_files(wit)
        )
    except (OSError, UnicodeError):
        return None


def lookup(entry_key: bytes) -> bytes | None:
    """The stored section for ``entry_key``, or None."""
    try:
        with open(_entry_path(entry_key), "rb") as f:
            data = f.read()
    except OSError:
        return None
    header = FORMAT + b"%d\n" % len(entry_key)
    if not data.startswith(header) or data[len(header) : len(header) + len(entry_key)] != entry_key:
        return None
    section = data[len(header) + len(entry_key) :]
    return section if is_world_section(section) else None


def remember(entry_key: bytes, core: bytes, embedded: bytes) -> None:
    """Store what ``embed`` appended to ``core``, if that is all it did. Best effort."""
    section = embedded[len(core) :]
    if not embedded.startswith(core) or not is_world_section(section):
        return
    write_entry(_entry_path(entry_key), FORMAT + b"%d\n" % len(entry_key) + entry_key + section)


def is_world_section(section: bytes) -> bool:
    """Exactly one custom section named ``component-type``."""
    if section[:1] != b"\0":
        return False
    try:
        size, pos = uleb(section, 1)
        name_size, name_pos = uleb(section, pos)
    except (Unusual, IndexError):
        return False
    return pos + size == len(section) and section[name_pos : name_pos + name_size].startswith(_SECTION_NAME)


def _wit_files(wit: str) -> list[bytes]:
    """Name and content of the WIT file, or of every file under the WIT directory, in a stable order."""
    if not os.path.isdir(wit):
        return [b"", _read_regular(wit)]
    out: list[bytes] = []
    for directory, subdirs, files in os.walk(wit):
        subdirs.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            out += [os.path.relpath(path, wit).encode("utf-8", "surrogateescape"), _read_regular(path)]
    return out


def _read_regular(path: str) -> bytes:
    """The file's bytes; OSError for anything but a regular file (a FIFO would block the read)."""
    if os.stat(path).st_mode & 0o170000 != 0o100000:
        raise IsADirectoryError(path)
    with open(path, "rb") as f:
        return f.read()


def _counted(item: bytes) -> bytes:
    return b"%d:" % len(item) + item


def _entry_path(entry_key: bytes) -> str:
    pos = 0
    for _ in range(7):  # the head: version, tool, its stamps, WIT path, world, encoding
        size = entry_key[pos : pos + 20].partition(b":")[0]
        pos += len(size) + 1 + int(size)
    return os.path.join(cache_dir(), f"embed-{fnv1a(entry_key[:pos]):08x}")
