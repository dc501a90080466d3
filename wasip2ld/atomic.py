"""Atomic outputs: a result appears under its final name only when it is complete.

A temporary file is made beside the target (same directory, hence same filesystem) and renamed over it on
success; on any failure it is removed and an existing output stays as it was.
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterator

from .errors import UsageError


@contextlib.contextmanager
def atomic_output(target: str | os.PathLike, *, executable: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it to ``target`` if the block succeeds. An
    ``executable`` output gets the mode a native linker gives programs (0777 less the umask)."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise UsageError(f"{target}: cannot write output: directory {directory} does not exist") from None
    except PermissionError:
        raise UsageError(f"{target}: cannot write output: directory {directory} is not writable") from None
    os.close(fd)
    tmp_path = Path(tmp)
    os.chmod(tmp_path, (0o777 if executable else 0o666) & ~_umask())  # mkstemp makes 0600
    try:
        yield tmp_path
        if not tmp_path.exists() or tmp_path.stat().st_size == 0:
            raise UsageError(f"{target}: no output was produced")
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_bytes_atomic(target: str | os.PathLike, data: bytes) -> None:
    with atomic_output(target) as tmp:
        tmp.write_bytes(data)
