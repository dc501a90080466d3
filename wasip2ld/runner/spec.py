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
