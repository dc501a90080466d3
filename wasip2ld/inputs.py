"""Reading input files (modules, WIT, response and config files) with bounded cost.

Only regular files (and, where a WIT package is expected, directories) are inputs: a FIFO would block
forever and a device such as ``/dev/zero`` never ends, so both are refused before anything is read. A file
larger than ``MAX_INPUT_BYTES`` is refused too, instead of exhausting memory.
"""

from __future__ import annotations

import os
import stat

from .errors import UsageError

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` starts without importing it
if TYPE_CHECKING:
    from typing import BinaryIO

MAX_INPUT_BYTES = 1 << 30  # 1 GiB: far above any real module, WIT package or response file
_KINDS = (
    (stat.S_ISFIFO, "FIFO (named pipe)"),
    (stat.S_ISCHR, "character device"),
    (stat.S_ISBLK, "block device"),
    (stat.S_ISSOCK, "socket"),
)


def open_input(path: str | os.PathLike, *, what: str = "file") -> BinaryIO:
    """``path`` opened for reading, once it is known to be a regular file of bounded size."""
    name = os.fspath(path)
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)  # O_NONBLOCK: a FIFO must not block
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror}") from None
    try:
        _require_regular(name, os.fstat(fd).st_mode, what)
        _require_bounded(name, os.fstat(fd).st_size)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_input(path: str | os.PathLike, *, what: str = "file") -> bytes:
    name = os.fspath(path)
    with open_input(name, what=what) as handle:
        try:
            return handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            raise UsageError(f"{name}: cannot read: {exc.strerror}") from None


def check_input(path: str | os.PathLike, *, what: str, directory_ok: bool = False) -> None:
    """For a path a sub-tool will read: it exists and is a regular file (or a directory, if allowed)."""
    name = os.fspath(path)
    try:
        st = os.stat(name)
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file or directory") from None
    except OSError as exc:
        raise UsageError(f"{name}: cannot read: {exc.strerror}") from None
    if directory_ok and stat.S_ISDIR(st.st_mode):
        return
    _require_regular(name, st.st_mode, what)
    _require_bounded(name, st.st_size)


def _require_regular(name: str, mode: int, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise UsageError(f"{name}: is a directory, expected {what}")
    kind = next((label for test, label in _KINDS if test(mode)), "special file")
    raise UsageError(
        f"{name}: is a {kind}, not a regular file (expected {what})",
        hint="save the content to a regular file first",
    )


def _require_bounded(name: str, size: int) -> None:
    if size > MAX_INPUT_BYTES:
        raise UsageError(f"{name}: too large ({size} bytes; wasip2ld reads inputs up to {MAX_INPUT_BYTES})")
