"""The record of a successful `wasip2ld go build`, which lets the same build run again as `go build` and one
`wasm-tools component new` (``warm``).

Everything between those two commands (the plan from the world, the module edits, the validator, the world
embedding) is a function of the module `go build` links and of inputs that do not change between two runs
of the same command: the toolchain discovery found, the config files, the WIT files, the arena overlay,
wasip2ld's own modules. A
record holds that module (``core``), what those steps made of it (``module``, the input of
`component new`), the two command lines, and the *stamps* (path, mtime, size) of every file and directory
those inputs came from, taken before the build read them. It is named after its *key*: wasip2ld's
version, the Python running it, the working directory, the arguments after `go build`, the environment
that discovery, the config and Go read (``WASIP2LD_*``, ``GO*``, ``PATH``, …) and the project config file.

A lookup compares the stored key with the current one byte for byte and every stamp with the file system;
anything else (a changed file, a corrupt or truncated entry) is a miss, and the full build runs and writes
the record again. Entries are written atomically (concurrent builds share them); a record's module file
is written before the record that names it and never changed afterwards. Fast-path module: imports only
``os`` and ``sys`` and ``fastcache``'s helpers (``remember``, on the full build, writes through
``atomic``).
"""

from __future__ import annotations

import os
import sys

from ..driver.fastcache import cache_dir, fnv1a, project_config_stamp

FORMAT = b"wasip2ld-go-build 1\n"
_KEYED_ENV = ("PATH", "HOME", "WASI_SDK_PATH", "CGO_ENABLED")
_KEYED_PREFIXES = ("WASIP2LD_", "GO", "XDG_")
_UNKEYED_ENV = frozenset({"WASIP2LD_VERBOSE", "WASIP2LD_BACKTRACE", "WASIP2LD_CC_ACTIVE"})
# Records and their modules not used for this long are removed (checked at most once a day), as Go trims
# its own cache.
UNUSED_FOR_SECONDS = 5 * 86400
_TRIM_EVERY_SECONDS = 86400
_FIELDS = 8  # key, stamps, go argv, link directory, output, wasm-tools, --adapt arguments, module file name
Stamp = tuple[str, int, int]


class Record:
    """``go_argv``: the `go build` command line (its ``-o`` is in ``link_dir``, whose ``lock`` file
    serialises builds); ``output``: the result, as the build named it; ``new_argv(tmp)``: the
    `component new` command line writing ``tmp``."""

    __slots__ = ("go_argv", "link_dir", "output", "wasm_tools", "adapt", "module_path", "core")

    def __init__(self, go_argv: list[str], link_dir: str, output: str, wasm_tools: str, adapt: list[str],
                 module_path: str, core: bytes) -> None:  # fmt: skip
        self.go_argv, self.link_dir, self.output, self.wasm_tools = go_argv, link_dir, output, wasm_tools
        self.adapt, self.module_path, self.core = adapt, module_path, core

    def new_argv(self, tmp: str) -> list[str]:
        return [self.wasm_tools, "component", "new", self.module_path, *self.adapt, "-o", tmp]


def key(build_args: list[str]) -> bytes | None:
    """The key of the record for ``build_args`` here and now; None without a working directory."""
    from .. import __version__

    try:
        cwd = os.getcwd()
    except OSError:
        return None
    parts = [FORMAT.decode(), __version__, sys.executable, cwd, *build_args, "\0"]
    env = os.environ
    for name in sorted(env):
        if name in _KEYED_ENV or (name.startswith(_KEYED_PREFIXES) and name not in _UNKEYED_ENV):
            parts.append(f"{name}={env[name]}")
    parts.append(repr(project_config_stamp()))
    return "\x1f".join(parts).encode("utf-8", "surrogateescape")


def stamp(path: str) -> Stamp:
    """(path, mtime_ns, size); -1, -1 for a path that does not exist (it must still not exist)."""
    try:
        st = os.stat(path)
    except OSError:
        return path, -1, -1
    return path, st.st_mtime_ns, st.st_size


def lookup(entry_key: bytes) -> Record | None:
    """The record stored for ``entry_key`` if every stamp still holds, else None."""
    try:
        with open(_entry_path(entry_key), "rb") as f:
            data = f.read()
        fields, pos = _fields(data)
    except (OSError, ValueError):
        return None
    if fields[0] != entry_key:
        return None
    try:
        stamps = fields[1].decode("utf-8", "surrogateescape").split("\n") if fields[1] else []
        for line in stamps:
            mtime, size, path = line.split("\t", 2)
            if stamp(path) != (path, int(mtime), int(size)):
                return None
    except ValueError:
        return None
    text = [f.decode("utf-8", "surrogateescape") for f in fields[2:]]
    module_path = os.path.join(os.path.dirname(_entry_path(entry_key)), text[5])
    for used in (_entry_path(entry_key), module_path):
        try:
            os.utime(used)  # in use: not trimmed
        except OSError:
            return None
    return Record(text[0].split("\0"), text[1], text[2], text[3], text[4].split("\0") if text[4] else [],
                  module_path, data[pos:])  # fmt: skip


def remember(entry_key: bytes, stamps: list[Stamp], go_argv: list[str], link_dir: str, output: str,
             wasm_tools: str, adapt: list[str], core: bytes, module: bytes) -> None:  # fmt: skip
    """Store a record (best effort: a cache that cannot be written only costs speed)."""
    lines = [f"{mtime}\t{size}\t{path}" for path, mtime, size in sorted(set(stamps))]
    if any("\n" in line for line in lines) or any("\0" in arg for arg in [*go_argv, *adapt]):
        return
    path = _entry_path(entry_key)
    directory = os.path.dirname(path)
    module_name = f"{os.path.basename(path)}-{os.getpid()}-{os.urandom(4).hex()}.wasm"
    previous = _module_name(path)
    texts = ["\n".join(lines), "\0".join(go_argv), link_dir, output, wasm_tools, "\0".join(adapt), module_name]
    fields = [entry_key, *(t.encode("utf-8", "surrogateescape") for t in texts)]
    from ..atomic import write_bytes_atomic
    from ..errors import UsageError

    try:
        os.makedirs(directory, exist_ok=True)
        write_bytes_atomic(os.path.join(directory, module_name), module)
        write_bytes_atomic(path, FORMAT + b"".join(b"%d\n" % len(f) + f for f in fields) + core)
    except (OSError, UsageError):
        return
    if previous and previous != module_name:
        try:  # a build still reading it fails its `component new` and runs the full path
            os.unlink(os.path.join(directory, previous))
        except OSError:
            pass
    _trim(directory)


def _trim(directory: str) -> None:
    """Remove the files of ``directory`` unused for ``UNUSED_FOR_SECONDS``, at most once a day."""
    import time

    now = time.time()
    marker = os.path.join(directory, "trimmed")
    try:
        if now - os.stat(marker).st_mtime < _TRIM_EVERY_SECONDS:
            return
    except OSError:
        pass
    try:
        with open(marker, "w"):
            pass
        for entry in os.scandir(directory):
            if entry.name != "trimmed" and now - entry.stat().st_mtime > UNUSED_FOR_SECONDS:
                os.unlink(entry.path)
    except OSError:
        pass


def _fields(data: bytes) -> tuple[list[bytes], int]:
    """The length-prefixed fields after the format line, and where the core module starts."""
    if not data.startswith(FORMAT):
        raise ValueError("not a record")
    fields, pos = [], len(FORMAT)
    for _ in range(_FIELDS):
        end = data.index(b"\n", pos, pos + 20)
        size = int(data[pos:end])
        fields.append(data[end + 1 : end + 1 + size])
        pos = end + 1 + size
        if size < 0 or pos > len(data):
            raise ValueError("truncated")
    return fields, pos


def _module_name(path: str) -> str | None:
    try:
        with open(path, "rb") as f:
            return _fields(f.read())[0][7].decode("utf-8", "surrogateescape")
    except (OSError, ValueError, IndexError):
        return None


def _entry_path(entry_key: bytes) -> str:
    return os.path.join(cache_dir(), "go-build", f"{fnv1a(entry_key):08x}")
