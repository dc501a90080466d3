"""What to run and with which capabilities: arguments, preopened directories and environment variables."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..errors import UsageError


@dataclass(frozen=True)
class Preopen:
    host: Path
    guest: str


@dataclass(frozen=True)
class RunSpec:
    wasm: Path
    args: tuple[str, ...] = ()  # after argv[0]
    argv0: str | None = None  # defaults to the file name as given
    dirs: tuple[Preopen, ...] = ()
    env: tuple[tuple[str, str], ...] = ()

    @property
    def argv(self) -> list[str]:
        return [self.argv0 if self.argv0 is not None else str(self.wasm), *self.args]


def parse_dir(text: str) -> Preopen:
    """``HOST`` (seen by the guest under the same path) or ``HOST::GUEST``."""
    host, sep, guest = text.partition("::")
    if not host or (sep and not guest):
        raise UsageError(f"--dir {text}: expected HOST or HOST::GUEST")
    path = Path(host)
    if not path.is_dir():
        raise UsageError(f"--dir {text}: {host} is not a directory", hint="create it first or fix the path")
    return Preopen(path, guest if sep else host)


def host_view(cwd: Path | None = None, root: Path = Path("/")) -> tuple[Preopen, ...]:
    """The file system as a native program sees it: the working directory as ``.`` (relative paths) and each
    top-level directory of ``root`` under its own absolute path (absolute paths). Not ``/`` itself: wasi-libc
    strips the leading ``/`` and ``.`` of preopen names, so a ``/`` preopen and a ``.`` preopen would both be
    the empty prefix and the later would win for every path. ``..`` out of the working directory stays closed."""
    cwd = Path.cwd() if cwd is None else cwd
    tops = sorted(entry for entry in root.iterdir() if _is_dir(entry))
    return (Preopen(cwd, "."), *(Preopen(top, "/" + top.name) for top in tops))


def host_args(args: tuple[str, ...]) -> tuple[str, ...]:
    """Arguments for a program under ``host_view``: an absolute path that climbs with ``..`` (Meson passes
    ``<build>/../<source>/file``) is resolved the way the kernel would, because the guest cannot climb out of
    the top-level directory the path starts in."""
    return tuple(os.path.realpath(arg) if arg.startswith("/") and ".." in arg.split("/") else arg for arg in args)


def _is_dir(path: Path) -> bool:
    """A directory this user may open (a preopen that cannot be opened would fail the whole run)."""
    try:
        return path.is_dir() and os.access(path, os.R_OK | os.X_OK)
    except OSError:
        return False


def parse_env(text: str, host_env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """``K=V`` sets K; a bare ``K`` passes the host's value through (nothing when the host has none)."""
    host_env = os.environ if host_env is None else host_env
    name, sep, value = text.partition("=")
    if not name:
        raise UsageError(f"--env {text}: expected NAME=VALUE or NAME")
    if sep:
        return name, value
    if name in host_env:
        return name, host_env[name]
    return None
