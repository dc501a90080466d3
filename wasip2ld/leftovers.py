"""Scratch files and directories that outlive a killed wasip2ld, and their removal by a later run.

Every temporary name wasip2ld makes carries the id of the process that made it (``<prefix><pid>-…``).
SIGKILL leaves no chance to clean up, so each new run first removes the entries of the same kind whose
process is gone and that were not touched for a while (a process in another pid namespace sharing the
directory keeps touching its files, or is at least given that time).

``sweep`` and ``tagged`` import nothing beyond ``os`` and ``time``: wasip2-clang's in-process link
(``driver/fastlink``) sweeps on every link.
"""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    import tempfile

STALE_AFTER_SECONDS = 60.0


def tagged(prefix: str) -> str:
    """``prefix`` followed by this process's tag, for ``tempfile`` names."""
    return f"{prefix}{os.getpid()}-"


def sweep(directory: str | os.PathLike, prefix: str, suffix: str = "") -> int:
    """Remove ``prefix + tag + … + suffix`` entries of ``directory`` left by dead processes; return how many."""
    removed = 0
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        name = entry.name
        if not (name.startswith(prefix) and name.endswith(suffix)):
            continue
        pid = _tag(name, len(prefix))
        if pid is None or _alive(pid):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER_SECONDS:
                continue
            if entry.is_dir(follow_symlinks=False):
                import shutil

                shutil.rmtree(entry.path, ignore_errors=True)
            else:
                os.unlink(entry.path)
            removed += 1
        except OSError:
            continue
    return removed


def _tag(name: str, start: int) -> int | None:
    """The pid in ``<pid>-`` at ``start`` of ``name``."""
    end = name.find("-", start)
    digits = name[start:end] if end > start else ""
    return int(digits) if digits.isascii() and digits.isdigit() else None


def scratch_dir(kind: str) -> tempfile.TemporaryDirectory:
    """A ``wasip2ld-<kind>-`` scratch directory in TMPDIR, after sweeping the ones killed runs left."""
    import tempfile

    prefix = f"wasip2ld-{kind}-"
    sweep(tempfile.gettempdir(), prefix)
    return tempfile.TemporaryDirectory(prefix=tagged(prefix))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True

