"""The kernel's binfmt_misc registration that makes a built program run as ``./prog``: files starting with
the wasm magic (``\\0asm``, components and core modules alike) are handed to ``wasip2ld-exec``.

Entries live in ``/proc/sys/fs/binfmt_misc`` (mounted on demand); ``register`` takes
``:NAME:M::MAGIC::INTERPRETER:FLAGS`` and an entry is removed by writing ``-1`` to it. Flags: ``P`` keeps the
program's own argv[0] (the interpreter gets ``PATH ARGV0 ARGS…``), ``F`` opens the interpreter when it is
registered, so it also works inside chroots and other mount namespaces.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..errors import ToolFailed, UsageError

BINFMT_DIR = Path("/proc/sys/fs/binfmt_misc")
DEFAULT_NAME = "wasip2ld"
WASM_MAGIC_HEX = "0061736d"
_MAGIC = r"\x00asm"
FLAGS = "PF"


@dataclass(frozen=True)
class Entry:
    name: str
    enabled: bool
    interpreter: str
    flags: str
    magic: str
    offset: int

    @property
    def runs_wasm(self) -> bool:
        return self.enabled and self.offset == 0 and self.magic.startswith(WASM_MAGIC_HEX)


def mounted(root: Path = BINFMT_DIR) -> bool:
    return (root / "register").exists()


def entry(name: str, root: Path = BINFMT_DIR) -> Entry | None:
    try:
        text = (root / name).read_text()
    except (FileNotFoundError, NotADirectoryError):
        return None
    fields: dict[str, str] = {}
    for line in text.splitlines():
        key, _, value = line.partition(" ")
        fields[key.rstrip(":")] = value.strip()
    return Entry(name, "enabled" in fields, fields.get("interpreter", ""), fields.get("flags", ""),
                 fields.get("magic", ""), int(fields.get("offset", "0") or 0))


def wasm_entries(root: Path = BINFMT_DIR) -> list[Entry]:
    """Every enabled registration that claims wasm files (wasip2ld's, or another runtime's)."""
    if not mounted(root) or not _globally_enabled(root):
        return []
    found = (entry(p.name, root) for p in sorted(root.iterdir()) if p.name not in ("register", "status"))
    return [e for e in found if e is not None and e.runs_wasm]


def active(name: str = DEFAULT_NAME, root: Path = BINFMT_DIR) -> bool:
    """Entry ``name`` is registered, enabled, claims wasm files and its interpreter exists."""
    own = entry(name, root) if mounted(root) and _globally_enabled(root) else None
    return own is not None and own.runs_wasm and Path(own.interpreter).is_file()


def install(interpreter: Path, name: str = DEFAULT_NAME, root: Path = BINFMT_DIR) -> Entry:
    """Register ``interpreter`` for wasm files under ``name`` (replacing an older registration of that name)."""
    _check_name(name)
    if ":" in str(interpreter) or not interpreter.is_absolute():
        raise UsageError(f"{interpreter}: the interpreter must be an absolute path without ':'")
    ensure_mounted(root)
    if entry(name, root) is not None:
        uninstall(name, root)
    _write(root / "register", f":{name}:M::{_MAGIC}::{interpreter}:{FLAGS}")
    registered = entry(name, root)
    assert registered is not None
    return registered


def uninstall(name: str = DEFAULT_NAME, root: Path = BINFMT_DIR) -> bool:
    """Remove the registration ``name``; False when there was none."""
    _check_name(name)
    if not mounted(root) or entry(name, root) is None:
        return False
    _write(root / name, "-1")
    return True


def ensure_mounted(root: Path = BINFMT_DIR) -> None:
    if mounted(root):
        return
    from ..proc import Runner

    _require_root(root)
    Runner().run(["mount", "-t", "binfmt_misc", "binfmt_misc", str(root)], tool="mount", capture=True)
    if not mounted(root):
        raise ToolFailed("mount", 2, f"mount -t binfmt_misc binfmt_misc {root}: {root}/register did not appear")


def _globally_enabled(root: Path) -> bool:
    try:
        return (root / "status").read_text().strip() == "enabled"
    except OSError:
        return False


def _check_name(name: str) -> None:
    if not name or "/" in name or ":" in name or name in (".", "..", "register", "status"):
        raise UsageError(f"--name {name!r}: not a usable binfmt_misc entry name",
                         hint="use letters, digits, '-' or '_' (default: wasip2ld)")


def _require_root(root: Path) -> None:
    if os.geteuid() != 0:
        raise UsageError(f"registering with binfmt_misc needs root (it writes {root}/register)",
                         hint="run it as root, e.g. `sudo wasip2ld binfmt install`")


def _write(path: Path, text: str) -> None:
    _require_root(path.parent)
    try:
        with open(path, "w") as handle:
            handle.write(text)
    except OSError as err:
        raise UsageError(f"{path}: the kernel refused {text!r}: {err.strerror}",
                         hint="is another entry using this name, or is binfmt_misc read-only here?") from None
