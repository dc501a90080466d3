"""The wasm-ld command clang runs for a link, remembered, so that ``fastlink`` starts wasm-ld itself instead
of the clang driver (whose start, loading LLVM's shared libraries, costs more than a small link).

For wasm32, clang's link line is a function of its command line, a few environment variables, and the files
it looks for: its configuration files and linker (beside it and on PATH), crt1 and compiler-rt (resource
directory, sysroot). An entry maps a command line whose inputs and output are placeholders to clang's
``-###`` line with the same placeholders, and records the stamps (mtime, size, inode) of clang, the linker,
every absolute path of the line with three levels of parents, clang's directory and its parent, and the
PATH directories. Any changed stamp, variable or argument is a miss; an unreadable entry is a miss.

Only plain links are remembered: objects and archives (no compile job), no response files, no option that
moves where clang looks (``-B``, ``--config``, …), and a ``-###`` that printed nothing but the one command.
A cached command that fails is not trusted with the diagnosis: the link runs again through clang, so
messages and exit codes are clang's own. Fast-path module: imports only os (and its fast-path siblings).
"""

from __future__ import annotations

import os

from . import ccargs, spawn
from .fastcache import cache_dir, fnv1a, write_entry

FORMAT = b"wasip2ld-link-line 1\n"
_KEYED_ENV = ("PATH", "LIBRARY_PATH", "COMPILER_PATH", "HOME", "XDG_CONFIG_HOME")
_KEYED_ENV_PREFIXES = ("CCC_", "CLANG", "CC_PRINT", "CC_LOG")
# Options that change where clang looks for its tools and files, or what it reads besides the command line.
_UNCACHED_OPTIONS = ("-B", "--config", "-ccc-", "--gcc-toolchain", "-gcc-toolchain", "-resource-dir",
                     "--rtlib", "-rtlib", "-no-canonical-prefixes", "-working-directory", "-###", "-v", "@")  # fmt: skip
_HEADER_PREFIXES = ("Target: ", "Thread model: ", "InstalledDir: ", "Build config: ")
_OUTPUT = "\0out"
_DUMPDIR = "\0dumpdir"


class Template:
    """A clang link command's cache key, with its inputs, scratch output and ``-dumpdir`` value as placeholders
    (``names`` maps each placeholder to what it stands for here)."""

    __slots__ = ("names", "key")

    def __init__(self, names: dict[str, str], key: bytes) -> None:
        self.names, self.key = names, key


def command(argv: list[str], env: dict[str, str], output: str, core: str) -> list[str] | None:
    """The wasm-ld command clang would run for ``argv`` (which links into ``core`` for the final ``output``),
    from the cache or from ``clang -###``; None when it cannot be known that way (clang then links)."""
    template = _template(argv, env, output, core)
    if template is None:
        return None
    path = os.path.join(cache_dir(), f"link-{fnv1a(template.key):08x}")
    line = _lookup(path, template.key)
    if line is None:
        line = _ask_clang(argv, env, template)
        if line is None:
            return None  # clang refused the command line (it reports that itself), or these names
        _store(path, template.key, argv[0], line)
    if not line:
        return None  # clang's line for this shape cannot be reused (remembered too, so it is asked once)
    concrete = [_fill(arg, template.names) for arg in line]
    for name, value in template.names.items():
        if name not in (_OUTPUT, _DUMPDIR) and not os.path.isfile(value):
            return None  # clang's own diagnosis of a missing input
    return concrete


def _template(argv: list[str], env: dict[str, str], output: str, core: str) -> Template | None:
    names: dict[str, str] = {}
    generic: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if "\n" in arg or "\0" in arg or arg.startswith(_UNCACHED_OPTIONS) or arg in ("-", "--"):
            return None
        if arg == "-o" and i + 1 < len(argv) and argv[i + 1] == core:
            generic += [arg, _OUTPUT]
            names[_OUTPUT] = core
            i += 2
            continue
        if arg == "-dumpdir" and i + 1 < len(argv) and argv[i + 1] == f"{output}-":
            generic += [arg, _DUMPDIR]
            names[_DUMPDIR] = f"{output}-"
            i += 2
            continue
        if arg.startswith("-") or i == 0:
            generic.append(arg)
            if arg in ccargs.SEPARATE_VALUE and i + 1 < len(argv):
                generic.append(argv[i + 1])
                i += 1
        elif not arg.endswith(ccargs.LINK_ONLY_SUFFIXES):
            return None  # a source: clang compiles it first (a temporary object), which is not cached
        else:
            placeholder = f"\0in{len(names)}{os.path.splitext(arg)[1]}"
            names[placeholder] = arg
            generic.append(placeholder)
        i += 1
    if _OUTPUT not in names:
        return None
    parts = [FORMAT.decode(), *generic, "\0env"]
    for name in sorted(env):
        if name in _KEYED_ENV or name.startswith(_KEYED_ENV_PREFIXES):
            parts.append(f"{name}={env[name]}")
    try:
        key = "\n".join(parts).encode("utf-8", "surrogateescape")
    except UnicodeError:
        return None
    return Template(names, key)


def _fill(arg: str, names: dict[str, str]) -> str:
    return names.get(arg, arg) if arg.startswith("\0") else arg


def _ask_clang(argv: list[str], env: dict[str, str], template: Template) -> list[str] | None:
    """clang's link command for ``argv``, with the template's names as placeholders; an empty list when that
    command cannot be reused (clang printed something besides exactly one command, such as a warning);
    None when clang refused the command line, or when these particular names get in the way."""
    try:
        code, text = spawn.run([*argv, "-###"], env=env, capture_stderr=True)
    except OSError:
        return None
    if code != 0:
        return None
    commands = []
    for line in text.decode("utf-8", "surrogateescape").splitlines():
        if line.startswith(' "'):
            commands.append(_unquote(line))
        elif not (line.startswith(_HEADER_PREFIXES) or " version " in line and not commands):
            return []
    if len(commands) != 1 or commands[0] is None or not os.path.isabs(commands[0][0]):
        return []
    values = {value: name for name, value in template.names.items()}
    # The rest concerns these names, not the shape of the command: nothing is remembered.
    if len(values) != len(template.names):
        return None  # one file named twice: which placeholder is which?
    line = [values.get(arg, arg) for arg in commands[0]]
    for arg in line:  # a name inside a longer argument would not be replaced later
        if not arg.startswith("\0") and any(value in arg for value in values):
            return None
    if any(line.count(name) != 1 for name in template.names if name != _DUMPDIR):
        return None  # an input clang passes on in another spelling (or not at all)
    return line


def _unquote(line: str) -> list[str] | None:
    """The arguments of one ``-###`` command line: each double-quoted, with ``\\``, ``"`` and ``$``
    escaped by a backslash."""
    args: list[str] = []
    i, end = 0, len(line)
    while i < end:
        if line[i] == " ":
            i += 1
            continue
        if line[i] != '"':
            return None
        i += 1
        chars = []
        while True:
            if i >= end:
                return None
            char = line[i]
            if char == "\\":
                if i + 1 >= end or line[i + 1] not in '\\"$':
                    return None
                chars.append(line[i + 1])
                i += 2
            elif char == '"':
                i += 1
                break
            else:
                chars.append(char)
                i += 1
        args.append("".join(chars))
    return args


def _stamp_paths(clang: str, line: list[str]) -> list[str]:
    paths = set()
    for arg in line:
        path = arg[2:] if arg.startswith("-L") else arg
        if path.startswith("/"):
            paths.add(path)
            for _ in range(3):
                path = os.path.dirname(path)
                paths.add(path)
    for program in (clang, os.path.realpath(clang)):
        directory = os.path.dirname(os.path.abspath(program))
        paths.update((program, directory, os.path.dirname(directory)))
    paths.update(d for d in os.environ.get("PATH", "").split(os.pathsep) if d)
    return sorted(paths)


def _stamp(path: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return "-"
    return f"{st.st_mtime_ns}:{st.st_size}:{st.st_ino}"


def _lookup(path: str, key: bytes) -> list[str] | None:
    try:
        with open(path, "rb") as f:
            data = f.read()
        items = _split(data)
    except (OSError, ValueError):
        return None
    if items is None or len(items) < 3 or items[0] != key:
        return None
    stamps = int(items[1])
    if len(items) < 2 + 2 * stamps + 1:
        return None
    for i in range(2, 2 + 2 * stamps, 2):
        if _stamp(items[i].decode("utf-8", "surrogateescape")) != items[i + 1].decode():
            return None
    return [item.decode("utf-8", "surrogateescape") for item in items[2 + 2 * stamps :]]


def _store(path: str, key: bytes, clang: str, line: list[str]) -> None:
    """Best effort, atomically (``make -j`` links share entries)."""
    stamped = _stamp_paths(clang, line)
    items = [key, str(len(stamped)).encode()]
    try:
        for stamped_path in stamped:
            items += [stamped_path.encode("utf-8", "surrogateescape"), _stamp(stamped_path).encode()]
        items += [arg.encode("utf-8", "surrogateescape") for arg in line]
    except UnicodeError:
        return
    write_entry(path, FORMAT + b"".join(b"%d:" % len(item) + item for item in items))


def _split(data: bytes) -> list[bytes] | None:
    if not data.startswith(FORMAT):
        return None
    items, pos = [], len(FORMAT)
    while pos < len(data):
        colon = data.index(b":", pos, pos + 12)
        size = int(data[pos:colon])
        items.append(data[colon + 1 : colon + 1 + size])
        pos = colon + 1 + size
        if pos > len(data):
            return None
    return items
